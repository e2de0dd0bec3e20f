"""The measure chart says what it shows: dates, a unit, baseline and target, date order."""

from datetime import date
from decimal import Decimal

from workflow.core.measures import MeasureSeries
from workflow.models import Measure
from workflow.web.charts import in_words, measure_chart


def series(*values: tuple[date, str]) -> MeasureSeries:
    measure = Measure(
        name="Children seen within 5 days",
        unit="%",
        baseline_value=Decimal("55.3"),
        baseline_date=date(2022, 6, 1),
        target_value=Decimal("77.5"),
        target_date=date(2024, 6, 1),
        higher_is_better=True,
    )
    points = [(measure.baseline_date, measure.baseline_value)]
    return MeasureSeries(measure, points + [(day, Decimal(v)) for day, v in values])


def test_values_are_drawn_in_date_order_whatever_order_they_were_reported_in():
    chart = measure_chart(series((date(2023, 9, 1), "70"), (date(2023, 1, 1), "62")))
    assert [point.when for point in chart.points] == sorted(point.when for point in chart.points)
    xs = [point.x for point in chart.points]
    assert xs == sorted(xs)
    assert chart.baseline.when == date(2022, 6, 1) and chart.baseline.x == chart.left


def test_axes_have_dates_and_round_values_that_cover_baseline_and_target():
    chart = measure_chart(series((date(2023, 1, 1), "62")))
    assert chart.date_ticks[0].label == "Jun 2022" and chart.date_ticks[-1].label == "Jun 2024"
    labels = [tick.label for tick in chart.value_ticks]
    assert labels[0] == "50" and labels[-1] == "80"
    assert all(chart.top <= tick.at <= chart.bottom for tick in chart.value_ticks)
    assert chart.top <= chart.target.y <= chart.bottom
    assert chart.unit == "%"


def test_the_latest_value_is_told_against_the_target_in_words():
    told = in_words(series((date(2023, 9, 1), "70"), (date(2023, 1, 1), "62")))
    assert told.startswith("Latest value 70% on 1 September 2023, against a target of 77.5%")
    assert "by 1 June 2024" in told
    assert in_words(series()).startswith("No values reported yet: the baseline is 55.3%")


def test_the_latest_point_is_the_newest_by_date_not_the_last_reported():
    reported = series((date(2023, 9, 1), "70"), (date(2023, 1, 1), "62"))
    assert reported.latest == (date(2023, 9, 1), Decimal("70"))
