"""Closing a recommendation, by a director, once all its actions are complete; and reopening
it, with a reason."""

from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.core.locking import check_version, flush
from workflow.models import ActionStatus, Recommendation, User, utcnow


def close_recommendation(
    director: User, recommendation: Recommendation, version: int | None
) -> None:
    check_version(recommendation, version)
    if not recommendation.actions or any(
        a.status is not ActionStatus.COMPLETE for a in recommendation.actions
    ):
        raise RuleError("A recommendation can be closed only when all its actions are complete")
    recommendation.closed_at, recommendation.closed_by = utcnow(), director
    flush()
    summary = f"Recommendation {recommendation.number} closed"
    record_event(
        director, recommendation.inspection.authority_id, recommendation, "closed", summary
    )


def reopen_recommendation(
    director: User, recommendation: Recommendation, version: int | None, reason: str
) -> None:
    check_version(recommendation, version)
    if not reason:
        raise RuleError("Enter the reason for reopening the recommendation", "reason")
    if not recommendation.is_closed:
        raise RuleError("This recommendation is not closed")
    recommendation.closed_at = recommendation.closed_by_id = None
    recommendation.closed_by = None
    flush()
    summary = f"Recommendation {recommendation.number} reopened"
    authority_id = recommendation.inspection.authority_id
    record_event(director, authority_id, recommendation, "reopened", summary, {"reason": reason})
