"""Account tests send real email to a local SMTP server (the same one the reminders use), and
single sign-on runs against a real OpenID Connect provider on loopback."""

import pytest
from cryptography.fernet import Fernet

from tests.oidc_provider import running_provider
from tests.oversight.conftest import smtp_server  # noqa: F401  (a fixture, used by name)
from workflow.accounts import sso
from workflow.extensions import db
from workflow.models import IdentityProvider

CLIENT_ID = "action-plans"


@pytest.fixture(scope="module")
def provider():
    with running_provider() as provider:
        yield provider


@pytest.fixture
def configured(app, world, provider):
    app.config["SSO_SECRET_KEY"] = Fernet.generate_key().decode()
    provider.spoil.clear()
    sso.forget_provider_metadata()
    row = IdentityProvider(
        authority=world.authority,
        issuer=provider.issuer,
        client_id=CLIENT_ID,
        client_secret_encrypted=sso.encrypt_secret("a-client-secret"),
        email_domains="northbrook.example",
    )
    db.session.add(row)
    db.session.commit()
    return row
