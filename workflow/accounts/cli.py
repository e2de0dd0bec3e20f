"""Commands for authorities and their people."""

import os
import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from workflow.accounts import rules as accounts
from workflow.core.errors import RuleError
from workflow.extensions import db
from workflow.models import Authority, Role, ServiceArea


@click.command("create-authority")
@click.argument("name")
@with_appcontext
def create_authority_command(name: str):
    """Create an authority (a council)."""
    try:
        authority = accounts.create_authority(name)
    except RuleError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created authority {authority.name} (id {authority.id}).")


@click.command("create-user")
@click.option("--authority", "authority_name", required=True, help="The authority's name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--service-area", default=None, help="Needed for heads of service and managers.")
@with_appcontext
def create_user_command(authority_name, role, email, name, service_area):
    """Create a user; the password comes from a prompt, or NEW_USER_PASSWORD without a terminal."""
    authority = db.session.scalar(sa.select(Authority).where(Authority.name == authority_name))
    if authority is None:
        raise click.ClickException(f"No authority called {authority_name}.")
    area = None
    if service_area:
        area = db.session.scalar(
            sa.select(ServiceArea).where(
                ServiceArea.authority_id == authority.id, ServiceArea.name == service_area
            )
        ) or accounts.create_service_area(authority, service_area)
    password = _new_password()
    try:
        user = accounts.create_user(
            None,
            authority,
            email=email,
            name=name,
            role=Role(role),
            password=password,
            service_area=area,
        )
    except RuleError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {user.role.label.lower()} {user.email} in {authority.name}.")


def _new_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    password = os.environ.get("NEW_USER_PASSWORD")
    if not password:
        raise click.ClickException("Set NEW_USER_PASSWORD when there is no terminal to ask.")
    return password
