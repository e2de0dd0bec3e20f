"""The delivery rating: one function for every output, the SQL that agrees with it, and an
overdue action red everywhere even before the morning job has stored it so."""

import csv
import io
import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook

from tests.conftest import text_of
from tests.factories import make_action, progress_update, withdraw_waiting
from workflow.api import tokens
from workflow.core.rag import definitions, delivery_rag, delivery_rag_sql, rules_rag
from workflow.extensions import db
from workflow.models import Action, ActionStatus, Rag, utcnow
from workflow.oversight import dashboard as oversight
from workflow.oversight.dashboard import Filters
from workflow.planning import rules as planning
from workflow.plans.builder import build_plan
from workflow.plans.exports import export_plan
from workflow.plans.render.tracker import COLUMNS


@pytest.fixture
def overdue(world, today):
    """The world's action, its due date passed yesterday, still stored green: the morning
    job has not run yet."""
    action = world.action
    action.due_date = today - timedelta(days=1)
    db.session.commit()
    assert action.rag is Rag.GREEN and action.status is ActionStatus.NOT_STARTED
    return action


def test_the_action_page_shows_red(overdue, login):
    page = text_of(login("viewer").get(f"/actions/{overdue.id}"))
    assert "RAG Red" in page and "RAG Green" not in page


def test_the_lists_show_red(world, overdue, login):
    client = login("viewer")
    page = client.get(f"/recommendations/{world.recommendation.id}").get_data(as_text=True)
    assert "govuk-tag--red" in page and ">Green<" not in page
    inspection = text_of(client.get(f"/inspections/{world.inspection.id}"))
    assert "1 Red" in inspection and "Green" not in inspection


def test_dashboard_counts_charts_filters_and_csv_show_red(world, overdue, login, today):
    viewer = world.users["viewer"]
    figures = oversight.figures(viewer, Filters(), today)
    assert [row.counts for row in figures.by_recommendation] == [{Rag.RED: 1}]
    assert figures.weekly[-1].counts == {Rag.RED: 1}
    html = login("viewer").get("/dashboard").get_data(as_text=True)
    assert 'data-rag="red" data-count="1"' in html and 'data-rag="green" data-count' not in html
    red = db.session.scalars(oversight.action_list(viewer, Filters(rag=Rag.RED), today)).all()
    green = db.session.scalars(oversight.action_list(viewer, Filters(rag=Rag.GREEN), today))
    assert [a.id for a in red] == [overdue.id] and green.all() == []
    body = login("viewer").get("/dashboard.csv").get_data().decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(body)))
    assert (row["RAG"], row["RAG exception"], row["Overdue"]) == ("Red", "", "Yes")


@pytest.mark.parametrize("fmt", ["html", "docx", "csv", "xlsx"])
def test_every_plan_format_shows_red(world, overdue, fmt, today):
    plan = build_plan(world.inspection, today)
    (action,) = plan.recommendations[0].actions
    assert action.rag is Rag.RED
    assert dict(plan.summary.by_delivery) == {"Red": 1, "Amber": 0, "Green": 0, "Blue": 0}
    data = export_plan(plan, fmt)
    if fmt == "html":
        assert (
            '<td data-label="Delivery" class="govuk-table__cell"><strong class="govuk-tag'
            ' app-tag govuk-tag--red">Red</strong>' in data.decode()
        )
    elif fmt == "docx":
        row = [c.text for c in Document(io.BytesIO(data)).tables[-1].rows[1].cells]
        assert row[5] == "Red"
    elif fmt == "csv":
        (row,) = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert row["Delivery rating (RAG)"] == "Red"
    else:
        rows = list(load_workbook(io.BytesIO(data))["Action tracker"].iter_rows(values_only=True))
        assert dict(zip(COLUMNS, rows[1], strict=True))["Delivery rating (RAG)"] == "Red"


def test_the_api_shows_red(world, overdue, client):
    secret = tokens.create_api_token(world.users["viewer"], "BI", 30, utcnow())
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    item = client.get(f"/api/v1/actions/{overdue.id}", headers=headers).get_json()
    assert (item["rag"], item["rag_exception"]) == ("red", None)


def test_search_results_show_red(overdue, login):
    page = text_of(login("viewer").get("/search?q=weekly"))
    assert "Action 1.1" in page and "Delivery rating: Red" in page


def test_the_head_of_service_sees_an_amber_action_at_risk(world, login, today):
    none_at_risk = "No actions in your area are at risk."
    assert none_at_risk in text_of(login("head").get("/"))
    world.action.due_date = today + timedelta(days=5)  # not started and near: amber
    db.session.commit()
    assert delivery_rag(world.action, today) is Rag.AMBER
    assert none_at_risk not in text_of(login("head").get("/"))


# Every state the rules read: the Python function and the SQL must give the same rating.
STATES = list(
    itertools.product(
        [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETE],
        [Rag.GREEN, Rag.AMBER, Rag.RED],  # stored
        [-10, -1, 0, 5, 30, 31, 90],  # days from today to the due date
        [None, "before", "after"],  # no exception, or one written before or after the due date
    )
)


def test_the_sql_rating_agrees_with_the_python_one_in_every_state(world, today):
    admin, manager = world.users["admin"], world.users["manager"]
    actions = []
    for status, stored, days, exception in STATES:
        due = today + timedelta(days=days)
        action = make_action(admin, world.recommendation, manager, world.area, due_date=due)
        action.status, action.rag = status, Rag.BLUE if status is ActionStatus.COMPLETE else stored
        if exception:
            action.rag_exception, action.rag_exception_by = "The board agreed", world.users["head"]
            action.rag_exception_on = (
                due - timedelta(days=1) if exception == "before" else due + (timedelta(days=1))
            )
        actions.append(action)
    db.session.commit()
    by_sql = dict(
        db.session.execute(
            sa.select(Action.id, delivery_rag_sql(today, world.authority)).where(
                Action.id.in_([a.id for a in actions])
            )
        ).all()
    )
    disagreements = [
        (state, delivery_rag(a, today), by_sql[a.id])
        for state, a in zip(STATES, actions, strict=True)
        if delivery_rag(a, today) is not by_sql[a.id]
    ]
    assert disagreements == []
    overdue = [a for a, state in zip(actions, STATES, strict=True) if state[2] < 0]
    shown = {delivery_rag(a, today) for a in overdue if a.status is not ActionStatus.COMPLETE}
    assert Rag.GREEN in shown  # only by an exception written after the due date ...
    greens = [
        state
        for a, state in zip(actions, STATES, strict=True)
        if state[2] < 0
        and delivery_rag(a, today) is Rag.GREEN
        and a.status is not ActionStatus.COMPLETE
    ]
    assert {state[3] for state in greens} == {"after"}  # ... never otherwise


@pytest.mark.parametrize(
    ("status", "days", "window", "expected"),
    [
        (ActionStatus.NOT_STARTED, 30, 30, Rag.AMBER),
        (ActionStatus.NOT_STARTED, 31, 30, Rag.GREEN),
        (ActionStatus.NOT_STARTED, 31, 45, Rag.AMBER),  # the authority's window is read
        (ActionStatus.IN_PROGRESS, 1, 30, Rag.GREEN),
        (ActionStatus.IN_PROGRESS, 0, 30, Rag.GREEN),  # due today is not yet overdue
        (ActionStatus.IN_PROGRESS, -1, 30, Rag.RED),  # the morning after its due date
        (ActionStatus.COMPLETE, -1, 30, Rag.BLUE),
    ],
)
def test_the_rules_read_the_dates_and_the_authoritys_window(
    world, status, days, window, expected, today
):
    world.authority.rag_at_risk_days = window
    action = world.action
    action.status, action.due_date = status, today + timedelta(days=days)
    action.rag = Rag.BLUE if status is ActionStatus.COMPLETE else Rag.GREEN
    assert rules_rag(action, today) is expected


def test_the_written_rules_name_the_window_the_function_reads(world, today):
    world.authority.rag_at_risk_days = 14
    rules = dict(definitions(world.authority))
    assert rules[Rag.AMBER] == "Not started, with 14 days or fewer to its due date."
    world.action.due_date = today + timedelta(days=14)
    assert rules_rag(world.action, today) is Rag.AMBER
    world.action.due_date = today + timedelta(days=15)
    assert rules_rag(world.action, today) is Rag.GREEN


def test_a_measure_off_course_makes_it_red_until_a_value_puts_it_back_on_course(world, today):
    measure = planning.add_measure(
        world.users["admin"],
        world.action,
        name="Children seen within 5 days",
        unit="%",
        baseline_value=Decimal("55"),
        baseline_date=today - timedelta(days=100),
        target_value=Decimal("85"),
        target_date=today + timedelta(days=100),
        higher_is_better=True,
    )
    behind = {measure.id: (Decimal("60"), today)}  # the line is at 70 by today
    assert rules_rag(world.action, today, measure_values=behind) is Rag.RED
    withdraw_waiting(world)  # an action has one update awaiting approval at a time
    progress_update(
        world.users["manager"],
        world.action,
        reviewer=world.users["head"],
        rag=Rag.RED,
        measure_values=behind,
        exception=None,  # red is what the rules give: no exception needed
    )
    assert (world.action.rag, world.action.rag_exception) == (Rag.RED, None)
    assert rules_rag(world.action, today) is Rag.RED  # the approved value still counts
    on_course = {measure.id: (Decimal("72"), today)}
    assert rules_rag(world.action, today, measure_values=on_course) is Rag.GREEN
