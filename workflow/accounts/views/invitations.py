"""Invitations: the administrator's list (resend, withdraw), and the person's acceptance."""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user

from workflow.accounts import invitations, partners, sso
from workflow.accounts.access_forms import AcceptInvitationForm, SsoStartForm
from workflow.accounts.emails import send_invitation
from workflow.accounts.views.signing_in import sign_in_as, user_agent
from workflow.core import permissions
from workflow.extensions import db
from workflow.models import Invitation, utcnow
from workflow.web import posted_version, require, run_rule
from workflow.web.hooks import content_security_policy

bp = Blueprint("invitations", __name__)


@bp.get("/users/invitations")
def index():
    require(permissions.can_manage_users(current_user))
    pending = invitations.pending_invitations(current_user.authority, utcnow())
    return render_template(
        "users/invitations.html",
        invitations=pending,
        named_actions=partners.named_references(pending),
        now=utcnow(),
    )


@bp.post("/users/invitations/<int:invitation_id>/resend")
def resend(invitation_id: int):
    require(permissions.can_manage_users(current_user))
    invitation = _invitation_or_404(invitation_id)
    done = run_rule(
        None, invitations.resend_invitation, current_user, invitation, posted_version(), utcnow()
    )
    if done:
        link = url_for("invitations.accept", token=done.result, _external=True)
        sent = send_invitation(invitation, link)
        flash(invitation_message(invitation, sent), "success" if sent else "error")
    return redirect(url_for("invitations.index"))


@bp.post("/users/invitations/<int:invitation_id>/withdraw")
def withdraw(invitation_id: int):
    require(permissions.can_manage_users(current_user))
    invitation = _invitation_or_404(invitation_id)
    if run_rule(
        None, invitations.withdraw_invitation, current_user, invitation, posted_version(), utcnow()
    ):
        flash(
            f"The invitation to {invitation.name} is withdrawn. Its link no longer works.",
            "success",
        )
    return redirect(url_for("invitations.index"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept(token: str):
    invitation = invitations.invitation_for_link(token, utcnow())
    if invitation is None:
        return render_template("auth/link_expired.html", message=invitations.EXPIRED), 404
    form = AcceptInvitationForm()
    if form.validate_on_submit() and (
        done := run_rule(
            form, invitations.accept_invitation, token, form.password.data, user_agent(), utcnow()
        )
    ):
        sign_in_as(*done.result)
        flash("Welcome. Your account is ready.", "success")
        return redirect(url_for("home.index"))
    provider = sso.provider_of(invitation.authority)
    sso_form = (
        SsoStartForm(data={"email": invitation.email}) if provider and provider.enabled else None
    )
    response = make_response(
        render_template(
            "auth/accept_invitation.html",
            form=form,
            invitation=invitation,
            sso_form=sso_form,
            passwords=invitations.takes_password(invitation),
        )
    )
    response.headers["Content-Security-Policy"] = content_security_policy(
        tuple(sso.provider_origins())
    )
    return response


def _invitation_or_404(invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.authority_id != current_user.authority_id:
        abort(404)
    return invitation


def invitation_message(invitation: Invitation, sent: bool) -> str:
    if sent:
        return f"An invitation has been emailed to {invitation.email}. It lasts 7 days."
    return (
        f"The invitation to {invitation.email} is saved but the email could not be sent."
        " Resend it later."
    )
