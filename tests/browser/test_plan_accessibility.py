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


def test_issue_publish_and_the_public_page_are_accessible(page, browser, live_server):
    sign_in(page, live_server, "director")
    page.goto(f"{live_server}/inspections")
    page.get_by_role("link", name="ILACS short inspection").first.click()
    page.get_by_role("link", name="Action plan for Ofsted").click()
    plan_url = page.url
    page.goto(plan_url + "/introduction")
    problems = violations(page)
    page.goto(plan_url + "/issue")
    while page.get_by_role("button", name="Not personal data").count():
        page.get_by_role("button", name="Not personal data").first.click()
        page.wait_for_load_state()
    page.get_by_label("Cabinet").check()
    for field, (day, month, year) in {
        "approved_on": ("24", "8", "2022"),
        "sent_to_ofsted_on": ("26", "8", "2022"),
        "lead_member_signed_on": ("24", "8", "2022"),
    }.items():
        page.fill(f"#{field}-day", day)
        page.fill(f"#{field}-month", month)
        page.fill(f"#{field}-year", year)
    page.fill("#approval_reference", "Minute 45/22")
    page.fill("#lead_member_name", "Cllr Jane Morris")
    page.get_by_role("button", name="Issue this version").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Publish version").first.click()
    page.wait_for_load_state()
    problems += violations(page)
    public_url = page.locator("a[href*='/published/']").first.get_attribute("href")
    anonymous = browser.new_page()
    try:
        anonymous.goto(public_url)
        assert anonymous.locator("h1").inner_text() == "Ofsted action plan"
        problems += violations(anonymous)
        anonymous.set_viewport_size({"width": 320, "height": 640})
        width = anonymous.evaluate("document.documentElement.scrollWidth")
        assert width <= 320 + 1  # no sideways scrolling on a phone
    finally:
        anonymous.close()
    assert problems == []
