"""Who may do what with a case: the one place the case access rules are written.

Views get a case only through `case_for(request, public_id, need=...)`: it fetches through the
user's scope (`cases_visible_to`), answers 404 for a case outside it (audited as a denied
`case.view`, tied to the real case), refuses a lacking `need` the way every case page always has,
computes the user's `CaseAccess` once and records the one `case.view` event of the request.

The loose rule functions (`can_edit_case`, `may_see_access_log`, ...) are for code that holds a
case without a request (services, the clock engine); they give the same answers as `CaseAccess`.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.access import case_scope, has_permission, permission_scope
from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.core.errors import AuditedDenial

from .choices import ApprovalStatus, CaseStatus
from .models import BreakGlassAccess, CaseAssignment
from .selectors import case_by_public_id, case_team, cases_visible_to, with_break_glass_flag
from .workflow_selectors import case_notes, plan_editor_ids

NEEDS = ("view", "edit", "assign", "approve", "refer")


def closed_case_message():
    return _("This case is closed and read-only. The head of unit can reopen it, with a reason.")


class CaseClosed(PermissionDenied):
    """The case is closed: read-only until the kepala reopens it (sinergi.cases.workflow)."""

    def __init__(self):
        super().__init__(closed_case_message())


# --- the rules, for one case already loaded ------------------------------------------------------


def _on_team(user, case):
    return CaseAssignment.objects.filter(case=case, user=user, active=True).exists()


def _of_the_unit(user, case):
    return getattr(user, "organisation_id", None) is not None and case.unit_id == user.organisation_id


def can_view_case(user, case):
    """The per-object form of selectors.cases_visible_to (a property test checks they agree)."""
    return _sees_case(user, case, break_glass=True)


def _by_break_glass_only(user, case):
    """The user sees the case only through an emergency-access grant (a higher unit's head)."""
    return _sees_case(user, case, break_glass=True) and not _sees_case(user, case, break_glass=False)


def _sees_case(user, case, *, break_glass):
    scope = case_scope(user)
    unit_id = getattr(user, "organisation_id", None)
    if scope not in {"unit", "team"} or unit_id is None:
        return False
    if scope == "unit":
        if case.unit_id == unit_id:
            return True
        return break_glass and (
            BreakGlassAccess.objects.filter(case=case, user=user, expires_at__gt=timezone.now()).exists()
        )
    if case.unit_id != unit_id:
        return False
    if CaseAssignment.objects.filter(case=case, user=user, active=True).exists():
        return True
    return user.organisation.all_staff_see_all_cases and not case.restricted


def can_edit_case(user, case):
    """Edit rights: `case.edit`, the case seen without emergency access (break-glass is read-only:
    it lets a higher unit's head read a case in an emergency, never change it), and not closed."""
    return (
        has_permission(user, "case.edit")
        and _sees_case(user, case, break_glass=False)
        and case.status != CaseStatus.CLOSED
    )


def require_case_edit(actor, case):
    """For services: a closed case is CaseClosed (read-only until reopened), any other lack of the
    edit right PermissionDenied; a write tried under emergency access is audited as denied."""
    if not can_edit_case(actor, case):
        if case.status == CaseStatus.CLOSED:
            raise CaseClosed
        if _by_break_glass_only(actor, case):
            raise AuditedDenial(
                {
                    "action": "case.edit",
                    "object_type": "case",
                    "object_id": case.public_id,
                    "case": case,
                    "details": {"reason": "break_glass_read_only"},
                }
            )
        raise PermissionDenied


def may_upload_document(user, case):
    return can_edit_case(user, case)


def may_see_access_log(user, case, *, on_team=None):
    """The 'who accessed this case' panel: `case.access_log` within its scope (unit or team)."""
    scope = permission_scope(user, "case.access_log")
    if scope in {"unit", "all"} and _of_the_unit(user, case):
        return True
    if scope == "team":
        return _on_team(user, case) if on_team is None else on_team
    return False


def can_refer_from_case(user, case, *, on_team=None):
    """`referral.send` on a case of the user's own unit (a team member, or the unit's kepala)."""
    scope = permission_scope(user, "referral.send")
    if scope is None or not _of_the_unit(user, case) or not can_view_case(user, case):
        return False
    if scope == "team":
        return _on_team(user, case) if on_team is None else on_team
    return True


def sees_private_notes(user, case, *, on_team=None):
    """The case team and the unit's kepala read private notes; others who may open the case do not."""
    if has_permission(user, "case.approve") and _of_the_unit(user, case):
        return True
    return _on_team(user, case) if on_team is None else on_team


def notes_visible_to(user, case):
    return case_notes(case, private=sees_private_notes(user, case))


def may_decide(user, request):
    """Whether `user` decides this plan or closure request: the kepala of the case's unit, and not
    the one who asked (nor anyone who wrote or changed the plan)."""
    return (
        request.status == ApprovalStatus.PENDING
        and has_permission(user, "case.approve")
        and user.organisation_id == request.case.unit_id
        and can_view_case(user, request.case)
        and request.requested_by_id != user.pk
        and not (request.plan_id and user.pk in plan_editor_ids(request.plan))
    )


# --- the access of one user to one visible case, computed once -----------------------------------


@dataclass(frozen=True)
class CaseAccess:
    """What the user may do with a case they may see (the buttons and panels of the case pages)."""

    view: bool
    edit: bool  # change the record (not on a closed case)
    team: bool  # on the case's active team
    head: bool  # the kepala of the case's unit: decides, reopens, reads private notes
    assign: bool  # set the lead, add and remove members
    refer: bool  # the referrals and transfers pages of the case
    documents: bool  # list and download the documents
    upload: bool  # upload documents
    access_log: bool  # the 'who accessed this case' panel
    private_notes: bool
    members: tuple = ()  # the active team (CaseAssignments with their users), as the page lists it


def case_access(user, case):
    """`user`'s access to `case`, which they may see (fetched through `cases_visible_to`)."""
    members = tuple(case_team(case))
    on_team = any(a.user_id == user.pk for a in members)
    unit = _of_the_unit(user, case)
    # Never another unit's case: a higher unit's head sees one only by emergency access, read-only.
    edit = has_permission(user, "case.edit") and case.status != CaseStatus.CLOSED and unit
    referral_scope = permission_scope(user, "referral.send")
    log_scope = permission_scope(user, "case.access_log")
    head = has_permission(user, "case.approve") and unit
    return CaseAccess(
        view=True,
        edit=edit,
        team=on_team,
        head=head,
        assign=has_permission(user, "case.assign") and unit,
        refer=referral_scope is not None and unit and (referral_scope != "team" or on_team),
        documents=has_permission(user, "case.view"),
        upload=edit,
        access_log=(log_scope in {"unit", "all"} and unit) or (log_scope == "team" and on_team),
        private_notes=head or on_team,
        members=members,
    )


# --- the fetch -----------------------------------------------------------------------------------


def record_case_view(request, case, **details):
    """The `case.view` event of a page that shows the case (`details`: which page, no data)."""
    audit_record(
        actor=request.user,
        action="case.view",
        object_type="case",
        object_id=case.public_id,
        case=case,
        details=details or None,
    )


def deny_case(request, public_id, case=None):
    """Answer 404 as for a case that does not exist; the attempt shows on the real case's trail."""
    public_id = str(public_id)[:64]
    audit_record(
        actor=request.user,
        action="case.view",
        outcome=Outcome.DENIED,
        object_type="case",
        object_id=public_id,
        case=case if case is not None else case_by_public_id(public_id),
        details={"path": request.path[:200]},
    )
    raise Http404


def _refuse_edit(request, case, action, reason, message):
    audit_record(
        actor=request.user,
        action=action,
        outcome=Outcome.DENIED,
        object_type="case",
        object_id=case.public_id,
        case=case,
        details={"reason": reason, "path": request.path[:200]},
    )
    messages.error(request, message)
    raise PermissionDenied


def refuse_closed_case(request, case, action="case.edit"):
    """Refuse an edit page of a closed case: audited, and the 403 page says what to do."""
    _refuse_edit(request, case, action, "case_closed", closed_case_message())


def refuse_break_glass_write(request, case, action="case.edit"):
    """Emergency access reads a case, never changes it: an edit page or write under it is an
    audited 403 that says so."""
    _refuse_edit(
        request,
        case,
        action,
        "break_glass_read_only",
        _(
            "Emergency access lets you read this case, not change it. Ask the case's own unit to make the change."
        ),
    )


def case_for(request, public_id, *, need="view", seen=None):
    """The case `public_id` and the user's `CaseAccess`, or the refusal of the case pages.

    Outside the user's scope: 404 (audited). For `need`:
    - "edit": a closed case is an audited 403 saying how to reopen it; no `case.edit` is a 403;
    - "assign": another unit's case (a break-glass look) is a 403, a closed case as for "edit";
    - "approve": another unit's case is a 403;
    - "refer": someone who may not open the case's referrals gets the same 404 as an outsider.
    `seen`: the details of the `case.view` event to record (`{}` for none); None records nothing,
    for a request that does not show the case or that records its look later.
    """
    if need not in NEEDS:
        raise ValueError(f"unknown need {need!r}")
    visible = with_break_glass_flag(cases_visible_to(request.user).select_related("unit"))
    case = visible.filter(public_id=public_id).first()
    if case is None:
        deny_case(request, public_id)
    access = case_access(request.user, case)
    if need == "edit" and not access.edit:
        if case.status == CaseStatus.CLOSED:
            refuse_closed_case(request, case)
        if _by_break_glass_only(request.user, case):
            refuse_break_glass_write(request, case)
        raise PermissionDenied
    if need == "assign":
        if case.unit_id != request.user.organisation_id:
            raise PermissionDenied
        if case.status == CaseStatus.CLOSED:
            refuse_closed_case(request, case, "case.assign")
    if need == "approve" and case.unit_id != request.user.organisation_id:
        raise PermissionDenied
    if need == "refer" and not access.refer:
        deny_case(request, public_id, case)
    if seen is not None:
        record_case_view(request, case, **seen)
    return case, access
