"""Running one job: claim it, call its function, record the outcome, decide on a retry.

A job is claimed with a conditional UPDATE, so two workers handed the same message (a
redelivery after a crash) never run it side by side; a job left "running" by a worker
that died is claimed again once it is stale. Failures are retried with exponential
back-off, except a JobRefused (or a rule's refusal), which fails at once: trying again
cannot help. The reason is kept on the row for the administrators' page.
"""

import logging
import time
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from workflow.core.errors import RuleError
from workflow.extensions import db
from workflow.jobs.registry import JobRefused, failure_handler, job_named
from workflow.models import Job, JobState, utcnow

log = logging.getLogger("workflow.jobs")
PERMANENT = (JobRefused, RuleError, KeyError, TypeError)


def run_job(job_id: int) -> float | None:
    """Run the job if it is due; the seconds until it should be tried again, or None."""
    if not _claim(job_id):
        return None
    job = db.session.get(Job, job_id)
    started = time.perf_counter()
    _log("job started", job)
    try:
        result = job_named(job.name)(**job.args)
    except Exception as error:  # noqa: BLE001  (every failure is recorded, none is lost)
        db.session.rollback()
        return _failed(db.session.get(Job, job_id), error, time.perf_counter() - started)
    job = db.session.get(Job, job_id)
    job.state, job.finished_at, job.last_error = JobState.SUCCEEDED, utcnow(), None
    job.result = result
    db.session.commit()
    _log("job succeeded", job, seconds=round(time.perf_counter() - started, 3))
    return None


def _claim(job_id: int) -> bool:
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])
    claimable = sa.or_(
        Job.state == JobState.QUEUED,
        sa.and_(Job.state == JobState.RUNNING, Job.started_at < stale),
    )
    claimed = db.session.execute(
        sa.update(Job)
        .where(Job.id == job_id, claimable)
        .values(state=JobState.RUNNING, attempts=Job.attempts + 1, started_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


def _failed(job: Job, error: Exception, seconds: float) -> float | None:
    job.last_error = describe(error)
    retry = not isinstance(error, PERMANENT) and job.attempts < job.max_attempts
    if retry:
        delay = backoff(job.attempts)
        job.state, job.run_after = JobState.QUEUED, utcnow() + timedelta(seconds=delay)
    else:
        job.state, job.finished_at, delay = JobState.FAILED, utcnow(), None
    db.session.commit()
    # The reason stays on the row: its text may quote people's data, the log never does.
    event = "job will be retried" if retry else "job failed"
    _log(event, job, error=type(error).__name__, seconds=round(seconds, 3), retry_in=delay)
    if not retry:
        _tell_the_feature(job, error)
    return delay


def _tell_the_feature(job: Job, error: Exception) -> None:
    """The feature's own record of the failure; the job row keeps its reason whatever happens."""
    handler = failure_handler(job.name)
    if handler is None:
        return
    try:
        handler(error, **job.args)
        db.session.commit()
    except Exception:  # noqa: BLE001  (the job is failed and listed either way)
        db.session.rollback()
        log.exception("the failure handler of job %s failed", job.id)


def backoff(attempts: int) -> float:
    """Seconds before the next try: the base, then four times longer each time, capped."""
    config = current_app.config
    return min(config["JOB_RETRY_SECONDS"] * 4 ** (attempts - 1), config["JOB_RETRY_MAX_SECONDS"])


def describe(error: Exception) -> str:
    message = error.message if isinstance(error, RuleError) else str(error)
    return f"{type(error).__name__}: {message}"[:2000]


def _log(event: str, job: Job, **fields) -> None:
    fields |= {"job_id": job.id, "job": job.name, "attempt": job.attempts}
    if job.request_id:
        fields["request_id"] = job.request_id
    log.info(event, extra={"fields": fields})
