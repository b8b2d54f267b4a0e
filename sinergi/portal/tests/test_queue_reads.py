"""A report shown again with a form's errors is a read in the audit trail, like the first look
(issue 15, item 7): the page shows the reporter's whole account either way."""

import pytest
from django.urls import reverse

from sinergi.audit.models import AuditEvent

from .helpers import make_report


@pytest.fixture
def report(personas):
    r, _pin = make_report(personas.orgs.unit, anonymous=False)
    return r


def views_of(report):
    return AuditEvent.objects.filter(
        action="portal_report.view", object_id=report.public_id, outcome="ok"
    ).count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"),
    [("reject", {"reason": ""}), ("message", {"body": ""}), ("merge", {"reference": "K-TIDAK-ADA"})],
)
def test_a_decision_form_sent_back_with_errors_logs_a_read(personas, login, report, name, data):
    response = login(personas.kepala).post(reverse(f"portal:{name}", args=[report.public_id]), data)
    assert response.status_code == 400
    assert report.public_id in response.content.decode() or report.display_code in response.content.decode()
    assert views_of(report) == 1


@pytest.mark.django_db
def test_an_invalid_registration_from_a_report_logs_a_read(personas, login, report):
    url = reverse("portal:convert", args=[report.public_id])
    response = login(personas.kepala).post(url, {"case_type": "bukan-jenis", "risk": "bukan-risiko"})
    assert response.status_code == 400
    assert views_of(report) == 1


@pytest.mark.django_db
def test_everyone_alerted_about_danger_now_can_open_the_report(personas, client):
    from sinergi.accounts.models import User
    from sinergi.portal.selectors import on_duty_staff, reports_visible_to

    report, _pin = make_report(personas.orgs.unit, danger_now=True)
    alerted = on_duty_staff(report.unit)
    assert {u.username for u in alerted} == {"kepala", "petugas"}
    for user in User.objects.filter(organisation=report.unit, is_active=True):
        may_open = reports_visible_to(user).filter(pk=report.pk).exists()
        assert (user in alerted) == may_open, user.username
