"""Importing a report in a real browser: upload, review (axe clean), confirm."""

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import violations
from tests.factories import FIXTURES

pytestmark = pytest.mark.browser


def test_upload_review_confirm(page, live_server):
    sign_in(page, live_server, "administrator")
    page.goto(f"{live_server}/inspections")
    page.get_by_role("link", name="Import an Ofsted report").click()
    assert violations(page) == []
    page.set_input_files("#file", str(FIXTURES / "northbrook-ilacs.txt"))
    page.get_by_role("button", name="Read the report").click()
    assert "Check what we found" in page.inner_text("h1")
    assert "This report is about Northbrook Council" in page.inner_text("main")
    assert violations(page) == []
    page.get_by_label("Remove item 2").check()
    page.get_by_role("button", name="Apply changes").click()
    assert "Changes applied" in page.inner_text("main")
    assert violations(page) == []
    page.get_by_label("Yes, this is the right report", exact=False).check()
    page.get_by_role("button", name="Create the inspection").click()
    assert "The inspection and its recommendations have been saved" in page.inner_text("main")
    assert "The timeliness of initial health assessments" in page.inner_text("main")
    assert "pathway plans" not in page.inner_text("main")
