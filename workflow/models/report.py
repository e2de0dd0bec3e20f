"""Imported reports: the parsed result awaiting review, the paragraphs an inspection's
recommendations are linked to, so owners read what the inspectors actually found, and what
monitoring visits said since about those recommendations."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.base import Base, utcnow
from workflow.models.inspection import Inspection, Recommendation
from workflow.models.job import Job
from workflow.models.user import User


class ReportImport(Base):
    """A report read by the importer, kept until an administrator confirms or abandons it."""

    __tablename__ = "report_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authority.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    source_name: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    parsed: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    inspection_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspection.id"))
    version: Mapped[int] = mapped_column(default=1)
    # Reading happens off the request: "queued", "reading", then "ready" or "failed".
    status: Mapped[str] = mapped_column(sa.String(20), default="ready", server_default="ready")
    error: Mapped[str | None] = mapped_column(sa.Text)
    # The upload, kept until it has been read (and for another try when reading failed).
    source: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    pasted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The background job reading it: its tries and last failure, for the progress page.
    job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("job.id"), index=True)

    created_by: Mapped[User] = relationship()
    inspection: Mapped[Inspection | None] = relationship()
    job: Mapped[Job | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def confirmed(self) -> bool:
        return self.inspection_id is not None

    @property
    def reading(self) -> bool:
        """Still waiting for the importer: the review page shows progress."""
        return self.status in ("queued", "reading")


class ReportParagraph(Base):
    """A numbered paragraph of an inspection's report, with the heading it sits under."""

    __tablename__ = "report_paragraph"
    __table_args__ = (sa.UniqueConstraint("inspection_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id"), index=True)
    number: Mapped[int]
    heading: Mapped[str | None] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text)


class MonitoringNote(Base):
    """What a monitoring visit found about one recommendation of an earlier inspection.

    A monitoring letter reports progress against the areas the inspection named; each area
    becomes a note on the recommendation it is about, never a recommendation of its own.
    """

    __tablename__ = "monitoring_note"
    __table_args__ = (sa.CheckConstraint("visit_end >= visit_start", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authority.id"), index=True)
    recommendation_id: Mapped[int] = mapped_column(sa.ForeignKey("recommendation.id"), index=True)
    report_import_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("report_import.id"), index=True
    )
    visit_start: Mapped[date]
    visit_end: Mapped[date]
    inspector: Mapped[str | None] = mapped_column(sa.String(200))
    # The area as the letter words it, and the letter's paragraphs about it, best first.
    area: Mapped[str] = mapped_column(sa.Text)
    findings: Mapped[list[str]] = mapped_column(sa.JSON)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recommendation: Mapped[Recommendation] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def visit_dates(self) -> str:
        if self.visit_start == self.visit_end:
            return f"{self.visit_start:%-d %B %Y}"
        return f"{self.visit_start:%-d %B %Y} to {self.visit_end:%-d %B %Y}"
