"""Inspections: the list, one inspection's page, and the forms to create and edit them."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from workflow.core import permissions
from workflow.core.deadlines import inspection_deadlines
from workflow.core.tenancy import colleagues, inspection_or_404, inspections_of
from workflow.extensions import db
from workflow.models import Inspection
from workflow.planning import rules as planning
from workflow.planning.forms import InspectionForm
from workflow.planning.pages import monitoring_visits, rag_counts_by_recommendation
from workflow.web import page_number, require, run_rule

bp = Blueprint("inspections", __name__, url_prefix="/inspections")


@bp.get("")
def index():
    require(permissions.can_browse_authority(current_user))
    query = inspections_of(current_user).order_by(Inspection.start_date.desc())
    page = db.paginate(query, page=page_number(), per_page=20, error_out=False)
    can_create = permissions.can_manage_inspections(current_user)
    return render_template("inspections/index.html", page=page, can_create=can_create)


@bp.get("/<int:inspection_id>")
def show(inspection_id: int):
    inspection = inspection_or_404(inspection_id, current_user)
    return render_template(
        "inspections/show.html",
        inspection=inspection,
        rag_counts=rag_counts_by_recommendation(inspection, date.today()),
        can_edit=permissions.can_manage_inspections(current_user),
        deadlines=inspection_deadlines(inspection, date.today()),
        monitoring_visits=monitoring_visits(inspection),
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(permissions.can_manage_inspections(current_user))
    form = InspectionForm(people=colleagues(current_user, staff_only=True))
    if form.validate_on_submit() and (
        done := run_rule(
            form, planning.create_inspection, current_user, form.judgement_rows(), **form.values()
        )
    ):
        flash("Inspection added.", "success")
        return redirect(url_for("inspections.show", inspection_id=done.result.id))
    return render_template("inspections/form.html", form=form, inspection=None)


@bp.route("/<int:inspection_id>/edit", methods=["GET", "POST"])
def edit(inspection_id: int):
    inspection = inspection_or_404(inspection_id, current_user)
    require(permissions.can_manage_inspections(current_user))
    form = InspectionForm(record=inspection, people=colleagues(current_user, staff_only=True))
    if form.validate_on_submit() and run_rule(
        form,
        planning.edit_inspection,
        current_user,
        inspection,
        form.posted_version(),
        form.judgement_rows(),
        **form.values(),
    ):
        flash("Inspection updated.", "success")
        return redirect(url_for("inspections.show", inspection_id=inspection.id))
    return render_template("inspections/form.html", form=form, inspection=inspection)
