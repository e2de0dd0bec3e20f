"""The audit trail page: an administrator's own authority's events, newest first, paged,
filtered by record, person and dates (bad filters told, never a 500), what changed in words,
and the same events as CSV that a spreadsheet shows as text."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from tests.factories import PASSWORD
from workflow.accounts import rules as accounts
from workflow.core import audit
from workflow.extensions import db
from workflow.models import AuditEvent, Role
from workflow.oversight.audit_trail import Change, changes_in_words
from workflow.planning import rules as planning
from workflow.planning.rules import ACTION_FIELDS


def trail(authority_id: int, *where) -> list[AuditEvent]:
    query = sa.select(AuditEvent).where(AuditEvent.authority_id == authority_id, *where)
    return list(db.session.scalars(query.order_by(AuditEvent.sequence.desc())))


def summaries(response) -> list[str]:
    """The events the page lists, by their summaries, in its order."""
    html = response.get_data(as_text=True)
    headings = re.findall(r'<h3 class="govuk-heading-s[^"]*">(.*?)</h3>', html, re.S)
    return [unescape(" ".join(heading.split())) for heading in headings]


def more_events(world, count: int) -> None:
    for n in range(count):
        accounts.create_service_area(world.authority, f"Team {n}")
    db.session.commit()


def test_the_page_lists_the_authoritys_events_newest_first_a_page_at_a_time(world, login):
    more_events(world, 30)
    ours, theirs = trail(world.authority.id), trail(world.other_authority.id)
    client = login("admin")
    first = client.get("/audit")
    assert first.status_code == 200
    assert summaries(first) == [event.summary for event in ours[:25]]
    assert f"{len(ours)} events" in text_of(first)
    second = client.get("/audit?page=2")
    assert summaries(second) == [event.summary for event in ours[25:50]]
    only_theirs = {e.summary for e in theirs} - {e.summary for e in ours}
    assert "Authority Southmoor Council created" in only_theirs
    for response in (first, second):
        assert not only_theirs & set(summaries(response))
    # And the other authority's administrator sees theirs alone.
    stranger = login("stranger")
    assert summaries(stranger.get("/audit")) == [event.summary for event in theirs[:25]]


def test_administrators_reach_it_from_their_navigation_and_home(world, login):
    client = login("admin")
    assert 'href="/audit"' in client.get("/").get_data(as_text=True)
    head = login("head")
    assert 'href="/audit"' not in head.get("/").get_data(as_text=True)
    assert head.get("/audit").status_code == 403


def test_it_filters_by_kind_of_record_and_by_one_record(world, login):
    action = world.action
    client = login("admin")
    of_the_action = trail(
        world.authority.id,
        sa.or_(
            sa.and_(AuditEvent.object_type == "action", AuditEvent.object_id == action.id),
            AuditEvent.action_id == action.id,
        ),
    )
    # Its edits, its updates, and the world's partner joining it.
    assert {e.object_type for e in of_the_action} == {"action", "progress_update", "user_account"}
    by_number = client.get(f"/audit?record_kind=action&record={action.id}")
    assert summaries(by_number) == [e.summary for e in of_the_action]
    # The other authority's action has the same reference: its events stay out.
    assert world.other_action.reference == action.reference
    by_reference = client.get(f"/audit?record_kind=action&record={action.reference}")
    assert summaries(by_reference) == [e.summary for e in of_the_action]
    inspections = client.get("/audit?record_kind=inspection")
    expected = trail(world.authority.id, AuditEvent.object_type == "inspection")
    assert summaries(inspections) == [e.summary for e in expected]
    assert expected
    nothing = client.get("/audit?record_kind=action&record=9.9")
    assert "No events match these filters" in text_of(nothing)


def test_it_filters_by_person_and_by_what_no_person_did(world, login):
    manager = world.users["manager"]
    client = login("admin")
    theirs = client.get(f"/audit?person={manager.id}")
    expected = trail(world.authority.id, AuditEvent.actor_id == manager.id)
    assert summaries(theirs) == [e.summary for e in expected]
    assert expected
    system = client.get("/audit?person=system")
    expected = trail(world.authority.id, AuditEvent.actor_id.is_(None))
    assert summaries(system) == [e.summary for e in expected][:25]
    assert "Authority Northbrook Council created" in summaries(system)


def test_it_filters_by_dates_from_and_to_each_taken_whole(world, login, monkeypatch):
    monkeypatch.setattr(audit, "utcnow", lambda: datetime(2021, 3, 1, 23, 59))
    accounts.create_service_area(world.authority, "Fostering")
    monkeypatch.undo()
    db.session.commit()
    client = login("admin")

    def between(since: date, until: date) -> list[str]:
        parts = {f"since-{p}": getattr(since, p) for p in ("day", "month", "year")}
        parts |= {f"until-{p}": getattr(until, p) for p in ("day", "month", "year")}
        return summaries(client.get("/audit", query_string=parts))

    march = date(2021, 3, 1)
    assert between(march, march) == ["Service area Fostering created"]
    assert between(march + timedelta(days=1), date.today()) == [
        e.summary for e in trail(world.authority.id)[1:26]
    ]
    assert between(march - timedelta(days=9), march - timedelta(days=1)) == []


@pytest.mark.parametrize(
    ("query", "message", "kept"),
    [
        ("since-day=31&since-month=2&since-year=2026", "From must be a real date", 'value="31"'),
        ("until-day=1&until-month=3&until-year=26", "Year must include 4 numbers", 'value="26"'),
        (
            "since-day=2&since-month=3&since-year=2026&until-day=1&until-month=3&until-year=2026",
            "The end of the period must be on or after its start",
            'value="2026"',
        ),
        ("record_kind=inspection&record=abc", "Enter the record's number, like 42", 'value="abc"'),
        (
            "record_kind=inspection&record=99999999999",
            "Enter the record's number, like 42",
            'value="99999999999"',
        ),
        ("record=12", "Select the kind of record the number or reference is for", 'value="12"'),
        ("record_kind=nonsense", "Select a kind of record from the list", ""),
        ("person=nonsense", "Select a person from the list", ""),
        (f"record_kind=action&record={'x' * 21}", "up to 20 characters", "x" * 21),
    ],
)
def test_bad_filters_are_explained_and_kept(world, login, query, message, kept):
    response = login("admin").get(f"/audit?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html
    summary = html[html.index("govuk-error-summary") : html.index("<h1")]
    assert message in unescape(summary)
    assert kept in html
    assert summaries(response) == []


def test_another_authoritys_person_is_not_a_choice(world, login):
    response = login("admin").get(f"/audit?person={world.users['stranger'].id}")
    assert "Select a person from the list" in text_of(response)
    assert summaries(response) == []


def test_what_changed_is_shown_in_words(world, login):
    action, admin = world.action, world.users["admin"]
    values = {name: getattr(action, name) for name in ACTION_FIELDS}
    values |= {"due_date": date(2031, 1, 31), "owner_id": world.users["other_manager"].id}
    planning.edit_action(
        admin, action, action.version, "The caseload grew", today=date.today(), **values
    )
    db.session.commit()
    page = text_of(login("admin").get(f"/audit?record_kind=action&record={action.id}"))
    assert "Field Before After" in page
    assert "Owner Mo Manager Mia Manager" in page
    assert "Due date 30 June 2030 31 January 2031" in page
    assert "Reason for the new due date The caseload grew" in page
    assert f"Progress update {world.submitted.id}, on action 1.1" in page  # named, linked
    created = page[page.index("Action 1.1 created") :]
    assert "Field Value" in created
    assert "Measure of success Every child missing education is reviewed weekly." in created


def download(client, address: str):
    with client.get(address) as response:  # closed: the file behind it is closed with it
        response.body = response.get_data()
    return response


def csv_rows(response) -> list[list[str]]:
    assert response.body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.body.decode("utf-8-sig"))))


def test_the_csv_holds_the_filtered_events_of_the_authority_alone(world, login):
    client = login("admin")
    response = download(client, "/audit.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=audit-trail-")
    header, *rows = csv_rows(response)
    assert header[:4] == ["When (UTC)", "Sequence", "Person", "Record"]
    ours = trail(world.authority.id)
    assert [row[8] for row in rows] == [e.summary for e in ours]
    assert [row[10] for row in rows] == [e.hash for e in ours]
    created = next(row for row in rows if row[8] == "Action 1.1 created")
    assert created[3:7] == ["Action", str(world.action.id), str(world.action.id), "1.1"]
    manager = world.users["manager"]
    _, *filtered = csv_rows(download(client, f"/audit.csv?person={manager.id}"))
    assert {row[2] for row in filtered} == {"Mo Manager"}
    assert len(filtered) == len(trail(world.authority.id, AuditEvent.actor_id == manager.id))


def test_the_csv_with_bad_filters_goes_back_to_the_page_that_explains(world, login):
    client = login("admin")
    response = client.get("/audit.csv?since-day=40&since-month=1&since-year=2026")
    assert response.status_code == 302
    explained = client.get(response.headers["Location"])
    assert "From must be a real date" in text_of(explained)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_cells_a_spreadsheet_would_run_are_text(world, login, start):
    name = f'{start}HYPERLINK("https://evil.example","Click")'
    someone = accounts.create_user(
        None,
        world.authority,
        email="someone@northbrook.example",
        name=name,
        role=Role.VIEWER,
        password=PASSWORD,
    )
    planning.create_recommendation(
        someone, world.inspection, number=7, text=f"{start}1+1", senior_lead=None
    )
    db.session.commit()
    _, row = csv_rows(download(login("admin"), f"/audit.csv?person={someone.id}"))
    assert row[2] == "'" + name
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_changes_read_as_edits_or_as_the_values_a_record_was_made_with():
    people = {3: "Mo Manager"}
    edited = changes_in_words(
        {
            "owner_id": [3, 4],
            "judgements": [[["Overall", "Good"]], [["Overall", "Outstanding"]]],
            "due_date_reason": "The caseload grew",
            "measure_values": [{}, {"7": "60"}],
        },
        people,
    )
    assert edited == [
        Change("Owner", "Mo Manager", "Person 4"),
        Change("Judgements", '[["Overall", "Good"]]', '[["Overall", "Outstanding"]]'),
        Change("Reason for the new due date", None, "The caseload grew"),
        Change("Measure values", "Not set", '{"7": "60"}'),
    ]
    # Two judgements look like a pair of before and after: a new record has no "before".
    created = changes_in_words(
        {"judgements": [["Overall", "Good"], ["Leaders", "Good"]], "start_date": "2022-03-28"},
        people,
        created=True,
    )
    assert created == [
        Change("Judgements", None, '[["Overall", "Good"], ["Leaders", "Good"]]'),
        Change("Start date", None, "28 March 2022"),
    ]
    statuses = changes_in_words(
        {"status": ["in_progress", "nonsense"], "active": [True, False]}, {}
    )
    assert statuses == [Change("Status", "In progress", "nonsense"), Change("Active", "Yes", "No")]
