"""An issued version's frozen files live in the file store under their SHA-256: served byte
for byte as issued, refused when changed, and moved out of the database (and back on a
downgrade) by the migration that put them there."""

import hashlib
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from flask import current_app
from flask_migrate import downgrade, upgrade

from tests.conftest import text_of
from tests.factories import revisions_from, without_partners
from tests.plans.test_plan_versions import details
from workflow.core.errors import AlteredFile, MissingFile
from workflow.core.storage import current_store, file_sha256, path_for, read_checked
from workflow.extensions import db, init_migrations
from workflow.jobs import JobRefused
from workflow.models import PlanVersion
from workflow.models.plan import FROZEN_FORMATS, FROZEN_TYPES
from workflow.plans.versions import frozen_file, issue_plan
from workflow.signoff.tasks import evidence_sweep

BEFORE_THE_STORE = "signoff"  # the migration before the frozen files moved into the store
FORGED = b"%PDF-1.7\n% not the plan that was sent\n"


def issued(world, progress) -> PlanVersion:
    """A version issued and frozen (the tests run its job as the transaction commits)."""
    progress(world.action, "Tracker in use.", evidence=("Tracker",))
    version = issue_plan(world.users["director"], world.inspection, details(), date.today())
    db.session.commit()
    db.session.refresh(version)
    assert version.frozen
    return version


def kept(version: PlanVersion) -> dict[str, bytes]:
    return {fmt: frozen_file(version, fmt, current_store()) for fmt in FROZEN_FORMATS}


def in_folder(digest: str) -> Path:
    return path_for(current_app.config["UPLOAD_FOLDER"], digest)


def run(sql: str, **values):
    with db.engine.begin() as connection:
        return connection.execute(sa.text(sql), values)


def blob_columns() -> set[str]:
    with db.engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("plan_version")}
    return columns & set(FROZEN_FORMATS)


def test_issuing_keeps_every_format_in_the_folder_store_under_its_hash(world, progress):
    version = issued(world, progress)
    assert set(version.frozen_files()) == set(FROZEN_FORMATS)
    for fmt, digest in version.frozen_files().items():
        with in_folder(digest).open("rb") as stored:
            assert file_sha256(stored) == digest, fmt
    assert blob_columns() == set()  # the database holds the hashes, not the bytes


def test_issuing_keeps_every_format_in_object_storage(s3_app, world, progress):
    version = issued(world, progress)
    store = current_store()
    for fmt, digest in version.frozen_files().items():
        head = store.client.head_object(Bucket=store.bucket, Key=store.key(digest))
        assert head["ContentType"] == FROZEN_TYPES[fmt]
        assert hashlib.sha256(read_checked(store, digest)).hexdigest() == digest
    assert not Path(s3_app.config["UPLOAD_FOLDER"]).exists()  # nothing on this server's disk


def test_each_download_is_the_stored_file_byte_for_byte(world, progress, login):
    version = issued(world, progress)
    files = kept(version)
    client = login("viewer")
    for fmt in FROZEN_FORMATS:
        response = client.get(f"/plan-versions/{version.id}/download.{fmt}")
        assert response.status_code == 200, fmt
        assert response.get_data() == files[fmt]
        assert response.get_etag() == (version.digest_of(fmt), False)
    assert files["pdf"].startswith(b"%PDF-") and files["docx"].startswith(b"PK")


def test_a_changed_file_is_refused_not_served(world, progress, login):
    version = issued(world, progress)
    in_folder(version.pdf_sha256).write_bytes(FORGED)
    with pytest.raises(AlteredFile):
        frozen_file(version, "pdf", current_store())
    response = login("viewer").get(f"/plan-versions/{version.id}/download.pdf")
    assert response.status_code == 503  # unavailable until restored: never a 500
    assert FORGED not in response.get_data()
    assert "does not match the SHA-256 it was kept with, so it has not been sent" in (
        text_of(response)
    )
    docx = login("viewer").get(f"/plan-versions/{version.id}/download.docx")
    assert docx.status_code == 200  # the others are still whole


def test_a_file_missing_from_the_store_is_not_found(world, progress, login):
    version = issued(world, progress)
    in_folder(version.docx_sha256).unlink()
    with pytest.raises(MissingFile):
        frozen_file(version, "docx", current_store())
    assert login("viewer").get(f"/plan-versions/{version.id}/download.docx").status_code == 404


def test_the_weekly_sweep_names_a_version_whose_file_was_changed(world, progress):
    version = issued(world, progress)
    assert evidence_sweep()["records"] >= len(version.frozen_files())
    in_folder(version.pdf_sha256).write_bytes(FORGED)
    with pytest.raises(JobRefused) as refused:
        evidence_sweep()
    assert f"altered: 1 (plan version {version.id} PDF)" in str(refused.value)


def test_downgrade_brings_the_files_back_into_the_database_and_upgrade_moves_them_out(
    world, progress, login
):
    version = issued(world, progress)
    version_id, files, digests = version.id, kept(version), version.frozen_files()
    client = login("viewer")
    db.session.remove()
    init_migrations(current_app)
    without_partners()
    try:
        downgrade(revision=BEFORE_THE_STORE)
        assert blob_columns() == set(FROZEN_FORMATS)
        for fmt in FROZEN_FORMATS:
            held = run(f"SELECT {fmt} FROM plan_version WHERE id = :id", id=version_id).scalar()
            assert bytes(held) == files[fmt], fmt
            in_folder(digests[fmt]).unlink()  # as before this migration: only the rows had them
    finally:
        upgrade()
    assert blob_columns() == set()
    for digest in digests.values():
        with in_folder(digest).open("rb") as stored:
            assert file_sha256(stored) == digest
    for fmt in FROZEN_FORMATS:
        assert client.get(f"/plan-versions/{version_id}/download.{fmt}").get_data() == files[fmt]


def test_downgrade_stops_before_the_schema_changes_when_a_file_is_missing(app, world, progress):
    version = issued(world, progress)
    version_id, missing = version.id, version.xlsx_sha256
    in_folder(missing).unlink()
    db.session.remove()
    init_migrations(app)
    config = app.extensions["migrate"].migrate.get_config()
    without_partners()
    try:
        with pytest.raises(RuntimeError, match=f"plan version {version_id}'s XLSX \\(missing\\)"):
            command.downgrade(config, BEFORE_THE_STORE)
        assert blob_columns() == set()
        # PostgreSQL takes back the whole downgrade; SQLite keeps the steps before this one.
        stopped_at = run("SELECT version_num FROM alembic_version").scalar()
        assert stopped_at in revisions_from("frozen_files")
    finally:
        upgrade()


def test_upgrade_stops_when_a_file_in_the_database_does_not_match_its_hash(app, world, progress):
    version = issued(world, progress)
    version_id, pdf = version.id, frozen_file(version, "pdf", current_store())
    db.session.remove()
    init_migrations(app)
    config = app.extensions["migrate"].migrate.get_config()
    without_partners()
    downgrade(revision=BEFORE_THE_STORE)
    try:
        run("UPDATE plan_version SET pdf = :forged WHERE id = :id", forged=FORGED, id=version_id)
        with pytest.raises(RuntimeError, match=f"issued: plan version {version_id}'s PDF\\."):
            command.upgrade(config, "head")
        assert blob_columns() == set(FROZEN_FORMATS)  # nothing dropped
    finally:
        run("UPDATE plan_version SET pdf = :pdf WHERE id = :id", pdf=pdf, id=version_id)
        upgrade()
    assert frozen_file(db.session.get(PlanVersion, version_id), "pdf", current_store()) == pdf
