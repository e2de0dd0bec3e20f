"""Optimistic locking, the one way every rule uses it.

A form carries the version of the record it was built from. `check_version` refuses a post
built from an older version (or from a state the record has since left), saying who changed
it; `flush` turns a write that lost a race at the database into the same refusal.
"""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from workflow.core.errors import StaleError
from workflow.extensions import db
from workflow.models import AuditEvent

# A refused form is shown again filled from the record as it is now (workflow/web run_rule);
# a refused button goes back to the record's page.
SHOWN_NOW = "Nothing has been saved: the page now shows the record as it is now."
RACE_MESSAGE = f"Someone else changed this at the same moment. {SHOWN_NOW}"


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
            f"This {_noun(obj)} was {happened}, after you opened the page. {SHOWN_NOW}"
        )
    if posted_version is None:
        raise StaleError(
            f"The form arrived without saying which version of the record it showed. {SHOWN_NOW}"
        )
    raise StaleError(
        f"This record was changed{_changed_by(obj)}, after you opened the page. {SHOWN_NOW}"
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


def run_locked(rule: Callable, *args, **kwargs) -> Any:
    """Call a rule and write what it changed, so that losing a race to another writer is the
    same refusal as a stale form wherever the rule flushed (or forgot to)."""
    try:
        result = rule(*args, **kwargs)
        db.session.flush()
    except StaleDataError:
        raise StaleError(RACE_MESSAGE) from None
    return result


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
