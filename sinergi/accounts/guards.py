"""View guards. Function-level denials are 403 and audited; objects outside a user's scope are 404."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record

from .access import has_permission


def require_permission(permission, *, object_type=None, denied_case=None):
    """Allow the view only to roles that hold `permission` in access_control.md.

    A page (a list, a form) refuses other roles with an audited 403. A view of one object
    (`object_type` given, URL kwarg `public_id`) answers 404 instead, exactly as for an object
    outside the user's scope, so that no URL confirms that a case or referral exists; the attempt
    is audited as `<object_type>.view` denied and, through `denied_case(public_id)`, tied to the
    real case so that it shows on the case's access panel and in its unit's trail.
    """

    def decorator(view):
        view.sinergi_permission = permission  # read by the route-inventory test

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_permission(request.user, permission):
                if object_type:
                    public_id = str(kwargs.get("public_id", ""))[:64]
                    audit_record(
                        actor=request.user,
                        action=f"{object_type}.view",
                        outcome=Outcome.DENIED,
                        object_type=object_type,
                        object_id=public_id,
                        case=denied_case(public_id) if denied_case else None,
                        details={"permission": permission, "path": request.path[:200]},
                    )
                    raise Http404
                audit_record(
                    actor=request.user,
                    action="access.denied",
                    outcome=Outcome.DENIED,
                    details={"permission": permission, "path": request.path[:200]},
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.sinergi_permission = permission
        return wrapped

    return decorator


def get_visible_or_404(request, queryset, *, object_type, public_id, denied_case=None):
    """Fetch one object through a scoped queryset; a miss is audited as a denial and is a 404.

    `denied_case(public_id)` may name the real case behind a refused id, so the attempt shows
    on that case's access panel and in its unit's audit trail (never to the one refused).
    """
    obj = queryset.filter(public_id=public_id).first()
    if obj is None:
        case = denied_case(public_id) if denied_case else None
        audit_record(
            actor=request.user,
            action=f"{object_type}.view",
            outcome=Outcome.DENIED,
            object_type=object_type,
            object_id=public_id[:64],
            case=case,
            details={"path": request.path[:200]},
        )
        raise Http404
    return obj
