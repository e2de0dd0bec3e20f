"""The morning after its due date an incomplete action is red, and the record says why."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from tests.factories import progress_update, withdraw_waiting
from workflow.core import audit
from workflow.extensions import db
from workflow.jobs import enqueue
from workflow.models import Action, ActionStatus, AuditEvent, Job, JobState, Rag
from workflow.planning import rules as planning
from workflow.planning.tasks import PAST_DUE_JOB
from workflow.plans.board_report import build_report


def past_due_events(action: Action) -> list[AuditEvent]:
    query = sa.select(AuditEvent).where(
        AuditEvent.action_id == action.id, AuditEvent.verb == "due_date_passed"
    )
    return list(db.session.scalars(query))


@pytest.fixture
def due_yesterday(world, today):
    world.action.due_date = today - timedelta(days=1)
    db.session.commit()
    return world.action


def test_the_command_rates_it_red_once_as_the_system(due_yesterday, runner, login):
    first = runner.invoke(args=["mark-past-due"])
    assert first.exit_code == 0, first.output
    assert "1 action past its due date marked red" in first.output
    db.session.expire_all()
    assert due_yesterday.rag is Rag.RED
    (event,) = past_due_events(due_yesterday)
    assert (event.actor_id, event.actor_name) == (None, "System")
    assert event.summary == "Due date passed: RAG Green to Red"
    assert event.changes == {"rag": ["green", "red"]}
    second = runner.invoke(args=["mark-past-due"])
    assert "0 actions past their due date marked red" in second.output
    assert len(past_due_events(due_yesterday)) == 1  # running twice records once
    assert audit.verify_chain().intact
    page = text_of(login("viewer").get(f"/actions/{due_yesterday.id}"))
    assert "Due date passed: RAG Green to Red System," in page


def test_due_today_is_not_yet_past_due(world, runner, today):
    world.action.due_date = today
    db.session.commit()
    runner.invoke(args=["mark-past-due"])
    db.session.expire_all()
    assert world.action.rag is Rag.GREEN and past_due_events(world.action) == []
    runner.invoke(args=["mark-past-due", "--date", (today + timedelta(days=1)).isoformat()])
    db.session.expire_all()
    assert world.action.rag is Rag.RED


def test_the_scheduled_job_does_the_same_and_is_idempotent(due_yesterday, today):
    enqueue(PAST_DUE_JOB, key=f"past-due:{today.isoformat()}")
    db.session.commit()
    job = db.session.scalar(sa.select(Job).where(Job.name == PAST_DUE_JOB))
    assert job.state is JobState.SUCCEEDED and job.result == {"marked": 1, "on": today.isoformat()}
    enqueue(PAST_DUE_JOB)  # a second run the same day
    db.session.commit()
    db.session.expire_all()
    assert due_yesterday.rag is Rag.RED and len(past_due_events(due_yesterday)) == 1


def test_complete_and_other_authorities_actions_are_left_alone(world, runner, today):
    world.other_action.due_date = today - timedelta(days=3)
    db.session.commit()
    runner.invoke(args=["mark-past-due"])
    db.session.expire_all()
    assert world.other_action.rag is Rag.RED  # the job serves every authority ...
    (event,) = past_due_events(world.other_action)
    assert event.authority_id == world.other_authority.id  # ... each on its own chain
    assert world.action.rag is Rag.GREEN  # not due until 2030
    assert audit.verify_chain().intact


def exception_by_head(world, action: Action, rag: Rag = Rag.GREEN) -> None:
    """An approved update rated other than the rules give, with the head's exception."""
    if world.submitted.action_id == action.id and world.submitted.state.value == "submitted":
        withdraw_waiting(world)  # an action has one update awaiting approval at a time
    progress_update(
        world.users["manager"],
        action,
        reviewer=world.users["head"],
        rag=rag,
        exception="Final sign-off is a formality at the board on Friday.",
    )
    db.session.commit()


def test_an_exception_written_before_the_due_date_lapses_when_it_passes(world, runner, today):
    action = world.action
    action.due_date = today + timedelta(days=10)  # amber by the rules: not started ...
    action.status = ActionStatus.NOT_STARTED
    db.session.commit()
    withdraw_waiting(world)  # an action has one update awaiting approval at a time
    progress_update(
        world.users["manager"],
        action,
        reviewer=world.users["head"],
        status=ActionStatus.NOT_STARTED,
        rag=Rag.GREEN,
        exception="Staff are in post and start on Monday.",
    )
    db.session.commit()
    assert action.rag is Rag.GREEN and action.rag_exception  # ... green by exception
    runner.invoke(args=["mark-past-due", "--date", (today + timedelta(days=11)).isoformat()])
    db.session.expire_all()
    assert (action.rag, action.rag_exception) == (Rag.RED, None)
    (event,) = past_due_events(action)
    assert event.summary == "Due date passed: RAG Green to Red; the reviewer's RAG exception lapsed"


def test_an_exception_written_for_an_overdue_action_stands(world, due_yesterday, runner):
    exception_by_head(world, due_yesterday, Rag.AMBER)
    runner.invoke(args=["mark-past-due"])
    db.session.expire_all()
    assert due_yesterday.rag is Rag.AMBER and past_due_events(due_yesterday) == []
    assert due_yesterday.rag_exception == "Final sign-off is a formality at the board on Friday."


def test_a_new_due_date_rates_the_action_afresh_and_ends_the_exception(world, due_yesterday, login):
    exception_by_head(world, due_yesterday, Rag.AMBER)
    client = login("admin")
    page = client.get(f"/actions/{due_yesterday.id}/edit")
    assert page.status_code == 200
    form = {
        "reference": due_yesterday.reference,
        "description": due_yesterday.description,
        "owner_id": due_yesterday.owner_id,
        "delegate_id": "",
        "service_area_id": due_yesterday.service_area_id,
        "start_date-day": "1",
        "start_date-month": "6",
        "start_date-year": "2022",
        "due_date-day": "30",
        "due_date-month": "6",
        "due_date-year": "2031",
        "due_date_reason": "Agreed at the improvement board",
        "measure_of_success": due_yesterday.measure_of_success,
        "version": due_yesterday.version,
    }
    response = client.post(f"/actions/{due_yesterday.id}/edit", data=form)
    assert response.status_code == 302, text_of(response)[:500]
    db.session.expire_all()
    assert due_yesterday.due_date == date(2031, 6, 30)
    assert (due_yesterday.rag, due_yesterday.rag_exception) == (Rag.GREEN, None)
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.verb == "edited").order_by(AuditEvent.id.desc())
    ).first()
    assert event.changes["rag"] == ["amber", "green"]
    assert event.changes["rag_exception"][1] is None


def test_the_board_report_lists_the_change_the_system_made(world, due_yesterday, today):
    planning.mark_past_due(today)
    db.session.commit()
    report = build_report(world.inspection, today - timedelta(days=1), today, today)
    (change,) = report.recommendations[0].rag_changes
    assert (change.old, change.new) == (Rag.GREEN, Rag.RED)
