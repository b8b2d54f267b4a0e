"""Classifying a case: violence types, TPKS, PKDRT, TPPO, GBVIMS, AMPK."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.services import audit_record
from sinergi.cases.policies import require_case_edit

from .. import rules
from ..choices import (
    GbvimsContext,
    GbvimsType,
    PersonRole,
    PkdrtType,
    TpksOffence,
    TppoCategory,
    TppoMeans,
    TppoProcess,
    TppoPurpose,
)
from ..clocks import clocks_on_classify
from ..models import CasePerson
from ..selectors import case_tpks_victims, grounds_of, victim_relationships
from ._common import _codes, _lock_current

# --- classification --------------------------------------------------------------------------


@transaction.atomic
def victim_classify(
    *,
    actor,
    case,
    victim,
    version,
    gbvims_answers=None,
    tpks_offences=(),
    pkdrt_types=(),
    tppo_processes=(),
    tppo_means=(),
    tppo_purposes=(),
    tppo_category="",
    reported_to_police_on=None,
):
    """Record one victim's incident: legal qualification and GBVIMS answers (the GBVIMS type is
    derived). Saving it is the officer's check, so a copied classification is no longer "to review"."""
    require_case_edit(actor, case)
    if victim.case_id != case.pk or victim.role != PersonRole.KORBAN:
        raise ValidationError(_("Choose a victim of this case."))
    errors = {}
    data = {
        "tpks_offences": _codes(tpks_offences, TpksOffence, "tpks_offences", errors),
        "pkdrt_types": _codes(pkdrt_types, PkdrtType, "pkdrt_types", errors),
        "tppo_processes": _codes(tppo_processes, TppoProcess, "tppo_processes", errors),
        "tppo_means": _codes(tppo_means, TppoMeans, "tppo_means", errors),
        "tppo_purposes": _codes(tppo_purposes, TppoPurpose, "tppo_purposes", errors),
    }
    if tppo_category and tppo_category not in TppoCategory.values:
        errors["tppo_category"] = _("Choose a trafficking category from the list.")
    answers = rules.gbvims_normalise(gbvims_answers or {})
    if set(answers) - set(rules.GBVIMS_ALL_KEYS):
        errors["gbvims_answers"] = _("Unknown GBVIMS question.")
    today = timezone.localdate()
    if reported_to_police_on is not None and reported_to_police_on > today:
        errors["reported_to_police_on"] = _("This date is in the future.")
    if errors:
        raise ValidationError(errors)
    victim = _lock_current(CasePerson, victim, version)
    for field, value in data.items():
        setattr(victim, field, value)
    victim.tppo_category = tppo_category or ""
    # A type recorded before the gate was asked stays while its answers are saved unchanged.
    if not rules.gbvims_gate_missing(answers, victim.gbvims_type) or answers != victim.gbvims_answers:
        determined = rules.gbvims_next_question(answers) is None
        victim.gbvims_type = rules.gbvims_type(answers) if determined and answers else ""
    victim.gbvims_answers = answers
    victim.reported_to_police_on = reported_to_police_on
    reviewed = victim.classification_to_review
    victim.classification_to_review = False
    victim.version += 1
    victim.save()
    audit_record(
        actor=actor,
        action="case.classify",
        object_type="person",
        object_id=victim.public_id,
        case=case,
        details={
            "tpks": len(data["tpks_offences"]),
            "gbvims_type": victim.gbvims_type or None,
            "gbvims_context": [
                str(c) for c in rules.incident_gbvims_context(victim, victim_relationships(victim))
            ],
            "reviewed": reviewed,
            "reported_to_police": reported_to_police_on is not None,
        },
    )
    clocks_on_classify(case=case, actor=actor)
    return victim


def case_flags(case, persons=None, answered=None):
    """Flags shown on the case: child victim, TPKS (and whether mediation is allowed), TPPO, risk."""
    persons = list(persons if persons is not None else case.persons.all())
    victims = [p for p in persons if p.role == PersonRole.KORBAN]
    perpetrators = [p for p in persons if p.role == PersonRole.PELAKU]
    child_victim = any(p.is_child for p in victims)
    tpks_victims = case_tpks_victims(case, victims, answered)
    grounds = grounds_of(tpks_victims)
    tpks = bool(tpks_victims)
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
        "tpks_victims": [v.pk for v, _g in tpks_victims],
        "tppo_indicated": any(rules.incident_tppo_indicated(v) for v in victims),
        "to_review": any(v.classification_to_review for v in victims),
        "high_risk": case.risk == "tinggi",
        "ampk_missing": any(p.is_child and not p.ampk_categories for p in victims),
    }


def gbvims_type_label(code):
    return GbvimsType(code).label if code in GbvimsType.values else ""


def gbvims_of(victim, relationships):
    """The derived GBVIMS context of a victim's incident (labels), and whether the type was
    recorded before the gender-based gate was asked."""
    labels = dict(GbvimsContext.choices)
    return {
        "gbvims_context": [labels[c] for c in rules.incident_gbvims_context(victim, relationships)],
        "gate_missing": rules.gbvims_gate_missing(victim.gbvims_answers, victim.gbvims_type),
    }
