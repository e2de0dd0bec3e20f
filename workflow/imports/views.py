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
from workflow.imports import rules as reports
from workflow.imports.forms import ReportUploadForm, ReviewForm
from workflow.imports.jobs import start_parse
from workflow.models import ReportImport
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
        ):
            start_parse(done.result.id)  # answers at once: the review page shows progress
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
        return render_template("imports/reading.html", report_import=report_import)
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
        )
    ):
        if confirm:
            flash("The inspection and its recommendations have been saved.", "success")
            return redirect(url_for("inspections.show", inspection_id=done.result.id))
        flash("Changes applied. Check the list, then confirm.", "success")
        return redirect(url_for("imports.review", import_id=report_import.id))
    return _review_page(form, report_import)


@bp.route("/<int:import_id>/status")
def status(import_id: int):
    """The import's progress, polled by the review page while the report is read."""
    require(permissions.can_manage_inspections(current_user))
    report_import = report_import_or_404(import_id, current_user)
    return jsonify({"status": report_import.status, "error": report_import.error})


@bp.route("/<int:import_id>/retry", methods=["POST"])
def retry(import_id: int):
    require(permissions.can_manage_inspections(current_user))
    report_import = report_import_or_404(import_id, current_user)
    if run_rule(None, reports.retry_import, current_user, report_import):
        start_parse(report_import.id)
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
        other_authority=not reports.same_authority(
            parsed["authority"], current_user.authority.name
        ),
    )
