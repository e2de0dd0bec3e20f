"""Signed-in sessions as rows (started, last seen, ended and why), in place of the per-user
session epoch; new email addresses waiting for their person to confirm them; wrong codes
told apart from wrong passwords, for throttling.

Revision ID: sessions
Revises: conflict
Create Date: 2026-12-01 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "sessions"
down_revision = "conflict"
branch_labels = None
depends_on = None

METHODS = ("password", "two_factor", "recovery_code", "single_sign_on", "invitation")
ENDS = (
    "signed_out",
    "ended_elsewhere",
    "ended_by_administrator",
    "password_changed",
    "password_reset",
    "account_disabled",
)


def upgrade():
    op.create_table(
        "sign_in_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column(
            "method",
            sa.Enum(*METHODS, name="signinmethod", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("user_agent", sa.String(500), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column(
            "ended_why",
            sa.Enum(*ENDS, name="sessionend", native_enum=False, length=32),
            nullable=True,
        ),
        sa.CheckConstraint(
            "(ended_at IS NULL) = (ended_why IS NULL)",
            name=op.f("ck_sign_in_session_ended_with_a_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_sign_in_session_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_session")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_sign_in_session_key_hash")),
    )
    with op.batch_alter_table("sign_in_session") as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_session_user_id"), ["user_id"])
    op.create_table(
        "email_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_email_change_user_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_email_change_requested_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_change")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_email_change_token_hash")),
    )
    with op.batch_alter_table("email_change") as batch_op:
        batch_op.create_index(batch_op.f("ix_email_change_user_id"), ["user_id"])
    with op.batch_alter_table("sign_in_attempt") as batch_op:
        batch_op.add_column(
            sa.Column("second_step", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("sign_in_attempt") as batch_op:
        batch_op.alter_column("second_step", server_default=None)
    # Sessions signed in before this revision carry no key: everyone signs in again.
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("session_epoch")


def downgrade():
    with op.batch_alter_table("sign_in_attempt") as batch_op:
        batch_op.drop_column("second_step")
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.alter_column("session_epoch", server_default=None)
    with op.batch_alter_table("email_change") as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_change_user_id"))
    op.drop_table("email_change")
    with op.batch_alter_table("sign_in_session") as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_session_user_id"))
    op.drop_table("sign_in_session")
