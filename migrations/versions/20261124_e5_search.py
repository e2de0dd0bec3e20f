"""Search: stored words and the authority in one index, in place of the expression indexes.

A search for common words could not use the GIN indexes on ``to_tsvector(text)`` to any
advantage: the authority is three joins away, so PostgreSQL parsed the text of each of the
authority's actions, updates and evidence on every search (170 ms at 100,000 actions).
Now each searched table keeps its record's words in a generated column, and its authority
(copied from the parent row: records never move between authorities), and one GIN index
holds both (btree_gin, a trusted extension the database owner can create).

On SQLite, which searches with LIKE, the words column is a virtual NULL and the index stays
empty. On a large PostgreSQL installation, adding the columns rewrites the three tables:
allow for a few minutes per million rows.

Revision ID: e5_search
Revises: d4_indexes
Create Date: 2026-11-24 23:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "e5_search"
down_revision = "d4_indexes"
branch_labels = None
depends_on = None

# table: (the text its words come from, as workflow/models/fulltext.py describes them,
#         how to find its authority), parents before children.
SEARCHED = {
    "action": (
        ["description", "measure_of_success"],
        "SELECT inspection.authority_id FROM recommendation JOIN inspection"
        " ON inspection.id = recommendation.inspection_id"
        " WHERE recommendation.id = action.recommendation_id",
    ),
    "progress_update": (
        ["narrative"],
        "SELECT action.authority_id FROM action WHERE action.id = progress_update.action_id",
    ),
    "evidence": (
        ["title"],
        "SELECT action.authority_id FROM action WHERE action.id = evidence.action_id",
    ),
}


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    for table, (columns, authority) in SEARCHED.items():
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("authority_id", sa.Integer(), nullable=True))
        op.execute(f"UPDATE {table} SET authority_id = ({authority})")
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("authority_id", existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(
                f"fk_{table}_authority_id_authority", "authority", ["authority_id"], ["id"]
            )
        if postgresql:
            text = " || ' ' || ".join(columns)
            words = sa.Computed(sa.text(f"to_tsvector('english', {text})"), persisted=True)
            op.add_column(table, sa.Column("search_vector", TSVECTOR(), words))
            op.create_index(
                f"ix_{table}_search", table, ["authority_id", "search_vector"],
                postgresql_using="gin",
            )  # fmt: skip
        else:
            # SQLite can add a virtual generated column, not a stored one; NULL costs nothing.
            words = sa.Computed(sa.text("NULL"), persisted=False)
            op.add_column(table, sa.Column("search_vector", sa.Text(), words))
            op.create_index(
                f"ix_{table}_search", table, ["authority_id", "search_vector"],
                sqlite_where=sa.text("0"),
            )  # fmt: skip
        for column in columns:
            op.drop_index(f"ix_{table}_{column}_search", table_name=table)


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, (columns, _) in reversed(SEARCHED.items()):
        for column in columns:
            name = f"ix_{table}_{column}_search"
            if postgresql:
                document = sa.text(f"to_tsvector('english', {column})")
                op.create_index(name, table, [document], postgresql_using="gin")
            else:
                op.create_index(name, table, [column], sqlite_where=sa.text("0"))
        op.drop_index(f"ix_{table}_search", table_name=table)
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("search_vector")
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_authority_id_authority", type_="foreignkey")
            batch_op.drop_column("authority_id")
