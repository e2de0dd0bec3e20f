"""An administrator never learns which addresses another council's people have.

Inviting someone, or giving someone a new address, reads the same whether or not the
address has an account elsewhere; only the email to the address, which its owner alone
reads, says it cannot be used. An address still belongs to one account in the whole
installation, so signing in stays unambiguous.
"""

import re

import pytest
import sqlalchemy as sa

from tests.conftest import pass_second_factor, text_of
from workflow.extensions import db
from workflow.models import AuditEvent, EmailChange, Invitation, User

FRESH = "nia.new@southmoor.example"


def other_councils_address(world) -> str:
    return world.users["stranger"].email  # Southmoor's administrator


def invite(client, world, email):
    data = {"name": "Nia New", "email": email, "role": "viewer", "service_area_id": ""}
    return client.post("/users/new", data=data)


def answer(client, response, address: str) -> tuple[str, list]:
    """Where the administrator is sent after the post and what they are told, with the
    address typed left out."""
    assert response.status_code == 302, text_of(response)
    with client.session_transaction() as cookie:
        flashed = cookie.pop("_flashes")
    told = [(kind, words.replace(address, "ADDRESS")) for kind, words in flashed]
    return response.location, told


def events(verb: str) -> list[str]:
    query = sa.select(AuditEvent.summary).where(AuditEvent.verb == verb).order_by(AuditEvent.id)
    return db.session.scalars(query).all()


def test_inviting_another_councils_address_reads_like_any_invitation(login, world, smtp_server):
    admin = login("admin")
    taken, fresh = other_councils_address(world), FRESH
    taken_page = answer(admin, invite(admin, world, taken), taken)
    fresh_page = answer(admin, invite(admin, world, fresh), fresh)
    # Before, this said "A user with this email address already exists".
    assert taken_page == fresh_page
    assert "An invitation has been emailed to ADDRESS" in taken_page[1][0][1]
    listed = text_of(admin.get("/users/invitations"))
    assert taken in listed and fresh in listed
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 2
    assert events("created")[-2:] == ["Nia New invited as Viewer", "Nia New invited as Viewer"]
    # The address's owner is told, in an email only they read; there is no link to use.
    (to_taken,) = smtp_server.to(taken)
    assert "already has an account on the service, with another council" in to_taken.get_content()
    assert "/invitations/" not in to_taken.get_content()
    (to_fresh,) = smtp_server.to(fresh)
    assert "/invitations/" in to_fresh.get_content()


def test_an_address_of_this_council_is_still_named(login, world, smtp_server):
    admin = login("admin")
    response = invite(admin, world, world.users["manager"].email.upper())
    assert response.status_code == 200
    assert "A user with this email address already exists" in text_of(response)


def edit_email(client, world, who: str, email: str):
    user = db.session.get(User, world.users[who].id)
    data = {
        "name": user.name,
        "email": email,
        "role": user.role.value,
        "service_area_id": user.service_area_id or "",
        "active": "y",
        "version": user.version,
    }
    return client.post(f"/users/{user.id}/edit", data=data)


def test_a_new_address_for_someone_reads_the_same_whoever_has_it(login, world, smtp_server):
    admin = login("admin")
    manager = world.users["manager"]
    taken, fresh = other_councils_address(world), FRESH
    taken_page = answer(admin, edit_email(admin, world, "manager", taken), taken)
    fresh_page = answer(admin, edit_email(admin, world, "manager", fresh), fresh)
    assert taken_page == fresh_page
    assert "We have emailed ADDRESS a link to confirm the new address" in taken_page[1][1][1]
    # Nothing changes until the person confirms, so nothing shows whose address it was.
    assert db.session.get(User, manager.id).email == "mo.manager@northbrook.example"
    assert (
        events("email_change_requested")
        == ["New email address for Mo Manager sent for confirmation"] * 2
    )
    (to_taken,) = smtp_server.to(taken)
    assert "it already belongs to another account" in to_taken.get_content()
    assert "/account/email-address/" not in to_taken.get_content()


def confirm_link(smtp_server, address: str) -> str:
    (message,) = smtp_server.to(address)
    return re.search(r"http://localhost(/account/email-address/\S+)", message.get_content()).group(
        1
    )


def test_the_person_confirms_their_new_address_signed_in_as_themselves(
    app, login, world, smtp_server
):
    manager = world.users["manager"]
    edit_email(login("admin"), world, "manager", "mo.m@northbrook.example")
    link = confirm_link(smtp_server, "mo.m@northbrook.example")
    # Whoever owns the new address must also be the account's owner: a mistyped address
    # never hands the account over.
    assert app.test_client().get(link).status_code == 302  # to sign in first
    head = login("head")
    assert head.get(link).status_code == 404
    assert head.post(link).status_code == 404
    client = login("manager")
    assert "mo.m@northbrook.example" in text_of(client.get(link))
    done = client.post(link)
    assert "Your email address is now mo.m@northbrook.example" in text_of(client.get(done.location))
    assert db.session.get(User, manager.id).email == "mo.m@northbrook.example"
    assert events("email_changed") == ["Email address confirmed by Mo Manager"]
    assert client.post(link).status_code == 404  # used once
    signing_in = app.test_client().post(
        "/sign-in", data={"email": "mo.m@northbrook.example", "password": world.password}
    )
    assert signing_in.status_code == 302


def test_an_address_taken_before_it_is_confirmed_is_refused(app, login, world, smtp_server):
    edit_email(login("admin"), world, "manager", FRESH)
    link = confirm_link(smtp_server, FRESH)
    db.session.add(
        User(
            authority=world.other_authority,
            email=FRESH,
            name="Nia New",
            role=world.users["viewer"].role,
            password_hash="x",
        )
    )
    db.session.commit()
    client = login("manager")
    refused = client.post(link)
    assert "already belongs to another account" in text_of(refused)
    assert db.session.get(User, world.users["manager"].id).email.startswith("mo.manager@")
    assert db.session.scalar(sa.select(EmailChange.confirmed_at)) is None


def test_a_second_change_replaces_the_first(login, world, smtp_server):
    admin = login("admin")
    edit_email(admin, world, "manager", "first@northbrook.example")
    edit_email(admin, world, "manager", "second@northbrook.example")
    first = confirm_link(smtp_server, "first@northbrook.example")
    assert login("manager").post(first).status_code == 404
    page = text_of(login("admin").get(f"/users/{world.users['manager'].id}/edit"))
    assert "second@northbrook.example" in page and "first@northbrook.example" not in page


def test_one_address_still_has_one_account_across_councils(app, world):
    # Sign-in needs no council: the address says whose account it is.
    names = {c["name"] for c in sa.inspect(db.engine).get_unique_constraints("user_account")}
    assert "uq_user_account_email" in names
    stranger = world.users["stranger"]
    client = app.test_client()
    response = client.post("/sign-in", data={"email": stranger.email, "password": world.password})
    assert pass_second_factor(client, response, stranger.email).status_code == 302


@pytest.mark.parametrize(
    "value", ["x" * 300, "<script>@x", "two@@northbrook.example", "' OR 1=1 --", ""]
)
def test_hostile_new_addresses_are_refused_with_a_message(login, world, smtp_server, value):
    response = edit_email(login("admin"), world, "manager", value)
    assert response.status_code == 200 and "There is a problem" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(EmailChange.id))) == 0
