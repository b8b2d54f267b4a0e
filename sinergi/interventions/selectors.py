"""Reading services delivered: a case's panel, the shelters a user may see, the occupancy board."""

from itertools import groupby

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.access import has_permission
from sinergi.accounts.choices import OrganisationKind
from sinergi.cases.choices import PersonRole
from sinergi.cases.selectors import cases_visible_to

from .choices import COURT_RIGHTS, ExplanationMethod, RightsItem, ShelterCriterion
from .models import (
    Accompaniment,
    CourtMonitoring,
    LegalProcessStage,
    Mediation,
    Restitution,
    RightsExplanation,
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
    monitorings = {m.stage_id: m for m in CourtMonitoring.objects.filter(stage__case=case)}
    for st in stages:
        st.court = monitorings.get(st.pk)
        if st.court is not None:
            st.court.not_respected = court_problem_labels(st.court)
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
        "rights": rights_coverage(case),
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
    rows += sum(len(item["records"]) for item in records["rights"])
    # "rows": how many records the panel shows, for the case page's section title (cases.summary).
    return {"can_edit": access.edit, "rows": rows, **records}


def case_child(model, case, public_id):
    """One record of `model` (a stay, a mediation, a restitution) of `case`, or None."""
    return model.objects.filter(case=case, public_id=public_id).first()


def shelter_bed(shelter, public_id):
    return ShelterBed.objects.filter(room__shelter=shelter, public_id=public_id).first()


# --- rights information and court monitoring ----------------------------------------------------


def rights_coverage(case):
    """Per victim of `case`: each right of RightsItem, ticked when any record explained it, with
    when it was first explained, by whom and how (the union of the victim's records)."""
    victims = list(case.persons.filter(role=PersonRole.KORBAN).order_by("id"))
    records = list(
        RightsExplanation.objects.filter(case=case)
        .select_related("explained_by")
        .order_by("explained_on", "id")
    )
    methods = dict(ExplanationMethod.choices)
    coverage = []
    for victim in victims:
        own = [r for r in records if r.victim_id == victim.pk]
        first = {}
        for record in own:
            for code in record.rights:
                first.setdefault(code, record)
        items = [
            {
                "code": code,
                "label": label,
                "explained": code in first,
                "on": first[code].explained_on if code in first else None,
                "by": first[code].explained_by if code in first else None,
                "method": methods.get(first[code].method, "") if code in first else "",
            }
            for code, label in RightsItem.choices
        ]
        coverage.append(
            {
                "victim": victim,
                "items": items,
                "explained_count": sum(i["explained"] for i in items),
                "total": len(items),
                "missing": [i["label"] for i in items if not i["explained"]],
                "records": own,
            }
        )
    return coverage


_COURT_RIGHT_LABELS = {
    "accompanied": _("not accompanied"),
    "not_confronted": _("confronted with the perpetrator"),
    "closed_hearing_child": _("no closed hearing for a child victim"),
    "restitution_asked": _("restitution not asked for"),
}
_OTHER_PROBLEM = _("other problem (see the case)")


def court_problem_labels(monitoring):
    """Which rights were not respected, as labels: what an outsider may read of a concern (the
    free text of `problems` is encrypted and stays on the case)."""
    labels = [_COURT_RIGHT_LABELS[k] for k in COURT_RIGHTS if getattr(monitoring, k) is False]
    if not labels and monitoring.problems:
        labels = [_OTHER_PROBLEM]
    return labels


def stage_monitoring(stage):
    """The court monitoring of a legal stage, or None."""
    return CourtMonitoring.objects.filter(stage=stage).first()


def open_court_concerns(unit, user=None):
    """The unit's open concerns (raised at the rakor, not resolved), grouped by agency.

    Each group: {"agency", "rows"}; each row: case, stage label, problem labels, date of the stage
    and, when `user` is given, `case_visible` (may this user open the case: only then may its code
    be shown). Never a name, never the encrypted text. Groups are sorted by agency, rows by date.
    """
    rows = CourtMonitoring.objects.filter(
        stage__case__unit=unit, raise_at_rakor=True, concern_resolved_at__isnull=True
    ).select_related("stage__case", "stage__agency")
    if user is not None:
        rows = rows.annotate(
            case_visible=Exists(cases_visible_to(user).filter(pk=OuterRef("stage__case_id")))
        )
    groups = {}
    for m in rows.order_by("stage__occurred_at", "id"):
        agency = m.stage.agency_label or str(_("Agency not recorded"))
        groups.setdefault(agency, []).append(
            {
                "monitoring": m,
                "case": m.stage.case,
                "case_visible": getattr(m, "case_visible", False),
                "stage": m.stage.get_stage_display(),
                "problems": court_problem_labels(m),
                "date": m.stage.occurred_at,
            }
        )
    return [{"agency": a, "rows": groups[a]} for a in sorted(groups, key=str.casefold)]
