"""Partner contributors: people outside the council invited to named actions. One table
holds each partner's place on an action, another the actions a pending invitation names.

The role is stored as a short string without a database check, so the new value needs no
change to user_account or invitation. Downgrading is refused while any partner account or
invitation exists: the older code would read a partner as nobody it knows.

Revision ID: partners
Revises: frozen_files
Create Date: 2026-12-01 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "partners"
down_revision = "frozen_files"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "action_partner",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_action_partner_action_id_action")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_action_partner_user_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"], ["authority.id"],
            name=op.f("fk_action_partner_authority_id_authority"),
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["user_account.id"],
            name=op.f("fk_action_partner_invited_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("action_id", "user_id", name=op.f("pk_action_partner")),
    )  # fmt: skip
    with op.batch_alter_table("action_partner") as batch_op:
        batch_op.create_index(batch_op.f("ix_action_partner_user_id"), ["user_id"])
        batch_op.create_index(batch_op.f("ix_action_partner_authority_id"), ["authority_id"])
    op.create_table(
        "invitation_action",
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"], ["invitation.id"],
            name=op.f("fk_invitation_action_invitation_id_invitation"),
        ),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_invitation_action_action_id_action")
        ),
        sa.PrimaryKeyConstraint("invitation_id", "action_id", name=op.f("pk_invitation_action")),
    )  # fmt: skip


def downgrade():
    bind = op.get_bind()
    partners = bind.scalar(
        sa.text(
            "SELECT (SELECT count(*) FROM user_account WHERE role = 'partner')"
            " + (SELECT count(*) FROM invitation WHERE role = 'partner')"
        )
    )
    if partners:
        raise RuntimeError(
            "Partner contributor accounts or invitations exist, and the older code does not"
            " know their role: downgrading would leave those records unreadable"
        )
    op.drop_table("invitation_action")
    with op.batch_alter_table("action_partner") as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_partner_authority_id"))
        batch_op.drop_index(batch_op.f("ix_action_partner_user_id"))
    op.drop_table("action_partner")
