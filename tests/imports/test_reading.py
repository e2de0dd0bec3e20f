"""Reading a report as a background job: queued on upload, the review page showing its
progress then the result, run once however often it is delivered, tried again after a
passing failure, and a failure the administrator can see, with its reason, and try again."""

import io
import time

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from tests.factories import FIXTURES
from workflow.extensions import db
from workflow.imports import parse, rules, tasks
from workflow.imports.parse import ocr
from workflow.jobs import dispatch
from workflow.jobs.runner import run_job
from workflow.models import AuditEvent, Job, JobState, ReportImport

NORTHBROOK = (FIXTURES / "northbrook-ilacs.txt").read_bytes()


def latest_import() -> ReportImport:
    db.session.rollback()  # a fresh read: the job commits in a session of its own
    return db.session.scalar(sa.select(ReportImport).order_by(ReportImport.id.desc()))


def upload(client, content: bytes = NORTHBROOK, name: str = "nb.txt"):
    return client.post(
        "/imports/new",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def undelivered(monkeypatch):
    """A queue whose worker has not taken the job yet: jobs handed over are only noted."""
    handed: list[int] = []
    monkeypatch.setattr(dispatch, "send", lambda app, job_id, delay=0: handed.append(job_id))
    return handed


def test_the_upload_queues_a_job_and_the_review_page_shows_progress_until_it_ran(
    world, login, undelivered
):
    client = login("admin")
    response = upload(client)
    assert response.status_code == 302
    report_import = latest_import()
    job = report_import.job
    assert undelivered == [job.id]  # handed to the queue once the upload was committed
    assert (job.name, job.state, job.args) == (
        rules.READ_JOB,
        JobState.QUEUED,
        {"import_id": report_import.id},
    )
    assert job.authority_id == world.authority.id
    page = text_of(client.get(response.headers["Location"]))
    assert "Reading the report" in page and "Waiting to start" in page
    assert client.get(f"/imports/{report_import.id}/status").get_json() == {
        "status": "queued",
        "error": None,
        "progress": "Waiting to start",
    }
    assert run_job(job.id) is None  # as the worker would
    assert client.get(f"/imports/{report_import.id}/status").get_json()["status"] == "ready"
    page = text_of(client.get(f"/imports/{report_import.id}"))
    assert "Check what we found" in page and "The timeliness of initial health assessments" in page
    report_import = latest_import()
    assert report_import.source is None and report_import.job.result == {
        "status": "ready",
        "kind": "ilacs",
        "items": 2,
    }


def test_without_a_broker_the_report_is_read_in_the_web_process(app, world, login):
    app.config["JOBS_MODE"] = "thread"  # as `make run` has it
    client = login("admin")
    upload(client)
    report_import = latest_import()
    deadline = time.monotonic() + 60
    while client.get(f"/imports/{report_import.id}/status").get_json()["status"] != "ready":
        assert time.monotonic() < deadline, "the report was not read"
        time.sleep(0.1)
    assert latest_import().parsed["lead_inspector"] == "Jane Example"


def test_reading_twice_gives_the_same_result_and_records_it_once(world):
    report_import = rules.receive_report(
        world.users["admin"], None, None, NORTHBROOK.decode(), 10**7
    )
    db.session.commit()  # tests run jobs as they are committed
    import_id = report_import.id
    first = latest_import().parsed
    assert tasks.read_report(import_id=import_id) == {"status": "ready"}  # delivered again
    db.session.commit()
    report_import = latest_import()
    assert report_import.parsed == first and len(first["recommendations"]) == 2
    reads = sa.select(sa.func.count()).where(
        AuditEvent.object_type == "report_import",
        AuditEvent.object_id == import_id,
        AuditEvent.verb == "read",
    )
    assert db.session.scalar(reads) == 1


def test_a_passing_failure_is_tried_again_after_a_back_off(app, world, login, undelivered):
    failures = {"left": 1}
    real_parse = parse.parse_file

    def flaky_parse(*args, **kwargs):
        if failures["left"]:
            failures["left"] -= 1
            raise OSError("the storage did not answer")
        return real_parse(*args, **kwargs)

    client = login("admin")
    upload(client)
    job_id = latest_import().job_id
    parse.parse_file = flaky_parse
    try:
        assert run_job(job_id) == app.config["JOB_RETRY_SECONDS"]  # the worker waits that long
        report_import = latest_import()
        assert report_import.job.state is JobState.QUEUED and report_import.reading
        page = text_of(client.get(f"/imports/{report_import.id}"))
        assert "The last try did not finish: trying again shortly (try 2 of 4)" in page
        assert run_job(job_id) is None
    finally:
        parse.parse_file = real_parse
    report_import = latest_import()
    assert report_import.status == "ready"
    assert (report_import.job.state, report_import.job.attempts) == (JobState.SUCCEEDED, 2)


def test_a_reading_that_keeps_failing_says_why_keeps_the_file_and_can_be_tried_again(
    world, login, monkeypatch
):
    def broken(*args, **kwargs):
        raise OSError("the storage did not answer")

    monkeypatch.setattr(parse, "parse_file", broken)
    client = login("admin")
    upload(client)  # tests run each try at once, without the back-off
    report_import = latest_import()
    job = report_import.job
    assert (job.state, job.attempts) == (JobState.FAILED, job.max_attempts)
    assert (report_import.status, report_import.error) == ("failed", tasks.TRIED_OUT)
    assert report_import.source == NORTHBROOK
    page = text_of(client.get(f"/imports/{report_import.id}"))
    assert "The report could not be read" in page and tasks.TRIED_OUT in page
    jobs_page = text_of(client.get("/jobs"))
    assert f"{job.id}: {rules.READ_JOB}" in jobs_page
    assert "OSError: the storage did not answer" in jobs_page
    monkeypatch.undo()
    assert client.post(f"/imports/{report_import.id}/retry").status_code == 302
    report_import = latest_import()
    assert report_import.status == "ready" and report_import.job_id == job.id
    assert (report_import.job.state, report_import.job.attempts) == (JobState.SUCCEEDED, 1)


def test_a_report_the_importer_cannot_read_fails_at_once_with_the_importers_reason(world, login):
    client = login("admin")
    upload(client, b"Dear resident, your bins are collected on Tuesdays.\n", "bins.txt")
    report_import = latest_import()
    job = report_import.job
    assert (job.state, job.attempts) == (JobState.FAILED, 1)  # trying again cannot help
    assert "does not look like an Ofsted report" in report_import.error
    assert job.last_error == f"JobRefused: {report_import.error}"
    # Retried from the jobs page, the job reads the kept file again, to the same end.
    assert client.post(f"/jobs/{job.id}/retry").status_code == 302
    again = latest_import()
    assert (again.status, again.error) == ("failed", report_import.error)
    assert again.source is not None and again.job.state is JobState.FAILED


def test_another_authoritys_reading_is_not_theirs_to_see(world, login):
    report_import = rules.receive_report(world.users["admin"], NORTHBROOK, "nb.txt", None, 10**7)
    db.session.commit()
    client = login("stranger")
    assert client.get(f"/imports/{report_import.id}/status").status_code == 404
    assert client.post(f"/imports/{report_import.id}/retry").status_code == 404


def test_importer_loads_no_heavy_library_until_a_report_is_read():
    import subprocess
    import sys

    code = (
        "import sys, workflow.imports.parse, workflow.imports.tasks, workflow.imports.views;"
        "print(sorted(m for m in ('pypdfium2', 'pdfplumber', 'sklearn', 'dramatiq', 'ocrmypdf')"
        " if m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.stdout.strip() == "[]", found.stderr


def test_jobs_read_no_report_they_were_not_asked_for(world):
    db.session.add(Job(name=rules.READ_JOB, args={"import_id": 999_999}, max_attempts=4))
    db.session.commit()
    job = db.session.scalar(sa.select(Job))
    run_job(job.id)
    db.session.rollback()
    assert job.state is JobState.FAILED and "There is no report import 999999" in job.last_error


@pytest.fixture(scope="module")
def scan() -> bytes:
    """The first two pages of a real report, scanned: its judgements and recommendations."""
    from tests.imports.parse.importer_builders import scanned_pdf
    from tests.imports.parse.importer_real import PDF_2022

    if not PDF_2022.exists():
        pytest.skip(f"{PDF_2022} is not here")
    return scanned_pdf(PDF_2022, pages=2)


def test_a_scan_is_read_by_ocr_in_the_job_not_the_request_and_the_review_page_says_so(
    world, login, undelivered, monkeypatch, scan, ocr_engine
):
    recognised = []
    real_recognition = parse.with_text_layer
    monkeypatch.setattr(
        parse, "with_text_layer", lambda *a: recognised.append(1) or real_recognition(*a)
    )
    client = login("admin")
    upload(client, scan, "scan.pdf")
    report_import = latest_import()
    assert (report_import.status, recognised) == ("queued", [])  # the request only kept it
    assert run_job(report_import.job_id) is None  # as the worker would
    report_import = latest_import()
    assert report_import.status == "ready" and recognised == [1]
    assert report_import.parsed["read_by_ocr"] is True
    assert report_import.job.result == {"status": "ready", "kind": "ilacs", "items": 5}
    page = text_of(client.get(f"/imports/{report_import.id}"))
    assert "its text was read by text recognition (OCR)" in page
    assert "Check each recommendation, date and judgement against the report" in page
    assert "The arrangements for tracking and monitoring children who are missing from" in page


def test_without_ocr_a_scan_is_refused_clearly_and_kept_for_another_try(
    world, login, monkeypatch, scan
):
    monkeypatch.setattr(ocr, "missing_engine", lambda: "the tesseract program is not installed")
    client = login("admin")
    upload(client, scan, "scan.pdf")
    report_import = latest_import()
    job = report_import.job
    assert (job.state, job.attempts) == (JobState.FAILED, 1)  # trying again cannot help
    assert (report_import.status, report_import.error) == ("failed", ocr.NOT_INSTALLED)
    assert report_import.source == scan
    page = text_of(client.get(f"/imports/{report_import.id}"))
    assert "The report could not be read" in page
    assert "text recognition (OCR) is not installed here: try again once it is" in page
    assert "The file is kept" in page and "Try again" in page
