"""Oversight pages the crawler cannot reach by a link: what a POST shows, and error states."""

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser


def test_calendar_feed_address_page_is_accessible(page, live_server):
    sign_in(page, live_server, "service_manager")
    page.goto(f"{live_server}/account/access")
    page.get_by_role("button", name="Make a feed address").click()
    page.wait_for_load_state()
    assert "/calendar/" in page.locator("#feed-url").inner_text()
    assert violations(page) == []


def test_api_token_pages_and_their_errors_are_accessible(page, live_server):
    sign_in(page, live_server, "viewer")
    page.goto(f"{live_server}/account/api-tokens/new")
    page.get_by_role("button", name="Make token").click()
    page.wait_for_load_state()
    assert "Enter a name for the token" in page.locator(".govuk-error-summary").inner_text()
    assert violations(page) == []
    page.fill("#name", "Power BI")
    page.get_by_label("90 days").check()
    page.get_by_role("button", name="Make token").click()
    page.wait_for_load_state()
    assert page.locator("#api-token").inner_text().startswith("oap_")
    assert violations(page) == []
    page.goto(f"{live_server}/account/access")
    assert violations(page) == []


def test_dashboard_with_filters_and_a_bad_one_is_accessible(page, live_server):
    sign_in(page, live_server, "head_of_service")
    page.goto(f"{live_server}/dashboard?rag=green&status=nonsense")
    assert page.title().startswith("Error:")
    assert violations(page) == []
    page.goto(f"{live_server}/search?q=education")
    assert violations(page) == []


def test_audit_trail_filtered_and_with_a_bad_date_is_accessible(page, live_server):
    sign_in(page, live_server, "administrator")
    page.goto(f"{live_server}/audit")
    assert page.locator(".app-timeline__item").count() == 25
    assert violations(page) == []
    page.select_option("#person", label="Sam Taylor")
    page.fill("#since-day", "1")
    page.fill("#since-month", "1")
    page.fill("#since-year", "2020")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    people = page.locator(".app-timeline__meta").all_inner_texts()
    assert people and all(text.startswith("Sam Taylor,") for text in people)
    assert violations(page) == []
    page.fill("#since-day", "31")
    page.fill("#since-month", "2")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "From must be a real date" in page.locator(".govuk-error-summary").inner_text()
    assert page.input_value("#since-day") == "31"
    assert violations(page) == []
