"""Actions: one action's page, and the forms to create and edit actions."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from workflow.core import permissions
from workflow.core.tenancy import action_or_404, colleagues, recommendation_or_404, service_areas
from workflow.models import Action, Role
from workflow.planning import rules as planning
from workflow.planning.forms import ActionForm, MeasureForm
from workflow.planning.pages import action_page
from workflow.web import page_number, require, run_rule

bp = Blueprint("actions", __name__)


@bp.get("/actions/<int:action_id>")
def show(action_id: int):
    action = action_or_404(action_id, current_user)
    return render_template(
        "actions/show.html",
        action=action,
        page=action_page(action, current_user, page_number()),
        can_edit=permissions.can_edit_action(current_user, action),
        can_write_update=permissions.can_write_update(current_user, action),
        can_browse=permissions.can_browse_authority(current_user),
    )


@bp.route("/recommendations/<int:recommendation_id>/actions/new", methods=["GET", "POST"])
def new(recommendation_id: int):
    recommendation = recommendation_or_404(recommendation_id, current_user)
    require(permissions.can_create_action(current_user))
    form = action_form(None)
    if form.validate_on_submit():
        values = form.values()
        require(_may_use_area(values["service_area_id"]))
        if done := run_rule(form, planning.create_action, current_user, recommendation, **values):
            flash(f"Action {done.result.reference} added.", "success")
            return redirect(url_for("actions.show", action_id=done.result.id))
    return render_template(
        "actions/form.html", form=form, recommendation=recommendation, action=None
    )


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
def edit(action_id: int):
    action = action_or_404(action_id, current_user)
    require(permissions.can_edit_action(current_user, action))
    form = action_form(action, record=action)
    if form.validate_on_submit():
        values, reason = form.values(), form.due_date_reason.data or None
        require(_may_use_area(values["service_area_id"]))
        version = form.posted_version()
        if run_rule(
            form,
            planning.edit_action,
            current_user,
            action,
            version,
            reason,
            today=date.today(),
            **values,
        ):
            flash(f"Action {action.reference} updated.", "success")
            return redirect(url_for("actions.show", action_id=action.id))
    return render_template(
        "actions/form.html", form=form, recommendation=action.recommendation, action=action
    )


def action_form(action: Action | None, **kwargs) -> ActionForm:
    """The form, offering as owner and delegate only people who may write the action's
    updates (a new action's area is the head's own, or still to be chosen; partners only on
    an action they were invited to)."""
    area_id = action.service_area_id if action else None
    if area_id is None and current_user.role is Role.HEAD_OF_SERVICE:
        area_id = current_user.service_area_id
    action_id = action.id if action else None
    people = [
        p for p in colleagues(current_user) if permissions.can_own_action(p, area_id, action_id)
    ]
    return ActionForm(people=people, areas=service_areas(current_user), **kwargs)


def _may_use_area(service_area_id: int) -> bool:
    """A head of service files actions only under their own service area."""
    return permissions.can_assign_area(current_user, service_area_id)


@bp.route("/actions/<int:action_id>/measures/new", methods=["GET", "POST"])
def new_measure(action_id: int):
    action = action_or_404(action_id, current_user)
    require(permissions.can_edit_action(current_user, action))
    form = MeasureForm()
    if form.validate_on_submit() and run_rule(
        form, planning.add_measure, current_user, action, **form.values()
    ):
        flash("Measure added.", "success")
        return redirect(url_for("actions.show", action_id=action.id))
    return render_template("actions/measure_form.html", form=form, action=action)
