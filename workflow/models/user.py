"""People who sign in, their roles, and the record of sign-in attempts used for throttling."""

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.authority import Authority, ServiceArea
from workflow.models.base import Base, LabelledEnum, enum_column, utcnow


class Role(LabelledEnum):
    ADMINISTRATOR = ("administrator", "Administrator")
    DIRECTOR = ("director", "Director")
    HEAD_OF_SERVICE = ("head_of_service", "Head of service")
    SERVICE_MANAGER = ("service_manager", "Service manager")
    VIEWER = ("viewer", "Viewer")
    # Outside the council: reports on the actions they were invited to, sees nothing else.
    PARTNER = ("partner", "Partner contributor")

    @property
    def needs_service_area(self) -> bool:
        return self in (Role.HEAD_OF_SERVICE, Role.SERVICE_MANAGER)

    @property
    def is_partner(self) -> bool:
        return self is Role.PARTNER


class User(UserMixin, Base):
    __tablename__ = "user_account"
    __table_args__ = (sa.UniqueConstraint("authority_id", "sso_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authority.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    service_area_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("service_area.id"), index=True
    )
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    digest_opt_out: Mapped[bool] = mapped_column(default=False)
    # Only a hash: the feed address is shown once, and a leaked database reveals no feed.
    calendar_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # The identity provider's subject (Entra's oid), bound at the first single sign-on: later
    # sign-ins match on it, so a changed email at the provider cannot reach another account.
    sso_subject: Mapped[str | None] = mapped_column(sa.String(255))
    # Two-factor (TOTP): the shared secret, encrypted; the last time step used, so a code
    # works once.
    totp_secret_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    totp_last_step: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    authority: Mapped[Authority] = relationship()
    service_area: Mapped[ServiceArea | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_active(self) -> bool:
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class SignInAttempt(Base):
    __tablename__ = "sign_in_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    address: Mapped[str] = mapped_column(sa.String(64), index=True)
    succeeded: Mapped[bool]
    # A code after a right password: only someone who knows the password can get one wrong.
    second_step: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
