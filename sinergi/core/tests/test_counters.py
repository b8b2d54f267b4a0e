"""The atomic counters behind every limit: the database row without Redis, Redis with it."""

import secrets
import socket

import pytest
import time_machine
from django.test import override_settings

from sinergi.core import counters
from sinergi.core.models import RateCounter


def redis_reachable():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.3).close()
    except OSError:
        return False
    return True


@pytest.fixture(params=["database", "redis"])
def backend(request, settings):
    if request.param == "database":
        settings.REDIS_URL = ""
        yield "database"
        return
    if not redis_reachable():
        pytest.skip("no Redis on 127.0.0.1:6379")
    url = "redis://127.0.0.1:6379/0"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"sinergi-test-{secrets.token_hex(4)}",  # never another program's keys
        }
    }
    with override_settings(REDIS_URL=url, CACHES=caches):
        yield "redis"


@pytest.mark.django_db
def test_take_counts_gives_back_and_reads(backend):
    key = f"test:{secrets.token_hex(4)}"
    assert [counters.take(key, 60) for _ in range(3)] == [1, 2, 3]
    counters.give_back(key, 60)
    assert counters.current(key, 60) == 2
    assert (RateCounter.objects.exists()) == (backend == "database")


@pytest.mark.django_db
def test_a_new_window_starts_at_zero(backend):
    key = f"test:{secrets.token_hex(4)}"
    with time_machine.travel("2026-12-01 10:00 +0000", tick=False):
        counters.take(key, 600)
        counters.take(key, 600)
    with time_machine.travel("2026-12-01 10:11 +0000", tick=False):
        assert counters.current(key, 600) == 0
        assert counters.take(key, 600) == 1


@pytest.mark.django_db
def test_ended_windows_are_deleted(settings):
    settings.REDIS_URL = ""
    with time_machine.travel("2026-12-01 10:00 +0000", tick=False):
        counters.take("test:old", 60)
    with time_machine.travel("2026-12-01 11:00 +0000", tick=False):
        counters.take("test:new", 60)
        assert counters.forget_expired() == 1
    assert list(RateCounter.objects.values_list("count", flat=True)) == [1]
