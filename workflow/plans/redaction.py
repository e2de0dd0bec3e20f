"""Redacting personal data from an approved progress update.

Approved updates feed the plan, the history, search and the API. When one turns out to hold
personal data, the director replaces its text: the original goes into a restricted record
(UpdateRedaction) that nothing displays, and the audit event says that it was redacted and
why, never what was taken out.
"""

import sqlalchemy as sa

from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.core.locking import check_version, flush
from workflow.extensions import db
from workflow.models import ProgressUpdate, UpdateRedaction, UpdateState, User


def redact_update(
    director: User, update: ProgressUpdate, posted_version: int | None, text: str, reason: str
) -> ProgressUpdate:
    """Replace an approved update's text, keeping the original only in a restricted record."""
    check_version(update, posted_version, still_allowed=update.state is UpdateState.APPROVED)
    if not text:
        raise RuleError("Enter the update's text as it should read", "narrative")
    if text == update.narrative:
        raise RuleError("Change the text: remove or replace the personal data", "narrative")
    if not reason:
        raise RuleError("Enter why the update is being redacted", "reason")
    kept = db.session.scalar(
        sa.select(UpdateRedaction).where(UpdateRedaction.update_id == update.id)
    )
    if kept is None:  # the first original is the one kept; later redactions refine the text
        db.session.add(
            UpdateRedaction(
                update_id=update.id,
                original_narrative=update.narrative,
                reason=reason,
                redacted_by_id=director.id,
            )
        )
    update.narrative = text
    flush()
    summary = f"Update redacted by {director.name}: {reason}"[:500]
    record_event(
        director,
        update.authority_id,
        update,
        "redacted",
        summary,
        {"reason": reason},
        action_id=update.action_id,
    )
    return update
