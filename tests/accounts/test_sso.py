"""Single sign-on against a real OpenID Connect provider on loopback (see tests/oidc_provider.py).

The test client plays the browser: it starts at the app, follows the redirect to the
provider's authorisation endpoint, chooses who it is there, and brings the provider's
answer back to the app's callback.
"""

from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from tests.accounts.conftest import CLIENT_ID
from tests.conftest import text_of
from workflow.accounts import sso
from workflow.extensions import db
from workflow.models import AuditEvent, IdentityProvider, SsoRequest, User


def begin(client, email: str) -> str:
    response = client.post("/sign-in/sso", data={"email": email})
    assert response.status_code == 302, text_of(response)
    return response.headers["Location"]


def come_back(client, callback_url: str):
    parts = urlsplit(callback_url)
    return client.get(f"{parts.path}?{parts.query}")


def walk(client, provider, email: str, subject: str, **claims):
    provider.add_user(subject, email=email, email_verified=True, **claims)
    return come_back(client, provider.approve(begin(client, email), subject))


def signed_in_as(client) -> str | None:
    response = client.get("/account")
    return None if response.status_code == 302 else text_of(response)


def test_sign_in_binds_the_subject_and_audits(client, world, configured, provider):
    manager = world.users["manager"]
    response = walk(client, provider, manager.email, "oid-manager", name="Mo Manager")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/"
    assert "Mo Manager" in signed_in_as(client)
    assert db.session.get(User, manager.id).sso_subject == "oid-manager"
    verbs = db.session.scalars(
        sa.select(AuditEvent.verb).where(AuditEvent.object_id == manager.id)
    ).all()
    assert "sso_bound" in verbs and "signed_in" in verbs
    request = db.session.scalar(sa.select(SsoRequest))
    assert request.used_at is not None and request.code_verifier


def test_the_request_uses_pkce_state_and_nonce(client, world, configured):
    query = urlsplit(begin(client, world.users["manager"].email)).query
    for part in (
        "code_challenge=",
        "code_challenge_method=S256",
        "state=",
        "nonce=",
        "client_id=action-plans",
    ):
        assert part in query


def test_a_changed_email_at_the_provider_cannot_take_over_another_account(
    client, world, configured, provider
):
    manager, head = world.users["manager"], world.users["head"]
    walk(client, provider, manager.email, "oid-manager")
    client.post("/sign-out")
    # The provider now says oid-manager has the head's address: still the manager.
    walk(client, provider, head.email, "oid-manager")
    assert "Mo Manager" in signed_in_as(client)
    client.post("/sign-out")
    # And a different subject claiming the manager's (bound) address is refused.
    response = walk(client, provider, manager.email, "oid-impostor")
    assert response.status_code == 403
    assert "There is no account for you" in text_of(response)
    assert signed_in_as(client) is None


def test_unknown_person_is_refused_with_a_clear_page(client, world, configured, provider):
    response = walk(client, provider, "stranger@northbrook.example", "oid-stranger")
    assert response.status_code == 403
    page = text_of(response)
    assert "You could not be signed in" in page and "There is no account for you" in page
    assert signed_in_as(client) is None
    assert db.session.scalar(sa.select(sa.func.count()).where(User.sso_subject.is_not(None))) == 0


@pytest.mark.parametrize(
    "claims",
    [{"email_verified": False}],
)
def test_unverified_email_is_refused(client, world, configured, provider, claims):
    manager = world.users["manager"]
    provider.add_user("oid-unverified", email=manager.email, **claims)
    response = come_back(client, provider.approve(begin(client, manager.email), "oid-unverified"))
    assert response.status_code == 403 and signed_in_as(client) is None


def test_disabled_user_is_refused(client, world, configured, provider):
    manager = world.users["manager"]
    db.session.get(User, manager.id).active = False
    response = walk(client, provider, manager.email, "oid-manager")
    assert response.status_code == 403 and signed_in_as(client) is None


@pytest.mark.parametrize("spoil", ["audience", "expired", "signature", "nonce"])
def test_a_bad_id_token_is_refused(client, world, configured, provider, spoil):
    provider.spoil.add(spoil)
    response = walk(client, provider, world.users["manager"].email, "oid-manager")
    assert response.status_code == 403
    assert "did not confirm who you are" in text_of(response)
    assert signed_in_as(client) is None
    assert db.session.get(User, world.users["manager"].id).sso_subject is None


def test_a_replayed_answer_is_refused(app, client, world, configured, provider):
    manager = world.users["manager"]
    provider.add_user("oid-manager", email=manager.email, email_verified=True)
    callback = provider.approve(begin(client, manager.email), "oid-manager")
    # A copy of the browser as it was before the answer came back, cookie and all.
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert come_back(client, callback).status_code == 302
    replayed = come_back(copy, callback)
    assert replayed.status_code == 403 and "expired or was already used" in text_of(replayed)
    assert signed_in_as(copy) is None


def test_an_answer_for_another_browser_is_refused(app, client, world, configured, provider):
    """Login CSRF: somebody else's callback address, opened in this browser, signs nobody in."""
    manager = world.users["manager"]
    provider.add_user("oid-manager", email=manager.email, email_verified=True)
    callback = provider.approve(begin(client, manager.email), "oid-manager")
    victim = app.test_client()
    response = come_back(victim, callback)
    assert response.status_code == 403 and signed_in_as(victim) is None


def test_a_rotated_signing_key_is_fetched_again(client, world, configured, provider):
    manager = world.users["manager"]
    walk(client, provider, manager.email, "oid-manager")
    client.post("/sign-out")
    provider.rotate_key()
    response = walk(client, provider, manager.email, "oid-manager")
    assert response.status_code == 302 and "Mo Manager" in signed_in_as(client)


def test_other_sessions_carry_on(app, client, world, configured, provider):
    manager = world.users["manager"]
    laptop = app.test_client()
    laptop.post("/sign-in", data={"email": manager.email, "password": world.password})
    assert "Mo Manager" in signed_in_as(laptop)
    walk(client, provider, manager.email, "oid-manager")
    assert "Mo Manager" in signed_in_as(client)
    assert "Mo Manager" in signed_in_as(laptop)


def test_sso_only_authority_takes_no_passwords(client, world, configured):
    configured.sso_only = True
    manager = world.users["manager"]
    response = client.post("/sign-in", data={"email": manager.email, "password": world.password})
    assert response.status_code == 200
    assert "Your council signs in with single sign-on" in text_of(response)
    assert signed_in_as(client) is None


def test_an_address_without_a_provider_is_told_to_use_a_password(client, world, configured):
    response = client.post("/sign-in/sso", data={"email": "someone@elsewhere.example"})
    assert response.status_code == 200
    assert "does not use single sign-on here" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(SsoRequest.id))) == 0


def test_the_provider_refusing_is_a_clear_page(client, world, configured):
    response = client.get("/sign-in/sso/callback?error=access_denied&state=x")
    assert response.status_code == 403 and "did not finish signing in" in text_of(response)


def test_an_unreachable_provider_is_a_clear_message(client, world, configured):
    configured.issuer = "http://127.0.0.1:9"  # nothing listens on the discard port
    db.session.commit()
    sso.forget_provider_metadata()
    response = client.post("/sign-in/sso", data={"email": world.users["manager"].email})
    assert response.status_code == 200 and "could not be reached" in text_of(response)


def test_admin_saves_settings_with_the_secret_encrypted(app, login, world, provider):
    app.config["SSO_SECRET_KEY"] = Fernet.generate_key().decode()
    client = login("admin")
    response = client.post(
        "/settings/sign-in",
        data={
            "issuer": provider.issuer,
            "client_id": CLIENT_ID,
            "client_secret": "s3cret-from-entra",
            "email_domains": "Northbrook.example, @partners.northbrook.example",
            "enabled": "y",
        },
    )
    assert response.status_code == 302
    row = db.session.scalar(sa.select(IdentityProvider))
    assert row.email_domains == "northbrook.example partners.northbrook.example"
    assert "s3cret" not in row.client_secret_encrypted
    assert sso.client_secret_of(row) == "s3cret-from-entra"
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.object_type == "identity_provider")
    )
    assert "new client secret" in event.summary and "s3cret" not in str(event.changes)


def test_a_secret_needs_the_key_on_the_server(app, login, world, provider):
    app.config["SSO_SECRET_KEY"] = None
    client = login("admin")
    data = {
        "issuer": provider.issuer,
        "client_id": CLIENT_ID,
        "client_secret": "x",
        "email_domains": "northbrook.example",
        "enabled": "y",
    }
    response = client.post("/settings/sign-in", data=data)
    assert response.status_code == 200 and "SSO_SECRET_KEY" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(IdentityProvider.id))) == 0


@pytest.mark.parametrize(
    "issuer",
    ["login.microsoftonline.com/x/v2.0", "http://idp.example/v2.0", "javascript:alert(1)"],
)
def test_issuer_must_be_an_https_address(login, world, issuer):
    client = login("admin")
    data = {"issuer": issuer, "client_id": CLIENT_ID, "email_domains": "northbrook.example"}
    response = client.post("/settings/sign-in", data=data)
    assert (
        response.status_code == 200
        and "Enter the issuer address in the correct format" in text_of(response)
    )
    assert db.session.scalar(sa.select(sa.func.count(IdentityProvider.id))) == 0


def test_an_invited_person_joins_by_single_sign_on(client, world, configured, provider):
    from workflow.accounts import invitations
    from workflow.models import Invitation, Role, utcnow

    invitations.invite_user(
        world.users["admin"],
        world.authority,
        email="ines.invited@northbrook.example",
        name="Ines Invited",
        role=Role.VIEWER,
        service_area=None,
        now=utcnow(),
    )
    db.session.commit()
    response = walk(client, provider, "ines.invited@northbrook.example", "oid-ines")
    assert response.status_code == 302 and "Ines Invited" in signed_in_as(client)
    user = db.session.scalar(sa.select(User).where(User.email == "ines.invited@northbrook.example"))
    assert user.sso_subject == "oid-ines" and user.role is Role.VIEWER
    assert db.session.scalar(sa.select(Invitation)).accepted_at is not None


def test_single_sign_on_asks_no_second_code(client, world, configured, provider):
    """The council's provider runs its own multi-factor sign-in; no second code here."""
    admin = world.users["admin"]
    response = walk(client, provider, admin.email, "oid-admin")
    assert urlsplit(response.headers["Location"]).path == "/"
    assert "Ada Admin" in signed_in_as(client)


def test_an_sso_only_invitation_offers_no_password(app, client, world, configured, provider):
    from workflow.accounts import invitations
    from workflow.models import Role, utcnow

    configured.sso_only = True
    _, token = invitations.invite_user(
        world.users["admin"],
        world.authority,
        email="ivo.invited@northbrook.example",
        name="Ivo Invited",
        role=Role.VIEWER,
        service_area=None,
        now=utcnow(),
    )
    db.session.commit()
    page = client.get(f"/invitations/{token}").get_data(as_text=True)
    assert "Sign in with your council account" in page and 'type="password"' not in page
    refused = client.post(f"/invitations/{token}", data={"password": "tangerine-otter-lighthouse"})
    assert "signs in with single sign-on" in text_of(refused)
    assert (
        db.session.scalar(sa.select(User).where(User.email == "ivo.invited@northbrook.example"))
        is None
    )
