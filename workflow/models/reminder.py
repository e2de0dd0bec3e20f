"""The log of reminder emails sent: one row per person, kind and day makes sending idempotent."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base, utcnow


class ReminderLog(Base):
    __tablename__ = "reminder_log"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    sent_on: Mapped[date]
    item_count: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
