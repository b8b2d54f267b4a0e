"""Every page that shows a case is a read in the audit trail: a form sent back with its errors as
much as the first look, and the team page too (issue 15, item 7)."""

import pytest
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.cases import workflow

from .helpers import write_plan


def views_of(case, page):
    return AuditEvent.objects.filter(
        action="case.view", object_id=case.public_id, outcome="ok", details__page=page
    ).count()


@pytest.mark.django_db
def test_the_team_page_is_a_read_of_the_case(personas, login, case):
    response = login(personas.kepala).get(reverse("cases:team", args=[case.public_id]))
    assert response.status_code == 200
    assert views_of(case, "team") == 1


@pytest.mark.django_db
def test_a_refused_team_change_shown_again_is_a_read(personas, login, case):
    client = login(personas.kepala)
    response = client.post(reverse("cases:team", args=[case.public_id]), {"action": "lead", "user": ""})
    assert response.status_code == 200
    assert views_of(case, "team") == 1


@pytest.mark.django_db
def test_an_invalid_plan_shown_again_in_full_is_a_read(personas, login, case):
    write_plan(personas, case)
    client = login(personas.pendamping)
    data = {"goals": "", "actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0"}
    response = client.post(reverse("cases:plan", args=[case.public_id]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert views_of(case, "plan") == 1


@pytest.mark.django_db
def test_an_invalid_decision_on_an_approval_shown_again_is_a_read(personas, login, case):
    request = workflow.plan_submit(actor=personas.pendamping, plan=write_plan(personas, case))
    client = login(personas.kepala)
    url = reverse("cases:approval", args=[case.public_id, request.public_id])
    response = client.post(url, {"decision": "neither", "comment": ""})
    assert response.status_code == 200
    assert views_of(case, "approval") == 1
