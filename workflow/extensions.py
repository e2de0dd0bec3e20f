"""Flask extensions, created unbound here and bound to the app in create_app()."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from workflow.models.base import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def init_migrations(app: Flask) -> None:
    """Bind Flask-Migrate to the app. Only changing the schema needs it, and it loads
    Alembic, a second of every start: so `flask db` and the tests bind it when they run."""
    from flask_migrate import Migrate

    if "migrate" not in app.extensions:
        Migrate(app, db, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True)


def upgrade_schema() -> None:
    """Bring the current app's database to the migrations' head (tests, benchmarks)."""
    from flask_migrate import upgrade

    init_migrations(current_app._get_current_object())
    upgrade()


@click.command(
    "db",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.pass_context
def migration_commands(ctx: click.Context) -> None:
    """Database migrations (Flask-Migrate): flask db upgrade, flask db --help."""
    from flask_migrate.cli import db as commands

    # The Flask command line has pushed the app's context before running a command.
    init_migrations(current_app._get_current_object())
    commands.main(args=ctx.args, prog_name=ctx.command_path, obj=ctx.obj)
