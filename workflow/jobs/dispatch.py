"""Enqueueing: a Job row now, the hand-over to the queue after the transaction commits.

Three ways to run, chosen by ``JOBS_MODE``: ``broker`` sends the job's id to the worker
through Dramatiq on Redis; ``thread`` runs it in a thread of this process (the default
without a broker, so ``make run`` needs nothing more); ``eager`` runs it in the committing
thread before ``commit()`` returns (tests).
"""

import logging
import threading
import time

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context
from sqlalchemy.orm import Session

from workflow.core.errors import RuleError
from workflow.extensions import db
from workflow.jobs.registry import job_named
from workflow.models import Job, JobState

log = logging.getLogger("workflow.jobs")
PENDING = "workflow.jobs.pending"


def enqueue(name: str, *, key: str | None = None, authority_id: int | None = None, **args) -> Job:
    """A job to run after this transaction commits; the same key gives back the same job.

    A failed job asked for again under its key is queued again, with fresh attempts.
    """
    job_named(name)  # an unknown name is a programming error: fail here, not in the worker
    if key is not None and (existing := _job_with_key(key)) is not None:
        if existing.state is JobState.FAILED:
            requeue(existing)
        return existing
    job = Job(
        name=name,
        args=args,
        key=key,
        authority_id=authority_id,
        state=JobState.QUEUED,
        attempts=0,
        max_attempts=current_app.config["JOB_MAX_ATTEMPTS"],
        request_id=g.get("request_id") if has_request_context() else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(job)
    except sa.exc.IntegrityError:
        # The same key enqueued at the same moment elsewhere: that one is this job.
        return _job_with_key(key)
    _after_commit(job.id)
    return job


def requeue(job: Job) -> None:
    """Queue a failed job again (an administrator's retry, or the same key asked for again)."""
    job.state, job.attempts, job.run_after = JobState.QUEUED, 0, None
    db.session.flush()
    _after_commit(job.id)


def retry_failed(job: Job) -> None:
    """An administrator's retry: a failed job queued again; any other is left as it is."""
    if job.state is not JobState.FAILED:
        raise RuleError(f"Job {job.id} has not failed: it was left as it is.")
    requeue(job)


def _job_with_key(key: str) -> Job | None:
    return db.session.scalar(sa.select(Job).where(Job.key == key))


def _after_commit(job_id: int) -> None:
    app = current_app._get_current_object()
    db.session().info.setdefault(PENDING, []).append((app, job_id))


@sa.event.listens_for(Session, "after_commit")
def _hand_over(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the rows are not committed yet
    for app, job_id in session.info.pop(PENDING, []):
        send(app, job_id)


@sa.event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    # A savepoint rolled back keeps the jobs enqueued before it; a job whose row went with
    # the savepoint is simply not found when it is run.
    if not session.in_nested_transaction():
        session.info.pop(PENDING, None)


def send(app: Flask, job_id: int, delay: float = 0) -> None:
    """Hand a job to whatever runs jobs here, to start after ``delay`` seconds."""
    mode = app.config["JOBS_MODE"]
    if mode == "broker":
        from workflow.jobs import broker

        broker.send(app.config, job_id, delay)
    elif mode == "thread":
        timer = threading.Timer(delay, _run_in_thread, (app, job_id))
        timer.daemon = True
        timer.start()
    elif mode == "eager":
        _run_here(app, job_id)
    else:
        raise ValueError(f"JOBS_MODE must be broker, thread or eager, not {mode!r}")


def _run_in_thread(app: Flask, job_id: int) -> None:
    from workflow.jobs.runner import run_job

    with app.app_context():
        delay = run_job(job_id)
    if delay is not None:
        send(app, job_id, delay)


def _run_here(app: Flask, job_id: int) -> None:
    """Run now, in a context of its own (the committing session cannot be used in its hook),
    retrying at once rather than after the back-off: tests should not sleep."""
    from workflow.jobs.runner import run_job

    while True:
        with app.app_context():
            delay = run_job(job_id)
        if delay is None:
            return
        time.sleep(min(delay, app.config["JOB_EAGER_RETRY_SECONDS"]))
