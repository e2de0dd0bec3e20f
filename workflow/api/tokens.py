"""Secret tokens for the calendar feed and the read-only API.

A token is shown to its owner once, when it is made; only its SHA-256 is stored, so a copy
of the database opens no feed and no API. Tokens are long random strings, so a fast hash
is enough (there is nothing to guess, unlike a password).
"""

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload

from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.extensions import db
from workflow.models import ApiToken, User

API_TOKEN_PREFIX = "oap_"  # recognisable in a leaked file or a secret scanner's report
API_TOKEN_LIFETIMES = {30: "30 days", 90: "90 days", 365: "1 year"}
# Power BI refreshes in bursts of requests: note use at most this often, not on every page.
LAST_USED_PRECISION = timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reset_calendar_token(user: User) -> str:
    """Give the user a new private feed address; the old one stops working. Returns the token."""
    token = secrets.token_urlsafe(32)
    replaced = user.calendar_token_hash is not None
    user.calendar_token_hash = hash_token(token)
    summary = "Calendar feed address replaced" if replaced else "Calendar feed address created"
    record_event(user, user.authority_id, user, "calendar_feed_reset", summary)
    return token


def turn_off_calendar_feed(user: User) -> None:
    if user.calendar_token_hash is None:
        raise RuleError("Your calendar feed is already turned off")
    user.calendar_token_hash = None
    record_event(user, user.authority_id, user, "calendar_feed_off", "Calendar feed turned off")


def calendar_owner(token: str) -> User | None:
    """The active user whose feed address carries this token."""
    if not token or len(token) > 100:
        return None
    query = sa.select(User).where(User.calendar_token_hash == hash_token(token), User.active)
    return db.session.scalar(query)


def create_api_token(user: User, name: str, lifetime_days: int, now: datetime) -> str:
    """Make an API token for the user; returns the secret, which is never shown again."""
    if lifetime_days not in API_TOKEN_LIFETIMES:
        raise RuleError("Select how long the token should last", "lifetime")
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        token_hash=hash_token(secret),
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days),
    )
    db.session.add(token)
    record_event(user, user.authority_id, token, "created", f"API token {name} created")
    return secret


def revoke_api_token(user: User, token: ApiToken, now: datetime) -> None:
    if token.revoked_at is not None:
        raise RuleError(f"The token {token.name} was already revoked")
    token.revoked_at = now
    record_event(user, user.authority_id, token, "revoked", f"API token {token.name} revoked")


def api_tokens_of(user: User) -> list[ApiToken]:
    query = sa.select(ApiToken).where(ApiToken.user_id == user.id)
    return list(db.session.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id)))


def api_token_or_404(token_id: int, user: User) -> ApiToken:
    """One of the user's own tokens: anybody else's answers like a missing one."""
    query = sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    token = db.session.scalar(query)
    if token is None:
        abort(404)
    return token


def api_user(secret: str, now: datetime) -> User | None:
    """The active user an unrevoked, unexpired API token belongs to, noting when it was used."""
    if not secret.startswith(API_TOKEN_PREFIX) or len(secret) > 100:
        return None
    query = sa.select(ApiToken).where(ApiToken.token_hash == hash_token(secret))
    token = db.session.scalar(query.options(joinedload(ApiToken.user)))
    if token is None or not token.is_usable(now) or not token.user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        token.last_used_at = now
    return token.user
