"""Writing the case record: registration, persons, incident, classification, consent.

Every function here is a service in the ARCHITECTURE.md sense: keyword-only, checks who may do
it, validates, writes and audits in one transaction. Audit events name fields, never values.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.audit.services import audit_record
from sinergi.core.crypto import blind_index, name_tokens, normalise_phone
from sinergi.core.errors import Refusal
from sinergi.regions.models import Region

from . import rules
from .choices import (
    AmpkCategory,
    CaseStatus,
    Channel,
    ConsentGiver,
    Disability,
    GbvimsType,
    LawfulBasis,
    PersonRole,
    PkdrtType,
    TeamRole,
    TpksOffence,
    TppoMeans,
    TppoProcess,
    TppoPurpose,
    ViolenceType,
)
from .clocks import clocks_on_classify, clocks_on_register, clocks_on_risk_change
from .models import Case, CaseAssignment, CasePerson, Consent, PersonNameToken, RegistrationCounter
from .policies import (  # noqa: F401  (re-exported: interventions and portal services import them from here)
    CaseClosed,
    can_edit_case,
)
from .selectors import can_view_case, cases_visible_to

PERSON_FIELDS = (
    "name",
    "nik",
    "phone",
    "address",
    "region",
    "sex",
    "birth_date",
    "age_years",
    "age_estimated",
    "education",
    "religion",
    "occupation",
    "marital_status",
    "disabilities",
    "violence_types",
    "ampk_categories",
    "relationship",
    "is_unknown",
    "is_anonymous",
    "reporter_kind",
)
INCIDENT_FIELDS = (
    "channel",
    "sapa_ticket",
    "reported_at",
    "case_type",
    "risk",
    "jurisdiction",
    "summary",
    "incident_date",
    "incident_date_precision",
    "place_type",
    "incident_region",
    "incident_address",
    "chronology",
    "frequency",
)


class StaleEdit(Exception):
    """Someone saved a newer version first; the caller shows both versions and keeps the input."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


# --- who may ---------------------------------------------------------------------------------


def _require_edit(actor, case):
    if not can_edit_case(actor, case):
        if case.status == CaseStatus.CLOSED:
            raise CaseClosed
        raise PermissionDenied


# --- registration ----------------------------------------------------------------------------


def registration_number_next(unit, year):
    """The next number of a unit and year, e.g. PPA-1376-2026-0042; call inside a transaction.

    The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
    transactions serialise writers), so concurrent registrations never share a number.
    """
    try:
        with transaction.atomic():
            RegistrationCounter.objects.get_or_create(unit=unit, year=year)
    except IntegrityError:
        pass  # another transaction created it first
    counter = RegistrationCounter.objects.select_for_update().get(unit=unit, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    region = (unit.region_id or "0").replace(".", "")
    return f"PPA-{region}-{year}-{counter.last:04d}"


# --- the rules of registration (the intake form shows the same messages next to its fields) -----


def registration_problems(fields):
    """{field: message} for the case fields of a registration: a SAPA 129 report keeps its ticket."""
    if fields.get("channel") == Channel.SAPA129 and not (fields.get("sapa_ticket") or "").strip():
        return {"sapa_ticket": _("Enter the SAPA 129 ticket number.")}
    return {}


def registered_person_problems(role, data):
    """{field: message} for a person entered at registration.

    At intake a person's age is given one way (a date of birth, or an age), a perpetrator is
    named or marked unknown, and an anonymous reporter leaves no name or phone behind.
    """
    problems = {}
    if (
        role in (PersonRole.KORBAN, PersonRole.PELAKU)
        and data.get("birth_date")
        and data.get("age_years") is not None
    ):
        problems["age_years"] = _("Enter either the date of birth or the age, not both.")
    if role == PersonRole.PELAKU and not (data.get("name") or "").strip() and not data.get("is_unknown"):
        problems["name"] = _("Enter the name or tick 'identity unknown'.")
    if role == PersonRole.PELAPOR and data.get("is_anonymous") and (data.get("name") or data.get("phone")):
        problems["name"] = _("An anonymous reporter has no name or phone; clear them.")
    return problems


def _registration_refusal(fields, victims, perpetrators, reporter):
    """All the registration's problems, keyed `field`, `victims.<n>.<field>`, `perpetrators.<n>.<field>`
    or `reporter.<field>` (the intake form puts each next to its own field)."""
    problems = dict(registration_problems(fields))
    for key, role, people in (
        ("victims", PersonRole.KORBAN, victims),
        ("perpetrators", PersonRole.PELAKU, perpetrators),
    ):
        for index, data in enumerate(people):
            for field, message in registered_person_problems(role, data).items():
                problems[f"{key}.{index}.{field}"] = message
    for field, message in registered_person_problems(PersonRole.PELAPOR, reporter or {}).items():
        problems[f"reporter.{field}"] = message
    return Refusal.of_fields(problems, code="invalid_registration") if problems else None


@transaction.atomic
def case_register(*, actor, victims, reporter=None, perpetrators=(), **fields):
    """Register a case (as a draft) with its first persons; the registrar joins the case team.

    `fields` are incident/screening fields (INCIDENT_FIELDS); `victims`, `perpetrators` and
    `reporter` are dicts of PERSON_FIELDS. At least one victim is required.
    """
    if not has_permission(actor, "case.register") or actor.organisation_id is None:
        raise PermissionDenied
    unknown = set(fields) - set(INCIDENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown case fields: {sorted(unknown)}")
    if not victims:
        raise ValidationError({"victims": _("Enter at least one victim.")})
    refusal = _registration_refusal(fields, victims, perpetrators, reporter)
    if refusal:
        raise refusal
    _validate_incident(fields)
    now = timezone.now()
    fields.setdefault("reported_at", now)
    unit = actor.organisation
    case = Case(unit=unit, created_by=actor, status=CaseStatus.DRAFT, **fields)
    case.registration_number = registration_number_next(unit, timezone.localdate(now).year)
    case.save()
    CaseAssignment.objects.create(case=case, user=actor, team_role=TeamRole.MEMBER, assigned_by=actor)
    for data in victims:
        _person_create(case, PersonRole.KORBAN, data)
    for data in perpetrators:
        _person_create(case, PersonRole.PELAKU, data)
    if reporter:
        _person_create(case, PersonRole.PELAPOR, reporter)
    audit_record(
        actor=actor,
        action="case.register",
        object_type="case",
        object_id=case.public_id,
        case=case,
        details={
            "victims": len(victims),
            "perpetrators": len(perpetrators),
            "reporter": bool(reporter),
            "channel": case.channel,
            "risk": case.risk,
        },
    )
    clocks_on_register(case=case, actor=actor)
    return case


def _validate_incident(fields):
    errors = {}
    today = timezone.localdate()
    incident = fields.get("incident_date")
    if incident and incident > today:
        errors["incident_date"] = _("The incident date cannot be in the future.")
    reported = fields.get("reported_at")
    if reported and reported > timezone.now() + dt.timedelta(minutes=5):
        errors["reported_at"] = _("The report date cannot be in the future.")
    if reported and incident and incident > timezone.localtime(reported).date():
        errors["incident_date"] = _("The incident cannot be after the report.")
    region = fields.get("incident_region")
    if region is not None and region.level < 3:
        errors["incident_region"] = _("Choose a kecamatan or kelurahan.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def case_update_incident(*, actor, case, version, **fields):
    _require_edit(actor, case)
    unknown = set(fields) - set(INCIDENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown case fields: {sorted(unknown)}")
    _validate_incident({**{f: getattr(case, f) for f in ("incident_date", "reported_at")}, **fields})
    case = _lock_current(Case, case, version)
    changed = [f for f, v in fields.items() if getattr(case, f) != v]
    for f, v in fields.items():
        setattr(case, f, v)
    case.version += 1
    case.save()
    if "incident_date" in changed:
        for person in case.persons.all():
            _derive(person, case)
            person.save(update_fields=["age_at_incident", "is_child", "age_band", "birth_year"])
    audit_record(
        actor=actor,
        action="case.update",
        object_type="case",
        object_id=case.public_id,
        case=case,
        changes=dict.fromkeys(changed, "changed"),
    )
    if "risk" in changed:
        clocks_on_risk_change(case=case, actor=actor)
    return case


def _lock_current(model, obj, version):
    current = model.objects.select_for_update().get(pk=obj.pk)
    if current.version != version:
        raise StaleEdit(current)
    return current


# --- classification --------------------------------------------------------------------------


def _codes(values, choices, field, errors):
    values = list(dict.fromkeys(values or []))
    bad = [v for v in values if v not in choices.values]
    if bad:
        errors[field] = _("Unknown code: %(codes)s") % {"codes": ", ".join(bad)}
    return values


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
    _require_edit(actor, case)
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
    tpks = rules.is_tpks_case(case.tpks_offences)
    perpetrator_is_child = any(p.is_child for p in perpetrators)
    mediation_allowed, as_diversion = rules.mediation_allowed(
        tpks_case=tpks, perpetrator_is_child=perpetrator_is_child
    )
    return {
        "child_victim": child_victim,
        "tpks_case": tpks,
        "mediation_allowed": mediation_allowed,
        "mediation_as_diversion": as_diversion,
        "tppo_indicated": rules.tppo_indicated(
            case.tppo_processes, case.tppo_means, case.tppo_purposes, child_victim=child_victim
        ),
        "high_risk": case.risk == "tinggi",
        "ampk_missing": any(p.is_child and not p.ampk_categories for p in victims),
    }


# --- persons ---------------------------------------------------------------------------------


def person_date_problems(data):
    """{field: message} for a person's dates, whoever enters them."""
    if data.get("birth_date") and data["birth_date"] > timezone.localdate():
        return {"birth_date": _("The date of birth cannot be in the future.")}
    return {}


def _clean_person(role, data, errors_prefix=""):
    data = dict(data)
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    errors = {}
    nik = rules.normalise_nik(data.get("nik") or "")
    if nik:
        problems = rules.validate_nik(
            nik,
            region_exists=lambda code: Region.objects.filter(code=code).exists(),
            birth_date=data.get("birth_date"),
            sex=data.get("sex") or None,
        )
        if problems:
            errors["nik"] = " ".join(str(p) for p in problems)
    data["nik"] = nik
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
    if role != PersonRole.KORBAN and (data.get("violence_types") or data.get("ampk_categories")):
        errors["violence_types"] = _("Violence types and AMPK categories belong to victims.")
    if role != PersonRole.PELAKU and data.get("relationship"):
        errors["relationship"] = _("The relationship to the victim is recorded on the perpetrator.")
    if role == PersonRole.KORBAN and data.get("is_unknown"):
        errors["is_unknown"] = _("A victim cannot be unknown; leave fields empty instead.")
    if errors:
        raise ValidationError(errors)
    return data


def _derive(person, case):
    """Blind indexes and age facts computed from the person and the case's incident date."""
    codes = sorted(set(person.violence_types or []))
    person.violence_codes = f"|{'|'.join(codes)}|" if codes else ""
    person.nik_index = blind_index(person.nik, purpose="nik") if person.nik else ""
    phone = normalise_phone(person.phone) if person.phone else ""
    person.phone_index = blind_index(phone, purpose="phone") if phone else ""
    if case.incident_date:
        on = case.incident_date
    elif case.reported_at:
        on = timezone.localdate(case.reported_at)
    else:
        on = timezone.localdate()
    if person.birth_date:
        person.age_at_incident = rules.age_on(person.birth_date, on)
        person.birth_year = person.birth_date.year
    elif person.age_years is not None:
        # An age is taken as the age at the report; shift it to the incident date.
        report_day = timezone.localdate(case.reported_at) if case.reported_at else timezone.localdate()
        years_between = max(0, (report_day - on).days // 365)
        person.age_at_incident = max(0, person.age_years - years_between)
        person.birth_year = report_day.year - person.age_years
    else:
        person.age_at_incident = None
        person.birth_year = None
    person.is_child = rules.is_child(person.age_at_incident)
    band = rules.age_band(person.age_at_incident)
    person.age_band = str(band) if band else ""


def _save_tokens(person):
    PersonNameToken.objects.filter(person=person).delete()
    tokens = {blind_index(t, purpose="name") for t in name_tokens(person.name)}
    PersonNameToken.objects.bulk_create([PersonNameToken(person=person, token=t) for t in tokens])


def _person_create(case, role, data):
    data = _clean_person(role, data)
    person = CasePerson(case=case, role=role, **data)
    _derive(person, case)
    person.save()
    _save_tokens(person)
    return person


@transaction.atomic
def person_add(*, actor, case, role, **data):
    _require_edit(actor, case)
    if role == PersonRole.PELAPOR and case.persons.filter(role=PersonRole.PELAPOR).exists():
        raise ValidationError({"role": _("A case has at most one reporter.")})
    person = _person_create(case, role, data)
    audit_record(
        actor=actor,
        action="person.create",
        object_type="person",
        object_id=person.public_id,
        case=case,
        details={"role": role},
    )
    return person


@transaction.atomic
def person_update(*, actor, person, version, **data):
    case = person.case
    _require_edit(actor, case)
    data = _clean_person(person.role, data)
    current = _lock_current(CasePerson, person, version)
    changed = [f for f, v in data.items() if getattr(current, f) != v]
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
    return current


@transaction.atomic
def person_link(*, actor, person, other):
    """Confirm that two records are the same human being (a returning victim, a repeat perpetrator)."""
    _require_edit(actor, person.case)
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
    nik = rules.normalise_nik(nik)
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

    A child's consent is given by a guardian, never by a guardian who is an alleged perpetrator in
    the case (UU PDP Ps 25, UU TPKS Ps 27).
    """
    _require_edit(actor, case)
    errors = {}
    if victim.case_id != case.pk or victim.role != PersonRole.KORBAN:
        errors["victim"] = _("Choose a victim of this case.")
    if lawful_basis == LawfulBasis.CONSENT:
        if victim.is_child and given_by != ConsentGiver.WALI:
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
        given_at=given_at or timezone.now(),
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


def gbvims_type_label(code):
    return GbvimsType(code).label if code in GbvimsType.values else ""
