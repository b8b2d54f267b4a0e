"""The quick exit never lands on Sinergi, whatever the tab's history: tabs that began at the front
door `/`, at `/bantuan/` and at `/lapor/`, then moved between public pages by link, by a sent form,
by typed addresses and by Back, end on the neutral page; every entry left in the tab's history,
walked with Back and Forward, is the blank page a tab starts on or the neutral page. Esc pressed
while typing in a text field belongs to the field; the button still works there.
"""

import re

import pytest
from playwright.sync_api import expect

from .helpers import BrowserErrors

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
NEUTRAL = re.compile(r"/keluar/$")
# A refused form is answered 400 (or 429), which chromium logs as a failed resource load.
FORM_REFUSAL = re.compile(r"Failed to load resource: the server responded with a status of (400|429)")


@pytest.fixture
def not_ours():
    """Origins of stand-ins for outside sites, whose own errors (a missing favicon) do not count."""
    return []


@pytest.fixture
def phone(new_page, demo, not_ours):
    errors = BrowserErrors()
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    errors.attach(page)
    yield page
    real = [m for m in errors.messages if not FORM_REFUSAL.search(m)]
    real = [m for m in real if not any(f"at {origin}/" in m for origin in not_ours)]
    assert not real, "\n".join(real)


def allowed(url):
    return url == "about:blank" or bool(NEUTRAL.search(url))


def walk_history(page):
    """Every URL of the tab's history, stepping with Back from the end to the start and with
    Forward back to the end (what a person at the tab would reach)."""
    steps = page.evaluate("() => history.length") - 1
    seen = [page.url]
    for _ in range(steps):
        page.go_back()
        seen.append(page.url)
    assert page.url == "about:blank", f"Back did not reach the tab's first page: {seen}"
    for _ in range(steps):
        page.go_forward()
        seen.append(page.url)
    return seen


def move_around(page, start):
    """A visitor's path through the public pages, leaving entries in the tab's history."""
    page.goto(start)
    # Links between public pages (portal.js replaces the entry): the header's name, then "check".
    page.locator("header a.portal-brand").click()
    expect(page).to_have_url(re.compile(r"/bantuan/$"))
    page.locator('main a[href="/lacak/"]').first.click()
    expect(page).to_have_url(re.compile(r"/lacak/$"))
    # A sent form adds an entry (a wrong code: the form comes back with a message).
    page.locator("#id_code").fill("ABC-DEF-GHJ")
    page.locator("#id_pin").fill("123456")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_code")).to_be_visible()
    # Typed addresses add entries; Back leaves one in the forward history.
    page.goto("/bantuan/")
    page.goto("/lapor/")
    page.goto("/aman/")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/lapor/$"))


@pytest.mark.parametrize("start", ["/", "/bantuan/", "/lapor/"])
def test_the_quick_exit_leaves_no_sinergi_page_in_the_history(phone, live_server, start):
    move_around(phone, start)
    # Esc while writing the report does not leave, and keeps what she wrote.
    narrative = phone.locator("#id_narrative")
    narrative.fill("Saya sedang menulis")
    narrative.press("Escape")
    expect(phone).to_have_url(re.compile(r"/lapor/$"))
    expect(narrative).to_have_value("Saya sedang menulis")

    # The button works while the field has the focus.
    narrative.focus()
    phone.locator("a[data-quick-exit]").click()
    expect(phone).to_have_url(NEUTRAL)
    expect(phone.locator("h1")).to_contain_text("Resep")

    entries = phone.evaluate("() => navigation.entries().map((e) => e.url)")
    assert entries and all(allowed(u) for u in entries), entries
    seen = walk_history(phone)
    assert all(allowed(u) for u in seen), f"a Sinergi page is reachable by Back or Forward: {seen}"


def test_esc_outside_a_text_field_leaves(phone):
    phone.goto("/lapor/")
    phone.locator('input[name="danger_now"][value="ya"]').check()  # a radio button has the focus
    phone.keyboard.press("Escape")
    expect(phone).to_have_url(NEUTRAL)
    assert all(allowed(u) for u in walk_history(phone))


def test_a_tab_that_stepped_back_onto_the_staff_login_still_leaves(phone):
    # The staff sign-in link replaces the entry; the exit steps back to the first entry, the login
    # page, which must leave at once too.
    phone.goto("/akun/login/")
    phone.goto("/bantuan/")
    phone.locator("a[data-quick-exit]").click()
    expect(phone).to_have_url(NEUTRAL)
    assert all(allowed(u) for u in walk_history(phone))


def test_an_outside_site_as_the_exit(phone, live_server, settings, not_ours):
    # An outside address stands for the configured site; the test may not leave loopback, so it is
    # the live server under another host name (a different origin to the browser).
    origin = live_server.url.replace("localhost", "127.0.0.1")
    assert origin != live_server.url
    not_ours.append(origin)
    outside = origin + "/healthz"
    settings.SINERGI_QUICK_EXIT_URL = outside
    phone.goto("/bantuan/")
    phone.goto("/lapor/")
    phone.locator("a[data-quick-exit]").click()
    expect(phone).to_have_url(outside)
    seen = walk_history(phone)
    assert all(allowed(u) or u == outside for u in seen), seen
