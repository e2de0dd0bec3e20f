"""The storage sweep: staging files older than an hour and stored files no row names older
than a day are removed, from the folder and from object storage; everything a row names,
and everything young, stays. Counted in files and bytes, and written to the audit trail."""

import hashlib
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import ROOT
from tests.core.test_storage import CSV
from tests.signoff.test_evidence import PDF
from workflow.core.storage import UPLOAD_PREFIX, current_store, path_for, store_upload
from workflow.core.sweep import digest_columns, sweep_store
from workflow.extensions import db
from workflow.jobs import enqueue
from workflow.models import AuditEvent, Authority, Evidence, Job, JobState

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
ORPHAN = b"month,value\nMay,70.1\n"  # stored by a request that never committed its row


@pytest.fixture(autouse=True)
def own_temporary_folder(monkeypatch, tmp_path):
    """Object storage stages in the system's temporary folder: this test's own, here."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))


def staging_file(age: timedelta, size: int = 1000) -> Path:
    """A real staging file, as an upload cut off leaves it, last written `age` ago."""
    handle, name = tempfile.mkstemp(dir=current_store().staging_folder(), prefix=UPLOAD_PREFIX)
    with os.fdopen(handle, "wb") as out:
        out.write(b"x" * size)
    written = time.time() - age.total_seconds()
    os.utime(name, (written, written))
    return Path(name)


def age_stored_file(app, digest: str, age: timedelta) -> None:
    written = time.time() - age.total_seconds()
    os.utime(path_for(app.config["UPLOAD_FOLDER"], digest), (written, written))


def sweep_events() -> list[AuditEvent]:
    query = sa.select(AuditEvent).where(AuditEvent.verb == "store_swept")
    return list(db.session.scalars(query.order_by(AuditEvent.authority_id)))


def test_every_column_naming_a_file_by_its_hash_is_read():
    named = {f"{column.table.name}.{column.name}" for column in digest_columns()}
    assert {
        "evidence.sha256",
        "report_import.sha256",
        "plan_version.docx_sha256",
        "plan_version.pdf_sha256",
        "plan_version.xlsx_sha256",
        "plan_version.csv_sha256",
        "plan_version.html_sha256",
    } <= named


def test_the_folder_sweep_removes_old_leftovers_only(app, world, runner):
    old_staging, young_staging = staging_file(2 * HOUR, 1500), staging_file(timedelta(minutes=10))
    orphan = store_upload(io.BytesIO(ORPHAN), "may.csv", current_store(), 1024).sha256
    young_orphan = store_upload(io.BytesIO(PDF), "new.pdf", current_store(), 1024).sha256
    age_stored_file(app, orphan, 2 * DAY)
    age_stored_file(app, world.evidence.sha256, 400 * DAY)  # old, but a row names it
    result = runner.invoke(args=["storage", "sweep"])
    assert result.exit_code == 0, result.output
    assert (
        f"Removed 1 file (1,500 bytes) left by interrupted uploads and 1 file "
        f"({len(ORPHAN):,} bytes) that no record names." in result.output
    )
    assert old_staging.name in result.output and orphan in result.output
    assert not old_staging.exists() and young_staging.exists()
    assert set(current_store().digests()) == {world.evidence.sha256, young_orphan}
    with current_store().open(world.evidence.sha256) as stream:
        assert stream.read() == b"Minutes of the tracking meeting\n"


UPLOAD_THEN_HANG = """
import io, sys, time
from workflow.core.storage import store_upload

class Hangs(io.RawIOBase):
    sent = False
    def read(self, size=-1):
        if self.sent:
            time.sleep(600)  # the connection stalls: the process is killed here
        self.sent = True
        return b"month,value\\n" * 5000

store_upload(Hangs(), "figures.csv", sys.argv[1], 10 * 1024 * 1024)
"""


def test_an_upload_killed_mid_way_leaves_a_staging_file_the_sweep_removes(app, world):
    folder = Path(app.config["UPLOAD_FOLDER"])
    before = set(current_store().digests())
    command = [sys.executable, "-c", UPLOAD_THEN_HANG, str(folder)]
    uploading = subprocess.Popen(command, cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while not [p for p in folder.glob(f"{UPLOAD_PREFIX}*") if p.stat().st_size]:
            assert time.monotonic() < deadline and uploading.poll() is None, "no upload began"
            time.sleep(0.05)
    finally:
        os.kill(uploading.pid, signal.SIGKILL)
        uploading.wait()
    (left,) = folder.glob(f"{UPLOAD_PREFIX}*")  # kill -9: no clean-up ran
    assert set(current_store().digests()) == before
    written = time.time() - 2 * 3600
    os.utime(left, (written, written))
    report = sweep_store(current_store(), datetime.now(UTC))
    assert report.staging.names == [left.name] and not left.exists()
    assert set(current_store().digests()) == before


def test_a_dry_run_lists_and_removes_nothing(app, world, runner):
    old_staging = staging_file(3 * HOUR)
    orphan = store_upload(io.BytesIO(ORPHAN), "may.csv", current_store(), 1024).sha256
    age_stored_file(app, orphan, 2 * DAY)
    result = runner.invoke(args=["storage", "sweep", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would remove 1 file (1,000 bytes) left by interrupted uploads" in result.output
    assert orphan in result.output
    assert old_staging.exists() and orphan in set(current_store().digests())
    assert sweep_events() == []


def test_the_sweep_is_written_to_each_authoritys_audit_trail(app, world, runner):
    staging_file(2 * HOUR, 200)
    runner.invoke(args=["storage", "sweep"])
    events = sweep_events()
    authorities = db.session.scalars(sa.select(Authority.id).order_by(Authority.id)).all()
    assert [event.authority_id for event in events] == authorities
    assert events[0].actor_name == "System"
    assert events[0].changes == {
        "staging_files": 1,
        "staging_bytes": 200,
        "unreferenced_files": 0,
        "unreferenced_bytes": 0,
    }
    assert "intact" in runner.invoke(args=["audit", "verify"]).output
    again = runner.invoke(args=["storage", "sweep"])  # nothing left: nothing recorded
    assert "Removed 0 files (0 bytes)" in again.output and len(sweep_events()) == 2


def test_a_file_named_only_by_a_report_import_is_kept(app, world):
    content = b"The inspection report, as uploaded.\n"
    stored = store_upload(io.BytesIO(content), "report.txt", current_store(), 1024).sha256
    world.report_import.sha256 = stored
    db.session.commit()
    age_stored_file(app, stored, 30 * DAY)
    report = sweep_store(current_store(), datetime.now(UTC))
    assert report.unreferenced.files == 0 and stored in set(current_store().digests())


@pytest.mark.parametrize("later", [30 * 60, 2 * 3600, 25 * 3600], ids=["30m", "2h", "25h"])
def test_the_sweep_judges_age_by_when_each_file_was_written(app, backend, world, later):
    """The same leftovers, swept half an hour, two hours and a day and more after they were
    left: first nothing goes, then the staging file, then the file no row names."""
    staging = staging_file(timedelta(0))
    orphan = store_upload(io.BytesIO(ORPHAN), "may.csv", current_store(), 1024).sha256
    referenced = world.evidence.sha256
    report = sweep_store(current_store(), datetime.now(UTC) + timedelta(seconds=later))
    db.session.commit()
    assert staging.exists() is (later < 3600)
    left = set(current_store().digests())
    assert referenced in left
    assert (orphan in left) is (later < 24 * 3600)
    assert report.staging.files == (later >= 3600)
    assert report.unreferenced.names == ([] if later < 24 * 3600 else [orphan])
    assert report.unreferenced.bytes == (0 if later < 24 * 3600 else len(ORPHAN))


def test_an_old_unnamed_file_stored_again_is_written_afresh(app, backend, world, login):
    """Content-addressed: the same bytes uploaded again reuse the stored file, which then
    counts as just written, so a sweep in the meantime cannot take it from its new row."""
    orphan = store_upload(io.BytesIO(CSV), "old.csv", current_store(), 1024).sha256
    before = {kept.sha256: kept.written for kept in current_store().listing()}[orphan]
    if backend == "folder":
        age_stored_file(app, orphan, 2 * DAY)
        before = datetime.now(UTC) - 2 * DAY
    time.sleep(1.1)  # object storage keeps the time of writing to the second
    store_upload(io.BytesIO(CSV), "again.csv", current_store(), 1024)
    after = {kept.sha256: kept.written for kept in current_store().listing()}[orphan]
    assert after > before


def test_the_daily_job_sweeps_and_reports_its_counts(app, backend, world):
    staging_file(2 * HOUR, 300)
    enqueue("core.storage_sweep", key="storage-sweep:today")
    db.session.commit()
    job = db.session.scalar(sa.select(Job).where(Job.name == "core.storage_sweep"))
    assert job.state is JobState.SUCCEEDED, job.last_error
    assert job.result == {
        "staging_files": 1,
        "staging_bytes": 300,
        "unreferenced_files": 0,
        "unreferenced_bytes": 0,
    }
    assert db.session.scalar(sa.select(sa.func.count(Evidence.id))) >= 1
    assert hashlib.sha256(b"Minutes of the tracking meeting\n").hexdigest() in set(
        current_store().digests()
    )
