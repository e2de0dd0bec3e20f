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
