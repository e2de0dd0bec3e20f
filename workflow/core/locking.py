"""Optimistic locking, the one way every rule uses it.

A form carries the version of the record it was built from. `check_version` refuses a post
built from an older version (or from a state the record has since left), saying who changed
it; `flush` turns a write that lost a race at the database into the same refusal.
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from workflow.core.errors import StaleError
from workflow.extensions import db
from workflow.models import AuditEvent

RACE_MESSAGE = "Someone else changed this at the same moment. Nothing was changed: reload the page."


def check_version(
    obj: Any, posted_version: int | None, *, still_allowed: bool = True, happened: str = ""
) -> None:
    """Refuse a post built from an older version of obj, or from a state it has since left.

    `happened` says what became of the record in words ("approved by …"); without it the
    last audit event names who changed it and when.
    """
    if still_allowed and posted_version == obj.version:
        return
    if happened:
        raise StaleError(
            f"This {_noun(obj)} was {happened}, after you opened the page. "
            "Nothing has been changed.",
            obj.version,
        )
    raise StaleError(
        f"This record was changed{_changed_by(obj)} after you opened the form. "
        "Check the current values below and submit your changes again.",
        obj.version,
    )


def flush(message: str = RACE_MESSAGE, *, unique_race: bool = False) -> None:
    """Write pending changes; losing a race to another writer refuses with `message`.

    A version mismatch at the database is always a race. With `unique_race`, so is a unique
    constraint clash (two people creating the same numbered row at once).
    """
    races = (StaleDataError, sa.exc.IntegrityError) if unique_race else (StaleDataError,)
    try:
        db.session.flush()
    except races:
        raise StaleError(message) from None


def _changed_by(obj: Any) -> str:
    last = db.session.scalar(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == obj.__tablename__, AuditEvent.object_id == obj.id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return f" by {last.actor_name} at {last.at:%H:%M on %-d %B %Y}" if last else ""


def _noun(obj: Any) -> str:
    return obj.__tablename__.replace("progress_", "").replace("_", " ")
