"""Actions: the owned, dated pieces of work that answer a recommendation."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.authority import Authority, ServiceArea
from workflow.models.base import Base, LabelledEnum, enum_column, utcnow
from workflow.models.fulltext import authority_of, search_index, search_vector
from workflow.models.inspection import Inspection, Recommendation
from workflow.models.user import User


class ActionStatus(LabelledEnum):
    NOT_STARTED = ("not_started", "Not started", "grey")
    IN_PROGRESS = ("in_progress", "In progress", "light-blue")
    COMPLETE = ("complete", "Complete", "green")


class Rag(LabelledEnum):
    RED = ("red", "Red", "red")
    AMBER = ("amber", "Amber", "yellow")
    GREEN = ("green", "Green", "green")
    BLUE = ("blue", "Blue", "blue")


class Action(Base):
    __tablename__ = "action"
    __table_args__ = (
        sa.UniqueConstraint("recommendation_id", "reference"),
        sa.CheckConstraint("due_date >= start_date", name="due_after_start"),
        # Blue means delivered, and only delivered actions are blue.
        sa.CheckConstraint("(status = 'complete') = (rag = 'blue')", name="blue_iff_complete"),
        # A rating other than the rules' is a reviewer's, in writing, on a known day.
        sa.CheckConstraint(
            "rag_exception IS NULL OR "
            "(rag_exception_by_id IS NOT NULL AND rag_exception_on IS NOT NULL)",
            name="exception_has_reviewer",
        ),
        search_index("action"),
        # The API lists an authority's actions by id: without this, PostgreSQL walks the
        # whole table's id order to find the last authority's.
        sa.Index("ix_action_authority_id_id", "authority_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(sa.ForeignKey("recommendation.id"), index=True)
    authority_id: Mapped[int] = authority_of(
        "recommendation_id",
        sa.select(Inspection.authority_id)
        .join(Recommendation.inspection)
        .where(Recommendation.id == sa.bindparam("parent_id")),
    )
    reference: Mapped[str] = mapped_column(sa.String(20))
    description: Mapped[str] = mapped_column(sa.Text)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    delegate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    service_area_id: Mapped[int] = mapped_column(sa.ForeignKey("service_area.id"), index=True)
    start_date: Mapped[date]
    original_due_date: Mapped[date]
    due_date: Mapped[date] = mapped_column(index=True)
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus), default=ActionStatus.NOT_STARTED, index=True
    )
    # The rating the RAG rules gave when the action last changed, or a reviewer's rating
    # with the written exception beside it: workflow/core/rag.py reads both.
    rag: Mapped[Rag] = mapped_column(enum_column(Rag), default=Rag.GREEN, index=True)
    rag_exception: Mapped[str | None] = mapped_column(sa.Text)
    rag_exception_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    rag_exception_on: Mapped[date | None]
    impact_evidenced: Mapped[bool] = mapped_column(default=False)
    measure_of_success: Mapped[str] = mapped_column(sa.Text)
    search_vector: Mapped[str | None] = search_vector("description", "measure_of_success")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    recommendation: Mapped[Recommendation] = relationship(back_populates="actions")
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    delegate: Mapped[User | None] = relationship(foreign_keys=[delegate_id])
    service_area: Mapped[ServiceArea] = relationship()
    authority: Mapped[Authority] = relationship(viewonly=True)
    rag_exception_by: Mapped[User | None] = relationship(foreign_keys=[rag_exception_by_id])

    __mapper_args__ = {"version_id_col": version}

    def is_overdue(self, today: date) -> bool:
        return self.status is not ActionStatus.COMPLETE and self.due_date < today

    @property
    def due_date_revised(self) -> bool:
        return self.due_date != self.original_due_date

    def __repr__(self) -> str:
        return f"<Action {self.reference}>"
