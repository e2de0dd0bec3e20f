"""The importer: the job reading each report, a joint inspection's partners, and the notes
monitoring visits leave on an earlier inspection's recommendations.

Revision ID: importer
Revises: j1_jobs
Create Date: 2026-12-01 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "importer"
down_revision = "j1_jobs"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("report_import") as batch_op:
        batch_op.add_column(sa.Column("job_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_report_import_job_id_job"), "job", ["job_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_report_import_job_id"), ["job_id"])
    with op.batch_alter_table("inspection") as batch_op:
        batch_op.add_column(sa.Column("partners", sa.JSON(), nullable=True))
    op.create_table(
        "monitoring_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("report_import_id", sa.Integer(), nullable=True),
        sa.Column("visit_start", sa.Date(), nullable=False),
        sa.Column("visit_end", sa.Date(), nullable=False),
        sa.Column("inspector", sa.String(200), nullable=True),
        sa.Column("area", sa.Text(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "visit_end >= visit_start", name=op.f("ck_monitoring_note_dates_in_order")
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_monitoring_note_authority_id_authority"),
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_monitoring_note_recommendation_id_recommendation"),
        ),
        sa.ForeignKeyConstraint(
            ["report_import_id"],
            ["report_import.id"],
            name=op.f("fk_monitoring_note_report_import_id_report_import"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_monitoring_note_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_note")),
    )
    with op.batch_alter_table("monitoring_note") as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_note_authority_id"), ["authority_id"])
        batch_op.create_index(
            batch_op.f("ix_monitoring_note_recommendation_id"), ["recommendation_id"]
        )
        batch_op.create_index(
            batch_op.f("ix_monitoring_note_report_import_id"), ["report_import_id"]
        )


def downgrade():
    op.drop_table("monitoring_note")
    with op.batch_alter_table("inspection") as batch_op:
        batch_op.drop_column("partners")
    with op.batch_alter_table("report_import") as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_import_job_id"))
        batch_op.drop_constraint(batch_op.f("fk_report_import_job_id_job"), type_="foreignkey")
        batch_op.drop_column("job_id")
