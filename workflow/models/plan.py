"""Issued versions of an inspection's action plan, and personal-data hits cleared for issue.

An issued version is frozen: its data snapshot at once, its DOCX and PDF (rendered from
that snapshot by a background job) moments later, each stored with its SHA-256, and none
of them ever changes, so what went to Ofsted can always be downloaded byte for byte.
"""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.base import Base, utcnow
from workflow.models.inspection import Inspection
from workflow.models.user import User


class PlanVersion(Base):
    __tablename__ = "plan_version"
    __table_args__ = (
        sa.UniqueConstraint("inspection_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id"), index=True)
    number: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    sent_to_ofsted_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(sa.Text)
    director_name: Mapped[str] = mapped_column(sa.String(200))
    director_signed_on: Mapped[date]
    lead_member_name: Mapped[str] = mapped_column(sa.String(200))
    lead_member_signed_on: Mapped[date]
    # The frozen files are loaded only when downloaded, never when versions are listed.
    # They are rendered from the snapshot by a background job: empty until it has run.
    docx: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    docx_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON, deferred=True)
    snapshot_sha256: Mapped[str] = mapped_column(sa.String(64))

    inspection: Mapped[Inspection] = relationship()
    issued_by: Mapped[User] = relationship()

    @property
    def label(self) -> str:
        return f"Version {self.number}"

    @property
    def frozen(self) -> bool:
        """Whether the DOCX and PDF have been rendered and stored."""
        return self.docx_sha256 is not None and self.pdf_sha256 is not None

    def __repr__(self) -> str:
        return f"<PlanVersion {self.inspection_id}/{self.number}>"


class PrivacyClearance(Base):
    """A director's word that one hit of the personal-data check is not personal data.

    Keyed by a hash of where the text is and what matched, so editing the text (or the
    same words turning up somewhere else) needs a fresh decision.
    """

    __tablename__ = "privacy_clearance"
    __table_args__ = (sa.UniqueConstraint("inspection_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    location: Mapped[str] = mapped_column(sa.String(300))
    matched_text: Mapped[str] = mapped_column(sa.String(300))
    cleared_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    cleared_at: Mapped[datetime] = mapped_column(default=utcnow)

    cleared_by: Mapped[User] = relationship()
