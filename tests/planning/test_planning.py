"""Inspections, recommendations and actions through their pages: content, rules, tenancy."""

from datetime import date

import sqlalchemy as sa

from tests.conftest import text_of
from workflow.extensions import db
from workflow.models import Action, AuditEvent, Inspection, Recommendation


def inspection_form(**overrides):
    data = {
        "kind": "ilacs_standard",
        "start_date-day": "28",
        "start_date-month": "3",
        "start_date-year": "2022",
        "end_date-day": "1",
        "end_date-month": "4",
        "end_date-year": "2022",
        "published_on-day": "18",
        "published_on-month": "5",
        "published_on-year": "2022",
        "lead_inspector": "Andy Waugh",
        "judgements-0-area": "Overall effectiveness",
        "judgements-0-grade": "Good",
        "judgements-1-area": "The impact of leaders",
        "judgements-1-grade": "Outstanding",
    }
    data.update(overrides)
    return data


def action_form(world, **overrides):
    data = {
        "reference": "1.2",
        "description": "Weekly tracking meeting",
        "owner_id": str(world.users["manager"].id),
        "service_area_id": str(world.area.id),
        "start_date-day": "1",
        "start_date-month": "6",
        "start_date-year": "2022",
        "due_date-day": "30",
        "due_date-month": "9",
        "due_date-year": "2022",
        "measure_of_success": "All children reviewed weekly",
    }
    data.update(overrides)
    return data


def test_inspection_page_shows_judgements_and_recommendations(world, login):
    page = text_of(login("viewer").get(f"/inspections/{world.inspection.id}"))
    assert "Overall effectiveness Good" in page
    assert "Track children missing education." in page
    assert "1 Green" in page


def test_inspection_list_shows_only_own_authority(world, login):
    page = text_of(login("stranger").get("/inspections"))
    assert "Focused visit" in page
    assert "ILACS standard inspection" not in page


def test_admin_adds_an_inspection_with_its_judgements(world, login):
    response = login("admin").post("/inspections/new", data=inspection_form())
    assert response.status_code == 302
    inspection = db.session.scalars(sa.select(Inspection).order_by(Inspection.id.desc())).first()
    assert inspection.authority_id == world.authority.id
    assert [(j.area, j.grade) for j in inspection.judgements] == [
        ("Overall effectiveness", "Good"),
        ("The impact of leaders", "Outstanding"),
    ]
    assert inspection.report_received_on == date(2022, 5, 18)


def test_invalid_inspection_keeps_what_was_typed(world, login):
    client = login("admin")
    before = db.session.scalar(sa.select(sa.func.count(Inspection.id)))
    data = inspection_form(
        **{"end_date-day": "30", "end_date-month": "2", "lead_inspector": "Ms <b>Example</b>"}
    )
    response = client.post("/inspections/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "must be a real date" in page
    assert "Ms &lt;b&gt;Example&lt;/b&gt;" in page
    assert db.session.scalar(sa.select(sa.func.count(Inspection.id))) == before


def test_end_before_start_is_refused(world, login):
    data = inspection_form(**{"end_date-day": "1", "end_date-month": "1", "end_date-year": "2022"})
    response = login("admin").post("/inspections/new", data=data)
    assert "must be on or after the first day" in text_of(response)


def test_judgement_without_grade_is_refused(world, login):
    data = inspection_form(**{"judgements-1-grade": ""})
    response = login("admin").post("/inspections/new", data=data)
    assert "Select a grade for" in text_of(response)


def test_recommendation_numbers_are_unique_per_inspection(world, login):
    client = login("admin")
    url = f"/inspections/{world.inspection.id}/recommendations/new"
    response = client.post(url, data={"number": "1", "text": "Again"})
    assert "Recommendation 1 already exists" in text_of(response)
    response = client.post(url, data={"number": "2", "text": "Return home interviews."})
    assert response.status_code == 302
    numbers = db.session.scalars(
        sa.select(Recommendation.number).where(Recommendation.inspection_id == world.inspection.id)
    ).all()
    assert sorted(numbers) == [1, 2]


def test_head_adds_an_action_in_their_own_area_only(world, login):
    client = login("head")
    url = f"/recommendations/{world.recommendation.id}/actions/new"
    assert client.post(url, data=action_form(world)).status_code == 302
    action = db.session.scalar(sa.select(Action).where(Action.reference == "1.2"))
    assert action.original_due_date == action.due_date == date(2022, 9, 30)
    other_area = world.users["other_head"].service_area_id
    response = client.post(
        url, data=action_form(world, reference="1.3", service_area_id=str(other_area))
    )
    assert response.status_code == 403


def test_action_owner_must_belong_to_the_authority(world, login):
    url = f"/recommendations/{world.recommendation.id}/actions/new"
    stranger = world.users["stranger"]
    response = login("admin").post(url, data=action_form(world, owner_id=str(stranger.id)))
    assert response.status_code == 200
    assert "Not a valid choice" in text_of(response) or "Select" in text_of(response)
    assert db.session.scalar(sa.select(Action).where(Action.reference == "1.2")) is None


def test_changing_a_due_date_needs_a_reason_and_keeps_the_original(world, login):
    client = login("admin")
    action = world.action
    url = f"/actions/{action.id}/edit"
    data = action_form(world, reference=action.reference, version=str(action.version))
    data.update({"due_date-day": "31", "due_date-month": "12", "due_date-year": "2030"})
    response = client.post(url, data=data)
    assert "Enter the reason the due date is changing" in text_of(response)
    data["due_date_reason"] = "Waiting for the new case-management release"
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    action = db.session.get(Action, action.id)
    assert action.due_date == date(2030, 12, 31)
    assert action.original_due_date == date(2030, 6, 30)
    event = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == "action")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.changes["due_date"] == ["2030-06-30", "2030-12-31"]
    assert event.changes["due_date_reason"] == "Waiting for the new case-management release"


def test_stale_action_form_is_refused_and_keeps_the_input(world, login):
    client = login("admin")
    action = world.action
    stale_version = str(action.version)
    first = action_form(
        world,
        reference=action.reference,
        version=stale_version,
        **{"due_date-day": "30", "due_date-month": "6", "due_date-year": "2030"},
    )
    first["description"] = "First editor's words"
    assert client.post(f"/actions/{action.id}/edit", data=first).status_code == 302
    second = dict(first, description="Second editor's words")
    response = client.post(f"/actions/{action.id}/edit", data=second)
    page = text_of(response)
    assert response.status_code == 200
    assert "changed by Ada Admin at" in page
    assert "Second editor's words" in page
    db.session.expire_all()
    assert db.session.get(Action, action.id).description == "First editor's words"


def test_another_authoritys_records_answer_404_to_every_verb(world, login):
    client = login("admin")
    for url in (
        f"/inspections/{world.other_inspection.id}",
        f"/inspections/{world.other_inspection.id}/edit",
        f"/recommendations/{world.other_recommendation.id}",
        f"/actions/{world.other_action.id}",
        f"/actions/{world.other_action.id}/edit",
        f"/users/{world.users['stranger'].id}/edit",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data={}).status_code in (404, 405), url
    assert "Page not found" in text_of(client.get(f"/actions/{world.other_action.id}"))


def test_every_change_is_in_the_audit_trail(world, login):
    login("admin").post(
        f"/inspections/{world.inspection.id}/recommendations/new",
        data={"number": "2", "text": "Return home interviews."},
    )
    event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.verb, event.actor_name, event.object_type) == (
        "created",
        "Ada Admin",
        "recommendation",
    )
