"""The administrators' page of background jobs: what failed and why, and a retry."""

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, url_for
from flask_login import current_user

from workflow.core import permissions
from workflow.extensions import db
from workflow.jobs.dispatch import retry_failed
from workflow.models import Job, JobState, User
from workflow.web import page_number, require, run_button

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def visible_to(user: User) -> sa.ColumnElement[bool]:
    """The authority's own jobs, and the installation's (reminders), never another's."""
    return sa.or_(Job.authority_id == user.authority_id, Job.authority_id.is_(None))


@bp.get("")
def index():
    require(permissions.can_see_jobs(current_user))
    failed = sa.select(Job).where(visible_to(current_user), Job.state == JobState.FAILED)
    page = db.paginate(
        failed.order_by(Job.finished_at.desc(), Job.id.desc()),
        page=page_number(),
        per_page=25,
        error_out=False,
    )
    counts = dict(
        db.session.execute(
            sa.select(Job.state, sa.func.count())
            .where(visible_to(current_user))
            .group_by(Job.state)
        ).all()
    )
    return render_template("jobs/index.html", page=page, counts=counts, states=list(JobState))


@bp.post("/<int:job_id>/retry")
def retry(job_id: int):
    require(permissions.can_see_jobs(current_user))
    job = db.session.scalar(sa.select(Job).where(visible_to(current_user), Job.id == job_id))
    if job is None:
        abort(404)
    success, back = f"Job {job.id} queued again.", url_for("jobs.index")
    return run_button(retry_failed, job, success=success, back=back)
