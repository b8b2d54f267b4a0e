"""The legal process per perpetrator, and restitution."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.audit.services import audit_record
from sinergi.cases.choices import PersonRole
from sinergi.cases.policies import require_case_edit
from sinergi.deadlines.choices import ClockKind
from sinergi.deadlines.services import deadline_stop

from ..choices import (
    LegalStage,
    RestitutionForm,
    RestitutionStage,
)
from ..models import (
    LegalProcessStage,
    Restitution,
    RestitutionStep,
)
from ._common import (
    Refusal,
    _agency,
    _choice,
    _codes,
    _not_future_date,
    _not_future_moment,
    _person_of,
    refusable,
)

# --- legal process per perpetrator -----------------------------------------------------------


@refusable("legal_stage.record", "legal_stage")
def legal_stage_record(
    *, actor, case, perpetrator, stage, occurred_at, agency=None, agency_name="", reference="", outcome=""
):
    """One step of the criminal process against a perpetrator.

    A police report (laporan_polisi) stops the case's TPKS 3×24 h clock. Diversion is the
    juvenile justice route: refused for a perpetrator known to be an adult.
    """
    require_case_edit(actor, case)
    _person_of(case, perpetrator, PersonRole.PELAKU, "perpetrator")
    stage = _choice(stage, LegalStage, "stage")
    _not_future_moment(occurred_at, "occurred_at")
    agency = _agency(agency, "agency")
    agency_name = (agency_name or "").strip()
    if agency is not None and agency_name:
        raise ValidationError({"agency_name": _("Choose an agency or type one, not both.")})
    if stage == LegalStage.DIVERSI and perpetrator.is_child is False:
        raise Refusal(
            _("Diversion applies only to a child perpetrator (UU 11/2012 SPPA)."),
            field="stage",
            reason="diversion_adult",
            case=case,
            object_id=perpetrator.public_id,
        )
    record = LegalProcessStage.objects.create(
        case=case,
        perpetrator=perpetrator,
        stage=stage,
        occurred_at=occurred_at,
        agency=agency,
        agency_name=agency_name,
        reference=(reference or "").strip(),
        outcome=outcome or "",
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="legal_stage.record",
        object_type="legal_stage",
        object_id=record.public_id,
        case=case,
        details={"perpetrator": perpetrator.public_id, "stage": stage},
    )
    if stage == LegalStage.LAPORAN_POLISI:
        deadline_stop(kind=ClockKind.TPKS_POLICE_REPORT, case=case, stopped_at=occurred_at, actor=actor)
    return record


# --- restitution -----------------------------------------------------------------------------

#: Order of the stages; a claim moves forward only. LPSK's assessment may be skipped (the court
#: may decide without it); compensation from the Victim Assistance Fund replaces payment when the
#: perpetrator cannot pay (UU TPKS Ps 35).
_STAGE_ORDER = {
    RestitutionStage.DIAJUKAN: 0,
    RestitutionStage.DINILAI_LPSK: 1,
    RestitutionStage.DIPUTUS: 2,
    RestitutionStage.DIBAYAR: 3,
    RestitutionStage.KOMPENSASI_DANA_BANTUAN_KORBAN: 3,
}


def _amount(value, field):
    if value in (None, ""):
        return None
    value = Decimal(value)
    if value < 0:
        raise ValidationError({field: _("Enter an amount of zero or more.")})
    return value


@transaction.atomic
def restitution_file(
    *, actor, case, victim, forms, filed_on, perpetrator=None, amount_claimed=None, notes=""
):
    """A restitution claim filed for a victim (UU TPKS Ps 30)."""
    require_case_edit(actor, case)
    _person_of(case, victim, PersonRole.KORBAN, "victim")
    if perpetrator is not None:
        _person_of(case, perpetrator, PersonRole.PELAKU, "perpetrator")
    forms = _codes(forms, RestitutionForm, "forms")
    if not forms:
        raise ValidationError({"forms": _("Tick at least one form of restitution.")})
    _not_future_date(filed_on, "filed_on")
    restitution = Restitution.objects.create(
        case=case,
        victim=victim,
        perpetrator=perpetrator,
        forms=forms,
        amount_claimed=_amount(amount_claimed, "amount_claimed"),
        stage=RestitutionStage.DIAJUKAN,
        stage_date=filed_on,
        recorded_by=actor,
    )
    RestitutionStep.objects.create(
        restitution=restitution,
        stage=RestitutionStage.DIAJUKAN,
        date=filed_on,
        notes=notes or "",
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="restitution.file",
        object_type="restitution",
        object_id=restitution.public_id,
        case=case,
        details={"forms": forms, "stage": RestitutionStage.DIAJUKAN},
    )
    return restitution


@transaction.atomic
def restitution_advance(*, actor, restitution, stage, date, amount=None, notes=""):
    """Move a claim to its next stage; `amount` is the sum awarded (diputus) or paid (dibayar,
    kompensasi)."""
    case = restitution.case
    require_case_edit(actor, case)
    restitution = Restitution.objects.select_for_update().get(pk=restitution.pk)
    stage = _choice(stage, RestitutionStage, "stage")
    if _STAGE_ORDER[stage] <= _STAGE_ORDER[restitution.stage]:
        raise ValidationError({"stage": _("A restitution claim only moves forward.")})
    if stage == RestitutionStage.KOMPENSASI_DANA_BANTUAN_KORBAN and _STAGE_ORDER[restitution.stage] < 2:
        raise ValidationError({"stage": _("Compensation follows a court decision on the restitution.")})
    if stage == RestitutionStage.DIBAYAR and _STAGE_ORDER[restitution.stage] < 2:
        raise ValidationError({"stage": _("Restitution is paid after the court has decided it.")})
    _not_future_date(date, "date")
    if date < restitution.stage_date:
        raise ValidationError({"date": _("This stage cannot be before the previous one.")})
    amount = _amount(amount, "amount")
    old = restitution.stage
    if stage == RestitutionStage.DIPUTUS:
        restitution.amount_awarded = amount
    elif stage in (RestitutionStage.DIBAYAR, RestitutionStage.KOMPENSASI_DANA_BANTUAN_KORBAN):
        restitution.amount_paid = amount
    restitution.stage, restitution.stage_date = stage, date
    restitution.save()
    RestitutionStep.objects.create(
        restitution=restitution, stage=stage, date=date, notes=notes or "", recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="restitution.advance",
        object_type="restitution",
        object_id=restitution.public_id,
        case=case,
        changes={"stage": [old, stage]},
    )
    return restitution
