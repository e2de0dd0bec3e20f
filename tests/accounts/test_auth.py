"""Signing in and out: passwords, revocable sessions, headers and CSRF."""

import pytest

from tests.conftest import text_of
from workflow.accounts import rules as accounts
from workflow.accounts.passwords import password_problem, verify_password
from workflow.core.errors import RuleError
from workflow.extensions import db
from workflow.models import User


def sign_in(client, email, password, address="127.0.0.1"):
    return client.post(
        "/sign-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_sign_in_with_the_right_password_lands_signed_in(client, world):
    manager = world.users["manager"]
    response = sign_in(client, manager.email.upper(), world.password)
    assert response.status_code == 302
    assert "Mo Manager" in text_of(client.get("/inspections"))


def test_wrong_password_is_refused_with_a_clear_message(client, world):
    response = sign_in(client, world.users["manager"].email, "not-the-password-at-all")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in text_of(response)
    assert client.get("/inspections").status_code == 302


def test_passwords_are_stored_as_argon2_hashes(world):
    user = world.users["manager"]
    assert user.password_hash.startswith("$argon2id$")
    assert world.password not in user.password_hash
    assert verify_password(user.password_hash, world.password)


def test_the_stand_in_hash_costs_what_a_real_one_does():
    """An unknown email is checked against a stand-in hash with the hasher's own parameters,
    so it takes as long as a wrong password for a real account."""
    from argon2 import PasswordHasher, extract_parameters

    from workflow.accounts.passwords import DUMMY_HASH

    assert extract_parameters(DUMMY_HASH) == extract_parameters(PasswordHasher().hash("x"))
    assert verify_password(None, "anything at all") is False


def test_sign_out_ends_the_session_on_the_server(app, world):
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        assert sign_in(client, world.users["viewer"].email, world.password).status_code == 302
    stolen_cookie = first.get_cookie("session").value
    first.post("/sign-out")
    # The cookie from before sign-out, replayed, no longer signs anyone in.
    replay = app.test_client()
    replay.set_cookie("session", stolen_cookie)
    assert replay.get("/inspections").status_code == 302
    # Signing out here is not signing out everywhere: that is on Your sessions.
    assert second.get("/inspections").status_code == 200


def test_password_change_ends_other_sessions_but_keeps_this_one(app, world):
    this, other = app.test_client(), app.test_client()
    user = world.users["manager"]
    sign_in(this, user.email, world.password)
    sign_in(other, user.email, world.password)
    response = this.post(
        "/account",
        data={"current_password": world.password, "new_password": "heron-quarry-velvet-moss"},
    )
    assert response.status_code == 302
    assert this.get("/inspections").status_code == 200
    assert other.get("/inspections").status_code == 302


def test_disabling_an_account_ends_its_sessions(app, world, login):
    victim = app.test_client()
    sign_in(victim, world.users["viewer"].email, world.password)
    admin = login("admin")
    viewer = world.users["viewer"]
    admin.post(
        f"/users/{viewer.id}/edit",
        data={
            "name": viewer.name,
            "email": viewer.email,
            "role": "viewer",
            "version": viewer.version,
        },
    )
    assert db.session.get(User, viewer.id).active is False
    assert victim.get("/inspections").status_code == 302
    assert sign_in(app.test_client(), viewer.email, world.password).status_code == 200


@pytest.mark.parametrize(
    "password, problem",
    [
        ("short-one", "12 characters"),
        ("passwordpassword", "too easy"),
        ("Password1234!", "too easy"),
        ("qwertyuiop12", "too easy"),
        ("aaaaaaaaaaaaaaa", "too easy"),
        ("mo.manager-secret", "too easy"),
        ("x" * 300, "256 characters"),
    ],
)
def test_password_policy_refuses_weak_passwords(password, problem):
    assert problem in password_problem(password, "mo.manager@northbrook.example")


@pytest.mark.parametrize(
    "password", ["correct horse battery", "kettle-otter-lamp", "ÇaVaBienMerci"]
)
def test_password_policy_accepts_long_uncommon_passwords(password):
    assert password_problem(password, "mo.manager@northbrook.example") is None


def test_policy_applies_when_users_are_created(world):
    with pytest.raises(RuleError, match="12 characters"):
        accounts.create_user(
            None,
            world.authority,
            email="new@northbrook.example",
            name="New",
            role=world.users["viewer"].role,
            password="short",
        )


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_next_never_leaves_the_site(client, world, target):
    response = client.post(
        f"/sign-in?next={target}",
        data={"email": world.users["viewer"].email, "password": world.password},
    )
    assert response.headers["Location"] == "/"


def test_next_on_the_site_is_followed(client, world):
    response = client.post(
        f"/sign-in?next=/inspections/{world.inspection.id}",
        data={"email": world.users["viewer"].email, "password": world.password},
    )
    assert response.headers["Location"] == f"/inspections/{world.inspection.id}"


def test_security_headers_on_every_page(client, world):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.get_data(as_text=True)


def test_forms_refuse_posts_without_a_csrf_token(app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post(
        "/sign-in", data={"email": world.users["viewer"].email, "password": world.password}
    )
    assert response.status_code == 400
    assert "The form had expired" in text_of(response)
    assert client.get("/inspections").status_code == 302


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    from workflow import create_app

    monkeypatch.setenv("WORKFLOW_CONFIG", "production")
    import config

    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_cookies_are_secure():
    import config

    assert config.ProductionConfig.SESSION_COOKIE_SECURE is True
    assert config.Config.SESSION_COOKIE_HTTPONLY is True
