"""Reading a report off the request: the upload answers at once, the review page shows
progress and then the result, and the job a queue's worker calls reads one import."""

import io
import threading

import sqlalchemy as sa

from tests.conftest import text_of
from tests.factories import FIXTURES
from workflow.extensions import db
from workflow.imports import jobs, rules
from workflow.models import ReportImport

NORTHBROOK = (FIXTURES / "northbrook-ilacs.txt").read_bytes()


def test_a_received_report_shows_progress_until_a_thread_has_read_it(app, world, login):
    client = login("admin")
    report_import = rules.receive_report(world.users["admin"], NORTHBROOK, "nb.txt", None, 10**7)
    db.session.commit()
    page = text_of(client.get(f"/imports/{report_import.id}"))
    assert "Reading the report" in page and "Waiting to start" in page
    assert client.get(f"/imports/{report_import.id}/status").get_json() == {
        "status": "queued",
        "error": None,
    }
    app.config["IMPORT_PARSE_MODE"] = "thread"
    db.session.commit()  # no transaction of the test's stands in the job's way
    thread = jobs.start_parse(report_import.id)
    assert thread is not None
    thread.join(timeout=60)
    db.session.commit()  # a fresh transaction sees what the job committed
    assert db.session.get(ReportImport, report_import.id).status == "ready"
    assert client.get(f"/imports/{report_import.id}/status").get_json()["status"] == "ready"
    page = text_of(client.get(f"/imports/{report_import.id}"))
    assert "Check what we found" in page and "The timeliness of initial health assessments" in page


def test_the_upload_answers_before_the_report_is_read(app, world, login):
    client = login("admin")
    app.config["IMPORT_PARSE_MODE"] = "thread"
    response = client.post(
        "/imports/new",
        data={"file": (io.BytesIO(NORTHBROOK), "nb.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    report_import = db.session.scalar(sa.select(ReportImport).order_by(ReportImport.id.desc()))
    assert report_import.source_name == "nb.txt"
    db.session.commit()
    for thread in [t for t in threading.enumerate() if t.name.startswith("read-import-")]:
        thread.join(timeout=60)
    db.session.commit()  # a fresh transaction sees what the job committed
    report_import = db.session.get(ReportImport, report_import.id)
    assert report_import.status == "ready" and report_import.source is None
    assert report_import.parsed["lead_inspector"] == "Jane Example"


def test_the_job_reads_a_queued_import_once(world):
    report_import = rules.receive_report(
        world.users["admin"], None, None, NORTHBROOK.decode(), 10**7
    )
    db.session.commit()
    jobs.run_parse_job(report_import.id)
    jobs.run_parse_job(report_import.id)  # a second delivery of the job changes nothing
    db.session.commit()  # a fresh transaction sees what the job committed
    report_import = db.session.get(ReportImport, report_import.id)
    assert report_import.status == "ready" and report_import.pasted
    assert len(report_import.parsed["recommendations"]) == 2
    jobs.run_parse_job(999_999)  # an import that is gone is no error


def test_importer_loads_no_heavy_library_until_a_report_is_read():
    import subprocess
    import sys

    code = (
        "import sys, workflow.imports.parse, workflow.imports.jobs, workflow.imports.views;"
        "print(sorted(m for m in ('pypdfium2', 'pdfplumber', 'sklearn') if m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.stdout.strip() == "[]", found.stderr
