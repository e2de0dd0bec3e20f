"""Flask commands for planning: rate red the actions whose due dates have passed."""

from datetime import date, datetime

import click
from flask.cli import with_appcontext

from workflow.extensions import db
from workflow.planning import rules as planning


@click.command("mark-past-due")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Run as if today were this date (YYYY-MM-DD). Default: today.",
)
@with_appcontext
def mark_past_due_command(on: datetime | None):
    """Rate red each incomplete action past its due date, recorded as the system's; a second
    run changes nothing."""
    today = on.date() if on else date.today()
    marked = planning.mark_past_due(today)
    db.session.commit()
    count = len(marked)
    click.echo(
        f"{count} action{'s' * (count != 1)} past {'their' if count != 1 else 'its'} due "
        f"date marked red on {today:%-d %B %Y}."
    )
