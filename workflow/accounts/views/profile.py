"""A person's own settings beyond their password: reminder emails, calendar feed, API tokens.

Secrets (the feed address, an API token) are shown once, in the response to the POST that
made them, and never stored in the clear, nor put in the session cookie.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflow.accounts import email_changes
from workflow.accounts.forms import ApiTokenForm, ReminderForm
from workflow.api import tokens
from workflow.core import permissions
from workflow.models import utcnow
from workflow.oversight import reminders
from workflow.web import require, run_button, run_rule

bp = Blueprint("profile", __name__, url_prefix="/account")


@bp.route("/reminders", methods=["GET", "POST"], endpoint="reminders")
def reminders_page():
    user = current_user._get_current_object()
    form = ReminderForm(data={"digests": "stop" if user.digest_opt_out else "send"})
    opt_out = form.digests.data == "stop"
    if form.validate_on_submit() and run_rule(
        form, reminders.set_digest_preference, user, opt_out=opt_out
    ):
        flash("Your reminder email settings are saved.", "success")
        return redirect(url_for("auth.account"))
    return render_template("profile/reminders.html", form=form)


@bp.get("/access")
def access():
    return render_template(
        "profile/access.html",
        api_tokens=tokens.api_tokens_of(current_user),
        can_use_api=permissions.can_use_api(current_user),
        now=utcnow(),
    )


@bp.post("/access/calendar")
def reset_calendar():
    done = run_rule(None, tokens.reset_calendar_token, current_user._get_current_object())
    if not done:
        return redirect(url_for("profile.access"))
    feed_url = url_for("calendar.feed", token=done.result, _external=True)
    return render_template("profile/calendar_created.html", feed_url=feed_url)


@bp.post("/access/calendar/turn-off")
def turn_off_calendar():
    return run_button(
        tokens.turn_off_calendar_feed,
        current_user._get_current_object(),
        success="Your calendar feed is turned off. Its address no longer works.",
        back=url_for("profile.access"),
    )


@bp.route("/api-tokens/new", methods=["GET", "POST"])
def new_api_token():
    require(permissions.can_use_api(current_user))
    form = ApiTokenForm()
    user, name = current_user._get_current_object(), form.name.data
    if form.validate_on_submit() and (
        done := run_rule(
            form, tokens.create_api_token, user, name, int(form.lifetime.data), utcnow()
        )
    ):
        return render_template("profile/api_token_created.html", secret=done.result, name=name)
    return render_template("profile/api_token_form.html", form=form)


@bp.post("/api-tokens/<int:token_id>/revoke")
def revoke_api_token(token_id: int):
    token = tokens.api_token_or_404(token_id, current_user)
    return run_button(
        tokens.revoke_api_token,
        current_user._get_current_object(),
        token,
        utcnow(),
        success=f"The token {token.name} is revoked. Anything using it has lost access.",
        back=url_for("profile.access"),
    )


@bp.route("/email-address/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """The person, signed in as themselves, confirms the address the link was sent to."""
    change = email_changes.change_for_link(token, utcnow())
    if change is None or change.user_id != current_user.id:
        message = "This link has expired or was already used, or is for someone else's account"
        return render_template("auth/link_expired.html", message=message), 404
    if request.method == "POST" and (
        done := run_rule(None, email_changes.confirm_email_change, current_user, token, utcnow())
    ):
        flash(f"Your email address is now {done.result}. Sign in with it from now on.", "success")
        return redirect(url_for("auth.account"))
    return render_template("profile/confirm_email.html", change=change)
