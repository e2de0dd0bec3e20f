"""The demo command: load the demo data once and print the sign-ins."""

from datetime import date

import click
from flask.cli import with_appcontext

from workflow.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo
from workflow.extensions import db


@click.command("demo")
@with_appcontext
def demo_command():
    """Load the demo data (once) and print the demo sign-ins: ROLE EMAIL PASSWORD."""
    users = load_demo(date.today())
    db.session.commit()
    for role, email in users:
        click.echo(f"{role.value} {email} {DEMO_PASSWORD}")
    click.echo(f"Administrators and directors: two-factor authenticator key {DEMO_TOTP_SECRET}")
