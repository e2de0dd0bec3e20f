"""Search: stored words (a generated search_vector column) replace the expression indexes.

A search for common words could not use the GIN index on ``to_tsvector(text)`` to any
advantage, so PostgreSQL parsed the text of each of the authority's records on every search
(170 ms at 100,000 actions). The words are now kept in a generated column, written with the
row, and indexed; the planner may scan an authority's stored words or use the index.

On SQLite, which searches with LIKE, the column is a virtual NULL and its index stays empty.
On a large PostgreSQL installation, adding the columns rewrites the three tables: allow for
a few minutes per million rows.

Revision ID: e5_search_vectors
Revises: d4_indexes
Create Date: 2026-11-24 23:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "e5_search_vectors"
down_revision = "d4_indexes"
branch_labels = None
depends_on = None

# table: the text columns its words come from, as workflow/models/fulltext.py describes them.
SEARCHED = {
    "action": ["description", "measure_of_success"],
    "progress_update": ["narrative"],
    "evidence": ["title"],
}


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, columns in SEARCHED.items():
        if postgresql:
            text = " || ' ' || ".join(columns)
            words = sa.Computed(sa.text(f"to_tsvector('english', {text})"), persisted=True)
            op.add_column(table, sa.Column("search_vector", TSVECTOR(), words))
            op.create_index(
                f"ix_{table}_search_vector", table, ["search_vector"], postgresql_using="gin"
            )
        else:
            # SQLite can add a virtual generated column, not a stored one; NULL costs nothing.
            words = sa.Computed(sa.text("NULL"), persisted=False)
            op.add_column(table, sa.Column("search_vector", sa.Text(), words))
            op.create_index(
                f"ix_{table}_search_vector", table, ["search_vector"], sqlite_where=sa.text("0")
            )
        for column in columns:
            op.drop_index(f"ix_{table}_{column}_search", table_name=table)


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, columns in SEARCHED.items():
        for column in columns:
            name = f"ix_{table}_{column}_search"
            if postgresql:
                document = sa.text(f"to_tsvector('english', {column})")
                op.create_index(name, table, [document], postgresql_using="gin")
            else:
                op.create_index(name, table, [column], sqlite_where=sa.text("0"))
        op.drop_index(f"ix_{table}_search_vector", table_name=table)
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("search_vector")
