"""The authority's RAG rules page: the rules as the rating function applies them, and the
at-risk window, the one part an authority sets."""

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from workflow.extensions import db
from workflow.models import AuditEvent


def test_the_page_states_the_rules_the_ratings_follow(world, login):
    page = text_of(login("admin").get("/settings/rag"))
    assert "Red Not complete and past its due date (from the day after it)" in page
    assert "Amber Not started, with 30 days or fewer to its due date." in page
    assert "A reviewer may approve a different rating only with a written exception" in page


def test_the_window_is_saved_recorded_and_written_into_the_rules(world, login):
    client = login("admin")
    version = str(world.authority.version)  # the form carries the version it showed
    response = client.post("/settings/rag", data={"at_risk_days": "45", "version": version})
    assert response.status_code == 302
    db.session.refresh(world.authority)
    assert world.authority.rag_at_risk_days == 45
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "authority").order_by(AuditEvent.id)
    ).all()[-1]
    assert event.changes == {"rag_at_risk_days": [30, 45]}
    assert "Not started, with 45 days or fewer to its due date." in text_of(
        client.get("/settings/rag")
    )
    form_page = text_of(login("manager").get(f"/actions/{world.action.id}/updates/new"))
    assert "Not started, with 45 days or fewer to its due date." in form_page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the number of days"),
        ("soon", "Enter the number of days as a number, like 30"),
        ("400", "Enter a number of days from 0 to 365"),
        ("-1", "Enter a number of days from 0 to 365"),
        ("7.5", "Enter the number of days as a whole number, like 30"),
    ],
)
def test_a_bad_window_is_refused_with_a_clear_message(world, login, typed, message):
    response = login("admin").post("/settings/rag", data={"at_risk_days": typed})
    assert response.status_code == 200
    page = text_of(response)
    assert page.count(message) == 2  # in the error summary and beside the field
    if typed:  # what was typed stays in the box
        assert f'value="{typed}"' in response.get_data(as_text=True)
    db.session.refresh(world.authority)
    assert world.authority.rag_at_risk_days == 30


def test_only_administrators_set_the_rules(world, login):
    assert login("director").post("/settings/rag", data={"at_risk_days": "5"}).status_code == 403
    db.session.refresh(world.authority)
    assert world.authority.rag_at_risk_days == 30
