"""Helpers for the plan tests: approved (and unapproved) progress through the real rules."""

from datetime import date

import pytest

from workflow.extensions import db
from workflow.models import Action, ActionStatus, ProgressUpdate, Rag
from workflow.signoff import rules as signoff


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
    """The owner drafts, attaches link evidence and submits; the area's head approves."""
    owner, head = action.owner, world.users["head"]
    proposal = signoff.Proposal(
        narrative=narrative,
        status=status,
        rag=rag,
        rag_reason="The owner's judgement",
        due_date=due_date,
        due_date_reason=due_date_reason,
        measure_values=measure_values or {},
    )
    update = signoff.draft_update(owner, action, proposal, None, date.today())
    for title in evidence:
        signoff.add_link_evidence(owner, update, "https://intranet.example/doc", title)
    signoff.submit_update(owner, update, update.version)
    if approve:
        signoff.approve_update(head, update, update.version)
    db.session.commit()
    return update


@pytest.fixture
def progress(world):
    """progress(action, narrative, **options): an update through sign-off (see report_progress)."""

    def report(action: Action, narrative: str, **options) -> ProgressUpdate:
        return report_progress(world, action, narrative, **options)

    return report
