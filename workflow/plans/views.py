"""The action plan: the on-screen plan, exports, issuing versions, comparing, board report.

Everyone in the authority may read and export the plan; only a director issues it.
"""

import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from workflow.core import permissions
from workflow.core.deadlines import inspection_deadlines
from workflow.core.tenancy import inspection_or_404, plan_version_or_404
from workflow.plans import exports, versions
from workflow.plans.board_report import build_report, default_period
from workflow.plans.builder import build_plan
from workflow.plans.forms import ClearHitForm, IssuePlanForm, ReportPeriodForm
from workflow.plans.privacy import outstanding_hits
from workflow.web import require, run_button, run_rule

bp = Blueprint("plans", __name__)


@bp.get("/inspections/<int:inspection_id>/plan")
def show(inspection_id: int):
    inspection = inspection_or_404(inspection_id, current_user)
    return render_template(
        "plans/show.html",
        inspection=inspection,
        plan=build_plan(inspection, date.today()),
        deadlines=inspection_deadlines(inspection, date.today()),
        versions=versions.versions_of(inspection),
        formats=exports.PLAN_FORMATS,
        can_issue=permissions.can_issue_plan(current_user),
    )


@bp.get("/inspections/<int:inspection_id>/plan/export.<fmt>")
def export(inspection_id: int, fmt: str):
    inspection = inspection_or_404(inspection_id, current_user)
    if fmt not in exports.PLAN_FORMATS:
        abort(404)
    data = exports.export_plan(build_plan(inspection, date.today()), fmt)
    return _file(data, fmt, exports.file_name(inspection, "action-plan", fmt, date.today()))


@bp.route("/inspections/<int:inspection_id>/plan/issue", methods=["GET", "POST"])
def issue(inspection_id: int):
    inspection = inspection_or_404(inspection_id, current_user)
    require(permissions.can_issue_plan(current_user))
    form = IssuePlanForm()
    if form.validate_on_submit() and (
        done := run_rule(
            form, versions.issue_plan, current_user, inspection, form.details(), date.today()
        )
    ):
        flash(f"{done.result.label} issued.", "success")
        return redirect(url_for("plans.show", inspection_id=inspection.id))
    hits = outstanding_hits(build_plan(inspection, date.today()), inspection)
    return render_template(
        "plans/issue.html",
        inspection=inspection,
        form=form,
        hits=hits,
        can_clear=permissions.can_clear_privacy_hit(current_user),
    )


@bp.post("/inspections/<int:inspection_id>/plan/privacy-check")
def clear_hit(inspection_id: int):
    inspection = inspection_or_404(inspection_id, current_user)
    require(permissions.can_clear_privacy_hit(current_user))
    form = ClearHitForm()
    if not form.validate_on_submit():
        abort(400)
    return run_button(
        versions.clear_hit,
        current_user,
        inspection,
        form.fingerprint.data,
        date.today(),
        success="Marked as not personal data.",
        back=url_for("plans.issue", inspection_id=inspection.id),
    )


@bp.get("/plan-versions/<int:version_id>/download.<fmt>")
def download(version_id: int, fmt: str):
    version = plan_version_or_404(version_id, current_user)
    if fmt not in ("docx", "pdf") or not version.frozen:
        abort(404)  # not frozen yet: the plan page says the files are being prepared
    what = f"action-plan-version-{version.number}"
    name = exports.file_name(version.inspection, what, fmt, version.sent_to_ofsted_on)
    response = _file(getattr(version, fmt), fmt, name)
    response.set_etag(getattr(version, f"{fmt}_sha256"))
    return response


@bp.get("/inspections/<int:inspection_id>/plan/compare")
def compare(inspection_id: int):
    inspection = inspection_or_404(inspection_id, current_user)
    issued = versions.versions_of(inspection)
    chosen = versions.choose_pair(issued, request.args.get("from"), request.args.get("to"))
    changes = versions.compare_choice(inspection, issued, chosen, date.today()) if chosen else None
    return render_template(
        "plans/compare.html", inspection=inspection, versions=issued, chosen=chosen, changes=changes
    )


@bp.get("/inspections/<int:inspection_id>/report")
def report(inspection_id: int):
    inspection = inspection_or_404(inspection_id, current_user)
    since, until = default_period(date.today())
    form = ReportPeriodForm(request.args or None, since=since, until=until)
    board_report = None
    if form.validate():
        board_report = build_report(inspection, form.since.data, form.until.data, date.today())
    return render_template(
        "plans/report.html",
        inspection=inspection,
        form=form,
        report=board_report,
        formats=exports.REPORT_FORMATS,
    )


@bp.get("/inspections/<int:inspection_id>/report/export.<fmt>")
def report_export(inspection_id: int, fmt: str):
    inspection = inspection_or_404(inspection_id, current_user)
    if fmt not in exports.REPORT_FORMATS:
        abort(404)
    since, until = _iso_date("since"), _iso_date("until")
    if until < since:
        abort(400)
    data = exports.export_report(build_report(inspection, since, until, date.today()), fmt)
    return _file(data, fmt, exports.file_name(inspection, "board-report", fmt, until))


def _iso_date(name: str) -> date:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        abort(400)


def _file(data: bytes, fmt: str, name: str):
    mimetype = exports.PLAN_FORMATS[fmt].mimetype  # the report's formats are a subset
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
