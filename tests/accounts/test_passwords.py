"""The password policy: long enough, and not easy to guess (zxcvbn, with the words of the
person, their council and this service), wherever a password is set."""

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from workflow.accounts import invitations, resets
from workflow.accounts.passwords import password_problem, verify_password
from workflow.extensions import db
from workflow.models import Role, User, utcnow

# What an outside test found accepted; the council under test is Northbrook Council.
GUESSABLE = [
    "Passw0rd1234",
    "P@ssw0rd2024!",
    "basketball12",
    "ChildrenInCare2024",
    "Northbrook2024!",
    "Northbrook123456",
    "NorthbrookCouncil1",
]
GOOD = ["kettle-otter-lamp", "correct horse battery", "ÇaVaBienMerci", "heron-quarry-velvet-moss"]
MANAGER = dict(name="Mo Manager", authority="Northbrook Council")
EMAIL = "mo.manager@northbrook.example"


@pytest.mark.parametrize("password", GUESSABLE)
def test_guessable_passwords_are_refused(password):
    problem = password_problem(password, EMAIL, **MANAGER)
    assert problem and problem.startswith("Password is too easy to guess because")


@pytest.mark.parametrize("password", GOOD)
def test_three_random_words_and_other_long_uncommon_passwords_are_accepted(password):
    assert password_problem(password, EMAIL, **MANAGER) is None


@pytest.mark.parametrize(
    "password, why",
    [
        ("Northbrook2024!", "contains your council's name"),
        ("MoManager2024!!", "contains your name or your email address"),
        ("mo.manager-secret", "contains your name or your email address"),
        ("ChildrenInCare2024", "a word people would guess for this service"),
        ("Ofsted2024!!!", "a word people would guess for this service"),
        ("P@ssw0rd2024!", "close to, a password that many people use"),
        ("basketball12", "a common word or name"),
        ("abcdefghijkl", "a sequence"),
        ("aaaaaaaaaaaaaaa", "repeats characters"),
    ],
)
def test_the_message_says_why_and_what_to_choose(password, why):
    problem = password_problem(password, EMAIL, **MANAGER)
    assert why in problem
    assert problem.endswith("Try 3 random words that have nothing to do with you or your work")


def test_the_council_name_counts_only_for_its_own_people():
    # Another council's name is just an uncommon word for Northbrook's people.
    assert password_problem("Southmoor2024!!", EMAIL, **MANAGER) is None
    assert "council's name" in password_problem(
        "Southmoor2024!!", "sol@southmoor.example", name="Sol", authority="Southmoor Council"
    )


def test_length_limits_are_as_before():
    assert "12 characters or more" in password_problem("kettle-otte", EMAIL, **MANAGER)
    assert "256 characters or fewer" in password_problem("kettle-" * 40, EMAIL, **MANAGER)
    assert password_problem("kettle-otter-lamp-" * 5, EMAIL, **MANAGER) is None  # over 72


def change(client, world, new):
    return client.post("/account", data={"current_password": world.password, "new_password": new})


@pytest.mark.parametrize("password", ["ChildrenInCare2024", "Northbrook2024!"])
def test_changing_a_password_uses_the_policy(world, login, password):
    response = change(login("manager"), world, password)
    assert "Password is too easy to guess" in text_of(response)
    manager = db.session.get(User, world.users["manager"].id)
    assert verify_password(manager.password_hash, world.password)
    assert change(login("manager"), world, "heron-quarry-velvet-moss").status_code == 302


def test_accepting_an_invitation_uses_the_policy(client, world):
    _, token = invitations.invite_user(
        world.users["admin"],
        world.authority,
        email="nia.newcomer@northbrook.example",
        name="Nia Newcomer",
        role=Role.VIEWER,
        service_area=None,
        now=utcnow(),
    )
    refused = client.post(f"/invitations/{token}", data={"password": "NiaNewcomer2024"})
    assert "contains your name or your email address" in text_of(refused)
    assert (
        client.post(f"/invitations/{token}", data={"password": "Northbrook2024!"}).status_code
        == 200
    )
    assert client.post(f"/invitations/{token}", data={"password": GOOD[0]}).status_code == 302


def test_a_password_reset_uses_the_policy(client, world):
    manager = world.users["manager"]
    _, token = resets.request_password_reset(manager.email, "127.0.0.1", utcnow())
    refused = client.post(f"/reset-password/{token}", data={"password": "P@ssw0rd2024!"})
    assert "a password that many people use" in text_of(refused)
    assert client.post(f"/reset-password/{token}", data={"password": GOOD[0]}).status_code == 302


def test_creating_a_user_on_the_command_line_uses_the_policy(runner, world):
    args = ["create-user", "--authority", "Northbrook Council", "--role", "viewer"]
    args += ["--email", "una@northbrook.example", "--name", "Una User"]
    weak = runner.invoke(args=args, env={"NEW_USER_PASSWORD": "NorthbrookCouncil1"})
    assert weak.exit_code != 0 and "contains your council's name" in weak.output
    assert db.session.scalar(sa.select(User).where(User.email == "una@northbrook.example")) is None
    strong = runner.invoke(args=args, env={"NEW_USER_PASSWORD": GOOD[0]})
    assert strong.exit_code == 0, strong.output
