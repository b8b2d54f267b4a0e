"""First journeys: language switch, log in, wrong password, phone width, keyboard skip link."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import submit_login

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}


def html(page):
    return page.locator("html")


def test_open_switch_language_login_see_home(page, demo, live_server):
    # The front door is the public help page; staff sign in from its small link.
    page.goto("/")
    expect(html(page)).to_have_attribute("lang", "id")
    expect(page.locator("a[data-quick-exit]")).to_be_visible()
    page.locator(".staff-login a").click()
    expect(page).to_have_url(re.compile(r"/akun/login/$"))
    expect(html(page)).to_have_attribute("lang", "id")

    page.get_by_role("button", name="English", exact=True).click()
    expect(html(page)).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/akun/login/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Sinergi")

    page.get_by_label("Username").fill("kepala")
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Log in", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(html(page)).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.locator("main .lead")).to_have_text(re.compile(r"^Welcome\b"))
    expect(page.locator("main")).to_contain_text("UPTD PPA Kota Payakumbuh")

    page.get_by_role("button", name="Bahasa Indonesia", exact=True).click()
    expect(html(page)).to_have_attribute("lang", "id")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("main")).to_contain_text("UPTD PPA Kota Payakumbuh")
    expect(page.get_by_role("button", name="English", exact=True)).to_be_visible()


def test_wrong_password_keeps_username(page, demo):
    page.goto("/akun/login/")
    submit_login(page, "kepala", "bukan-kata-sandi-yang-benar")

    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("alert")).not_to_be_empty()
    expect(page).to_have_url(re.compile(r"/akun/login/$"))
    expect(page.locator("#id_login")).to_have_value("kepala")
    # The password is never sent back to the browser.
    expect(page.locator("#id_password")).to_have_value("")

    # Still anonymous: the root is the public front door, a staff page sends us to the login form.
    page.goto("/")
    expect(page.locator(".staff-login a")).to_be_visible()
    page.goto("/kasus/")
    expect(page).to_have_url(re.compile(r"/akun/login/\?next=/kasus/$"))


def horizontal_overflow(page):
    """How many CSS pixels the document is wider than the viewport (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_phone_width_has_no_horizontal_scroll(page, log_in):
    page.set_viewport_size(PHONE)

    page.goto("/akun/login/")
    expect(page.locator("#id_login")).to_be_visible()
    assert page.evaluate("window.innerWidth") == PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
        f"the login page scrolls sideways by {horizontal_overflow(page)}px at {PHONE['width']}px"
    )

    log_in(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
        f"the home page scrolls sideways by {horizontal_overflow(page)}px at {PHONE['width']}px"
    )


def test_keyboard_skip_link(page):
    page.goto("/akun/login/")
    skip_link = page.locator("a.skip-link")

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_attribute("href", "#main")
    # Hidden off-screen until focused, then visible at the top of the viewport.
    box = skip_link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, f"focused skip link is off-screen: {box}"

    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    expect(page).to_have_url(re.compile(r"#main$"))
