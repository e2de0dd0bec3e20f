"""Forgotten passwords: asking for a reset link, and choosing a new password with it."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from workflow.accounts import resets
from workflow.accounts.access_forms import NewPasswordForm, ResetRequestForm
from workflow.accounts.emails import send_password_reset
from workflow.models import utcnow
from workflow.web import run_rule

bp = Blueprint("resets", __name__, url_prefix="/reset-password")


@bp.route("", methods=["GET", "POST"])
def request_link():
    form = ResetRequestForm()
    if not form.validate_on_submit():
        return render_template("auth/reset_request.html", form=form)
    address = request.remote_addr or ""
    done = run_rule(form, resets.request_password_reset, form.email.data, address, utcnow())
    if not done:
        return render_template("auth/reset_request.html", form=form), 429
    user, token = done.result
    link = url_for("resets.choose", token=token, _external=True) if token else None
    send_password_reset(form.email.data.lower(), user, link)
    return render_template("auth/reset_sent.html", email=form.email.data)


@bp.route("/<token>", methods=["GET", "POST"])
def choose(token: str):
    if resets.reset_for_link(token, utcnow()) is None:
        return render_template("auth/link_expired.html", message=resets.EXPIRED), 404
    form = NewPasswordForm()
    if form.validate_on_submit() and run_rule(
        form, resets.reset_password, token, form.password.data, utcnow()
    ):
        flash(
            "Your password has been reset and you have been signed out everywhere."
            " Sign in with your new password.",
            "success",
        )
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_choose.html", form=form)
