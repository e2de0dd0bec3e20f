"""Your sessions and the timeout warning in a real browser: accessible, usable by keyboard,
no sideways scroll at 320 px, and what was typed survives the end of a session.

The timeout warning runs against a second app server on the same database whose sessions
idle out after 20 seconds (warning for the last 15), so the test sees the whole story in
half a minute: warned, stays signed in, warned again, signed out, signs in, finds its form.
"""

from datetime import timedelta
from pathlib import Path

import pytest

from tests.browser.conftest import demo_email, sign_in
from tests.browser.live_apps import serving
from tests.browser.test_accessibility import violations
from workflow import create_app
from workflow.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/session-shots")
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture(scope="module")
def quick_server(live_app):
    """Another app server on the live server's database, with a 20-second idle limit."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": live_app.config["SQLALCHEMY_DATABASE_URI"],
            "UPLOAD_FOLDER": live_app.config["UPLOAD_FOLDER"],
            "SESSION_IDLE_TIMEOUT": timedelta(seconds=20),
            "SESSION_WARNING_SECONDS": 15,
        }
    )
    with serving(app) as base_url:
        yield base_url


def screenshot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{name} scrolls sideways at {width}px"
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_your_sessions_page_lists_both_browsers_and_signs_the_other_out(browser, live_server):
    phone_context, laptop_context = browser.new_context(), browser.new_context()
    phone, laptop = phone_context.new_page(), laptop_context.new_page()
    try:
        for page in (phone, laptop):
            sign_in(page, live_server, "service_manager")
        laptop.goto(f"{live_server}/account")
        laptop.get_by_role("link", name="Your sessions").click()
        laptop.wait_for_load_state()
        assert laptop.get_by_role("heading", name="Your sessions", level=1).is_visible()
        cards = laptop.locator(".govuk-summary-card")
        assert cards.count() >= 2
        assert laptop.locator(".govuk-summary-card", has_text="This session").count() == 1
        assert violations(laptop) == []
        screenshot(laptop, "your-sessions")
        # By keyboard: the button is reached and pressed without a mouse.
        button = laptop.get_by_role("button", name="Sign out of all other sessions")
        button.focus()
        laptop.keyboard.press("Enter")
        laptop.wait_for_load_state()
        assert "other session" in laptop.locator(".govuk-notification-banner").inner_text()
        assert laptop.locator(".govuk-summary-card").count() == 1
        assert violations(laptop) == []
        phone.goto(f"{live_server}/inspections")
        assert "/sign-in" in phone.url
        assert "signed out from another of your sessions" in phone.content()
    finally:
        phone_context.close()
        laptop_context.close()


def test_the_timeout_warning_warns_extends_and_keeps_what_was_typed(page, quick_server):
    sign_in(page, quick_server, "service_manager")
    page.goto(f"{quick_server}/account/api-tokens/new")
    page.fill("#name", "Board report for Thursday")
    page.get_by_label("90 days").check()
    page.focus("#name")

    dialog = page.locator("#timeout-warning")
    dialog.wait_for(state="visible", timeout=15_000)
    # Focus moved into the dialog, to its heading; the page behind is inert.
    assert page.evaluate("document.activeElement.id") == "timeout-warning-title"
    assert page.evaluate("document.querySelector('#timeout-warning').matches(':modal')")
    assert dialog.get_attribute("aria-labelledby") == "timeout-warning-title"
    assert "we will sign you out in" in dialog.inner_text()
    assert violations(page) == []
    screenshot(page, "timeout-warning")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"

    # Escape is "Stay signed in": the session is renewed and focus goes back to the form.
    with page.expect_response("**/account/sessions/keep-alive") as kept:
        page.keyboard.press("Escape")
    assert kept.value.json()["seconds_left"] >= 15
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "name"

    # Warned again, and this time nobody answers: the session ends on the server.
    dialog.wait_for(state="visible", timeout=15_000)
    page.wait_for_url("**/sign-in?next=*", timeout=30_000)
    assert "You were signed out because you had done nothing for 20 seconds" in page.content()

    page.fill("#email", demo_email("service_manager"))
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/api-tokens/new")
    assert page.input_value("#name") == "Board report for Thursday"
    assert page.get_by_label("90 days").is_checked()
    banner = page.locator(".govuk-notification-banner")
    assert "put back what you typed" in banner.inner_text()
    assert violations(page) == []
    # Restored once: the next visit to the page starts empty.
    page.reload()
    assert page.input_value("#name") == ""


def test_no_password_is_ever_kept(page, quick_server):
    sign_in(page, quick_server, "service_manager")
    page.goto(f"{quick_server}/account")
    page.fill("#current_password", "typed-but-never-stored")
    page.locator("#timeout-warning").wait_for(state="visible", timeout=15_000)
    page.wait_for_url("**/sign-in?next=*", timeout=30_000)
    kept = page.evaluate("JSON.stringify(window.sessionStorage)")
    assert "typed-but-never-stored" not in kept
