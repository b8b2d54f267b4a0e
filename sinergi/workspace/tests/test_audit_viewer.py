from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.audit.services import audit_record
from sinergi.testing.cases import case_row


def test_it_works_for_the_auditor(personas, login):
    audit_record(actor=personas.orang_luar, action="test.other_unit")
    response = login(personas.auditor).get(reverse("audit:list"))
    assert response.status_code == 200 and "test.other_unit" in response.content.decode()


def test_kepala_sees_own_unit_and_attempts_on_its_cases_only(personas, login):
    case = case_row(personas.orgs.unit)
    login(personas.mitra).get(reverse("cases:detail", args=[case.public_id]))
    audit_record(actor=personas.orang_luar, action="test.other_unit")
    audit_record(actor=personas.pendamping, action="test.own_unit")
    html = login(personas.kepala).get(reverse("audit:list")).content.decode()
    assert "test.own_unit" in html and "test.other_unit" not in html


def test_filters_work_and_the_search_is_audited(personas, login):
    audit_record(actor=personas.pendamping, action="test.alpha")
    audit_record(actor=personas.petugas, action="test.beta")
    html = login(personas.auditor).get(reverse("audit:list"), {"user": "petugas"}).content.decode()
    assert "test.beta" in html and "test.alpha" not in html
    search = AuditEvent.objects.filter(action="audit.search").latest("id")
    assert search.details["filters"] == ["user"]


def test_bad_filter_input_gets_a_message(personas, login):
    response = login(personas.auditor).get(
        reverse("audit:list"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()


def test_query_count_is_flat(personas, login, django_assert_max_num_queries):
    client = login(personas.auditor)
    for i in range(60):
        audit_record(actor=personas.pendamping, action=f"test.n{i}")
    with django_assert_max_num_queries(25):
        client.get(reverse("audit:list"))
