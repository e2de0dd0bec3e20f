"""Single sign-on with OpenID Connect: each authority's provider, and signing in through it.

The protocol is Authlib's: discovery, the authorisation-code flow with PKCE (S256), state
and nonce, and the ID token's signature (against the provider's published keys, fetched
again when a token names a key we have not seen: providers rotate keys) and claims (issuer,
audience, expiry, nonce). Each sign-in begun here is a row: its state is used once, by the
browser that began it, within ten minutes, so a replayed or forged callback is refused.

A person gets in only as an active user of the provider's authority: the first time by a
matching email address, after which the provider's subject (Entra's ``oid``) is bound to the
account and is what later sign-ins match, so a changed address at the provider cannot reach
somebody else's account.
"""

import hashlib
import os
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app

from workflow.accounts.invitations import accept_by_single_sign_on
from workflow.accounts.sessions import begin_session
from workflow.core.audit import diff, record_event, snapshot
from workflow.core.errors import RuleError
from workflow.core.locking import check_version, flush
from workflow.extensions import db
from workflow.models import Authority, IdentityProvider, SignInMethod, SsoRequest, User

REQUEST_LIFETIME = timedelta(minutes=10)
METADATA_LIFETIME_SECONDS = 3600
HTTP_TIMEOUT_SECONDS = 10
CLOCK_LEEWAY_SECONDS = 60
SCOPE = "openid email profile"
PROVIDER_FIELDS = ["issuer", "client_id", "email_domains", "sso_only", "enabled"]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}

# issuer -> (fetched at, discovery document, key set). Per process: each app server keeps its own.
_metadata_cache: dict[str, tuple[float, dict, dict | None]] = {}


SSO_ONLY_MESSAGE = (
    "Your council signs in with single sign-on: choose Sign in with your council account"
)


class SsoRefused(RuleError):
    """The provider's answer does not let this person in; the message says why."""


@dataclass(frozen=True)
class ProviderSettings:
    issuer: str
    client_id: str
    client_secret: str | None  # None keeps the stored secret
    email_domains: str
    sso_only: bool
    enabled: bool


def provider_of(authority: Authority) -> IdentityProvider | None:
    return db.session.scalar(
        sa.select(IdentityProvider).where(IdentityProvider.authority_id == authority.id)
    )


def configure_provider(
    actor: User, authority: Authority, settings: ProviderSettings, version: int | None
) -> IdentityProvider:
    """Set the authority's identity provider; the client secret is stored encrypted."""
    issuer = _checked_issuer(settings.issuer)
    domains = _checked_domains(settings.email_domains)
    provider = provider_of(authority)
    if provider is None:
        provider = IdentityProvider(authority=authority, issuer=issuer, client_id="")
        db.session.add(provider)
        before = {}
    else:
        check_version(provider, version)
        before = snapshot(provider, PROVIDER_FIELDS)
    provider.issuer, provider.client_id = issuer, settings.client_id.strip()
    provider.email_domains, provider.sso_only = domains, settings.sso_only
    provider.enabled = settings.enabled
    secret_changed = bool(settings.client_secret)
    if secret_changed:
        provider.client_secret_encrypted = encrypt_secret(settings.client_secret)
    flush()
    changes = diff(provider, before, PROVIDER_FIELDS) if before else None
    if before and not changes and not secret_changed:
        return provider  # a save that changed nothing records nothing
    summary = "Single sign-on settings changed" + (" (new client secret)" if secret_changed else "")
    record_event(actor, authority.id, provider, "edited", summary, changes)
    return provider


def provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled provider whose authority takes people with this email address's domain."""
    domain = email.strip().lower().rpartition("@")[2]
    if not domain:
        return None
    providers = db.session.scalars(
        sa.select(IdentityProvider).where(IdentityProvider.enabled.is_(True))
    )
    return next((p for p in providers if domain in p.domains), None)


def provider_origins() -> list[str]:
    """Where the enabled providers' sign-in pages live (scheme, host and port)."""
    issuers = db.session.scalars(
        sa.select(IdentityProvider.issuer).where(IdentityProvider.enabled.is_(True))
    )
    origins = {f"{urlsplit(i).scheme}://{urlsplit(i).netloc}" for i in issuers}
    return sorted(origins)


def password_sign_in_closed(user: User) -> bool:
    """An authority that made single sign-on the only way in takes no passwords, but from
    partner contributors, who have no account with the council's identity provider."""
    if user.role.is_partner:
        return False
    provider = provider_of(user.authority)
    return bool(provider and provider.enabled and provider.sso_only)


def begin_sign_in(
    provider: IdentityProvider, redirect_uri: str, login_hint: str = ""
) -> tuple[str, str]:
    """The provider's authorisation address for a new sign-in, and the state it carries."""
    from authlib.common.security import generate_token
    from authlib.integrations.requests_client import OAuth2Session

    metadata = _metadata(provider)[0]
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    db.session.add(
        SsoRequest(provider=provider, state_hash=_hash(state), nonce=nonce, code_verifier=verifier)
    )
    flush()
    client = OAuth2Session(
        provider.client_id, scope=SCOPE, redirect_uri=redirect_uri, code_challenge_method="S256"
    )
    extra = {"login_hint": login_hint} if login_hint else {}
    url, _ = client.create_authorization_url(
        metadata["authorization_endpoint"],
        state=state,
        nonce=nonce,
        code_verifier=verifier,
        **extra,
    )
    return url, state


def finish_sign_in(
    state: str,
    code: str,
    browser_state: str | None,
    redirect_uri: str,
    user_agent: str,
    now: datetime,
) -> tuple[User, str]:
    """The user the provider's answer signs in, after every check, and their new session's
    key; the state is spent either way."""
    request = _spend_request(state, browser_state, now)
    provider = request.provider
    claims = _verified_claims(provider, request, code, redirect_uri)
    user = _user_for(provider, claims, now)
    record_event(user, provider.authority_id, user, "signed_in", "Signed in with single sign-on")
    return user, begin_session(user, SignInMethod.SINGLE_SIGN_ON, user_agent, now)


def _spend_request(state: str, browser_state: str | None, now: datetime) -> SsoRequest:
    expired = SsoRefused(
        "This sign-in link has expired or was already used. Start again from the sign-in page"
    )
    if not state or len(state) > 200 or browser_state != state:
        raise expired
    request = db.session.scalar(
        sa.select(SsoRequest).where(SsoRequest.state_hash == _hash(state)).with_for_update()
    )
    if request is None or request.used_at is not None:
        raise expired
    request.used_at = now
    flush()
    if now - request.created_at > REQUEST_LIFETIME:
        raise expired
    return request


def _verified_claims(
    provider: IdentityProvider, request: SsoRequest, code: str, redirect_uri: str
) -> dict:
    from authlib.integrations.requests_client import OAuth2Session
    from authlib.oidc.core import CodeIDToken
    from joserfc import jwt
    from joserfc.errors import BadSignatureError, InvalidKeyIdError, JoseError
    from joserfc.jwk import KeySet

    metadata, _ = _metadata(provider)
    client = OAuth2Session(
        provider.client_id,
        client_secret_of(provider),
        redirect_uri=redirect_uri,
        token_endpoint_auth_method="client_secret_post",
        code_challenge_method="S256",
    )
    failed = SsoRefused("Your council's sign-in service did not confirm who you are. Try again")
    try:
        token = client.fetch_token(
            metadata["token_endpoint"],
            code=code,
            code_verifier=request.code_verifier,
            timeout=HTTP_TIMEOUT_SECONDS,
        )
    except Exception as error:  # the provider refused the code, or could not be reached
        current_app.logger.warning("Single sign-on token request failed: %s", error)
        raise failed from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise failed
    algorithms = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    try:
        try:
            decoded = _decode(jwt, id_token, KeySet.import_key_set(_keys(provider)), algorithms)
        except (InvalidKeyIdError, BadSignatureError):
            # Perhaps a key we have not seen yet: providers rotate keys, so fetch them again once.
            keys = _keys(provider, refresh=True)
            decoded = _decode(jwt, id_token, KeySet.import_key_set(keys), algorithms)
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "values": [provider.issuer]},
                "aud": {"essential": True, "values": [provider.client_id]},
                "exp": {"essential": True},
            },
            {
                "nonce": request.nonce,
                "client_id": provider.client_id,
                "access_token": token.get("access_token"),
            },
        )
        claims.validate(leeway=CLOCK_LEEWAY_SECONDS)
    except (JoseError, ValueError) as error:
        current_app.logger.warning("Single sign-on ID token refused: %s", error)
        raise failed from error
    return dict(claims)


def _decode(jwt, id_token: str, keys, algorithms: list[str]):
    from joserfc.jws import JWSRegistry

    registry = JWSRegistry(algorithms=[a for a in algorithms if a != "none"])
    return jwt.decode(id_token, key=keys, algorithms=registry.algorithms, registry=registry)


def _user_for(provider: IdentityProvider, claims: dict, now: datetime) -> User:
    """The account these verified claims belong to; binds the subject at the first sign-in."""
    subject = str(claims.get("oid") or claims.get("sub") or "")[:255]
    email = str(claims.get("email") or claims.get("preferred_username") or "").strip().lower()
    unknown = SsoRefused(
        "There is no account for you in this service. Ask your council's improvement officer"
        " to invite you"
    )
    if not subject:
        raise unknown
    in_authority = sa.select(User).where(User.authority_id == provider.authority_id)
    user = db.session.scalar(in_authority.where(User.sso_subject == subject))
    if user is None:
        if (
            claims.get("email_verified") is False
            or email.rpartition("@")[2] not in provider.domains
        ):
            raise unknown
        user = db.session.scalar(in_authority.where(User.email == email))
        if user is None:
            user = accept_by_single_sign_on(provider.authority, email, now)
        if user is None or (user.sso_subject and user.sso_subject != subject):
            raise unknown
        user.sso_subject = subject
        record_event(
            None,
            provider.authority_id,
            user,
            "sso_bound",
            f"Single sign-on account linked to {user.name}",
            {"email": email},
        )
    if not user.active:
        raise unknown
    return user


def _metadata(provider: IdentityProvider) -> tuple[dict, dict | None]:
    cached = _metadata_cache.get(provider.issuer)
    if cached and time.monotonic() - cached[0] < METADATA_LIFETIME_SECONDS:
        return cached[1], cached[2]
    document = _fetch_json(provider.issuer.rstrip("/") + "/.well-known/openid-configuration")
    if document.get("issuer") != provider.issuer:
        raise SsoRefused(
            "Your council's sign-in service is not set up correctly. Tell your IT team"
        )
    _metadata_cache[provider.issuer] = (time.monotonic(), document, None)
    return document, None


def _keys(provider: IdentityProvider, refresh: bool = False) -> dict:
    metadata, keys = _metadata(provider)
    if keys is None or refresh:
        keys = _fetch_json(metadata["jwks_uri"])
        fetched_at = _metadata_cache[provider.issuer][0]
        _metadata_cache[provider.issuer] = (fetched_at, metadata, keys)
    return keys


def _fetch_json(url: str) -> dict:
    import requests

    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        current_app.logger.warning("Single sign-on provider unreachable at %s: %s", url, error)
        raise SsoRefused(
            "Your council's sign-in service could not be reached. Try again later"
        ) from error
    if not isinstance(document, dict):
        raise SsoRefused(
            "Your council's sign-in service is not set up correctly. Tell your IT team"
        )
    return document


def forget_provider_metadata() -> None:
    """Drop cached discovery documents and keys (after a provider's settings change)."""
    _metadata_cache.clear()


def client_secret_of(provider: IdentityProvider) -> str | None:
    """The stored secret, decrypted; else one set in the environment for this authority."""
    if provider.client_secret_encrypted:
        return decrypt_secret(provider.client_secret_encrypted)
    return os.environ.get(f"SSO_CLIENT_SECRET_{provider.authority_id}")


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    from cryptography.fernet import InvalidToken

    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise SsoRefused(
            "Your council's sign-in service is not set up correctly. Tell your IT team"
        ) from error


def _fernet():
    from cryptography.fernet import Fernet

    key = current_app.config.get("SSO_SECRET_KEY")
    if not key:
        raise RuleError(
            "Client secrets can only be stored when SSO_SECRET_KEY is set on the server."
            " Ask your IT team, or set SSO_CLIENT_SECRET_<authority number> instead",
            "client_secret",
        )
    try:
        return Fernet(key)
    except ValueError as error:
        raise RuleError(
            "SSO_SECRET_KEY on the server is not a valid key", "client_secret"
        ) from error


def _checked_issuer(issuer: str) -> str:
    issuer = issuer.strip()
    parts = urlsplit(issuer)
    secure = parts.scheme == "https" or (
        parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
    )
    if not parts.hostname or not secure or parts.query or parts.fragment:
        raise RuleError(
            "Enter the issuer address in the correct format, like"
            " https://login.microsoftonline.com/your-tenant-id/v2.0",
            "issuer",
        )
    return issuer


def _checked_domains(text: str) -> str:
    domains = [d.strip().lower().lstrip("@") for d in text.replace(",", " ").split()]
    if not domains:
        raise RuleError("Enter at least one email domain, like yourcouncil.gov.uk", "email_domains")
    for domain in domains:
        labels = domain.split(".")
        if len(labels) < 2 or not all(
            label and label.replace("-", "").isalnum() and label.isascii() for label in labels
        ):
            raise RuleError(
                f"Enter email domains like yourcouncil.gov.uk, not {domain[:50]}", "email_domains"
            )
    return " ".join(dict.fromkeys(domains))


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()
