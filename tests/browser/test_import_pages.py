"""Import pages the crawler cannot reach by a link: a report that could not be read, and the
review of a report about another authority with its date and confirmation."""

import re

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import violations
from tests.factories import FIXTURES

pytestmark = pytest.mark.browser


def _paste(page, live_server, text: str) -> None:
    page.goto(f"{live_server}/imports/new")
    page.fill("#text", text)
    page.get_by_role("button", name="Read the report").click()
    page.wait_for_load_state()


def test_a_report_that_could_not_be_read_is_accessible(page, live_server):
    sign_in(page, live_server, "administrator")
    _paste(page, live_server, "Dear resident, your bins are collected on Tuesdays.")
    assert "The report could not be read" in page.locator("h1").inner_text()
    assert "Try again" in page.content()
    assert violations(page) == []


def test_the_review_of_another_authoritys_report_is_accessible(page, live_server):
    sign_in(page, live_server, "administrator")
    _paste(page, live_server, (FIXTURES / "northbrook-ilacs.txt").read_text(encoding="utf-8"))
    assert "This report is about Northbrook Council" in page.content()
    assert violations(page) == []
    # The import walk may have made this inspection already: then the button updates it.
    page.get_by_role("button", name=re.compile(r"(Create|Update) the inspection")).click()
    page.wait_for_load_state()
    assert (
        "confirm that it is the right report" in page.locator(".govuk-error-summary").inner_text()
    )
    assert violations(page) == []


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page, name: str) -> None:
    """Screenshots for a person to look at, when SCREENSHOTS names a folder."""
    import os

    if folder := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_review_of_a_monitoring_letter_is_accessible(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "administrator")
    _paste(page, live_server, (FIXTURES / "northbrook-monitoring-visit.txt").read_text())
    page.wait_for_selector("text=Areas the visit covered")
    assert page.locator("select").count() == 4
    page.get_by_text("What the inspectors found about area 3").click()  # opens the details
    _shot(page, f"monitoring-review-{width}")
    assert violations(page) == [] and _no_sideways_scroll(page)
    page.get_by_role("button", name="Record the visit").click()
    page.wait_for_load_state()
    assert "There is a problem" in page.content()  # the unclear areas must be chosen
    assert violations(page) == []
    context.close()


@pytest.mark.parametrize("width", [1280, 320])
def test_the_review_of_a_joint_inspection_is_accessible(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "administrator")
    _paste(page, live_server, (FIXTURES / "northbrook-jtai.txt").read_text())
    page.wait_for_selector("text=Partners named in the letter")
    assert "Northbrook Police" in page.locator(".govuk-summary-list").nth(1).inner_text()
    _shot(page, f"jtai-review-{width}")
    assert violations(page) == [] and _no_sideways_scroll(page)
    context.close()


def test_the_pages_showing_a_recorded_visit_are_accessible(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)  # the letter is read while the page waits
    sign_in(page, live_server, "administrator")
    _paste(page, live_server, (FIXTURES / "northbrook-monitoring-visit.txt").read_text())
    page.wait_for_selector("text=Areas the visit covered")
    for select in page.locator("select").all():
        select.select_option(index=1)  # the first recommendation for every area
    page.get_by_label(re.compile("Yes, this is the right letter")).check()
    page.get_by_role("button", name="Record the visit").click()
    page.wait_for_load_state()
    assert "Monitoring visits since the inspection" in page.content()
    _shot(page, "inspection-with-visit")
    assert violations(page) == []
    page.get_by_role("link", name="Recommendation 1").first.click()
    page.wait_for_load_state()
    assert "What monitoring visits found" in page.content()
    _shot(page, "recommendation-with-notes")
    assert violations(page) == []
    context.close()
