"""Persons on a case: victims, perpetrators, the reporter; adding, editing, linking, matching."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.audit.services import audit_record
from sinergi.cases.policies import require_case_edit
from sinergi.core.crypto import blind_index, name_tokens, normalise_phone
from sinergi.regions.choices import RegionLevel
from sinergi.regions.models import Region

from .. import rules
from ..choices import (
    CHILD_AGE_GROUPS_TOLD,
    AgeBand,
    AgeGroupTold,
    AmpkCategory,
    Disability,
    DisabilityStatus,
    Nationality,
    PersonRole,
    Relationship,
    ViolenceType,
)
from ..clocks import clocks_on_classify
from ..models import CasePerson, PerpetratorRelation, PersonNameToken
from ..nik import nik_errors, nik_warnings, normalise_nik
from ..policies import can_view_case
from ..selectors import cases_visible_to
from ._common import PERSON_FIELDS, _codes, _lock_current

# --- persons ---------------------------------------------------------------------------------


def person_date_problems(data):
    """{field: message} for a person's dates, whoever enters them."""
    if data.get("birth_date") and data["birth_date"] > timezone.localdate():
        return {"birth_date": _("The date of birth cannot be in the future.")}
    return {}


def _nik_lookups():
    """The region reference data the NIK warnings are checked against (sinergi.cases.nik)."""

    def regency_exists(code):
        return Region.objects.filter(code=code, level=RegionLevel.KAB_KOTA).exists()

    def kecamatan_codes(regency):
        return set(Region.objects.filter(parent_id=regency).values_list("code", flat=True))

    return {"regency_exists": regency_exists, "kecamatan_codes": kecamatan_codes}


def _check_nik(data, errors, confirmed):
    """Errors for a malformed NIK; warnings the officer must confirm unless `confirmed` covers them.

    Sets `data["nik_warnings_confirmed"]` to the NIK's warning codes and returns the codes confirmed
    now (to audit), empty when nothing new was confirmed.
    """
    nik = normalise_nik(data.get("nik") or "")
    data["nik"] = nik
    tapped = bool(data.pop("nik_confirmed", False))
    problems = nik_errors(nik) if nik else []
    if problems:
        errors["nik"] = " ".join(str(p) for p in problems)
    warnings = {}
    if nik and not problems:
        warnings = nik_warnings(
            nik, **_nik_lookups(), birth_date=data.get("birth_date"), sex=data.get("sex") or None
        )
    data["nik_warnings_confirmed"] = sorted(warnings)
    if set(warnings) <= set(confirmed):
        return []
    if not tapped:
        errors["nik_confirmed"] = list(warnings.values())
        return []
    return sorted(warnings)


def _clean_person(role, data, confirmed=()):
    """The person's fields cleaned, plus `nik_warnings_confirmed`; and the NIK warnings confirmed
    now. `confirmed` are the warning codes already confirmed for this NIK."""
    data = dict(data)
    unknown = set(data) - set(PERSON_FIELDS) - {"nik_confirmed"}
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    errors = {}
    newly_confirmed = _check_nik(data, errors, confirmed)
    errors.update(person_date_problems(data))
    age = data.get("age_years")
    if age is not None and not 0 <= age <= 120:
        errors["age_years"] = _("Enter an age between 0 and 120.")
    for field, choices in (
        ("disabilities", Disability),
        ("violence_types", ViolenceType),
        ("ampk_categories", AmpkCategory),
    ):
        _codes(data.get(field), choices, field, errors)
    for field, choices in (
        ("nationality", Nationality),
        ("has_disability", DisabilityStatus),
        ("age_group_told", AgeGroupTold),
    ):
        if data.get(field) and data[field] not in choices.values:
            errors[field] = _("Unknown code: %(codes)s") % {"codes": data[field]}
    if data.get("disabilities"):
        # Types recorded answer the question; "no" beside them is a contradiction.
        if data.get("has_disability") == DisabilityStatus.TIDAK:
            errors["has_disability"] = _("Disability types are recorded: the answer is yes.")
        data["has_disability"] = DisabilityStatus.YA
    if role != PersonRole.KORBAN and (data.get("violence_types") or data.get("ampk_categories")):
        errors["violence_types"] = _("Violence types and AMPK categories belong to victims.")
    if role == PersonRole.KORBAN and data.get("is_unknown"):
        errors["is_unknown"] = _("A victim cannot be unknown; leave fields empty instead.")
    if errors:
        raise ValidationError(errors)
    return data, newly_confirmed


def _audit_nik_confirmed(actor, person, codes):
    """The officer checked the NIK against the card: the warning codes, never the NIK."""
    if codes:
        audit_record(
            actor=actor,
            action="person.nik_confirm",
            object_type="person",
            object_id=person.public_id,
            case=person.case,
            details={"warnings": codes},
        )


#: What _derive sets from the person's ages and the case's dates.
DERIVED_AGE_FIELDS = [
    "age_at_incident",
    "is_child",
    "age_band",
    "birth_year",
    "possibly_child",
    "adult_on",
    "adult_reviewed_at",
    "adult_reviewed_by",
]


def _derive(person, case):
    """Blind indexes and age facts computed from the person and the case's incident date."""
    codes = sorted(set(person.violence_types or []))
    person.violence_codes = f"|{'|'.join(codes)}|" if codes else ""
    person.nik_index = blind_index(person.nik, purpose="nik") if person.nik else ""
    phone = normalise_phone(person.phone) if person.phone else ""
    person.phone_index = blind_index(phone, purpose="phone") if phone else ""
    report_day = timezone.localdate(case.reported_at) if case.reported_at else timezone.localdate()
    on = case.incident_date or report_day
    if person.birth_date:
        person.age_at_incident = rules.age_at_incident(person.birth_date, on)
        person.birth_year = person.birth_date.year
    elif person.age_years is not None:
        # An age is taken as the age at the report; shift it to the incident date.
        years_between = max(0, (report_day - on).days // 365)
        person.age_at_incident = max(0, person.age_years - years_between)
        person.birth_year = report_day.year - person.age_years
    else:
        person.age_at_incident = None
        person.birth_year = None
    person.is_child = rules.is_child(person.age_at_incident)
    band = rules.age_band(person.age_at_incident)
    person.age_band = str(band) if band else ""
    if person.age_at_incident is None and person.age_group_told:
        # Only the report's age group is known: it decides child status and, for children and
        # older people, the statistics band (the groups 0-5, 6-12, 13-17 and 60+ are bands).
        person.is_child = person.age_group_told in CHILD_AGE_GROUPS_TOLD
        person.age_band = person.age_group_told if person.age_group_told in AgeBand.values else ""
    # A birth date is a confirmed age: only an age in years can be an estimate.
    estimated = person.age_estimated and person.birth_date is None
    person.possibly_child = rules.possibly_child(person.age_at_incident, estimated=estimated)
    if person.possibly_child and person.role != PersonRole.PELAKU:
        # Protective reading for victims and others (DOMAIN.md §4); a perpetrator's child status
        # stays with the number, and diversion waits for a confirmed age (interventions).
        person.is_child = True
    adult_on = rules.adult_on(birth_date=person.birth_date, age_years=person.age_years, told_on=report_day)
    if adult_on != person.adult_on:
        person.adult_on = adult_on
        person.adult_reviewed_at, person.adult_reviewed_by = None, None


def _save_tokens(person):
    PersonNameToken.objects.filter(person=person).delete()
    tokens = {blind_index(t, purpose="name") for t in name_tokens(person.name)}
    PersonNameToken.objects.bulk_create([PersonNameToken(person=person, token=t) for t in tokens])


def relation_problems(role, relationships):
    """{field: message} for the relationships a perpetrator has to the case's victims."""
    if not relationships:
        return {}
    if role != PersonRole.PELAKU:
        return {"relationships": _("The relationship to the victim is recorded on the perpetrator.")}
    bad = [code for code in relationships.values() if code and code not in Relationship.values]
    if bad:
        return {"relationships": _("Unknown code: %(codes)s") % {"codes": ", ".join(bad)}}
    return {}


def relations_set(case, perpetrator, relationships):
    """Store the perpetrator's relationship to each victim given ({victim: code}; an empty code
    removes it). Returns whether anything changed."""
    changed = False
    for victim, code in (relationships or {}).items():
        if victim.case_id != case.pk or victim.role != PersonRole.KORBAN:
            raise ValidationError({"relationships": _("Choose a victim of this case.")})
        current = PerpetratorRelation.objects.filter(perpetrator=perpetrator, victim=victim).first()
        if not code:
            if current is not None:
                current.delete()
                changed = True
        elif current is None:
            PerpetratorRelation.objects.create(
                case=case, perpetrator=perpetrator, victim=victim, relationship=code
            )
            changed = True
        elif current.relationship != code:
            current.relationship = code
            current.save(update_fields=["relationship"])
            changed = True
    return changed


def _person_create(actor, case, role, data, relationships=None):
    problems = relation_problems(role, relationships)
    if problems:
        raise ValidationError(problems)
    data, newly_confirmed = _clean_person(role, data)
    person = CasePerson(case=case, role=role, **data)
    _derive(person, case)
    person.save()
    _save_tokens(person)
    relations_set(case, person, relationships)
    _audit_nik_confirmed(actor, person, newly_confirmed)
    return person


@transaction.atomic
def person_add(*, actor, case, role, relationships=None, **data):
    """Add a person; a perpetrator's `relationships` map victims of the case to a relationship code."""
    require_case_edit(actor, case)
    if role == PersonRole.PELAPOR and case.persons.filter(role=PersonRole.PELAPOR).exists():
        raise ValidationError({"role": _("A case has at most one reporter.")})
    person = _person_create(actor, case, role, data, relationships)
    audit_record(
        actor=actor,
        action="person.create",
        object_type="person",
        object_id=person.public_id,
        case=case,
        details={"role": role},
    )
    if role == PersonRole.KORBAN:
        # A victim's violence types or age can make the case TPKS (DOMAIN.md §5): its clock starts.
        clocks_on_classify(case=case, actor=actor)
    return person


@transaction.atomic
def person_update(*, actor, person, version, relationships=None, **data):
    case = person.case
    require_case_edit(actor, case)
    problems = relation_problems(person.role, relationships)
    if problems:
        raise ValidationError(problems)
    # A changed NIK needs a new confirmation; an unchanged one keeps what was confirmed.
    same_nik = normalise_nik(data.get("nik") or "") == person.nik
    data, newly_confirmed = _clean_person(
        person.role, data, confirmed=person.nik_warnings_confirmed if same_nik else ()
    )
    current = _lock_current(CasePerson, person, version)
    changed = [f for f, v in data.items() if getattr(current, f) != v and f in PERSON_FIELDS]
    if relations_set(case, current, relationships):
        changed.append("relationships")
    for f, v in data.items():
        setattr(current, f, v)
    _derive(current, case)
    current.version += 1
    current.save()
    if "name" in changed:
        _save_tokens(current)
    audit_record(
        actor=actor,
        action="person.update",
        object_type="person",
        object_id=current.public_id,
        case=case,
        changes=dict.fromkeys(changed, "changed"),
    )
    _audit_nik_confirmed(actor, current, newly_confirmed)
    if current.role == PersonRole.KORBAN:
        clocks_on_classify(case=case, actor=actor)
    return current


@transaction.atomic
def person_link(*, actor, person, other):
    """Confirm that two records are the same human being (a returning victim, a repeat perpetrator)."""
    require_case_edit(actor, person.case)
    if not can_view_case(actor, other.case):
        raise PermissionDenied
    CasePerson.objects.filter(person_key=other.person_key).update(person_key=person.person_key)
    audit_record(
        actor=actor,
        action="person.link",
        object_type="person",
        object_id=person.public_id,
        case=person.case,
        details={"other": other.public_id},
    )


def person_match_candidates(
    *, actor, nik="", phone="", name="", birth_year=None, exclude_case=None, limit=10
):
    """Persons in cases the actor may see that probably are the same human being.

    Same NIK, same phone, or every name token equal plus the same birth year. Offered, never merged.
    """

    rule = Q(pk__in=[])
    nik = normalise_nik(nik)
    if nik:
        rule |= Q(nik_index=blind_index(nik, purpose="nik"))
    phone = normalise_phone(phone)
    if phone:
        rule |= Q(phone_index=blind_index(phone, purpose="phone"))
    tokens = [blind_index(t, purpose="name") for t in name_tokens(name)]
    if tokens and birth_year:
        same_name = (
            PersonNameToken.objects.filter(token__in=tokens)
            .values("person")
            .annotate(n=Count("token"))
            .filter(n=len(tokens))
            .values("person")
        )
        rule |= Q(pk__in=same_name, birth_year=birth_year)
    candidates = CasePerson.objects.filter(rule, case__in=cases_visible_to(actor)).select_related("case")
    if exclude_case is not None:
        candidates = candidates.exclude(case=exclude_case)
    return list(candidates[:limit])


@transaction.atomic
def person_adult_review(*, actor, person):
    """Mark that a child client who turned 18 during the open case was reviewed (consent is now
    hers, services for children end or change): the review item leaves the list. Audited."""
    case = person.case
    require_case_edit(actor, case)
    current = CasePerson.objects.select_for_update().get(pk=person.pk)
    if current.adult_on is None or current.adult_on > timezone.localdate():
        raise ValidationError(_("This person has not turned 18 yet."), code="not_adult")
    if current.adult_reviewed_at is None:
        current.adult_reviewed_at, current.adult_reviewed_by = timezone.now(), actor
        current.save(update_fields=["adult_reviewed_at", "adult_reviewed_by"])
        audit_record(
            actor=actor,
            action="person.adult_review",
            object_type="person",
            object_id=current.public_id,
            case=case,
        )
    return current
