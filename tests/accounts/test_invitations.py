"""Invitations: sent by real email, accepted once, listed, resent and withdrawn."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from tests.test_hostile_input import HOSTILE, check_answer, database_state
from workflow.accounts import invitations
from workflow.extensions import db
from workflow.models import AuditEvent, Invitation, Role, User, utcnow


def invite(client, world, email="nia.new@northbrook.example", role="service_manager"):
    data = {"name": "Nia New", "email": email, "role": role, "service_area_id": world.area.id}
    return client.post("/users/new", data=data)


def link_in(message) -> str:
    return re.search(r"http://localhost(/invitations/\S+)", message.get_content()).group(1)


def test_the_new_user_page_has_no_password_field(login, world):
    page = login("admin").get("/users/new").get_data(as_text=True)
    assert 'type="password"' not in page and "Send invitation" in page


def test_an_invitation_is_emailed_and_accepted_once(app, login, world, smtp_server):
    client = login("admin")
    response = invite(client, world)
    assert response.status_code == 302
    (message,) = smtp_server.to("nia.new@northbrook.example")
    assert "Northbrook Council has invited you" in message.get_content()
    link = link_in(message)
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.token_hash not in link and link.split("/")[-1] not in invitation.token_hash
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert db.session.scalar(sa.select(User).where(User.email == invitation.email)) is None

    person = app.test_client()
    page = person.get(link)
    assert "Welcome, Nia New" in text_of(page)
    weak = person.post(link, data={"password": "password"})
    assert weak.status_code == 200 and "There is a problem" in text_of(weak)
    assert db.session.scalar(sa.select(User).where(User.email == invitation.email)) is None
    done = person.post(link, data={"password": "tangerine-otter-lighthouse"})
    assert done.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "nia.new@northbrook.example"))
    assert user.role is Role.SERVICE_MANAGER and user.service_area_id == world.area.id
    assert "Nia New" in text_of(person.get("/account"))
    assert db.session.get(Invitation, invitation.id).user_id == user.id
    # The link is spent.
    again = app.test_client().get(link)
    assert again.status_code == 404 and "no longer works" in text_of(again)


def test_pending_invitations_are_listed_resent_and_withdrawn(app, login, world, smtp_server):
    client = login("admin")
    invite(client, world)
    invitation = db.session.scalar(sa.select(Invitation))
    listing = text_of(client.get("/users/invitations"))
    assert "Nia New" in listing and "nia.new@northbrook.example" in listing
    first_link = link_in(smtp_server.messages[-1])
    response = client.post(
        f"/users/invitations/{invitation.id}/resend", data={"version": invitation.version}
    )
    assert response.status_code == 302 and len(smtp_server.messages) == 2
    second_link = link_in(smtp_server.messages[-1])
    assert first_link != second_link
    assert app.test_client().get(first_link).status_code == 404  # the old link stopped working
    invitation = db.session.get(Invitation, invitation.id)
    client.post(
        f"/users/invitations/{invitation.id}/withdraw", data={"version": invitation.version}
    )
    assert db.session.get(Invitation, invitation.id).withdrawn_at is not None
    assert app.test_client().get(second_link).status_code == 404
    assert "no invitations waiting" in text_of(client.get("/users/invitations"))
    verbs = db.session.scalars(
        sa.select(AuditEvent.verb).where(AuditEvent.object_type == "invitation")
    ).all()
    assert verbs == ["created", "resent", "withdrawn"]


def test_an_expired_invitation_does_not_work(app, login, world, smtp_server):
    invite(login("admin"), world)
    link = link_in(smtp_server.messages[-1])
    invitation = db.session.scalar(sa.select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    person = app.test_client()
    assert person.get(link).status_code == 404
    assert person.post(link, data={"password": "tangerine-otter-lighthouse"}).status_code == 404
    assert db.session.scalar(sa.select(User).where(User.email == invitation.email)) is None


def test_an_existing_address_or_invitation_is_refused(login, world, smtp_server):
    client = login("admin")
    taken = invite(client, world, email=world.users["manager"].email)
    assert "already exists" in text_of(taken)
    invite(client, world)
    twice = invite(client, world)
    assert twice.status_code == 200 and "already been invited" in text_of(twice)
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 1


def test_another_authority_cannot_touch_our_invitations(login, world, smtp_server):
    invite(login("admin"), world)
    invitation = db.session.scalar(sa.select(Invitation))
    stranger = login("stranger")
    response = stranger.post(f"/users/invitations/{invitation.id}/withdraw", data={})
    assert response.status_code == 404
    assert "Nia New" not in text_of(stranger.get("/users/invitations"))
    assert db.session.get(Invitation, invitation.id).withdrawn_at is None


def test_an_unsent_invitation_says_so(app, login, world):
    app.config["SMTP_PORT"] = 1  # nothing listens there
    client = login("admin")
    response = invite(client, world)
    assert response.status_code == 302
    assert "could not be sent" in text_of(client.get(response.headers["Location"]))


def test_hostile_values_on_the_acceptance_form(app, world):
    person = app.test_client()
    for number, value in enumerate(HOSTILE):
        _, token = invitations.invite_user(
            world.users["admin"],
            world.authority,
            email=f"p{number}@northbrook.example",
            name="Pat",
            role=Role.VIEWER,
            service_area=None,
            now=utcnow(),
        )
        db.session.commit()
        before = database_state()
        response = person.post(f"/invitations/{token}", data={"password": value})
        check_answer(response, before, "/invitations/…", value)
        joined = db.session.scalar(
            sa.select(User).where(User.email == f"p{number}@northbrook.example")
        )
        assert (joined is not None) == (response.status_code == 302), value[:20]


@pytest.mark.parametrize("token", ["x", "a" * 500, "../../etc/passwd", "%00", "a" * 43])
def test_made_up_links_are_404(client, world, token):
    assert client.get(f"/invitations/{token}").status_code == 404
    assert invitations.invitation_for_link(token, utcnow()) is None
