"""Evidence: files and links that show an action's progress. Never deleted, only superseded."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.action import Action
from workflow.models.base import Base, LabelledEnum, enum_column, utcnow
from workflow.models.fulltext import authority_of, search_index, search_vector
from workflow.models.update import ProgressUpdate
from workflow.models.user import User


class EvidenceKind(LabelledEnum):
    FILE = ("file", "File")
    LINK = ("link", "Link")


class Evidence(Base):
    __tablename__ = "evidence"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'file' AND sha256 IS NOT NULL AND url IS NULL)"
            " OR (kind = 'link' AND url IS NOT NULL AND sha256 IS NULL)",
            name="file_or_link",
        ),
        search_index("evidence"),
        # One authority's files in id order: the evidence check run for one authority.
        sa.Index("ix_evidence_authority_id_id", "authority_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("action.id"), index=True)
    authority_id: Mapped[int] = authority_of(
        "action_id", sa.select(Action.authority_id).where(Action.id == sa.bindparam("parent_id"))
    )
    update_id: Mapped[int] = mapped_column(sa.ForeignKey("progress_update.id"), index=True)
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind))
    title: Mapped[str] = mapped_column(sa.String(300))
    search_vector: Mapped[str | None] = search_vector("title")
    sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    original_name: Mapped[str | None] = mapped_column(sa.String(255))
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    size: Mapped[int | None]
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    added_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    superseded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("evidence.id"))

    action: Mapped[Action] = relationship()
    update: Mapped[ProgressUpdate] = relationship(back_populates="evidence")
    added_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Evidence {self.id} {self.kind.value}>"
