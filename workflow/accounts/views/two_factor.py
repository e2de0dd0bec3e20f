"""Two-factor sign-in: the code step after a password, setting it up, and managing it.

Between the password and the code nobody is signed in: the session only names who is
half-way (with a fingerprint of their password, and when), and the signed-in session
begins after the second step.
"""

import hashlib
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from workflow.accounts import two_factor
from workflow.accounts.access_forms import CodeForm, RequireTwoFactorForm
from workflow.accounts.views.signing_in import safe_next, sign_in_as, user_agent
from workflow.core import permissions
from workflow.core.errors import Throttled
from workflow.extensions import db
from workflow.models import SignInMethod, User, utcnow
from workflow.web import require, run_button, run_rule

bp = Blueprint("two_factor", __name__)

PENDING, NEW_SECRET = "two_factor_pending", "two_factor_new_secret"
HALF_WAY_LIMIT = timedelta(minutes=10)


def begin_second_step(user: User, next_url: str):
    """After a right password: on to the code (or to setting two-factor up)."""
    session.clear()
    session[PENDING] = {
        "user": user.id,
        "password": _fingerprint(user),
        "at": utcnow().timestamp(),
        "next": next_url,
    }
    return redirect(url_for("two_factor.code"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
def code():
    user = _half_way()
    if user is None:
        return redirect(url_for("auth.sign_in"))
    if not two_factor.has_two_factor(user):
        return redirect(url_for("two_factor.set_up_at_sign_in"))
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("two_factor/code.html", form=form)
    done = run_rule(
        form,
        two_factor.verify_second_factor,
        user,
        form.code.data,
        request.remote_addr or "",
        user_agent(),
        utcnow(),
        keep_refused=True,
    )
    if not done:
        status = 429 if isinstance(done.error, Throttled) else 200
        return render_template("two_factor/code.html", form=form), status
    method, key = done.result
    next_url = safe_next(session[PENDING]["next"])
    sign_in_as(user, key)
    if method is SignInMethod.RECOVERY_CODE:
        flash(
            f"You used a recovery code. You have {two_factor.recovery_codes_left(user)} left.",
            "success",
        )
    return redirect(next_url)


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
def set_up_at_sign_in():
    user = _half_way()
    if user is None:
        return redirect(url_for("auth.sign_in"))
    return _set_up(user, signing_in=True)


@bp.route("/account/two-factor", methods=["GET", "POST"])
def manage():
    user = current_user._get_current_object()
    if not two_factor.has_two_factor(user):
        return _set_up(user, signing_in=False)
    return render_template(
        "two_factor/manage.html",
        codes_left=two_factor.recovery_codes_left(user),
        required=two_factor.must_use_two_factor(user),
    )


@bp.post("/account/two-factor/turn-off")
def turn_off():
    return run_button(
        two_factor.turn_off_two_factor,
        current_user._get_current_object(),
        success="Two-factor sign-in is turned off.",
        back=url_for("two_factor.manage"),
    )


@bp.post("/account/two-factor/recovery-codes")
def new_codes():
    done = run_rule(None, two_factor.new_recovery_codes, current_user._get_current_object())
    if not done:
        return redirect(url_for("two_factor.manage"))
    return render_template(
        "two_factor/recovery_codes.html", codes=done.result, next_url=url_for("two_factor.manage")
    )


@bp.route("/settings/two-factor", methods=["GET", "POST"])
def settings():
    require(permissions.can_manage_users(current_user))
    form = RequireTwoFactorForm(data={"required": current_user.authority.require_two_factor})
    if form.validate_on_submit() and run_rule(
        form, two_factor.set_authority_requirement, current_user, form.required.data
    ):
        flash("Two-factor settings saved.", "success")
        return redirect(url_for("two_factor.settings"))
    return render_template("two_factor/settings.html", form=form)


def _set_up(user: User, signing_in: bool):
    secret = session.get(NEW_SECRET) or two_factor.new_secret()
    session[NEW_SECRET] = secret  # the same secret until the code proves the app has it
    form = CodeForm()
    if form.validate_on_submit() and (done := _enrol(form, user, secret, signing_in)):
        session.pop(NEW_SECRET, None)
        codes, next_url = done.result, url_for("two_factor.manage")
        if signing_in:
            (codes, key), next_url = done.result, safe_next(session[PENDING]["next"])
            sign_in_as(user, key)
        return render_template("two_factor/recovery_codes.html", codes=codes, next_url=next_url)
    uri = two_factor.provisioning_uri(user, secret)
    return render_template(
        "two_factor/set_up.html",
        form=form,
        qr_code=two_factor.qr_code(uri),
        secret=secret,
        required=two_factor.must_use_two_factor(user),
        signing_in=signing_in,
    )


def _enrol(form: CodeForm, user: User, secret: str, signing_in: bool):
    """Two-factor on; half-way through signing in, the signed-in session begins too."""
    if signing_in:
        return run_rule(
            form, two_factor.enrol_at_sign_in, user, secret, form.code.data, user_agent(), utcnow()
        )
    return run_rule(form, two_factor.enrol_two_factor, user, secret, form.code.data, utcnow())


def _half_way() -> User | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    user = db.session.get(User, pending.get("user", 0))
    fresh = utcnow().timestamp() - pending.get("at", 0) < HALF_WAY_LIMIT.total_seconds()
    if user is None or not user.active or _fingerprint(user) != pending.get("password"):
        return None
    return user if fresh else None


def _fingerprint(user: User) -> str:
    """Changes when the password does, so a reset half-way through stops the second step."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]
