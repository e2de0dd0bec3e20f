"""Signed-in sessions: begun at every sign-in, checked on every request, ended on purpose.

A session stands while its row is not ended, it has been used within the idle limit
(SESSION_IDLE_TIMEOUT, 30 minutes) and it began within the lifetime (SESSION_LIFETIME,
12 hours). The server decides from the row, never from the cookie alone. The last-seen
time is written at most once a minute, so reading pages does not turn into writing rows.
"""

from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from workflow.accounts.link_tokens import hash_link_token, looks_like_token, new_link_token
from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.core.locking import flush
from workflow.extensions import db
from workflow.models import SessionEnd, SignInMethod, SignInSession, User

TOUCH_EVERY = timedelta(minutes=1)


def begin_session(user: User, method: SignInMethod, user_agent: str, now: datetime) -> str:
    """A new session row for this sign-in; the key for the cookie (only its hash is stored)."""
    key, key_hash = new_link_token()
    db.session.add(
        SignInSession(
            user=user,
            key_hash=key_hash,
            method=method,
            user_agent=user_agent[:500],
            started_at=now,
            last_seen_at=now,
        )
    )
    flush()
    return key


def session_for_key(key: object) -> SignInSession | None:
    """The row a cookie's key names, with its user and the user's authority and service
    area (which nearly every page shows), in one query."""
    if not isinstance(key, str) or not looks_like_token(key):
        return None
    user = joinedload(SignInSession.user)
    return db.session.scalar(
        sa.select(SignInSession)
        .options(user.joinedload(User.authority), user.joinedload(User.service_area))
        .where(SignInSession.key_hash == hash_link_token(key))
    )


def idle_limit() -> timedelta:
    return current_app.config["SESSION_IDLE_TIMEOUT"]


def lifetime() -> timedelta:
    return current_app.config["SESSION_LIFETIME"]


def why_over(record: SignInSession, now: datetime) -> str | None:
    """None while the session stands; otherwise, in words for the person, why it ended."""
    if record.ended_why is not None:
        return record.ended_why.label
    if not record.user.active:
        return SessionEnd.ACCOUNT_DISABLED.label
    because = "You were signed out because you had"
    if now >= record.started_at + lifetime():
        return f"{because} been signed in for {length_in_words(lifetime())}"
    if now >= record.last_seen_at + idle_limit():
        return f"{because} done nothing for {length_in_words(idle_limit())}"
    return None


def length_in_words(length: timedelta) -> str:
    """'30 minutes', '12 hours'."""
    seconds = round(length.total_seconds())
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"


def needs_touch(record: SignInSession, now: datetime) -> bool:
    """Whether to write the last-seen time now: once a minute, or more often for a short limit."""
    return now - record.last_seen_at >= min(TOUCH_EVERY, idle_limit() / 4)


def touch(record: SignInSession, now: datetime) -> None:
    record.last_seen_at = now


def ends_at(record: SignInSession) -> datetime:
    return min(record.last_seen_at + idle_limit(), record.started_at + lifetime())


def seconds_left(record: SignInSession, now: datetime) -> int:
    return max(0, int((ends_at(record) - now).total_seconds()))


def can_extend(record: SignInSession) -> bool:
    """Whether being active keeps the session going (false once its lifetime is nearly up)."""
    return record.last_seen_at + idle_limit() < record.started_at + lifetime()


def end_session(record: SignInSession, why: SessionEnd, now: datetime) -> None:
    if record.ended_at is None:
        record.ended_at, record.ended_why = now, why
        flush()


def end_sessions(
    user: User, why: SessionEnd, now: datetime, keep: SignInSession | None = None
) -> int:
    """End every session of the user (but `keep`); how many were still open."""
    query = sa.update(SignInSession).where(
        SignInSession.user_id == user.id, SignInSession.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(SignInSession.id != keep.id)
    result = db.session.execute(query.values(ended_at=now, ended_why=why))
    return result.rowcount


def end_other_sessions(user: User, current: SignInSession, now: datetime) -> int:
    """The person signs out everywhere but here."""
    ended = len([s for s in live_sessions(user, now) if s.id != current.id])
    end_sessions(user, SessionEnd.ENDED_ELSEWHERE, now, keep=current)
    summary = f"Signed out of {ended} other session" + ("" if ended == 1 else "s")
    record_event(user, user.authority_id, user, "sessions_ended", summary, {"ended": ended})
    return ended


def end_every_session(actor: User, user: User, now: datetime) -> int:
    """An administrator signs a person out everywhere (a lost laptop, someone leaving)."""
    if actor.id == user.id:
        raise RuleError("To sign yourself out elsewhere, use Your sessions on Your account")
    ended = len(live_sessions(user, now))
    end_sessions(user, SessionEnd.ENDED_BY_ADMINISTRATOR, now)
    summary = f"{user.name} signed out of every session ({ended} open)"
    record_event(actor, user.authority_id, user, "sessions_ended", summary, {"ended": ended})
    return ended


def live_sessions(user: User, now: datetime) -> list[SignInSession]:
    """The user's sessions that still stand, the most recently used first."""
    return db.session.scalars(
        sa.select(SignInSession)
        .where(
            SignInSession.user_id == user.id,
            SignInSession.ended_at.is_(None),
            SignInSession.last_seen_at > now - idle_limit(),
            SignInSession.started_at > now - lifetime(),
        )
        .order_by(SignInSession.last_seen_at.desc(), SignInSession.id.desc())
    ).all()


@lru_cache(maxsize=512)
def browser_in_words(user_agent: str) -> str:
    """'Edge 126 on Windows', 'Safari 17 on iPhone': what a person recognises their device by."""
    from ua_parser import parse  # its rules are large: loaded for this page only

    parsed = parse(user_agent[:500])
    browser = parsed.user_agent
    if browser is None or browser.family == "Other":
        return "An unrecognised browser"
    name = BROWSER_NAMES.get(browser.family, browser.family)
    words = f"{name} {browser.major}" if browser.major else name
    device = parsed.device.family if parsed.device else ""
    system = parsed.os.family if parsed.os else ""
    where = device if device in ("iPhone", "iPad") else SYSTEM_NAMES.get(system, system)
    return f"{words} on {where}" if where and where != "Other" else words


BROWSER_NAMES = {
    "Mobile Safari": "Safari",
    "Chrome Mobile": "Chrome",
    "Chrome Mobile iOS": "Chrome",
    "Chrome Mobile WebView": "Chrome",
    "HeadlessChrome": "Chrome",
    "Firefox Mobile": "Firefox",
    "Firefox iOS": "Firefox",
    "Edge Mobile": "Edge",
}
SYSTEM_NAMES = {"Mac OS X": "Mac", "Chrome OS": "Chromebook"}
