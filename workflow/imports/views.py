"""Importing a report: upload or paste, review what was found, then confirm."""

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from workflow.core import permissions
from workflow.core.tenancy import report_import_or_404
from workflow.imports import monitoring
from workflow.imports import rules as reports
from workflow.imports.forms import MonitoringReviewForm, ReportUploadForm, ReviewForm
from workflow.imports.monitoring import visit_start
from workflow.models import JobState, ReportImport
from workflow.web import require, run_rule

bp = Blueprint("imports", __name__, url_prefix="/imports")


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(permissions.can_manage_inspections(current_user))
    form = ReportUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        limit = current_app.config["MAX_UPLOAD_BYTES"]
        data = upload.read(limit + 1) if upload and upload.filename else None
        name = upload.filename if data is not None else None
        if done := run_rule(
            form, reports.receive_report, current_user, data, name, form.text.data, limit
        ):  # answers at once: the review page shows the reading's progress
            return redirect(url_for("imports.review", import_id=done.result.id))
    return render_template("imports/new.html", form=form)


@bp.route("/<int:import_id>", methods=["GET", "POST"])
def review(import_id: int):
    require(permissions.can_manage_inspections(current_user))
    report_import = report_import_or_404(import_id, current_user)
    if report_import.confirmed:
        return redirect(url_for("inspections.show", inspection_id=report_import.inspection_id))
    if report_import.status != "ready":
        if request.method == "POST":
            return redirect(url_for("imports.review", import_id=report_import.id))
        return render_template(
            "imports/reading.html",
            report_import=report_import,
            progress=reading_progress(report_import),
        )
    if report_import.parsed["kind"] == "monitoring":
        return _review_monitoring(report_import)
    return _review_report(report_import)


def _review_report(report_import: ReportImport):
    form = ReviewForm(record=report_import)
    confirm = request.form.get("intent") == "confirm"
    if form.validate_on_submit() and (
        done := run_rule(
            form,
            reports.review_import,
            current_user,
            report_import,
            form.posted_version(),
            form.review_rows(),
            confirm=confirm,
            published=form.published.data,
            other_authority_confirmed=form.confirm_other_authority.data,
            partners=form.partner_rows() if report_import.parsed["kind"] == "jtai" else None,
        )
    ):
        if confirm:
            flash("The inspection and its recommendations have been saved.", "success")
            return redirect(url_for("inspections.show", inspection_id=done.result.id))
        flash("Changes applied. Check the list, then confirm.", "success")
        return redirect(url_for("imports.review", import_id=report_import.id))
    return _review_page(form, report_import)


def _review_monitoring(report_import: ReportImport):
    parsed = report_import.parsed
    earlier = monitoring.earlier_inspection(report_import.authority_id, visit_start(parsed))
    form = MonitoringReviewForm(
        obj=report_import,
        recommendations=earlier.recommendations if earlier else (),
        area_count=len(parsed.get("areas", [])),
    )
    if request.method == "GET":
        form.show(monitoring.preselected(parsed, earlier))
    if form.validate_on_submit() and (
        done := run_rule(
            form,
            monitoring.confirm_monitoring,
            current_user,
            report_import,
            form.posted_version(),
            form.chosen(),
            earlier,
            other_authority_confirmed=form.confirm_other_authority.data,
        )
    ):
        flash("The monitoring visit has been recorded against the recommendations.", "success")
        return redirect(url_for("inspections.show", inspection_id=done.result.id))
    return render_template(
        "imports/review_monitoring.html",
        form=form,
        report_import=report_import,
        parsed=parsed,
        earlier=earlier,
        numbers={r.id: r.number for r in earlier.recommendations} if earlier else {},
        recorded_before=monitoring.recorded_before(report_import.authority_id, parsed),
        other_authority=_other_authority(parsed),
    )


@bp.route("/<int:import_id>/status")
def status(import_id: int):
    """The import's progress, polled by the review page while the report is read."""
    require(permissions.can_manage_inspections(current_user))
    report_import = report_import_or_404(import_id, current_user)
    return jsonify(
        {
            "status": report_import.status,
            "error": report_import.error,
            "progress": reading_progress(report_import),
        }
    )


@bp.route("/<int:import_id>/retry", methods=["POST"])
def retry(import_id: int):
    require(permissions.can_manage_inspections(current_user))
    report_import = report_import_or_404(import_id, current_user)
    run_rule(None, reports.retry_import, current_user, report_import)
    return redirect(url_for("imports.review", import_id=report_import.id))


def _review_page(form: ReviewForm, report_import: ReportImport):
    parsed = report_import.parsed
    return render_template(
        "imports/review.html",
        form=form,
        report_import=report_import,
        parsed=parsed,
        kind=reports.inspection_kind(parsed),
        existing=reports.matching_inspection(report_import.authority_id, parsed),
        other_authority=_other_authority(parsed),
        partners=[(p["role"], p["name"]) for p in parsed.get("partners") or []],
    )


def _other_authority(parsed: dict) -> bool:
    return not reports.same_authority(parsed["authority"], current_user.authority.name)


def reading_progress(report_import: ReportImport) -> str:
    """Where the reading has got to, in words, from the import and the job reading it."""
    if not report_import.reading:
        return ""
    job = report_import.job
    if job is not None and job.state is JobState.QUEUED and job.attempts:
        tries = f"try {job.attempts + 1} of {job.max_attempts}"
        return f"The last try did not finish: trying again shortly ({tries})"
    return "Reading the report" if report_import.status == "reading" else "Waiting to start"
