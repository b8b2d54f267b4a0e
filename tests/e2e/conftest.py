"""The browser-journey harness: Playwright's sync API driving Debian's chromium against the live server.

- `browser`: one headless chromium for the e2e package (launched from /usr/bin/chromium; Playwright's
  own browser downloads are never used). Missing chromium skips the journeys on a developer's
  machine and fails them in CI (CI=true).
- `page`: a fresh browser context per test (Indonesian browser, Jakarta time zone, base URL of the
  live server). Console errors and uncaught page errors, which is how chromium reports a Content
  Security Policy violation, fail the test when it ends.
- `demo`: the demo organisations and accounts, with a known password; `log_in` logs in through the
  real login form.

Every test in this folder is marked `e2e`, so `make test` leaves them out and `make test-e2e` runs
only them.
"""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect, sync_playwright

from .helpers import BrowserErrors, submit_login

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEMO_PASSWORD = "e2e-kata-sandi-demo-uji"
E2E_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # Runs before `-m` deselection, so a journey that forgot its `pytestmark` is still kept out of
    # `make test`.
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="package")
def browser(django_db_setup):
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)

    from django.db import connections

    # While Playwright's sync API is started, an asyncio loop counts as "running" in the main
    # thread. Django then (1) refuses ORM calls with SynchronousOnlyOperation and (2) hands the
    # thread new database connections (its connection store follows the event loop): the test
    # would no longer use the connection the live server shares nor the one that holds the
    # serialized data for the rollback. For exactly that time, the check is switched off and the
    # thread keeps its connections. The browser starts after the test database exists.
    # (Playwright event handlers run in greenlets of their own: keep ORM calls out of them.)
    connections_before = {alias: connections[alias] for alias in connections}
    unsafe_before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, connection in connections_before.items():
                connections[alias] = connection
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if unsafe_before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = unsafe_before


@pytest.fixture(autouse=True)
def _e2e_database(django_db_serialized_rollback):
    # The live server needs a transactional database, which is emptied after every test; the
    # serialized rollback puts back what the migrations loaded (the reference regions).
    pass


@pytest.fixture
def browser_errors():
    return BrowserErrors()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(**context_options) → a page in a fresh context on the live server (closed at the end)."""
    contexts = []

    def _new_page(**options):
        options = {
            "base_url": live_server.url,
            "locale": "id-ID",
            "timezone_id": "Asia/Jakarta",
            "viewport": {"width": 1280, "height": 800},
            **options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page, browser_errors):
    page = new_page()
    browser_errors.attach(page)
    yield page
    if browser_errors.messages:
        pytest.fail(
            "The browser reported errors (a CSP violation shows up here):\n"
            + "\n".join(f"  - {m}" for m in browser_errors.messages),
            pytrace=False,
        )


@pytest.fixture
def demo(settings):
    """The demo organisations and accounts (see sinergi.demo.accounts), password DEMO_PASSWORD."""
    from sinergi.demo.accounts import demo_data_load

    settings.DEMO = True
    settings.SINERGI_DEMO_PASSWORD = DEMO_PASSWORD
    orgs = demo_data_load()
    return SimpleNamespace(orgs=orgs, password=DEMO_PASSWORD)


@pytest.fixture
def log_in(demo, live_server):
    """log_in(page, username="kepala") → logs in through the login form and waits for the home page."""

    def _log_in(page, username="kepala", password=None):
        page.goto("/akun/login/")
        submit_login(page, username, password or demo.password)
        expect(page).to_have_url(f"{live_server.url}/")
        return page

    return _log_in
