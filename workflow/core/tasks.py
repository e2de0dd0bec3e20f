"""Background jobs of the shared machinery: the daily storage sweep (see core/sweep.py)."""

from datetime import UTC, datetime

from workflow.core.storage import current_store
from workflow.core.sweep import sweep_store
from workflow.jobs import job

STORAGE_SWEEP_JOB = "core.storage_sweep"


@job(STORAGE_SWEEP_JOB)
def storage_sweep() -> dict:
    return sweep_store(current_store(), datetime.now(UTC)).counts()
