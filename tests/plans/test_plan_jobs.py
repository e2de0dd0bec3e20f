"""The plans' jobs: an issued version's files rendered off the request, the privacy check."""

import hashlib
from datetime import date

import sqlalchemy as sa

from tests.conftest import text_of
from tests.plans.test_plan_versions import details
from workflow.core import audit
from workflow.core.storage import current_store
from workflow.extensions import db
from workflow.jobs import enqueue
from workflow.jobs.runner import run_job
from workflow.models import AuditEvent, Job, JobState, PlanVersion, Rag
from workflow.plans.builder import Plan, build_plan
from workflow.plans.versions import FREEZE_JOB, frozen_file, issue_plan


def test_a_plan_rebuilt_from_its_snapshot_is_the_same_plan(world, progress):
    progress(world.action, "Tracker in use.", rag=Rag.AMBER, evidence=("Tracker",))
    plan = build_plan(world.inspection, date.today(), "Version 1")
    assert Plan.from_snapshot(plan.snapshot()) == plan


def test_issuing_a_version_freezes_its_files_through_a_job(world, progress):
    progress(world.action, "Tracker in use.", evidence=("Tracker",))
    version = issue_plan(world.users["director"], world.inspection, details(), date.today())
    assert not version.frozen  # nothing rendered inside the director's request
    db.session.commit()
    db.session.refresh(version)
    assert version.frozen
    docx = frozen_file(version, "docx", current_store())
    assert version.docx_sha256 == hashlib.sha256(docx).hexdigest()
    assert frozen_file(version, "pdf", current_store()).startswith(b"%PDF-")
    job = db.session.scalar(sa.select(Job).where(Job.name == FREEZE_JOB))
    assert (job.state, job.key, job.authority_id) == (
        JobState.SUCCEEDED,
        f"{FREEZE_JOB}:{version.id}",
        world.authority.id,
    )
    assert job.result["rendered"] is True


def test_freezing_again_changes_nothing(world, progress):
    progress(world.action, "Tracker in use.")
    version = issue_plan(world.users["director"], world.inspection, details(), date.today())
    db.session.commit()
    db.session.refresh(version)
    frozen = version.frozen_files()
    job = db.session.scalar(sa.select(Job).where(Job.name == FREEZE_JOB))
    job.state = JobState.QUEUED
    db.session.commit()
    run_job(job.id)
    db.session.rollback()
    version = db.session.get(PlanVersion, version.id)
    assert version.frozen_files() == frozen
    assert db.session.get(Job, job.id).result["rendered"] is False
    frozen = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.verb == "frozen")).all()
    assert [e.actor_name for e in frozen] == ["System"]
    assert audit.verify_chain().intact


def test_a_version_waiting_for_its_files_says_so(world, login, progress):
    progress(world.action, "Tracker in use.")
    version = issue_plan(world.users["director"], world.inspection, details(), date.today())
    db.session.commit()
    version.docx_sha256 = version.pdf_sha256 = None
    db.session.commit()
    client = login("viewer")
    page = text_of(client.get(f"/inspections/{world.inspection.id}/plan"))
    assert "Files being prepared" in page
    assert client.get(f"/plan-versions/{version.id}/download.pdf").status_code == 404


def test_the_privacy_check_of_a_plan_runs_as_a_job(world, progress):
    world.action.description = "Support for Jamie Smith, a child in care"
    db.session.commit()
    job = enqueue("plans.privacy_check", inspection_id=world.inspection.id, on="2026-12-01")
    db.session.commit()
    db.session.refresh(job)
    assert job.state is JobState.SUCCEEDED
    assert job.result["open_hits"] == 1
    assert job.result["hits"] == [{"kind": "Person's name", "location": "Action 1.1: action"}]
    assert "Jamie" not in str(job.result)
