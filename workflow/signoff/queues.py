"""Work waiting for people: their actions, their returned updates, their approval queue, and
the updates that have waited too long for anyone."""

from datetime import date, datetime

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import joinedload

from workflow.core import permissions
from workflow.core.deadlines import add_working_days, earliest_start_within
from workflow.core.tenancy import actions_of, reported_on_by, updates_of
from workflow.extensions import db
from workflow.models import Action, ProgressUpdate, Role, UpdateState, User

# An update waiting longer than this is escalated to the director and chased by email.
DECISION_WORKING_DAYS = 5


def my_actions(user: User) -> sa.Select:
    """Actions the user owns, is delegate for or (a partner) was invited to, soonest due first."""
    return (
        actions_of(user)
        .where(reported_on_by(user))
        .options(joinedload(Action.owner), joinedload(Action.recommendation))
        .order_by(Action.due_date, Action.id)
    )


def returned_updates(user: User) -> list[ProgressUpdate]:
    query = (
        updates_of(user)
        .where(ProgressUpdate.author_id == user.id, ProgressUpdate.state == UpdateState.RETURNED)
        .options(
            joinedload(ProgressUpdate.action),
            joinedload(ProgressUpdate.reviewer),
            joinedload(ProgressUpdate.comments),  # the last one is shown
        )
        .order_by(ProgressUpdate.reviewed_at.desc())
    )
    return list(db.session.scalars(query).unique())


def awaiting_approval(user: User, today: date) -> sa.Select:
    """Submitted updates the user may decide (permissions.review_scope), oldest first."""
    return (
        updates_of(user)
        .where(ProgressUpdate.state == UpdateState.SUBMITTED, permissions.review_scope(user, today))
        .options(_with_action(), joinedload(ProgressUpdate.author))
        .order_by(ProgressUpdate.submitted_at, ProgressUpdate.id)
    )


def _with_action():
    return joinedload(ProgressUpdate.action).joinedload(Action.service_area)


def waiting_update(action: Action) -> ProgressUpdate | None:
    """The action's update awaiting approval, if it has one (it has at most one)."""
    query = sa.select(ProgressUpdate).where(
        ProgressUpdate.action_id == action.id, ProgressUpdate.state == UpdateState.SUBMITTED
    )
    return db.session.scalars(query).first()


def waited_too_long(submitted_at: datetime, today: date) -> bool:
    return today > add_working_days(submitted_at.date(), DECISION_WORKING_DAYS)


def submitted_before(today: date) -> datetime:
    """Updates submitted before this moment have waited too long by today."""
    day = earliest_start_within(today, DECISION_WORKING_DAYS)
    return datetime.combine(day, datetime.min.time())


def escalated(user: User, today: date) -> sa.Select:
    """The authority's updates waiting more than five working days, oldest first."""
    return (
        updates_of(user)
        .where(
            ProgressUpdate.state == UpdateState.SUBMITTED,
            ProgressUpdate.submitted_at < submitted_before(today),
        )
        .options(_with_action(), joinedload(ProgressUpdate.author))
        .order_by(ProgressUpdate.submitted_at, ProgressUpdate.id)
    )


def remember_waiting_count(user: User, total: int) -> None:
    """A page that has counted the user's whole approval queue already: the header shows
    that number instead of counting again."""
    g.setdefault("waiting_counts", {})[user.id] = total


def waiting_count(user: User) -> int | None:
    """The number shown in the header: approvals for reviewers, returned updates for owners."""
    counted = g.get("waiting_counts", {}).get(user.id)
    if counted is not None:
        return counted
    if user.role in (Role.HEAD_OF_SERVICE, Role.DIRECTOR):
        query = awaiting_approval(user, date.today())
    elif user.role in (Role.SERVICE_MANAGER, Role.PARTNER):
        # Their own updates are all in their own authority: no need to join to it.
        query = sa.select(ProgressUpdate).where(
            ProgressUpdate.author_id == user.id, ProgressUpdate.state == UpdateState.RETURNED
        )
    else:
        return None
    counted = query.with_only_columns(sa.func.count(ProgressUpdate.id)).order_by(None)
    return db.session.scalar(counted)
