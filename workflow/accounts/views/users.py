"""User administration for an authority's administrators."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from workflow.accounts import email_changes, invitations, partners, sessions
from workflow.accounts import rules as accounts
from workflow.accounts.emails import send_email_change, send_invitation
from workflow.accounts.forms import NewUserForm, PartnerActionsForm, UserForm
from workflow.accounts.views.invitations import invitation_message
from workflow.core import permissions
from workflow.core.tenancy import service_areas, user_or_404
from workflow.extensions import db
from workflow.models import EmailChange, Role, ServiceArea, utcnow
from workflow.web import page_number, require, run_rule

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.get("")
def index():
    require(permissions.can_manage_users(current_user))
    query = accounts.users_by_name(current_user.authority)
    page = db.paginate(query, page=page_number(), per_page=25, error_out=False)
    return render_template("users/index.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(permissions.can_manage_users(current_user))
    form = NewUserForm(
        areas=service_areas(current_user), actions=partners.actions_to_offer(current_user.authority)
    )
    if form.validate_on_submit() and (
        done := run_rule(
            form,
            invitations.invite_user,
            current_user,
            current_user.authority,
            email=form.email.data,
            name=form.name.data,
            role=Role(form.role.data),
            service_area=_area(form.service_area_id.data),
            now=utcnow(),
            action_ids=form.action_ids.data or [],
        )
    ):
        invitation, token = done.result
        link = url_for("invitations.accept", token=token, _external=True)
        sent = send_invitation(invitation, link)
        flash(invitation_message(invitation, sent), "success" if sent else "error")
        return redirect(url_for("invitations.index"))
    return render_template("users/form.html", form=form, user=None)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    require(permissions.can_manage_users(current_user))
    user = user_or_404(user_id, current_user)
    form = UserForm(record=user, areas=service_areas(current_user))
    if form.validate_on_submit() and (
        done := run_rule(
            form,
            accounts.edit_user,
            current_user,
            user,
            form.posted_version(),
            utcnow(),
            name=form.name.data,
            email=form.email.data,
            role=Role(form.role.data),
            service_area=_area(form.service_area_id.data),
            active=form.active.data,
        )
    ):
        flash(f"{user.name}'s account has been updated.", "success")
        if done.result:
            _send_email_change(*done.result)
        return redirect(url_for("users.index"))
    now = utcnow()
    return render_template(
        "users/form.html",
        form=form,
        user=user,
        open_sessions=len(sessions.live_sessions(user, now)),
        email_changes=email_changes.pending_changes(user, now),
        partner_actions=partners.partner_actions(user) if user.role.is_partner else None,
    )


@bp.route("/<int:user_id>/actions", methods=["GET", "POST"])
def partner_actions(user_id: int):
    """The actions a partner contributor reports on: an administrator adds and removes them."""
    require(permissions.can_manage_users(current_user))
    partner = user_or_404(user_id, current_user)
    if not partner.role.is_partner:
        abort(404)  # only partners have a list of actions
    current = partners.partner_actions(partner)
    # Those already reported on stay offered, so completing one does not drop the partner.
    offered = partners.actions_to_offer(current_user.authority)
    offered += [a for a in current if a not in offered]
    form = PartnerActionsForm(record=partner, actions=offered, current=current)
    if form.validate_on_submit() and (
        done := run_rule(
            form,
            partners.set_partner_actions,
            current_user,
            partner,
            form.posted_version(),
            form.action_ids.data,
            utcnow(),
        )
    ):
        added, removed = done.result
        flash(_partner_actions_message(partner, added, removed), "success")
        return redirect(url_for("users.edit", user_id=partner.id))
    return render_template("users/partner_actions.html", form=form, partner=partner)


def _partner_actions_message(partner, added, removed) -> str:
    if not (added or removed):
        return f"{partner.name}'s actions are unchanged."
    parts = []
    if added:
        parts.append("added " + ", ".join(a.reference for a in added))
    if removed:
        parts.append("removed " + ", ".join(a.reference for a in removed))
    return f"{partner.name}'s actions saved: " + "; ".join(parts) + "."


@bp.post("/<int:user_id>/sign-out-everywhere")
def sign_out_everywhere(user_id: int):
    require(permissions.can_manage_users(current_user))
    user = user_or_404(user_id, current_user)
    done = run_rule(None, sessions.end_every_session, current_user, user, utcnow())
    if done:
        flash(f"{user.name} has been signed out everywhere.", "success")
    return redirect(url_for("users.edit", user_id=user.id))


def _send_email_change(change: EmailChange, token: str) -> None:
    link = url_for("profile.confirm_email", token=token, _external=True)
    if send_email_change(change, link):
        flash(
            f"We have emailed {change.email} a link to confirm the new address. Until it is"
            f" confirmed, {change.user.name} signs in with {change.user.email}.",
            "success",
        )
    else:
        flash(f"The email to {change.email} could not be sent. Save the address again later.")


def _area(service_area_id: int | None) -> ServiceArea | None:
    if service_area_id is None:
        return None
    area = db.session.get(ServiceArea, service_area_id)
    return area if area and area.authority_id == current_user.authority_id else None
