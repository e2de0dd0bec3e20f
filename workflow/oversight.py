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
    """Totals in one query: a pass over the actions, and a count of waiting updates."""
    open_ = Action.status != ActionStatus.COMPLETE
    soon = today + timedelta(days=DUE_SOON_DAYS)
    overdue = sa.and_(open_, Action.due_date < today)
    due_soon = sa.and_(open_, Action.due_date >= today, Action.due_date <= soon)
    completed = Action.status == ActionStatus.COMPLETE
    waiting = (
        sa.select(sa.func.count(ProgressUpdate.id))
        .where(
            ProgressUpdate.state == UpdateState.SUBMITTED,
            ProgressUpdate.action_id.in_(_action_ids(user, filters)),
        )
        .correlate(None)  # its own actions, not a row of the query around it
        .scalar_subquery()
    )
    query = filtered_actions(user, filters).with_only_columns(
        sa.func.count(Action.id),
        _count_where(overdue),
        _count_where(due_soon),
        _count_where(completed),
        waiting,
    )
    return Summary(*db.session.execute(query).one())


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
    """RAG counts at the end of each week, in one query however long the history.

    Each action counts from the week it was created. Its RAG at the end of a week is its
    RAG now with the approvals made since undone: approvals are the only way an action's RAG
    changes, and each records the RAG before and after. So only the approvals of the weeks
    shown are read, and years of an authority's history cost nothing here. Weeks end on
    Sunday; the last is this week so far.
    """
    rag_before = AuditEvent.changes[("rag", 0)].as_string().label("rag_before")
    oldest_week = _week_ends(date.min, today)[0]  # the earliest a chart can go back to
    recent_approval = sa.and_(
        AuditEvent.action_id == Action.id,
        AuditEvent.object_type == "progress_update",
        AuditEvent.verb == "approved",
        AuditEvent.at >= _closes(oldest_week),
        rag_before.is_not(None),  # not an approval that left the RAG as it was
    )
    rows = db.session.execute(
        filtered_actions(user, filters)
        .outerjoin(AuditEvent, recent_approval)
        .with_only_columns(Action.id, Action.rag, Action.created_at, AuditEvent.at, rag_before)
    ).all()
    if not rows:
        return []
    actions = {row[0]: row for row in rows}.values()  # one row per approval: each action once
    approvals = sorted((row for row in rows if row.at is not None), key=lambda row: row.at)
    week_ends = _week_ends(min(action.created_at for action in actions).date(), today)
    return _rewind(list(actions), approvals[::-1], week_ends)


def _week_ends(first: date, today: date) -> list[date]:
    last = today + timedelta(days=6 - today.weekday())
    weeks = min(HISTORY_WEEKS, (last - first).days // 7 + 1)
    return [last - timedelta(weeks=n) for n in reversed(range(weeks))]


def _closes(week_end: date) -> datetime:
    # Audit times are UTC; a week closes at midnight UTC, near enough for weekly counts.
    return datetime.combine(week_end + timedelta(days=1), time.min)


def _rewind(actions: list, approvals: list, week_ends: list[date]) -> list[RagRow]:
    """Walk back from now, undoing approvals and creations, taking the counts at each week's
    close. Approvals come newest first."""
    current = {action.id: action.rag for action in actions}
    counts = Counter(current.values())
    newest_first = sorted(actions, key=lambda action: action.created_at, reverse=True)
    rows, undone, gone = [], 0, 0
    for week_end in reversed(week_ends):
        closes = _closes(week_end)
        while undone < len(approvals) and approvals[undone].at >= closes:
            action_id, *_, before = approvals[undone]
            counts[current[action_id]] -= 1
            current[action_id] = Rag(before)
            counts[current[action_id]] += 1
            undone += 1
        while gone < len(newest_first) and newest_first[gone].created_at >= closes:
            counts[current[newest_first[gone].id]] -= 1
            gone += 1
        week = {rag: count for rag, count in counts.items() if count}
        rows.append(RagRow(f"Week ending {week_end:%-d %b %Y}", week))
    return rows[::-1]


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
