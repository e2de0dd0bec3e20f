"""Background jobs of planning: each morning, actions whose due dates have passed go red.

Scheduled from cron once a day, just after midnight (see README): the job reads today's
date when it runs, and a second run the same day finds nothing left to change.
"""

from datetime import date

from workflow.jobs import job
from workflow.planning import rules as planning

PAST_DUE_JOB = "planning.mark_past_due"


@job(PAST_DUE_JOB)
def mark_past_due(on: str | None = None) -> dict:
    today = date.fromisoformat(on) if on else date.today()
    marked = planning.mark_past_due(today)
    return {"marked": len(marked), "on": today.isoformat()}
