"""The client's address and the request id: X-Forwarded-For and X-Request-ID are believed only
from a trusted proxy (issue 15, items 2 and 8)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from sinergi.core.middleware import RequestIdMiddleware
from sinergi.core.net import client_address, from_trusted_proxy, parse_networks

PROXY = "127.0.0.1"


@pytest.fixture
def trusted(settings):
    settings.SINERGI_TRUSTED_PROXIES = parse_networks([PROXY, "10.0.0.0/24"])


def request(peer, forwarded=None, **headers):
    meta = {"REMOTE_ADDR": peer, **headers}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        (PROXY, "198.51.100.7", "198.51.100.7"),  # nginx appended the client
        (PROXY, "203.0.113.9, 198.51.100.7", "198.51.100.7"),  # the client forged the left part
        (PROXY, "198.51.100.7, 10.0.0.5", "198.51.100.7"),  # a load balancer before nginx, trusted too
        (PROXY, "198.51.100.7, 10.0.1.5", "10.0.1.5"),  # an untrusted hop stops the walk
        (PROXY, "garbage, 198.51.100.7", "198.51.100.7"),
        (PROXY, "198.51.100.7, garbage", PROXY),  # a malformed last hop: nothing left of it is believed
        (PROXY, None, PROXY),
        (PROXY, " 2001:db8::1 ", "2001:db8::1"),
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),  # not from a proxy: the header is ignored
        ("", None, None),
    ],
)
def test_the_client_is_found_from_the_right(trusted, peer, forwarded, client):
    assert client_address(request(peer, forwarded)) == client


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.SINERGI_TRUSTED_PROXIES = ()
    assert client_address(request(PROXY, "198.51.100.7")) == PROXY
    assert not from_trusted_proxy(request(PROXY))


def test_a_bad_network_is_refused():
    with pytest.raises(ValueError):
        parse_networks(["127.0.0.1", "not-an-address"])
    assert parse_networks(["", " 127.0.0.1 "]) == parse_networks(["127.0.0.1"])


def _request_id_of(req):
    middleware = RequestIdMiddleware(lambda r: HttpResponse())
    return middleware(req)["X-Request-ID"]


def test_a_clients_request_id_is_not_taken(trusted):
    chosen = "a1b2c3d4e5f6a7b8"
    assert _request_id_of(request("198.51.100.7", HTTP_X_REQUEST_ID=chosen)) != chosen


def test_nginxs_request_id_is_taken_from_the_proxy(trusted):
    nginx_id = "0123456789abcdef0123456789abcdef"
    assert _request_id_of(request(PROXY, HTTP_X_REQUEST_ID=nginx_id)) == nginx_id


@pytest.mark.django_db
def test_audit_events_and_allauth_see_the_same_address(trusted, personas, client):
    from allauth.account.adapter import get_adapter

    from sinergi.audit.models import AuditEvent

    client.post(
        "/akun/login/",
        {"login": "kepala", "password": "salah-sandi"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    )
    assert AuditEvent.objects.filter(action="auth.login_failed").latest("id").ip == "198.51.100.7"
    assert get_adapter().get_client_ip(request(PROXY, "198.51.100.7")) == "198.51.100.7"
