"""Reading an uploaded report off the request.

`start_parse(import_id)` is the one interface the web layer calls. Today it reads the report
in a thread of the web process (or inline, where `IMPORT_PARSE_MODE` is "inline": tests and
single-process tools); a job queue needs only to call `run_parse_job(import_id)` from its
worker, inside an application context.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app

from workflow.extensions import db
from workflow.imports import rules
from workflow.models import ReportImport

log = logging.getLogger(__name__)


def start_parse(import_id: int) -> threading.Thread | None:
    """Have the import read; returns the thread reading it, or None when it was read inline."""
    if current_app.config.get("IMPORT_PARSE_MODE", "thread") == "inline":
        run_parse_job(import_id)
        return None
    app = current_app._get_current_object()
    thread = threading.Thread(
        target=_in_app_context, args=(app, import_id), name=f"read-import-{import_id}", daemon=True
    )
    thread.start()
    return thread


def run_parse_job(import_id: int) -> None:
    """The job: read one received report and commit the result or the reason it failed.

    Safe to run twice: an import that is not queued (read already, or being read) is left.
    """
    report_import = db.session.get(ReportImport, import_id)
    if report_import is None or report_import.status != "queued":
        return
    report_import.status = "reading"
    db.session.commit()
    try:
        rules.read_import(report_import, current_app.config["MAX_UPLOAD_BYTES"])
        db.session.commit()
    except Exception:  # the job must leave a reason behind, never a report stuck "reading"
        log.exception("reading import %s failed", import_id)
        db.session.rollback()
        report_import = db.session.get(ReportImport, import_id)
        if report_import is not None:
            report_import.status = "failed"
            report_import.error = "The report could not be read: try again."
            db.session.commit()


def _in_app_context(app: Flask, import_id: int) -> None:
    with app.app_context():
        try:
            run_parse_job(import_id)
        finally:
            db.session.remove()
