"""Session limits (30 min idle, 12 h absolute), the sessions page, and ending sessions on disable."""

import time
from datetime import timedelta

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts import security
from sinergi.accounts.middleware import EXPIRED_MESSAGES
from sinergi.audit.models import AuditEvent
from sinergi.testing.fixtures import choose_english

LOGIN = reverse("account_login")
POLL = {"HTTP_X_SINERGI_POLL": "1"}
# A page only a logged-in user opens (the root is the public front door for anyone else).
STAFF_PAGE = reverse("notifications:list")


def set_session(client, **values):
    session = client.session
    for key, value in values.items():
        session[key] = value
    session.save()


def minutes_ago(minutes):
    return time.time() - minutes * 60


def sessions_of(user):
    return [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk)]


# --- the clock starts at login ---------------------------------------------------------------


def test_login_records_the_login_time_and_activity(personas, login):
    before = time.time()
    client = login(personas.pendamping)
    assert before <= client.session[security.SESSION_LOGIN_AT] <= time.time()
    assert client.session[security.SESSION_LAST_ACTIVITY] == client.session[security.SESSION_LOGIN_AT]


def test_the_session_cookie_lives_no_longer_than_the_absolute_limit(settings):
    assert settings.SINERGI_SESSION_IDLE_MINUTES == 30
    assert settings.SINERGI_SESSION_MAX_HOURS == 12
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60


# --- idle timeout ----------------------------------------------------------------------------


def test_an_idle_session_ends(personas, login):
    client = login(personas.pendamping)
    set_session(client, **{security.SESSION_LAST_ACTIVITY: minutes_ago(31)})
    response = choose_english(client).get("/kasus/?page=2")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/kasus/%3Fpage%3D2"
    assert SESSION_KEY not in client.session
    event = AuditEvent.objects.get(action="auth.session_expired")
    assert event.outcome == "denied" and event.details["reason"] == "idle"
    assert event.object_id == personas.pendamping.public_id

    login_page = choose_english(client).get(response["Location"])
    assert str(EXPIRED_MESSAGES["idle"]) in login_page.content.decode()
    assert client.get(STAFF_PAGE).status_code == 302


def test_activity_keeps_a_session_alive(personas, login):
    client = login(personas.pendamping)
    set_session(client, **{security.SESSION_LAST_ACTIVITY: minutes_ago(29)})
    assert client.get(STAFF_PAGE).status_code == 200
    assert client.session[security.SESSION_LAST_ACTIVITY] > minutes_ago(1)


def test_polling_is_not_activity(personas, login):
    client = login(personas.pendamping)
    ten_minutes_ago = minutes_ago(10)
    set_session(client, **{security.SESSION_LAST_ACTIVITY: ten_minutes_ago})
    assert client.get(STAFF_PAGE, **POLL).status_code == 200
    assert client.session[security.SESSION_LAST_ACTIVITY] == ten_minutes_ago
    assert client.get(STAFF_PAGE).status_code == 200
    assert client.session[security.SESSION_LAST_ACTIVITY] > ten_minutes_ago


def test_a_page_left_polling_still_times_out(personas, login):
    client = login(personas.pendamping)
    for _ in range(3):
        with time_machine.travel(timezone.now() + timedelta(minutes=12 * (_ + 1))):
            response = client.get(STAFF_PAGE, **POLL)
    # 36 minutes of polling and nothing else: the third poll finds the session ended.
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert AuditEvent.objects.filter(action="auth.session_expired").count() == 1


def test_an_expired_post_goes_to_the_login_page(personas, login):
    client = login(personas.pendamping)
    set_session(client, **{security.SESSION_LAST_ACTIVITY: minutes_ago(45)})
    response = client.post("/", {"anything": "1"})
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_htmx_requests_get_hx_redirect(personas, login):
    client = login(personas.pendamping)
    set_session(client, **{security.SESSION_LAST_ACTIVITY: minutes_ago(31)})
    response = client.get(
        "/notifikasi/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/kasus/", **POLL
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{LOGIN}?next=/kasus/"
    assert "Location" not in response
    assert SESSION_KEY not in client.session


def test_htmx_requests_of_anonymous_users_get_hx_redirect_too(client, db):
    response = client.get(STAFF_PAGE, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"].startswith(LOGIN)


# --- absolute timeout ------------------------------------------------------------------------


def test_a_session_ends_after_twelve_hours_whatever_the_activity(personas, login):
    client = login(personas.pendamping)
    set_session(
        client,
        **{
            security.SESSION_LOGIN_AT: minutes_ago(12 * 60 + 1),
            security.SESSION_LAST_ACTIVITY: minutes_ago(1),
        },
    )
    response = client.get(STAFF_PAGE)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert AuditEvent.objects.get(action="auth.session_expired").details["reason"] == "absolute"


def test_eleven_hours_is_still_fine(personas, login):
    client = login(personas.pendamping)
    set_session(client, **{security.SESSION_LOGIN_AT: minutes_ago(11 * 60)})
    assert client.get(STAFF_PAGE).status_code == 200


def test_a_session_from_before_the_limits_starts_counting_now(personas, login):
    client = login(personas.pendamping)
    session = client.session
    del session[security.SESSION_LOGIN_AT]
    del session[security.SESSION_LAST_ACTIVITY]
    session.save()
    assert client.get(STAFF_PAGE).status_code == 200
    assert client.session[security.SESSION_LOGIN_AT] > minutes_ago(1)


# --- the sessions page -----------------------------------------------------------------------


def test_users_see_their_sessions_and_end_the_others(personas):
    laptop, phone = Client(HTTP_USER_AGENT="Laptop"), Client(HTTP_USER_AGENT="Telepon")
    for device in (laptop, phone):
        device.force_login(personas.pendamping)
        assert device.get(STAFF_PAGE).status_code == 200  # tracked by allauth.usersessions
    page = choose_english(laptop).get(reverse("usersessions_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Laptop" in html and "Telepon" in html and "/static/sinergi/sinergi.css" in html

    response = laptop.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert phone.get(STAFF_PAGE).status_code == 302
    assert laptop.get(STAFF_PAGE).status_code == 200
    assert UserSession.objects.filter(user=personas.pendamping).count() == 1


# --- disabling a user ------------------------------------------------------------------------


def test_disabling_a_user_ends_their_sessions_at_once(personas):
    tracked, untracked = Client(), Client()
    tracked.force_login(personas.pendamping)
    assert tracked.get(STAFF_PAGE).status_code == 200
    untracked.force_login(personas.pendamping)  # never made a request: allauth does not know it
    other = Client()
    other.force_login(personas.petugas)
    assert len(sessions_of(personas.pendamping)) == 2

    security.user_disable(actor=personas.kepala, user=personas.pendamping)

    personas.pendamping.refresh_from_db()
    assert personas.pendamping.is_active is False
    assert sessions_of(personas.pendamping) == []
    assert not UserSession.objects.filter(user=personas.pendamping).exists()
    assert tracked.get(STAFF_PAGE).status_code == 302
    assert untracked.get(STAFF_PAGE).status_code == 302
    assert other.get(STAFF_PAGE).status_code == 200
    event = AuditEvent.objects.get(action="user.disable")
    assert event.changes == {"is_active": [True, False]}
    assert event.actor_username == "kepala" and event.object_id == personas.pendamping.public_id
    assert event.details == {"sessions_ended": 2}


def test_a_disabled_user_cannot_log_in(client, personas):
    security.user_disable(actor=personas.admin, user=personas.pendamping)
    response = client.post(LOGIN, {"login": "pendamping", "password": "kata-sandi-uji-yang-panjang"})
    assert SESSION_KEY not in client.session
    assert response.status_code in {200, 302}


def test_disabling_needs_the_right_and_not_oneself(personas):
    with pytest.raises(PermissionDenied):
        security.user_disable(actor=personas.pendamping_lain, user=personas.pendamping)
    with pytest.raises(PermissionDenied):
        security.user_disable(actor=personas.kepala_luar, user=personas.pendamping)
    with pytest.raises(ValidationError):
        security.user_disable(actor=personas.admin, user=personas.admin)
    personas.pendamping.refresh_from_db()
    assert personas.pendamping.is_active
    assert AuditEvent.objects.filter(action="user.disable", outcome="denied").count() == 2


def test_user_sessions_end_all_counts_what_it_ended(personas):
    for _ in range(3):
        Client().force_login(personas.petugas)
    assert security.user_sessions_end_all(personas.petugas) == 3
    assert security.user_sessions_end_all(personas.petugas) == 0
