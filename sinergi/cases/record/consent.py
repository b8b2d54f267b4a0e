"""Consent per purpose, and who may give it for a child."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.services import audit_record
from sinergi.cases.policies import require_case_edit

from .. import rules
from ..choices import (
    PARTNER_RELATIONSHIPS,
    ChildAssent,
    ConsentGiver,
    LawfulBasis,
    PersonRole,
)
from ..models import Consent, PerpetratorRelation
from .persons import _person_create

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
    guardian_partner_of_perpetrator=None,
    child_assent="",
    basis_note="",
    referral=None,
    given_at=None,
):
    """Record consent for one purpose (or the lawful basis used instead).

    Who consents depends on the victim's age on the day consent is given (UU PDP Ps 25), not at the
    incident: a woman of 25 abused at 10 consents for herself. A child's consent is given by a
    parent or guardian who is a person of the case: chosen among them, or recorded as a new person
    of the case (role "wali") from `guardian_name`. Never by an alleged perpetrator, or by the
    spouse or partner of one (derived from a victim's relations; asked for anyone else); and the
    child's own assent is recorded.
    """
    require_case_edit(actor, case)
    given_at = given_at or timezone.now()
    errors = {}
    guardian_name = (guardian_name or "").strip()
    if victim.case_id != case.pk or victim.role != PersonRole.KORBAN:
        errors["victim"] = _("Choose a victim of this case.")
    child = child_on(victim, case, timezone.localdate(given_at))
    if lawful_basis == LawfulBasis.CONSENT:
        if child and given_by != ConsentGiver.WALI:
            errors["given_by"] = _("A child's consent is given by a parent or guardian.")
        if given_by == ConsentGiver.WALI:
            errors.update(
                _guardian_problems(case, victim, guardian, guardian_name, guardian_partner_of_perpetrator)
            )
            if child and child_assent not in ChildAssent.values:
                errors["child_assent"] = _(
                    "Record the child's own view: agrees, does not agree, or too young to ask."
                )
    elif not (basis_note or "").strip():
        errors["basis_note"] = _("Say why consent could not be asked.")
    if purpose == "rujukan" and referral is None:
        errors["referral"] = _("Consent to a referral names the referral.")
    if errors:
        raise ValidationError(errors)
    by_guardian = lawful_basis == LawfulBasis.CONSENT and given_by == ConsentGiver.WALI
    if by_guardian and guardian is None:
        # A guardian not yet in the case is recorded there, so every rule can know them later.
        guardian = _person_create(actor, case, PersonRole.WALI, {"name": guardian_name})
    consent = Consent.objects.create(
        case=case,
        victim=victim,
        purpose=purpose,
        referral=referral,
        lawful_basis=lawful_basis,
        given_by=given_by if lawful_basis == LawfulBasis.CONSENT else "",
        guardian=guardian if by_guardian else None,
        guardian_partner_of_perpetrator=guardian_partner_of_perpetrator if by_guardian else None,
        child_assent=child_assent if by_guardian and child else "",
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
        details={
            "purpose": purpose,
            "lawful_basis": lawful_basis,
            "given_by": consent.given_by,
            "guardian": consent.guardian.public_id if consent.guardian else None,
            "child_assent": consent.child_assent or None,
        },
    )
    return consent


def _guardian_problems(case, victim, guardian, guardian_name, partner_answer):
    """Why this guardian cannot consent for the child, by field ({} when they can)."""
    if guardian is None:
        if not guardian_name:
            return {
                "guardian": _(
                    "Choose the parent or guardian among the persons of the case, or name a new one."
                )
            }
        if partner_answer is None:
            return {
                "guardian_partner_of_perpetrator": _(
                    "Answer whether this person is the spouse or partner of an alleged perpetrator."
                )
            }
        if partner_answer:
            return {"guardian": _partner_message()}
        return {}
    if guardian.case_id != case.pk:
        return {"guardian": _("Choose a person of this case.")}
    if guardian.pk == victim.pk:
        return {"guardian": _("A child does not consent for herself: choose her parent or guardian.")}
    if _is_alleged_perpetrator(case, guardian):
        return {
            "guardian": _(
                "This guardian is an alleged perpetrator in the case and cannot consent for the child."
            )
        }
    if guardian.role == PersonRole.KORBAN:
        partner = PerpetratorRelation.objects.filter(
            case=case, victim=guardian, relationship__in=PARTNER_RELATIONSHIPS
        ).exists()
        return {"guardian": _partner_message()} if partner else {}
    if partner_answer is None:
        return {
            "guardian_partner_of_perpetrator": _(
                "Answer whether this person is the spouse or partner of an alleged perpetrator."
            )
        }
    return {"guardian": _partner_message()} if partner_answer else {}


def _partner_message():
    return _(
        "This guardian is the spouse or partner of an alleged perpetrator and cannot consent for the "
        "child: choose another parent, relative or guardian, or record the lawful basis instead."
    )


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
    if age is None:
        return victim.is_child
    estimated = victim.age_estimated and victim.birth_date is None
    return rules.is_child(age) or rules.possibly_child(age, estimated=estimated)
