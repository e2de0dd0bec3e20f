"""A person's own settings beyond their password: reminder emails, calendar feed, API tokens.

Secrets (the feed address, an API token) are shown once, in the response to the POST that
made them, and never stored in the clear, nor put in the session cookie.
"""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from workflow.accounts.forms import ApiTokenForm, ReminderForm
from workflow.api import tokens
from workflow.core.errors import RuleError
from workflow.extensions import db
from workflow.models import utcnow
from workflow.oversight import reminders
from workflow.web import refuse

bp = Blueprint("profile", __name__, url_prefix="/account")


@bp.route("/reminders", methods=["GET", "POST"], endpoint="reminders")
def reminders_page():
    user = current_user._get_current_object()
    form = ReminderForm(data={"digests": "stop" if user.digest_opt_out else "send"})
    if form.validate_on_submit():
        reminders.set_digest_preference(user, opt_out=form.digests.data == "stop")
        db.session.commit()
        flash("Your reminder email settings are saved.", "success")
        return redirect(url_for("auth.account"))
    return render_template("profile/reminders.html", form=form)


@bp.get("/access")
def access():
    return render_template(
        "profile/access.html", api_tokens=tokens.api_tokens_of(current_user), now=utcnow()
    )


@bp.post("/access/calendar")
def reset_calendar():
    token = tokens.reset_calendar_token(current_user._get_current_object())
    db.session.commit()
    feed_url = url_for("calendar.feed", token=token, _external=True)
    return render_template("profile/calendar_created.html", feed_url=feed_url)


@bp.post("/access/calendar/turn-off")
def turn_off_calendar():
    try:
        tokens.turn_off_calendar_feed(current_user._get_current_object())
    except RuleError as error:
        db.session.rollback()
        flash(error.message, "important")
    else:
        db.session.commit()
        flash("Your calendar feed is turned off. Its address no longer works.", "success")
    return redirect(url_for("profile.access"))


@bp.route("/api-tokens/new", methods=["GET", "POST"])
def new_api_token():
    form = ApiTokenForm()
    if form.validate_on_submit():
        user, name = current_user._get_current_object(), form.name.data
        try:
            secret = tokens.create_api_token(user, name, int(form.lifetime.data), utcnow())
        except RuleError as error:
            refuse(form, error)
        else:
            db.session.commit()
            return render_template("profile/api_token_created.html", secret=secret, name=name)
    return render_template("profile/api_token_form.html", form=form)


@bp.post("/api-tokens/<int:token_id>/revoke")
def revoke_api_token(token_id: int):
    token = tokens.api_token_or_404(token_id, current_user)
    try:
        tokens.revoke_api_token(current_user._get_current_object(), token, utcnow())
    except RuleError as error:
        db.session.rollback()
        flash(error.message, "important")
    else:
        db.session.commit()
        flash(f"The token {token.name} is revoked. Anything using it has lost access.", "success")
    return redirect(url_for("profile.access"))
