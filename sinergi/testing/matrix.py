"""The permission matrix's vocabulary, shared by sinergi/workspace/tests/matrix_table.py and
the routes each app declares in `sinergi/<app>/tests/matrix_routes*.py`.

An app's module defines `ROUTES = {route name: public(...) | self_service(...) | Guarded(...)}` and,
when its rows need objects of its own, `world_extras(w) -> dict`: called once after the shared
world (personas, `unit_case`, `restricted_case`, `other_case`, `referral`, ...) is built, inside
the same rolled-back transaction; the dict's items become attributes of the world.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.urls import reverse

from sinergi.testing.fixtures import PERSONAS

ANONYMOUS = "anonymous"
EVERYONE = (*PERSONAS, ANONYMOUS)
LOGIN = 302  # what anonymous gets on every guarded route: the login page
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ACCESS_PANEL = 'id="access-heading"'  # the "who accessed this case" panel of a case page

PUBLIC = "public"
SELF_SERVICE = "self-service"


# --- the table's vocabulary ---------------------------------------------------------------------


@dataclass(frozen=True)
class Classified:
    """A route outside the matrix, with the one-line reason it needs no role."""

    kind: str  # PUBLIC or SELF_SERVICE
    reason: str
    sample: dict = field(default_factory=dict)  # URL kwargs for routes that take arguments


def public(reason, **sample):
    return Classified(PUBLIC, reason, sample)


def self_service(reason, **sample):
    return Classified(SELF_SERVICE, reason, sample)


@dataclass(frozen=True)
class Row:
    """One request shape of a route, with the status every persona must get."""

    url: Callable[[Any], str]  # world → URL
    expect: dict  # persona (every one, and anonymous) → status
    method: str = "get"
    data: Callable[[Any], dict] | None = None  # world → POST data
    variant: str = ""  # what this row changes in the world, e.g. "restricted"
    prepare: Callable[[Any], None] | None = None  # world → None, before the request
    shows: tuple = ()  # ((text or world → text, "personas whose 200 page has it; nobody else's"), ...)
    effect: Callable[[Any], bool] | None = None  # world → did the POST change what it changes?
    effect_for: frozenset | None = None  # who changes it (default: whoever gets a 2xx/3xx)
    denied: str = ""  # the audited action of a 404, e.g. "case.view"
    denied_case: Callable[[Any], Any] | None = None  # world → the case a refused attempt is tied to

    @property
    def label(self):
        parts = [p for p in (self.variant, "POST" if self.method == "post" else "") if p]
        return "/" + "/".join(parts) if parts else ""

    def changers(self):
        if self.effect_for is not None:
            return self.effect_for
        return frozenset(p for p, s in self.expect.items() if p != ANONYMOUS and 200 <= s < 400)


@dataclass(frozen=True)
class Guarded:
    rows: tuple
    permission: str = ""  # the right require_permission checks on the view
    login_only: str = ""  # or: why a login alone is enough (the view scopes to the user's own things)
    reauth_as: str = ""  # a persona holding the right: the view must ask them for their password again


def statuses(groups=None, *, default, anonymous=LOGIN):
    """{status: "persona persona ..."} plus a default → {persona: status} for every persona."""
    table = dict.fromkeys(PERSONAS, default)
    seen = set()
    for status, names in (groups or {}).items():
        for name in names.split():
            assert name in PERSONAS, f"unknown persona {name!r}"
            assert name not in seen, f"persona {name!r} listed twice"
            seen.add(name)
            table[name] = status
    table[ANONYMOUS] = anonymous
    return table


# Who holds which right (access_control.md), as groups the rows below combine.
KEPALAS = "kepala kepala_provinsi kepala_luar"
CASE_WORKERS = "petugas pendamping pendamping_lain psikolog orang_luar"  # case.view, scope team
MANAGERS = "admin " + KEPALAS  # user.manage
AUDIT_READERS = "admin auditor " + KEPALAS  # audit.view
OTHER_HEADS_404 = "kepala_provinsi kepala_luar"  # user.manage, but the target is not in their unit


def _url(name, *args):
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args])


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def _unit_case_id(w):
    return w.unit_case.public_id


def _target_id(w):
    return w.target.public_id


def _case_edit_route(name, *extra, empty_post=None):
    """A page that edits part of the unit case: its team's case worker and its kepala only.

    Every refusal is the same audited 404 as for the case page, whatever the reason.
    `empty_post=<status>`: a POST without data too, which those two get `status` for (200: the
    form with its errors) and everyone else the same refusal as the page.
    """
    page = Row(
        url=_url(name, _unit_case_id, *extra),
        expect=statuses({200: "kepala pendamping"}, default=404),
        denied="case.view",
        denied_case=lambda w: w.unit_case,
    )
    if empty_post is None:
        return Guarded(permission="case.edit", rows=(page,))
    post = replace(page, method="post", expect=statuses({empty_post: "kepala pendamping"}, default=404))
    return Guarded(permission="case.edit", rows=(page, post))


def _post_only(name, *args):
    """GET on a POST-only route: 405 for every persona (require_POST answers before any guard)."""
    return Row(url=_url(name, *args), expect=statuses(default=405))


def _case_detail(variant, case, groups, **options):
    return Row(
        variant=variant,
        url=_url("cases:detail", lambda w: getattr(w, case).public_id),
        # Every refusal of a case URL is a 404, whatever the reason: no URL confirms a case exists.
        expect=statuses(groups, default=404),
        denied="case.view",
        denied_case=lambda w: getattr(w, case),
        **options,
    )
