"""Submit, return, resubmit and approve, in a real browser, with axe clean on every page;
and an older update approved after a newer one, which never rolls the action back."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser


def test_submit_return_resubmit_approve(browser, live_server):
    owner = browser.new_context().new_page()
    head = browser.new_context().new_page()
    sign_in(owner, live_server, "service_manager")
    sign_in(head, live_server, "head_of_service")

    owner.goto(f"{live_server}/my-actions")
    owner.get_by_role("link", name="Change the return home interview form").click()
    action_url = owner.url
    owner.get_by_role("button", name="Write a progress update").click()
    assert violations(owner) == []
    owner.get_by_label("What has happened since the last update").fill(
        "Themes report for November sent to the hub."
    )
    owner.get_by_label("In progress").check()
    owner.get_by_label("Red").check()  # action 2.1 is overdue
    owner.set_input_files(
        "#file",
        files=[
            {
                "name": "themes-november.txt",
                "mimeType": "text/plain",
                "buffer": b"Themes: two hotspots referred.\n",
            }
        ],
    )
    owner.get_by_role("button", name="Submit for approval").click()
    assert "Update submitted for approval" in owner.inner_text("main")
    update_url = owner.url
    assert violations(owner) == []

    head.goto(f"{live_server}/awaiting-approval")
    assert violations(head) == []
    head.goto(update_url)
    head.get_by_label("What needs to change").fill("Say which hotspots and what the police did.")
    head.get_by_role("button", name="Return to author").click()
    assert "Update returned to its author" in head.inner_text("main")
    assert violations(head) == []

    owner.goto(update_url)
    assert "Say which hotspots" in owner.inner_text("main")
    owner.get_by_role("link", name="Edit this update").click()
    assert violations(owner) == []
    owner.get_by_label("What has happened since the last update").fill(
        "Themes report sent; the two hotspots were referred to the police, who visited both."
    )
    owner.get_by_role("button", name="Submit for approval").click()
    assert "Update submitted for approval" in owner.inner_text("main")

    head.goto(update_url)
    head.get_by_role("button", name="Approve").click()
    assert "Update approved and applied to the action" in head.inner_text("main")
    head.goto(action_url)
    history = head.inner_text(".app-timeline")
    assert "Update approved by David Okafor" in history
    assert "Update returned by David Okafor" in history
    assert violations(head) == []


SCREENSHOTS = Path(os.environ.get("SCREENSHOTS", "/tmp/screenshots"))


def test_an_older_update_approved_after_a_newer_one_never_rolls_back(browser, live_server):
    owner = browser.new_context().new_page()
    head = browser.new_context().new_page()
    sign_in(owner, live_server, "service_manager")
    sign_in(head, live_server, "head_of_service")

    # Action 2.2 has an update waiting (green): its author takes it back to write a newer one.
    owner.goto(f"{live_server}/my-actions")
    owner.get_by_role("link", name="Produce a monthly missing").click()
    action_url = owner.url
    owner.get_by_role("link", name="The first monthly missing and exploitation").click()
    older_url = owner.url
    owner.get_by_role("button", name="Withdraw this update").click()
    assert "It is a draft again" in owner.inner_text("main")

    owner.goto(action_url)
    owner.get_by_role("button", name="Write a progress update").click()
    owner.get_by_label("What has happened since the last update").fill(
        "November: referrals to the hub doubled; two more hotspots."
    )
    owner.get_by_label("In progress").check()
    owner.get_by_label("Amber").check()
    owner.get_by_label("Why this rating differs from the one the RAG rules give").fill(
        "Hotspots are rising faster than the hub can act"
    )
    owner.get_by_role("button", name="Submit for approval").click()
    assert "Update submitted for approval" in owner.inner_text("main")
    head.goto(owner.url)
    head.get_by_label("Exception to the RAG rules").fill(
        "Agreed at the improvement board: the hotspots outpace the hub"
    )
    head.get_by_role("button", name="Approve").click()
    assert "Update approved and applied to the action" in head.inner_text("main")

    owner.goto(older_url)
    owner.get_by_role("button", name="Submit for approval").click()
    assert "Update submitted for approval" in owner.inner_text("main")

    head.goto(older_url)
    changed = head.inner_text("main")
    assert "The action has changed since this update was written" in changed
    assert "Approved since it was written" in changed
    assert violations(head) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    head.screenshot(path=str(SCREENSHOTS / "stale-update-review.png"), full_page=True)
    head.get_by_role("button", name="Approve").click()
    assert "Update approved and applied to the action" in head.inner_text("main")

    head.goto(action_url)
    summary = head.inner_text(".govuk-summary-list")
    assert "Amber" in summary and "Green" not in summary
    head.goto(f"{live_server}/awaiting-approval")
    assert violations(head) == []
