from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sinergi.accounts.access import has_permission
from sinergi.accounts.security import reauth_required
from sinergi.audit.selectors import case_access_log
from sinergi.audit.services import audit_record
from sinergi.core.permissions import get_visible_or_404, require_permission

from .forms import BreakGlassForm
from .models import BreakGlassAccess, Case
from .selectors import break_glass_candidates, case_team, cases_visible_to, may_see_access_log
from .services import case_break_glass

PAGE_SIZE = 25


def _real_case(public_id):
    # Only to attach a refused attempt to the case's own audit trail; never shown to the requester.
    return Case.objects.filter(public_id=public_id).only("public_id", "unit_id").first()


def get_case_for_user(request, public_id):
    return get_visible_or_404(
        request,
        cases_visible_to(request.user),
        object_type="case",
        public_id=public_id,
        denied_case=_real_case,
    )


@require_permission("case.view")
def case_list(request):
    cases = cases_visible_to(request.user).select_related("unit").order_by("-created_at", "-id")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # evaluate before this request writes its own event
    audit_record(actor=request.user, action="case.list", object_type="case", details={"page": page.number})
    can_break_glass = has_permission(request.user, "case.break_glass")
    return render(request, "cases/list.html", {"page": page, "can_break_glass": can_break_glass})


@require_permission("case.view", object_type="case", denied_case=lambda public_id: _real_case(public_id))
def case_detail(request, public_id):
    case = get_case_for_user(request, public_id)
    audit_record(
        actor=request.user, action="case.view", object_type="case", object_id=case.public_id, case=case
    )
    now = timezone.now()
    context = {
        "case": case,
        "team": case_team(case),
        "break_glass": BreakGlassAccess.objects.filter(case=case, expires_at__gt=now).select_related("user"),
        "access_log": case_access_log(case) if may_see_access_log(request.user, case) else None,
    }
    return render(request, "cases/detail.html", context)


@require_permission("case.break_glass")
@reauth_required
@require_http_methods(["GET", "POST"])
def case_break_glass_view(request):
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reference = form.cleaned_data["reference"].strip()
        case = (
            break_glass_candidates(request.user)
            .filter(Q(registration_number__iexact=reference) | Q(pseudonym__iexact=reference))
            .first()
        )
        if case is None:
            audit_record(
                actor=request.user,
                action="case.break_glass",
                outcome="denied",
                object_type="case",
                details={"reason": "no matching case below the unit"},
            )
            form.add_error("reference", _("No case with this number in the units below yours."))
        else:
            try:
                case_break_glass(actor=request.user, case=case, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.warning(
                    request, _("Emergency access granted for 12 hours. It is logged and reported.")
                )
                return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/break_glass.html", {"form": form})
