"""With the cache (Redis) unreachable, a report is still stored and its receipt shown, the PIN check
is refused calmly instead of waved through, and no page answers a 500."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.portal import throttle
from sinergi.portal.models import Report

from .helpers import code_and_pin, report_data

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every cache call fails at once with a connection error.
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"
DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": DEAD_REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def unit(personas):
    return personas.orgs.unit


def test_the_limits_fail_open_for_reports_and_closed_for_the_pin():
    with override_settings(CACHES=DEAD_REDIS, REDIS_URL=DEAD_REDIS_URL):
        assert throttle.attempt("report_ip", "10.0.0.1") is True
        throttle.refund("report_ip", "10.0.0.1")  # logged, never raised
        with pytest.raises(throttle.Unavailable):
            throttle.attempt("track_code", "ABCD")


def test_a_report_is_stored_and_its_receipt_shown(unit):
    with override_settings(CACHES=DEAD_REDIS, REDIS_URL=DEAD_REDIS_URL):
        response = Client().post(reverse("portal:report"), report_data())
    assert response.status_code == 200
    code, pin = code_and_pin(response)
    assert Report.objects.get().tracking_code.replace("-", "") in code.replace("-", "")
    assert len(pin) >= 4


def test_the_pin_is_not_checked_without_its_counter(unit):
    code, pin = code_and_pin(Client().post(reverse("portal:report"), report_data()))
    with override_settings(CACHES=DEAD_REDIS, REDIS_URL=DEAD_REDIS_URL):
        response = Client().post(reverse("portal:track"), {"code": code, "pin": pin})
    assert response.status_code == 503
    assert "coba lagi beberapa menit lagi" in response.content.decode()
    refused = AuditEvent.objects.filter(action="portal.report.track").latest("id")
    assert refused.details == {"reason": "unavailable"}


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_a_page_that_needs_the_cache_answers_503_not_500(personas):
    # Staff sign-in counts attempts in the cache (allauth's rate limits).
    client = Client(raise_request_exception=False)
    with override_settings(CACHES=DEAD_REDIS, REDIS_URL=DEAD_REDIS_URL):
        response = client.post(reverse("account_login"), {"login": "nobody", "password": "x"})
    assert response.status_code == 503
    assert response["Retry-After"]
