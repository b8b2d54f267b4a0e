"""The harness itself: what it is meant to catch, it catches."""

import pytest

from .helpers import BrowserErrors

pytestmark = pytest.mark.e2e


def test_browser_errors_catch_csp_violations_and_page_errors(new_page, live_server):
    page = new_page()
    errors = BrowserErrors()
    errors.attach(page)
    page.goto("/akun/login/")
    assert errors.messages == []

    # An inline script without the nonce, as a template might add by mistake.
    with page.expect_console_message(lambda message: message.type == "error"):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.inlineRan = true";
                document.body.append(script);
            }"""
        )
    assert page.evaluate("window.inlineRan") is None
    assert any("Content Security Policy" in m for m in errors.messages), errors.messages

    with page.expect_event("pageerror"):
        page.evaluate("() => { setTimeout(() => { throw new Error('harness self-test'); }); }")
    assert any("harness self-test" in m for m in errors.messages), errors.messages
