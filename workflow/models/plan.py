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
    # The spreadsheet, CSV and web page, frozen since those formats were kept (older
    # versions have only Word, PDF and the snapshot).
    xlsx: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    xlsx_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    csv: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    csv_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    html: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    html_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    # Governance: who approved it (cabinet, a committee, the director under delegation),
    # when and under which minute; when it went to the DfE; when and where it was published.
    approved_by: Mapped[str | None] = mapped_column(sa.String(200))
    approved_on: Mapped[date | None]
    approval_reference: Mapped[str | None] = mapped_column(sa.String(200))
    sent_to_dfe_on: Mapped[date | None]
    published_on: Mapped[date | None]
    public_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

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


class UpdateRedaction(Base):
    """The original text of an approved update a director redacted for personal data.

    Restricted: no page, export, search or API reads this table; the update itself carries
    the redacted text from then on, so history, search and the API serve only that.
    """

    __tablename__ = "update_redaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(sa.ForeignKey("progress_update.id"), unique=True)
    original_narrative: Mapped[str] = mapped_column(sa.Text)
    reason: Mapped[str] = mapped_column(sa.Text)
    redacted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    redacted_at: Mapped[datetime] = mapped_column(default=utcnow)
