"""The emails that carry invitation and password reset links, sent after the commit."""

import smtplib

from flask import current_app

from workflow.accounts.email_changes import address_in_use
from workflow.core.mail import outbox
from workflow.models import EmailChange, Invitation, User

SERVICE = "Ofsted action plans"


def send_invitation(invitation: Invitation, link: str) -> bool:
    """Whether the invitation went out; a failure leaves it pending, to be resent.

    An address that already has an account (with another council: this one's are refused)
    is told so instead of given a link; the administrator sees no difference.
    """
    if address_in_use(invitation.email):
        body = (
            f"Dear {invitation.name},\n\n"
            f"{invitation.authority.name} has invited you to {SERVICE}, but this email address"
            " already has an account on the service, with another council. An address can"
            " belong to one account only, so you cannot join with it.\n\n"
            f"If you need to work with {invitation.authority.name} too, ask its improvement"
            " officer to invite another of your addresses.\n"
        )
        return _send(invitation.name, invitation.email, f"You are invited to {SERVICE}", body)
    body = (
        f"Dear {invitation.name},\n\n"
        f"{invitation.authority.name} has invited you to {SERVICE} as"
        f" {invitation.role.label.lower()}.\n\n"
        f"Accept the invitation and choose how to sign in:\n{link}\n\n"
        f"The link works once and expires on {invitation.expires_at:%-d %B %Y at %H:%M} (UTC).\n"
        "If you did not expect this email, you can ignore it.\n"
    )
    return _send(invitation.name, invitation.email, f"You are invited to {SERVICE}", body)


def send_password_reset(email: str, user: User | None, link: str | None) -> bool:
    """Every request gets an email, so the time taken does not tell whether an account exists."""
    if user is None or link is None:
        body = (
            f"Someone asked to reset the password for {email} on {SERVICE}.\n\n"
            "There is no account with this email address, so nothing has changed.\n"
            "If you work for a council that uses the service, ask its improvement officer to"
            " invite you.\n"
        )
        return _send("", email, f"Password reset for {SERVICE}", body)
    body = (
        f"Dear {user.name},\n\n"
        f"Reset your password for {SERVICE} with this link:\n{link}\n\n"
        "The link works once, for one hour. Resetting signs you out everywhere.\n"
        "If you did not ask for this, ignore this email: your password stays as it is.\n"
    )
    return _send(user.name, user.email, f"Password reset for {SERVICE}", body)


def send_email_change(change: EmailChange, link: str) -> bool:
    """The link that confirms a new address; an address already in use is told so instead."""
    user = change.user
    if address_in_use(change.email):
        body = (
            f"Someone at {user.authority.name} asked to use this email address for an account"
            f" on {SERVICE}, but it already belongs to another account. An address can belong"
            " to one account only, so nothing has changed.\n\n"
            "If you did not expect this email, you can ignore it.\n"
        )
        return _send("", change.email, f"Confirm your email address for {SERVICE}", body)
    body = (
        f"Dear {user.name},\n\n"
        f"{user.authority.name} has changed your email address for {SERVICE} to this one."
        " To confirm it, open this link and sign in as you do now:\n"
        f"{link}\n\n"
        f"Until you confirm it you sign in with {user.email}. The link works once and expires"
        f" on {change.expires_at:%-d %B %Y at %H:%M} (UTC).\n"
        "If you did not expect this email, you can ignore it.\n"
    )
    return _send(user.name, change.email, f"Confirm your email address for {SERVICE}", body)


def send_sign_in_alert(user: User, failures: int, account_url: str, reset_url: str) -> bool:
    """Someone is guessing at the account: say so, and what to do, without alarming."""
    minutes = current_app.config["SIGN_IN_WINDOW_SECONDS"] // 60
    body = (
        f"Dear {user.name},\n\n"
        f"There have been {failures} failed attempts to sign in to your {SERVICE} account"
        f" ({user.email}) in the last {minutes} minutes.\n\n"
        "If this was you, you do not need to do anything. If you have forgotten your"
        f" password, you can reset it:\n{reset_url}\n\n"
        "If it was not you, someone may be trying to guess your password. We slow their"
        " attempts down, and you can still sign in as usual. To be safe:\n"
        "- make sure you do not use this password for anything else\n"
        f"- change it on Your account, choosing three random words:\n  {account_url}\n"
        "- tell your council's improvement officer or IT security team\n\n"
        "We send this email at most once an hour.\n"
    )
    subject = f"Someone is trying to sign in to your {SERVICE} account"
    return _send(user.name, user.email, subject, body)


def _send(name: str, address: str, subject: str, body: str) -> bool:
    try:
        with outbox() as mail:
            mail.send(name, address, subject, body)
    except (smtplib.SMTPException, OSError) as error:
        current_app.logger.warning("Could not send %r to %s: %s", subject, address, error)
        return False
    return True
