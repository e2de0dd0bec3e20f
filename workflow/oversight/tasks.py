"""Background jobs of oversight: the daily reminder digests.

Sending commits as it goes (a digest is claimed and committed before its email leaves),
so a crash half-way sends nobody a second email and a retry sends only what is left.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import date

from flask import current_app, url_for
from sqlalchemy.exc import IntegrityError

from workflow.core import mail
from workflow.extensions import db
from workflow.jobs import job
from workflow.oversight import reminders

log = logging.getLogger("workflow.reminders")
REMINDERS_JOB = "oversight.send_reminders"


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)


class RemindersNotSent(Exception):
    """Some digests could not be sent; they were released, so a retry sends them."""


@job(REMINDERS_JOB)
def send_reminders(on: str | None = None) -> dict:
    today = date.fromisoformat(on) if on else date.today()
    outcome = send_daily_reminders(today)
    if outcome.failed:
        raise RemindersNotSent(f"{outcome.failed} of {outcome.sent + outcome.failed} not sent")
    return {"sent": outcome.sent, "on": today.isoformat()}


def send_daily_reminders(today: date) -> Outcome:
    """Email each owner and head of service their digest for the day, at most once.

    Raises OSError or SMTPException when the mail server cannot be reached at all."""
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        digests = reminders.pending_digests(today, _link)
    outcome = Outcome()
    if not digests:
        return outcome
    with mail.outbox() as outbox:
        for digest in digests:
            _send_once(outbox, digest, today, outcome)
    return outcome


def _send_once(outbox: mail.Outbox, digest: reminders.Digest, today: date, outcome: Outcome):
    """Claim, commit, then send; nothing if another run claimed it first."""
    try:
        log_row = reminders.claim(digest, today)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return
    user = digest.user
    try:
        outbox.send(user.name, user.email, digest.subject, digest.body)
    except (OSError, smtplib.SMTPException) as error:
        reminders.release(log_row)
        db.session.commit()
        outcome.failed += 1
        outcome.failures.append(f"Could not email {user.email}: {error}")
        return
    outcome.sent += 1


def _link(endpoint: str, values: dict) -> str:
    return url_for(endpoint, _external=True, **values)
