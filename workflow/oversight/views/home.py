"""The home page: each role lands on the work waiting for it."""

from datetime import date

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from workflow.models import Role, User
from workflow.oversight import home as workload
from workflow.signoff.cover import cover_of

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    home = HOMES.get(current_user.role)
    if home is None:
        # Viewers read the dashboard: they have no work of their own.
        return redirect(url_for("dashboard.index"))
    today = date.today()
    template, values = home(current_user._get_current_object(), today)
    return render_template(template, today=today, **values)


def _service_manager(user: User, today: date) -> tuple[str, dict]:
    values = {
        "actions": workload.open_actions_owned(user),
        "returned": workload.returned_updates(user),
    }
    return "home/service_manager.html", values


def _partner(user: User, today: date) -> tuple[str, dict]:
    """A partner's home: the actions they were invited to, and updates returned to them."""
    values = {
        "actions": workload.open_actions_owned(user),
        "returned": workload.returned_updates(user),
    }
    return "home/partner.html", values


def _head_of_service(user: User, today: date) -> tuple[str, dict]:
    values = {
        "queue": workload.approval_queue(user, today),
        "cover": cover_of(user),
        "overdue": workload.area_overdue(user, today),
        "at_risk": workload.area_at_risk(user, today),
    }
    return "home/head_of_service.html", values


def _administrator(user: User, today: date) -> tuple[str, dict]:
    return "home/administrator.html", {"to_do": workload.admin_to_do(user, url_for)}


def _director(user: User, today: date) -> tuple[str, dict]:
    values = {
        "queue": workload.approval_queue(user, today),
        "escalated": workload.escalated_updates(user, today),
        "plans": workload.plans_to_issue(user),
        "ready": workload.ready_to_close(user),
    }
    return "home/director.html", values


HOMES = {
    Role.ADMINISTRATOR: _administrator,
    Role.SERVICE_MANAGER: _service_manager,
    Role.HEAD_OF_SERVICE: _head_of_service,
    Role.DIRECTOR: _director,
    Role.PARTNER: _partner,
}
