"""Background jobs: the job table; an issued version's files may wait for their job.

Revision ID: j1_jobs
Revises: imp_parse_status
Create Date: 2026-12-01 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "j1_jobs"
down_revision = "imp_parse_status"
branch_labels = None
depends_on = None

FROZEN_FILES = [
    ("docx", sa.LargeBinary()),
    ("docx_sha256", sa.String(64)),
    ("pdf", sa.LargeBinary()),
    ("pdf_sha256", sa.String(64)),
]
STATES = ("queued", "running", "succeeded", "failed")


def upgrade():
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("key", sa.String(200), nullable=True),
        sa.Column("authority_id", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(*STATES, name="jobstate", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("run_after", sa.DateTime(), nullable=True),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_job_attempts_not_negative")),
        sa.ForeignKeyConstraint(
            ["authority_id"], ["authority.id"], name=op.f("fk_job_authority_id_authority")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
        sa.UniqueConstraint("key", name=op.f("uq_job_key")),
    )
    with op.batch_alter_table("job") as batch_op:
        batch_op.create_index(batch_op.f("ix_job_authority_id"), ["authority_id"])
        batch_op.create_index("ix_job_state_created_at", ["state", "created_at"])
    with op.batch_alter_table("plan_version") as batch_op:
        for name, type_ in FROZEN_FILES:
            batch_op.alter_column(name, existing_type=type_, nullable=True)


def downgrade():
    # A version whose files were never rendered cannot be kept under the old rule, and an
    # issued version is never deleted: run the waiting jobs first.
    waiting = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM plan_version WHERE docx IS NULL OR pdf IS NULL")
    )
    if waiting:
        raise RuntimeError(f"{waiting} issued versions still wait for their files: run the jobs")
    with op.batch_alter_table("plan_version") as batch_op:
        for name, type_ in FROZEN_FILES:
            batch_op.alter_column(name, existing_type=type_, nullable=False)
    with op.batch_alter_table("job") as batch_op:
        batch_op.drop_index("ix_job_state_created_at")
        batch_op.drop_index(batch_op.f("ix_job_authority_id"))
    op.drop_table("job")
