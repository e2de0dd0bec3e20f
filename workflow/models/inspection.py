"""Inspections, their judgements, and the recommendations they make."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.core.names import first_words, inspection_short_title
from workflow.models.authority import Authority
from workflow.models.base import Base, LabelledEnum, enum_column, utcnow
from workflow.models.user import User


class InspectionKind(LabelledEnum):
    ILACS_STANDARD = ("ilacs_standard", "ILACS standard inspection")
    ILACS_SHORT = ("ilacs_short", "ILACS short inspection")
    FOCUSED_VISIT = ("focused_visit", "Focused visit")
    JTAI = ("jtai", "Joint targeted area inspection")
    SIF = ("sif", "Single inspection framework inspection")
    MONITORING_VISIT = ("monitoring_visit", "Monitoring visit")


class Inspection(Base):
    __tablename__ = "inspection"
    __table_args__ = (sa.CheckConstraint("end_date >= start_date", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authority.id"), index=True)
    kind: Mapped[InspectionKind] = mapped_column(enum_column(InspectionKind))
    start_date: Mapped[date]
    end_date: Mapped[date]
    published_on: Mapped[date | None]
    received_on: Mapped[date | None]
    received_on_reason: Mapped[str | None] = mapped_column(sa.Text)
    lead_inspector: Mapped[str | None] = mapped_column(sa.String(200))
    # A joint inspection's plan is the partnership's: [{"role": ..., "name": ...}] as named.
    partners: Mapped[list[dict[str, str]] | None] = mapped_column(sa.JSON)
    # The director's introduction to the plan: paragraphs, and lists of lines starting "- ".
    plan_introduction: Mapped[str | None] = mapped_column(sa.Text)
    # The self-evaluation's narrative sections: {"overview": text, judgement area: text}.
    self_evaluation: Mapped[dict[str, str] | None] = mapped_column(sa.JSON)
    plan_owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    authority: Mapped[Authority] = relationship()
    plan_owner: Mapped[User | None] = relationship()
    judgements: Mapped[list["Judgement"]] = relationship(
        back_populates="inspection", order_by="Judgement.position", cascade="all, delete-orphan"
    )
    recommendations: Mapped[list["Recommendation"]] = relationship(
        back_populates="inspection", order_by="Recommendation.number"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def title(self) -> str:
        return f"{self.kind.label}, {self.date_range}"

    @property
    def short_title(self) -> str:
        return inspection_short_title(self.kind.value, self.start_date)

    @property
    def date_range(self) -> str:
        if self.start_date == self.end_date:
            return f"{self.start_date:%-d %B %Y}"
        return f"{self.start_date:%-d %B %Y} to {self.end_date:%-d %B %Y}"

    @property
    def partner_rows(self) -> list[tuple[str, str]]:
        """A joint inspection's partners as (role, name)."""
        return [(partner["role"], partner["name"]) for partner in self.partners or []]

    @property
    def report_received_on(self) -> date | None:
        """The date the council received the report: published, unless recorded otherwise."""
        return self.received_on or self.published_on

    def __repr__(self) -> str:
        return f"<Inspection {self.id} {self.kind.value}>"


class Judgement(Base):
    __tablename__ = "judgement"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id"), index=True)
    position: Mapped[int]
    area: Mapped[str] = mapped_column(sa.String(300))
    grade: Mapped[str] = mapped_column(sa.String(100))

    inspection: Mapped[Inspection] = relationship(back_populates="judgements")


class Recommendation(Base):
    __tablename__ = "recommendation"
    __table_args__ = (
        sa.UniqueConstraint("inspection_id", "number"),
        sa.CheckConstraint(
            "(closed_at IS NULL) = (closed_by_id IS NULL)", name="closed_with_closer"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    # What charts and calendars call it; when empty, the first words of its text.
    short_name: Mapped[str | None] = mapped_column(sa.String(80))
    senior_lead: Mapped[str | None] = mapped_column(sa.String(200))
    # A focused visit's "area for priority action": the draft plan is due in 20 working days.
    priority: Mapped[bool] = mapped_column(default=False)
    # Numbers of the report's paragraphs that evidence it, best first (from the importer).
    paragraph_numbers: Mapped[list[int] | None] = mapped_column(sa.JSON)
    # The judgement the recommendation falls under; the plan groups recommendations by it.
    judgement_area: Mapped[str | None] = mapped_column(sa.String(300))
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    inspection: Mapped[Inspection] = relationship(back_populates="recommendations")
    closed_by: Mapped[User | None] = relationship()
    actions: Mapped[list["Action"]] = relationship(  # noqa: F821
        back_populates="recommendation", order_by="Action.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        """Its short name, or the first words of its text."""
        return self.short_name or first_words(self.text)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def __repr__(self) -> str:
        return f"<Recommendation {self.inspection_id}/{self.number}>"
