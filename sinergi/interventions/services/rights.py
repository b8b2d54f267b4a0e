"""Rights explained to victims, and the monitoring of their rights at each legal stage.

Perpres 55/2024 asks the unit to inform the victim of her rights (UU 12/2022 TPKS Ps 70) and to
watch that the law enforcers respect them. Both are case records: the case's edit rule applies.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.services import audit_record
from sinergi.cases.choices import PersonRole
from sinergi.cases.policies import require_case_edit

from ..choices import COURT_RIGHTS, ExplanationMethod, RightsItem
from ..models import CourtMonitoring, RightsExplanation
from ._common import Refusal, _choice, _codes, _not_future_date, _person_of, refusable


@refusable("rights.record", "rights_explanation")
def rights_explanation_record(
    *, actor, case, victim, rights, explained_on, method, explained_by=None, note=""
):
    """Rights explained to a victim: which, on which day, by which staff member (the actor by
    default) and how. A staff member of another unit, or a disabled account, is refused."""
    require_case_edit(actor, case)
    _person_of(case, victim, PersonRole.KORBAN, "victim")
    rights = _codes(rights, RightsItem, "rights")
    if not rights:
        raise ValidationError({"rights": _("Tick at least one right that was explained.")})
    _not_future_date(explained_on, "explained_on")
    method = _choice(method, ExplanationMethod, "method")
    explained_by = explained_by or actor
    if not explained_by.is_active or explained_by.organisation_id != case.unit_id:
        raise Refusal(
            _("Choose a staff member of the case's unit."),
            field="explained_by",
            reason="explainer_not_unit_staff",
            case=case,
            object_id=victim.public_id,
        )
    record = RightsExplanation.objects.create(
        case=case,
        victim=victim,
        rights=rights,
        explained_on=explained_on,
        explained_by=explained_by,
        method=method,
        note=note or "",
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="rights.record",
        object_type="rights_explanation",
        object_id=record.public_id,
        case=case,
        details={"victim": victim.public_id, "rights": rights, "method": method},
    )
    return record


def _tristate(value, field):
    if value not in (True, False, None):
        raise ValidationError({field: _("Answer yes, no or not known.")})
    return value


def _has_possible_child_victim(case):
    """A victim known to be a child, or whose age is not known."""
    return case.persons.filter(role=PersonRole.KORBAN).exclude(is_child=False).exists()


@refusable("court_monitoring.record", "court_monitoring")
def court_monitoring_record(
    *,
    actor,
    case,
    stage,
    accompanied=None,
    not_confronted=None,
    closed_hearing_child=None,
    restitution_asked=None,
    problems="",
    raise_at_rakor=False,
):
    """Whether the victim's rights were respected at one stage of the legal process.

    One monitoring per stage: recording again replaces the answers, and reopens a resolved
    concern when it is raised again (a new look at the stage is a new concern). A closed hearing
    is a child victim's right (UU 11/2012 SPPA; UU TPKS Ps 58): an answer is refused when every
    victim of the case is known to be an adult. Raising nothing at the rakor is refused: tick a
    right that was not respected or write the problem.
    """
    require_case_edit(actor, case)
    if stage is None or stage.case_id != case.pk:
        raise Refusal(
            _("Choose a stage of the legal process of this case."),
            field="stage",
            reason="stage_other_case",
            case=case,
            object_id=getattr(stage, "public_id", ""),
        )
    answers = {
        "accompanied": _tristate(accompanied, "accompanied"),
        "not_confronted": _tristate(not_confronted, "not_confronted"),
        "closed_hearing_child": _tristate(closed_hearing_child, "closed_hearing_child"),
        "restitution_asked": _tristate(restitution_asked, "restitution_asked"),
    }
    problems = (problems or "").strip()
    if answers["closed_hearing_child"] is not None and not _has_possible_child_victim(case):
        raise Refusal(
            _("A closed hearing is recorded for a child victim only; every victim of this case is an adult."),
            field="closed_hearing_child",
            reason="closed_hearing_adult",
            case=case,
            object_id=stage.public_id,
        )
    if raise_at_rakor and not problems and False not in answers.values():
        raise ValidationError(
            {"raise_at_rakor": _("To raise a concern, answer No to a right or describe the problem.")}
        )
    monitoring = CourtMonitoring.objects.select_for_update().filter(stage=stage).first()
    before = None
    if monitoring is None:
        monitoring = CourtMonitoring(stage=stage, recorded_by=actor)
    else:
        before = {k: getattr(monitoring, k) for k in (*COURT_RIGHTS, "raise_at_rakor")}
    for key, value in answers.items():
        setattr(monitoring, key, value)
    monitoring.problems = problems
    monitoring.raise_at_rakor = bool(raise_at_rakor)
    monitoring.concern_resolved_at = None
    monitoring.concern_resolved_by = None
    monitoring.save()
    after = {**answers, "raise_at_rakor": monitoring.raise_at_rakor}
    audit_record(
        actor=actor,
        action="court_monitoring.record",
        object_type="court_monitoring",
        object_id=monitoring.public_id,
        case=case,
        details={"stage": stage.public_id, **({} if before else {"answers": after})},
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v} if before else None,
    )
    return monitoring


@refusable("court_concern.resolve", "court_monitoring")
def court_concern_resolve(*, actor, case, monitoring):
    """The concern raised about a stage has been dealt with (at or after the rakor)."""
    require_case_edit(actor, case)
    monitoring = CourtMonitoring.objects.select_for_update().select_related("stage").get(pk=monitoring.pk)
    if monitoring.stage.case_id != case.pk:
        raise Refusal(
            _("This monitoring belongs to another case."),
            reason="stage_other_case",
            case=case,
            object_id=monitoring.public_id,
        )
    if not monitoring.is_open_concern:
        raise Refusal(
            _("There is no open concern to resolve for this stage."),
            reason="no_open_concern",
            case=case,
            object_id=monitoring.public_id,
        )
    monitoring.concern_resolved_at = timezone.now()
    monitoring.concern_resolved_by = actor
    monitoring.save(update_fields=["concern_resolved_at", "concern_resolved_by"])
    audit_record(
        actor=actor,
        action="court_concern.resolve",
        object_type="court_monitoring",
        object_id=monitoring.public_id,
        case=case,
        details={"stage": monitoring.stage.public_id},
    )
    return monitoring
