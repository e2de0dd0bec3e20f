"""The personal-data check warns an update's author on submitting and its reviewer on
approving; each must answer before the update moves on, and the answer is audited."""

import sqlalchemy as sa

from tests.conftest import text_of
from tests.factories import withdraw_waiting
from tests.signoff.test_signoff import update_form
from workflow.extensions import db
from workflow.models import AuditEvent, ProgressUpdate, UpdateState

WITH_A_NAME = "Karen Jones visited the family at 14 Acacia Avenue."


def updates_of(action) -> list[ProgressUpdate]:
    db.session.expire_all()
    query = sa.select(ProgressUpdate).where(ProgressUpdate.action_id == action.id)
    return list(db.session.scalars(query))


def test_the_author_answers_the_warning_before_submitting(world, login):
    withdraw_waiting(world)
    client = login("manager")
    before = len(updates_of(world.action))
    url = f"/actions/{world.action.id}/updates/new"
    response = client.post(url, data=update_form(narrative=WITH_A_NAME))
    page = text_of(response)
    assert "may hold personal data: “14 Acacia Avenue” (street address)" in page
    assert "“Karen Jones” (person's name)" in page
    assert WITH_A_NAME in page  # what was typed is kept
    assert len(updates_of(world.action)) == before  # nothing stored
    response = client.post(url, data=update_form(narrative=WITH_A_NAME, privacy_confirmed="y"))
    assert response.status_code == 302
    (update,) = [u for u in updates_of(world.action) if u.narrative == WITH_A_NAME]
    assert update.state is UpdateState.SUBMITTED
    event = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.object_id == update.id, AuditEvent.verb == "submitted"
        )
    )
    assert event.changes["confirmed_not_personal_data"] == ["14 Acacia Avenue", "Karen Jones"]


def test_the_reviewer_answers_the_warning_before_approving(world, login):
    world.submitted.narrative = "Call mum on 07700 900123."
    db.session.commit()
    client = login("head")
    page = text_of(client.get(f"/updates/{world.submitted.id}"))
    assert "This update may hold personal data: “07700 900123” (phone number)" in page
    version = world.submitted.version
    refused = client.post(f"/updates/{world.submitted.id}/approve", data={"version": version})
    assert "may hold personal data" in text_of(refused)
    assert db.session.get(ProgressUpdate, world.submitted.id).state is UpdateState.SUBMITTED
    client.post(
        f"/updates/{world.submitted.id}/approve",
        data={"version": version, "privacy_confirmed": "y"},
    )
    db.session.expire_all()
    assert db.session.get(ProgressUpdate, world.submitted.id).state is UpdateState.APPROVED
