"""The migrations build exactly the models' schema, on each backend, and come down cleanly."""

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from workflow.extensions import db, init_migrations


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgraded_database_matches_the_models(app):
    # The session fixture built this database with `upgrade_schema()` alone.
    assert schema_differences() == []


def test_downgrade_to_base_and_back(app):
    init_migrations(app)
    downgrade(revision="base")
    with db.engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()
    assert schema_differences() == []


def append_only_guard(connection: sa.Connection) -> dict[str, str]:
    """The triggers (and PostgreSQL's function) that keep audit_event append-only, by name."""
    if connection.dialect.name == "sqlite":
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        return dict(connection.execute(sa.text(query)).all())
    triggers = connection.execute(
        sa.text(
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgrelid = 'audit_event'::regclass AND NOT tgisinternal"
        )
    ).all()
    function = connection.scalar(
        sa.text("SELECT pg_get_functiondef('audit_event_refuse_change'::regproc)")
    )
    return {**dict(triggers), "audit_event_refuse_change": function}


@pytest.fixture
def models_database(database_url, tmp_path):
    """An empty database beside the tests' own, built by create_all() from the models."""
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        url = url.set(database=str(tmp_path / "models.sqlite"))
    else:
        url = url.set(database=f"workflow_models_{os.getpid()}")
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":  # as README asks of the owner
                connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS btree_gin"))
            db.metadata.create_all(connection)
        yield engine
    finally:
        engine.dispose()
    if url.get_backend_name() == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text(f'DROP DATABASE "{url.database}" WITH (FORCE)'))


def test_the_migrations_and_the_models_keep_the_trail_append_only_alike(app, models_database):
    with db.engine.connect() as migrated, models_database.connect() as created:
        guard = append_only_guard(migrated)
        assert guard == append_only_guard(created)
    expected = {"sqlite": 2, "postgresql": 3}[db.engine.dialect.name]
    assert len(guard) == expected, guard
