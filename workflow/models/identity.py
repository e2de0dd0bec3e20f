"""How people get in: an authority's identity provider and the sign-ins begun with it,
invitations to join, and password resets. Links carry a secret; only its hash is stored."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.authority import Authority, ServiceArea
from workflow.models.base import Base, enum_column, utcnow
from workflow.models.user import Role, User


class IdentityProvider(Base):
    """An authority's OpenID Connect provider (Microsoft Entra ID, for most councils)."""

    __tablename__ = "identity_provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authority.id"), unique=True)
    issuer: Mapped[str] = mapped_column(sa.String(500))
    client_id: Mapped[str] = mapped_column(sa.String(200))
    # Encrypted with the key in the environment (SSO_SECRET_KEY); never stored in the clear.
    client_secret_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    # Space-separated, lower case: only people whose address ends in one may sign in.
    email_domains: Mapped[str] = mapped_column(sa.String(1000))
    sso_only: Mapped[bool] = mapped_column(default=False)
    enabled: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    authority: Mapped[Authority] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def domains(self) -> list[str]:
        return self.email_domains.split()

    def __repr__(self) -> str:
        return f"<IdentityProvider {self.issuer}>"


class SsoRequest(Base):
    """One sign-in sent to the provider: its state, nonce and PKCE verifier, used once."""

    __tablename__ = "sso_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("identity_provider.id"), index=True)
    # Only a hash of the state: the state itself travels in the browser's address bar.
    state_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    nonce: Mapped[str] = mapped_column(sa.String(100))
    code_verifier: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]

    provider: Mapped[IdentityProvider] = relationship()


class Invitation(Base):
    """An administrator's invitation: the person sets their own password, or uses single sign-on."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authority.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    service_area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("service_area.id"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(default=1)

    authority: Mapped[Authority] = relationship()
    service_area: Mapped[ServiceArea | None] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    __mapper_args__ = {"version_id_col": version}

    def is_pending(self, now: datetime) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None and now < self.expires_at


class PasswordReset(Base):
    """A request for a password reset link; kept for unknown addresses too, for throttling."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    address: Mapped[str] = mapped_column(sa.String(64), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship()


class RecoveryCode(Base):
    """One of a person's ten single-use codes for when their authenticator app is lost."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None]


class EmailChange(Base):
    """A new email address an administrator gave someone, waiting for that person to confirm
    it: signed in as themselves, with the link sent to the new address."""

    __tablename__ = "email_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def is_pending(self, now: datetime) -> bool:
        return self.confirmed_at is None and now < self.expires_at
