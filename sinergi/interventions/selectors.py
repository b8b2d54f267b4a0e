"""Reading services delivered: a case's panel, the shelters a user may see, the occupancy board."""

from itertools import groupby

from django.db.models import Count, Prefetch
from django.utils import timezone

from sinergi.accounts.access import has_permission
from sinergi.accounts.choices import OrganisationKind

from .choices import ShelterCriterion
from .models import (
    Accompaniment,
    LegalProcessStage,
    Mediation,
    Restitution,
    ServiceDelivery,
    Shelter,
    ShelterBed,
    ShelterStay,
    ShelterStayExtension,
)


def stay_state(stay, now=None):
    """discharged | overdue (past its planned end, still there) | ending (last day) | staying."""
    if stay.discharged_at is not None:
        return "discharged"
    now = now or timezone.now()
    if now > stay.planned_until:
        return "overdue"
    if (stay.planned_until - now).total_seconds() <= 24 * 3600:
        return "ending"
    return "staying"


def _criteria_labels(codes):
    labels = dict(ShelterCriterion.choices)
    return [labels.get(c, c) for c in codes or []]


def case_interventions(case, now=None):
    """Everything of this app on one case, in a fixed number of queries (whatever the rows)."""
    now = now or timezone.now()
    services = list(
        ServiceDelivery.objects.filter(case=case)
        .select_related("victim", "provider_org")
        .order_by("-date", "-id")
    )
    stays = list(
        ShelterStay.objects.filter(case=case)
        .select_related("victim", "bed__room__shelter")
        .prefetch_related(
            Prefetch("extensions", queryset=ShelterStayExtension.objects.order_by("extended_at"))
        )
        .order_by("-admitted_at")
    )
    for stay in stays:
        stay.state = stay_state(stay, now)
        stay.criteria_labels = _criteria_labels(stay.criteria)
    mediations = list(
        Mediation.objects.filter(case=case)
        .annotate(
            session_count=Count("sessions", distinct=True), follow_up_count=Count("follow_ups", distinct=True)
        )
        .order_by("-recorded_at")
    )
    visits = list(
        Accompaniment.objects.filter(case=case)
        .select_related("victim", "officer", "destination_org")
        .order_by("-visited_on", "-id")
    )
    stages = list(
        LegalProcessStage.objects.filter(case=case)
        .select_related("perpetrator", "agency")
        .order_by("perpetrator_id", "occurred_at", "id")
    )
    legal = [
        {"perpetrator": perpetrator_stages[0].perpetrator, "stages": perpetrator_stages}
        for perpetrator_stages in (list(g) for _k, g in groupby(stages, key=lambda s: s.perpetrator_id))
    ]
    restitutions = list(
        Restitution.objects.filter(case=case).select_related("victim", "perpetrator").order_by("-recorded_at")
    )
    return {
        "services": services,
        "stays": stays,
        "mediations": mediations,
        "accompaniments": visits,
        "legal": legal,
        "restitutions": restitutions,
        "open_stays": [s for s in stays if s.discharged_at is None],
    }


# --- shelters --------------------------------------------------------------------------------


def shelters_visible_to(user):
    """Shelters of the user's own service unit, for those who may see the board."""
    if not has_permission(user, "shelter.view"):
        return Shelter.objects.none()
    org = getattr(user, "organisation", None)
    if org is None or org.kind != OrganisationKind.SERVICE_UNIT:
        return Shelter.objects.none()
    return Shelter.objects.filter(unit_id=org.pk)


def shelters_for_admission(case):
    """Active shelters of the case's unit, each with its count of free beds."""
    shelters = list(Shelter.objects.filter(unit_id=case.unit_id, is_active=True).order_by("name"))
    beds = ShelterBed.objects.filter(room__shelter__in=shelters, is_active=True).select_related("room")
    taken = set(
        ShelterStay.objects.filter(bed__room__shelter__in=shelters, discharged_at__isnull=True).values_list(
            "bed_id", flat=True
        )
    )
    free = {}
    for bed in beds.order_by("room__name", "label", "id"):
        if bed.pk not in taken:
            free.setdefault(bed.room.shelter_id, []).append(bed)
    for shelter in shelters:
        shelter.free_bed_list = free.get(shelter.pk, [])
        shelter.free_beds = len(shelter.free_bed_list)
    return shelters


def occupancy_board(shelters, now=None):
    """Each shelter with its rooms, each bed with its current stay (or None) and the totals.

    Three queries whatever the number of shelters, beds and stays. The board names cases by their
    pseudonymous code, never a victim's name: unit staff see it, not only the case team.
    """
    now = now or timezone.now()
    shelters = list(shelters.order_by("name"))
    beds = list(
        ShelterBed.objects.filter(room__shelter__in=shelters)
        .select_related("room")
        .order_by("room__name", "label", "id")
    )
    stays = {
        s.bed_id: s
        for s in ShelterStay.objects.filter(bed__in=beds, discharged_at__isnull=True)
        .select_related("case")
        .annotate(extension_count=Count("extensions"))
    }
    by_shelter = {s.pk: s for s in shelters}
    for shelter in shelters:
        shelter.board_rooms, shelter.bed_count, shelter.occupied, shelter.overdue = [], 0, 0, 0
    rooms = {}
    for bed in beds:
        shelter = by_shelter[bed.room.shelter_id]
        bed.stay = stays.get(bed.pk)
        if bed.stay is not None:
            bed.stay.state = stay_state(bed.stay, now)
            shelter.occupied += 1
            shelter.overdue += bed.stay.state == "overdue"
        if bed.is_active:
            shelter.bed_count += 1
        room = rooms.get(bed.room_id)
        if room is None:
            room = rooms[bed.room_id] = {"room": bed.room, "beds": []}
            shelter.board_rooms.append(room)
        room["beds"].append(bed)
    for shelter in shelters:
        shelter.free = max(0, shelter.bed_count - shelter.occupied)
        shelter.full = shelter.is_active and shelter.free == 0
    return shelters


def case_page_panel(user, case, access):
    """The context of this app's panel on the case page (registered in apps.py)."""
    records = case_interventions(case)
    rows = sum(len(records[k]) for k in ("services", "stays", "mediations", "accompaniments", "restitutions"))
    rows += sum(len(item["stages"]) for item in records["legal"])
    # "rows": how many records the panel shows, for the case page's section title (cases.summary).
    return {"can_edit": access.edit, "rows": rows, **records}


def case_child(model, case, public_id):
    """One record of `model` (a stay, a mediation, a restitution) of `case`, or None."""
    return model.objects.filter(case=case, public_id=public_id).first()


def shelter_bed(shelter, public_id):
    return ShelterBed.objects.filter(room__shelter=shelter, public_id=public_id).first()
