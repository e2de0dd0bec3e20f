"""Backup and restore, proved: a backup restored into a fresh database and a fresh store
verifies its audit chain, holds every evidence file and every frozen file of the issued
version with its hash, and serves the same plan and the same issued files byte for byte."""

import json
import os
from datetime import date

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.factories import attach_file
from tests.plans.conftest import report_progress
from tests.plans.test_plan_versions import details
from workflow import create_app
from workflow.core.storage import FolderStore, file_sha256
from workflow.extensions import db
from workflow.models import Evidence
from workflow.models.plan import FROZEN_TYPES
from workflow.plans.versions import issue_plan


@pytest.fixture
def fresh_database(app, database_url, tmp_path):
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    name = f"workflow_restore_{os.getpid()}"

    def run(statement: str) -> None:
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.execute(sa.text(statement))

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def served(app, viewer: str, password: str, inspection_id: int, version_id: int) -> dict:
    """What a viewer downloads: the plan as it stands, and the issued version's files."""
    client = FlaskClient(app)
    client.post("/sign-in", data={"email": viewer, "password": password}).close()
    pages = {
        "plan.html": f"/inspections/{inspection_id}/plan/export.html",
        "plan.csv": f"/inspections/{inspection_id}/plan/export.csv",
        **{f"version.{fmt}": f"/plan-versions/{version_id}/download.{fmt}" for fmt in FROZEN_TYPES},
    }
    answers = {}
    for name, path in pages.items():
        with client.get(path) as response:  # closed: a streamed answer holds its connection
            assert response.status_code == 200, name
            answers[name] = response.get_data()
    return answers


def test_a_backup_restores_into_a_fresh_database_and_store(
    app, world, runner, tmp_path, fresh_database
):
    report_progress(world, world.action, "Tracker in use.", evidence=("Tracker",))
    attach_file(world.users["manager"], world.draft, b"month,value\nMarch,55.3\n", "figures.csv")
    version = issue_plan(world.users["director"], world.inspection, details(), date.today())
    db.session.commit()
    inspection_id, version_id = world.inspection.id, version.id
    evidence = dict(db.session.execute(sa.select(Evidence.id, Evidence.sha256)).all())
    evidence_files = {sha for sha in evidence.values() if sha}
    assert len(evidence_files) >= 2
    db.session.refresh(version)
    frozen = version.frozen_files()  # the issued version's DOCX, PDF, ... in the store too
    assert set(frozen) == set(FROZEN_TYPES)
    files = evidence_files | set(frozen.values())
    db.session.commit()
    before = served(app, world.users["viewer"].email, world.password, inspection_id, version_id)
    intact = runner.invoke(args=["audit", "verify"]).output
    assert intact.startswith("Audit chain intact")

    backup = tmp_path / "backup"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((backup / "manifest.json").read_text())
    assert {f["sha256"] for f in manifest["files"]} == files
    types = {f["sha256"]: f["content_type"] for f in manifest["files"]}
    assert {fmt: types[digest] for fmt, digest in frozen.items()} == FROZEN_TYPES
    assert manifest["database"]["dialect"] == db.engine.dialect.name

    restored = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": fresh_database,
            "UPLOAD_FOLDER": str(tmp_path / "restored-evidence"),
            "WTF_CSRF_ENABLED": False,
        }
    )
    viewer = world.users["viewer"].email
    with restored.app_context():
        try:
            commands = restored.test_cli_runner()
            result = commands.invoke(args=["restore", str(backup)])
            assert result.exit_code == 0, result.output
            assert f"Restored the database and {len(files)} files" in result.output
            assert commands.invoke(args=["audit", "verify"]).output == intact
            store = FolderStore(tmp_path / "restored-evidence")
            for sha in files:
                with store.open(sha) as stream:
                    assert file_sha256(stream) == sha
            again = commands.invoke(args=["restore", str(backup)])
            assert again.exit_code != 0
            assert "The database is not empty" in again.output
        finally:
            db.session.remove()
    try:
        assert served(restored, viewer, world.password, inspection_id, version_id) == before
    finally:
        with restored.app_context():
            db.engine.dispose()


def test_a_backup_goes_only_into_an_empty_folder(app, runner, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "something").write_text("x")
    result = runner.invoke(args=["backup", str(tmp_path / "old")])
    assert result.exit_code != 0 and "is not empty" in result.output


def test_a_folder_that_is_not_a_backup_is_refused(app, runner, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path)])
    assert result.exit_code != 0 and "holds no readable manifest.json" in result.output
