"""Authorities (councils), their service areas, and the part of the RAG rules each sets."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.base import Base, utcnow

# A not-started action this many days or fewer from its due date is amber (core/rag.py).
DEFAULT_AT_RISK_DAYS = 30
MAX_AT_RISK_DAYS = 365


class Authority(Base):
    __tablename__ = "authority"
    __table_args__ = (
        sa.CheckConstraint(
            f"rag_at_risk_days BETWEEN 0 AND {MAX_AT_RISK_DAYS}", name="at_risk_days_in_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    email_domain: Mapped[str | None] = mapped_column(sa.String(200))
    case_reference_pattern: Mapped[str | None] = mapped_column(sa.String(200))
    # The one part of the RAG rules an authority sets; core/rag.py writes out the rest.
    rag_at_risk_days: Mapped[int] = mapped_column(default=DEFAULT_AT_RISK_DAYS)
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
