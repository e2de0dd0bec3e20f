"""Background jobs of the importer: reading a received report.

The job is idempotent: a report read already is left as it is, and one whose reading failed
is read again from the same kept upload, so a retry from the jobs page or the review page
gives the same result as the first run would have. A report the importer cannot read fails
at once with the importer's own reason; anything else (the database or the storage away for
a moment) is tried again with back-off, and only then reported as failed.
"""

from flask import current_app

from workflow.extensions import db
from workflow.imports import monitoring, rules
from workflow.jobs import JobRefused, job
from workflow.models import ReportImport

TRIED_OUT = (
    "The report could not be read after several tries: try again. If it fails again, the "
    "background jobs page gives the reason."
)


def reading_failed(error: Exception, import_id: int) -> None:
    """The job failed for good: the review page says why, and offers another try."""
    report_import = db.session.get(ReportImport, import_id)
    if report_import is None or not report_import.reading:
        return
    message = str(error) if isinstance(error, JobRefused) else TRIED_OUT
    rules.mark_unreadable(report_import, message)


@job(rules.READ_JOB, on_failure=reading_failed)
def read_report(import_id: int) -> dict:
    from workflow.imports.parse import ReportParseError  # loaded in the worker: see rules.py

    report_import = db.session.get(ReportImport, import_id)
    if report_import is None:
        raise JobRefused(f"There is no report import {import_id}")
    if report_import.status == "ready" or report_import.source is None:
        return {"status": report_import.status}  # read already: nothing to do again
    report_import.status = "reading"
    db.session.commit()  # the progress page shows the reading has begun
    try:
        rules.read_import(report_import, current_app.config["MAX_UPLOAD_BYTES"])
    except ReportParseError as error:
        raise JobRefused(error.message) from error
    if report_import.parsed["kind"] == "monitoring":
        monitoring.suggest_recommendations(report_import)
    parsed = report_import.parsed
    return {"status": "ready", "kind": parsed["kind"], "items": len(parsed["recommendations"])}
