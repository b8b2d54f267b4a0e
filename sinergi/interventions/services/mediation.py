"""Mediation: never in a TPKS case; sessions, conclusion and the follow-up of what was agreed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.audit.services import audit_record
from sinergi.cases import rules
from sinergi.cases.choices import PersonRole
from sinergi.cases.policies import require_case_edit
from sinergi.cases.selectors import case_is_tpks

from ..choices import (
    Compliance,
    MediationKind,
    MediationMatter,
    MediationStatus,
)
from ..models import (
    Mediation,
    MediationFollowUp,
    MediationSession,
)
from ._common import Refusal, _choice, _not_future_date, completed_assessment, refusable

# --- mediation -------------------------------------------------------------------------------


def mediation_decision(case, perpetrator=None):
    """(allowed, as_diversion) for a case, the named perpetrator deciding when one is given.

    UU TPKS Ps 23: no settlement out of court in a TPKS case, except with a child perpetrator
    (then only *diversi*, UU 11/2012 SPPA). A perpetrator of unknown age is not a child.
    """
    tpks = case_is_tpks(case)
    if perpetrator is not None:
        child = perpetrator.is_child is True
    else:
        child = case.persons.filter(role=PersonRole.PELAKU, is_child=True).exists()
    return rules.mediation_allowed(tpks_case=tpks, perpetrator_is_child=child)


def _refuse_tpks(case, perpetrator=None):
    allowed, as_diversion = mediation_decision(case, perpetrator)
    if not allowed:
        raise Refusal(
            _(
                "Mediation is not allowed: this is a sexual violence (TPKS) case and the perpetrator "
                "is not a child (UU 12/2022 TPKS Ps 23). The case goes through the criminal process."
            ),
            reason="tpks_case",
            case=case,
        )
    if as_diversion and _age_to_confirm(case, perpetrator):
        raise Refusal(
            _(
                "Confirm the perpetrator's age first: it is estimated close to 18, and only a child "
                "may be offered diversion (UU 11/2012 SPPA). Record the date of birth or the "
                "confirmed age on the person."
            ),
            reason="age_to_confirm",
            case=case,
        )
    return as_diversion


def _age_to_confirm(case, perpetrator):
    """The diversion's child perpetrator has an estimated age of 17–19 (rules.possibly_child)."""
    if perpetrator is not None:
        return perpetrator.possibly_child
    return case.persons.filter(role=PersonRole.PELAKU, is_child=True, possibly_child=True).exists()


def _sppa_test(case, penalty_under_7, repeat_offence):
    """UU 11/2012 SPPA Ps 7(2): diversion only for an offence threatened with imprisonment under 7
    years and not a repeat offence. Both answers are the officer's (from the police's charge):
    unanswered is a form error, a failed test a refusal (audited)."""
    missing = {
        field: _("Answer this before diversion can be chosen (UU SPPA Ps 7(2)).")
        for field, answer in (
            ("sppa_penalty_under_7", penalty_under_7),
            ("sppa_repeat_offence", repeat_offence),
        )
        if answer is None
    }
    if missing:
        raise ValidationError(missing)
    if not penalty_under_7:
        raise Refusal(
            _(
                "Diversion is not possible: the offence is threatened with 7 years or more "
                "(UU SPPA Ps 7(2)(a)). The child's case goes to the juvenile court."
            ),
            field="sppa_penalty_under_7",
            reason="sppa_penalty",
            case=case,
        )
    if repeat_offence:
        raise Refusal(
            _(
                "Diversion is not possible for a repeat offence (UU SPPA Ps 7(2)(b)). "
                "The child's case goes to the juvenile court."
            ),
            field="sppa_repeat_offence",
            reason="sppa_repeat",
            case=case,
        )


@refusable("mediation.start", "mediation")
def mediation_start(
    *,
    actor,
    case,
    matter,
    parties,
    other_parties="",
    notes="",
    sppa_penalty_under_7=None,
    sppa_repeat_offence=None,
):
    """Open a mediation (or, in a TPKS case with a child perpetrator, a *diversi*).

    Refused in a TPKS case unless a perpetrator among the parties (or, when none is named, in the
    case) is a child; a diversi also needs the UU SPPA Ps 7(2) test passed (threatened penalty under
    7 years, not a repeat offence). Needs a completed assessment (DOMAIN.md §7).
    """
    require_case_edit(actor, case)
    parties = list(parties or [])
    if any(p.case_id != case.pk for p in parties):
        raise ValidationError({"parties": _("Choose persons of this case.")})
    if not parties:
        raise ValidationError({"parties": _("Choose the parties of the mediation.")})
    perpetrators = [p for p in parties if p.role == PersonRole.PELAKU]
    if case_is_tpks(case) and perpetrators:
        # Every perpetrator at the table must be a child for a diversi.
        as_diversion = all(_refuse_tpks(case, p) for p in perpetrators)
    else:
        as_diversion = _refuse_tpks(case)
        if as_diversion:
            raise ValidationError(
                {"parties": _("Choose the child perpetrator among the parties of the diversion.")}
            )
    matter = _choice(matter, MediationMatter, "matter")
    if as_diversion:
        matter = MediationMatter.DIVERSI
        _sppa_test(case, sppa_penalty_under_7, sppa_repeat_offence)
    elif matter == MediationMatter.DIVERSI:
        raise ValidationError({"matter": _("Diversion is only for a child perpetrator in a TPKS case.")})
    assessment = completed_assessment(case)
    if assessment is None:
        raise Refusal(
            _("Mediation needs a completed assessment first."),
            reason="no_assessment",
            case=case,
        )
    mediation = Mediation.objects.create(
        case=case,
        kind=MediationKind.DIVERSI if as_diversion else MediationKind.MEDIASI,
        matter=matter,
        other_parties=other_parties or "",
        notes=notes or "",
        assessment_ref=assessment.public_id,
        sppa_penalty_under_7=sppa_penalty_under_7 if as_diversion else None,
        sppa_repeat_offence=sppa_repeat_offence if as_diversion else None,
        recorded_by=actor,
    )
    mediation.parties.set(parties)
    audit_record(
        actor=actor,
        action="mediation.start",
        object_type="mediation",
        object_id=mediation.public_id,
        case=case,
        details={"kind": mediation.kind, "matter": matter, "parties": len(parties)},
    )
    return mediation


def _open_mediation(mediation):
    if mediation.status != MediationStatus.BERJALAN:
        raise ValidationError(_("This mediation has ended."))


@refusable("mediation.session", "mediation")
def mediation_session_add(*, actor, mediation, held_on, mediator, notes=""):
    """A mediation session; refused when the case has become a TPKS case meanwhile."""
    case = mediation.case
    require_case_edit(actor, case)
    _open_mediation(mediation)
    if mediation.kind == MediationKind.MEDIASI:
        _refuse_tpks(case, next(iter(mediation.parties.filter(role=PersonRole.PELAKU)), None))
    _not_future_date(held_on, "held_on")
    mediator = (mediator or "").strip()
    if not mediator:
        raise ValidationError({"mediator": _("Name the mediator.")})
    session = MediationSession.objects.create(
        mediation=mediation, held_on=held_on, mediator=mediator, notes=notes or "", recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="mediation.session",
        object_type="mediation",
        object_id=mediation.public_id,
        case=case,
        details={"session": session.pk},
    )
    return session


@refusable("mediation.conclude", "mediation")
def mediation_conclude(*, actor, mediation, status, agreement_signed=False, agreement_date=None, terms=""):
    """End a mediation: agreement (needs the agreement signed by the parties), no agreement, stopped."""
    case = mediation.case
    require_case_edit(actor, case)
    _open_mediation(mediation)
    status = _choice(status, MediationStatus, "status")
    if status == MediationStatus.BERJALAN:
        raise ValidationError({"status": _("Choose how the mediation ended.")})
    if status == MediationStatus.SEPAKAT:
        if mediation.kind == MediationKind.MEDIASI:
            _refuse_tpks(case)
        if not agreement_signed:
            raise Refusal(
                _("An agreement counts only when the parties have signed it."),
                field="agreement_signed",
                reason="agreement_not_signed",
                case=case,
                object_id=mediation.public_id,
            )
        _not_future_date(agreement_date, "agreement_date")
        if not (terms or "").strip():
            raise ValidationError({"terms": _("Write down what the parties agreed.")})
    mediation.status = status
    mediation.agreement_signed = bool(agreement_signed) and status == MediationStatus.SEPAKAT
    mediation.agreement_date = agreement_date if status == MediationStatus.SEPAKAT else None
    mediation.agreement_terms = terms or ""
    mediation.save()
    audit_record(
        actor=actor,
        action="mediation.conclude",
        object_type="mediation",
        object_id=mediation.public_id,
        case=case,
        changes={"status": [MediationStatus.BERJALAN, status]},
    )
    return mediation


@transaction.atomic
def mediation_follow_up(*, actor, mediation, checked_on, compliance, notes=""):
    """Follow-up of an agreement: is it kept?"""
    case = mediation.case
    require_case_edit(actor, case)
    if mediation.status != MediationStatus.SEPAKAT:
        raise ValidationError(_("Only an agreement is followed up."))
    compliance = _choice(compliance, Compliance, "compliance")
    _not_future_date(checked_on, "checked_on")
    if mediation.agreement_date and checked_on < mediation.agreement_date:
        raise ValidationError({"checked_on": _("The follow-up cannot be before the agreement.")})
    follow_up = MediationFollowUp.objects.create(
        mediation=mediation,
        checked_on=checked_on,
        compliance=compliance,
        notes=notes or "",
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="mediation.follow_up",
        object_type="mediation",
        object_id=mediation.public_id,
        case=case,
        details={"compliance": compliance},
    )
    return follow_up
