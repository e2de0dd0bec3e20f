"""A rating other than the RAG rules' needs the reviewer's own written exception, and the
exception is shown beside the rating wherever the rating is."""

import copy
import csv
import io
from dataclasses import replace
from datetime import timedelta

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.conftest import text_of
from tests.factories import proposal, withdraw_waiting
from workflow.api import tokens
from workflow.core.errors import RuleError
from workflow.extensions import db
from workflow.models import ProgressUpdate, Rag, UpdateState, utcnow
from workflow.plans.builder import Plan, build_plan
from workflow.plans.changes import compare_snapshots
from workflow.plans.exports import export_plan
from workflow.plans.render.tracker import COLUMNS
from workflow.signoff import rules as signoff

EXCEPTION = "The last school visit is booked for Friday; the tracker is already live."


@pytest.fixture
def green_but_overdue(world, today):
    """The owner rates the overdue action green, with a reason, and submits it."""
    manager, action = world.users["manager"], world.action
    action.due_date = today - timedelta(days=2)
    withdraw_waiting(world)  # an action has one update awaiting approval at a time
    update = signoff.draft_update(
        manager, action, proposal("Nearly there", rag_reason="One visit left"), None, today
    )
    signoff.submit_update(manager, update, update.version)
    db.session.commit()
    return update


def test_approving_a_rating_the_rules_do_not_give_needs_an_exception(
    world, green_but_overdue, today
):
    head, update = world.users["head"], green_but_overdue
    with pytest.raises(RuleError) as refused:
        signoff.approve_update(head, update, update.version, today=today)
    assert refused.value.field == "rag_exception"
    assert refused.value.message == (
        "Enter the exception: why this action should be green when the RAG rules give red. "
        "It is shown beside the rating in the plan"
    )
    db.session.rollback()
    signoff.approve_update(head, update, update.version, exception=EXCEPTION, today=today)
    action = update.action
    assert (action.rag, action.rag_exception) == (Rag.GREEN, EXCEPTION)
    assert (action.rag_exception_by, action.rag_exception_on) == (head, today)


def test_a_rating_the_rules_give_keeps_no_exception(world, today):
    head, update = world.users["head"], world.submitted  # green, as the rules give
    signoff.approve_update(head, update, update.version, exception="Not needed", today=today)
    assert update.action.rag_exception is None and update.action.rag_exception_by is None


def test_the_approve_form_asks_for_the_exception_only_when_needed(world, login, today):
    client = login("head")
    plain = text_of(client.get(f"/updates/{world.submitted.id}"))  # green, as the rules give
    assert "Approve" in plain and "Exception to the RAG rules" not in plain
    world.action.due_date = today - timedelta(days=2)
    db.session.commit()
    page = text_of(client.get(f"/updates/{world.submitted.id}"))
    assert "Exception to the RAG rules" in page
    assert "The RAG rules give Red for this action: Not complete and past its due date" in page
    assert "The update proposes Green" in page


def test_an_exception_typed_where_none_is_needed_is_said_to_be_not_kept(world, login):
    client, update = login("head"), world.submitted  # green, as the rules give
    update.narrative = "Call mum on 07700 900123."  # the personal-data check warns
    db.session.commit()
    data = {"version": update.version, "rag_exception": "Typed all the same"}
    page = text_of(client.post(f"/updates/{update.id}/approve", data=data))
    assert "may hold personal data" in page and "Typed all the same" in page
    assert "no exception is needed: what you wrote here will not be kept" in page
    assert "write the exception in your own words" not in page


def test_a_refused_approval_says_why_and_keeps_what_was_typed(world, green_but_overdue, login):
    client, update = login("head"), green_but_overdue
    refused = client.post(f"/updates/{update.id}/approve", data={"version": update.version})
    assert "Enter the exception: why this action should be green" in text_of(refused)
    assert "The author's reason: One visit left" in text_of(refused)
    assert db.session.get(ProgressUpdate, update.id).state is UpdateState.SUBMITTED
    update.narrative = "Call mum on 07700 900123."  # now the personal-data check warns too
    db.session.commit()
    data = {"version": update.version, "rag_exception": EXCEPTION}
    refused = client.post(f"/updates/{update.id}/approve", data=data)
    assert "may hold personal data" in text_of(refused)
    assert EXCEPTION in refused.get_data(as_text=True)  # still in the box
    data["privacy_confirmed"] = "y"
    assert client.post(f"/updates/{update.id}/approve", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgressUpdate, update.id).state is UpdateState.APPROVED


@pytest.fixture
def approved_with_exception(world, green_but_overdue, today):
    update = green_but_overdue
    signoff.approve_update(
        world.users["head"], update, update.version, exception=EXCEPTION, today=today
    )
    db.session.commit()
    return update.action


def test_the_exception_shows_beside_the_rating_on_the_pages(
    world, approved_with_exception, login, today
):
    client = login("viewer")
    shown = f"Green Exception agreed by Hugo Head on {today:%-d %B %Y}: {EXCEPTION}"
    assert shown in text_of(client.get(f"/actions/{approved_with_exception.id}"))
    listed = text_of(client.get(f"/recommendations/{world.recommendation.id}"))
    assert f"Green Exception: {EXCEPTION}" in listed


def test_the_exception_shows_beside_the_rating_in_every_plan_format(
    world, approved_with_exception, today
):
    plan = build_plan(world.inspection, today)
    (action,) = plan.recommendations[0].actions
    line = f"Exception agreed by Hugo Head on {today:%-d %B %Y}: {EXCEPTION}"
    assert (action.rag, action.exception_line) == (Rag.GREEN, line)
    html = export_plan(plan, "html").decode()
    assert f'govuk-tag--green">Green</strong><br><span class="app-plan-quiet">{line}</span>' in html
    row = [c.text for c in Document(io.BytesIO(export_plan(plan, "docx"))).tables[-1].rows[1].cells]
    assert row[5] == f"Green\n{line}"
    (tracker,) = list(csv.DictReader(io.StringIO(export_plan(plan, "csv").decode("utf-8-sig"))))
    assert (tracker["Delivery rating (RAG)"], tracker["RAG exception"]) == ("Green", line)
    sheet = load_workbook(io.BytesIO(export_plan(plan, "xlsx")))["Action tracker"]
    cells = dict(zip(COLUMNS, list(sheet.iter_rows(values_only=True))[1], strict=True))
    assert (cells["Delivery rating (RAG)"], cells["RAG exception"]) == ("Green", line)


def test_the_exception_is_in_the_api_and_the_dashboard_csv(
    world, approved_with_exception, login, today
):
    secret = tokens.create_api_token(world.users["viewer"], "BI", 30, utcnow())
    db.session.commit()
    client = login("viewer")
    url = f"/api/v1/actions/{approved_with_exception.id}"
    item = client.get(url, headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert (item["rag"], item["rag_exception"]) == ("green", EXCEPTION)
    assert (item["rag_exception_by"], item["rag_exception_on"]) == ("Hugo Head", today.isoformat())
    body = client.get("/dashboard.csv").get_data().decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(body)))
    assert (row["RAG"], row["RAG exception"]) == ("Green", EXCEPTION)


def test_the_next_issue_names_the_exception_and_older_snapshots_still_rebuild(
    world, approved_with_exception, today
):
    plan = build_plan(world.inspection, today)
    snapshot = plan.snapshot()
    older = copy.deepcopy(snapshot)  # as a version issued before exceptions were recorded
    for recommendation in older["recommendations"]:
        for action in recommendation["actions"]:
            for key in ("rag_exception", "rag_exception_by", "rag_exception_on"):
                del action[key]
    rebuilt = Plan.from_snapshot(older)
    assert rebuilt.recommendations[0].actions[0].exception_line == ""
    assert Plan.from_snapshot(snapshot) == replace(plan, logo=None)
    (changed,) = compare_snapshots(older, snapshot).changed
    assert f"RAG exception: {EXCEPTION}" in changed.changes
