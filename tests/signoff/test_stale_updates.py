"""An update written before the action last changed: the reviewer sees what changed since,
approval applies only what the update changes, and the plan keeps the newest text."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from tests.factories import proposal, withdraw_waiting
from workflow.extensions import db
from workflow.models import Action, ActionStatus, AuditEvent, ProgressUpdate, Rag, UpdateState
from workflow.plans.builder import build_plan
from workflow.signoff import rules as signoff
from workflow.signoff.evidence import add_link_evidence


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def overtaken(world, older_proposal: signoff.Proposal) -> ProgressUpdate:
    """The world's update rewritten as `older_proposal`; then a newer update rates the
    action amber and is approved; then the older one is submitted, as first written."""
    manager, head = world.users["manager"], world.users["head"]
    withdraw_waiting(world)
    older = world.submitted
    signoff.revise_update(manager, older, older.version, older_proposal, date.today())
    newer = signoff.draft_update(
        manager,
        world.action,
        proposal("Recruitment has slipped.", rag=Rag.AMBER, rag_reason="Two posts vacant"),
        None,
        date.today(),
    )
    signoff.submit_update(manager, newer, newer.version)
    signoff.approve_update(head, newer, newer.version, exception="Agreed at the board.")
    signoff.submit_update(manager, older, older.version)
    db.session.commit()
    assert world.action.rag is Rag.AMBER
    return older


@pytest.fixture
def older(world):
    """An update rating the action green, overtaken by an approved one rating it amber."""
    return overtaken(world, proposal("Tracker live in every school."))


def plan_progress(world) -> str:
    plan = build_plan(world.inspection, date.today())
    (item,) = [a for _, a in plan.actions() if a.id == world.action.id]
    return item.progress


def test_an_older_update_approved_later_never_rolls_the_action_back(world, login, older):
    head = login("head")
    page = text_of(head.get(f"/updates/{older.id}"))
    assert "The action has changed since this update was written" in page
    # RAG: green when written, amber now, no change proposed, so amber if approved.
    assert "RAG Green Amber Changed since No change Amber" in page
    assert "Approved since it was written: The update from Mo Manager" in page
    response = head.post(f"/updates/{older.id}/approve", data={"version": older.version})
    assert response.status_code == 302
    assert fresh(ProgressUpdate, older.id).state is UpdateState.APPROVED
    action = fresh(Action, world.action.id)
    assert (action.status, action.rag) == (ActionStatus.IN_PROGRESS, Rag.AMBER)
    # The plan's latest progress is the newest text, not the last approved.
    assert plan_progress(world) == "Recruitment has slipped."
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.object_id == older.id, AuditEvent.verb == "approved")
    )
    assert event.changes["kept_as_changed_since"] == {"rag": "amber"}
    assert event.changes["written_against_version"] == older.base_action_version


def test_what_an_older_update_changes_is_applied_and_nothing_else(world, login):
    new_due = world.action.due_date + timedelta(days=30)
    change = proposal("Tracker delayed.", due_date=new_due, due_date_reason="Supplier delay")
    older = overtaken(world, change)
    exception = "Agreed at the board."  # the rules give another rating once the action moved on
    login("head").post(
        f"/updates/{older.id}/approve", data={"version": older.version, "rag_exception": exception}
    )
    action = fresh(Action, world.action.id)
    assert (action.due_date, action.rag) == (new_due, Rag.AMBER)


def test_an_update_that_no_longer_fits_goes_back_to_its_author(world, login):
    manager, head, action = world.users["manager"], world.users["head"], world.action
    withdraw_waiting(world)
    older = world.submitted
    signoff.revise_update(
        manager,
        older,
        older.version,
        proposal("Behind plan.", rag=Rag.RED, rag_reason="Audit found gaps"),
        date.today(),
    )
    done = signoff.draft_update(
        manager, action, proposal("All done.", status=ActionStatus.COMPLETE), None, date.today()
    )
    add_link_evidence(manager, done, "https://intranet.example/final", "Final audit")
    signoff.submit_update(manager, done, done.version)
    signoff.approve_update(head, done, done.version, exception="Agreed at the board.")
    signoff.submit_update(manager, older, older.version)
    db.session.commit()

    client = login("head")
    response = client.post(f"/updates/{older.id}/approve", data={"version": older.version})
    assert "was marked complete after this update was written" in text_of(response)
    assert fresh(ProgressUpdate, older.id).state is UpdateState.SUBMITTED
    assert fresh(Action, action.id).status is ActionStatus.COMPLETE
    client.post(
        f"/updates/{older.id}/return",
        data={"version": older.version, "comment": "The action is complete now: check this."},
    )

    form = text_of(login("manager").get(f"/updates/{older.id}/edit"))
    assert "The action has changed since you wrote this update" in form
    assert "Status is now Complete (it was Not started)" in form


def test_reworking_an_update_brings_it_up_to_date(world, login, older):
    head = world.users["head"]
    signoff.return_update(head, older, older.version, "Check the rating: it is amber now.")
    db.session.commit()
    client = login("manager")
    page = client.get(f"/updates/{older.id}/edit").get_data(as_text=True)
    # What the update did not change shows the action as it is now.
    assert 'value="amber" checked' in page
    data = {
        "narrative": "Recruitment still slipping; one post filled.",
        "status": "in_progress",
        "rag": "amber",
        "rag_reason": "Two posts still vacant",
        "version": str(fresh(ProgressUpdate, older.id).version),
        "intent": "submit",
    }
    assert client.post(f"/updates/{older.id}/edit", data=data).status_code == 302
    older = fresh(ProgressUpdate, older.id)
    action = fresh(Action, world.action.id)
    assert (older.base_action_version, older.base_rag) == (action.version, Rag.AMBER)
    assert "has changed since" not in text_of(login("head").get(f"/updates/{older.id}"))
