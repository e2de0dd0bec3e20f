"""Optimistic locking: a form carries the version it was built from; older versions are refused."""

from typing import Any

import sqlalchemy as sa

from workflow.core.errors import StaleError
from workflow.extensions import db
from workflow.models import AuditEvent


def check_version(obj: Any, posted_version: int | None) -> None:
    """Refuse a form built from an older version of obj, naming who changed it since."""
    if posted_version == obj.version:
        return
    last = db.session.scalar(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == obj.__tablename__, AuditEvent.object_id == obj.id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    who = f" by {last.actor_name} at {last.at:%H:%M on %-d %B %Y}" if last else ""
    raise StaleError(
        f"This record was changed{who} after you opened the form. "
        "Check the current values below and submit your changes again."
    )
