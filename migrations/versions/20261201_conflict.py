"""Authorities carry a version, so a settings form built from an older one is refused.

Revision ID: conflict
Revises: rag
Create Date: 2026-12-01 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "conflict"
down_revision = "rag"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("authority") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("authority") as batch:
        batch.alter_column("version", server_default=None)


def downgrade():
    with op.batch_alter_table("authority") as batch:
        batch.drop_column("version")
