"""Background jobs: work that should not keep a person waiting, run off the request.

A feature declares a job in its own ``tasks.py`` with ``@job("name")`` and asks for it
with ``enqueue("name", key=..., **args)``. Enqueueing writes a Job row in the caller's
transaction; the job is handed to the queue only once that transaction commits, so the
worker always finds the row and a rolled-back request starts nothing.

Where the work runs depends on the configuration (``JOB_BROKER_URL``, ``JOBS_MODE``):
on a worker through the broker (production), in a thread of the web process (``make run``,
which needs no other service), or at once in the committing process (tests).

Every job must be idempotent: it may run again after a crash or a retry, and a second
run changes nothing the first already did.
"""

from workflow.jobs.dispatch import enqueue
from workflow.jobs.registry import JobRefused, job, job_named

__all__ = ["JobRefused", "enqueue", "job", "job_named"]
