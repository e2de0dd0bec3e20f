"""A full or read-only store: a clear message with its own status (507 full, 503 unavailable),
nothing kept (no row, no object, no staging file), and the update form shown again with what
the person typed.

A full disk is /dev/full, which answers every write with ENOSPC, put in place of the file
being written. A read-only store answers as a read-only mount does (EROFS), or as a folder
the service may not write (EACCES): file modes alone would not do, since the tests may run
as root, whom modes do not stop.
"""

import errno
import io
import os
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from botocore.awsrequest import AWSResponse
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import text_of
from tests.core.test_storage import CSV, staged_files
from tests.signoff.test_evidence import evidence_count, stored_files
from workflow.core.errors import StorageFull, StorageUnavailable
from workflow.core.storage import current_store, refusal_for, store_upload
from workflow.extensions import db
from workflow.models import AuditEvent, Authority, ProgressUpdate, ReportImport

NARRATIVE = "Tracking meeting held; minutes attached."
# Past werkzeug's 500 KB in memory: the upload waits in a temporary file while it arrives.
LARGE = CSV * 20_000


def full_disk(monkeypatch) -> None:
    """Every temporary file the service writes, staging or werkzeug's, is on a full disk."""
    make_staging_file = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        handle, path = make_staging_file(*args, **kwargs)  # the file exists, to be cleared
        full = os.open("/dev/full", os.O_WRONLY)
        os.dup2(full, handle)
        os.close(full)
        return handle, path

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(tempfile, "TemporaryFile", full_file)


def full_file(*args, **kwargs):
    return open("/dev/full", "r+b", buffering=0)  # noqa: SIM115  (the caller closes it)


def unwritable(monkeypatch, folder: Path, code: int) -> None:
    """Nothing can be created or written under the folder: it answers `code`."""
    open_file = os.open

    def refusing_open(path, flags, *args, **kwargs):
        writes = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        if writes and Path(os.fsdecode(path)).is_relative_to(folder):
            raise OSError(code, os.strerror(code), os.fsdecode(path))
        return open_file(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)


@pytest.fixture(autouse=True)
def own_temporary_folder(monkeypatch, tmp_path):
    """Staging files of this test only (other runs on the machine share the system's)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))


def multipart(fields: dict) -> dict:
    """A post's body built in memory: the test client would write a large one to a temporary
    file of its own, which it never closes."""
    boundary, body = encode_multipart(fields)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def post_update(client, world, content: bytes, name: str = "figures.csv"):
    data = {
        "narrative": NARRATIVE,
        "status": "in_progress",
        "rag": "green",
        "intent": "draft",
        "file": FileStorage(io.BytesIO(content), name),
        "file_title": "Figures for March",
    }
    return client.post(f"/actions/{world.action.id}/updates/new", **multipart(data))


def kept(app) -> dict:
    """What the store and the database hold, to compare before and after."""
    return {
        "updates": db.session.scalar(sa.select(sa.func.count(ProgressUpdate.id))),
        "evidence": evidence_count(),
        "events": db.session.scalar(sa.select(sa.func.count(AuditEvent.id))),
        "files": stored_files(app),
        "digests": sorted(current_store().digests()),
        "staged": staged_files() | {p.name for p in stored_files(app) if p.name[0] == "."},
    }


def assert_form_shown_again(response, status: int, message: str) -> None:
    assert response.status_code == status
    page = text_of(response)
    assert "There is a problem" in page and message in page
    assert NARRATIVE in page  # what the person typed is kept
    assert 'value="Figures for March"' in response.get_data(as_text=True)


@pytest.mark.parametrize("content", [CSV, LARGE], ids=["small", "large"])
def test_an_update_with_a_file_on_a_full_disk_is_shown_again(
    app, backend, world, login, monkeypatch, content
):
    client = login("manager")
    before = kept(app)
    with monkeypatch.context() as disk:
        full_disk(disk)
        response = post_update(client, world, content)
    assert_form_shown_again(response, 507, "there is no room left for files")
    assert kept(app) == before


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_an_update_with_a_file_for_a_read_only_store_is_shown_again(
    app, world, login, monkeypatch, code
):
    client = login("manager")
    before = kept(app)
    with monkeypatch.context() as store:
        unwritable(store, Path(app.config["UPLOAD_FOLDER"]), code)
        response = post_update(client, world, CSV)
    assert_form_shown_again(response, 503, "The file could not be stored just now")
    assert kept(app) == before


def test_a_full_disk_leaves_no_staging_file_and_no_stored_file(app, monkeypatch):
    full_disk(monkeypatch)
    with pytest.raises(StorageFull):
        store_upload(io.BytesIO(CSV), "figures.csv", current_store(), 1024 * 1024)
    assert list(current_store().digests()) == [] and staged_files() == set()
    assert not [p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("code", "refusal"),
    [
        (errno.ENOSPC, StorageFull),
        (errno.EDQUOT, StorageFull),
        (errno.EROFS, StorageUnavailable),
        (errno.EACCES, StorageUnavailable),
        (errno.ECONNRESET, None),  # the upload's connection, not the store
    ],
)
def test_disk_errors_are_the_stores_refusals(code, refusal):
    found = refusal_for(OSError(code, os.strerror(code)))
    assert type(found) is refusal if refusal else found is None


def test_a_read_only_store_refuses_uploads_and_still_serves_its_files(app, monkeypatch):
    stored = store_upload(io.BytesIO(CSV), "figures.csv", current_store(), 1024 * 1024)
    folder = Path(app.config["UPLOAD_FOLDER"])
    unwritable(monkeypatch, folder, errno.EROFS)
    with pytest.raises(StorageUnavailable):
        store_upload(io.BytesIO(CSV + b"x\n"), "other.csv", current_store(), 1024 * 1024)
    with current_store().open(stored.sha256) as stream:  # reading still works
        assert stream.read() == CSV


class Answers:
    """An S3 server that answers every upload with an error of its own."""

    def __init__(self, status: int, code: str):
        self.status, self.code = status, code

    def __call__(self, request, **kwargs):
        body = f"<Error><Code>{self.code}</Code><Message>refused</Message></Error>".encode()
        return AWSResponse(request.url, self.status, {}, _Raw(body))


class _Raw:
    def __init__(self, body: bytes):
        self.body = body

    def stream(self, **kwargs):
        yield self.body


@pytest.mark.parametrize(
    ("status", "code", "expected", "message"),
    [
        (507, "XMinioStorageFull", 507, "there is no room left for files"),
        (403, "QuotaExceeded", 507, "there is no room left for files"),
        (403, "AccessDenied", 503, "The file could not be stored just now"),
    ],
)
def test_object_storage_that_refuses_an_upload_keeps_the_form(
    s3_app, world, login, status, code, expected, message
):
    client = login("manager")
    before = kept(s3_app)
    store = current_store()
    store.client.meta.events.register("before-send.s3.PutObject", Answers(status, code))
    response = post_update(client, world, CSV)
    assert_form_shown_again(response, expected, message)
    assert kept(s3_app) == before


def test_a_logo_the_disk_cannot_take_gets_the_full_page(app, world, login, monkeypatch):
    client = login("admin")
    logo = FileStorage(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 600_000), "logo.png")
    with monkeypatch.context() as disk:
        full_disk(disk)
        response = client.post("/settings/logo", **multipart({"logo": logo}))
    assert response.status_code == 507
    assert "Sorry, the service has run out of space" in text_of(response)
    assert db.session.get(Authority, world.authority.id).logo_type is None


def test_a_report_the_disk_cannot_take_gets_the_full_page(app, world, login, monkeypatch):
    client = login("admin")
    before = db.session.scalar(sa.select(sa.func.count(ReportImport.id)))
    report = FileStorage(io.BytesIO(b"Ofsted report\n" * 50_000), "report.txt")
    with monkeypatch.context() as disk:
        full_disk(disk)
        response = client.post("/imports/new", **multipart({"file": report}))
    assert response.status_code == 507
    assert "nothing from the form you were sending has been saved" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(ReportImport.id))) == before


def test_a_full_database_disk_gets_the_full_page_and_keeps_nothing(app, world, login):
    client = login("admin")
    before = db.session.scalar(sa.select(sa.func.count(ReportImport.id)))
    full = _disk_full_error(db.engine.dialect.name)

    def refuse_inserts(connection, cursor, statement, *args):
        if statement.startswith("INSERT INTO report_import"):
            raise full

    sa.event.listen(db.engine, "before_cursor_execute", refuse_inserts)
    try:
        response = client.post("/imports/new", data={"text": "Pasted report text"})
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", refuse_inserts)
    assert response.status_code == 507
    assert "Sorry, the service has run out of space" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(ReportImport.id))) == before


def _disk_full_error(dialect: str) -> Exception:
    """The driver's own error for a full disk, as each database raises it."""
    if dialect == "postgresql":
        import psycopg

        return psycopg.errors.DiskFull("could not extend file: No space left on device")
    import sqlite3

    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = sqlite3.SQLITE_FULL
    return error
