"""Background jobs: one row per piece of work, so its state survives the queue and is seen.

The queue carries only a job's id; this row is the truth: what to run, how often it was
tried, why it last failed. A key makes enqueueing idempotent: the same key is one job.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base, LabelledEnum, enum_column, utcnow


class JobState(LabelledEnum):
    QUEUED = ("queued", "Queued", "blue")
    RUNNING = ("running", "Running", "yellow")
    SUCCEEDED = ("succeeded", "Done", "green")
    FAILED = ("failed", "Failed", "red")


class Job(Base):
    __tablename__ = "job"
    __table_args__ = (
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.Index("ix_job_state_created_at", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    args: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    # Whose work this is, for the administrators' page; None for installation-wide jobs.
    authority_id: Mapped[int | None] = mapped_column(sa.ForeignKey("authority.id"), index=True)
    state: Mapped[JobState] = mapped_column(enum_column(JobState), default=JobState.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=4)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    request_id: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    run_after: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.name} {self.state.value}>"
