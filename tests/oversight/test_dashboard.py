"""The dashboard: figures, chart and table agreeing, filters, CSV, history and query counts."""

import csv
import io
import re
from datetime import date, datetime, timedelta

import pytest

from tests.conftest import text_of
from tests.factories import make_action, make_inspection
from tests.oversight.conftest import approved_update, submitted_update
from workflow.extensions import db
from workflow.models import ActionStatus, InspectionKind, Rag, Recommendation
from workflow.oversight import charts
from workflow.oversight import dashboard as oversight
from workflow.oversight.dashboard import Filters
from workflow.planning import rules as planning


def add_actions(world, n: int, **overrides):
    admin = world.users["admin"]
    return [
        make_action(admin, world.recommendation, world.users["manager"], world.area, **overrides)
        for _ in range(n)
    ]


def chart_counts(html: str, chart_id: str) -> dict[str, dict[str, int]]:
    """{bar label: {rag: count}} read from the SVG chart's segments."""
    svg = re.search(rf'<svg[^>]*aria-labelledby="{chart_id}-title.*?</svg>', html, re.S).group(0)
    counts: dict[str, dict[str, int]] = {}
    for label, body in re.findall(r'<g data-label="([^"]+)"[^>]*>(.*?)</g>', svg, re.S):
        segments = re.findall(r'data-rag="(\w+)" data-count="(\d+)"', body)
        counts[label] = {rag: int(count) for rag, count in segments}
    return counts


def table_counts(html: str, caption: str) -> dict[str, dict[str, int]]:
    """The same figures read from the table with that caption (zeros left out)."""
    table = re.search(rf"<table[^>]*>\s*<caption[^>]*>{re.escape(caption)}.*?</table>", html, re.S)
    counts: dict[str, dict[str, int]] = {}
    for label, body in re.findall(
        r'<tr class="govuk-table__row" data-label="([^"]+)">(.*?)</tr>', table.group(0), re.S
    ):
        cells = re.findall(r'data-rag="(\w+)">(\d+)<', body)
        counts[label] = {rag: int(count) for rag, count in cells if int(count)}
    return counts


def test_dashboard_shows_the_figures_and_the_chart_agrees_with_the_table(world, login):
    manager, head = world.users["manager"], world.users["head"]
    red, amber, overdue = add_actions(world, 3)
    approved_update(manager, head, red, Rag.RED)
    approved_update(manager, head, amber, Rag.AMBER)
    overdue.due_date = date.today() - timedelta(days=3)
    submitted_update(manager, red, Rag.RED, ActionStatus.IN_PROGRESS)  # the world has one too
    response = login("viewer").get("/dashboard")
    html, text = response.get_data(as_text=True), text_of(response)
    assert response.status_code == 200
    assert "Actions 4" in text and "Overdue 1" in text and "Awaiting approval 2" in text
    label = "ILACS Mar 2022: 1. Track children missing education."
    chart = chart_counts(html, "by-recommendation")
    # The overdue action is red, though no job has run yet to store it so.
    assert chart == {label: {"red": 2, "amber": 1, "green": 1}}
    assert chart == table_counts(html, "Actions by RAG rating for each recommendation")
    weekly = chart_counts(html, "weekly")
    assert weekly == table_counts(html, "RAG ratings at the end of each week")
    assert list(weekly.values())[-1] == {"red": 2, "amber": 1, "green": 1}
    assert "Stranger" not in text and "Improve early help" not in text


def test_inspection_dashboard_covers_that_inspection_only(world, login):
    client = login("head")
    html = client.get(f"/inspections/{world.inspection.id}/dashboard").get_data(as_text=True)
    assert chart_counts(html, "by-recommendation") == {
        "1. Track children missing education.": {"green": 1}
    }
    assert client.get(f"/inspections/{world.other_inspection.id}/dashboard").status_code == 404


def test_two_inspections_bars_name_the_inspection_and_the_recommendation(world, login):
    admin = world.users["admin"]
    visit = make_inspection(
        admin,
        kind=InspectionKind.FOCUSED_VISIT,
        start_date=date(2022, 3, 8),
        end_date=date(2022, 3, 9),
        published_on=date(2022, 4, 20),
    )
    text = "Improve the quality and timeliness of return home interviews for missing children."
    recommendation = planning.create_recommendation(
        admin, visit, number=1, text=text, senior_lead=None
    )
    make_action(admin, recommendation, world.users["manager"], world.area)
    db.session.commit()
    html = login("viewer").get("/dashboard").get_data(as_text=True)
    labels = set(chart_counts(html, "by-recommendation"))
    assert labels == {
        "ILACS Mar 2022: 1. Track children missing education.",
        "Focused visit Mar 2022: 1. Improve the quality and timeliness of…",
    }
    svg = re.search(r'<svg[^>]*aria-labelledby="by-recommendation-title.*?</svg>', html, re.S)
    lines = re.findall(r'<text x="0" y="[\d.]+">([^<]+)</text>', svg.group(0))
    assert "Focused visit Mar 2022: 1. Improve the" in lines  # wrapped, never cut at the edge
    assert all(len(line) <= charts.LABEL_CHARACTERS for line in lines)

    recommendation.short_name = "Return home interviews"
    db.session.commit()
    html = login("viewer").get("/dashboard").get_data(as_text=True)
    assert "Focused visit Mar 2022: 1. Return home interviews" in chart_counts(
        html, "by-recommendation"
    )


def test_a_recommendation_short_name_is_edited_with_it(world, login):
    client = login("admin")
    recommendation = world.recommendation
    response = client.post(
        f"/recommendations/{recommendation.id}/edit",
        data={
            "number": "1",
            "text": recommendation.text,
            "short_name": "  Missing education  ",
            "version": str(recommendation.version),
        },
    )
    assert response.status_code == 302, text_of(response)[:300]
    db.session.expire_all()
    assert db.session.get(Recommendation, recommendation.id).short_name == "Missing education"
    assert db.session.get(Recommendation, recommendation.id).label == "Missing education"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("rag=red", 1),
        ("rag=green", 2),
        ("status=in_progress", 1),
        ("service_area={area}", 2),
        ("service_area={other_area}", 1),
        ("owner={other_manager}", 1),
        ("owner={other_manager}&rag=red", 0),
    ],
)
def test_filters_narrow_everything_and_the_csv_matches(query, expected, world, login):
    manager, head = world.users["manager"], world.users["head"]
    other_manager = world.users["other_manager"]
    second_area = next(a for a in world.authority.service_areas if a.id != world.area.id)
    make_action(world.users["admin"], world.recommendation, other_manager, second_area)
    red = add_actions(world, 1)[0]
    approved_update(manager, head, red, Rag.RED)
    query = query.format(
        area=world.area.id, other_area=second_area.id, other_manager=other_manager.id
    )
    client = login("viewer")
    text = text_of(client.get(f"/dashboard?{query}"))
    assert f"Actions {expected} that match" in text
    body = client.get(f"/dashboard.csv?{query}").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == oversight.CSV_COLUMNS
    assert len(rows) - 1 == expected


def test_bad_filter_values_are_ignored_and_said_so(world, login):
    response = login("viewer").get("/dashboard?rag=purple&owner=abc&status=%00&service_area=99999")
    assert response.status_code == 200
    text = text_of(response)
    assert "There is a problem" in text and "Actions 1 that match" in text


def test_csv_cells_cannot_run_as_formulas(world, login):
    add_actions(world, 1, description='=HYPERLINK("http://evil.example")')
    body = login("viewer").get("/dashboard.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert (
        login("viewer")
        .get("/dashboard.csv")
        .headers["Content-Disposition"]
        .startswith("attachment")
    )


def test_week_by_week_counts_replay_the_audit_trail(world, app, monkeypatch):
    manager, head = world.users["manager"], world.users["head"]
    clock = {"now": datetime(2030, 1, 7, 9)}  # a Monday
    monkeypatch.setattr("workflow.core.audit.utcnow", lambda: clock["now"])
    first, second = add_actions(world, 2)
    clock["now"] = datetime(2030, 1, 15, 9)  # the next week
    approved_update(manager, head, first, Rag.RED)
    clock["now"] = datetime(2030, 1, 23, 9)  # the week after
    approved_update(manager, head, first, Rag.AMBER)
    approved_update(manager, head, second, Rag.GREEN, ActionStatus.COMPLETE)  # shown blue
    db.session.commit()
    rows = oversight.figures(manager, Filters(), date(2030, 1, 25)).weekly
    assert [(row.label, row.counts) for row in rows[-3:]] == [
        ("Week ending 13 January 2030", {Rag.GREEN: 3}),
        ("Week ending 20 January 2030", {Rag.RED: 1, Rag.GREEN: 2}),
        ("Week ending 27 January 2030", {Rag.AMBER: 1, Rag.BLUE: 1, Rag.GREEN: 1}),
    ]
    # The world's own action (green throughout) was made today, long before 2030.
    assert len(rows) == oversight.HISTORY_WEEKS


def test_history_is_empty_without_actions(world, app):
    filters = Filters(rag=Rag.RED)
    assert oversight.figures(world.users["viewer"], filters, date.today()).weekly == []


@pytest.mark.parametrize(
    "path", ["/dashboard", "/inspections/{inspection}/dashboard", "/dashboard.csv"]
)
def test_query_count_does_not_grow_with_the_data(path, world, login, count_queries):
    client = login("head")
    url = path.format(inspection=world.inspection.id)
    client.get(url)  # warm up: the first request of a client loads more (session, user)
    with count_queries() as few:
        assert client.get(url + "?page=1").status_code == 200
    manager, head = world.users["manager"], world.users["head"]
    for action in add_actions(world, 30):
        approved_update(manager, head, action, Rag.RED)
        submitted_update(manager, action, Rag.AMBER, ActionStatus.IN_PROGRESS)
    with count_queries() as many:
        assert client.get(url + "?page=1").status_code == 200
    assert len(many) == len(few), "\n".join(many)
    assert len(few) <= 14


def test_all_inspections_shows_live_plans_and_an_inspection_its_closed_recommendations(
    world, login
):
    closed = planning.create_recommendation(
        world.users["admin"], world.inspection, number=2, text="Audit plans.", senior_lead=None
    )
    make_action(world.users["admin"], closed, world.users["manager"], world.area)
    closed.closed_at, closed.closed_by = datetime(2030, 1, 1), world.users["director"]
    db.session.commit()
    client = login("viewer")
    everywhere = text_of(client.get("/dashboard"))
    assert "Actions 1 that match" in everywhere
    assert "2. Audit plans." not in everywhere
    one = text_of(client.get(f"/inspections/{world.inspection.id}/dashboard"))
    assert "Actions 2 that match" in one and "2. Audit plans." in one
