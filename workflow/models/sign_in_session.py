"""A person's signed-in sessions, one row per sign-in: the cookie carries only a random key.

The server decides whether a session still stands (not ended, not idle too long, not too
old), so a copied or re-signed cookie is worth nothing once the row says it is over.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.base import Base, LabelledEnum, enum_column, utcnow
from workflow.models.user import User


class SignInMethod(LabelledEnum):
    PASSWORD = ("password", "Password")
    TWO_FACTOR = ("two_factor", "Password and authenticator code")
    RECOVERY_CODE = ("recovery_code", "Password and recovery code")
    SINGLE_SIGN_ON = ("single_sign_on", "Council account (single sign-on)")
    INVITATION = ("invitation", "Accepting an invitation")


class SessionEnd(LabelledEnum):
    """Why a session was ended before its time; the words are shown at its next request."""

    SIGNED_OUT = ("signed_out", "You have signed out")
    ENDED_ELSEWHERE = ("ended_elsewhere", "You were signed out from another of your sessions")
    ENDED_BY_ADMINISTRATOR = ("ended_by_administrator", "An administrator signed you out")
    PASSWORD_CHANGED = ("password_changed", "Your password was changed, so you were signed out")
    PASSWORD_RESET = ("password_reset", "Your password was reset, so you were signed out")
    ACCOUNT_DISABLED = ("account_disabled", "Your account was disabled")


class SignInSession(Base):
    __tablename__ = "sign_in_session"
    __table_args__ = (
        sa.CheckConstraint("(ended_at IS NULL) = (ended_why IS NULL)", name="ended_with_a_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    # Only a hash: the key itself lives in the person's (signed) session cookie.
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    method: Mapped[SignInMethod] = mapped_column(enum_column(SignInMethod))
    user_agent: Mapped[str] = mapped_column(sa.String(500), default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Written at most once a minute, so reading pages does not mean writing rows.
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    ended_why: Mapped[SessionEnd | None] = mapped_column(enum_column(SessionEnd))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<SignInSession {self.id} of user {self.user_id}>"
