"""Identity: single sign-on providers, the sign-ins begun with them, subjects bound to users,
invitations, password resets, two-factor sign-in, and retired service areas.

Revision ID: h8_identity
Revises: g7_plan_document
Create Date: 2026-12-01 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "h8_identity"
down_revision = "g7_plan_document"
branch_labels = None
depends_on = None

ROLES = ("administrator", "director", "head_of_service", "service_manager", "viewer")


def upgrade():
    op.create_table(
        "identity_provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("client_secret_encrypted", sa.Text(), nullable=True),
        sa.Column("email_domains", sa.String(length=1000), nullable=False),
        sa.Column("sso_only", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_identity_provider_authority_id_authority"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_provider")),
        sa.UniqueConstraint("authority_id", name=op.f("uq_identity_provider_authority_id")),
    )
    op.create_table(
        "sso_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=100), nullable=False),
        sa.Column("code_verifier", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["identity_provider.id"],
            name=op.f("fk_sso_request_provider_id_identity_provider"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_request")),
        sa.UniqueConstraint("state_hash", name=op.f("uq_sso_request_state_hash")),
    )
    op.create_index(op.f("ix_sso_request_provider_id"), "sso_request", ["provider_id"])
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.Enum(*ROLES, name="role", native_enum=False, length=32), nullable=False),
        sa.Column("service_area_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"], ["authority.id"], name=op.f("fk_invitation_authority_id_authority")
        ),
        sa.ForeignKeyConstraint(
            ["service_area_id"],
            ["service_area.id"],
            name=op.f("fk_invitation_service_area_id_service_area"),
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["user_account.id"],
            name=op.f("fk_invitation_invited_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_invitation_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitation_token_hash")),
    )
    op.create_index(op.f("ix_invitation_authority_id"), "invitation", ["authority_id"])
    op.create_index(op.f("ix_invitation_email"), "invitation", ["email"])
    op.create_table(
        "password_reset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_password_reset_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_reset_token_hash")),
    )
    for column in ("email", "address", "user_id", "created_at"):
        op.create_index(op.f(f"ix_password_reset_{column}"), "password_reset", [column])
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_recovery_code_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
    )
    op.create_index(op.f("ix_recovery_code_user_id"), "recovery_code", ["user_id"])
    with op.batch_alter_table("authority") as batch:
        batch.add_column(
            sa.Column("require_two_factor", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("authority") as batch:
        batch.alter_column("require_two_factor", server_default=None)
    with op.batch_alter_table("service_area") as batch:
        batch.add_column(sa.Column("retired_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("totp_secret_encrypted", sa.Text(), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("sso_subject", sa.String(length=255), nullable=True))
        batch.create_unique_constraint(
            batch.f("uq_user_account_authority_id"), ["authority_id", "sso_subject"]
        )


def downgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.drop_constraint(batch.f("uq_user_account_authority_id"), type_="unique")
        batch.drop_column("sso_subject")
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_secret_encrypted")
    with op.batch_alter_table("service_area") as batch:
        batch.drop_column("retired_at")
    with op.batch_alter_table("authority") as batch:
        batch.drop_column("require_two_factor")
    op.drop_index(op.f("ix_recovery_code_user_id"), table_name="recovery_code")
    op.drop_table("recovery_code")
    for column in ("email", "address", "user_id", "created_at"):
        op.drop_index(op.f(f"ix_password_reset_{column}"), table_name="password_reset")
    op.drop_table("password_reset")
    op.drop_index(op.f("ix_invitation_email"), table_name="invitation")
    op.drop_index(op.f("ix_invitation_authority_id"), table_name="invitation")
    op.drop_table("invitation")
    op.drop_index(op.f("ix_sso_request_provider_id"), table_name="sso_request")
    op.drop_table("sso_request")
    op.drop_table("identity_provider")
