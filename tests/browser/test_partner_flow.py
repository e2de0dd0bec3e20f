"""A partner contributor in a real browser: signs in, finds their one action, writes an
update with evidence for the council's sign-off, and reaches no other record. Axe is clean
on every page, and none scrolls sideways at 320 px."""

import re

import pytest
import sqlalchemy as sa

from tests.browser.conftest import sign_in
from tests.browser.live_apps import LIVE_APPS
from tests.browser.test_accessibility import violations
from workflow.extensions import db
from workflow.models import Action, ActionPartner, Role, User

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def reflows(page) -> bool:
    page.set_viewport_size({"width": 320, "height": 900})
    fits = page.evaluate(NO_SIDEWAYS_SCROLL)
    page.set_viewport_size({"width": 1280, "height": 900})
    return fits


@pytest.fixture(scope="module")
def invited(live_app) -> tuple[int, int]:
    """The demo partner's one action, and another action of the same council."""
    with live_app.app_context():
        partner = db.session.scalar(sa.select(User).where(User.role == Role.PARTNER))
        action_id = db.session.scalar(
            sa.select(ActionPartner.action_id).where(ActionPartner.user_id == partner.id)
        )
        other_id = db.session.scalar(
            sa.select(Action.id).where(
                Action.authority_id == partner.authority_id, Action.id != action_id
            )
        )
        return action_id, other_id


def test_a_partner_reports_on_their_one_action_and_reaches_nothing_else(page, live_server, invited):
    action_id, other_id = invited
    sign_in(page, live_server, "partner")
    main = page.inner_text("main")
    assert "Your work" in main and "partner contributor" in main
    links = page.locator("main a[href^='/actions/']")
    assert links.count() == 1 and links.get_attribute("href") == f"/actions/{action_id}"
    header = page.inner_text("header")
    assert "Dashboard" not in header and "Search" not in header
    assert violations(page) == [] and reflows(page)

    links.first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/actions/{action_id}")
    assert violations(page) == [] and reflows(page)
    page.get_by_role("button", name="Write a progress update").click()
    page.wait_for_load_state()
    assert violations(page) == [] and reflows(page)
    page.get_by_label("What has happened since the last update").fill(
        "The health visiting team joined the weekly panel from March."
    )
    # Status and RAG are filled in as the action stands (the RAG rules' rating): kept.
    page.set_input_files(
        "#file",
        files=[
            {
                "name": "panel-attendance.txt",
                "mimeType": "text/plain",
                "buffer": b"Health visitors attended all four panels.\n",
            }
        ],
    )
    page.get_by_label("Title of the file").fill("Panel attendance")
    page.get_by_role("button", name="Submit for approval").click()
    page.wait_for_load_state()
    if page.get_by_text("I have checked").count():  # the personal-data check asked first
        page.get_by_label(re.compile("I have checked")).check()
        page.get_by_role("button", name="Submit for approval").click()
        page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Update submitted for approval" in main and "Panel attendance" in main
    assert violations(page) == [] and reflows(page)

    for url in (f"/actions/{other_id}", f"/actions/{other_id}/updates/new", "/updates/1"):
        response = page.goto(f"{live_server}{url}")
        assert response.status == 404, url
    assert violations(page) == []
    for url in ("/inspections", "/dashboard", "/search"):
        assert page.goto(f"{live_server}{url}").status == 403, url

    # Leave the demo as other tests expect it: the update is withdrawn to a draft.
    page.goto(f"{live_server}/my-actions")
    assert violations(page) == [] and reflows(page)
    page.goto(f"{live_server}/actions/{action_id}")
    page.locator("main a[href^='/updates/']").first.click()
    page.get_by_role("button", name="Withdraw this update").click()
    page.wait_for_load_state()
    assert "withdrawn" in page.inner_text("main").lower()


def test_an_administrator_invites_a_partner_and_changes_their_actions(page, live_server):
    sign_in(page, live_server, "administrator")
    page.goto(f"{live_server}/users/new")
    page.get_by_label("Partner contributor").check()
    actions = page.locator("input[name='action_ids']")
    assert actions.count() > 1 and actions.first.is_visible()
    assert violations(page) == [] and reflows(page)
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Select at least one action for the partner to report on" in summary
    assert violations(page) == [] and reflows(page)

    with LIVE_APPS[live_server].app_context():
        partner_id = db.session.scalar(sa.select(User.id).where(User.role == Role.PARTNER))
    page.goto(f"{live_server}/users/{partner_id}/edit")
    assert "Actions Jo Whitfield reports on" in page.inner_text("main")
    page.get_by_role("link", name="Change the actions Jo Whitfield reports on").click()
    page.wait_for_load_state()
    assert violations(page) == [] and reflows(page)
    for box in page.locator("input[name='action_ids']:checked").all():
        box.uncheck()
    page.get_by_role("button", name="Save actions").click()
    page.wait_for_load_state()
    assert "Select at least one action" in page.locator(".govuk-error-summary").inner_text()
    assert violations(page) == [] and reflows(page)
