"""Password reset by email: a single-use link that lasts an hour.

Whether or not an address has an account, the answer is the same in words, and an email
goes to the address either way (to an unknown one it says so), so neither the page nor the
time it takes tells anyone which addresses have accounts. Requests are throttled per address
and per network address, like sign-in.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa

from workflow.accounts.link_tokens import hash_link_token, looks_like_token, new_link_token
from workflow.accounts.passwords import hash_password, password_problem
from workflow.accounts.sessions import end_sessions
from workflow.core.audit import record_event
from workflow.core.errors import RuleError, Throttled
from workflow.core.locking import flush
from workflow.extensions import db
from workflow.models import PasswordReset, SessionEnd, User

LIFETIME = timedelta(hours=1)
THROTTLE_WINDOW = timedelta(hours=1)
MAX_PER_EMAIL = 3
MAX_PER_ADDRESS = 20
EXPIRED = "This reset link has expired or was already used. Ask for a new one"


def request_password_reset(
    email: str, address: str, now: datetime
) -> tuple[User | None, str | None]:
    """The account (if any) and the secret for its link; recorded either way, for throttling."""
    email = email.strip().lower()[:254]
    if _is_throttled(email, address, now):
        raise Throttled(
            "You have asked for too many reset links. Wait an hour and try again", "email"
        )
    user = db.session.scalar(sa.select(User).where(User.email == email, User.active.is_(True)))
    token, token_hash = new_link_token() if user else (None, None)
    db.session.add(
        PasswordReset(
            email=email,
            address=address[:64],
            user=user,
            token_hash=token_hash,
            created_at=now,
            expires_at=now + LIFETIME,
        )
    )
    flush()
    return user, token


def reset_for_link(token: str, now: datetime) -> PasswordReset | None:
    if not looks_like_token(token):
        return None
    reset = db.session.scalar(
        sa.select(PasswordReset).where(PasswordReset.token_hash == hash_link_token(token))
    )
    usable = reset and reset.used_at is None and now < reset.expires_at and reset.user.active
    return reset if usable else None


def reset_password(token: str, new_password: str, now: datetime) -> User:
    """Set the new password, spend the link, and end every session of the account."""
    reset = reset_for_link(token, now)
    if reset is None:
        raise RuleError(EXPIRED)
    user = reset.user
    problem = password_problem(
        new_password, user.email, name=user.name, authority=user.authority.name
    )
    if problem:
        raise RuleError(problem, "password")
    user.password_hash = hash_password(new_password)
    # Whoever knew the old password is signed out everywhere.
    end_sessions(user, SessionEnd.PASSWORD_RESET, now)
    # Every other link for this account stops working too.
    for other in db.session.scalars(
        sa.select(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
        )
    ):
        other.used_at = now
    flush()
    record_event(user, user.authority_id, user, "password_reset", "Password reset by email link")
    return user


def _is_throttled(email: str, address: str, now: datetime) -> bool:
    since = now - THROTTLE_WINDOW
    recent = sa.select(sa.func.count(PasswordReset.id)).where(PasswordReset.created_at >= since)
    by_email = db.session.scalar(recent.where(PasswordReset.email == email))
    by_address = db.session.scalar(recent.where(PasswordReset.address == address))
    return by_email >= MAX_PER_EMAIL or by_address >= MAX_PER_ADDRESS
