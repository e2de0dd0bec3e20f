"""The session cookie, checked before every request.

The cookie names a row of `sign_in_session` by a random key. Before every request the row
is looked up with its user (one query); a row that has ended, idled or outlived its
lifetime signs the person out, with a message saying why. The last-seen time is written
(at most once a minute) before the view runs, in a commit of its own, so a refused form
does not lose it.
"""

from flask import current_app, flash, g, request, session
from flask_login import logout_user

from workflow.accounts import sessions
from workflow.extensions import db
from workflow.models import SessionEnd, SignInSession, User, utcnow

SESSION_KEY = "sign_in"
# Requests that never carry a person's session: no lookup, no last-seen write.
UNSESSIONED_ENDPOINTS = {"static", "health.healthz", "health.readyz", "health.prometheus_metrics"}
UNSESSIONED_BLUEPRINTS = {"api"}
# Asking how long is left must not count as using the session.
UNTOUCHED_ENDPOINTS = {"sessions.time_left"}


def forget_sign_in() -> None:
    logout_user()
    session.clear()


def current_session() -> SignInSession | None:
    """The signed-in session of this request, if there is one."""
    return g.get("sign_in_session")


def resume_session() -> None:
    """Before each request: the session the cookie names, if it still stands."""
    if request.endpoint in UNSESSIONED_ENDPOINTS or request.blueprint in UNSESSIONED_BLUEPRINTS:
        return
    if SESSION_KEY not in session and "_user_id" not in session:
        return
    record, now = sessions.session_for_key(session.get(SESSION_KEY)), utcnow()
    over = sessions.why_over(record, now) if record else ""
    if over is not None:
        forget_sign_in()
        if over and record.ended_why is not SessionEnd.SIGNED_OUT:
            flash(f"{over}. Sign in again to carry on.", "error")
        return
    g.sign_in_session = record
    if request.endpoint not in UNTOUCHED_ENDPOINTS and sessions.needs_touch(record, now):
        sessions.touch(record, now)
        _commit_keeping_loaded()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user of the session resume_session found (no query)."""
    record = current_session()
    if record is None or str(record.user_id) != user_id:
        return None
    return record.user


def _commit_keeping_loaded() -> None:
    """Commit the last-seen time alone, keeping the session row and user loaded for the page."""
    orm_session = db.session()
    orm_session.expire_on_commit = False
    try:
        orm_session.commit()
    finally:
        orm_session.expire_on_commit = True


def timeout_warning() -> dict | None:
    """What a page's timeout warning needs to know, for a signed-in request."""
    record = current_session()
    if record is None:
        return None
    return {
        "seconds_left": sessions.seconds_left(record, utcnow()),
        "warning_seconds": current_app.config["SESSION_WARNING_SECONDS"],
        "extendable": sessions.can_extend(record),
    }
