"""Password reset by email: one answer for every address, a one-hour single-use link, every
session ended, and throttling."""

import re
from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import text_of
from tests.test_hostile_input import HOSTILE, check_answer, database_state
from workflow.accounts import resets
from workflow.accounts.passwords import verify_password
from workflow.extensions import db
from workflow.models import AuditEvent, PasswordReset, User, utcnow

NEW_PASSWORD = "marmalade-quarry-violin"


def link_in(message) -> str:
    return re.search(r"http://localhost(/reset-password/\S+)", message.get_content()).group(1)


def answer_text(response) -> str:
    """The page without the address typed, which it repeats back."""
    return re.sub(r"\S+@northbrook\.example", "ADDRESS", text_of(response))


def test_the_same_answer_and_an_email_whether_or_not_the_account_exists(client, world, smtp_server):
    known = client.post("/reset-password", data={"email": "Mo.Manager@northbrook.example"})
    unknown = client.post("/reset-password", data={"email": "nobody@northbrook.example"})
    assert known.status_code == unknown.status_code == 200
    assert answer_text(known) == answer_text(unknown)
    assert "Check your email" in text_of(known)
    # Both addresses get an email: the same work either way, so the timing tells nothing.
    (to_known,) = smtp_server.to("mo.manager@northbrook.example")
    (to_unknown,) = smtp_server.to("nobody@northbrook.example")
    assert "/reset-password/" in to_known.get_content()
    assert "There is no account" in to_unknown.get_content()
    assert "/reset-password/" not in to_unknown.get_content()


def test_a_reset_sets_the_password_and_ends_every_session(app, client, world, smtp_server):
    manager = world.users["manager"]
    laptop = app.test_client()
    laptop.post("/sign-in", data={"email": manager.email, "password": world.password})
    assert laptop.get("/account").status_code == 200
    client.post("/reset-password", data={"email": manager.email})
    link = link_in(smtp_server.messages[-1])
    assert "Choose a new password" in text_of(client.get(link))
    response = client.post(link, data={"password": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    user = db.session.get(User, manager.id)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert laptop.get("/account").status_code == 302  # the other session has ended
    assert client.get(link).status_code == 404  # single use
    assert (
        db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.verb == "password_reset")
        ).object_id
        == manager.id
    )
    signed_in = client.post("/sign-in", data={"email": manager.email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_a_link_lasts_an_hour(client, world, smtp_server):
    client.post("/reset-password", data={"email": world.users["manager"].email})
    link = link_in(smtp_server.messages[-1])
    reset = db.session.scalar(sa.select(PasswordReset))
    assert reset.expires_at - reset.created_at == timedelta(hours=1)
    reset.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(link, data={"password": NEW_PASSWORD})
    assert response.status_code == 404 and "expired or was already used" in text_of(response)
    user = db.session.get(User, world.users["manager"].id)
    assert not verify_password(user.password_hash, NEW_PASSWORD)


def test_a_newer_reset_spends_the_older_links(client, world, smtp_server):
    email = world.users["manager"].email
    client.post("/reset-password", data={"email": email})
    client.post("/reset-password", data={"email": email})
    first, second = (link_in(m) for m in smtp_server.to(email))
    assert client.post(second, data={"password": NEW_PASSWORD}).status_code == 302
    assert client.get(first).status_code == 404


def test_requests_are_throttled_for_known_and_unknown_addresses_alike(client, world, smtp_server):
    for email in (world.users["manager"].email, "nobody@northbrook.example"):
        answers = [
            client.post("/reset-password", data={"email": email}).status_code for _ in range(4)
        ]
        assert answers == [200, 200, 200, 429]
    assert len(smtp_server.messages) == 6
    page = text_of(client.post("/reset-password", data={"email": "nobody@northbrook.example"}))
    assert "too many reset links" in page


def test_a_weak_new_password_is_refused_and_the_link_kept(client, world, smtp_server):
    client.post("/reset-password", data={"email": world.users["manager"].email})
    link = link_in(smtp_server.messages[-1])
    response = client.post(link, data={"password": "short"})
    assert response.status_code == 200 and "There is a problem" in text_of(response)
    assert client.get(link).status_code == 200


def test_hostile_values_on_the_new_password_form(app, world):
    client = app.test_client()
    for value in HOSTILE:
        _, token = resets.request_password_reset(world.users["viewer"].email, "10.0.0.9", utcnow())
        db.session.commit()
        before = database_state()
        check_answer(
            client.post(f"/reset-password/{token}", data={"password": value}),
            before,
            "reset",
            value,
        )
        resets_left = db.session.scalars(sa.select(PasswordReset)).all()
        for reset in resets_left:
            db.session.delete(reset)  # a fresh allowance for the next value
        db.session.commit()
