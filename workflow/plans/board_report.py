"""The progress report for boards (Corporate Parenting Board, scrutiny) over a date range.

Per recommendation: actions completed, RAG changes, slipped due dates with their reasons,
and measures that moved, all from changes approved in the range. The approval events of
the audit trail say exactly what each approval changed, so the report reads those.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from workflow.core.measures import MeasureSeries
from workflow.extensions import db
from workflow.models import (
    Action,
    ActionStatus,
    AuditEvent,
    Inspection,
    Measure,
    MeasureValue,
    Rag,
    Recommendation,
    UpdateState,
)
from workflow.plans.render.style import number


@dataclass(frozen=True)
class Completed:
    reference: str
    description: str
    on: date

    @property
    def line(self) -> str:
        return f"{self.reference} {self.description} (approved {self.on:%-d %B %Y})"


@dataclass(frozen=True)
class RagChange:
    reference: str
    old: Rag
    new: Rag
    on: date

    @property
    def line(self) -> str:
        return f"{self.reference}: {self.old.label} to {self.new.label} ({self.on:%-d %B %Y})"


@dataclass(frozen=True)
class Slip:
    reference: str
    old_due: date
    new_due: date
    reason: str
    on: date

    @property
    def line(self) -> str:
        return (
            f"{self.reference}: {self.old_due:%-d %B %Y} to {self.new_due:%-d %B %Y}. "
            f"Reason: {self.reason}"
        )


@dataclass(frozen=True)
class MeasureMove:
    reference: str
    name: str
    old: Decimal
    new: Decimal
    unit: str
    status: str

    @property
    def line(self) -> str:
        old, new = number(self.old) + self.unit, number(self.new) + self.unit
        return f"{self.reference} {self.name}: {old} to {new} ({self.status.lower()})"


@dataclass
class RecommendationProgress:
    number: int
    text: str
    actions_total: int
    actions_complete: int
    completed: list[Completed] = field(default_factory=list)
    rag_changes: list[RagChange] = field(default_factory=list)
    slips: list[Slip] = field(default_factory=list)
    measures: list[MeasureMove] = field(default_factory=list)

    @property
    def quiet(self) -> bool:
        return not (self.completed or self.rag_changes or self.slips or self.measures)


@dataclass
class BoardReport:
    authority: str
    inspection: str
    since: date
    until: date
    prepared_on: date
    recommendations: list[RecommendationProgress]

    @property
    def title(self) -> str:
        return f"{self.authority}: progress on the Ofsted action plan"

    @property
    def period(self) -> str:
        return f"{self.since:%-d %B %Y} to {self.until:%-d %B %Y}"

    def total(self, kind: str) -> int:
        return sum(len(getattr(r, kind)) for r in self.recommendations)

    @property
    def noting(self) -> str:
        return (
            "The Board is asked to note the progress made on the action plan for the "
            f"{self.inspection} from {self.period}."
        )

    @property
    def purpose(self) -> str:
        return (
            "To inform members of progress on the actions the council agreed in response to "
            f"Ofsted's recommendations, as approved from {self.period}."
        )

    @property
    def summary(self) -> str:
        total = sum(r.actions_total for r in self.recommendations)
        done = sum(r.actions_complete for r in self.recommendations)
        moved = self.total("measures")
        measures = "measure of success" if moved == 1 else "measures of success"
        return (
            f"In this period {_were(self.total('completed'), 'action')} completed, "
            f"{_were(self.total('rag_changes'), 'RAG rating')} changed and "
            f"{_were(self.total('slips'), 'due date')} moved back; {moved} {measures} moved. "
            f"Of the plan's {total} action{'s' * (total != 1)}, {done} "
            f"{'is' if done == 1 else 'are'} now complete."
        )


def _were(n: int, noun: str) -> str:
    return f"{n} {noun} was" if n == 1 else f"{n} {noun}s were"


def default_period(today: date) -> tuple[date, date]:
    """The month to today: the same day of the previous month (or its last day) onwards."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1])), today


def build_report(inspection: Inspection, since: date, until: date, today: date) -> BoardReport:
    actions = _actions(inspection)
    by_id = {a.id: a for a in actions}
    progress = {
        r.id: RecommendationProgress(
            r.number,
            r.text,
            sum(a.recommendation_id == r.id for a in actions),
            sum(a.recommendation_id == r.id and a.status is ActionStatus.COMPLETE for a in actions),
        )
        for r in inspection.recommendations
    }
    for event in _events(inspection, list(by_id), since, until):
        action = by_id[event.action_id]
        _apply_event(progress[action.recommendation_id], action, event)
    for action, move in _measure_moves(list(by_id), since, until):
        progress[by_id[action].recommendation_id].measures.append(move)
    return BoardReport(
        inspection.authority.name,
        inspection.title,
        since,
        until,
        today,
        [progress[r.id] for r in inspection.recommendations],
    )


def _actions(inspection: Inspection) -> list[Action]:
    query = (
        sa.select(Action)
        .join(Action.recommendation)
        .where(Recommendation.inspection_id == inspection.id)
        .order_by(Action.id)
    )
    return list(db.session.scalars(query))


def _window(since: date, until: date) -> tuple[datetime, datetime]:
    return datetime.combine(since, time.min), datetime.combine(until + timedelta(days=1), time.min)


def _events(inspection: Inspection, action_ids: list[int], since: date, until: date):
    """Approvals, direct edits of a due date (which carry a reason too), and due dates that
    passed (the morning job rates those actions red), in the range."""
    start, end = _window(since, until)
    query = (
        sa.select(AuditEvent)
        .where(
            AuditEvent.authority_id == inspection.authority_id,
            AuditEvent.action_id.in_(action_ids),
            AuditEvent.at >= start,
            AuditEvent.at < end,
            sa.or_(
                sa.and_(AuditEvent.object_type == "progress_update", AuditEvent.verb == "approved"),
                sa.and_(
                    AuditEvent.object_type == "action",
                    AuditEvent.verb.in_(["edited", "due_date_passed"]),
                ),
            ),
        )
        .order_by(AuditEvent.sequence)
    )
    return db.session.scalars(query)


def _apply_event(progress: RecommendationProgress, action: Action, event: AuditEvent) -> None:
    changes, on, ref = event.changes, event.at.date(), action.reference
    if "status" in changes and changes["status"][1] == ActionStatus.COMPLETE.value:
        progress.completed.append(Completed(ref, action.description, on))
    if "rag" in changes:
        old, new = changes["rag"]
        progress.rag_changes.append(RagChange(ref, Rag(old), Rag(new), on))
    if "due_date" in changes:
        old, new = (date.fromisoformat(d) for d in changes["due_date"])
        reason = changes.get("due_date_reason") or "No reason recorded"
        if new > old:
            progress.slips.append(Slip(ref, old, new, reason, on))


def _measure_moves(action_ids: list[int], since: date, until: date):
    """(action id, move) for each measure value approved in the range that changed it."""
    start, end = _window(since, until)
    query = (
        sa.select(Measure)
        .where(Measure.action_id.in_(action_ids))
        .options(selectinload(Measure.values).selectinload(MeasureValue.update))
        .options(selectinload(Measure.action))
        .order_by(Measure.id)
    )
    for measure in db.session.scalars(query):
        previous = measure.baseline_value
        for value in sorted(measure.values, key=lambda v: (v.as_of, v.id)):
            update = value.update
            if update.state is not UpdateState.APPROVED:
                continue  # a proposal, not yet part of the measure's record
            if start <= update.reviewed_at < end and value.value != previous:
                yield measure.action_id, _move(measure, previous, value)
            previous = value.value


def _move(measure: Measure, previous: Decimal, value: MeasureValue) -> MeasureMove:
    status = MeasureSeries(measure, [(value.as_of, value.value)]).status
    return MeasureMove(
        measure.action.reference, measure.name, previous, value.value, measure.unit, status
    )
