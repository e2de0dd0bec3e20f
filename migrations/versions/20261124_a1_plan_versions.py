"""Plan versions issued to Ofsted, personal-data clearances, recommendation priority flag.

Revision ID: a1_plan_versions
Revises: 2b47b9a429f4
Create Date: 2026-11-24 20:24:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a1_plan_versions"
down_revision = "2b47b9a429f4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plan_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=False),
        sa.Column("sent_to_ofsted_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("director_name", sa.String(length=200), nullable=False),
        sa.Column("director_signed_on", sa.Date(), nullable=False),
        sa.Column("lead_member_name", sa.String(length=200), nullable=False),
        sa.Column("lead_member_signed_on", sa.Date(), nullable=False),
        sa.Column("docx", sa.LargeBinary(), nullable=False),
        sa.Column("docx_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("snapshot_sha256", sa.String(length=64), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_plan_version_number_positive")),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_plan_version_inspection_id_inspection"),
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["user_account.id"],
            name=op.f("fk_plan_version_issued_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_version")),
        sa.UniqueConstraint("inspection_id", "number", name=op.f("uq_plan_version_inspection_id")),
    )
    with op.batch_alter_table("plan_version") as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_version_inspection_id"), ["inspection_id"])

    op.create_table(
        "privacy_clearance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=False),
        sa.Column("matched_text", sa.String(length=300), nullable=False),
        sa.Column("cleared_by_id", sa.Integer(), nullable=False),
        sa.Column("cleared_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cleared_by_id"],
            ["user_account.id"],
            name=op.f("fk_privacy_clearance_cleared_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_privacy_clearance_inspection_id_inspection"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_clearance")),
        sa.UniqueConstraint(
            "inspection_id", "fingerprint", name=op.f("uq_privacy_clearance_inspection_id")
        ),
    )
    with op.batch_alter_table("privacy_clearance") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_privacy_clearance_inspection_id"), ["inspection_id"]
        )

    # Existing recommendations are not priority areas; the default is only for them.
    with op.batch_alter_table("recommendation") as batch_op:
        batch_op.add_column(
            sa.Column("priority", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("recommendation") as batch_op:
        batch_op.alter_column("priority", server_default=None)


def downgrade():
    with op.batch_alter_table("recommendation") as batch_op:
        batch_op.drop_column("priority")

    with op.batch_alter_table("privacy_clearance") as batch_op:
        batch_op.drop_index(batch_op.f("ix_privacy_clearance_inspection_id"))
    op.drop_table("privacy_clearance")

    with op.batch_alter_table("plan_version") as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_version_inspection_id"))
    op.drop_table("plan_version")
