"""Evidence uploads: judged by content, stored once by SHA-256 outside the web root, and the
hostile-upload catalogue refused with a clear message and nothing stored."""

import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from workflow.core.storage import path_for
from workflow.extensions import db
from workflow.models import Evidence, ProgressUpdate

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(client, world, content: bytes, name: str, title: str = ""):
    data = {
        "narrative": "Evidence attached",
        "status": "in_progress",
        "rag": "green",
        "intent": "draft",
        "file": (io.BytesIO(content), name),
        "file_title": title,
    }
    return client.post(
        f"/actions/{world.action.id}/updates/new", data=data, content_type="multipart/form-data"
    )


def stored_files(app) -> set[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return {p for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def evidence_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Evidence.id)))


@pytest.mark.parametrize(
    "content, name",
    [
        (PDF, "minutes.pdf"),
        (PNG, "chart.png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "photo.jpeg"),
        (docx_bytes(), "report.docx"),
        (b"month,value\nMarch,55.3\n", "figures.csv"),
        ("Notes – café\n".encode(), "notes.txt"),
    ],
)
def test_accepted_types_are_stored_by_their_hash(app, world, login, content, name):
    response = upload(login("manager"), world, content, name)
    assert response.status_code == 302, text_of(response)[:300]
    item = db.session.scalar(sa.select(Evidence).order_by(Evidence.id.desc()))
    assert item.original_name == name and item.size == len(content)
    assert path_for(app.config["UPLOAD_FOLDER"], item.sha256).read_bytes() == content
    assert not str(app.config["UPLOAD_FOLDER"]).startswith(str(Path(app.static_folder)))


def test_the_same_file_twice_is_stored_once(app, world, login):
    client = login("manager")
    before = stored_files(app)
    upload(client, world, PDF, "a.pdf", "First")
    upload(client, world, PDF, "b.pdf", "Second")
    assert len(stored_files(app) - before) == 1
    assert evidence_count() == 3  # the world's own, and these two


def bomb() -> bytes:
    return docx_bytes({"word/media/padding.bin": b"\x00" * (300 * 1024 * 1024)})


CATALOGUE = [
    ("oversize", lambda: b"a" * (100 * 1024 + 1), "big.txt", "must be smaller than 100 KB"),
    (
        "executable renamed .pdf",
        lambda: b"MZ\x90\x00" + b"\x00" * 200,
        "report.pdf",
        "not a real .pdf",
    ),
    ("polyglot pdf and zip", lambda: PDF + docx_bytes(), "both.pdf", "another file hidden inside"),
    (
        "html in a png",
        lambda: PNG + b"<html><script>alert(1)</script>",
        "x.png",
        "another file hidden",
    ),
    ("zip bomb docx", bomb, "bomb.docx", "zip bomb"),
    ("empty file", lambda: b"", "empty.pdf", "is empty"),
    ("path in the name", lambda: PDF, "../../etc/passwd.pdf", "not allowed"),
    ("null byte in the name", lambda: PDF, "report\x00.pdf", "not allowed"),
    ("right-to-left override", lambda: PDF, "report\u202efdp.exe", "not allowed"),
    ("unknown type", lambda: b"#!/bin/sh\nrm -rf /\n", "run.sh", "must be a PDF"),
    (
        "docx that is a plain zip",
        lambda: io.BytesIO().getvalue() or _plain_zip(),
        "x.docx",
        "not a real .docx",
    ),
]


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize("case, make, name, message", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_hostile_uploads_are_refused_and_nothing_is_stored(
    app, world, login, case, make, name, message
):
    client = login("manager")
    if case == "oversize":  # a small limit keeps it quick; the default is tested below
        app.config["MAX_UPLOAD_BYTES"] = 100 * 1024
    files_before, evidence_before = stored_files(app), evidence_count()
    updates_before = db.session.scalar(sa.select(sa.func.count(ProgressUpdate.id)))
    response = upload(client, world, make(), name)
    assert response.status_code in (200, 413)
    if response.status_code == 200:
        page = text_of(response)
        assert message in page
        assert "Evidence attached" in page  # what the user typed is kept
    assert stored_files(app) == files_before
    assert evidence_count() == evidence_before
    assert db.session.scalar(sa.select(sa.func.count(ProgressUpdate.id))) == updates_before


def test_downloads_are_attachments_for_the_authority_only(world, login):
    response = login("head").get(f"/evidence/{world.evidence.id}/download")
    assert response.data == b"Minutes of the tracking meeting\n"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()
    assert login("stranger").get(f"/evidence/{world.evidence.id}/download").status_code == 404


def test_links_must_be_https_with_a_title(world, login):
    client = login("manager")
    data = {
        "narrative": "Link",
        "status": "in_progress",
        "rag": "green",
        "intent": "draft",
        "link_url": "javascript:alert(1)",
        "link_title": "Case notes",
    }
    response = client.post(f"/actions/{world.action.id}/updates/new", data=data)
    assert "Enter a link that starts with https://" in text_of(response)
    data.update(link_url="https://records.example/cases/audit", link_title="")
    assert "Enter a title for the link" in text_of(
        client.post(f"/actions/{world.action.id}/updates/new", data=data)
    )


def test_a_newer_item_with_the_same_title_supersedes_and_never_deletes(world, login):
    client = login("manager")
    upload(client, world, PDF, "v1.pdf", "Audit report")
    upload(client, world, PDF + b"%v2\n", "v2.pdf", "Audit report")
    items = db.session.scalars(
        sa.select(Evidence).where(Evidence.title == "Audit report").order_by(Evidence.id)
    ).all()
    assert len(items) == 2
    assert items[0].superseded_by_id == items[1].id and items[1].superseded_by_id is None


def test_the_default_size_limit_is_20_mb(app):
    assert app.config["MAX_UPLOAD_BYTES"] == 20 * 1024 * 1024
    assert app.config["MAX_CONTENT_LENGTH"] > app.config["MAX_UPLOAD_BYTES"]
