"""Flask commands for oversight: the daily reminder emails (run from cron)."""

import smtplib
import sys
from datetime import date, datetime

import click
from flask import current_app, url_for
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from workflow.core import mail
from workflow.extensions import db
from workflow.oversight import reminders


@click.command("send-reminders")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Send as if today were this date (YYYY-MM-DD). Default: today.",
)
@with_appcontext
def send_reminders_command(on: datetime | None):
    """Email each owner and head of service their daily digest; a second run sends nothing."""
    today = on.date() if on else date.today()
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        digests = reminders.pending_digests(today, _link)
    sent = failed = 0
    if digests:
        try:
            with mail.outbox() as outbox:
                for digest in digests:
                    outcome = _send_once(outbox, digest, today)
                    sent, failed = sent + (outcome is True), failed + (outcome is False)
        except (OSError, smtplib.SMTPException) as error:
            raise click.ClickException(f"Could not reach the mail server: {error}") from None
    click.echo(f"Sent {sent} reminder email{'s' * (sent != 1)} for {today:%-d %B %Y}.")
    if failed:
        click.echo(f"{failed} could not be sent; the next run will try them again.", err=True)
        sys.exit(1)


def _send_once(outbox: mail.Outbox, digest: reminders.Digest, today: date) -> bool | None:
    """Claim, commit, then send; None if another run claimed it first, False if sending failed."""
    try:
        log = reminders.claim(digest, today)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    user = digest.user
    try:
        outbox.send(user.name, user.email, digest.subject, digest.body)
    except (OSError, smtplib.SMTPException) as error:
        reminders.release(log)
        db.session.commit()
        click.echo(f"Could not email {user.email}: {error}", err=True)
        return False
    return True


def _link(endpoint: str, values: dict) -> str:
    return url_for(endpoint, _external=True, **values)
