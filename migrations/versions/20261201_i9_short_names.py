"""Recommendations get an optional short name, for chart labels and calendar events.

Revision ID: i9_short_names
Revises: h8_identity
Create Date: 2026-12-01 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "i9_short_names"
down_revision = "h8_identity"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("recommendation") as batch:
        batch.add_column(sa.Column("short_name", sa.String(80), nullable=True))


def downgrade():
    with op.batch_alter_table("recommendation") as batch:
        batch.drop_column("short_name")
