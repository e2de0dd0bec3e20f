"""What an update's page shows beyond the update: what changed since it was written, the
reviewers' comments, what its author changed since the last one, and who decides it."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflow.core import permissions
from workflow.extensions import db
from workflow.models import ProgressUpdate, ReviewComment, Role, UpdateState, User
from workflow.signoff.changes import (
    FieldChange,
    Rework,
    action_changed_since,
    field_changes,
    reworked_since,
)
from workflow.signoff.queues import waiting_update


@dataclass
class UpdatePage:
    comments: list[ReviewComment]
    # Filled only while the update is still to be decided and the action moved on meanwhile.
    changed_since: list[FieldChange] = field(default_factory=list)
    approved_since: list[ProgressUpdate] = field(default_factory=list)
    # What the author changed since the last comment, once the update is back for review.
    reworked: list[Rework] = field(default_factory=list)
    # Another update to the action awaiting approval, which this one must wait for.
    other_waiting: ProgressUpdate | None = None
    other_waiting_opens: bool = False  # a partner cannot open someone else's
    # Why the viewer may decide it: for an absent head, or as the director.
    deciding_for: User | None = None
    deciding_as_director: bool = False


def update_page(update: ProgressUpdate, viewer: User, can_review: bool, today: date) -> UpdatePage:
    page = UpdatePage(comments=list(update.comments))
    if update.state is UpdateState.APPROVED:
        return page
    if action_changed_since(update):
        page.changed_since = field_changes(update)
        # Others' updates are not a partner's to read: the changes themselves are listed.
        if permissions.can_browse_authority(viewer):
            page.approved_since = approved_since(update)
    last = update.last_comment
    if update.state is UpdateState.SUBMITTED and last is not None and last.proposal:
        page.reworked = reworked_since(update, last.proposal)
    waiting = waiting_update(update.action)
    if waiting is not None and waiting.id != update.id:
        page.other_waiting = waiting
        page.other_waiting_opens = permissions.may_open_update(viewer, waiting)
    if can_review:
        page.deciding_for = permissions.acting_for(viewer, update, today)
        as_director = viewer.role is Role.DIRECTOR and page.deciding_for is None
        page.deciding_as_director = as_director
    return page


def approved_since(update: ProgressUpdate) -> list[ProgressUpdate]:
    """The action's updates approved after this one was written, oldest first."""
    query = (
        sa.select(ProgressUpdate)
        .where(
            ProgressUpdate.action_id == update.action_id,
            ProgressUpdate.state == UpdateState.APPROVED,
            ProgressUpdate.reviewed_at > update.written_at,
        )
        .options(joinedload(ProgressUpdate.author), joinedload(ProgressUpdate.reviewer))
        .order_by(ProgressUpdate.reviewed_at, ProgressUpdate.id)
    )
    return list(db.session.scalars(query))
