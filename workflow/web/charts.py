"""Geometry for a measure's line chart (the template draws; this measures).

A time axis with dates, a value axis with its unit, the baseline and target labelled, the
values in date order: what a reader needs to tell, without the table, whether the line is
heading for the target. The same figures are always in a table beside it.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from workflow.core.measures import MeasureSeries

# Narrow, so its 14px text stays readable when shrunk to a 320px screen; it never grows.
WIDTH, HEIGHT = 400, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 36, 44  # room for value labels, dates and the unit
VALUE_TICKS = 5
DATE_TICKS = 4


@dataclass
class Point:
    x: float
    y: float
    when: date
    value: Decimal


@dataclass
class Tick:
    at: float  # x for a date, y for a value
    label: str


@dataclass
class LineChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: list[Point]
    baseline: Point
    target: Point
    value_ticks: list[Tick]
    date_ticks: list[Tick]
    unit: str

    @property
    def path(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)


def measure_chart(series: MeasureSeries) -> LineChart:
    """Values over time on a line, from the baseline, with the target as a horizontal line."""
    measure = series.measure
    points = sorted(series.points)
    dates = [day for day, _ in points] + [measure.target_date]
    values = [value for _, value in points] + [measure.target_value]
    low, high, step = _value_range(min(values), max(values))
    first, last = min(dates), max(dates)
    span_days = max((last - first).days, 1)
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(day: date) -> float:
        return LEFT + (right - LEFT) * (day - first).days / span_days

    def y(value: Decimal) -> float:
        return bottom - (bottom - TOP) * float((value - low) / (high - low))

    value_ticks = []
    tick = low
    while tick <= high:
        value_ticks.append(Tick(y(tick), _number(tick)))
        tick += step
    date_ticks = [Tick(x(day), f"{day:%b %Y}") for day in _spread(first, last, DATE_TICKS)]
    return LineChart(
        WIDTH,
        HEIGHT,
        LEFT,
        right,
        TOP,
        bottom,
        [Point(x(day), y(value), day, value) for day, value in points],
        Point(
            x(measure.baseline_date),
            y(measure.baseline_value),
            measure.baseline_date,
            measure.baseline_value,
        ),
        Point(
            x(measure.target_date),
            y(measure.target_value),
            measure.target_date,
            measure.target_value,
        ),
        value_ticks,
        date_ticks,
        measure.unit,
    )


def _value_range(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """Round ends and a round step (1, 2 or 5 times a power of ten) that cover the values."""
    if low == high:
        low, high = low - 1, high + 1
    raw = (high - low) / (VALUE_TICKS - 1)
    power = Decimal(10) ** (raw.adjusted())
    step = next(
        m * power for m in (Decimal(1), Decimal(2), Decimal(5), Decimal(10)) if m * power >= raw
    )
    start = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    end = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    return start, end, step


def _spread(first: date, last: date, count: int) -> list[date]:
    """count dates from first to last, evenly apart (fewer when the span is short)."""
    span = (last - first).days
    if span < 60:
        return [first, last] if span else [first]
    return [first + timedelta(days=round(span * i / (count - 1))) for i in range(count)]


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def in_words(series: MeasureSeries) -> str:
    """The latest value against the target, as a sentence."""
    measure = series.measure
    unit = measure.unit
    target = f"{_number(measure.target_value)}{_unit(unit)} by {measure.target_date:%-d %B %Y}"
    reported = sorted(series.points[1:])  # the first is the baseline
    if not reported:
        baseline = f"{_number(measure.baseline_value)}{_unit(unit)}"
        return f"No values reported yet: the baseline is {baseline}; the target is {target}."
    day, value = reported[-1]
    latest = f"{_number(value)}{_unit(unit)} on {day:%-d %B %Y}"
    return f"Latest value {latest}, against a target of {target}: {series.status.lower()}."


def _unit(unit: str) -> str:
    return unit if unit == "%" else f" {unit}"
