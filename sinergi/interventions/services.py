"""Writing services delivered: the register, shelter, mediation, accompaniment, legal process,
restitution (DOMAIN.md §2, §6, §7).

Every function is a service in the ARCHITECTURE.md sense: keyword-only, checks who may do it,
validates, writes and audits in one transaction. A *refusal* of a rule (mediation in a TPKS case,
a full shelter, a discharge before the admission, an extension without a reason ...) raises
ValidationError with the message for the user and leaves a `denied` audit event, written after
the transaction rolled back so that the trace survives it.

Deadline clocks (sinergi.deadlines) move with the events that define them: a shelter stay starts
its clock at admission and stops it at discharge; a police report stops the TPKS 3×24 h clock; a
delivered outreach stops the outreach clock.
"""

import datetime as dt
import functools
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.access import has_permission
from sinergi.accounts.choices import OrganisationKind
from sinergi.audit.choices import Outcome
from sinergi.audit.services import audit_record
from sinergi.cases import rules
from sinergi.cases.choices import CaseStatus, PersonRole, RiskLevel
from sinergi.cases.record import CaseClosed, can_edit_case
from sinergi.deadlines.choices import ClockKind, DeadlineStatus
from sinergi.deadlines.models import Deadline
from sinergi.deadlines.services import deadline_extend, deadline_start, deadline_stop, subject_key

from .choices import (
    AccompanimentDestination,
    AccompanyingOfficer,
    Compliance,
    LegalStage,
    MediationKind,
    MediationMatter,
    MediationStatus,
    RestitutionForm,
    RestitutionStage,
    ServiceCategory,
    ServiceStatus,
    ShelterCriterion,
    UptdService,
)
from .models import (
    SHELTER_STAY_DAYS,
    Accompaniment,
    LegalProcessStage,
    Mediation,
    MediationFollowUp,
    MediationSession,
    Restitution,
    RestitutionStep,
    ServiceDelivery,
    Shelter,
    ShelterBed,
    ShelterRoom,
    ShelterStay,
    ShelterStayExtension,
)

#: Services that come before any assessment: they are how a case starts (DOMAIN.md §6).
INTAKE_SERVICES = frozenset({UptdService.PENGADUAN, UptdService.PENJANGKAUAN, UptdService.PENGELOLAAN_KASUS})
#: Statuses that mean the unit acts (gives or refers); the others only record a fact.
ACTING_STATUSES = frozenset({ServiceStatus.DIBERIKAN, ServiceStatus.DIRUJUK})
_FUTURE_SLACK = dt.timedelta(minutes=5)


# --- refusals --------------------------------------------------------------------------------


class Refusal(Exception):
    """A rule says no. Raised inside a service; turned into an audited ValidationError."""

    def __init__(self, message, *, field=None, reason, case=None, object_id=""):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.reason = reason
        self.case = case
        self.object_id = object_id

    def as_validation_error(self):
        return ValidationError({self.field: [self.message]} if self.field else [self.message])


def refusable(action, object_type):
    """Run the service in a transaction; on a Refusal, roll back, audit the denial, raise.

    The denial is written after the rollback of the service's own transaction, so it stays in
    the trail (unless the caller wraps the whole call in a transaction it rolls back itself).
    """

    def decorator(service):
        @functools.wraps(service)
        def wrapped(*, actor, **kwargs):
            try:
                with transaction.atomic():
                    return service(actor=actor, **kwargs)
            except Refusal as refusal:
                audit_record(
                    actor=actor,
                    action=action,
                    outcome=Outcome.DENIED,
                    object_type=object_type,
                    object_id=refusal.object_id,
                    case=refusal.case,
                    details={"refused": refusal.reason},
                )
                raise refusal.as_validation_error() from None

        return wrapped

    return decorator


# --- shared checks ---------------------------------------------------------------------------


def _require_edit(actor, case):
    if not can_edit_case(actor, case):
        if case.status == CaseStatus.CLOSED:
            raise CaseClosed
        raise PermissionDenied


def _person_of(case, person, role, field):
    if person is None or person.case_id != case.pk or person.role != role:
        message = (
            _("Choose a victim of this case.")
            if role == PersonRole.KORBAN
            else _("Choose a perpetrator of this case.")
        )
        raise ValidationError({field: message})
    return person


def _not_future_date(value, field):
    if value is None:
        raise ValidationError({field: _("Enter the date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _not_future_moment(value, field):
    if value is None:
        raise ValidationError({field: _("Enter the date and time.")})
    if value > timezone.now() + _FUTURE_SLACK:
        raise ValidationError({field: _("The date cannot be in the future.")})


def _codes(values, choices, field):
    values = list(dict.fromkeys(str(v) for v in values or []))
    bad = [v for v in values if v not in choices.values]
    if bad:
        raise ValidationError({field: _("Unknown code: %(codes)s") % {"codes": ", ".join(bad)}})
    return values


def _choice(value, choices, field, *, blank=False):
    if blank and not value:
        return ""
    if value not in choices.values:
        raise ValidationError({field: _("Choose a value from the list.")})
    return value


def _agency(org, field):
    """A partner agency or service unit chosen as provider, visited agency or legal agency."""
    if org is not None and not org.is_active:
        raise ValidationError({field: _("This organisation is no longer active.")})
    return org


def completed_assessment(case, victim=None):
    """The latest completed assessment of the case (of `victim`, when given), or None."""
    from sinergi.cases.models.workflow import Assessment

    of_victim = {"victim": victim} if victim is not None else {}
    return (
        Assessment.objects.filter(case=case, completed_at__isnull=False, **of_victim)
        .order_by("-completed_at", "-id")
        .first()
    )


def _check_assessment_or_emergency(case, *, victim, emergency, needs_assessment):
    """A service that acts on the victim waits for the assessment, except a high-risk emergency.

    DOMAIN.md §6: assessment before the plan and its services; high-risk cases get emergency
    services (shelter, medical care, accompaniment to the police) at once.
    """
    if emergency:
        if case.risk != RiskLevel.TINGGI:
            raise Refusal(
                _("Only a high-risk case may receive emergency services before the assessment."),
                field="emergency",
                reason="emergency_not_high_risk",
                case=case,
            )
        return
    if needs_assessment and completed_assessment(case, victim) is None:
        raise Refusal(
            _(
                "Complete this victim's assessment first. A high-risk case may receive this service "
                "at once as an emergency service."
            ),
            field="emergency",
            reason="no_assessment",
            case=case,
        )


def _stop_moment(day):
    """When a clock stops for an event known by its date only: now if today, else that day's end.

    The end of the day is the latest moment the event can have happened, so a clock is never
    counted as met earlier than it may have been.
    """
    if day >= timezone.localdate():
        return timezone.now()
    end = dt.datetime.combine(day, dt.time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_current_timezone())


# --- the service register --------------------------------------------------------------------


@refusable("service.record", "service")
def service_record(
    *,
    actor,
    case,
    victim,
    status,
    date,
    uptd_service="",
    category="",
    provider_org=None,
    provider_name="",
    notes="",
    emergency=False,
):
    """Record one service for one victim: a UPTD service and/or a SIMFONI category with its status.

    Giving or referring a service other than intake waits for the assessment, unless it is an
    emergency service of a high-risk case. A delivered outreach (penjangkauan) stops the outreach
    clock.
    """
    _require_edit(actor, case)
    _person_of(case, victim, PersonRole.KORBAN, "victim")
    uptd_service = _choice(uptd_service, UptdService, "uptd_service", blank=True)
    category = _choice(category, ServiceCategory, "category", blank=True)
    status = _choice(status, ServiceStatus, "status")
    if not uptd_service and not category:
        raise ValidationError({"uptd_service": _("Choose a UPTD PPA service or a SIMFONI service category.")})
    _not_future_date(date, "date")
    provider_org = _agency(provider_org, "provider_org")
    provider_name = (provider_name or "").strip()
    if provider_org is not None and provider_name:
        raise ValidationError({"provider_name": _("Choose an agency or type a provider, not both.")})
    acting = status in ACTING_STATUSES
    intake = uptd_service in INTAKE_SERVICES or (not uptd_service and category == ServiceCategory.PENGADUAN)
    _check_assessment_or_emergency(
        case, victim=victim, emergency=emergency, needs_assessment=acting and not intake
    )
    service = ServiceDelivery.objects.create(
        case=case,
        victim=victim,
        uptd_service=uptd_service,
        category=category,
        status=status,
        date=date,
        provider_org=provider_org,
        provider_name=provider_name,
        notes=notes or "",
        emergency=bool(emergency),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="service.record",
        object_type="service",
        object_id=service.public_id,
        case=case,
        details={
            "victim": victim.public_id,
            "uptd_service": uptd_service or None,
            "category": category or None,
            "status": status,
            "emergency": bool(emergency),
        },
    )
    if uptd_service == UptdService.PENJANGKAUAN and status == ServiceStatus.DIBERIKAN:
        deadline_stop(kind=ClockKind.OUTREACH, case=case, stopped_at=_stop_moment(date), actor=actor)
    return service


# --- shelters (the unit's rooms and beds) ----------------------------------------------------


def _require_shelter_manage(actor, unit):
    if not has_permission(actor, "shelter.manage") or actor.organisation_id != unit.pk:
        raise PermissionDenied


@transaction.atomic
def shelter_create(*, actor, name, address="", rooms=()):
    """A shelter of the actor's unit; `rooms` is [(room name, [bed label, ...]), ...]."""
    unit = actor.organisation
    if unit is None or unit.kind != OrganisationKind.SERVICE_UNIT:
        raise PermissionDenied
    _require_shelter_manage(actor, unit)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the shelter's name.")})
    if Shelter.objects.filter(unit=unit, name=name).exists():
        raise ValidationError({"name": _("Your unit already has a shelter with this name.")})
    shelter = Shelter.objects.create(unit=unit, name=name, address=address or "")
    for room_name, beds in rooms:
        room = ShelterRoom.objects.create(shelter=shelter, name=room_name)
        for label in beds:
            ShelterBed.objects.create(room=room, label=label)
    audit_record(
        actor=actor,
        action="shelter.create",
        object_type="shelter",
        object_id=shelter.public_id,
        details={"rooms": len(rooms), "beds": sum(len(b) for _r, b in rooms)},
    )
    return shelter


@transaction.atomic
def shelter_update(*, actor, shelter, name, address="", is_active=True):
    _require_shelter_manage(actor, shelter.unit)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the shelter's name.")})
    if Shelter.objects.filter(unit=shelter.unit, name=name).exclude(pk=shelter.pk).exists():
        raise ValidationError({"name": _("Your unit already has a shelter with this name.")})
    if (
        not is_active
        and ShelterStay.objects.filter(bed__room__shelter=shelter, discharged_at__isnull=True).exists()
    ):
        raise ValidationError({"is_active": _("Discharge everyone staying in this shelter first.")})
    changed = [
        f
        for f, v in (("name", name), ("address", address or ""), ("is_active", is_active))
        if getattr(shelter, f) != v
    ]
    shelter.name, shelter.address, shelter.is_active = name, address or "", is_active
    shelter.save()
    audit_record(
        actor=actor,
        action="shelter.update",
        object_type="shelter",
        object_id=shelter.public_id,
        changes=dict.fromkeys(changed, "changed"),
    )
    return shelter


@transaction.atomic
def shelter_bed_add(*, actor, shelter, room_name, label):
    """Add a bed (and its room, when new) to a shelter."""
    _require_shelter_manage(actor, shelter.unit)
    room_name, label = (room_name or "").strip(), (label or "").strip()
    errors = {}
    if not room_name:
        errors["room_name"] = _("Enter the room.")
    if not label:
        errors["label"] = _("Enter the bed's label.")
    if errors:
        raise ValidationError(errors)
    room, _created = ShelterRoom.objects.get_or_create(shelter=shelter, name=room_name)
    if ShelterBed.objects.filter(room=room, label=label).exists():
        raise ValidationError({"label": _("This room already has a bed with this label.")})
    bed = ShelterBed.objects.create(room=room, label=label)
    audit_record(
        actor=actor,
        action="shelter.bed_add",
        object_type="shelter",
        object_id=shelter.public_id,
        details={"bed": bed.public_id},
    )
    return bed


@transaction.atomic
def shelter_bed_set_active(*, actor, bed, is_active):
    """Take a bed out of use (repairs, a room closed) or back; an occupied bed stays in use."""
    shelter = bed.room.shelter
    _require_shelter_manage(actor, shelter.unit)
    if not is_active and bed.stays.filter(discharged_at__isnull=True).exists():
        raise ValidationError({"is_active": _("Someone is staying in this bed.")})
    bed.is_active = is_active
    bed.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="shelter.bed_update",
        object_type="shelter",
        object_id=shelter.public_id,
        details={"bed": bed.public_id, "is_active": is_active},
    )
    return bed


# --- shelter stays ---------------------------------------------------------------------------


def _open_stay_filter():
    return {"discharged_at__isnull": True}


@refusable("shelter_stay.admit", "shelter_stay")
def shelter_admit(
    *,
    actor,
    case,
    victim,
    criteria,
    shelter=None,
    bed=None,
    admitted_at=None,
    days=SHELTER_STAY_DAYS,
    notes="",
    emergency=False,
):
    """Admit a victim to a shelter bed (a free bed of `shelter`, or exactly `bed`).

    A stay lasts 1 to 7 days (DOMAIN.md §7); longer needs an extension with a reason. A full
    shelter or a taken bed is refused. The shelter criteria of DOMAIN.md §7 are recorded. The
    shelter_stay clock starts, and the stay is entered in the service register.
    """
    _require_edit(actor, case)
    _person_of(case, victim, PersonRole.KORBAN, "victim")
    criteria = _codes(criteria, ShelterCriterion, "criteria")
    if not criteria:
        raise ValidationError({"criteria": _("Tick at least one reason why the victim needs shelter.")})
    admitted_at = admitted_at or timezone.now()
    _not_future_moment(admitted_at, "admitted_at")
    if not isinstance(days, int) or not 1 <= days <= SHELTER_STAY_DAYS:
        raise ValidationError(
            {
                "days": _("A stay is 1 to %(n)d days; extend it later with a reason.")
                % {"n": SHELTER_STAY_DAYS}
            }
        )
    if bed is None and shelter is None:
        raise ValidationError({"shelter": _("Choose a shelter or a bed.")})
    if bed is not None:
        shelter = bed.room.shelter
    if shelter.unit_id != case.unit_id or not shelter.is_active:
        raise ValidationError({"shelter": _("Choose an active shelter of the case's unit.")})
    _check_assessment_or_emergency(case, victim=victim, emergency=emergency, needs_assessment=True)
    if ShelterStay.objects.filter(victim=victim, **_open_stay_filter()).exists():
        raise Refusal(
            _("This victim is already staying in a shelter; discharge them first."),
            field="victim",
            reason="victim_already_sheltered",
            case=case,
        )
    # Lock the shelter's beds: two admissions at once must not both take the last bed.
    beds = list(
        ShelterBed.objects.select_for_update()
        .filter(room__shelter=shelter, is_active=True)
        .order_by("room__name", "label", "id")
    )
    taken = set(
        ShelterStay.objects.filter(bed__in=beds, **_open_stay_filter()).values_list("bed_id", flat=True)
    )
    if bed is not None:
        if bed.pk in taken or not bed.is_active:
            raise Refusal(
                _("This bed is taken. Choose a free bed."),
                field="bed",
                reason="bed_taken",
                case=case,
                object_id=bed.public_id,
            )
    else:
        free = [b for b in beds if b.pk not in taken]
        if not free:
            raise Refusal(
                _("The shelter %(name)s is full: no free bed.") % {"name": shelter.name},
                field="shelter",
                reason="shelter_full",
                case=case,
                object_id=shelter.public_id,
            )
        bed = free[0]
    stay = ShelterStay(
        case=case,
        victim=victim,
        bed=bed,
        admitted_at=admitted_at,
        planned_until=admitted_at + dt.timedelta(days=days),
        criteria=criteria,
        notes=notes or "",
        emergency=bool(emergency),
        recorded_by=actor,
    )
    try:
        with transaction.atomic():
            stay.save()
    except IntegrityError:
        # The bed was taken between our check and the insert (the partial unique index says so).
        raise Refusal(
            _("This bed is taken. Choose a free bed."), field="bed", reason="bed_taken", case=case
        ) from None
    ServiceDelivery.objects.create(
        case=case,
        victim=victim,
        uptd_service=UptdService.PENAMPUNGAN,
        status=ServiceStatus.DIBERIKAN,
        date=timezone.localdate(admitted_at),
        provider_org=case.unit,
        emergency=bool(emergency),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="shelter_stay.admit",
        object_type="shelter_stay",
        object_id=stay.public_id,
        case=case,
        details={
            "shelter": shelter.public_id,
            "bed": bed.public_id,
            "days": days,
            "criteria": criteria,
            "emergency": bool(emergency),
        },
    )
    deadline_start(
        kind=ClockKind.SHELTER_STAY,
        unit=case.unit,
        case=case,
        subject=stay,
        started_at=admitted_at,
        responsible=actor,
        # A stay planned shorter than the unit's limit is due when it was planned to end.
        due_before=stay.planned_until,
        actor=actor,
    )
    return stay


@refusable("shelter_stay.discharge", "shelter_stay")
def shelter_discharge(*, actor, stay, discharged_at=None, notes=""):
    """End a stay; the bed is free again and the shelter_stay clock stops."""
    case = stay.case
    _require_edit(actor, case)
    stay = ShelterStay.objects.select_for_update().get(pk=stay.pk)
    discharged_at = discharged_at or timezone.now()
    if stay.discharged_at is not None:
        raise Refusal(
            _("This stay has already ended."),
            field="discharged_at",
            reason="already_discharged",
            case=case,
            object_id=stay.public_id,
        )
    if discharged_at < stay.admitted_at:
        raise Refusal(
            _("The discharge cannot be before the admission (%(admitted)s).")
            % {"admitted": timezone.localtime(stay.admitted_at).strftime("%d-%m-%Y %H:%M")},
            field="discharged_at",
            reason="discharge_before_admission",
            case=case,
            object_id=stay.public_id,
        )
    _not_future_moment(discharged_at, "discharged_at")
    stay.discharged_at = discharged_at
    stay.discharged_by = actor
    stay.discharge_notes = notes or ""
    stay.save(update_fields=["discharged_at", "discharged_by", "discharge_notes"])
    overstayed = discharged_at > stay.planned_until
    audit_record(
        actor=actor,
        action="shelter_stay.discharge",
        object_type="shelter_stay",
        object_id=stay.public_id,
        case=case,
        details={"nights": (discharged_at - stay.admitted_at).days, "overstayed": overstayed},
    )
    deadline_stop(kind=ClockKind.SHELTER_STAY, case=case, subject=stay, stopped_at=discharged_at, actor=actor)
    return stay


@refusable("shelter_stay.extend", "shelter_stay")
def shelter_extend(*, actor, stay, until, reason):
    """Extend a stay past its planned end by up to 7 days at a time, always with a reason."""
    case = stay.case
    _require_edit(actor, case)
    stay = ShelterStay.objects.select_for_update().get(pk=stay.pk)
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(
            _("Write the reason for the extension."),
            field="reason",
            reason="no_reason",
            case=case,
            object_id=stay.public_id,
        )
    if stay.discharged_at is not None:
        raise Refusal(
            _("This stay has already ended; it cannot be extended."),
            field="until",
            reason="stay_ended",
            case=case,
            object_id=stay.public_id,
        )
    if until is None or until <= stay.planned_until:
        raise ValidationError({"until": _("The new end must be after the current end of the stay.")})
    if until - stay.planned_until > dt.timedelta(days=SHELTER_STAY_DAYS):
        raise ValidationError(
            {"until": _("Extend by at most %(n)d days at a time.") % {"n": SHELTER_STAY_DAYS}}
        )
    extension = ShelterStayExtension.objects.create(
        stay=stay, previous_until=stay.planned_until, new_until=until, reason=reason, extended_by=actor
    )
    stay.planned_until = until
    stay.save(update_fields=["planned_until"])
    audit_record(
        actor=actor,
        action="shelter_stay.extend",
        object_type="shelter_stay",
        object_id=stay.public_id,
        case=case,
        details={"extension": extension.pk, "until": until.isoformat()},
    )
    subject_type, subject_id = subject_key(stay)
    deadline = Deadline.objects.filter(
        kind=ClockKind.SHELTER_STAY,
        case=case,
        subject_type=subject_type,
        subject_id=subject_id,
        status=DeadlineStatus.OPEN,
    ).first()
    if deadline is not None and until > deadline.due_at:
        deadline_extend(actor=actor, deadline=deadline, due_at=until, reason=_extension_reason(reason))
    return extension


def _extension_reason(reason):
    # The clock asks for 10 characters; a short reason given here ("sakit") is still a reason.
    return reason if len(reason) >= 10 else f"{reason} (penampungan)"


# --- mediation -------------------------------------------------------------------------------


def mediation_decision(case, perpetrator=None):
    """(allowed, as_diversion) for a case, the named perpetrator deciding when one is given.

    UU TPKS Ps 23: no settlement out of court in a TPKS case, except with a child perpetrator
    (then only *diversi*, UU 11/2012 SPPA). A perpetrator of unknown age is not a child.
    """
    tpks = rules.is_tpks_case(case.tpks_offences)
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
    return as_diversion


@refusable("mediation.start", "mediation")
def mediation_start(*, actor, case, matter, parties, other_parties="", notes=""):
    """Open a mediation (or, in a TPKS case with a child perpetrator, a *diversi*).

    Refused in a TPKS case unless a perpetrator among the parties (or, when none is named, in the
    case) is a child. Needs a completed assessment (DOMAIN.md §7).
    """
    _require_edit(actor, case)
    parties = list(parties or [])
    if any(p.case_id != case.pk for p in parties):
        raise ValidationError({"parties": _("Choose persons of this case.")})
    if not parties:
        raise ValidationError({"parties": _("Choose the parties of the mediation.")})
    perpetrators = [p for p in parties if p.role == PersonRole.PELAKU]
    if rules.is_tpks_case(case.tpks_offences) and perpetrators:
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
    _require_edit(actor, case)
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
    _require_edit(actor, case)
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
    _require_edit(actor, case)
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
    _require_edit(actor, case)
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


# --- legal process per perpetrator -----------------------------------------------------------


@refusable("legal_stage.record", "legal_stage")
def legal_stage_record(
    *, actor, case, perpetrator, stage, occurred_at, agency=None, agency_name="", reference="", outcome=""
):
    """One step of the criminal process against a perpetrator.

    A police report (laporan_polisi) stops the case's TPKS 3×24 h clock. Diversion is the
    juvenile justice route: refused for a perpetrator known to be an adult.
    """
    _require_edit(actor, case)
    _person_of(case, perpetrator, PersonRole.PELAKU, "perpetrator")
    stage = _choice(stage, LegalStage, "stage")
    _not_future_moment(occurred_at, "occurred_at")
    agency = _agency(agency, "agency")
    agency_name = (agency_name or "").strip()
    if agency is not None and agency_name:
        raise ValidationError({"agency_name": _("Choose an agency or type one, not both.")})
    if stage == LegalStage.DIVERSI and perpetrator.is_child is False:
        raise Refusal(
            _("Diversion applies only to a child perpetrator (UU 11/2012 SPPA)."),
            field="stage",
            reason="diversion_adult",
            case=case,
            object_id=perpetrator.public_id,
        )
    record = LegalProcessStage.objects.create(
        case=case,
        perpetrator=perpetrator,
        stage=stage,
        occurred_at=occurred_at,
        agency=agency,
        agency_name=agency_name,
        reference=(reference or "").strip(),
        outcome=outcome or "",
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="legal_stage.record",
        object_type="legal_stage",
        object_id=record.public_id,
        case=case,
        details={"perpetrator": perpetrator.public_id, "stage": stage},
    )
    if stage == LegalStage.LAPORAN_POLISI:
        deadline_stop(kind=ClockKind.TPKS_POLICE_REPORT, case=case, stopped_at=occurred_at, actor=actor)
    return record


# --- restitution -----------------------------------------------------------------------------

#: Order of the stages; a claim moves forward only. LPSK's assessment may be skipped (the court
#: may decide without it); compensation from the Victim Assistance Fund replaces payment when the
#: perpetrator cannot pay (UU TPKS Ps 35).
_STAGE_ORDER = {
    RestitutionStage.DIAJUKAN: 0,
    RestitutionStage.DINILAI_LPSK: 1,
    RestitutionStage.DIPUTUS: 2,
    RestitutionStage.DIBAYAR: 3,
    RestitutionStage.KOMPENSASI_DANA_BANTUAN_KORBAN: 3,
}


def _amount(value, field):
    if value in (None, ""):
        return None
    value = Decimal(value)
    if value < 0:
        raise ValidationError({field: _("Enter an amount of zero or more.")})
    return value


@transaction.atomic
def restitution_file(
    *, actor, case, victim, forms, filed_on, perpetrator=None, amount_claimed=None, notes=""
):
    """A restitution claim filed for a victim (UU TPKS Ps 30)."""
    _require_edit(actor, case)
    _person_of(case, victim, PersonRole.KORBAN, "victim")
    if perpetrator is not None:
        _person_of(case, perpetrator, PersonRole.PELAKU, "perpetrator")
    forms = _codes(forms, RestitutionForm, "forms")
    if not forms:
        raise ValidationError({"forms": _("Tick at least one form of restitution.")})
    _not_future_date(filed_on, "filed_on")
    restitution = Restitution.objects.create(
        case=case,
        victim=victim,
        perpetrator=perpetrator,
        forms=forms,
        amount_claimed=_amount(amount_claimed, "amount_claimed"),
        stage=RestitutionStage.DIAJUKAN,
        stage_date=filed_on,
        recorded_by=actor,
    )
    RestitutionStep.objects.create(
        restitution=restitution,
        stage=RestitutionStage.DIAJUKAN,
        date=filed_on,
        notes=notes or "",
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="restitution.file",
        object_type="restitution",
        object_id=restitution.public_id,
        case=case,
        details={"forms": forms, "stage": RestitutionStage.DIAJUKAN},
    )
    return restitution


@transaction.atomic
def restitution_advance(*, actor, restitution, stage, date, amount=None, notes=""):
    """Move a claim to its next stage; `amount` is the sum awarded (diputus) or paid (dibayar,
    kompensasi)."""
    case = restitution.case
    _require_edit(actor, case)
    restitution = Restitution.objects.select_for_update().get(pk=restitution.pk)
    stage = _choice(stage, RestitutionStage, "stage")
    if _STAGE_ORDER[stage] <= _STAGE_ORDER[restitution.stage]:
        raise ValidationError({"stage": _("A restitution claim only moves forward.")})
    if stage == RestitutionStage.KOMPENSASI_DANA_BANTUAN_KORBAN and _STAGE_ORDER[restitution.stage] < 2:
        raise ValidationError({"stage": _("Compensation follows a court decision on the restitution.")})
    if stage == RestitutionStage.DIBAYAR and _STAGE_ORDER[restitution.stage] < 2:
        raise ValidationError({"stage": _("Restitution is paid after the court has decided it.")})
    _not_future_date(date, "date")
    if date < restitution.stage_date:
        raise ValidationError({"date": _("This stage cannot be before the previous one.")})
    amount = _amount(amount, "amount")
    old = restitution.stage
    if stage == RestitutionStage.DIPUTUS:
        restitution.amount_awarded = amount
    elif stage in (RestitutionStage.DIBAYAR, RestitutionStage.KOMPENSASI_DANA_BANTUAN_KORBAN):
        restitution.amount_paid = amount
    restitution.stage, restitution.stage_date = stage, date
    restitution.save()
    RestitutionStep.objects.create(
        restitution=restitution, stage=stage, date=date, notes=notes or "", recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="restitution.advance",
        object_type="restitution",
        object_id=restitution.public_id,
        case=case,
        changes={"stage": [old, stage]},
    )
    return restitution
