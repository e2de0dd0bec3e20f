"""The plan as a council sends it: logo, introduction, judgement areas, five frozen formats
and the governance of each issued version.

- authority.logo, logo_type, logo_png: the cover's logo (and a PNG rendition of an SVG);
- inspection.plan_introduction: the director's introduction, frozen with each version;
- inspection.self_evaluation: the narrative sections of the annual self-evaluation;
- recommendation.judgement_area: the plan groups recommendations by judgement;
- plan_version xlsx, csv, html and their SHA-256 (older versions keep Word and PDF only);
- plan_version approved_by, approved_on, approval_reference, sent_to_dfe_on, published_on
  and public_token (the unguessable address of the published page);
- update_redaction: the original text of an approved update a director redacted.

Revision ID: g7_plan_document
Revises: e5_search
Create Date: 2026-12-01 11:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "g7_plan_document"
down_revision = "e5_search"
branch_labels = None
depends_on = None

FROZEN = ["xlsx", "csv", "html"]
GOVERNANCE = [
    ("approved_by", sa.String(200)),
    ("approved_on", sa.Date()),
    ("approval_reference", sa.String(200)),
    ("sent_to_dfe_on", sa.Date()),
    ("published_on", sa.Date()),
    ("public_token", sa.String(64)),
]


def upgrade():
    with op.batch_alter_table("authority") as batch:
        batch.add_column(sa.Column("logo", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("logo_type", sa.String(40), nullable=True))
        batch.add_column(sa.Column("logo_png", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("inspection") as batch:
        batch.add_column(sa.Column("plan_introduction", sa.Text(), nullable=True))
        batch.add_column(sa.Column("self_evaluation", sa.JSON(), nullable=True))
    with op.batch_alter_table("recommendation") as batch:
        batch.add_column(sa.Column("judgement_area", sa.String(300), nullable=True))
    with op.batch_alter_table("plan_version") as batch:
        for fmt in FROZEN:
            batch.add_column(sa.Column(fmt, sa.LargeBinary(), nullable=True))
            batch.add_column(sa.Column(f"{fmt}_sha256", sa.String(64), nullable=True))
        for name, kind in GOVERNANCE:
            batch.add_column(sa.Column(name, kind, nullable=True))
        batch.create_unique_constraint("uq_plan_version_public_token", ["public_token"])
    op.create_table(
        "update_redaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("original_narrative", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("redacted_by_id", sa.Integer(), nullable=False),
        sa.Column("redacted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["update_id"],
            ["progress_update.id"],
            name="fk_update_redaction_update_id_progress_update",
        ),
        sa.ForeignKeyConstraint(
            ["redacted_by_id"],
            ["user_account.id"],
            name="fk_update_redaction_redacted_by_id_user_account",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_update_redaction"),
        sa.UniqueConstraint("update_id", name="uq_update_redaction_update_id"),
    )


def downgrade():
    op.drop_table("update_redaction")
    with op.batch_alter_table("plan_version") as batch:
        batch.drop_constraint("uq_plan_version_public_token", type_="unique")
        for name, _ in reversed(GOVERNANCE):
            batch.drop_column(name)
        for fmt in reversed(FROZEN):
            batch.drop_column(f"{fmt}_sha256")
            batch.drop_column(fmt)
    with op.batch_alter_table("recommendation") as batch:
        batch.drop_column("judgement_area")
    with op.batch_alter_table("inspection") as batch:
        batch.drop_column("self_evaluation")
        batch.drop_column("plan_introduction")
    with op.batch_alter_table("authority") as batch:
        batch.drop_column("logo_png")
        batch.drop_column("logo_type")
        batch.drop_column("logo")
