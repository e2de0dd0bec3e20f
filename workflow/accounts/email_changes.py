"""Changing someone's email address: the administrator asks, the person confirms.

An email address belongs to one account in the whole installation, so that signing in,
password resets and single sign-on always know whose account it is. An administrator
must not learn from that which addresses other councils' people have: a new address is
never refused for being another council's, nor taken at once. It is emailed a link, and
the change is made when the person opens it signed in as themselves. The page and the
audit trail read the same whoever has the address; only the email to the address (which
its owner alone reads) says when it cannot be used. Requiring the person to be signed in
means an address typed wrongly never hands the account to whoever owns it.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa

from workflow.accounts.link_tokens import hash_link_token, looks_like_token, new_link_token
from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.core.locking import flush
from workflow.extensions import db
from workflow.models import EmailChange, User

LIFETIME = timedelta(days=7)
IN_USE = (
    "This email address already belongs to another account, so it cannot be used for this"
    " one. Ask your council's improvement officer to use a different address"
)


def request_email_change(
    actor: User, user: User, email: str, now: datetime
) -> tuple[EmailChange, str]:
    """A pending change to `email` and the secret for its link; an earlier one lapses."""
    email = email.strip().lower()
    in_authority = sa.select(User.id).where(
        User.email == email, User.authority_id == user.authority_id, User.id != user.id
    )
    if db.session.scalar(in_authority):
        raise RuleError("A user with this email address already exists", "email")
    for earlier in pending_changes(user, now):
        earlier.expires_at = now
    token, token_hash = new_link_token()
    change = EmailChange(
        user=user,
        email=email,
        token_hash=token_hash,
        requested_by_id=actor.id,
        created_at=now,
        expires_at=now + LIFETIME,
    )
    db.session.add(change)
    flush()
    summary = f"New email address for {user.name} sent for confirmation"
    changes = {"email": email}
    record_event(actor, user.authority_id, user, "email_change_requested", summary, changes)
    return change, token


def change_for_link(token: str, now: datetime) -> EmailChange | None:
    if not looks_like_token(token):
        return None
    change = db.session.scalar(
        sa.select(EmailChange).where(EmailChange.token_hash == hash_link_token(token))
    )
    return change if change and change.is_pending(now) else None


def confirm_email_change(user: User, token: str, now: datetime) -> str:
    """The signed-in person takes the new address; the link is spent. The new address."""
    change = change_for_link(token, now)
    if change is None or change.user_id != user.id:
        raise RuleError("This link has expired or was already used")
    if address_in_use(change.email):
        raise RuleError(IN_USE)
    before = user.email
    user.email, change.confirmed_at = change.email, now
    flush(IN_USE, unique_race=True)  # the same address confirmed elsewhere at this moment
    record_event(
        user,
        user.authority_id,
        user,
        "email_changed",
        f"Email address confirmed by {user.name}",
        {"email": [before, change.email]},
    )
    return change.email


def address_in_use(email: str) -> bool:
    """Whether any account, in any council, has this address (for the email to it only)."""
    return db.session.scalar(sa.select(User.id).where(User.email == email)) is not None


def pending_changes(user: User, now: datetime) -> list[EmailChange]:
    return db.session.scalars(
        sa.select(EmailChange).where(
            EmailChange.user_id == user.id,
            EmailChange.confirmed_at.is_(None),
            EmailChange.expires_at > now,
        )
    ).all()
