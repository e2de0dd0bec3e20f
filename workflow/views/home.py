"""The home page: each role lands on the work waiting for it."""

from datetime import date

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from workflow import workload
from workflow.models import Role

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    today = date.today()
    user = current_user._get_current_object()
    if user.role is Role.SERVICE_MANAGER:
        return render_template(
            "home/service_manager.html",
            actions=workload.open_actions_owned(user),
            returned=workload.returned_updates(user),
            today=today,
        )
    if user.role is Role.HEAD_OF_SERVICE:
        return render_template(
            "home/head_of_service.html",
            queue=workload.approval_queue(user),
            overdue=workload.area_overdue(user, today),
            at_risk=workload.area_at_risk(user, today),
            today=today,
        )
    if user.role is Role.DIRECTOR:
        return render_template(
            "home/director.html",
            plans=workload.plans_to_issue(user),
            ready=workload.ready_to_close(user),
        )
    # Viewers (and administrators, who set things up) start from the dashboard.
    return redirect(url_for("dashboard.index"))
