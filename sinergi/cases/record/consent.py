"""Consent per purpose, and who may give it for a child."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.services import audit_record
from sinergi.cases.policies import require_case_edit

from .. import rules
from ..choices import (
    ConsentGiver,
    LawfulBasis,
    PersonRole,
)
from ..models import Consent

# --- consent ---------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor,
    case,
    victim,
    purpose,
    lawful_basis=LawfulBasis.CONSENT,
    given_by=ConsentGiver.KORBAN,
    guardian=None,
    guardian_name="",
    basis_note="",
    referral=None,
    given_at=None,
):
    """Record consent for one purpose (or the lawful basis used instead).

    Who consents depends on the victim's age on the day consent is given (UU PDP Ps 25), not at the
    incident: a woman of 25 abused at 10 consents for herself. A child's consent is given by a
    guardian, never by a guardian who is an alleged perpetrator in the case (UU TPKS Ps 27).
    """
    require_case_edit(actor, case)
    given_at = given_at or timezone.now()
    errors = {}
    if victim.case_id != case.pk or victim.role != PersonRole.KORBAN:
        errors["victim"] = _("Choose a victim of this case.")
    if lawful_basis == LawfulBasis.CONSENT:
        if child_on(victim, case, timezone.localdate(given_at)) and given_by != ConsentGiver.WALI:
            errors["given_by"] = _("A child's consent is given by a parent or guardian.")
        if given_by == ConsentGiver.WALI:
            if guardian is None and not (guardian_name or "").strip():
                errors["guardian"] = _("Name the guardian who gives consent.")
            if guardian is not None and guardian.case_id != case.pk:
                errors["guardian"] = _("Choose a person of this case.")
            elif guardian is not None and _is_alleged_perpetrator(case, guardian):
                errors["guardian"] = _(
                    "This guardian is an alleged perpetrator in the case and cannot consent for the child."
                )
    elif not (basis_note or "").strip():
        errors["basis_note"] = _("Say why consent could not be asked.")
    if purpose == "rujukan" and referral is None:
        errors["referral"] = _("Consent to a referral names the referral.")
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        case=case,
        victim=victim,
        purpose=purpose,
        referral=referral,
        lawful_basis=lawful_basis,
        given_by=given_by if lawful_basis == LawfulBasis.CONSENT else "",
        guardian=guardian,
        guardian_name=guardian_name,
        basis_note=basis_note,
        given_at=given_at,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="consent.record",
        object_type="person",
        object_id=victim.public_id,
        case=case,
        details={"purpose": purpose, "lawful_basis": lawful_basis, "given_by": consent.given_by},
    )
    return consent


def _is_alleged_perpetrator(case, person):
    """The person is a perpetrator in the case, or linked as the same human being to one."""
    if person.role == PersonRole.PELAKU:
        return True
    perpetrators = case.persons.filter(role=PersonRole.PELAKU).values_list("person_key", flat=True)
    return person.person_key in set(perpetrators)


def child_on(victim, case, day):
    """Whether the victim is a child on `day`; with no age known, the child status at the incident."""
    told_on = timezone.localdate(case.reported_at) if case.reported_at else None
    age = rules.age_now(birth_date=victim.birth_date, age_years=victim.age_years, told_on=told_on, today=day)
    return victim.is_child if age is None else rules.is_child(age)
