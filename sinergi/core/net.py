"""The client's address: one function for every rate limit, every audit event and allauth
(issue 15, item 2).

Behind nginx every request comes from 127.0.0.1. The client is then in X-Forwarded-For, which
nginx appends to (`$proxy_add_x_forwarded_for`), but which anyone can also send. So the header is
read only when the peer (REMOTE_ADDR) is one of settings.SINERGI_TRUSTED_PROXIES, and then from
the right: the first address that is not itself a trusted proxy is the client. Whatever a client
writes further left is never believed. Without trusted proxies (the default) the peer is the
client.
"""

import ipaddress

from django.conf import settings

_CACHE_ATTR = "_sinergi_client_address"


def parse_networks(values):
    """The trusted proxies' networks from addresses or CIDR ranges (ValueError on a bad one)."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip())


def _address(text):
    try:
        address = ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None
    # An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d: the same client.
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address):
    return address is not None and any(address in network for network in settings.SINERGI_TRUSTED_PROXIES)


def from_trusted_proxy(request):
    """Did the request reach the app through one of the trusted proxies?"""
    return _trusted(_address(request.META.get("REMOTE_ADDR")))


def client_address(request):
    """The client's IP address as text, or None when the request has no usable peer address."""
    cached = getattr(request, _CACHE_ATTR, False)
    if cached is not False:
        return cached
    peer = _address(request.META.get("REMOTE_ADDR"))
    client = peer
    if _trusted(peer):
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed(hops):
            address = _address(hop)
            if address is None:
                break  # a malformed entry: nothing left of it can be trusted
            client = address
            if not _trusted(address):
                break
    result = str(client) if client is not None else None
    setattr(request, _CACHE_ATTR, result)
    return result
