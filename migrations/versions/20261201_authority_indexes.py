"""Indexes that lead with the authority on action, progress_update and evidence.

These tables carry their authority's id, but only the full-text indexes began with it
(and those are GIN on PostgreSQL, not used for order, and absent on SQLite). A list of one
authority's records in id order, as the API gives them and the evidence check of one
authority reads them, walked the primary key over every authority's rows: the last
authority's first page of updates took most of a second at 100,000 actions. With these it
reads the authority's rows alone.

On a large PostgreSQL installation, create these by hand with CREATE INDEX CONCURRENTLY
before upgrading, to avoid locking the tables while they build.

Revision ID: authority_indexes
Revises: partners
Create Date: 2026-12-01 21:30:00
"""

from alembic import op

revision = "authority_indexes"
down_revision = "partners"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_action_authority_id_id", "action", ["authority_id", "id"]),
    ("ix_progress_update_authority_id_state_id", "progress_update", ["authority_id", "state", "id"]),
    ("ix_evidence_authority_id_id", "evidence", ["authority_id", "id"]),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
