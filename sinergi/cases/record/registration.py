"""Registering a case (with its rules, which the intake form shows too) and editing its incident."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.audit.services import audit_record
from sinergi.cases.policies import require_case_edit
from sinergi.core.db import atomic_with_retry
from sinergi.core.errors import Refusal
from sinergi.core.ids import insert_with_fresh_codes, new_public_id
from sinergi.deadlines.services import deadlines_lock

from ..choices import (
    CaseStatus,
    Channel,
    PersonRole,
    TeamRole,
)
from ..clocks import clocks_on_register, clocks_on_risk_change
from ..models import Case, CaseAssignment, RegistrationCounter, new_pseudonym
from ._common import INCIDENT_FIELDS, _lock_current
from .persons import DERIVED_AGE_FIELDS, _derive, _person_create

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


@atomic_with_retry
def case_register(*, actor, victims, reporter=None, perpetrators=(), **fields):
    """Register a case (as a draft) with its first persons; the registrar joins the case team.

    `fields` are incident/screening fields (INCIDENT_FIELDS); `victims`, `perpetrators` and
    `reporter` are dicts of PERSON_FIELDS; a perpetrator's dict may add `relationships`, its
    relationship code to each victim in the order of `victims`. At least one victim is required.
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
    insert_with_fresh_codes(case, {"pseudonym": new_pseudonym, "public_id": new_public_id})
    CaseAssignment.objects.create(case=case, user=actor, team_role=TeamRole.MEMBER, assigned_by=actor)
    created = [_person_create(actor, case, PersonRole.KORBAN, data) for data in victims]
    for data in perpetrators:
        data = dict(data)
        # The relationship to each victim, in the order of `victims`.
        codes = list(data.pop("relationships", None) or [])
        relationships = {victim: code for victim, code in zip(created, codes, strict=False) if code}
        _person_create(actor, case, PersonRole.PELAKU, data, relationships)
    if reporter:
        _person_create(actor, case, PersonRole.PELAPOR, reporter)
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
    require_case_edit(actor, case)
    unknown = set(fields) - set(INCIDENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown case fields: {sorted(unknown)}")
    _validate_incident({**{f: getattr(case, f) for f in ("incident_date", "reported_at")}, **fields})
    case = _lock_current(Case, case, version)
    if "risk" in fields:  # a changed risk re-times the running clocks after the audit event
        deadlines_lock(case=case)
    changed = [f for f, v in fields.items() if getattr(case, f) != v]
    for f, v in fields.items():
        setattr(case, f, v)
    case.version += 1
    case.save()
    if {"incident_date", "reported_at"} & set(changed):
        for person in case.persons.all():
            _derive(person, case)
            person.save(update_fields=DERIVED_AGE_FIELDS)
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
