"""The audit trail's page and its CSV, for an authority's administrators."""

import tempfile
from datetime import date

from flask import Blueprint, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from workflow.core import permissions
from workflow.core.tenancy import colleagues
from workflow.extensions import db
from workflow.oversight import audit_trail as trail
from workflow.oversight.forms import AuditTrailFilterForm
from workflow.web import page_number, require

bp = Blueprint("audit_trail", __name__)

PER_PAGE = 25
SPOOL_BYTES = 4 * 1024 * 1024  # a longer CSV waits on disk, not in memory


@bp.get("/audit")
def index():
    require(permissions.can_read_audit_trail(current_user))
    people = colleagues(current_user, active_only=False)
    form = AuditTrailFilterForm(request.args, people)
    page = events = None
    if form.validate():
        query = trail.events(current_user, form.filters())
        page = db.paginate(query, page=page_number(), per_page=PER_PAGE, error_out=False)
        events = trail.shown(page.items, {person.id: person.name for person in people})
    return render_template(
        "audit/index.html",
        form=form,
        page=page,
        events=events,
        csv_url=url_for("audit_trail.csv", **form.chosen()),
    )


@bp.get("/audit.csv")
def csv():
    require(permissions.can_read_audit_trail(current_user))
    form = AuditTrailFilterForm(request.args, colleagues(current_user, active_only=False))
    if not form.validate():  # the page says what is wrong with the filters
        return redirect(url_for("audit_trail.index", **form.chosen()))
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (send_file closes it)
    trail.write_csv(current_user, form.filters(), spool)
    spool.seek(0)
    name = f"audit-trail-{date.today().isoformat()}.csv"
    return send_file(spool, mimetype="text/csv", as_attachment=True, download_name=name)
