"""Plain helpers the journeys share (the fixtures are in conftest.py)."""


class BrowserErrors:
    """Collects what the browser reports as an error: console errors (CSP violations, failed
    loads) and uncaught exceptions in page scripts."""

    def __init__(self):
        self.messages = []

    def attach(self, page):
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)

    def _on_console(self, message):
        if message.type == "error":
            location = message.location or {}
            self.messages.append(f"console error at {location.get('url') or '?'}: {message.text}")

    def _on_pageerror(self, error):
        self.messages.append(f"uncaught page error: {error}")


def submit_login(page, username, password):
    """Fill and submit the login form on the current page."""
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(password)
    page.locator('main form[action="/akun/login/"] button[type="submit"]').click()


def add_person(page, kind):
    """Open the next victim ("korban") or perpetrator ("pelaku") form of the registration page."""
    page.locator(f'#register-form button[data-add="{kind}"]').click()


def register_submit(page):
    """The registration page's visible "Register the case" button."""
    page.locator("#register-form button.primary").click()


def open_section(page, name):
    """Unfold a section of the case page (details#section-NAME; only the case management is open
    when the page loads, docs/case-record.md "On the phone")."""
    section = page.locator(f"main details#section-{name}")
    if section.get_attribute("open") is None:
        section.locator("> summary").click()
