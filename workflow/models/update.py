"""Progress updates: an owner's report on an action, its path through sign-off, and the
reviewers' comments on the way."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.action import Action, ActionStatus, Rag
from workflow.models.base import Base, LabelledEnum, enum_column, utcnow
from workflow.models.fulltext import authority_of, search_index, search_vector
from workflow.models.user import User


class UpdateState(LabelledEnum):
    DRAFT = ("draft", "Draft", "grey")
    SUBMITTED = ("submitted", "Awaiting approval", "yellow")
    RETURNED = ("returned", "Returned", "red")
    APPROVED = ("approved", "Approved", "green")


class ProgressUpdate(Base):
    __tablename__ = "progress_update"
    __table_args__ = (
        sa.CheckConstraint(
            "state != 'approved' OR (reviewer_id IS NOT NULL AND reviewed_at IS NOT NULL)",
            name="approved_has_reviewer",
        ),
        # A return's comment is a ReviewComment row, written in the same transaction.
        sa.CheckConstraint(
            "state != 'returned' OR reviewer_id IS NOT NULL", name="returned_has_reviewer"
        ),
        sa.CheckConstraint(
            "on_behalf_of_id IS NULL OR (reviewer_id IS NOT NULL AND on_behalf_of_id != author_id)",
            name="deputy_decides_for_another",
        ),
        sa.CheckConstraint(
            "proposed_due_date IS NULL OR due_date_reason IS NOT NULL",
            name="due_date_change_has_reason",
        ),
        sa.CheckConstraint("proposed_rag != 'blue'", name="blue_is_derived"),
        sa.CheckConstraint(
            "reviewer_id IS NULL OR reviewer_id != author_id", name="no_self_review"
        ),
        sa.Index("ix_progress_update_state_submitted_at", "state", "submitted_at"),
        # An action's updates, and a person's, are nearly always wanted in one state.
        sa.Index("ix_progress_update_action_id_state", "action_id", "state"),
        sa.Index("ix_progress_update_author_id_state", "author_id", "state"),
        # An action has at most one update awaiting approval.
        sa.Index(
            "uq_progress_update_action_id_submitted",
            "action_id",
            unique=True,
            sqlite_where=sa.text("state = 'submitted'"),
            postgresql_where=sa.text("state = 'submitted'"),
        ),
        search_index("progress_update"),
        # The API lists an authority's approved updates by id, and counts them.
        sa.Index("ix_progress_update_authority_id_state_id", "authority_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("action.id"))
    authority_id: Mapped[int] = authority_of(
        "action_id", sa.select(Action.authority_id).where(Action.id == sa.bindparam("parent_id"))
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    state: Mapped[UpdateState] = mapped_column(enum_column(UpdateState), default=UpdateState.DRAFT)
    narrative: Mapped[str] = mapped_column(sa.Text)
    search_vector: Mapped[str | None] = search_vector("narrative")
    proposed_status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus))
    proposed_rag: Mapped[Rag] = mapped_column(enum_column(Rag))
    rag_reason: Mapped[str | None] = mapped_column(sa.Text)
    impact_evidenced: Mapped[bool] = mapped_column(default=False)
    proposed_due_date: Mapped[date | None]
    due_date_reason: Mapped[str | None] = mapped_column(sa.Text)
    submitted_at: Mapped[datetime | None]
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    reviewed_at: Mapped[datetime | None]
    # The head of service a deputy decided for, while that head was away.
    on_behalf_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # The action as the author saw it when writing: its version and the values approval
    # applies. Approving applies only what the update changes from these, so an update
    # written before the action last changed never rolls back what happened since.
    base_action_version: Mapped[int]
    base_status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus))
    base_rag: Mapped[Rag] = mapped_column(enum_column(Rag))
    base_due_date: Mapped[date]
    base_impact_evidenced: Mapped[bool]
    # When the author last wrote the proposal: the plan's latest progress is the newest text.
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A token from the form that created the update: a double-clicked submit creates one.
    submission_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    action: Mapped[Action] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    on_behalf_of: Mapped[User | None] = relationship(foreign_keys=[on_behalf_of_id])
    comments: Mapped[list["ReviewComment"]] = relationship(
        back_populates="update", order_by="ReviewComment.id"
    )
    evidence: Mapped[list["Evidence"]] = relationship(  # noqa: F821
        back_populates="update", order_by="Evidence.id"
    )
    measure_values: Mapped[list["MeasureValue"]] = relationship(  # noqa: F821
        back_populates="update", order_by="MeasureValue.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def effective_rag(self) -> Rag:
        """Complete is always blue; otherwise the RAG the author proposed."""
        if self.proposed_status is ActionStatus.COMPLETE:
            return Rag.BLUE
        return self.proposed_rag

    @property
    def last_comment(self) -> "ReviewComment | None":
        return self.comments[-1] if self.comments else None

    def __repr__(self) -> str:
        return f"<ProgressUpdate {self.id} {self.state.value}>"


class ReviewKind(LabelledEnum):
    RETURNED = ("returned", "Returned")
    APPROVED = ("approved", "Approved")


class ReviewComment(Base):
    """What a reviewer said when returning or approving an update: kept for ever, in order."""

    __tablename__ = "review_comment"
    __table_args__ = (sa.CheckConstraint("text != ''", name="text_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(sa.ForeignKey("progress_update.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    kind: Mapped[ReviewKind] = mapped_column(enum_column(ReviewKind))
    text: Mapped[str] = mapped_column(sa.Text)
    # The proposal as the reviewer read it, to show what the author changed when it returns.
    proposal: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    update: Mapped[ProgressUpdate] = relationship(back_populates="comments")
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    on_behalf_of: Mapped[User | None] = relationship(foreign_keys=[on_behalf_of_id])

    def __repr__(self) -> str:
        return f"<ReviewComment {self.id} {self.kind.value}>"
