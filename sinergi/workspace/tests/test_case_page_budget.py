"""The case page with the panels of every context on it (notes, services, clocks, stays)."""

import datetime as dt

from django.urls import reverse

from sinergi.cases.workflow import note_add
from sinergi.interventions.services import service_record
from sinergi.testing.cases import register_case


def test_query_count_does_not_grow_with_the_work_on_the_case(personas, login, django_assert_max_num_queries):
    """Notes, services, clocks and stays on the page: each panel costs the same with 1 or 6."""
    client = login(personas.pendamping)
    case = register_case(personas.pendamping, summary="Awal", risk="tinggi")
    victim = case.persons.get(role="korban")
    today = dt.date.today()

    def more_work():
        note_add(actor=personas.pendamping, case=case, body="Korban dihubungi lewat telepon.")
        service_record(
            actor=personas.pendamping,
            case=case,
            victim=victim,
            category="kesehatan",
            status="diberikan",
            date=today,
            emergency=True,
        )

    more_work()
    url = reverse("cases:detail", args=[case.public_id])
    client.get(url)  # warm caches (session, permissions)
    with django_assert_max_num_queries(80) as one:
        assert client.get(url).status_code == 200
    for _ in range(5):
        more_work()
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("Korban dihubungi lewat telepon.") == 6  # the six notes are on the page
