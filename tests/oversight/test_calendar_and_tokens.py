"""The private calendar feed, and the account pages that make and revoke feed and API tokens."""

import re
from datetime import date, timedelta

import icalendar
import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from tests.factories import make_action
from tests.oversight.conftest import approved_update
from workflow.api.tokens import hash_token
from workflow.core.names import authority_short_name
from workflow.extensions import db
from workflow.models import ActionStatus, ApiToken, AuditEvent, Rag, User


def feed_address(client) -> str:
    page = client.post("/account/access/calendar").get_data(as_text=True)
    return re.search(r'id="feed-url"><code>([^<]+)</code>', page).group(1)


def test_the_feed_lists_the_users_open_actions_and_parses(world, login, client):
    admin, manager, head = world.users["admin"], world.users["manager"], world.users["head"]
    done = make_action(admin, world.recommendation, manager, world.area, description="Done")
    delegated = make_action(
        admin,
        world.recommendation,
        world.users["other_manager"],
        world.area,
        delegate_id=manager.id,
        due_date=date.today() + timedelta(days=3),
    )
    approved_update(manager, head, done, Rag.GREEN, ActionStatus.COMPLETE)
    address = feed_address(login("manager"))
    client.post("/sign-out")  # calendar apps have no session
    response = client.get(address.removeprefix("http://localhost"))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"action-{a.id}@localhost" for a in (world.action, delegated)}
    event = events[f"action-{delegated.id}@localhost"]
    assert event.decoded("dtstart") == delegated.due_date
    assert event.decoded("dtend") == delegated.due_date + timedelta(days=1)
    action = f"{delegated.reference} Track children missing from education weekly."
    title = f"Northbrook ILACS 2022 — {action}"
    assert str(event["summary"]) == title
    assert f"/actions/{delegated.id}" in str(event["url"])
    # Not started, three days from its due date: amber by the RAG rules, though stored green.
    assert "Status: Not started. RAG: Amber." in str(event["description"])


@pytest.mark.parametrize(
    "council, short",
    [
        ("City of Wolverhampton Council", "Wolverhampton"),
        ("London Borough of Camden", "Camden"),
        ("Royal Borough of Kingston upon Thames", "Kingston upon Thames"),
        ("Norfolk County Council", "Norfolk"),
        ("Dudley Metropolitan Borough Council", "Dudley"),
        ("Isles of Scilly", "Isles of Scilly"),
    ],
)
def test_events_name_the_council_as_people_say_it(council, short):
    assert authority_short_name(council) == short


def test_only_a_hash_is_stored_and_reset_or_turn_off_ends_the_old_address(world, login, client):
    client = login("manager")
    first = feed_address(client)
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    manager = db.session.get(User, world.users["manager"].id)
    assert manager.calendar_token_hash == hash_token(token) and token not in str(
        db.session.execute(sa.select(User.__table__)).all()
    )
    second = feed_address(client)
    assert client.get(first.removeprefix("http://localhost")).status_code == 404
    assert client.get(second.removeprefix("http://localhost")).status_code == 200
    assert "You have no calendar feed" not in text_of(client.get("/account/access"))
    client.post("/account/access/calendar/turn-off")
    assert client.get(second.removeprefix("http://localhost")).status_code == 404
    assert "You have no calendar feed" in text_of(client.get("/account/access"))
    verbs = db.session.scalars(
        sa.select(AuditEvent.verb)
        .where(AuditEvent.object_type == "user_account")
        .where(AuditEvent.verb.like("calendar%"))
    ).all()
    assert verbs == ["calendar_feed_reset", "calendar_feed_reset", "calendar_feed_off"]


def test_a_disabled_users_feed_stops(world, login, client):
    address = feed_address(login("manager")).removeprefix("http://localhost")
    db.session.get(User, world.users["manager"].id).active = False
    assert client.get(address).status_code == 404


def test_api_tokens_are_shown_once_stored_hashed_and_revocable(world, login):
    client = login("manager")
    response = client.post("/account/api-tokens/new", data={"name": "Power BI", "lifetime": "90"})
    secret = re.search(r'id="api-token"><code>([^<]+)</code>', response.get_data(as_text=True))
    secret = secret.group(1)
    token = db.session.scalars(sa.select(ApiToken)).one()
    assert token.token_hash == hash_token(secret) and secret.startswith("oap_")
    assert (token.expires_at - token.created_at).days == 90
    listing = client.get("/account/access").get_data(as_text=True)
    assert "Power BI" in listing and secret not in listing
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/inspections", headers=headers).status_code == 200
    assert login("head").post(f"/account/api-tokens/{token.id}/revoke").status_code == 404
    client = login("manager")
    client.post(f"/account/api-tokens/{token.id}/revoke")
    assert "Revoked" in text_of(client.get("/account/access"))
    assert client.get("/api/v1/inspections", headers=headers).status_code == 401


def test_the_token_form_explains_what_is_missing(world, login):
    response = login("manager").post("/account/api-tokens/new", data={"name": " "})
    text = text_of(response)
    assert "Enter a name for the token" in text and "Select how long the token should last" in text
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_reminder_setting_is_saved_and_audited(world, login):
    client = login("manager")
    assert "Reminder emails (on)" in text_of(client.get("/account"))
    client.post("/account/reminders", data={"digests": "stop"})
    assert db.session.get(User, world.users["manager"].id).digest_opt_out is True
    assert "Reminder emails (off)" in text_of(client.get("/account"))
    response = client.post("/account/reminders", data={})
    assert "Select whether you want reminder emails" in text_of(response)
    summaries = db.session.scalars(
        sa.select(AuditEvent.summary).where(AuditEvent.summary.like("Reminder emails%"))
    ).all()
    assert summaries == ["Reminder emails turned off"]
