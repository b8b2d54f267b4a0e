"""The public one-time set-password page (/pengaturan/sandi/<uid>/<token>/).

The link's first request moves the token into the session and redirects to a token-free URL
(/pengaturan/sandi/<uid>/atur/), where the form is: the token is never in the URL of a page.
"""

from datetime import timedelta

import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts import services
from sinergi.accounts.choices import Role
from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent

PASSWORD = "Rendang-Padang-2024!"


def new_account(personas):
    return services.user_create(
        actor=personas.kepala,
        username="baru",
        full_name="Rina Baru",
        role=Role.PENDAMPING,
        organisation=personas.orgs.unit,
    )


def open_link(client, path):
    """Follow the link as a browser does; returns the form page's response."""
    response = client.get(path)
    assert response.status_code == 302, response.status_code
    assert response["Referrer-Policy"] == "no-referrer"
    return client.get(response["Location"])


def test_it_works_for_anonymous_visitors(personas, client):
    user, path = new_account(personas)
    response = open_link(client, path)
    assert response.status_code == 200
    form_url = response.wsgi_request.path
    assert form_url.endswith("/atur/")
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert token not in form_url and token not in response.content.decode()
    response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
    event = AuditEvent.objects.get(action="user.password_set", outcome="ok")
    assert (event.actor_id, event.object_id) == (user.pk, user.public_id)
    assert len(client.get(reverse("account_login")).context["messages"]) == 1


def test_a_used_link_is_refused(personas, client):
    _user, path = new_account(personas)
    form_url = open_link(client, path).wsgi_request.path
    client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    for again in (Client().get(path), client.get(path), client.get(form_url)):
        assert again.status_code == 404
    assert client.get(path)["Referrer-Policy"] == "no-referrer"
    assert AuditEvent.objects.filter(action="user.password_set", outcome="denied").exists()


def test_an_expired_link_is_refused(personas, client):
    _user, path = new_account(personas)
    # A day's margin: the travel is in UTC while the token generator reads local time.
    later = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT) + timedelta(days=1)
    with time_machine.travel(later):
        assert client.get(path).status_code == 404


def test_a_link_of_a_disabled_account_is_refused(personas, client):
    user, path = new_account(personas)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(path).status_code == 404


def test_garbage_links_are_refused(db, client):
    for path in ("/pengaturan/sandi/xx/yy/", "/pengaturan/sandi/!!!/1-2/", "/pengaturan/sandi/MTIz/atur/"):
        assert client.get(path).status_code == 404


def test_the_form_needs_the_link_first(personas, client):
    user, _path = new_account(personas)
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uidb64 = urlsafe_base64_encode(force_bytes(user.public_id))
    form_url = reverse("accounts:password_set", args=[uidb64, "atur"])
    response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 404
    assert not User.objects.get(pk=user.pk).has_usable_password()


def test_password_rules_apply_and_the_link_stays_usable(personas, client):
    user, path = new_account(personas)
    form_url = open_link(client, path).wsgi_request.path
    response = client.post(form_url, {"new_password1": "pendek", "new_password2": "pendek"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD + "x"})
    assert "new_password2" in response.context["form"].errors
    assert not User.objects.get(pk=user.pk).has_usable_password()
    assert client.get(form_url).status_code == 200


def test_the_password_is_never_shown_back(personas, client):
    _user, path = new_account(personas)
    form_url = open_link(client, path).wsgi_request.path
    response = client.post(
        form_url, {"new_password1": "Rahasia-tapi-beda-1", "new_password2": "Rahasia-tapi-beda-2"}
    )
    assert "Rahasia-tapi-beda" not in response.content.decode()
