"""Measure numbers: one range, the columns' own. What the forms accept is what the database
holds (NUMERIC(14, 4) refuses more on PostgreSQL), and anything else gets a message saying
what fits: never a 500, never a rounded number."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from tests.web.test_errors_at_once import add_measure, summary_of, updates
from workflow.extensions import db
from workflow.models import Measure, MeasureValue
from workflow.models.measure import MEASURE_NUMBER

LARGEST = "9999999999.9999"
RANGE = "between -9,999,999,999.9999 and 9,999,999,999.9999"


def measure_form(baseline: str, target: str = "77.5") -> dict:
    return {
        "name": "Children seen within 5 days",
        "unit": "%",
        "baseline_value": baseline,
        "baseline_date-day": "1",
        "baseline_date-month": "6",
        "baseline_date-year": "2022",
        "target_value": target,
        "target_date-day": "1",
        "target_date-month": "6",
        "target_date-year": "2030",
        "higher_is_better": "yes",
    }


def update_form(measure: Measure, value: str) -> dict:
    return {
        "narrative": "Tracking meeting set up.",
        "status": "in_progress",
        "rag": "green",
        "measures-0-measure_id": str(measure.id),
        "measures-0-value": value,
    }


def measures() -> int:
    return db.session.scalar(sa.select(sa.func.count(Measure.id)))


def test_the_forms_limits_are_the_columns():
    for column in (Measure.baseline_value, Measure.target_value, MeasureValue.value):
        assert column.type is MEASURE_NUMBER
    assert (MEASURE_NUMBER.precision, MEASURE_NUMBER.scale) == (14, 4)


def test_the_largest_numbers_the_form_accepts_are_stored_exactly(world, login):
    client = login("admin")
    path = f"/actions/{world.action.id}/measures/new"
    response = client.post(path, data=measure_form(LARGEST, f"-{LARGEST}"))
    assert response.status_code == 302, summary_of(response)
    measure = db.session.scalar(sa.select(Measure))
    assert measure.baseline_value == Decimal(LARGEST)
    assert measure.target_value == Decimal(f"-{LARGEST}")
    assert client.get(f"/actions/{world.action.id}").status_code == 200


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("10000000000", f"The baseline value must be {RANGE}"),
        ("1e12", f"The baseline value must be {RANGE}"),  # the old limit: overflowed the column
        ("-99999999999999999999999", f"The baseline value must be {RANGE}"),
        ("55.12345", "The baseline value must have 4 decimal places or fewer"),
        ("1e-9", "The baseline value must have 4 decimal places or fewer"),
        ("sNaN", "Enter the baseline value as a number, like 55.3"),
        ("-sNaN", "Enter the baseline value as a number, like 55.3"),
        ("NaN", "Enter the baseline value as a number, like 55.3"),
        ("Infinity", "Enter the baseline value as a number, like 55.3"),
        ("-inf", "Enter the baseline value as a number, like 55.3"),
    ],
)
def test_a_measure_beyond_the_column_is_refused_with_what_fits(world, login, typed, message):
    client = login("admin")
    response = client.post(f"/actions/{world.action.id}/measures/new", data=measure_form(typed))
    assert response.status_code == 200
    assert message in summary_of(response)
    assert f'value="{typed}"' in response.get_data(as_text=True)  # what was typed is kept
    assert measures() == 0


def test_trailing_zeros_are_not_decimal_places(world, login):
    client = login("admin")
    response = client.post(
        f"/actions/{world.action.id}/measures/new", data=measure_form("55.30000", "1E+3")
    )
    assert response.status_code == 302, summary_of(response)
    measure = db.session.scalar(sa.select(Measure))
    assert (measure.baseline_value, measure.target_value) == (Decimal("55.3"), Decimal(1000))


LATEST = "the latest value for 'Children seen within 5 days'"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e12", f"The {LATEST[4:]} must be {RANGE}"),
        ("10000000000", f"The {LATEST[4:]} must be {RANGE}"),
        ("77.00001", f"The {LATEST[4:]} must have 4 decimal places or fewer"),
        ("sNaN", f"Enter {LATEST} as a number, like 77.5"),
        ("sNaN12", f"Enter {LATEST} as a number, like 77.5"),
        ("-Infinity", f"Enter {LATEST} as a number, like 77.5"),
    ],
)
def test_an_update_with_a_value_beyond_the_column_is_refused(world, login, typed, message):
    measure = add_measure(world)
    client = login("manager")
    before = updates()
    response = client.post(
        f"/actions/{world.action.id}/updates/new", data=update_form(measure, typed)
    )
    assert response.status_code == 200
    assert message in summary_of(response)
    assert "Tracking meeting set up." in text_of(response)  # the narrative is kept
    assert updates() == before


def test_an_update_with_the_largest_value_is_saved(world, login):
    measure = add_measure(world)
    client = login("manager")
    data = update_form(measure, f"-{LARGEST}") | {"rag": "red"}  # far off course
    response = client.post(f"/actions/{world.action.id}/updates/new", data=data)
    assert response.status_code == 302, summary_of(response)
    assert db.session.scalar(sa.select(MeasureValue.value)) == Decimal(f"-{LARGEST}")
    assert client.get(response.headers["Location"]).status_code == 200
