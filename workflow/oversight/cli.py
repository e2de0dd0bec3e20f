"""Flask commands for oversight: the daily reminder emails (run from cron)."""

import smtplib
import sys
from datetime import date, datetime

import click
from flask.cli import with_appcontext

from workflow.oversight.tasks import send_daily_reminders


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
    try:
        outcome = send_daily_reminders(today)
    except (OSError, smtplib.SMTPException) as error:
        raise click.ClickException(f"Could not reach the mail server: {error}") from None
    for failure in outcome.failures:
        click.echo(failure, err=True)
    sent = outcome.sent
    click.echo(f"Sent {sent} reminder email{'s' * (sent != 1)} for {today:%-d %B %Y}.")
    if outcome.failed:
        click.echo(
            f"{outcome.failed} could not be sent; the next run will try them again.", err=True
        )
        sys.exit(1)
