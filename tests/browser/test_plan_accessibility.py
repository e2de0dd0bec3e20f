"""The action plan's pages, in a real browser: no WCAG 2.2 A or AA violations."""

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser


def test_plan_pages_are_accessible(page, live_server):
    sign_in(page, live_server, "director")
    page.goto(f"{live_server}/inspections")
    page.get_by_role("link", name="ILACS short inspection").first.click()
    page.get_by_role("link", name="Action plan for Ofsted").click()
    plan_url = page.url
    assert page.locator("h1").inner_text() == "Ofsted action plan"
    problems = violations(page)
    for path in ("/issue", "/compare"):
        page.goto(plan_url + path)
        problems += violations(page)
    page.goto(plan_url.removesuffix("/plan") + "/report")
    assert "Progress report for boards" in page.locator("h1").inner_text()
    problems += violations(page)
    # The report's date form with an impossible date shows GOV.UK errors.
    page.fill("#since-day", "31")
    page.fill("#since-month", "2")
    page.get_by_role("button", name="Show the report").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    problems += violations(page)
    assert problems == []
