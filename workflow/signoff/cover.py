"""Cover for an absent head of service: the deputy they name decides their area's updates for
the period, each decision recorded as made on the head's behalf (see permissions.py)."""

from datetime import date

import sqlalchemy as sa

from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.core.locking import flush
from workflow.extensions import db
from workflow.models import ReviewCover, Role, User


def cover_of(head: User) -> ReviewCover | None:
    return db.session.scalar(sa.select(ReviewCover).where(ReviewCover.head_id == head.id))


def possible_deputies(head: User) -> list[User]:
    """The other heads of service of the authority, and its directors."""
    query = (
        sa.select(User)
        .where(
            User.authority_id == head.authority_id,
            User.active.is_(True),
            User.role.in_([Role.HEAD_OF_SERVICE, Role.DIRECTOR]),
            User.id != head.id,
        )
        .order_by(User.role != Role.DIRECTOR, User.name, User.id)
    )
    return list(db.session.scalars(query))


def set_cover(
    head: User, deputy_id: int | None, starts_on: date, ends_on: date, today: date
) -> ReviewCover:
    """Name (or change) the head's deputy for a period."""
    deputy = next((p for p in possible_deputies(head) if p.id == deputy_id), None)
    if deputy is None:
        raise RuleError("Select another head of service or a director", "deputy_id")
    if ends_on < starts_on:
        raise RuleError("The last day of the cover must be on or after the first day", "ends_on")
    if ends_on < today:
        raise RuleError("The last day of the cover must be today or in the future", "ends_on")
    cover = cover_of(head)
    before = _described(cover)
    if cover is None:
        cover = ReviewCover(head=head)
        db.session.add(cover)
    cover.deputy, cover.starts_on, cover.ends_on = deputy, starts_on, ends_on
    flush(unique_race=True)  # the same head saving twice at once: one cover, not two
    summary = f"{deputy.name} named to cover for {head.name}"
    changes = {"cover": [before, _described(cover)]}
    record_event(head, head.authority_id, cover, "set", summary, changes)
    return cover


def clear_cover(head: User) -> None:
    """The head is back (or never went): nobody decides for them any longer."""
    cover = cover_of(head)
    if cover is None:
        raise RuleError("You have no deputy named")
    summary = f"Cover for {head.name} by {cover.deputy.name} ended"
    record_event(head, head.authority_id, cover, "cleared", summary, {"cover": _described(cover)})
    db.session.delete(cover)
    flush()


def _described(cover: ReviewCover | None) -> dict | None:
    if cover is None:
        return None
    return {"deputy": cover.deputy.name, "from": cover.starts_on, "to": cover.ends_on}
