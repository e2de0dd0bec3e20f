"""A person's signed-in sessions: the list, signing out elsewhere, and the timeout warning's
two small requests (how long is left; stay signed in). An administrator's "sign this person
out everywhere" is on the user's page (views/users.py)."""

from flask import Blueprint, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from workflow.accounts import sessions
from workflow.accounts.session_cookie import current_session
from workflow.models import utcnow
from workflow.web import run_rule

bp = Blueprint("sessions", __name__, url_prefix="/account/sessions")


@bp.get("")
def index():
    return render_template(
        "sessions/index.html",
        sessions=sessions.live_sessions(current_user, utcnow()),
        current=current_session(),
        browser_in_words=sessions.browser_in_words,
        idle_limit=sessions.length_in_words(sessions.idle_limit()),
        lifetime=sessions.length_in_words(sessions.lifetime()),
    )


@bp.post("/sign-out-others")
def sign_out_others():
    user = current_user._get_current_object()
    done = run_rule(None, sessions.end_other_sessions, user, current_session(), utcnow())
    if done:
        ended = done.result
        flash(
            f"You have signed out of {ended} other session{'' if ended == 1 else 's'}."
            if ended
            else "You were not signed in anywhere else.",
            "success",
        )
    return redirect(url_for("sessions.index"))


@bp.get("/time-left")
def time_left():
    """For the timeout warning: asking does not count as using the session."""
    return jsonify(_time_left())


@bp.post("/keep-alive")
def keep_alive():
    """The warning's "Stay signed in": the request itself renews the session (see
    signing_in.resume_session); forms on the page get a fresh CSRF token."""
    return jsonify({**_time_left(), "csrf_token": generate_csrf()})


def _time_left() -> dict:
    record = current_session()
    return {
        "seconds_left": sessions.seconds_left(record, utcnow()),
        "extendable": sessions.can_extend(record),
    }
