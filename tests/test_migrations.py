"""The migrations build exactly the models' schema, on each backend, and come down cleanly."""

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
