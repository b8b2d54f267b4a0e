"""Classifying a case: violence types, TPKS, PKDRT, TPPO, GBVIMS, AMPK."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.audit.services import audit_record
from sinergi.cases.policies import require_case_edit

from .. import rules
from ..choices import (
    GbvimsType,
    PersonRole,
    PkdrtType,
    TpksOffence,
    TppoMeans,
    TppoProcess,
    TppoPurpose,
)
from ..clocks import clocks_on_classify
from ..models import Case
from ..selectors import case_tpks_grounds
from ._common import _codes, _lock_current

# --- classification --------------------------------------------------------------------------


@transaction.atomic
def case_classify(
    *,
    actor,
    case,
    version,
    gbvims_answers=None,
    tpks_offences=(),
    pkdrt_types=(),
    tppo_processes=(),
    tppo_means=(),
    tppo_purposes=(),
    tppo_notes="",
):
    """Record the legal qualification and the GBVIMS answers; the GBVIMS type is derived."""
    require_case_edit(actor, case)
    errors = {}
    data = {
        "tpks_offences": _codes(tpks_offences, TpksOffence, "tpks_offences", errors),
        "pkdrt_types": _codes(pkdrt_types, PkdrtType, "pkdrt_types", errors),
        "tppo_processes": _codes(tppo_processes, TppoProcess, "tppo_processes", errors),
        "tppo_means": _codes(tppo_means, TppoMeans, "tppo_means", errors),
        "tppo_purposes": _codes(tppo_purposes, TppoPurpose, "tppo_purposes", errors),
    }
    answers = {k: v for k, v in (gbvims_answers or {}).items() if v is not None}
    known = {key for key, _text, _type in rules.GBVIMS_QUESTIONS}
    if set(answers) - known:
        errors["gbvims_answers"] = _("Unknown GBVIMS question.")
    if errors:
        raise ValidationError(errors)
    case = _lock_current(Case, case, version)
    for field, value in data.items():
        setattr(case, field, value)
    case.tppo_notes = tppo_notes or ""
    case.gbvims_answers = answers
    determined = rules.gbvims_next_question(answers) is None
    case.gbvims_type = rules.gbvims_type(answers) if determined and answers else ""
    case.version += 1
    case.save()
    audit_record(
        actor=actor,
        action="case.classify",
        object_type="case",
        object_id=case.public_id,
        case=case,
        details={"tpks": len(data["tpks_offences"]), "gbvims_type": case.gbvims_type or None},
    )
    clocks_on_classify(case=case, actor=actor)
    return case


def case_flags(case, persons=None):
    """Flags shown on the case: child victim, TPKS (and whether mediation is allowed), TPPO, risk."""
    persons = list(persons if persons is not None else case.persons.all())
    victims = [p for p in persons if p.role == PersonRole.KORBAN]
    perpetrators = [p for p in persons if p.role == PersonRole.PELAKU]
    child_victim = any(p.is_child for p in victims)
    grounds = case_tpks_grounds(case, victims)
    tpks = bool(grounds)
    perpetrator_is_child = any(p.is_child for p in perpetrators)
    mediation_allowed, as_diversion = rules.mediation_allowed(
        tpks_case=tpks, perpetrator_is_child=perpetrator_is_child
    )
    return {
        "child_victim": child_victim,
        "tpks_case": tpks,
        "tpks_grounds": grounds,
        "mediation_allowed": mediation_allowed,
        "mediation_as_diversion": as_diversion,
        "tppo_indicated": rules.tppo_indicated(
            case.tppo_processes, case.tppo_means, case.tppo_purposes, child_victim=child_victim
        ),
        "high_risk": case.risk == "tinggi",
        "ampk_missing": any(p.is_child and not p.ampk_categories for p in victims),
    }


def gbvims_type_label(code):
    return GbvimsType(code).label if code in GbvimsType.values else ""
