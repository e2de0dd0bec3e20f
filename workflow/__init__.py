"""Ofsted action plans: from inspection recommendations to a signed-off action plan."""

import os

import sqlalchemy as sa
from flask import Flask
from jinja2 import FileSystemBytecodeCache
from werkzeug.routing import IntegerConverter

from config import CONFIGS, INSTANCE_DIR, development_secret_key
from workflow.extensions import csrf, db, login_manager, migration_commands


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder="../templates",
    )
    # Compiled templates are kept between starts (in a folder only this user can write, and
    # checked against each template's source), so a new worker's first pages are not slow.
    app.jinja_options = {"bytecode_cache": FileSystemBytecodeCache()}
    load_config(app, config)
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    register_cli(app)
    return app


def load_config(app: Flask, overrides: dict | None) -> None:
    name = os.environ.get("WORKFLOW_CONFIG", "development")
    app.config.from_object(CONFIGS[name])
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        if not app.config.get("GENERATE_SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in the environment in production.")
        app.config["SECRET_KEY"] = development_secret_key()
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        tune_postgres(app)


def tune_postgres(app: Flask) -> None:
    """Planner settings for every connection, given when it opens (so no transaction can
    undo them): see Config.POSTGRES_RANDOM_PAGE_COST."""
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    connect_args = dict(options.get("connect_args", {}))
    cost = app.config["POSTGRES_RANDOM_PAGE_COST"]
    given = connect_args.get("options", "")
    connect_args["options"] = " ".join(filter(None, [given, f"-c random_page_cost={cost}"]))
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "connect_args": connect_args}


def trust_proxies(app: Flask) -> None:
    """Behind a balancer, take the client's address and scheme from its headers: sign-in
    throttling counts by address, and secure cookies need to know the request was HTTPS."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_extensions(app: Flask) -> None:
    from workflow import models  # noqa: F401  (models must be imported for migrations)

    db.init_app(app)
    app.cli.add_command(migration_commands)
    login_manager.init_app(app)
    csrf.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", _tune_sqlite)
            sa.event.listen(db.engine, "begin", _begin_sqlite)


def _tune_sqlite(connection, record) -> None:
    # The driver's own transaction handling breaks savepoints: SQLAlchemy begins instead.
    connection.isolation_level = None
    cursor = connection.cursor()
    # WAL lets readers carry on while a request writes; waits rather than fails on a lock.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _begin_sqlite(connection) -> None:
    connection.exec_driver_sql("BEGIN")


class RecordIdConverter(IntegerConverter):
    """Ids in addresses stop at the database's integer range: anything longer is a 404."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def register_blueprints(app: Flask) -> None:
    from workflow.accounts.views import (
        auth,
        invitations,
        profile,
        resets,
        service_areas,
        sessions,
        settings,
        sso,
        two_factor,
        users,
    )
    from workflow.api import views as api
    from workflow.imports import views as imports
    from workflow.jobs import views as jobs
    from workflow.oversight.views import audit_trail, calendar, dashboard, home, search
    from workflow.planning.views import actions, inspections, recommendations
    from workflow.plans import views as plans
    from workflow.signoff.views import cover, evidence, updates
    from workflow.web import health, pages

    app.url_map.converters["int"] = RecordIdConverter
    feature_blueprints = (
        [auth.bp, sso.bp, resets.bp, two_factor.bp, sessions.bp],
        [users.bp, invitations.bp, service_areas.bp, settings.bp, profile.bp],
        [pages.bp],
        [imports.bp],
        [inspections.bp, recommendations.bp, actions.bp],
        [updates.bp, evidence.bp, cover.bp],
        [plans.bp],
        [home.bp, dashboard.bp, search.bp, calendar.bp, audit_trail.bp],
        [api.bp],
        [jobs.bp, health.bp],
    )
    for blueprints in feature_blueprints:
        for blueprint in blueprints:
            app.register_blueprint(blueprint)


def register_hooks(app: Flask) -> None:
    from workflow.signoff.queues import waiting_count
    from workflow.web import hooks

    hooks.register(app, waiting_count)


def register_cli(app: Flask) -> None:
    from workflow.cli import COMMANDS

    for command in COMMANDS:
        app.cli.add_command(command)
