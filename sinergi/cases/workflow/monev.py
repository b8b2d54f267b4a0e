"""Monitoring reviews (at least every 3 months), risk re-evaluation and case notes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.refusals import refusals_audited
from sinergi.audit.services import audit_record

from ..choices import (
    RiskLevel,
)
from ..clocks import case_and_clocks_lock, clocks_on_risk_change
from ..models import (
    Case,
    CaseNote,
    MonevReview,
)
from ..workflow_selectors import (
    has_approved_plan,
)
from ._common import _refuse, _require_edit, _start_review_clock

# --- monitoring and review -------------------------------------------------------------------------


@refusals_audited
def monev_record(*, actor, case, reviewed_on, progress, next_steps="", risk="", plan_still_valid=True):
    """Record a monitoring review of the approved plan; the 3-month review clock starts again."""
    _require_edit(actor, case, "monev.record")
    if not has_approved_plan(case):
        _refuse(
            actor,
            case,
            "monev.record",
            "plan_not_approved",
            _("A review follows the approved plan: get the plan approved first."),
        )
    errors = {}
    if reviewed_on is None:
        errors["reviewed_on"] = _("Give the date of the review.")
    elif reviewed_on > timezone.localdate():
        errors["reviewed_on"] = _("The date cannot be in the future.")
    if not (progress or "").strip():
        errors["progress"] = _("Describe the progress against the plan.")
    if risk and risk not in RiskLevel.values:
        errors["risk"] = _("Unknown risk level.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case_and_clocks_lock(case)  # its risk and review clock may change
        review = MonevReview.objects.create(
            case=case,
            reviewed_on=reviewed_on,
            progress=progress.strip(),
            next_steps=(next_steps or "").strip(),
            risk=risk,
            plan_still_valid=plan_still_valid,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="monev.record",
            object_type="review",
            object_id=review.public_id,
            case=case,
            details={"risk": risk or None, "plan_still_valid": plan_still_valid},
        )
        locked = _reevaluate_risk(actor=actor, case=case, risk=risk, source="review")
        _start_review_clock(locked, timezone.now(), actor)
    return review


def _reevaluate_risk(*, actor, case, risk, source):
    """Lock the case and record a re-evaluated risk (from an assessment or a review); a changed
    risk re-times the running clocks. Returns the locked, current case."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if risk and locked.risk != risk:
        old = locked.risk
        locked.risk = risk
        locked.version += 1
        locked.save(update_fields=["risk", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="case.risk",
            object_type="case",
            object_id=locked.public_id,
            case=locked,
            changes={"risk": [old or None, risk]},
            details={"source": source},
        )
        clocks_on_risk_change(case=locked, actor=actor)
    return locked


# --- notes -----------------------------------------------------------------------------------------


@refusals_audited
def note_add(*, actor, case, body, private=False):
    """An encrypted note by a staff member; private ones are shown to the case team and kepala only."""
    _require_edit(actor, case, "note.add")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, body=body, author=actor, private=bool(private))
        audit_record(
            actor=actor,
            action="note.add",
            object_type="note",
            object_id=note.public_id,
            case=case,
            details={"private": note.private},
        )
    return note
