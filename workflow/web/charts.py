"""Geometry for the small server-rendered SVG charts (the templates draw; this measures)."""

from dataclasses import dataclass
from decimal import Decimal

from workflow.core.measures import MeasureSeries

WIDTH, HEIGHT, MARGIN = 560, 220, 48


@dataclass
class LineChart:
    width: int
    height: int
    points: list[tuple[float, float, str]]  # x, y, label
    target_y: float
    axis_labels: list[tuple[float, str]]  # y, label

    @property
    def path(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in self.points)


def measure_chart(series: MeasureSeries) -> LineChart:
    """Values over time on a line, with the target as a horizontal line."""
    measure = series.measure
    dates = [d for d, _ in series.points] + [measure.target_date]
    values = [v for _, v in series.points] + [measure.target_value]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    first, last = min(dates), max(dates)
    span_days = max((last - first).days, 1)

    def x(day) -> float:
        return MARGIN + (WIDTH - 2 * MARGIN) * (day - first).days / span_days

    def y(value: Decimal) -> float:
        return HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * float((value - low) / (high - low))

    points = [(x(d), y(v), f"{v.normalize():f}") for d, v in series.points]
    axis = [(y(low), f"{low.normalize():f}"), (y(high), f"{high.normalize():f}")]
    return LineChart(WIDTH, HEIGHT, points, y(measure.target_value), axis)
