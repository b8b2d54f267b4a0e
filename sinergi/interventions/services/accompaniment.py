"""Accompaniment of a victim to the police, the court, a hospital ..."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sinergi.audit.services import audit_record
from sinergi.cases.choices import PersonRole
from sinergi.cases.policies import require_case_edit

from ..choices import (
    AccompanimentDestination,
    AccompanyingOfficer,
)
from ..models import (
    Accompaniment,
)
from ._common import (
    _agency,
    _check_assessment_or_emergency,
    _choice,
    _not_future_date,
    _person_of,
    refusable,
)

# --- accompaniment ---------------------------------------------------------------------------


def same_sex(victim_sex, officer_sex, recorded=None):
    """(same_sex, computed): from both sexes when both are known, otherwise what staff recorded."""
    if victim_sex and officer_sex:
        return victim_sex == officer_sex, True
    return recorded, False


@refusable("accompaniment.record", "accompaniment")
def accompaniment_record(
    *,
    actor,
    case,
    victim,
    destination,
    visited_on,
    officer_type,
    officer=None,
    officer_name="",
    officer_sex="",
    same_sex_recorded=None,
    destination_org=None,
    notes="",
    emergency=False,
):
    """A victim accompanied somewhere, by whom, and whether the companion is of the same sex."""
    require_case_edit(actor, case)
    _person_of(case, victim, PersonRole.KORBAN, "victim")
    destination = _choice(destination, AccompanimentDestination, "destination")
    officer_type = _choice(officer_type, AccompanyingOfficer, "officer_type")
    _not_future_date(visited_on, "visited_on")
    officer_name = (officer_name or "").strip()
    if officer is not None and (officer.organisation_id != case.unit_id or not officer.is_active):
        raise ValidationError({"officer": _("Choose an active staff member of the case's unit.")})
    if officer is None and not officer_name:
        raise ValidationError({"officer_name": _("Choose the staff member or type the companion's name.")})
    if officer is not None and officer_name:
        raise ValidationError({"officer_name": _("Choose a staff member or type a name, not both.")})
    if officer_sex and officer_sex not in ("perempuan", "laki_laki"):
        raise ValidationError({"officer_sex": _("Choose a value from the list.")})
    destination_org = _agency(destination_org, "destination_org")
    _check_assessment_or_emergency(case, victim=victim, emergency=emergency, needs_assessment=True)
    flag, computed = same_sex(victim.sex, officer_sex, same_sex_recorded)
    visit = Accompaniment.objects.create(
        case=case,
        victim=victim,
        destination=destination,
        destination_org=destination_org,
        visited_on=visited_on,
        officer_type=officer_type,
        officer=officer,
        officer_name=officer_name,
        officer_sex=officer_sex or "",
        same_sex=flag,
        same_sex_computed=computed,
        emergency=bool(emergency),
        notes=notes or "",
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="accompaniment.record",
        object_type="accompaniment",
        object_id=visit.public_id,
        case=case,
        details={
            "victim": victim.public_id,
            "destination": destination,
            "officer_type": officer_type,
            "same_sex": flag,
        },
    )
    return visit
