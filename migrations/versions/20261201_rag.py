"""RAG rules: the authority sets its at-risk window; a reviewer's exception sits on the action.

The four free-text RAG definitions go: the rules are written out from what the rating
function does (workflow/core/rag.py), so the words in the plan's key and the ratings beside
them cannot disagree. Each authority keeps the one setting the rules read, the at-risk
window (30 days, as before). An action carries the written exception that lets its rating
differ from the rules, with who wrote it and when.

Revision ID: rag
Revises: importer
Create Date: 2026-12-01 14:00:00
"""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "rag"
down_revision = "importer"
branch_labels = None
depends_on = None

OLD_DEFINITIONS = {
    "rag_red": "Overdue, or a measure of success is off course.",
    "rag_amber": "At risk of missing its due date or its target.",
    "rag_green": "On track to be delivered by its due date and to meet its target.",
    "rag_blue": "Delivered: the action is complete.",
}


@contextmanager
def _action_table():
    """Batch changes to the action table. SQLite rebuilds the table for them and cannot copy
    a generated column: its (virtual, always NULL) search words go for the rebuild and come
    back after it, as e5_search made them."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.drop_index("ix_action_search", table_name="action")
        with op.batch_alter_table("action") as batch_op:
            batch_op.drop_column("search_vector")
    with op.batch_alter_table("action") as batch_op:
        yield batch_op
    if sqlite:
        words = sa.Computed(sa.text("NULL"), persisted=False)
        op.add_column("action", sa.Column("search_vector", sa.Text(), words))
        op.create_index(
            "ix_action_search", "action", ["authority_id", "search_vector"],
            sqlite_where=sa.text("0"),
        )  # fmt: skip


def upgrade():
    with op.batch_alter_table("authority") as batch_op:
        batch_op.add_column(
            sa.Column("rag_at_risk_days", sa.Integer(), nullable=False, server_default="30")
        )
        for name in OLD_DEFINITIONS:
            batch_op.drop_column(name)
    with op.batch_alter_table("authority") as batch_op:
        batch_op.alter_column("rag_at_risk_days", existing_type=sa.Integer(), server_default=None)
        batch_op.create_check_constraint(
            op.f("ck_authority_at_risk_days_in_range"), "rag_at_risk_days BETWEEN 0 AND 365"
        )
    with _action_table() as batch_op:
        batch_op.add_column(sa.Column("rag_exception", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("rag_exception_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("rag_exception_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_action_rag_exception_by_id_user_account"),
            "user_account",
            ["rag_exception_by_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            op.f("ck_action_exception_has_reviewer"),
            "rag_exception IS NULL OR "
            "(rag_exception_by_id IS NOT NULL AND rag_exception_on IS NOT NULL)",
        )


def downgrade():
    with _action_table() as batch_op:
        batch_op.drop_constraint(op.f("ck_action_exception_has_reviewer"), type_="check")
        batch_op.drop_constraint(
            op.f("fk_action_rag_exception_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_column("rag_exception_on")
        batch_op.drop_column("rag_exception_by_id")
        batch_op.drop_column("rag_exception")
    with op.batch_alter_table("authority") as batch_op:
        batch_op.drop_constraint(op.f("ck_authority_at_risk_days_in_range"), type_="check")
        for name, text in OLD_DEFINITIONS.items():
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=text))
        batch_op.drop_column("rag_at_risk_days")
    with op.batch_alter_table("authority") as batch_op:
        for name in OLD_DEFINITIONS:
            batch_op.alter_column(name, existing_type=sa.Text(), server_default=None)
