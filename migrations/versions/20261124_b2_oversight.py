"""Oversight: API tokens, reminder log, digest opt-out, calendar feed token, search indexes.

Revision ID: b2_oversight
Revises: a1_plan_versions
Create Date: 2026-11-24 20:26:01
"""

import sqlalchemy as sa
from alembic import op

revision = "b2_oversight"
down_revision = "a1_plan_versions"
branch_labels = None
depends_on = None

# (table, column) searched with full text, as workflow/models/fulltext.py describes them.
SEARCHED = [
    ("action", "description"),
    ("action", "measure_of_success"),
    ("progress_update", "narrative"),
    ("evidence", "title"),
]


def upgrade():
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_api_token_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token") as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "reminder_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_reminder_log_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_log")),
        sa.UniqueConstraint("user_id", "kind", "sent_on", name=op.f("uq_reminder_log_user_id")),
    )

    # The server default fills existing rows, then goes: the model supplies the value.
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(
            sa.Column("digest_opt_out", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("calendar_token_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_user_account_calendar_token_hash"), ["calendar_token_hash"]
        )
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.alter_column("digest_opt_out", server_default=None)

    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, column in SEARCHED:
        name = f"ix_{table}_{column}_search"
        if postgresql:
            document = sa.text(f"to_tsvector('english', {column})")
            op.create_index(name, table, [document], postgresql_using="gin")
        else:
            # SQLite searches with LIKE: the index exists in name only, and stays empty.
            op.create_index(name, table, [column], sqlite_where=sa.text("0"))


def downgrade():
    for table, column in SEARCHED:
        op.drop_index(f"ix_{table}_{column}_search", table_name=table)
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_user_account_calendar_token_hash"), type_="unique")
        batch_op.drop_column("calendar_token_hash")
        batch_op.drop_column("digest_opt_out")
    op.drop_table("reminder_log")
    with op.batch_alter_table("api_token") as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))
    op.drop_table("api_token")
