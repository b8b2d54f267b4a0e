"""No input makes a server error: every route of the inventory, fed hostile values.

Two sweeps, on whichever database the suite runs on:

- **Every route's URL arguments**: each URL pattern of the resolver with a NUL byte, an over-long
  value, a huge number and a broken percent-escape in its arguments, by GET and by POST (a wrong
  method for most routes), as anonymous and as a staff persona.
- **Every form a page shows**: each matrix row that gives some persona a 200 page is opened as that
  persona (anonymous for the public pages); every form on it is sent back with a NUL byte in every
  field, with invalid UTF-8 in every field, with huge numbers in every field by the wrong method,
  and then one field at a time (the others left empty, so a form that is invalid for another
  reason cannot hide the one value that breaks it): every date and time field with a boundary
  date, and a sample of the other fields with a huge number (a seeded random choice, the same on
  every run).

A 500 anywhere fails, with the list of every request that made one. The values are few and chosen
for what breaks parsers and databases, and a formset's fields are sent for its first form only, so
the sweep stays within seconds.
"""

import random
import re
from html.parser import HTMLParser

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sinergi.testing.fixtures import mark_recently_authenticated
from sinergi.testing.matrix import ANONYMOUS, PUBLIC, Classified

from .matrix_table import ROUTES

STAFF = "kepala"
PREFERRED = ("kepala", "datin", "admin", "pendamping", "mitra", "kepala_provinsi", "auditor")

# What goes into a URL argument: NUL, over-long, a huge number, an invalid UTF-8 escape.
PATH_VALUES = ("a%00b", "x" * 300, "9" * 40, "%FF%FE")

# What goes into a form's fields. All at once: a NUL in every field; huge numbers in every field
# (sent by the wrong method). One field at a time: the extremes of what that kind of field parses.
NUL = "a\x00b"
HUGE = "9" * 40
ONE_FIELD = {
    "date": ("0001-01-01", "9999-12-31"),
    "datetime-local": ("0001-01-01T00:00", "9999-12-31T23:59"),
    "number": (HUGE, "-" + "9" * 25),
    "other": (HUGE, "-" + "9" * 25, "9999-12-31"),
}
# Per form, one field at a time: every date and time field, and a seeded sample of the others
# (text boxes rarely parse numbers; selects and hidden fields often carry keys or counts).
KEY_FIELDS_PER_FORM = 4
TEXT_FIELDS_PER_FORM = 1
SEED = 15
INVALID_UTF8 = b"\xff\xfe\xc3\x28"


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


ARGUMENT = re.compile(r"<(?:\w+:)?\w+>")


def hostile_paths():
    """Every route with an argument: its arguments replaced by a NUL (what breaks PostgreSQL), and
    by one of the other values in turn (each value still reaches every kind of route)."""
    routes = [r for r in walk(get_resolver().url_patterns) if ARGUMENT.search(r) and not r.startswith("^")]
    for index, route in enumerate(routes):
        yield "/" + ARGUMENT.sub(PATH_VALUES[0], route)
        yield "/" + ARGUMENT.sub(PATH_VALUES[1 + index % (len(PATH_VALUES) - 1)], route)


FIELD_TAGS = {"input", "select", "textarea", "button"}
FORMSET_INDEX = re.compile(r"-[1-9]\d*-")  # korban-1-name: the second form of a formset


def field_kind(tag, type_):
    if type_ in {"date", "datetime-local", "number"}:
        return type_
    if tag == "select" or type_ in {"hidden", "radio", "checkbox"}:
        return "number"  # keys of rows, counts of formsets, versions
    return "other"


class Forms(HTMLParser):
    """The forms of a page: method, action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (attrs.get("method") or "get").lower(),
                    "action": attrs.get("action"),
                    "fields": {},
                }
            )
        elif tag in FIELD_TAGS and self.forms and attrs.get("name") not in {None, "csrfmiddlewaretoken"}:
            self.forms[-1]["fields"][attrs["name"]] = field_kind(tag, attrs.get("type"))


def forms_of(html):
    parser = Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["fields"]]


def client_for(world, persona):
    client = Client(raise_request_exception=False)
    if persona != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
        mark_recently_authenticated(client, getattr(world, persona))
    return client


def viewer(row):
    """Who opens a row's page: anonymous when it is public, else the first persona given a 200."""
    if row.expect.get(ANONYMOUS) == 200:
        return ANONYMOUS
    for persona in PREFERRED + tuple(row.expect):
        if row.expect.get(persona) == 200:
            return persona
    return None


def pages(world):
    """(persona, URL) of every public page (as anonymous) and of every route of the matrix with a
    200 for someone (its first such row, as that persona: the other rows of a route show the same
    forms for another object)."""
    for name, entry in ROUTES.items():
        if isinstance(entry, Classified):
            if entry.kind == PUBLIC:
                yield ANONYMOUS, reverse(name, kwargs=entry.sample or None)
            continue
        for row in entry.rows:
            persona = viewer(row)
            if row.method == "get" and persona is not None and not row.prepare:
                yield persona, row.url(world)
                break


def send(client, method, target, data):
    return client.post(target, data) if method == "post" else client.get(target, data)


def send_invalid_utf8(client, method, target, fields):
    body = b"&".join(name.encode() + b"=" + INVALID_UTF8 for name in sorted(fields))
    if method == "post":
        return client.post(target, body, content_type="application/x-www-form-urlencoded")
    return client.get(target, QUERY_STRING=body.decode("latin-1"))


def one_field_requests(fields, rng):
    """(field, value) pairs: every date and time field, a seeded sample of the others; each with
    one extreme of its kind (chosen by the same generator)."""
    fields = {name: kind for name, kind in fields.items() if not FORMSET_INDEX.search(name)}
    chosen = {name for name, kind in fields.items() if kind in {"date", "datetime-local"}}
    for kind, count in (("number", KEY_FIELDS_PER_FORM), ("other", TEXT_FIELDS_PER_FORM)):
        names = sorted(name for name, k in fields.items() if k == kind)
        chosen |= set(rng.sample(names, min(count, len(names))))
    return [(name, rng.choice(ONE_FIELD[fields[name]])) for name in sorted(chosen)]


def send_form(client, url, form, rng):
    method, target, fields = form["method"], form["action"] or url, form["fields"]
    wrong = "get" if method == "post" else "post"
    responses = [
        send(client, method, target, dict.fromkeys(fields, NUL)),
        send_invalid_utf8(client, method, target, fields),
        send(client, wrong, target, dict.fromkeys(fields, HUGE)),
    ]
    for name, value in one_field_requests(fields, rng):
        responses.append(send(client, method, target, {name: value}))
    return responses


def failures(responses):
    return [
        f"{r.request['REQUEST_METHOD']} {r.request['PATH_INFO']}?{r.request.get('QUERY_STRING', '')}"
        for r in responses
        if r.status_code >= 500
    ]


def fuzz_page(client, url, done, rng):
    """The page, then each of its forms not yet sent (`done`: the navigation's forms are on every
    page) with the hostile values."""
    page = client.get(url)
    responses = [page]
    if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
        return responses
    for form in forms_of(page.content.decode()):
        key = (form["action"] or url, form["method"], frozenset(form["fields"].items()))
        if key in done or form["action"] == reverse("account_logout"):
            continue
        done.add(key)
        responses.extend(send_form(client, url, form, rng))
    return responses


def test_no_route_argument_makes_a_server_error(world):
    responses = []
    for persona in (ANONYMOUS, STAFF):
        client = client_for(world, persona)
        for path in hostile_paths():
            responses.append(client.get(path))
            responses.append(client.post(path, {"x": "a\x00b"}))
    broken = failures(responses)
    assert not broken, "server errors:\n" + "\n".join(broken)


def test_no_form_value_makes_a_server_error(world):
    responses, done, rng = [], set(), random.Random(SEED)
    for persona, url in pages(world):
        # Each page in a savepoint: a form that succeeds (or logs out) changes nothing for the next.
        with transaction.atomic():
            responses.extend(fuzz_page(client_for(world, persona), url, done, rng))
            transaction.set_rollback(True)
    broken = failures(responses)
    assert not broken, "server errors:\n" + "\n".join(sorted(set(broken)))
