"""Signing in and out, and changing one's own password."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflow.accounts import rules as accounts
from workflow.accounts import sessions
from workflow.accounts.forms import ChangePasswordForm, SignInForm
from workflow.accounts.session_cookie import current_session, forget_sign_in
from workflow.accounts.views.signing_in import safe_next, sign_in_as, user_agent
from workflow.accounts.views.two_factor import begin_second_step
from workflow.core.errors import Throttled
from workflow.models import SessionEnd, utcnow
from workflow.web import run_rule

bp = Blueprint("auth", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if not form.validate_on_submit():
        return render_template("auth/sign_in.html", form=form)
    # A failed attempt is kept even though the rule refused: it counts towards throttling.
    outcome = run_rule(
        form,
        accounts.sign_in,
        form.email.data,
        form.password.data,
        request.remote_addr or "",
        user_agent(),
        utcnow(),
        keep_refused=True,
    )
    if not outcome:
        status = 429 if isinstance(outcome.error, Throttled) else 200
        return render_template("auth/sign_in.html", form=form), status
    user, key = outcome.result
    next_url = safe_next(request.args.get("next"))
    if key is None:
        return begin_second_step(user, next_url)
    sign_in_as(user, key)
    return redirect(next_url)


@bp.post("/sign-out")
def sign_out():
    run_rule(None, sessions.end_session, current_session(), SessionEnd.SIGNED_OUT, utcnow())
    forget_sign_in()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit() and run_rule(
        form,
        accounts.change_password,
        user,
        form.current_password.data,
        form.new_password.data,
        current_session(),
        utcnow(),
    ):
        flash("Your password has been changed. Other sessions have been signed out.", "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)
