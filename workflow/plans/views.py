"""The action plan: the on-screen plan, exports, issuing versions, comparing, board report.

Everyone in the authority may read and export the plan; only a director issues it.
"""

import io
import re
from datetime import date

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from workflow.core import permissions
from workflow.core.deadlines import inspection_deadlines
from workflow.core.storage import current_store
from workflow.core.tenancy import inspection_or_404, plan_version_or_404, update_or_404
from workflow.extensions import db
from workflow.models import PlanVersion
from workflow.planning.pages import monitoring_visits
from workflow.plans import exports, versions
from workflow.plans.board_report import build_report, default_period
from workflow.plans.builder import build_plan
from workflow.plans.forms import (
    ClearHitForm,
    IntroductionForm,
    IssuePlanForm,
    LogoForm,
    RedactUpdateForm,
    ReportPeriodForm,
    SelfEvaluationForm,
)
from workflow.plans.logo import remove_logo, set_logo
from workflow.plans.privacy import describe_hits, outstanding_hits, update_hits
from workflow.plans.redaction import redact_update
from workflow.plans.self_evaluation import area_titles, build_self_evaluation, edit_self_evaluation
from workflow.web import require, run_button, run_rule

bp = Blueprint("plans", __name__)


@bp.get("/inspections/<int:inspection_id>/plan")
def show(inspection_id: int):
    inspection = inspection_or_404(inspection_id, current_user)
    issued = versions.versions_of(inspection)
    return render_template(
        "plans/show.html",
        inspection=inspection,
        plan=build_plan(inspection, date.today()),
        deadlines=inspection_deadlines(inspection, date.today()),
        versions=issued,
        sent_on=min((v.sent_to_ofsted_on for v in issued), default=None),
        formats=exports.PLAN_FORMATS,
        can_issue=permissions.can_issue_plan(current_user),
        monitoring_visits=monitoring_visits(inspection),
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
    what = f"action-plan-version-{version.number}"
    name = exports.file_name(version.inspection, what, fmt, version.sent_to_ofsted_on)
    response = _file(_frozen(version, fmt), fmt, name)
    response.set_etag(version.digest_of(fmt))
    return response


@bp.route("/inspections/<int:inspection_id>/plan/introduction", methods=["GET", "POST"])
def introduction(inspection_id: int):
    inspection = inspection_or_404(inspection_id, current_user)
    require(permissions.can_issue_plan(current_user))
    form = IntroductionForm(record=inspection)
    if form.validate_on_submit() and run_rule(
        form,
        versions.edit_introduction,
        current_user,
        inspection,
        form.introduction.data or "",
        form.posted_version(),
    ):
        flash("Introduction saved. The next version issued will carry it.", "success")
        return redirect(url_for("plans.show", inspection_id=inspection.id))
    return render_template("plans/introduction.html", inspection=inspection, form=form)


@bp.route("/settings/logo", methods=["GET", "POST"])
def logo():
    require(permissions.can_manage_users(current_user))
    authority = current_user.authority
    form = LogoForm()
    if form.validate_on_submit():
        upload = form.logo.data
        data = upload.read(1_000_001) if upload else b""
        if run_rule(form, set_logo, current_user, authority, data):
            flash("Logo saved. The plan's cover now shows it.", "success")
            return redirect(url_for("plans.logo"))
    return render_template("plans/logo.html", form=form, authority=authority)


@bp.post("/settings/logo/remove")
def remove_logo_view():
    require(permissions.can_manage_users(current_user))
    return run_button(
        remove_logo,
        current_user,
        current_user.authority,
        success="Logo removed.",
        back=url_for("plans.logo"),
    )


@bp.get("/settings/logo/image")
def logo_image():
    authority = current_user.authority
    if not authority.logo:
        abort(404)
    response = Response(authority.logo, mimetype=authority.logo_type)
    # An SVG shown by itself could run script if one ever slipped past the check.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/plan-versions/<int:version_id>/publish")
def publish(version_id: int):
    version = plan_version_or_404(version_id, current_user)
    require(permissions.can_issue_plan(current_user))
    return run_button(
        versions.publish_version,
        current_user,
        version,
        date.today(),
        success=f"{version.label} published.",
        back=url_for("plans.show", inspection_id=version.inspection_id),
    )


@bp.post("/plan-versions/<int:version_id>/withdraw")
def withdraw(version_id: int):
    version = plan_version_or_404(version_id, current_user)
    require(permissions.can_issue_plan(current_user))
    return run_button(
        versions.withdraw_publication,
        current_user,
        version,
        success=f"{version.label} withdrawn from publication.",
        back=url_for("plans.show", inspection_id=version.inspection_id),
    )


@bp.get("/published/<token>")
def published(token: str):
    """The published plan: no sign-in, at an address nobody can guess."""
    version = _published_or_404(token)
    page = _frozen(version, "html").decode("utf-8")
    pdf_link = url_for("plans.published_pdf", token=token)
    response = Response(_with_pdf_link(page, pdf_link), mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    return response


@bp.get("/published/<token>/plan.pdf")
def published_pdf(token: str):
    version = _published_or_404(token)
    name = exports.file_name(
        version.inspection, f"action-plan-version-{version.number}", "pdf", version.published_on
    )
    return _file(_frozen(version, "pdf"), "pdf", name)


def _frozen(version: PlanVersion, fmt: str) -> bytes:
    """The frozen file, checked against its SHA-256 (a mismatch is AlteredFile's error page).
    404 when there is none: not frozen yet (the plan page says so), or issued before that
    format was kept."""
    try:
        return versions.frozen_file(version, fmt, current_store())
    except LookupError:  # MissingFile too: a file the store lacks is not served
        abort(404)


def _published_or_404(token: str) -> PlanVersion:
    if len(token) > 64:
        abort(404)
    version = db.session.scalars(
        sa.select(PlanVersion).where(
            PlanVersion.public_token == token, PlanVersion.published_on.is_not(None)
        )
    ).first()
    if version is None:
        abort(404)
    return version


# The only links in a plan document are its evidence, which point inside the council.
EVIDENCE_LINK = re.compile(r'<a class="govuk-link" href="[^"]*">(.*?)</a>')


def _with_pdf_link(page: str, href: str) -> str:
    """The frozen page as the public reads it: evidence by title only, and the PDF offered."""
    page = EVIDENCE_LINK.sub(r"\1", page)
    link = (
        f'<p class="govuk-body app-plan-download"><a class="govuk-link" href="{href}">'
        "Download this plan as an accessible PDF</a></p>"
    )
    return page.replace("</header>", link + "</header>", 1)


@bp.route("/updates/<int:update_id>/redact", methods=["GET", "POST"])
def redact(update_id: int):
    update = update_or_404(update_id, current_user)
    require(permissions.can_redact_update(current_user, update))
    form = RedactUpdateForm(record=update)
    if form.validate_on_submit() and run_rule(
        form,
        redact_update,
        current_user,
        update,
        form.posted_version(),
        form.narrative.data,
        form.reason.data,
    ):
        flash("Update redacted. The original is kept in a restricted record.", "success")
        return redirect(url_for("updates.show", update_id=update.id))
    hits = describe_hits(update_hits(update))
    return render_template("plans/redact.html", update=update, form=form, hits=hits)


@bp.route("/inspections/<int:inspection_id>/self-evaluation", methods=["GET", "POST"])
def self_evaluation(inspection_id: int):
    """The director writes the narrative; anyone in the authority downloads the pack."""
    inspection = inspection_or_404(inspection_id, current_user)
    can_edit = permissions.can_issue_plan(current_user)
    if request.method == "POST":
        require(can_edit)
    sections = [("overview", "Overview")] + [(t, t) for t in area_titles(inspection)]
    form = SelfEvaluationForm.for_sections(sections, record=inspection)
    if form.validate_on_submit() and run_rule(
        form, edit_self_evaluation, current_user, inspection, form.posted_version(), form.texts()
    ):
        flash("Self-evaluation saved.", "success")
        return redirect(url_for("plans.self_evaluation", inspection_id=inspection.id))
    since, until = date(date.today().year - 1, date.today().month, 1), date.today()
    return render_template(
        "plans/self_evaluation.html",
        inspection=inspection,
        form=form,
        can_edit=can_edit,
        since=since,
        until=until,
        formats=exports.SELF_EVALUATION_FORMATS,
    )


@bp.get("/inspections/<int:inspection_id>/self-evaluation/export.<fmt>")
def self_evaluation_export(inspection_id: int, fmt: str):
    inspection = inspection_or_404(inspection_id, current_user)
    if fmt not in exports.SELF_EVALUATION_FORMATS:
        abort(404)
    period = ReportPeriodForm(request.args)
    if not period.validate():
        message = f"The period in the address cannot be used. {period.problems()}."
        return render_template("errors/400.html", message=message), 400
    since, until = period.since.data, period.until.data
    pack = build_self_evaluation(inspection, since, until, date.today())
    data = exports.SELF_EVALUATION_FORMATS[fmt].render(pack)
    return _file(data, fmt, exports.file_name(inspection, "self-evaluation", fmt, until))


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
    form = ReportPeriodForm(request.args, since=since, until=until)
    board_report = None
    if form.validate():
        board_report = build_report(inspection, form.since.data, form.until.data, date.today())
    return _report_page(inspection, form, board_report)


@bp.get("/inspections/<int:inspection_id>/report/export.<fmt>")
def report_export(inspection_id: int, fmt: str):
    inspection = inspection_or_404(inspection_id, current_user)
    if fmt not in exports.REPORT_FORMATS:
        abort(404)
    form = ReportPeriodForm(request.args)
    if not form.validate():  # the page, with the dates and what is wrong with them
        return _report_page(inspection, form, None), 400
    since, until = form.since.data, form.until.data
    data = exports.export_report(build_report(inspection, since, until, date.today()), fmt)
    return _file(data, fmt, exports.file_name(inspection, "board-report", fmt, until))


def _report_page(inspection, form: ReportPeriodForm, board_report):
    return render_template(
        "plans/report.html",
        inspection=inspection,
        form=form,
        report=board_report,
        formats=exports.REPORT_FORMATS,
    )


def _file(data: bytes, fmt: str, name: str):
    mimetype = exports.PLAN_FORMATS[fmt].mimetype  # the report's formats are a subset
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
