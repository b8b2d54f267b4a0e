"""Shelters (the unit's rooms and beds) and shelter stays: admission, discharge, extension."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.choices import OrganisationKind
from sinergi.audit.services import audit_record
from sinergi.cases.choices import PersonRole
from sinergi.cases.policies import require_case_edit
from sinergi.deadlines.choices import ClockKind, DeadlineStatus
from sinergi.deadlines.models import Deadline
from sinergi.deadlines.services import deadline_extend, deadline_start, deadline_stop, subject_key

from ..choices import (
    ServiceStatus,
    ShelterCriterion,
    UptdService,
)
from ..models import (
    SHELTER_STAY_DAYS,
    ServiceDelivery,
    Shelter,
    ShelterBed,
    ShelterRoom,
    ShelterStay,
    ShelterStayExtension,
)
from ..policies import require_shelter_manage
from ._common import (
    Refusal,
    _check_assessment_or_emergency,
    _codes,
    _not_future_moment,
    _person_of,
    refusable,
)

# --- shelters (the unit's rooms and beds) ----------------------------------------------------


@transaction.atomic
def shelter_create(*, actor, name, address="", rooms=()):
    """A shelter of the actor's unit; `rooms` is [(room name, [bed label, ...]), ...]."""
    unit = actor.organisation
    if unit is None or unit.kind != OrganisationKind.SERVICE_UNIT:
        raise PermissionDenied
    require_shelter_manage(actor, unit)
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
    require_shelter_manage(actor, shelter.unit)
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
    require_shelter_manage(actor, shelter.unit)
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
    require_shelter_manage(actor, shelter.unit)
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
    require_case_edit(actor, case)
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
    if bed is not None and shelter is not None and bed.room.shelter_id != shelter.pk:
        raise ValidationError({"bed": _("Choose a bed of the chosen shelter.")})
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
    require_case_edit(actor, case)
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
    require_case_edit(actor, case)
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
