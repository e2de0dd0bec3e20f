"""A live server on the demo data and a real Chromium driven by Playwright.

Under CI=true a missing browser fails the run; elsewhere the browser tests are skipped.
"""

import os
from datetime import date
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa

from tests.browser.live_apps import LIVE_APPS, serving
from workflow import create_app
from workflow.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, PEOPLE, load_demo
from workflow.extensions import db
from workflow.models import User

CHROMIUM = "/usr/bin/chromium"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app behind the live server, for tests that look records up in its database."""
    folder = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.sqlite'}",
            "UPLOAD_FOLDER": str(folder / "evidence"),
        }
    )
    with app.app_context():
        from workflow.extensions import upgrade_schema

        upgrade_schema()
        load_demo(date.today())
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    with serving(live_app) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {CHROMIUM} is missing: install Debian's chromium package.")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def demo_email(role_value: str) -> str:
    return next(email for role, _, email, _ in PEOPLE if role.value == role_value)


def sign_in(page, base_url: str, role_value: str, email: str | None = None) -> None:
    """Sign in as the demo's first person of a role, or as the demo person with that email."""
    email = email or demo_email(role_value)
    page.goto(f"{base_url}/sign-in")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if page.url.endswith("/sign-in/code"):
        # A code works once; the same person may sign in again within its 30 seconds.
        with LIVE_APPS[base_url].app_context():
            db.session.execute(
                sa.update(User).where(User.email == email).values(totp_last_step=None)
            )
            db.session.commit()
        page.fill("#code", pyotp.TOTP(DEMO_TOTP_SECRET).now())
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
    assert "/sign-in" not in page.url, f"{role_value} could not sign in"
