"""Single sign-on in Chromium, through a real OpenID Connect provider on loopback.

The whole redirect flow: this app's sign-in page, the provider's authorisation page, and
back; then each way a sign-in must be refused.
"""

from datetime import date

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from tests.browser.conftest import sign_in
from tests.browser.live_apps import serving
from tests.browser.test_accessibility import violations
from tests.oidc_provider import running_provider
from workflow import create_app
from workflow.accounts import sso
from workflow.demo import WOLVERHAMPTON, load_demo
from workflow.extensions import db
from workflow.models import Authority, IdentityProvider, User

pytestmark = pytest.mark.browser

MANAGER = "sam.taylor@wolverhampton.example"


@pytest.fixture(scope="module")
def provider():
    with running_provider() as provider:
        yield provider


@pytest.fixture(scope="module")
def site(tmp_path_factory, provider):
    """The app on the demo data, with the demo council signing in through the provider."""
    folder = tmp_path_factory.mktemp("sso")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'sso.sqlite'}",
            "UPLOAD_FOLDER": str(folder / "evidence"),
            "SSO_SECRET_KEY": Fernet.generate_key().decode(),
        }
    )
    with app.app_context():
        from workflow.extensions import upgrade_schema

        upgrade_schema()
        load_demo(date.today())
        authority = db.session.scalar(sa.select(Authority).where(Authority.name == WOLVERHAMPTON))
        db.session.add(
            IdentityProvider(
                authority=authority,
                issuer=provider.issuer,
                client_id="action-plans",
                client_secret_encrypted=sso.encrypt_secret("a-client-secret"),
                email_domains="wolverhampton.example",
            )
        )
        db.session.commit()
    with serving(app) as base_url:
        yield app, base_url


@pytest.fixture(autouse=True)
def honest_provider(provider):
    provider.spoil.clear()


def sso_sign_in(page, base_url: str, email: str, subject: str) -> None:
    page.goto(f"{base_url}/sign-in")
    page.get_by_role("link", name="Sign in with your council account").click()
    page.fill("#email", email)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.url.startswith(page.context.provider_issuer), page.url
    page.fill("input[name=sub]", subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_load_state()


@pytest.fixture
def browse(browser, provider):
    contexts = []

    def new_page():
        context = browser.new_context()
        context.provider_issuer = provider.issuer
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def test_sign_in_through_the_provider(site, provider, browse):
    app, base_url = site
    provider.add_user("oid-sam", email=MANAGER, email_verified=True, name="Sam Taylor")
    page = browse()
    sso_sign_in(page, base_url, MANAGER, "oid-sam")
    assert page.url.rstrip("/") == base_url
    assert page.get_by_role("button", name="Sign out").is_visible()
    page.goto(f"{base_url}/account")
    assert "Sam Taylor" in page.content()
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == MANAGER))
        assert user.sso_subject == "oid-sam"


def test_unknown_person_sees_a_clear_page(site, provider, browse):
    _, base_url = site
    provider.add_user("oid-nobody", email="nobody@wolverhampton.example", email_verified=True)
    page = browse()
    sso_sign_in(page, base_url, "nobody@wolverhampton.example", "oid-nobody")
    assert page.get_by_role("heading", name="You could not be signed in").is_visible()
    assert "There is no account for you in this service" in page.content()
    assert violations(page) == []


@pytest.mark.parametrize("spoil", ["audience", "expired", "signature", "nonce"])
def test_a_bad_id_token_is_refused(site, provider, browse, spoil):
    _, base_url = site
    provider.add_user("oid-sam", email=MANAGER, email_verified=True)
    provider.spoil.add(spoil)
    page = browse()
    sso_sign_in(page, base_url, MANAGER, "oid-sam")
    assert page.get_by_role("heading", name="You could not be signed in").is_visible()
    assert "did not confirm who you are" in page.content()
    page.goto(f"{base_url}/account")
    assert "/sign-in" in page.url


def test_a_replayed_answer_is_refused(site, provider, browse):
    _, base_url = site
    provider.add_user("oid-sam", email=MANAGER, email_verified=True)
    page = browse()
    answers = []
    page.on(
        "request", lambda r: answers.append(r.url) if "/sign-in/sso/callback" in r.url else None
    )
    sso_sign_in(page, base_url, MANAGER, "oid-sam")
    assert answers and page.get_by_role("button", name="Sign out").is_visible()
    # The same answer again, in this browser and in another one: both refused.
    for again in (page, browse()):
        again.goto(answers[0])
        assert again.get_by_role("heading", name="You could not be signed in").is_visible()
        assert "expired or was already used" in again.content()


def test_other_sessions_carry_on(site, provider, browse):
    _, base_url = site
    provider.add_user("oid-sam", email=MANAGER, email_verified=True)
    laptop = browse()
    sign_in(laptop, base_url, "service_manager")
    phone = browse()
    sso_sign_in(phone, base_url, MANAGER, "oid-sam")
    assert phone.get_by_role("button", name="Sign out").is_visible()
    laptop.goto(f"{base_url}/account")
    assert "/account" in laptop.url and "Sam Taylor" in laptop.content()


def test_sso_pages_are_accessible(site, browse):
    _, base_url = site
    page = browse()
    page.goto(f"{base_url}/sign-in/sso")
    assert violations(page) == []
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert "Enter your work email address" in page.locator(".govuk-error-summary").inner_text()
    assert violations(page) == []
    sign_in(page, base_url, "administrator")
    page.goto(f"{base_url}/settings/sign-in")
    assert "/sign-in/sso/callback" in page.content()
    assert violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= 320")
