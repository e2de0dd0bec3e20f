"""Evidence storage: the folder and S3-compatible object storage behind one interface.

The object-storage tests run against moto's standalone S3 server on loopback.
"""

import hashlib
import io
import os
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from tests.core.conftest import objects
from tests.signoff.test_evidence import PDF, evidence_count, stored_files, upload
from workflow.core.errors import RuleError
from workflow.core.storage import FolderStore, current_store, store_upload
from workflow.extensions import db
from workflow.jobs import enqueue
from workflow.models import Evidence, Job, JobState

CSV = b"month,value\nMarch,55.3\nApril,61.0\n"


class BreaksHalfWay(io.RawIOBase):
    """An upload whose connection drops after the first chunk."""

    def __init__(self, content: bytes):
        self.content, self.sent = content, False

    def read(self, size=-1):
        if self.sent:
            raise OSError("connection reset by peer")
        self.sent = True
        return self.content[:65536]


def staged_files() -> set[str]:
    return {n for n in os.listdir(tempfile.gettempdir()) if n.startswith(".upload-")}


def test_evidence_is_kept_in_object_storage_and_served_from_it(s3_app, world, login):
    client = login("manager")
    on_disk, before = stored_files(s3_app), objects(s3_app)  # the world's own evidence
    response = upload(client, world, CSV, "figures – March.csv", "Figures")
    assert response.status_code == 302, text_of(response)[:300]
    item = db.session.scalar(sa.select(Evidence).where(Evidence.title == "Figures"))
    digest = hashlib.sha256(CSV).hexdigest()
    assert item.sha256 == digest
    assert objects(s3_app) == before | {digest: {"type": "text/csv", "size": len(CSV)}}
    assert stored_files(s3_app) == on_disk == set()  # nothing on this server's disk
    download = client.get(f"/evidence/{item.id}/download")
    assert download.status_code == 200
    assert download.get_data() == CSV
    assert download.mimetype == "text/csv"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''figures%20%E2%80%93%20March.csv" in disposition
    assert download.headers["ETag"].strip('"') == digest


def test_the_same_file_twice_is_one_object(s3_app, world, login):
    client = login("manager")
    before = set(objects(s3_app))
    upload(client, world, PDF, "a.pdf", "First")
    upload(client, world, PDF, "b.pdf", "Second")
    assert set(objects(s3_app)) - before == {hashlib.sha256(PDF).hexdigest()}


def test_a_fake_file_is_refused_before_it_reaches_the_store(s3_app, world, login):
    before, stored = evidence_count(), objects(s3_app)
    response = upload(login("manager"), world, b"MZ\x90\x00 not a pdf", "minutes.pdf", "Fake")
    assert "its content does not match" in text_of(response)
    assert objects(s3_app) == stored and evidence_count() == before


def test_an_upload_that_breaks_half_way_leaves_no_object(app, backend):
    before = staged_files()
    with pytest.raises(OSError):
        store_upload(BreaksHalfWay(CSV * 5000), "big.csv", current_store(), 10 * 1024 * 1024)
    assert list(current_store().digests()) == []
    assert staged_files() == before
    assert not stored_files(app) or backend == "s3"


def test_storage_that_cannot_be_reached_stores_no_row(s3_app, world, login):
    s3_app.config["S3_ENDPOINT_URL"] = "http://127.0.0.1:9"  # nothing listens there
    s3_app.extensions.pop("workflow.store", None)
    before = evidence_count()
    response = upload(login("manager"), world, CSV, "figures.csv", "Figures")
    assert response.status_code == 503
    assert "The file could not be stored just now" in text_of(response)
    assert evidence_count() == before


def test_a_folder_store_is_copied_into_object_storage_and_verified(s3_app, runner):
    folder = Path(s3_app.config["UPLOAD_FOLDER"])
    for content, name in ((PDF, "a.pdf"), (CSV, "b.csv")):
        store_upload(io.BytesIO(content), name, FolderStore(folder), 1024 * 1024)
    result = runner.invoke(args=["storage", "copy-folder", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Copied 2 files" in result.output and "2 verified by SHA-256" in result.output
    assert sorted(objects(s3_app)) == sorted(hashlib.sha256(c).hexdigest() for c in (PDF, CSV))
    again = runner.invoke(args=["storage", "copy-folder", str(folder)])
    assert "Copied 0 files" in again.output and "(2 already there)" in again.output


def test_a_file_altered_in_the_folder_is_reported_not_copied(s3_app, runner):
    folder = Path(s3_app.config["UPLOAD_FOLDER"])
    stored = store_upload(io.BytesIO(CSV), "b.csv", FolderStore(folder), 1024 * 1024)
    (folder / stored.sha256[:2] / stored.sha256).write_bytes(CSV + b"tampered\n")
    result = runner.invoke(args=["storage", "copy-folder", str(folder)])
    assert result.exit_code == 1
    assert f"{stored.sha256}: the source file does not match its SHA-256" in result.output
    assert objects(s3_app) == {}


def test_the_evidence_sweep_finds_a_missing_file(app, backend, world, login):
    upload(login("manager"), world, CSV, "figures.csv", "Figures")
    enqueue("signoff.evidence_sweep")
    db.session.commit()
    sweep = db.session.scalar(sa.select(Job).order_by(Job.id.desc()))
    assert sweep.state is JobState.SUCCEEDED and sweep.result["files"] >= 1
    item = db.session.scalar(sa.select(Evidence).where(Evidence.title == "Figures"))
    store = current_store()
    if backend == "s3":
        store.client.delete_object(Bucket=store.bucket, Key=store.key(item.sha256))
    else:
        (Path(app.config["UPLOAD_FOLDER"]) / item.sha256[:2] / item.sha256).unlink()
    sweep.state = JobState.QUEUED
    db.session.commit()
    from workflow.jobs.runner import run_job

    run_job(sweep.id)
    db.session.rollback()
    sweep = db.session.get(Job, sweep.id)
    assert sweep.state is JobState.FAILED
    assert f"Files missing: 1 (evidence {item.id})" in sweep.last_error


def test_a_refused_name_stores_nothing(app):
    with pytest.raises(RuleError):
        store_upload(io.BytesIO(CSV), "../../etc/passwd.csv", current_store(), 1024)
    assert list(current_store().digests()) == []
