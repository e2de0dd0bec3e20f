"""Two people edit action 2.2 at once in a real browser: the second sees the action as it is
now with what they wrote beside it, axe finds nothing, nothing scrolls sideways at 320px,
and saving again keeps the first person's change."""

import pytest
import sqlalchemy as sa

from tests.browser.conftest import sign_in
from tests.browser.live_apps import LIVE_APPS
from tests.browser.test_accessibility import violations
from workflow.extensions import db
from workflow.models import Action, Role, User

pytestmark = pytest.mark.browser

FIELD = "Measure of success"


@pytest.fixture
def action_2_2(live_server):
    """Action 2.2 and the head of its service area; its measure of success is put back after."""
    with LIVE_APPS[live_server].app_context():
        action = db.session.scalar(sa.select(Action).where(Action.reference == "2.2"))
        head = db.session.scalar(
            sa.select(User).where(
                User.role == Role.HEAD_OF_SERVICE, User.service_area_id == action.service_area_id
            )
        )
        found = (action.id, action.measure_of_success, head.name, head.email)
    yield found
    with LIVE_APPS[live_server].app_context():
        db.session.get(Action, found[0]).measure_of_success = found[1]
        db.session.commit()


def saved_measure(live_server, action_id: int) -> str:
    with LIVE_APPS[live_server].app_context():
        return db.session.get(Action, action_id).measure_of_success


def test_the_second_save_shows_the_action_as_it_is_now(browser, live_server, action_2_2):
    action_id, _, head_name, head_email = action_2_2
    first = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    second = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(first, live_server, "head_of_service", head_email)
    sign_in(second, live_server, "administrator")
    edit_url = f"{live_server}/actions/{action_id}/edit"
    first.goto(edit_url)
    second.goto(edit_url)

    first.get_by_label(FIELD).fill("Every missing child tracked weekly at the panel.")
    first.get_by_role("button", name="Save action").click()
    assert "Action 2.2 updated" in first.inner_text("main")
    second.get_by_label(FIELD).fill("Nine in ten children tracked within a week.")
    second.get_by_role("button", name="Save action").click()

    summary = second.locator(".govuk-error-summary")
    assert f"changed by {head_name}" in summary.inner_text()
    assert second.get_by_label(FIELD).input_value() == (
        "Every missing child tracked weekly at the panel."
    )
    note = second.locator("#measure_of_success-conflict")
    assert "You wrote: Nine in ten children tracked within a week." in note.inner_text()
    assert "Now saved: Every missing child tracked weekly at the panel." in note.inner_text()
    assert violations(second) == []

    summary.get_by_role("link", name=f"{FIELD}: you wrote something different").click()
    assert second.evaluate("document.activeElement.id") == "measure_of_success"
    second.set_viewport_size({"width": 320, "height": 640})
    assert second.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert violations(second) == []

    second.get_by_role("button", name="Save action").click()
    assert "Action 2.2 updated" in second.inner_text("main")
    assert saved_measure(live_server, action_id) == (
        "Every missing child tracked weekly at the panel."
    )
