"""The append-only audit trail, hash-chained per authority so tampering shows."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.base import Base, utcnow
from workflow.models.user import User


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        sa.UniqueConstraint("authority_id", "sequence"),
        # An action's timeline and the weekly RAG history read its events in time order.
        sa.Index("ix_audit_event_action_id_at", "action_id", "at"),
        # Who last changed a record, for the "changed since you opened it" message.
        sa.Index("ix_audit_event_object_type_object_id", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authority.id"), index=True)
    sequence: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    actor_name: Mapped[str] = mapped_column(sa.String(200))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int]
    action_id: Mapped[int | None] = mapped_column(sa.ForeignKey("action.id"))
    verb: Mapped[str] = mapped_column(sa.String(40))
    summary: Mapped[str] = mapped_column(sa.Text)
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    previous_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))

    actor: Mapped[User | None] = relationship()


class AuditHead(Base):
    """The last link of each authority's chain; locked while an event is appended."""

    __tablename__ = "audit_head"

    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authority.id"), primary_key=True)
    sequence: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(sa.String(64))
