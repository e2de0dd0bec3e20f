"""A real worker process on the real broker (Dramatiq on Redis) runs jobs end to end.

Under CI=true a Redis that cannot be reached fails the run; elsewhere the test is skipped.
Each run has a broker namespace of its own, so runs sharing one Redis never take each
other's messages.
"""

import os
import subprocess
import sys
import time
import uuid
from datetime import date

import pytest
import sqlalchemy as sa

from tests.conftest import ON_CI, ROOT, SHARED
from tests.plans.conftest import report_progress
from tests.plans.test_plan_versions import details
from workflow.core.storage import current_store
from workflow.extensions import db
from workflow.imports.rules import receive_report
from workflow.models import Job, JobState, PlanVersion, ReportImport
from workflow.plans.versions import FREEZE_JOB, frozen_file, issue_plan

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
pytestmark = pytest.mark.postgres_only


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if ON_CI:
            pytest.fail(f"Redis at {REDIS_URL} is not reachable: {error}")
        pytest.skip(f"Redis at {REDIS_URL} is not reachable")
    return REDIS_URL


@pytest.fixture
def worker(app, redis_url, tmp_path):
    """A `dramatiq workflow.jobs.worker` process, and the app switched to send to it."""
    import redis

    namespace = f"workflow-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    settings = {
        "JOBS_MODE": "broker",
        "JOB_BROKER_URL": redis_url,
        "JOB_BROKER_NAMESPACE": namespace,
    }
    env = {
        **os.environ,
        **settings,
        "WORKFLOW_CONFIG": "testing",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dramatiq",
                "workflow.jobs.worker",
                "--processes",
                "1",
                "--threads",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    app.config.update(settings)
    try:
        yield process, log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(f"{namespace}*"):
            client.delete(key)


def wait_for(check, process, log_path, seconds: float = 180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()  # a fresh read each time: the worker writes in its own process
        if (found := check()) is not None:
            return found
        if process.poll() is not None:
            break
        time.sleep(0.25)
    pytest.fail(f"The worker did not finish the job. Its log:\n{log_path.read_text()[-4000:]}")


def test_a_worker_freezes_an_issued_version_through_the_broker(world, worker):
    process, log_path = worker
    report_progress(world, world.action, "Tracker in use.", evidence=("Tracker",))
    version = issue_plan(world.users["director"], world.inspection, details(), date.today())
    db.session.commit()
    version_id = version.id

    def frozen_job():
        job = db.session.scalar(sa.select(Job).where(Job.name == FREEZE_JOB))
        return job if job.state in (JobState.SUCCEEDED, JobState.FAILED) else None

    job = wait_for(frozen_job, process, log_path)
    assert (job.state, job.attempts, job.last_error) == (JobState.SUCCEEDED, 1, None)
    version = db.session.get(PlanVersion, version_id)
    assert version.frozen
    assert frozen_file(version, "pdf", current_store()).startswith(b"%PDF-")
    assert job.result["pdf_sha256"] == version.pdf_sha256
    assert f'"job_id": {job.id}' in log_path.read_text()  # the worker logs JSON lines


def test_cron_queues_the_daily_reminders_for_the_worker(world, worker, runner):
    process, log_path = worker
    today = date.today().isoformat()
    args = ["jobs", "enqueue", "oversight.send_reminders", "--arg", f"on={today}"]
    result = runner.invoke(args=[*args, "--key", f"reminders:{today}"])
    assert result.exit_code == 0 and "is queued" in result.output

    def finished():
        job = db.session.scalar(sa.select(Job).where(Job.key == f"reminders:{today}"))
        return job if job.state in (JobState.SUCCEEDED, JobState.FAILED) else None

    job = wait_for(finished, process, log_path)
    # Nothing in the world is due within a fortnight nor waiting long: no email to send.
    assert (job.state, job.result) == (JobState.SUCCEEDED, {"sent": 0, "on": today})


def test_a_worker_reads_an_uploaded_report_through_the_broker(world, worker):
    process, log_path = worker
    path = SHARED / "reports" / "derby-2022-05-11.pdf"  # read where it is, never copied
    if not path.exists():
        pytest.skip(f"{path} is not here")
    report_import = receive_report(
        world.users["admin"], path.read_bytes(), path.name, None, 20 * 1024 * 1024
    )
    db.session.commit()
    import_id = report_import.id

    def read():
        found = db.session.get(ReportImport, import_id)
        return found if found.status in ("ready", "failed") else None

    report_import = wait_for(read, process, log_path)
    assert (report_import.status, report_import.error) == ("ready", None)
    assert report_import.parsed["authority"] == "Derby"
    assert report_import.parsed["lead_inspector"] == "Julie Knight"
    assert report_import.parsed["recommendations"] and report_import.source is None
    assert (report_import.job.state, report_import.job.attempts) == (JobState.SUCCEEDED, 1)
