"""Signing in and out, and changing one's own password."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from workflow.accounts import rules as accounts
from workflow.accounts import sso, two_factor
from workflow.accounts.forms import ChangePasswordForm, SignInForm
from workflow.accounts.views.signing_in import safe_next
from workflow.accounts.views.two_factor import begin_second_step
from workflow.core.errors import Throttled
from workflow.web import run_rule

bp = Blueprint("auth", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if not form.validate_on_submit():
        return render_template("auth/sign_in.html", form=form)
    address = request.remote_addr or ""
    # A failed attempt is kept even though the rule refused: it counts towards throttling.
    outcome = run_rule(
        form, accounts.sign_in, form.email.data, form.password.data, address, keep_refused=True
    )
    if not outcome:
        status = 429 if isinstance(outcome.error, Throttled) else 200
        return render_template("auth/sign_in.html", form=form), status
    if sso.password_sign_in_closed(outcome.result):
        form.email.errors = [sso.SSO_ONLY_MESSAGE]
        return render_template("auth/sign_in.html", form=form)
    if two_factor.needs_second_step(outcome.result):
        return begin_second_step(outcome.result, safe_next(request.args.get("next")))
    session.clear()
    login_user(outcome.result)
    return redirect(safe_next(request.args.get("next")))


@bp.post("/sign-out")
def sign_out():
    run_rule(None, accounts.end_sessions, current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit() and run_rule(
        form, accounts.change_password, user, form.current_password.data, form.new_password.data
    ):
        session.clear()
        login_user(user)  # this session carries on; every other one has ended
        flash("Your password has been changed. Other sessions have been signed out.", "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)
