"""What the read-only API returns: scoped queries and their JSON shapes, one per resource.

Every query is filtered to the token holder's authority (scoping.py), ordered by id so pages
are stable, and loads what its JSON needs in a fixed number of queries per page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from workflow.core.rag import delivery_rag, exception_stands
from workflow.core.tenancy import actions_of, inspections_of, recommendations_of, updates_of
from workflow.extensions import db
from workflow.models import (
    Action,
    Evidence,
    Inspection,
    Measure,
    MeasureValue,
    ProgressUpdate,
    Recommendation,
    UpdateState,
    User,
)

Json = dict[str, Any]


@dataclass(frozen=True)
class Resource:
    model: type
    query: Callable[[User], sa.Select]
    # Takes a whole page, so related rows come in one more query, not one per item.
    serialize: Callable[[list], list[Json]]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime | None) -> str | None:
    """Stored times are UTC: say so, as Power Query expects."""
    return value.isoformat(timespec="seconds") + "Z" if value else None


def _number(value: Decimal) -> float:
    return float(value)


def _inspections(user: User) -> sa.Select:
    return inspections_of(user).options(joinedload(Inspection.plan_owner)).order_by(Inspection.id)


def _inspection_json(items: list[Inspection]) -> list[Json]:
    return [
        {
            "id": i.id,
            "kind": i.kind.value,
            "title": i.title,
            "start_date": _day(i.start_date),
            "end_date": _day(i.end_date),
            "published_on": _day(i.published_on),
            "report_received_on": _day(i.report_received_on),
            "lead_inspector": i.lead_inspector,
            "plan_owner": i.plan_owner.name if i.plan_owner else None,
        }
        for i in items
    ]


def _recommendations(user: User) -> sa.Select:
    return recommendations_of(user).order_by(Recommendation.id)


def _recommendation_json(items: list[Recommendation]) -> list[Json]:
    return [
        {
            "id": r.id,
            "inspection_id": r.inspection_id,
            "number": r.number,
            "text": r.text,
            "senior_lead": r.senior_lead,
            "closed_at": _moment(r.closed_at),
        }
        for r in items
    ]


def _actions(user: User) -> sa.Select:
    return (
        actions_of(user)
        .join(Action.recommendation)
        .options(
            contains_eager(Action.recommendation),
            joinedload(Action.owner),
            joinedload(Action.delegate),
            joinedload(Action.service_area),
            joinedload(Action.rag_exception_by),
        )
        .order_by(Action.id)
    )


def _action_json(items: list[Action]) -> list[Json]:
    today = date.today()
    return [
        {
            "id": a.id,
            "recommendation_id": a.recommendation_id,
            "inspection_id": a.recommendation.inspection_id,
            "reference": a.reference,
            "description": a.description,
            "owner": a.owner.name,
            "delegate": a.delegate.name if a.delegate else None,
            "service_area": a.service_area.name,
            "start_date": _day(a.start_date),
            "original_due_date": _day(a.original_due_date),
            "due_date": _day(a.due_date),
            "status": a.status.value,
            "rag": delivery_rag(a, today).value,
            **_exception_json(a, today),
            "impact_evidenced": a.impact_evidenced,
            "measure_of_success": a.measure_of_success,
            "updated_at": _moment(a.updated_at),
        }
        for a in items
    ]


def _exception_json(action: Action, today: date) -> Json:
    """The reviewer's written exception that the rating stands on, or nulls."""
    if not exception_stands(action, today):
        return {"rag_exception": None, "rag_exception_by": None, "rag_exception_on": None}
    return {
        "rag_exception": action.rag_exception,
        "rag_exception_by": action.rag_exception_by.name,
        "rag_exception_on": _day(action.rag_exception_on),
    }


def _updates(user: User) -> sa.Select:
    """Approved updates only: nothing a proposal says is public until it is approved."""
    return (
        updates_of(user)
        .where(ProgressUpdate.state == UpdateState.APPROVED)
        .options(joinedload(ProgressUpdate.author), joinedload(ProgressUpdate.reviewer))
        .order_by(ProgressUpdate.id)
    )


def _update_json(items: list[ProgressUpdate]) -> list[Json]:
    evidence: dict[int, list[Json]] = {u.id: [] for u in items}
    if items:
        query = sa.select(Evidence).where(Evidence.update_id.in_(evidence)).order_by(Evidence.id)
        for item in db.session.scalars(query):
            evidence[item.update_id].append(
                {"id": item.id, "kind": item.kind.value, "title": item.title}
            )
    return [
        {
            "id": u.id,
            "action_id": u.action_id,
            "author": u.author.name,
            "approved_by": u.reviewer.name,
            "narrative": u.narrative,
            "status": u.proposed_status.value,
            "rag": u.effective_rag.value,
            "rag_reason": u.rag_reason,
            "impact_evidenced": u.impact_evidenced,
            "new_due_date": _day(u.proposed_due_date),
            "due_date_reason": u.due_date_reason,
            "submitted_at": _moment(u.submitted_at),
            "approved_at": _moment(u.reviewed_at),
            "evidence": evidence[u.id],
        }
        for u in items
    ]


def _measures(user: User) -> sa.Select:
    return (
        sa.select(Measure)
        .join(Measure.action)
        .join(Action.recommendation)
        .join(Recommendation.inspection)
        .where(Inspection.authority_id == user.authority_id)
        .order_by(Measure.id)
    )


def _measure_json(items: list[Measure]) -> list[Json]:
    values: dict[int, list[Json]] = {m.id: [] for m in items}
    if items:
        query = (
            sa.select(MeasureValue)
            .join(MeasureValue.update)
            .where(
                MeasureValue.measure_id.in_(values),
                ProgressUpdate.state == UpdateState.APPROVED,
            )
            .order_by(MeasureValue.as_of, MeasureValue.id)
        )
        for value in db.session.scalars(query):
            values[value.measure_id].append(
                {"as_of": _day(value.as_of), "value": _number(value.value)}
            )
    return [
        {
            "id": m.id,
            "action_id": m.action_id,
            "name": m.name,
            "unit": m.unit,
            "baseline_value": _number(m.baseline_value),
            "baseline_date": _day(m.baseline_date),
            "target_value": _number(m.target_value),
            "target_date": _day(m.target_date),
            "higher_is_better": m.higher_is_better,
            "approved_values": values[m.id],
        }
        for m in items
    ]


RESOURCES = {
    "inspections": Resource(Inspection, _inspections, _inspection_json),
    "recommendations": Resource(Recommendation, _recommendations, _recommendation_json),
    "actions": Resource(Action, _actions, _action_json),
    "updates": Resource(ProgressUpdate, _updates, _update_json),
    "measures": Resource(Measure, _measures, _measure_json),
}


def count(resource: Resource, user: User) -> int:
    rows = resource.query(user).order_by(None).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(rows))


def page_of(resource: Resource, user: User, page: int, per_page: int) -> list[Json]:
    query = resource.query(user).limit(per_page).offset((page - 1) * per_page)
    return resource.serialize(list(db.session.scalars(query).unique()))


def one(resource: Resource, user: User, record_id: int) -> Json | None:
    """The record if it is the user's authority's; None for a missing one or anybody else's."""
    query = resource.query(user).where(resource.model.id == record_id)
    found = db.session.scalars(query).unique().first()
    return resource.serialize([found])[0] if found else None
