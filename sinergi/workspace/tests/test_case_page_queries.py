"""The case page of a case with work from every context on it stays within its query budget."""

import datetime as dt

import pytest
from django.urls import reverse

from sinergi.cases.record import case_register
from sinergi.cases.workflow import note_add
from sinergi.interventions.services import service_record
from sinergi.referrals.services import referral_create

# +2 with per-victim incidents: approved "not TPKS" decisions (once, for the flags and the panel), the
# perpetrator-victim relations, the victims for the classification panel. +1 for the kepala: the
# danger-now banner looks for untaken alarms on every page of the people who can open the queue.
# +2: the people named on the timeline and on the access panel (full name and position).
# +2: the protection section (the protections in force; the victims of a high-risk case without a
# safety plan). +3: the services panel's rights explained (victims, records) and court monitoring per stage.
CASE_PAGE_BUDGET = 45


@pytest.fixture
def busy_case(personas):
    """Two victims, a perpetrator, notes, a service, the clocks of a high-risk case, a referral."""
    actor = personas.pendamping
    case = case_register(
        actor=actor,
        victims=[
            {"name": "Siti Aminah", "sex": "perempuan", "age_years": 30},
            {"name": "Rina Aminah", "sex": "perempuan", "age_years": 9},
        ],
        perpetrators=[{"name": "Budi Santoso", "sex": "laki_laki", "age_years": 35}],
        channel="datang_langsung",
        case_type="ktp",
        risk="tinggi",
        summary="Awal",
    )
    victim = case.persons.filter(role="korban").first()
    note_add(actor=actor, case=case, body="Korban dihubungi lewat telepon.")
    note_add(actor=actor, case=case, body="Catatan tim.", private=True)
    service_record(
        actor=actor,
        case=case,
        victim=victim,
        category="kesehatan",
        status="diberikan",
        date=dt.date.today(),
        emergency=True,
    )
    referral_create(
        actor=actor,
        case=case,
        victim=victim,
        to_agency=personas.orgs.partner,
        services=["penegakan_hukum"],
        shared_sections=["identitas"],
    )
    return case


@pytest.mark.parametrize("persona", ["pendamping", "kepala"])
def test_the_case_page_stays_within_its_budget(
    persona, personas, login, busy_case, django_assert_max_num_queries
):
    client = login(getattr(personas, persona))
    url = reverse("cases:detail", args=[busy_case.public_id])
    client.get(url)  # warm caches (session, permissions)
    with django_assert_max_num_queries(CASE_PAGE_BUDGET):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Korban dihubungi lewat telepon." in html
    assert 'id="deadlines"' in html
    assert 'id="services"' in html
