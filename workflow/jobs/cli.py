"""Flask commands for background jobs: enqueue one (cron), list the failed, retry one."""

import json
import sys

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from workflow.extensions import db
from workflow.jobs.dispatch import enqueue, requeue
from workflow.jobs.registry import known_jobs
from workflow.models import Job, JobState

jobs_group = AppGroup("jobs", help="Background jobs.")


@jobs_group.command("enqueue")
@click.argument("name")
@click.option("--arg", "args", multiple=True, help="An argument as NAME=VALUE (JSON or text).")
@click.option("--key", default=None, help="Enqueue at most once under this key.")
def enqueue_command(name: str, args: tuple[str, ...], key: str | None):
    """Queue a job by name, for example from cron: oversight.send_reminders --key reminders:DATE."""
    if name not in known_jobs():
        raise click.ClickException(f"No job called {name}. Jobs: {', '.join(known_jobs())}.")
    _run_here_without_a_broker()
    job = enqueue(name, key=key, **dict(_argument(a) for a in args))
    db.session.commit()
    click.echo(f"Job {job.id} ({job.name}) is {job.state.label.lower()}.")


def _argument(text: str) -> tuple[str, object]:
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise click.BadParameter(f"{text!r} is not NAME=VALUE", param_hint="--arg")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


@jobs_group.command("failed")
def failed_command():
    """List failed jobs with their reasons; exits 1 when there are any (for monitoring)."""
    failed = db.session.scalars(
        sa.select(Job).where(Job.state == JobState.FAILED).order_by(Job.id)
    ).all()
    for job in failed:
        click.echo(f"{job.id}\t{job.name}\t{job.attempts} tries\t{job.last_error}")
    click.echo(f"{len(failed)} failed job{'s' * (len(failed) != 1)}.")
    sys.exit(1 if failed else 0)


@jobs_group.command("retry")
@click.argument("job_id", type=int)
def retry_command(job_id: int):
    """Queue a failed job again."""
    job = db.session.get(Job, job_id)
    if job is None or job.state is not JobState.FAILED:
        raise click.ClickException(f"Job {job_id} is not a failed job.")
    _run_here_without_a_broker()
    requeue(job)
    db.session.commit()
    click.echo(f"Job {job.id} queued again.")


@jobs_group.command("run-queued")
def run_queued_command():
    """Run every queued job now, in this process (without a broker, after a restart)."""
    from workflow.jobs.dispatch import send

    queued = db.session.scalars(
        sa.select(Job.id).where(Job.state == JobState.QUEUED).order_by(Job.id)
    ).all()
    db.session.commit()
    app = current_app._get_current_object()
    app.config["JOBS_MODE"] = "eager"
    for job_id in queued:
        send(app, job_id)
    click.echo(f"Ran {len(queued)} queued job{'s' * (len(queued) != 1)}.")


def _run_here_without_a_broker() -> None:
    # A command's process ends when it returns: a job left to a thread would die with it.
    if current_app.config["JOBS_MODE"] == "thread":
        current_app.config["JOBS_MODE"] = "eager"
