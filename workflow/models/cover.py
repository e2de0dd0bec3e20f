"""Cover for an absent head of service: the deputy who decides the area's updates meanwhile."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.base import Base, utcnow
from workflow.models.user import User


class ReviewCover(Base):
    """A head of service's deputy for a period; one at a time, cleared or replaced by the head."""

    __tablename__ = "review_cover"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint("deputy_id != head_id", name="deputy_is_another"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    head_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), unique=True)
    deputy_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    head: Mapped[User] = relationship(foreign_keys=[head_id])
    deputy: Mapped[User] = relationship(foreign_keys=[deputy_id])

    def covers(self, today: date) -> bool:
        return self.starts_on <= today <= self.ends_on

    def __repr__(self) -> str:
        return f"<ReviewCover {self.head_id} by {self.deputy_id}>"
