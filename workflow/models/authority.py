"""Authorities (councils), their service areas, and how each defines its RAG ratings."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.base import Base, utcnow

DEFAULT_RAG_DEFINITIONS = {
    "red": "Overdue, or a measure of success is off course.",
    "amber": "At risk of missing its due date or its target.",
    "green": "On track to be delivered by its due date and to meet its target.",
    "blue": "Delivered: the action is complete.",
}


class Authority(Base):
    __tablename__ = "authority"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    email_domain: Mapped[str | None] = mapped_column(sa.String(200))
    case_reference_pattern: Mapped[str | None] = mapped_column(sa.String(200))
    rag_red: Mapped[str] = mapped_column(sa.Text, default=DEFAULT_RAG_DEFINITIONS["red"])
    rag_amber: Mapped[str] = mapped_column(sa.Text, default=DEFAULT_RAG_DEFINITIONS["amber"])
    rag_green: Mapped[str] = mapped_column(sa.Text, default=DEFAULT_RAG_DEFINITIONS["green"])
    rag_blue: Mapped[str] = mapped_column(sa.Text, default=DEFAULT_RAG_DEFINITIONS["blue"])
    # The council's logo for the plan's cover: PNG, or SVG checked safe (workflow/plans/logo.py),
    # with a PNG rendition of an SVG for Word, which cannot show SVG alone.
    logo: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    logo_type: Mapped[str | None] = mapped_column(sa.String(40))
    logo_png: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Everyone who signs in with a password must use two-factor (administrators and
    # directors always must).
    require_two_factor: Mapped[bool] = mapped_column(default=False)
    # Settings forms (the RAG definitions) post the version they showed (optimistic locking).
    version: Mapped[int] = mapped_column(default=1)

    service_areas: Mapped[list["ServiceArea"]] = relationship(
        back_populates="authority", order_by="ServiceArea.name"
    )

    __mapper_args__ = {"version_id_col": version}

    def rag_definitions(self) -> dict[str, str]:
        return {
            "red": self.rag_red,
            "amber": self.rag_amber,
            "green": self.rag_green,
            "blue": self.rag_blue,
        }

    def __repr__(self) -> str:
        return f"<Authority {self.name}>"


class ServiceArea(Base):
    __tablename__ = "service_area"
    __table_args__ = (sa.UniqueConstraint("authority_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authority.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # A retired area keeps its history but is no longer offered for people or actions.
    retired_at: Mapped[datetime | None]

    authority: Mapped[Authority] = relationship(back_populates="service_areas")

    def __repr__(self) -> str:
        return f"<ServiceArea {self.name}>"
