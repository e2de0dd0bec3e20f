"""Sign-off you can trust: each update remembers the action it was written against, an action
has at most one update awaiting approval, reviewers' comments are kept as a thread, and a head
of service can name a deputy for a period.

Existing updates are taken as written against the action as it is now (which is how they were
approved until now). Every return comment in the audit trail becomes a row of the thread.
An action with several updates awaiting approval stops the upgrade: the authors withdraw all
but one first.

Revision ID: signoff
Revises: audit
Create Date: 2026-12-01 12:00:00
"""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "signoff"
down_revision = "audit"
branch_labels = None
depends_on = None

STATUSES = ("not_started", "in_progress", "complete")
RAGS = ("red", "amber", "green", "blue")
BASE_COLUMNS = [
    ("base_action_version", sa.Integer(), "version"),
    ("base_status", sa.Enum(*STATUSES, name="actionstatus", native_enum=False, length=32), "status"),
    ("base_rag", sa.Enum(*RAGS, name="rag", native_enum=False, length=32), "rag"),
    ("base_due_date", sa.Date(), "due_date"),
    ("base_impact_evidenced", sa.Boolean(), "impact_evidenced"),
]
ONE_SUBMITTED = "uq_progress_update_action_id_submitted"
SUBMITTED = sa.text("state = 'submitted'")


def upgrade():
    _refuse_several_waiting()
    op.create_table(
        "review_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("on_behalf_of_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("returned", "approved", name="reviewkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("proposal", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("text != ''", name=op.f("ck_review_comment_text_not_empty")),
        sa.ForeignKeyConstraint(
            ["update_id"], ["progress_update.id"],
            name=op.f("fk_review_comment_update_id_progress_update"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user_account.id"], name=op.f("fk_review_comment_author_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["on_behalf_of_id"], ["user_account.id"],
            name=op.f("fk_review_comment_on_behalf_of_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_comment")),
    )  # fmt: skip
    with op.batch_alter_table("review_comment") as batch_op:
        batch_op.create_index(batch_op.f("ix_review_comment_update_id"), ["update_id"])
    op.create_table(
        "review_cover",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("head_id", sa.Integer(), nullable=False),
        sa.Column("deputy_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_review_cover_ends_after_start")),
        sa.CheckConstraint("deputy_id != head_id", name=op.f("ck_review_cover_deputy_is_another")),
        sa.ForeignKeyConstraint(
            ["head_id"], ["user_account.id"], name=op.f("fk_review_cover_head_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["deputy_id"], ["user_account.id"], name=op.f("fk_review_cover_deputy_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cover")),
        sa.UniqueConstraint("head_id", name=op.f("uq_review_cover_head_id")),
    )
    with op.batch_alter_table("review_cover") as batch_op:
        batch_op.create_index(batch_op.f("ix_review_cover_deputy_id"), ["deputy_id"])
    _copy_return_comments()

    with _batch_progress_update() as batch_op:
        batch_op.add_column(sa.Column("on_behalf_of_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("written_at", sa.DateTime(), nullable=True))
        for name, type_, _ in BASE_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    copies = ", ".join(
        f"{name} = (SELECT action.{source} FROM action WHERE action.id = progress_update.action_id)"
        for name, _, source in BASE_COLUMNS
    )
    op.execute(f"UPDATE progress_update SET {copies}")
    # The plan showed the last approved text; kept so until updates are written anew.
    op.execute(
        "UPDATE progress_update SET written_at ="
        " CASE WHEN state = 'approved' THEN reviewed_at ELSE updated_at END"
    )
    with _batch_progress_update() as batch_op:
        batch_op.alter_column("written_at", existing_type=sa.DateTime(), nullable=False)
        for name, type_, _ in BASE_COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=False)
        batch_op.create_foreign_key(
            op.f("fk_progress_update_on_behalf_of_id_user_account"),
            "user_account", ["on_behalf_of_id"], ["id"],
        )  # fmt: skip
        batch_op.drop_constraint(op.f("ck_progress_update_returned_has_comment"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_progress_update_returned_has_reviewer"),
            "state != 'returned' OR reviewer_id IS NOT NULL",
        )
        batch_op.create_check_constraint(
            op.f("ck_progress_update_deputy_decides_for_another"),
            "on_behalf_of_id IS NULL"
            " OR (reviewer_id IS NOT NULL AND on_behalf_of_id != author_id)",
        )
        batch_op.drop_column("review_comment")
    op.create_index(
        ONE_SUBMITTED, "progress_update", ["action_id"], unique=True,
        sqlite_where=SUBMITTED, postgresql_where=SUBMITTED,
    )  # fmt: skip


@contextmanager
def _batch_progress_update():
    """Alter progress_update. SQLite rebuilds the table, and neither Alembic's copy nor
    SQLite's reflection handles a generated column: its words column (e5_search, a virtual
    NULL there) is made afresh, last, with its index."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.drop_index("ix_progress_update_search", table_name="progress_update")
    with op.batch_alter_table("progress_update") as batch_op:
        yield batch_op
        if sqlite:
            batch_op.drop_column("search_vector")
            words = sa.Computed(sa.text("NULL"), persisted=False)
            batch_op.add_column(sa.Column("search_vector", sa.Text(), words))
    if sqlite:
        op.create_index(
            "ix_progress_update_search", "progress_update", ["authority_id", "search_vector"],
            sqlite_where=sa.text("0"),
        )  # fmt: skip


def _refuse_several_waiting():
    several = op.get_bind().execute(
        sa.text(
            "SELECT action_id FROM progress_update WHERE state = 'submitted'"
            " GROUP BY action_id HAVING count(*) > 1 ORDER BY action_id"
        )
    )
    ids = [str(row.action_id) for row in several]
    if ids:
        raise RuntimeError(
            f"Actions {', '.join(ids)} each have more than one update awaiting approval: "
            "have their authors withdraw all but one, then upgrade again"
        )


def _copy_return_comments():
    """Each return the audit trail recorded, with its comment, in the order it happened."""
    events = sa.table(
        "audit_event",
        sa.column("object_type", sa.String),
        sa.column("object_id", sa.Integer),
        sa.column("actor_id", sa.Integer),
        sa.column("verb", sa.String),
        sa.column("changes", sa.JSON),
        sa.column("at", sa.DateTime),
        sa.column("id", sa.Integer),
    )
    comments = sa.table(
        "review_comment",
        sa.column("update_id", sa.Integer),
        sa.column("author_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("text", sa.Text),
        sa.column("proposal", sa.JSON),
        sa.column("at", sa.DateTime),
    )
    bind = op.get_bind()
    returns = bind.execute(
        sa.select(events.c.object_id, events.c.actor_id, events.c.changes, events.c.at)
        .where(events.c.object_type == "progress_update", events.c.verb == "returned")
        .order_by(events.c.id)
    )
    rows = [
        {
            "update_id": update_id,
            "author_id": actor_id,
            "kind": "returned",
            "text": (changes or {}).get("comment"),
            "proposal": {},
            "at": at,
        }
        for update_id, actor_id, changes, at in returns
        if actor_id is not None and (changes or {}).get("comment")
    ]
    if rows:
        bind.execute(comments.insert(), rows)


def downgrade():
    op.drop_index(ONE_SUBMITTED, table_name="progress_update")
    with _batch_progress_update() as batch_op:
        batch_op.add_column(sa.Column("review_comment", sa.Text(), nullable=True))
    # A returned update had its latest comment beside it.
    op.execute(
        "UPDATE progress_update SET review_comment = (SELECT text FROM review_comment"
        " WHERE review_comment.update_id = progress_update.id AND kind = 'returned'"
        " ORDER BY review_comment.id DESC LIMIT 1) WHERE state = 'returned'"
    )
    with _batch_progress_update() as batch_op:
        batch_op.drop_constraint(op.f("ck_progress_update_deputy_decides_for_another"), type_="check")
        batch_op.drop_constraint(op.f("ck_progress_update_returned_has_reviewer"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_progress_update_returned_has_comment"),
            "state != 'returned' OR (review_comment IS NOT NULL AND reviewer_id IS NOT NULL)",
        )
        batch_op.drop_constraint(
            op.f("fk_progress_update_on_behalf_of_id_user_account"), type_="foreignkey"
        )
        for name, _, _ in reversed(BASE_COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column("written_at")
        batch_op.drop_column("on_behalf_of_id")
    with op.batch_alter_table("review_cover") as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_cover_deputy_id"))
    op.drop_table("review_cover")
    with op.batch_alter_table("review_comment") as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_comment_update_id"))
    op.drop_table("review_comment")
