"""The worker process: ``dramatiq workflow.jobs.worker`` (``make worker``).

It builds the app once, points Dramatiq at the configured broker and declares the one
actor, which runs a job by its id inside an app context. Retries are the runner's, not
Dramatiq's: the Job row counts attempts, and a retry is a delayed message.
"""

import dramatiq

from workflow import create_app
from workflow.jobs import broker as job_broker
from workflow.jobs.registry import load_task_modules
from workflow.jobs.runner import run_job as run_job_here
from workflow.web.logs import configure_logging

app = create_app()
if not app.config.get("JOB_BROKER_URL"):
    raise SystemExit("Set JOB_BROKER_URL (for example redis://127.0.0.1:6379/0) to run a worker.")
configure_logging(app)
job_broker.broker_for(app.config)
load_task_modules()


@dramatiq.actor(
    actor_name=job_broker.ACTOR,
    queue_name=job_broker.QUEUE,
    max_retries=0,
    time_limit=app.config["JOB_TIME_LIMIT_SECONDS"] * 1000,
)
def run_job(job_id: int) -> None:
    with app.app_context():
        delay = run_job_here(job_id)
    if delay is not None:
        job_broker.send(app.config, job_id, delay)
