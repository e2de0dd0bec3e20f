"""Measures of success: whether a reported value is on course for its target."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from workflow.extensions import db
from workflow.models import Action, Measure, MeasureValue, ProgressUpdate, UpdateState


def expected_value(measure: Measure, on: date) -> Decimal:
    """Where the measure should be on a date, on a straight line from baseline to target."""
    span = (measure.target_date - measure.baseline_date).days
    if span <= 0 or on >= measure.target_date:
        return measure.target_value
    if on <= measure.baseline_date:
        return measure.baseline_value
    share = Decimal((on - measure.baseline_date).days) / Decimal(span)
    return measure.baseline_value + (measure.target_value - measure.baseline_value) * share


def on_course(measure: Measure, value: Decimal, on: date) -> bool:
    expected = expected_value(measure, on)
    return value >= expected if measure.higher_is_better else value <= expected


def target_met(measure: Measure, value: Decimal) -> bool:
    target = measure.target_value
    return value >= target if measure.higher_is_better else value <= target


@dataclass
class MeasureSeries:
    measure: Measure
    points: list[tuple[date, Decimal]]

    @property
    def latest(self) -> tuple[date, Decimal] | None:
        """The newest point by date (a value may be reported as of a day before another's)."""
        return max(reversed(self.points), key=lambda point: point[0]) if self.points else None

    @property
    def status(self) -> str:
        if not self.latest:
            return "No values reported yet"
        as_of, value = self.latest
        if target_met(self.measure, value):
            return "Target met"
        return "On course" if on_course(self.measure, value, as_of) else "Off course"


def approved_series(action_id: int) -> list[MeasureSeries]:
    """Each measure of an action with its baseline and its approved values, oldest first."""
    return approved_series_for([action_id]).get(action_id, [])


def approved_series_for(action_ids: list[int]) -> dict[int, list[MeasureSeries]]:
    """approved_series() for many actions in two queries: {action id: series}."""
    measures = db.session.scalars(
        sa.select(Measure).where(Measure.action_id.in_(action_ids)).order_by(Measure.id)
    ).all()
    values = db.session.execute(
        sa.select(MeasureValue.measure_id, MeasureValue.as_of, MeasureValue.value)
        .join(MeasureValue.update)
        .where(
            MeasureValue.measure_id.in_([m.id for m in measures]),
            ProgressUpdate.state == UpdateState.APPROVED,
        )
        .order_by(MeasureValue.as_of, MeasureValue.id)
    ).all()
    points_of: dict[int, list[tuple[date, Decimal]]] = {}
    for measure_id, as_of, value in values:
        points_of.setdefault(measure_id, []).append((as_of, value))
    series: dict[int, list[MeasureSeries]] = {}
    for measure in measures:
        points = [(measure.baseline_date, measure.baseline_value)]
        points += points_of.get(measure.id, [])
        series.setdefault(measure.action_id, []).append(MeasureSeries(measure, points))
    return series


def measures_of(action: Action) -> list[Measure]:
    """An action's measures of success, in the order they were added."""
    query = sa.select(Measure).where(Measure.action_id == action.id).order_by(Measure.id)
    return list(db.session.scalars(query))
