"""Jobs: enqueued with the transaction, run once, retried with back-off, failures shown."""

import threading
import time
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from workflow.extensions import db
from workflow.jobs import JobRefused, enqueue, job
from workflow.jobs.dispatch import send
from workflow.jobs.runner import backoff, run_job
from workflow.models import Job, JobState, utcnow

calls: list[tuple[str, dict]] = []
flaky_failures = {"left": 0}


@job("tests.record")
def record(**args) -> dict:
    calls.append(("record", args))
    return {"seen": args}


@job("tests.flaky")
def flaky(**args) -> dict:
    calls.append(("flaky", args))
    if flaky_failures["left"] > 0:
        flaky_failures["left"] -= 1
        raise ConnectionError("the mail server hung up")
    return {"ok": True}


@job("tests.refused")
def refused(**args) -> None:
    calls.append(("refused", args))
    raise JobRefused("There is no plan version 99")


def told_of_failure(error: Exception, **args) -> None:
    calls.append(("told", {"error": str(error), **args}))


@job("tests.flaky_told", on_failure=told_of_failure)
def flaky_told(**args) -> dict:
    return flaky(**args)


@pytest.fixture(autouse=True)
def fresh_calls():
    calls.clear()
    flaky_failures["left"] = 0
    yield


def only_job() -> Job:
    db.session.rollback()  # a fresh read: the job ran in a session of its own
    return db.session.scalar(sa.select(Job))


def test_a_job_runs_once_its_transaction_commits(app):
    enqueue("tests.record", version_id=7)
    assert calls == []  # not before the commit: the worker could not see the row yet
    db.session.commit()
    assert calls == [("record", {"version_id": 7})]
    job_row = only_job()
    assert (job_row.state, job_row.attempts, job_row.result) == (
        JobState.SUCCEEDED,
        1,
        {"seen": {"version_id": 7}},
    )
    assert job_row.finished_at is not None


def test_a_rolled_back_transaction_starts_no_job(app):
    enqueue("tests.record", version_id=7)
    db.session.rollback()
    db.session.commit()
    assert calls == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_a_savepoint_does_not_hand_the_job_over_early(app):
    enqueue("tests.record", n=1)
    with db.session.begin_nested():
        pass
    assert calls == []
    db.session.commit()
    assert calls == [("record", {"n": 1})]


def test_the_same_key_is_the_same_job(app):
    first = enqueue("tests.record", key="freeze:1", n=1)
    second = enqueue("tests.record", key="freeze:1", n=1)
    assert first.id == second.id
    db.session.commit()
    enqueue("tests.record", key="freeze:1", n=1)
    db.session.commit()
    assert calls == [("record", {"n": 1})]  # done once, not again
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 1


def test_a_finished_job_handed_over_again_does_not_run_again(app):
    job_row = enqueue("tests.record", n=1)
    db.session.commit()
    assert run_job(job_row.id) is None
    send(app, job_row.id)
    assert calls == [("record", {"n": 1})]


def test_a_job_running_elsewhere_is_not_claimed_until_it_is_stale(app):
    job_row = Job(
        name="tests.record",
        args={},
        state=JobState.RUNNING,
        attempts=1,
        max_attempts=4,
        started_at=utcnow(),
    )
    db.session.add(job_row)
    db.session.commit()
    assert run_job(job_row.id) is None
    assert calls == []
    job_row.started_at = utcnow() - timedelta(seconds=app.config["JOB_STALE_SECONDS"] + 1)
    db.session.commit()
    run_job(job_row.id)
    assert calls == [("record", {})]
    assert only_job().attempts == 2


def test_a_transient_failure_is_retried_with_growing_back_off(app):
    flaky_failures["left"] = 2
    job_row = enqueue("tests.flaky")
    db.session.commit()  # eager mode retries at once instead of waiting
    job_row = only_job()
    assert (job_row.state, job_row.attempts, job_row.last_error) == (JobState.SUCCEEDED, 3, None)
    assert [name for name, _ in calls] == ["flaky"] * 3
    base = app.config["JOB_RETRY_SECONDS"]
    assert [backoff(n) for n in (1, 2, 3)] == [base, base * 4, base * 16]
    assert backoff(20) == app.config["JOB_RETRY_MAX_SECONDS"]


def test_a_retry_waits_for_its_back_off(app):
    flaky_failures["left"] = 1
    job_row = Job(name="tests.flaky", args={}, state=JobState.QUEUED, attempts=0, max_attempts=4)
    db.session.add(job_row)
    db.session.commit()
    before = utcnow()
    assert run_job(job_row.id) == app.config["JOB_RETRY_SECONDS"]
    job_row = only_job()
    assert job_row.state is JobState.QUEUED
    assert job_row.last_error == "ConnectionError: the mail server hung up"
    assert job_row.run_after >= before + timedelta(seconds=app.config["JOB_RETRY_SECONDS"])


def test_a_job_that_keeps_failing_fails_after_its_attempts(app):
    flaky_failures["left"] = 99
    enqueue("tests.flaky")
    db.session.commit()
    job_row = only_job()
    assert (job_row.state, job_row.attempts) == (JobState.FAILED, job_row.max_attempts)
    assert job_row.last_error == "ConnectionError: the mail server hung up"


def test_the_feature_is_told_once_when_its_job_has_failed_for_good(app):
    flaky_failures["left"] = 1
    enqueue("tests.flaky_told", n=1)
    db.session.commit()
    assert ("told", {"error": "the mail server hung up", "n": 1}) not in calls  # retried
    flaky_failures["left"] = 99
    enqueue("tests.flaky_told", n=2)
    db.session.commit()
    told = [args for name, args in calls if name == "told"]
    assert told == [{"error": "the mail server hung up", "n": 2}]


def test_a_refused_job_fails_at_once_and_an_administrator_sees_why(world, login):
    enqueue("tests.refused", authority_id=world.authority.id, version_id=99)
    db.session.commit()
    job_row = only_job()
    assert (job_row.state, job_row.attempts) == (JobState.FAILED, 1)
    page = text_of(login("admin").get("/jobs"))
    assert "Failed 1" in page
    assert f"{job_row.id}: tests.refused" in page
    assert "JobRefused: There is no plan version 99" in page


def test_an_administrator_retries_a_failed_job(world, login):
    flaky_failures["left"] = 99
    enqueue("tests.flaky", authority_id=world.authority.id)
    db.session.commit()
    job_row = only_job()
    assert job_row.state is JobState.FAILED
    flaky_failures["left"] = 0
    client = login("admin")
    response = client.post(f"/jobs/{job_row.id}/retry")
    assert response.status_code == 302
    job_row = only_job()
    assert (job_row.state, job_row.attempts) == (JobState.SUCCEEDED, 1)
    assert "No job has failed." in text_of(client.get("/jobs"))


def test_another_authoritys_jobs_are_neither_listed_nor_retried(world, login):
    other = world.other_authority
    enqueue("tests.refused", authority_id=other.id)
    db.session.commit()
    job_row = only_job()
    client = login("admin")
    assert "No job has failed." in text_of(client.get("/jobs"))
    assert client.post(f"/jobs/{job_row.id}/retry").status_code == 404
    assert only_job().state is JobState.FAILED


def test_without_a_broker_jobs_run_in_a_thread_of_the_web_process(app):
    app.config["JOBS_MODE"] = "thread"
    done = threading.Event()
    enqueue("tests.record", n=5)
    db.session.commit()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not done.is_set():
        if only_job().state is JobState.SUCCEEDED:
            done.set()
        time.sleep(0.05)
    db.session.commit()
    assert done.is_set()
    assert calls == [("record", {"n": 5})]


def test_the_cli_enqueues_by_name_and_lists_failures(app, runner):
    result = runner.invoke(args=["jobs", "enqueue", "tests.record", "--arg", "n=3", "--key", "k"])
    assert result.exit_code == 0, result.output
    assert "is done" in result.output
    assert calls == [("record", {"n": 3})]
    result = runner.invoke(args=["jobs", "enqueue", "no.such.job"])
    assert result.exit_code != 0 and "No job called no.such.job" in result.output
    assert runner.invoke(args=["jobs", "failed"]).exit_code == 0
    enqueue("tests.refused")
    db.session.commit()
    result = runner.invoke(args=["jobs", "failed"])
    assert result.exit_code == 1 and "JobRefused" in result.output


def test_reminders_run_as_a_job_once_a_day(app, runner):
    today = date.today().isoformat()
    result = runner.invoke(
        args=[
            "jobs",
            "enqueue",
            "oversight.send_reminders",
            "--arg",
            f"on={today}",
            "--key",
            f"reminders:{today}",
        ]
    )
    assert result.exit_code == 0, result.output
    job_row = only_job()
    assert (job_row.state, job_row.result) == (JobState.SUCCEEDED, {"sent": 0, "on": today})


def test_without_a_broker_a_command_runs_its_job_before_it_exits(app, runner):
    app.config["JOBS_MODE"] = "thread"
    result = runner.invoke(args=["jobs", "enqueue", "tests.record", "--arg", "n=4"])
    assert "is done" in result.output
    assert calls == [("record", {"n": 4})]


def test_queued_jobs_left_by_a_restart_are_run_by_a_command(app, runner):
    db.session.add(Job(name="tests.record", args={"n": 6}, attempts=0, max_attempts=4))
    db.session.commit()
    result = runner.invoke(args=["jobs", "run-queued"])
    assert "Ran 1 queued job." in result.output
    assert calls == [("record", {"n": 6})]
    assert only_job().state is JobState.SUCCEEDED
