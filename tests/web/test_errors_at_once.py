"""Every problem of a form in one pass: a check across fields does not wait for the others to
pass, and a number that is not one is named with its field, GOV.UK style."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import sqlalchemy as sa

from workflow.extensions import db
from workflow.models import Measure, ProgressUpdate
from workflow.planning import rules as planning


def add_measure(world) -> Measure:
    measure = planning.add_measure(
        world.users["admin"],
        world.action,
        name="Children seen within 5 days",
        unit="%",
        baseline_value=Decimal("55.3"),
        baseline_date=date(2022, 6, 1),
        target_value=Decimal("77.5"),
        target_date=date(2030, 6, 1),
        higher_is_better=True,
    )
    db.session.commit()
    return measure


def summary_of(response) -> str:
    """The error summary's text only: every problem must be listed there."""
    html = response.get_data(as_text=True)
    start = html.index('class="govuk-error-summary"')
    return unescape(
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : html.index("</ul>", start)]))
    )


def updates() -> int:
    return db.session.scalar(sa.select(sa.func.count(ProgressUpdate.id)))


def test_an_update_shows_a_bad_date_a_missing_reason_and_a_bad_number_together(world, login):
    measure = add_measure(world)
    client = login("manager")
    before = updates()
    response = client.post(
        f"/actions/{world.action.id}/updates/new",
        data={
            "narrative": "Tracking meeting set up.",
            "status": "in_progress",
            "rag": "red",  # the RAG rules give green: a reason is needed
            "due_date-day": "31",
            "due_date-month": "2",
            "due_date-year": "2027",
            "measures-0-measure_id": str(measure.id),
            "measures-0-value": "seventy",
        },
    )
    summary = summary_of(response)
    assert "Proposed new due date must be a real date" in summary
    assert "Enter the reason for the new due date" in summary
    assert "Enter why you rate this red when the RAG rules give green" in summary
    assert (
        "Enter the latest value for 'Children seen within 5 days' as a number, like 77.5" in summary
    )
    assert "Not a valid decimal value" not in response.get_data(as_text=True)
    assert 'value="seventy"' in response.get_data(as_text=True)  # what was typed is kept
    assert updates() == before


def test_a_measure_form_names_each_bad_number_and_the_dates_order_at_once(world, login):
    client = login("admin")
    response = client.post(
        f"/actions/{world.action.id}/measures/new",
        data={
            "name": "Children seen within 5 days",
            "unit": "%",
            "baseline_value": "about half",
            "baseline_date-day": "1",
            "baseline_date-month": "6",
            "baseline_date-year": "2022",
            "target_value": "NaN",
            "target_date-day": "1",
            "target_date-month": "6",
            "target_date-year": "2021",
        },
    )
    summary = summary_of(response)
    assert "Enter the baseline value as a number, like 55.3" in summary
    assert "Enter the target value as a number, like 77.5" in summary
    assert "The target date must be after the baseline date" in summary
    assert "Select which direction is better" in summary
    assert db.session.scalar(sa.select(sa.func.count(Measure.id))) == 0


def test_an_inspection_form_tells_the_dates_order_beside_a_missing_kind(world, login):
    client = login("admin")
    response = client.post(
        "/inspections/new",
        data={
            "start_date-day": "8",
            "start_date-month": "3",
            "start_date-year": "2022",
            "end_date-day": "1",
            "end_date-month": "3",
            "end_date-year": "2022",
        },
    )
    summary = summary_of(response)
    assert "Select the kind of inspection" in summary
    assert "The last day of the inspection must be on or after the first day" in summary


def test_a_measure_left_empty_is_no_problem(world, login):
    measure = add_measure(world)
    client = login("manager")
    before = updates()
    response = client.post(
        f"/actions/{world.action.id}/updates/new",
        data={
            "narrative": "Tracking meeting set up.",
            "status": "in_progress",
            "rag": "green",
            "measures-0-measure_id": str(measure.id),
            "measures-0-value": "  ",
        },
    )
    assert response.status_code == 302
    assert updates() == before + 1
