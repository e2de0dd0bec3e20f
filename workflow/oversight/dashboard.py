"""Dashboard figures: actions by RAG, deadlines, approvals and RAG week by week.

Every figure comes from one query over the same filtered set of actions (an authority's,
or one inspection's), whatever the number of actions.
"""

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from workflow.core.names import first_words, inspection_short_title
from workflow.core.rag import delivery_rag, delivery_rag_sql, exception_stands
from workflow.core.tenancy import actions_of
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
from workflow.plans.render.csv import neutralise

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


def filtered_actions(user: User, filters: Filters, today: date) -> sa.Select:
    """The user's authority's actions, narrowed by the filters (joined to their inspection);
    the RAG filter is the delivery rating, as every list shows it.

    Across all inspections, only the live plans: actions of open recommendations. Closed
    ones are history, on their own inspection's dashboard; an authority's history grows for
    ever, and the page would grow with it.
    """
    query = actions_of(user).join(Action.recommendation).join(Recommendation.inspection)
    if filters.inspection_id is None:
        query = query.where(Recommendation.closed_at.is_(None))
    conditions = {
        Recommendation.inspection_id: filters.inspection_id,
        Action.service_area_id: filters.service_area_id,
        Action.owner_id: filters.owner_id,
        Action.status: filters.status,
        delivery_rag_sql(today, user.authority): filters.rag,
    }
    for column, value in conditions.items():
        if value is not None:
            query = query.where(column == value)
    return query


@dataclass
class Figures:
    """Everything the dashboard counts, over one filtered set of actions."""

    summary: Summary
    by_recommendation: list[RagRow]
    weekly: list[RagRow]


def figures(user: User, filters: Filters, today: date) -> Figures:
    """The dashboard's figures from one query, whatever the number of actions: each filtered
    action with its delivery rating and recommendation, the changes of its RAG in the weeks
    charted (see _weekly), and the number of updates waiting for approval."""
    rag_before = AuditEvent.changes[("rag", 0)].as_string().label("rag_before")
    oldest_week = _week_ends(date.min, today)[0]  # the earliest a chart can go back to
    recent_change = sa.and_(
        AuditEvent.action_id == Action.id,
        sa.or_(
            sa.and_(AuditEvent.object_type == "progress_update", AuditEvent.verb == "approved"),
            AuditEvent.object_type == "action",  # an edit of the due date, the morning job
        ),
        AuditEvent.at >= _closes(oldest_week),
        rag_before.is_not(None),  # not a change that left the RAG as it was
    )
    # An action has at most one update waiting (a unique index): counting the actions with
    # one counts the updates, each looked up in that index rather than scanning them all.
    waiting = (
        sa.select(ProgressUpdate.id)
        .where(ProgressUpdate.action_id == Action.id, ProgressUpdate.state == UpdateState.SUBMITTED)
        .exists()
        .label("waiting")
    )
    rows = db.session.execute(
        filtered_actions(user, filters, today)
        .outerjoin(AuditEvent, recent_change)
        .with_only_columns(
            Action.id,
            delivery_rag_sql(today, user.authority).label("rag"),
            Action.status,
            Action.due_date,
            Action.created_at,
            Inspection.start_date,
            Inspection.kind,
            Recommendation.inspection_id,
            Recommendation.number,
            Recommendation.text,
            Recommendation.short_name,
            Recommendation.id.label("recommendation_id"),
            AuditEvent.at,
            rag_before,
            waiting,
        )
    ).all()
    actions = list({row.id: row for row in rows}.values())  # a row per approval: each once
    approvals = sorted((row for row in rows if row.at is not None), key=lambda row: row.at)
    return Figures(
        summary=_summary(actions, sum(action.waiting for action in actions), today),
        by_recommendation=_by_recommendation(actions, filters.inspection_id is not None),
        weekly=_weekly(actions, approvals[::-1], today),
    )


def _summary(actions: list, waiting: int, today: date) -> Summary:
    soon = today + timedelta(days=DUE_SOON_DAYS)
    open_ = [action for action in actions if action.status is not ActionStatus.COMPLETE]
    return Summary(
        total=len(actions),
        overdue=sum(action.due_date < today for action in open_),
        due_soon=sum(today <= action.due_date <= soon for action in open_),
        completed=len(actions) - len(open_),
        awaiting_approval=waiting,
    )


def _by_recommendation(actions: list, one_inspection: bool) -> list[RagRow]:
    """Each recommendation with actions and how many are at each RAG, newest inspection first."""
    newest_first = sorted(
        actions,
        key=lambda a: (-a.start_date.toordinal(), a.inspection_id, a.number, a.recommendation_id),
    )
    rows: dict[int, RagRow] = {}
    for action in newest_first:
        row = rows.get(action.recommendation_id)
        if row is None:
            label = f"{action.number}. {action.short_name or first_words(action.text)}"
            if not one_inspection:
                label = f"{inspection_short_title(action.kind.value, action.start_date)}: {label}"
            row = rows[action.recommendation_id] = RagRow(label, {}, action.recommendation_id)
        row.counts[action.rag] = row.counts.get(action.rag, 0) + 1
    return list(rows.values())


def _weekly(actions: list, approvals: list, today: date) -> list[RagRow]:
    """RAG counts at the end of each week, each action counted from the week it was created.

    An action's RAG at the end of a week is its delivery rating now with the changes made
    since undone: an approval, an edit of its due date and the morning job that marks it past
    due are the only ways its RAG changes, and each records the RAG before and after. So only
    the changes of the weeks shown are read, and years of an authority's history cost nothing
    here. Weeks end on Sunday; the last is this week so far.
    """
    if not actions:
        return []
    week_ends = _week_ends(min(action.created_at for action in actions).date(), today)
    return _rewind(actions, approvals, week_ends)


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
            approval = approvals[undone]
            counts[current[approval.id]] -= 1
            current[approval.id] = Rag(approval.rag_before)
            counts[current[approval.id]] += 1
            undone += 1
        while gone < len(newest_first) and newest_first[gone].created_at >= closes:
            counts[current[newest_first[gone].id]] -= 1
            gone += 1
        week = {rag: count for rag, count in counts.items() if count}
        rows.append(RagRow(f"Week ending {week_end:%-d %B %Y}", week))
    return rows[::-1]


def action_list(user: User, filters: Filters, today: date) -> sa.Select:
    """The filtered actions, soonest due first, with what a table row shows loaded alongside."""
    return (
        filtered_actions(user, filters, today)
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
    "RAG exception",
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
            delivery_rag(action, today).label,
            action.rag_exception if exception_stands(action, today) else "",
            "Yes" if action.is_overdue(today) else "No",
        ]
        writer.writerow([neutralise(value) for value in row])
    return out.getvalue().encode("utf-8-sig")
