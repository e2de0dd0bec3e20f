"""Dashboard figures: actions by RAG, deadlines, approvals and RAG week by week.

Every figure comes from a fixed number of GROUP BY queries whatever the number of actions,
over the same filtered set of actions (an authority's, or one inspection's).
"""

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from workflow.documents.to_csv import neutralise
from workflow.extensions import db
from workflow.models import (
    Action,
    ActionStatus,
    AuditEvent,
    Inspection,
    ProgressUpdate,
    Rag,
    Recommendation,
    UpdateState,
    User,
)
from workflow.scoping import actions_of

DUE_SOON_DAYS = 30
HISTORY_WEEKS = 12
# Action-created events do not record the RAG: every action starts with the column default.
INITIAL_RAG = Rag.GREEN


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to; None means all."""

    inspection_id: int | None = None
    service_area_id: int | None = None
    owner_id: int | None = None
    status: ActionStatus | None = None
    rag: Rag | None = None


@dataclass
class Summary:
    total: int
    overdue: int
    due_soon: int
    completed: int
    awaiting_approval: int


@dataclass
class RagRow:
    """One line of a RAG chart and its table: a recommendation, or a week."""

    label: str
    counts: dict[Rag, int] = field(default_factory=dict)
    recommendation_id: int | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def filtered_actions(user: User, filters: Filters) -> sa.Select:
    """The user's authority's actions, narrowed by the filters (joined to their inspection)."""
    query = actions_of(user)
    conditions = {
        Recommendation.inspection_id: filters.inspection_id,
        Action.service_area_id: filters.service_area_id,
        Action.owner_id: filters.owner_id,
        Action.status: filters.status,
        Action.rag: filters.rag,
    }
    for column, value in conditions.items():
        if value is not None:
            query = query.where(column == value)
    return query


def summary(user: User, filters: Filters, today: date) -> Summary:
    """Totals in two queries: one pass over the actions, one count of waiting updates."""
    open_ = Action.status != ActionStatus.COMPLETE
    soon = today + timedelta(days=DUE_SOON_DAYS)
    overdue = sa.and_(open_, Action.due_date < today)
    due_soon = sa.and_(open_, Action.due_date >= today, Action.due_date <= soon)
    completed = Action.status == ActionStatus.COMPLETE
    query = filtered_actions(user, filters).with_only_columns(
        sa.func.count(Action.id),
        _count_where(overdue),
        _count_where(due_soon),
        _count_where(completed),
    )
    total, n_overdue, n_soon, n_completed = db.session.execute(query).one()
    waiting = sa.select(sa.func.count(ProgressUpdate.id)).where(
        ProgressUpdate.state == UpdateState.SUBMITTED,
        ProgressUpdate.action_id.in_(_action_ids(user, filters)),
    )
    return Summary(total, n_overdue, n_soon, n_completed, db.session.scalar(waiting))


def _count_where(condition) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _action_ids(user: User, filters: Filters) -> sa.Select:
    return filtered_actions(user, filters).with_only_columns(Action.id)


def rag_by_recommendation(user: User, filters: Filters) -> list[RagRow]:
    """Each recommendation with actions, and how many of them are at each RAG, in one query.

    Across all inspections only open recommendations are shown: a closed one's bar is all
    blue, and an authority's closed history grows for ever (one inspection's shows them all).
    """
    query = (
        filtered_actions(user, filters)
        .with_only_columns(
            Inspection.start_date,
            Inspection.id,
            Recommendation.number,
            Recommendation.id,
            Action.rag,
            sa.func.count(Action.id),
        )
        .group_by(
            Inspection.start_date,
            Inspection.id,
            Recommendation.number,
            Recommendation.id,
            Action.rag,
        )
        .order_by(Inspection.start_date.desc(), Inspection.id, Recommendation.number)
    )
    if filters.inspection_id is None:
        query = query.where(Recommendation.closed_at.is_(None))
    rows: dict[int, RagRow] = {}
    one_inspection = filters.inspection_id is not None
    for started, _, number, recommendation_id, rag, count in db.session.execute(query):
        if recommendation_id not in rows:
            label = f"Recommendation {number}"
            if not one_inspection:
                label = f"{started:%b %Y} inspection, recommendation {number}"
            rows[recommendation_id] = RagRow(label, recommendation_id=recommendation_id)
        rows[recommendation_id].counts[rag] = count
    return list(rows.values())


def weekly_rag(user: User, filters: Filters, today: date) -> list[RagRow]:
    """RAG counts at the end of each week, rebuilt from the audit trail in one query.

    An action counts from the week it was created, at the RAG it had then; each approved
    update that changed its RAG moves it. Weeks end on Sunday; the last is this week so far.
    """
    events = db.session.execute(
        sa.select(AuditEvent.action_id, AuditEvent.at, AuditEvent.object_type, AuditEvent.changes)
        .where(
            AuditEvent.action_id.in_(_action_ids(user, filters)),
            sa.or_(
                sa.and_(AuditEvent.object_type == "action", AuditEvent.verb == "created"),
                sa.and_(AuditEvent.object_type == "progress_update", AuditEvent.verb == "approved"),
            ),
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    if not events:
        return []
    return _sweep(events, _week_ends(events[0].at.date(), today))


def _week_ends(first: date, today: date) -> list[date]:
    last = today + timedelta(days=6 - today.weekday())
    weeks = min(HISTORY_WEEKS, (last - first).days // 7 + 1)
    return [last - timedelta(weeks=n) for n in reversed(range(weeks))]


def _sweep(events: list, week_ends: list[date]) -> list[RagRow]:
    """Replay the events in time order, taking the RAG counts as each week closes."""
    current: dict[int, Rag] = {}
    rows, position = [], 0
    for week_end in week_ends:
        # Audit times are UTC; a week closes at midnight UTC, near enough for weekly counts.
        closes = datetime.combine(week_end + timedelta(days=1), time.min)
        while position < len(events) and events[position].at < closes:
            action_id, _, kind, changes = events[position]
            if kind == "action":
                current[action_id] = Rag(changes.get("rag", INITIAL_RAG.value))
            elif "rag" in changes:
                current[action_id] = Rag(changes["rag"][1])
            position += 1
        rows.append(RagRow(f"Week ending {week_end:%-d %b %Y}", dict(Counter(current.values()))))
    return rows


def action_list(user: User, filters: Filters) -> sa.Select:
    """The filtered actions, soonest due first, with what a table row shows loaded alongside."""
    return (
        filtered_actions(user, filters)
        .options(
            joinedload(Action.owner),
            joinedload(Action.service_area),
            # Already joined by the scoping: a second pair of joins only slows the planner.
            contains_eager(Action.recommendation).contains_eager(Recommendation.inspection),
        )
        .order_by(Action.due_date, Action.id)
    )


CSV_COLUMNS = [
    "Inspection",
    "Recommendation",
    "Reference",
    "Action",
    "Owner",
    "Service area",
    "Due date",
    "Original due date",
    "Status",
    "RAG",
    "Overdue",
]


def actions_csv(actions: Iterable[Action], today: date) -> bytes:
    """The filtered actions as CSV, safe to open in a spreadsheet (UTF-8 with a BOM for Excel)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for action in actions:
        recommendation = action.recommendation
        row = [
            recommendation.inspection.title,
            str(recommendation.number),
            action.reference,
            action.description,
            action.owner.name,
            action.service_area.name,
            action.due_date.isoformat(),
            action.original_due_date.isoformat(),
            action.status.label,
            action.rag.label,
            "Yes" if action.is_overdue(today) else "No",
        ]
        writer.writerow([neutralise(value) for value in row])
    return out.getvalue().encode("utf-8-sig")
