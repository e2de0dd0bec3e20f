"""Issued versions of an inspection's action plan, and personal-data hits cleared for issue.

An issued version is frozen: its data snapshot at once, its DOCX and PDF (rendered from
that snapshot by a background job) moments later, each stored with its SHA-256, and none
of them ever changes, so what went to Ofsted can always be downloaded byte for byte. The
snapshot is a row's JSON; the files live in the file store (a folder or a bucket, the same
as evidence), named by their SHA-256, which is all the row holds of them.
"""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.base import Base, utcnow
from workflow.models.inspection import Inspection
from workflow.models.user import User

# Every format an issued version keeps as a file, with the type it is stored as.
FROZEN_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "html": "text/html",
}
FROZEN_FORMATS = tuple(FROZEN_TYPES)


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
    # The frozen files, each named by its SHA-256 in the file store. They are rendered from
    # the snapshot by a background job: empty until it has run.
    docx_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON, deferred=True)
    snapshot_sha256: Mapped[str] = mapped_column(sa.String(64))
    # The spreadsheet, CSV and web page, frozen since those formats were kept (older
    # versions have only Word, PDF and the snapshot).
    xlsx_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    csv_sha256: Mapped[str | None] = mapped_column(sa.String(64))
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

    def digest_of(self, fmt: str) -> str | None:
        """The SHA-256 its file of that format is kept under; None if it has none."""
        return getattr(self, f"{fmt}_sha256") if fmt in FROZEN_TYPES else None

    def frozen_files(self) -> dict[str, str]:
        """The SHA-256 of each frozen file it has, by format."""
        return {fmt: digest for fmt in FROZEN_FORMATS if (digest := self.digest_of(fmt))}

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
