"""Background jobs of accounts: telling a person their account is being guessed at."""

from flask import current_app, url_for

from workflow.accounts.emails import send_sign_in_alert
from workflow.accounts.throttling import ALERT_JOB
from workflow.extensions import db
from workflow.jobs import JobRefused, job
from workflow.models import User


class AlertNotSent(Exception):
    """The mail server did not take the email; the job is tried again later."""


@job(ALERT_JOB)
def send_alert(user_id: int, failures: int) -> dict:
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise JobRefused("The account is gone or disabled: nobody to tell")
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        account_url = url_for("auth.account", _external=True)
        reset_url = url_for("resets.request_link", _external=True)
    if not send_sign_in_alert(user, failures, account_url, reset_url):
        raise AlertNotSent(f"Sign-in alert to user {user_id} not sent")
    return {"sent_to": user_id}
