"""Service areas for the authority's administrators: add, rename, retire."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from workflow.accounts import service_areas
from workflow.accounts.access_forms import ServiceAreaForm
from workflow.core import permissions
from workflow.extensions import db
from workflow.models import ServiceArea, utcnow
from workflow.web import require, run_button, run_rule

bp = Blueprint("service_areas", __name__, url_prefix="/service-areas")


@bp.route("", methods=["GET", "POST"])
def index():
    require(permissions.can_manage_users(current_user))
    form = ServiceAreaForm()
    if form.validate_on_submit() and run_rule(
        form, service_areas.add_service_area, current_user, current_user.authority, form.name.data
    ):
        flash(f"{form.name.data} added.", "success")
        return redirect(url_for("service_areas.index"))
    areas = service_areas.all_service_areas(current_user.authority)
    return render_template("service_areas/index.html", form=form, areas=areas)


@bp.route("/<int:area_id>/rename", methods=["GET", "POST"])
def rename(area_id: int):
    require(permissions.can_manage_users(current_user))
    area = _area_or_404(area_id)
    form = ServiceAreaForm(obj=area)
    if form.validate_on_submit() and run_rule(
        form, service_areas.rename_service_area, current_user, area, form.name.data
    ):
        flash("Service area renamed.", "success")
        return redirect(url_for("service_areas.index"))
    return render_template("service_areas/rename.html", form=form, area=area)


@bp.post("/<int:area_id>/retire")
def retire(area_id: int):
    require(permissions.can_manage_users(current_user))
    area = _area_or_404(area_id)
    return run_button(
        service_areas.retire_service_area,
        current_user,
        area,
        utcnow(),
        success=f"{area.name} is retired. It is no longer offered for people or actions.",
        back=url_for("service_areas.index"),
    )


def _area_or_404(area_id: int) -> ServiceArea:
    area = db.session.get(ServiceArea, area_id)
    if area is None or area.authority_id != current_user.authority_id:
        abort(404)
    return area
