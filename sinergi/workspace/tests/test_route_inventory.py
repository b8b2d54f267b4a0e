"""Every URL of the project is in the permission table, and is guarded the way the table says.

Walks the whole URL resolver (allauth's routes included). A new route fails here until it is
added to `ROUTES` in matrix_table.py or in its app's `tests/matrix_routes*.py`: as a
matrix row with the statuses every persona must get, or classified as public or as a user's own
account page, with the reason.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sinergi.accounts.access import all_permissions
from sinergi.testing.matrix import PUBLIC, SELF_SERVICE, Classified, Guarded

from .matrix_table import ROUTES


def walk(patterns, prefix="", namespace=""):
    """(full route, namespaced name, callback) of every URL pattern, through every include()."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name, pattern.callback


INVENTORY = list(walk(get_resolver().url_patterns))
BY_NAME = {name: (route, callback) for route, name, callback in INVENTORY}


def wrapped_chain(view):
    """The view and every function it wraps (functools.wraps sets __wrapped__)."""
    seen = []
    while view is not None and view not in seen:
        seen.append(view)
        view = getattr(view, "__wrapped__", None)
    return seen


def marker(view, attribute):
    """An attribute a decorator left on the view, wherever in the wrapper chain it sits."""
    for function in wrapped_chain(view):
        if hasattr(function, attribute):
            return getattr(function, attribute)
    return None


def is_public(view):
    # Exactly LoginRequiredMiddleware's test: the attribute on the resolved callback itself.
    return getattr(view, "login_required", True) is False


def test_every_route_is_named():
    unnamed = [route for route, name, _ in INVENTORY if name is None]
    assert not unnamed, f"routes without a name cannot be in the permission table: {unnamed}"


def test_no_two_routes_share_a_name():
    names = [name for _, name, _ in INVENTORY]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


def test_every_route_is_in_the_permission_table():
    missing = sorted(f"{name}  ({route})" for name, (route, _) in BY_NAME.items() if name not in ROUTES)
    stale = sorted(name for name in ROUTES if name not in BY_NAME)
    assert not missing and not stale, (
        "Update ROUTES in sinergi/workspace/tests/matrix_table.py.\n"
        f"Routes missing from the table (add a matrix row or a classification with a reason): {missing}\n"
        f"Table entries for routes that no longer exist: {stale}"
    )


def test_every_classification_gives_a_reason():
    for name, entry in ROUTES.items():
        if isinstance(entry, Classified):
            assert entry.kind in {PUBLIC, SELF_SERVICE}, name
            assert entry.reason.strip(), f"{name}: say why it needs no role"
        else:
            assert isinstance(entry, Guarded), name
            assert entry.rows, f"{name}: a guarded route needs at least one matrix row"
            assert bool(entry.permission) != bool(entry.login_only), (
                f"{name}: name the permission, or say why a login alone is enough (not both)"
            )


def guard_problems():
    problems = []
    known_permissions = set(all_permissions())
    for name, (route, view) in sorted(BY_NAME.items()):
        entry = ROUTES.get(name)
        if entry is None:
            continue  # reported by test_every_route_is_in_the_permission_table
        permission = marker(view, "sinergi_permission")
        reauth = bool(marker(view, "sinergi_reauth_required"))
        where = f"{name} ({route}, {view.__module__}.{getattr(view, '__qualname__', view)})"
        if isinstance(entry, Classified) and entry.kind == PUBLIC:
            if not is_public(view):
                problems.append(f"{where}: listed as public but requires a login (or fix the table)")
            continue
        if is_public(view):
            problems.append(f"{where}: marked login_not_required but not listed as public")
        if isinstance(entry, Classified):  # self-service
            if not view.__module__.startswith("allauth."):
                problems.append(f"{where}: only allauth's own-account pages are self-service")
            if permission:
                problems.append(f"{where}: requires {permission!r}: give it a matrix row")
            continue
        if entry.permission:
            if permission != entry.permission:
                problems.append(
                    f"{where}: table says require_permission({entry.permission!r}), view has {permission!r}"
                )
            if entry.permission not in known_permissions:
                problems.append(f"{where}: {entry.permission!r} is not in access_control.md")
        elif permission:
            problems.append(f"{where}: listed as login-only but requires {permission!r}")
        if reauth != bool(entry.reauth_as):
            state = "asks" if reauth else "does not ask"
            problems.append(f"{where}: {state} for re-authentication, the table says otherwise")
    return problems


def test_every_view_is_guarded_as_the_table_says():
    """Public views are exactly the login_not_required ones; every other view needs a login (the
    LoginRequiredMiddleware default) and carries the require_permission the table names, unless the
    table says why a login alone is enough."""
    problems = guard_problems()
    assert not problems, "\n".join(problems)


def sample_url(name):
    entry = ROUTES[name]
    return reverse(name, kwargs=entry.sample or None)


def login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login") + "?")


@pytest.mark.parametrize(
    "name", [n for n, e in ROUTES.items() if isinstance(e, Classified) and e.kind == PUBLIC]
)
def test_public_pages_open_without_a_login(db, name):
    response = Client().get(sample_url(name))
    assert response.status_code < 500, f"{name}: {response.status_code}"
    assert not login_redirect(response), f"{name}: sends anonymous to the login page"


@pytest.mark.parametrize(
    "name", [n for n, e in ROUTES.items() if isinstance(e, Classified) and e.kind == SELF_SERVICE]
)
def test_own_account_pages_need_a_login(db, name):
    response = Client().get(sample_url(name))
    assert login_redirect(response), f"{name}: anonymous got {response.status_code}"


def test_signup_is_closed(db):
    response = Client().post(
        reverse("account_signup"),
        {
            "username": "pendaftar_baru",
            "password1": "kata-sandi-panjang-sekali",
            "password2": "kata-sandi-panjang-sekali",
        },
    )
    assert response.status_code == 200
    from sinergi.accounts.models import User

    assert not User.objects.filter(username="pendaftar_baru").exists()
