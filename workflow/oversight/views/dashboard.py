"""The dashboard, for an authority's inspections or one inspection, and its CSV."""

from datetime import date

from flask import Blueprint, Response, render_template, request, url_for
from flask_login import current_user

from workflow.core import permissions
from workflow.core.tenancy import colleagues, inspection_or_404, service_areas
from workflow.extensions import db
from workflow.models import Inspection
from workflow.oversight import charts as rag_charts
from workflow.oversight import dashboard as oversight
from workflow.oversight.forms import DashboardFilterForm
from workflow.web import page_number, require

bp = Blueprint("dashboard", __name__)

PER_PAGE = 25


@bp.get("/dashboard")
def index():
    require(permissions.can_browse_authority(current_user))
    return _dashboard(None)


@bp.get("/inspections/<int:inspection_id>/dashboard")
def inspection(inspection_id: int):
    return _dashboard(inspection_or_404(inspection_id, current_user))


@bp.get("/dashboard.csv")
def csv():
    require(permissions.can_browse_authority(current_user))
    return _csv(None)


@bp.get("/inspections/<int:inspection_id>/dashboard.csv")
def inspection_csv(inspection_id: int):
    return _csv(inspection_or_404(inspection_id, current_user))


def _dashboard(inspection: Inspection | None):
    form = _filter_form()
    filters = form.filters(inspection.id if inspection else None)
    today = date.today()
    figures = oversight.figures(current_user, filters, today)
    query = oversight.action_list(current_user, filters, today)
    # The summary has counted the filtered actions already: the page need not count again.
    page = db.paginate(query, page=page_number(), per_page=PER_PAGE, error_out=False, count=False)
    page.total = figures.summary.total
    return render_template(
        "dashboard/index.html",
        inspection=inspection,
        form=form,
        summary=figures.summary,
        by_recommendation=figures.by_recommendation,
        by_recommendation_chart=rag_charts.stacked_bars(figures.by_recommendation),
        weekly=figures.weekly,
        weekly_chart=rag_charts.stacked_bars(figures.weekly),
        page=page,
        csv_url=_csv_url(inspection, form),
        today=today,
    )


def _csv(inspection: Inspection | None):
    filters = _filter_form().filters(inspection.id if inspection else None)
    today = date.today()
    actions = db.session.scalars(oversight.action_list(current_user, filters, today)).unique()
    name = f"actions-{today.isoformat()}.csv"
    return Response(
        oversight.actions_csv(actions, today),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _filter_form() -> DashboardFilterForm:
    people = colleagues(current_user, active_only=False)
    return DashboardFilterForm(request.args, service_areas(current_user), people)


def _csv_url(inspection: Inspection | None, form: DashboardFilterForm) -> str:
    if inspection is None:
        return url_for("dashboard.csv", **form.chosen())
    return url_for("dashboard.inspection_csv", inspection_id=inspection.id, **form.chosen())
