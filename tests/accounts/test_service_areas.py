"""Service areas in the web app: added, renamed, retired (and then no longer offered)."""

import sqlalchemy as sa

from tests.conftest import text_of
from tests.test_hostile_input import HOSTILE, check_answer, database_state
from workflow.extensions import db
from workflow.models import AuditEvent, ServiceArea


def test_add_and_rename(login, world):
    client = login("admin")
    assert client.post("/service-areas", data={"name": "  Early   help "}).status_code == 302
    area = db.session.scalar(
        sa.select(ServiceArea).where(
            ServiceArea.name == "Early help", ServiceArea.authority_id == world.authority.id
        )
    )
    assert area.authority_id == world.authority.id
    response = client.post(
        f"/service-areas/{area.id}/rename", data={"name": "Early help and prevention"}
    )
    assert response.status_code == 302
    assert db.session.get(ServiceArea, area.id).name == "Early help and prevention"
    assert "Early help and prevention" in text_of(client.get("/service-areas"))
    verbs = db.session.scalars(
        sa.select(AuditEvent.verb).where(
            AuditEvent.object_type == "service_area", AuditEvent.object_id == area.id
        )
    ).all()
    assert verbs == ["created", "renamed"]


def test_a_name_is_unique_in_the_authority(login, world):
    client = login("admin")
    response = client.post("/service-areas", data={"name": world.area.name.upper()})
    assert response.status_code == 200 and "already a service area called" in text_of(response)
    # Another council may use the same name.
    other = login("stranger")
    assert other.post("/service-areas", data={"name": world.area.name}).status_code == 302


def test_retiring_needs_an_empty_area_and_then_hides_it(login, world):
    client = login("admin")
    busy = client.post(f"/service-areas/{world.area.id}/retire")
    assert busy.status_code == 302
    assert db.session.get(ServiceArea, world.area.id).retired_at is None
    assert "move them to another service area first" in text_of(client.get("/service-areas"))
    client.post("/service-areas", data={"name": "Youth justice"})
    empty = db.session.scalar(sa.select(ServiceArea).where(ServiceArea.name == "Youth justice"))
    client.post(f"/service-areas/{empty.id}/retire")
    assert db.session.get(ServiceArea, empty.id).retired_at is not None
    assert ">Youth justice</option>" not in client.get("/users/new").get_data(as_text=True)
    assert f">{world.area.name}</option>" in client.get("/users/new").get_data(as_text=True)
    assert "Retired" in text_of(client.get("/service-areas"))


def test_another_authority_gets_404_and_others_403(login, world):
    assert login("stranger").post(f"/service-areas/{world.area.id}/retire").status_code == 404
    assert login("head").get("/service-areas").status_code == 403
    assert db.session.get(ServiceArea, world.area.id).retired_at is None


def test_hostile_names(login, world):
    client = login("admin")
    for value in HOSTILE:
        for url in ("/service-areas", f"/service-areas/{world.area.id}/rename"):
            before = database_state()
            check_answer(client.post(url, data={"name": value}), before, url, value)
    assert db.session.scalar(sa.select(sa.func.count(ServiceArea.id))) >= 3
