"""Single sign-on: an authority's identity provider and the sign-ins begun with it."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.authority import Authority
from workflow.models.base import Base, utcnow


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
