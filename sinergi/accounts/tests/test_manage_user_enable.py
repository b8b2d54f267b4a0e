from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.testing.factories import UserFactory


def test_it_works(personas, login):
    target = UserFactory(organisation=personas.orgs.unit, is_active=False)
    response = login(personas.kepala).post(reverse("accounts:user_enable", args=[target.public_id]))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_active
    event = AuditEvent.objects.get(action="user.enable", object_id=target.public_id)
    assert event.changes == {"is_active": [False, True]}


def test_it_hides_from_outsiders(personas, login):
    target = UserFactory(organisation=personas.orgs.unit, is_active=False)
    response = login(personas.kepala_luar).post(reverse("accounts:user_enable", args=[target.public_id]))
    assert response.status_code == 404
    target.refresh_from_db()
    assert not target.is_active


def test_it_refuses_without_permission(personas, login):
    target = UserFactory(organisation=personas.orgs.unit, is_active=False)
    response = login(personas.pendamping).post(reverse("accounts:user_enable", args=[target.public_id]))
    assert response.status_code == 403
    target.refresh_from_db()
    assert not target.is_active
