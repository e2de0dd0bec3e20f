"""Work waiting for people: their actions, their returned updates, their approval queue."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflow.core.tenancy import actions_of, updates_of
from workflow.extensions import db
from workflow.models import Action, ProgressUpdate, Role, UpdateState, User


def my_actions(user: User) -> sa.Select:
    """Actions the user owns or is delegate for, soonest due first."""
    return (
        actions_of(user)
        .where(sa.or_(Action.owner_id == user.id, Action.delegate_id == user.id))
        .options(joinedload(Action.owner), joinedload(Action.recommendation))
        .order_by(Action.due_date, Action.id)
    )


def returned_updates(user: User) -> list[ProgressUpdate]:
    query = (
        updates_of(user)
        .where(ProgressUpdate.author_id == user.id, ProgressUpdate.state == UpdateState.RETURNED)
        .options(joinedload(ProgressUpdate.action), joinedload(ProgressUpdate.reviewer))
        .order_by(ProgressUpdate.reviewed_at.desc())
    )
    return list(db.session.scalars(query))


def awaiting_approval(user: User) -> sa.Select:
    """Submitted updates in the head of service's area that someone else wrote, oldest first."""
    return (
        updates_of(user)
        .join(ProgressUpdate.action)
        .where(
            ProgressUpdate.state == UpdateState.SUBMITTED,
            Action.service_area_id == user.service_area_id,
            ProgressUpdate.author_id != user.id,
        )
        .options(joinedload(ProgressUpdate.action), joinedload(ProgressUpdate.author))
        .order_by(ProgressUpdate.submitted_at, ProgressUpdate.id)
    )


def waiting_count(user: User) -> int | None:
    """The number shown in the header: approvals for heads, returned updates for owners."""
    if user.role is Role.HEAD_OF_SERVICE:
        query = awaiting_approval(user)
    elif user.role is Role.SERVICE_MANAGER:
        # Their own updates are all in their own authority: no need to join to it.
        query = sa.select(ProgressUpdate).where(
            ProgressUpdate.author_id == user.id, ProgressUpdate.state == UpdateState.RETURNED
        )
    else:
        return None
    counted = query.with_only_columns(sa.func.count(ProgressUpdate.id)).order_by(None)
    return db.session.scalar(counted)
