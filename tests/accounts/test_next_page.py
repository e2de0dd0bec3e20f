"""Where a sign-in lands: the page asked for, if it is on this site; else the home page.

Every way in (password, password and code, single sign-on) follows the same rule, and an
address that would break the response (CR/LF) or leave the site is never followed.
"""

from urllib.parse import quote, urlsplit

import pyotp
import pytest

from tests.accounts.test_sso import come_back
from tests.factories import TOTP_SECRET

UNSAFE = [
    "/\r\nSet-Cookie: planted=1",
    "/inspections\r\nLocation: https://evil.example/",
    "/\nx",
    "/\x00x",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    " /inspections",
    "https://evil.example/",
    "HTTPS://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "evil.example",
    "/" + "a" * 5000,
]


def sign_in_with_next(client, user, password, target):
    return client.post(
        f"/sign-in?next={quote(target, safe='')}",
        data={"email": user.email, "password": password},
    )


@pytest.mark.parametrize("target", UNSAFE)
def test_password_sign_in_sends_an_unsafe_next_home(client, world, target):
    response = sign_in_with_next(client, world.users["viewer"], world.password, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "planted" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("target", UNSAFE)
def test_the_code_step_sends_an_unsafe_next_home(client, world, target):
    response = sign_in_with_next(client, world.users["admin"], world.password, target)
    assert response.headers["Location"].endswith("/sign-in/code")
    done = client.post("/sign-in/code", data={"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert done.status_code == 302
    assert done.headers["Location"] == "/"


@pytest.mark.parametrize(
    "target", ["/inspections", "/search?q=tracker&status=red", "/actions/1/edit#narrative"]
)
def test_a_page_on_the_site_is_followed_after_either_step(client, world, target):
    viewer = sign_in_with_next(client, world.users["viewer"], world.password, target)
    assert viewer.headers["Location"] == target
    client.post("/sign-out")
    sign_in_with_next(client, world.users["admin"], world.password, target)
    done = client.post("/sign-in/code", data={"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert done.headers["Location"] == target


def sso_walk(client, provider, user, target):
    provider.add_user(f"oid-{user.id}", email=user.email, email_verified=True)
    start = client.post(f"/sign-in/sso?next={quote(target, safe='')}", data={"email": user.email})
    assert start.status_code == 302
    return come_back(client, provider.approve(start.headers["Location"], f"oid-{user.id}"))


@pytest.mark.parametrize("target", ["/inspections?page=2", *UNSAFE[:6]])
def test_single_sign_on_follows_only_a_safe_next(client, world, configured, provider, target):
    response = sso_walk(client, provider, world.users["manager"], target)
    assert response.status_code == 302
    expected = target if target.startswith("/inspections?") else "/"
    assert urlsplit(response.headers["Location"])._replace(scheme="", netloc="").geturl() == (
        expected
    )


def test_the_sign_in_page_passes_next_on_to_single_sign_on(client, world):
    page = client.get("/sign-in?next=/inspections").get_data(as_text=True)
    assert 'href="/sign-in/sso?next=/inspections"' in page
