"""The biopsychosocial assessment, per victim."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.refusals import refusals_audited
from sinergi.audit.services import audit_record
from sinergi.deadlines.services import deadline_stop

from ..choices import (
    PersonRole,
    RiskLevel,
    StepCause,
)
from ..clocks import case_and_clocks_lock
from ..models import (
    Assessment,
)
from ._common import _refuse, _require_edit
from .monev import _reevaluate_risk
from .steps import case_advance_by_work

# --- assessment ------------------------------------------------------------------------------------


@refusals_audited
def assessment_save(*, actor, case, victim, assessment=None, complete=False, risk="", **narratives):
    """Create or update the assessment of one victim; `complete=True` finishes it.

    Completing needs the safety and risk re-evaluation; a re-evaluated risk updates the case's risk,
    the assessment clock stops and the case moves on to its plan (`case_advance_by_work`).
    """
    _require_edit(actor, case, "assessment.save")
    unknown = set(narratives) - set(Assessment.NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown assessment fields: {sorted(unknown)}")
    errors = {}
    if victim.case_id != case.pk or victim.role != PersonRole.KORBAN:
        errors["victim"] = _("Choose a victim of this case.")
    if risk and risk not in RiskLevel.values:
        errors["risk"] = _("Unknown risk level.")
    if assessment is not None and assessment.case_id != case.pk:
        raise PermissionDenied
    if assessment is not None and assessment.completed_at:
        _refuse(
            actor,
            case,
            "assessment.save",
            "assessment_completed",
            _("This assessment is completed; record a new assessment instead."),
        )
    if complete:
        if not risk:
            errors["risk"] = _("Re-evaluate the risk to complete the assessment.")
        if not (narratives.get("safety") or "").strip():
            errors["safety"] = _("Describe the survivor's safety to complete the assessment.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if complete:  # a completed assessment re-evaluates the case's risk and stops a clock
            case_and_clocks_lock(case)
        now = timezone.now()
        if assessment is None:
            assessment = Assessment(case=case, created_by=actor)
        else:
            assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        assessment.victim = victim
        assessment.risk = risk
        for field, value in narratives.items():
            setattr(assessment, field, (value or "").strip())
        if complete:
            assessment.completed_at = now
            assessment.completed_by = actor
        assessment.version += 1 if assessment.pk else 0
        assessment.save()
        audit_record(
            actor=actor,
            action="assessment.complete" if complete else "assessment.save",
            object_type="assessment",
            object_id=assessment.public_id,
            case=case,
            details={"victim": victim.public_id, "risk": risk or None},
        )
        if complete:
            case = _reevaluate_risk(actor=actor, case=case, risk=risk, source="assessment")
            deadline_stop(kind="assessment", case=case, stopped_at=now, actor=actor)
            # The assessment is done: the case goes on to its plan (from intake, the assessment
            # is the first contact on record, so it stops the first response too).
            case_advance_by_work(actor=actor, case=case, cause=StepCause.ASSESSMENT, at=now)
    return assessment
