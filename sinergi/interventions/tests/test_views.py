"""The pages: each works for the case team, hides from outsiders (404), refuses without the right."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case
from sinergi.cases.policies import case_access
from sinergi.interventions import services as s
from sinergi.interventions.forms import DATETIME_FORMAT
from sinergi.interventions.models import (
    Accompaniment,
    LegalProcessStage,
    Mediation,
    Restitution,
    ServiceDelivery,
    Shelter,
    ShelterBed,
    ShelterStay,
)
from sinergi.interventions.selectors import case_page_panel

from .helpers import assess, make_case, make_shelter, perpetrator_of, victim_of

TODAY = timezone.localdate()


@pytest.fixture
def world(personas, case, shelter):
    """A case with a stay, a mediation and a restitution, so every page has its object."""
    assess(personas.pendamping, case)
    stay = s.shelter_admit(
        actor=personas.pendamping,
        case=case,
        victim=victim_of(case),
        shelter=shelter,
        criteria=["nyawa_terancam"],
    )
    mediation = s.mediation_start(
        actor=personas.pendamping, case=case, matter="nafkah", parties=list(case.persons.all())
    )
    restitution = s.restitution_file(
        actor=personas.pendamping, case=case, victim=victim_of(case), forms=["penderitaan"], filed_on=TODAY
    )
    return {"case": case, "stay": stay, "mediation": mediation, "restitution": restitution}


def urls(w):
    c = w["case"].public_id
    return {
        "case": reverse("interventions:case", args=[c]),
        "service_add": reverse("interventions:service_add", args=[c]),
        "shelter_admit": reverse("interventions:shelter_admit", args=[c]),
        "stay_discharge": reverse("interventions:stay_discharge", args=[c, w["stay"].public_id]),
        "stay_extend": reverse("interventions:stay_extend", args=[c, w["stay"].public_id]),
        "mediation_start": reverse("interventions:mediation_start", args=[c]),
        "mediation": reverse("interventions:mediation", args=[c, w["mediation"].public_id]),
        "accompaniment_add": reverse("interventions:accompaniment_add", args=[c]),
        "legal_stage_add": reverse("interventions:legal_stage_add", args=[c]),
        "restitution_file": reverse("interventions:restitution_file", args=[c]),
        "restitution_advance": reverse(
            "interventions:restitution_advance", args=[c, w["restitution"].public_id]
        ),
    }


CASE_PAGES = [
    "case",
    "service_add",
    "shelter_admit",
    "stay_discharge",
    "stay_extend",
    "mediation_start",
    "mediation",
    "accompaniment_add",
    "legal_stage_add",
    "restitution_file",
    "restitution_advance",
]
READ_ONLY_PAGES = {"case", "mediation"}


@pytest.mark.parametrize("page", CASE_PAGES)
def test_it_works(page, world, personas, login):
    for who in (personas.pendamping, personas.kepala):
        response = login(who).get(urls(world)[page])
        assert response.status_code == 200, who
    assert AuditEvent.objects.filter(
        action="case.view", case_id=world["case"].public_id, outcome="ok"
    ).exists()


@pytest.mark.parametrize("page", CASE_PAGES)
def test_it_hides_from_outsiders(page, world, personas, login):
    for who in (personas.orang_luar, personas.pendamping_lain, personas.kepala_luar):
        assert login(who).get(urls(world)[page]).status_code == 404
    event = AuditEvent.objects.filter(
        action="case.view", outcome="denied", actor_username="kepala_luar"
    ).get()
    assert event.case_id == world["case"].public_id


@pytest.mark.parametrize("page", CASE_PAGES)
def test_it_refuses_without_permission(page, world, personas, login):
    # Roles without case rights get the same 404 as outsiders (no URL confirms a case exists) ...
    for who in (personas.datin, personas.mitra, personas.admin):
        assert login(who).get(urls(world)[page]).status_code == 404
    # ... and a closed case is read-only: its edit pages answer 403.
    Case.objects.filter(pk=world["case"].pk).update(status="ditutup")
    status = login(personas.pendamping).get(urls(world)[page]).status_code
    assert status == (200 if page in READ_ONLY_PAGES else 403)


def test_a_closed_case_shows_no_edit_links(world, personas, login):
    Case.objects.filter(pk=world["case"].pk).update(status="ditutup")
    html = login(personas.pendamping).get(urls(world)["case"]).content.decode()
    assert urls(world)["service_add"] not in html and urls(world)["stay_extend"] not in html
    html = login(personas.pendamping).get(urls(world)["mediation"]).content.decode()
    assert 'name="action"' not in html
    response = login(personas.pendamping).post(urls(world)["mediation"], {"action": "session"})
    assert response.status_code == 403


def test_the_services_page_lists_what_was_recorded(world, personas, login):
    case = world["case"]
    s.legal_stage_record(
        actor=personas.pendamping,
        case=case,
        perpetrator=perpetrator_of(case),
        stage="laporan_polisi",
        occurred_at=timezone.now(),
        reference="LP/B/77/2026",
    )
    html = login(personas.pendamping).get(urls(world)["case"]).content.decode()
    for text in (
        "Rumah Aman Uji",
        "LP/B/77/2026",
        'data-stage="laporan_polisi"',
        world["restitution"].public_id,
    ):
        assert text in html, text


# --- forms through the pages -------------------------------------------------------------------


def test_recording_a_service(world, personas, login):
    client = login(personas.pendamping)
    data = {
        "victim": victim_of(world["case"]).public_id,
        "uptd_service": "pendampingan",
        "category": "bantuan_hukum",
        "status": "dirujuk",
        "date": TODAY.isoformat(),
        "provider_org": personas.orgs.partner.public_id,
        "notes": "Dirujuk ke LBH",
    }
    response = client.post(urls(world)["service_add"], data)
    assert response.status_code == 302
    service = ServiceDelivery.objects.get(uptd_service="pendampingan")
    assert service.provider_org == personas.orgs.partner and service.notes == "Dirujuk ke LBH"
    response = client.post(urls(world)["service_add"], {**data, "uptd_service": "", "category": ""})
    assert response.status_code == 200 and "Choose a UPTD PPA service" in response.content.decode()


def test_booking_a_full_shelter_shows_why(personas, login, shelter):
    for _ in range(2):
        other = make_case(personas.pendamping)
        s.shelter_admit(
            actor=personas.pendamping,
            case=other,
            victim=victim_of(other),
            shelter=shelter,
            criteria=["sindikat"],
            emergency=True,
        )
    case = make_case(personas.pendamping)
    response = login(personas.pendamping).post(
        reverse("interventions:shelter_admit", args=[case.public_id]),
        {
            "victim": victim_of(case).public_id,
            "shelter": shelter.public_id,
            "days": "7",
            "criteria": ["nyawa_terancam"],
            "emergency": "on",
        },
    )
    assert response.status_code == 200
    assert "is full" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="shelter_stay.admit", outcome="denied", case_id=case.public_id
    ).exists()


def test_admitting_through_the_page(personas, login, case, shelter):
    response = login(personas.pendamping).post(
        reverse("interventions:shelter_admit", args=[case.public_id]),
        {
            "victim": victim_of(case).public_id,
            "shelter": shelter.public_id,
            "days": "5",
            "criteria": ["nyawa_terancam", "saksi_korban"],
            "emergency": "on",
        },
    )
    assert response.status_code == 302
    stay = ShelterStay.objects.get(case=case)
    assert stay.criteria == ["nyawa_terancam", "saksi_korban"]
    assert stay.planned_until - stay.admitted_at == dt.timedelta(days=5)


def test_admitting_to_a_chosen_bed(personas, login, case, shelter):
    bed = ShelterBed.objects.get(room__shelter=shelter, label="B2")
    other = make_shelter(personas.orgs.unit, name="Rumah Aman Lain")
    url = reverse("interventions:shelter_admit", args=[case.public_id])
    data = {
        "victim": victim_of(case).public_id,
        "shelter": other.public_id,
        "bed": bed.public_id,
        "days": "7",
        "criteria": ["nyawa_terancam"],
        "emergency": "on",
    }
    client = login(personas.pendamping)
    response = client.post(url, data)
    assert response.status_code == 200 and "Choose a bed of the chosen shelter." in response.content.decode()
    assert client.post(url, {**data, "shelter": shelter.public_id}).status_code == 302
    assert ShelterStay.objects.get(case=case).bed == bed


def test_discharge_before_admission_through_the_page(world, personas, login):
    stay = world["stay"]
    before = timezone.localtime(stay.admitted_at - dt.timedelta(days=1)).strftime(DATETIME_FORMAT)
    response = login(personas.pendamping).post(urls(world)["stay_discharge"], {"discharged_at": before})
    assert response.status_code == 200 and "before the admission" in response.content.decode()
    response = login(personas.pendamping).post(urls(world)["stay_discharge"], {"discharged_at": ""})
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.discharged_at is not None


def test_an_extension_without_a_reason_through_the_page(world, personas, login):
    until = timezone.localtime(world["stay"].planned_until + dt.timedelta(days=2)).strftime(DATETIME_FORMAT)
    client = login(personas.pendamping)
    response = client.post(urls(world)["stay_extend"], {"until": until, "reason": ""})
    assert response.status_code == 200 and "reason for the extension" in response.content.decode()
    assert AuditEvent.objects.filter(action="shelter_stay.extend", outcome="denied").exists()
    response = client.post(urls(world)["stay_extend"], {"until": until, "reason": "Rumah korban belum aman"})
    assert response.status_code == 302 and world["stay"].extensions.count() == 1


def test_mediation_refused_for_a_tpks_case_through_the_page(personas, login):
    case = make_case(personas.pendamping, tpks=["perkosaan"])
    assess(personas.pendamping, case)
    client = login(personas.pendamping)
    url = reverse("interventions:mediation_start", args=[case.public_id])
    assert "TPKS" in client.get(url).content.decode()
    response = client.post(url, {"matter": "nafkah", "parties": [p.public_id for p in case.persons.all()]})
    assert response.status_code == 200 and "Mediation is not allowed" in response.content.decode()
    assert not Mediation.objects.filter(case=case).exists()


def test_a_mediation_page_records_sessions_and_the_agreement(world, personas, login):
    client = login(personas.pendamping)
    url = urls(world)["mediation"]
    response = client.post(
        url, {"action": "session", "session-held_on": TODAY.isoformat(), "session-mediator": "Mediator"}
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "action": "conclude",
            "conclude-status": "sepakat",
            "conclude-agreement_date": TODAY.isoformat(),
            "conclude-terms": "Nafkah",
        },
    )
    assert response.status_code == 200 and "signed" in response.content.decode()
    response = client.post(
        url,
        {
            "action": "conclude",
            "conclude-status": "sepakat",
            "conclude-agreement_signed": "on",
            "conclude-agreement_date": TODAY.isoformat(),
            "conclude-terms": "Nafkah Rp 1 juta per bulan",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "action": "follow_up",
            "follow_up-checked_on": TODAY.isoformat(),
            "follow_up-compliance": "dipatuhi",
        },
    )
    assert response.status_code == 302
    mediation = Mediation.objects.get(pk=world["mediation"].pk)
    assert (
        mediation.status == "sepakat"
        and mediation.sessions.count() == 1
        and mediation.follow_ups.count() == 1
    )
    assert client.post(url, {"action": "bogus"}).status_code == 404


def test_accompaniment_legal_stage_and_restitution_through_the_pages(world, personas, login):
    client = login(personas.pendamping)
    case = world["case"]
    response = client.post(
        urls(world)["accompaniment_add"],
        {
            "victim": victim_of(case).public_id,
            "destination": "rumah_sakit",
            "visited_on": TODAY.isoformat(),
            "officer_type": "psikolog",
            "officer": personas.psikolog.public_id,
            "officer_sex": "perempuan",
        },
    )
    assert response.status_code == 302 and Accompaniment.objects.get().same_sex is True
    response = client.post(
        urls(world)["legal_stage_add"],
        {
            "perpetrator": perpetrator_of(case).public_id,
            "stage": "laporan_polisi",
            "occurred_at": timezone.localtime().strftime(DATETIME_FORMAT),
            "agency": personas.orgs.partner.public_id,
        },
    )
    assert response.status_code == 302 and LegalProcessStage.objects.filter(stage="laporan_polisi").exists()
    response = client.post(
        urls(world)["restitution_file"],
        {
            "victim": victim_of(case).public_id,
            "restitution_forms": ["kerugian_lain"],
            "filed_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302 and Restitution.objects.count() == 2
    response = client.post(
        urls(world)["restitution_advance"], {"stage": "dibayar", "date": TODAY.isoformat()}
    )
    assert response.status_code == 200 and "after the court" in response.content.decode()
    response = client.post(
        urls(world)["restitution_advance"],
        {"stage": "diputus", "date": TODAY.isoformat(), "amount": "5000000"},
    )
    assert response.status_code == 302


def test_another_cases_stay_is_a_404(world, personas, login):
    other = make_case(personas.pendamping)
    url = reverse("interventions:stay_extend", args=[other.public_id, world["stay"].public_id])
    assert login(personas.pendamping).get(url).status_code == 404


# --- the occupancy board and the shelters ---------------------------------------------------------


def test_the_board_shows_beds_by_case_code_without_names(world, personas, login):
    html = login(personas.psikolog).get(reverse("interventions:shelter_board")).content.decode()
    assert world["case"].pseudonym in html and "Rina" not in html and "Jl. Rahasia" not in html
    assert "1 of 2 beds taken, 1 free." in html
    # psikolog is not on the case team: the code is shown, not linked.
    assert reverse("interventions:case", args=[world["case"].public_id]) not in html
    html = login(personas.pendamping).get(reverse("interventions:shelter_board")).content.decode()
    assert reverse("interventions:case", args=[world["case"].public_id]) in html


def test_the_board_shows_a_stay_past_its_end(world, personas, login):
    ShelterStay.objects.filter(pk=world["stay"].pk).update(
        planned_until=timezone.now() - dt.timedelta(hours=1)
    )
    html = login(personas.kepala).get(reverse("interventions:shelter_board")).content.decode()
    assert 'data-state="overdue"' in html and "1 stay past its end" in html


def test_the_board_hides_other_units_shelters(world, personas, login):
    html = login(personas.kepala_luar).get(reverse("interventions:shelter_board")).content.decode()
    assert "Rumah Aman Uji" not in html and world["case"].pseudonym not in html


def test_the_board_costs_the_same_whatever_the_rows(personas, login, django_assert_max_num_queries):
    client = login(personas.kepala)
    url = reverse("interventions:shelter_board")

    def fill(shelter, n):
        for bed in ShelterBed.objects.filter(room__shelter=shelter)[:n]:
            case = make_case(personas.kepala)
            ShelterStay.objects.create(
                case=case,
                victim=victim_of(case),
                bed=bed,
                admitted_at=timezone.now(),
                planned_until=timezone.now() + dt.timedelta(days=7),
                criteria=["sindikat"],
            )

    fill(make_shelter(personas.orgs.unit, name="Satu", beds=1), 1)
    client.get(url)  # warm the session and the access tables
    # 19: +1 for the kepala's danger-now banner look-up (sinergi.portal.alarm), on every page.
    with django_assert_max_num_queries(19) as small:
        assert client.get(url).status_code == 200
    for n in range(4):
        fill(make_shelter(personas.orgs.unit, name=f"Rumah {n}", beds=5), 3)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_kepala_creates_and_equips_a_shelter(personas, login):
    client = login(personas.kepala)
    response = client.post(
        reverse("interventions:shelter_create"),
        {
            "name": "Rumah Aman Dua",
            "address": "Rahasia",
            "is_active": "on",
            "bed-room_name": "K1",
            "bed-label": "1",
        },
    )
    shelter = Shelter.objects.get(name="Rumah Aman Dua")
    assert response.status_code == 302 and shelter.address == "Rahasia"
    url = reverse("interventions:shelter_edit", args=[shelter.public_id])
    assert client.post(url, {"action": "bed_add", "bed-room_name": "K1", "bed-label": "2"}).status_code == 302
    response = client.post(url, {"action": "bed_add", "bed-room_name": "K1", "bed-label": "2"})
    assert response.status_code == 200 and "already has a bed" in response.content.decode()
    bed = ShelterBed.objects.get(room__shelter=shelter, label="2")
    assert client.post(url, {"action": "bed_off", "bed": bed.public_id}).status_code == 302
    bed.refresh_from_db()
    assert not bed.is_active
    response = client.post(
        url, {"action": "update", "name": "Rumah Aman Baru", "address": "", "is_active": "on"}
    )
    assert response.status_code == 302
    assert login(personas.kepala_luar).get(url).status_code == 404
    assert login(personas.pendamping).get(url).status_code == 403


# --- the panel W includes on the case page --------------------------------------------------------


def test_the_case_panel_tag_renders_for_the_case_page(world, personas):
    request = RequestFactory().get("/")
    request.user = personas.pendamping
    case = world["case"]
    panel = case_page_panel(personas.pendamping, case, case_access(personas.pendamping, case))
    html = Template("{% load interventions_tags %}{% interventions_panel case panel %}").render(
        Context({"request": request, "case": case, "panel": panel})
    )
    assert 'id="services"' in html and 'id="shelter"' in html and "Rumah Aman Uji" in html
    assert reverse("interventions:service_add", args=[world["case"].public_id]) in html


def test_the_services_page_costs_the_same_whatever_the_rows(
    world, personas, login, django_assert_max_num_queries
):
    case = world["case"]
    client = login(personas.pendamping)
    url = urls(world)["case"]
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    victim, perpetrator = victim_of(case), perpetrator_of(case)
    for n in range(3):
        s.service_record(
            actor=personas.pendamping,
            case=case,
            victim=victim,
            category="kesehatan",
            status="diberikan",
            date=TODAY,
        )
        s.accompaniment_record(
            actor=personas.pendamping,
            case=case,
            victim=victim,
            destination="kepolisian",
            visited_on=TODAY,
            officer_type="uptd_ppa",
            officer=personas.pendamping,
        )
        s.legal_stage_record(
            actor=personas.pendamping,
            case=case,
            perpetrator=perpetrator,
            stage="penyidikan",
            occurred_at=timezone.now(),
        )
        s.shelter_extend(
            actor=personas.pendamping,
            stay=world["stay"],
            until=ShelterStay.objects.get(pk=world["stay"].pk).planned_until + dt.timedelta(days=1),
            reason=f"Alasan perpanjangan {n}",
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_case_page_shows_the_panel_and_the_events(world, personas, login):
    html = (
        login(personas.pendamping)
        .get(reverse("cases:detail", args=[world["case"].public_id]))
        .content.decode()
    )
    assert 'id="shelter"' in html and "Rumah Aman Uji" in html
    assert 'data-action="shelter_stay.admit"' in html
