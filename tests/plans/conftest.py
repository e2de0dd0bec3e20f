"""Helpers for the plan tests: approved (and unapproved) progress through the real rules."""

from datetime import date

import pytest

from tests.factories import progress_update, withdraw_waiting
from workflow.extensions import db
from workflow.models import Action, ActionStatus, ProgressUpdate, Rag


def report_progress(
    world,
    action: Action,
    narrative: str,
    *,
    approve: bool = True,
    status: ActionStatus = ActionStatus.IN_PROGRESS,
    rag: Rag = Rag.GREEN,
    evidence: tuple[str, ...] = (),
    due_date: date | None = None,
    due_date_reason: str | None = None,
    measure_values: dict | None = None,
) -> ProgressUpdate:
    """The owner drafts, attaches link evidence and submits; the area's head approves.
    The world's own waiting update is withdrawn first if it is on this action: an action has
    one update awaiting approval at a time."""
    if world.submitted.action_id == action.id and world.submitted.state.value == "submitted":
        withdraw_waiting(world)
    update = progress_update(
        action.owner,
        action,
        narrative,
        reviewer=world.users["head"] if approve else None,
        status=status,
        rag=rag,
        rag_reason="The owner's judgement",
        evidence=evidence,
        due_date=due_date,
        due_date_reason=due_date_reason,
        measure_values=measure_values,
    )
    db.session.commit()
    return update


@pytest.fixture
def progress(world):
    """progress(action, narrative, **options): an update through sign-off (see report_progress)."""

    def report(action: Action, narrative: str, **options) -> ProgressUpdate:
        return report_progress(world, action, narrative, **options)

    return report
