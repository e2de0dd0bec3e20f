"""Importing a report: upload or paste, review what was found, then confirm."""

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflow.core import permissions
from workflow.core.errors import RuleError
from workflow.extensions import db
from workflow.imports import rules as reports
from workflow.imports.forms import ReportUploadForm, ReviewForm
from workflow.models import ReportImport
from workflow.web import refuse, require

bp = Blueprint("imports", __name__, url_prefix="/imports")


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(permissions.can_manage_inspections(current_user))
    form = ReportUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read() if upload and upload.filename else None
        name = upload.filename if data is not None else "Pasted text"
        limit = current_app.config["MAX_UPLOAD_BYTES"]
        try:
            report = reports.read_report(data, name, form.text.data, limit)
            report_import = reports.start_import(
                current_user, report, name, data or form.text.data.encode()
            )
        except RuleError as error:
            refuse(form, error)
        else:
            db.session.commit()
            return redirect(url_for("imports.review", import_id=report_import.id))
    return render_template("imports/new.html", form=form)


@bp.route("/<int:import_id>", methods=["GET", "POST"])
def review(import_id: int):
    require(permissions.can_manage_inspections(current_user))
    report_import = _import_or_404(import_id)
    if report_import.confirmed:
        return redirect(url_for("inspections.show", inspection_id=report_import.inspection_id))
    form = ReviewForm(obj=report_import)
    if request.method == "GET":
        form.show(report_import.parsed["recommendations"])
    if form.validate_on_submit():
        try:
            reports.revise_import(
                current_user, report_import, form.posted_version(), form.review_rows()
            )
            if request.form.get("intent") == "confirm":
                inspection = reports.confirm_import(
                    current_user, report_import, report_import.version
                )
        except RuleError as error:
            refuse(form, error, report_import)
        else:
            db.session.commit()
            if request.form.get("intent") == "confirm":
                flash("The inspection and its recommendations have been saved.", "success")
                return redirect(url_for("inspections.show", inspection_id=inspection.id))
            flash("Changes applied. Check the list, then confirm.", "success")
            return redirect(url_for("imports.review", import_id=report_import.id))
    return _review_page(form, report_import)


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


def _import_or_404(import_id: int) -> ReportImport:
    query = sa.select(ReportImport).where(
        ReportImport.id == import_id, ReportImport.authority_id == current_user.authority_id
    )
    return db.session.scalar(query) or abort(404)
