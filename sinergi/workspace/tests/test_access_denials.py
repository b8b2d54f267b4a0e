"""Denials land in the audit trail, with what the unit needs to see them."""

from django.urls import reverse
from django.utils.html import escape

from sinergi.audit.models import AuditEvent
from sinergi.testing.matrix import (
    ACCESS_PANEL,
)

# --- denials land in the audit trail, with what the unit needs to see them --------------------------
from .matrix_table import _all_staff_unit


def test_a_refused_role_is_audited_as_access_denied(world, login):
    url = reverse("audit:list")
    assert login(world.datin).get(url).status_code == 403
    event = AuditEvent.objects.get(action="access.denied", actor_username="datin")
    assert event.outcome == "denied"
    assert event.details == {"permission": "audit.view", "path": url}
    assert event.organisation_id == world.orgs.unit.pk


def test_a_hidden_case_is_audited_as_a_denied_view_of_that_case(world, login):
    url = reverse("cases:detail", args=[world.unit_case.public_id])
    assert login(world.pendamping_lain).get(url).status_code == 404
    event = AuditEvent.objects.get(action="case.view", actor_username="pendamping_lain")
    assert (event.outcome, event.object_type, event.object_id) == (
        "denied",
        "case",
        world.unit_case.public_id,
    )
    assert (event.case_id, event.unit_id) == (world.unit_case.public_id, world.orgs.unit.pk)
    # So the unit's kepala sees the attempt on the case itself.
    panel = login(world.kepala).get(url).content.decode().split(ACCESS_PANEL, 1)[-1]
    assert escape(world.pendamping_lain.name_and_position) in panel


def test_a_hidden_referral_and_user_are_audited(world, login):
    login(world.mitra_lain).get(reverse("referrals:detail", args=[world.referral.public_id]))
    login(world.kepala_luar).get(reverse("accounts:user_detail", args=[world.target.public_id]))
    assert AuditEvent.objects.filter(
        action="referral.view",
        outcome="denied",
        actor_username="mitra_lain",
        object_id=world.referral.public_id,
    ).exists()
    assert AuditEvent.objects.filter(
        action="user.view", outcome="denied", actor_username="kepala_luar", object_id=world.target.public_id
    ).exists()


def test_a_partner_trying_a_case_url_shows_on_that_case(world, login):
    url = reverse("cases:detail", args=[world.unit_case.public_id])
    assert login(world.mitra).get(url).status_code == 404
    assert AuditEvent.objects.filter(
        actor_username="mitra", outcome="denied", case_id=world.unit_case.public_id
    ).exists()
    panel = login(world.kepala).get(url).content.decode().split(ACCESS_PANEL, 1)[-1]
    assert "mitra" in panel


def test_access_panel_is_for_the_case_team_only(world, login):
    _all_staff_unit(world)
    url = reverse("cases:detail", args=[world.unit_case.public_id])
    response = login(world.pendamping_lain).get(url)
    assert response.status_code == 200  # may see the case: the unit lets all staff see all cases
    assert ACCESS_PANEL not in response.content.decode()
