"""Two-factor sign-in (TOTP) for password accounts, with single-use recovery codes."""

import re

import pyotp
import sqlalchemy as sa

from tests.conftest import text_of
from tests.factories import TOTP_SECRET, make_user
from workflow.extensions import db
from workflow.models import AuditEvent, RecoveryCode, Role, SignInAttempt, User


def password_step(client, user, password):
    return client.post("/sign-in", data={"email": user.email, "password": password})


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def enrol_on_account_page(client) -> tuple[str, list[str]]:
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    assert not re.search(r"<script(?![^>]*\ssrc=)", page)  # no inline script
    secret = re.search(r"<code[^>]*>([A-Z2-7]{32})</code>", page).group(1)
    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.get_data(as_text=True))
    return secret, codes


def test_an_administrator_needs_a_code_after_the_password(client, world):
    admin = world.users["admin"]
    response = password_step(client, admin, world.password)
    assert response.headers["Location"].endswith("/sign-in/code")
    assert not signed_in(client)  # half-way is not signed in
    response = client.post("/sign-in/code", data={"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert response.status_code == 302 and signed_in(client)


def test_a_code_works_only_once(app, client, world):
    admin = world.users["admin"]
    code = pyotp.TOTP(TOTP_SECRET).now()
    password_step(client, admin, world.password)
    assert client.post("/sign-in/code", data={"code": code}).status_code == 302
    other = app.test_client()
    password_step(other, admin, world.password)
    again = other.post("/sign-in/code", data={"code": code})
    assert again.status_code == 200 and "Enter the 6-digit code" in text_of(again)
    assert not signed_in(other)


def test_wrong_codes_are_counted_and_throttled(client, world):
    admin = world.users["admin"]
    password_step(client, admin, world.password)
    answers = [client.post("/sign-in/code", data={"code": "000000"}).status_code for _ in range(11)]
    assert answers[:10] == [200] * 10 and answers[10] == 429
    failures = sa.select(sa.func.count(SignInAttempt.id)).where(
        SignInAttempt.email == admin.email, SignInAttempt.succeeded.is_(False)
    )
    assert db.session.scalar(failures) == 10
    assert not signed_in(client)


def test_enrolment_shows_ten_recovery_codes_once_and_stores_only_hashes(app, login, world):
    client = login("manager")
    secret, codes = enrol_on_account_page(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    manager_id = world.users["manager"].id
    stored = db.session.scalars(
        sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == manager_id)
    ).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    manager = db.session.get(User, world.users["manager"].id)
    assert secret not in manager.totp_secret_encrypted
    assert "10 unused recovery codes" in text_of(client.get("/account/two-factor"))
    # From now on the manager's password is not enough.
    phone = app.test_client()
    assert (
        password_step(phone, manager, world.password).headers["Location"].endswith("/sign-in/code")
    )
    # A recovery code works once.
    assert phone.post("/sign-in/code", data={"code": codes[0].upper()}).status_code == 302
    assert "9 left" in text_of(phone.get("/account"))
    tablet = app.test_client()
    password_step(tablet, manager, world.password)
    assert tablet.post("/sign-in/code", data={"code": codes[0]}).status_code == 200
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "recovery_code_used"))


def test_a_wrong_code_at_enrolment_keeps_it_off(login, world):
    client = login("manager")
    client.get("/account/two-factor")
    response = client.post("/account/two-factor", data={"code": "123456"})
    assert response.status_code == 200 and "Enter the 6-digit code" in text_of(response)
    assert db.session.get(User, world.users["manager"].id).totp_secret_encrypted is None


def test_a_director_without_two_factor_sets_it_up_before_getting_in(client, world):
    director = make_user(world.authority, Role.DIRECTOR, "Dee New")
    director.totp_secret_encrypted = None
    db.session.commit()
    response = password_step(client, director, world.password)
    assert response.headers["Location"].endswith("/sign-in/code")
    setup = client.get("/sign-in/code")
    assert setup.headers["Location"].endswith("/sign-in/set-up-two-factor")
    page = client.get("/sign-in/set-up-two-factor").get_data(as_text=True)
    assert "Your account must use two-factor sign-in" in page
    assert not signed_in(client)
    secret = re.search(r"<code[^>]*>([A-Z2-7]{32})</code>", page).group(1)
    done = client.post("/sign-in/set-up-two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert "Your recovery codes" in text_of(done) and signed_in(client)


def test_an_authority_can_require_it_of_everyone(app, login, world):
    admin, client = login("admin"), app.test_client()
    assert admin.post("/settings/two-factor", data={"required": "y"}).status_code == 302
    assert db.session.get(type(world.authority), world.authority.id).require_two_factor
    response = password_step(client, world.users["viewer"], world.password)
    assert response.headers["Location"].endswith("/sign-in/code")
    assert client.get("/sign-in/code").headers["Location"].endswith("/sign-in/set-up-two-factor")


def test_who_may_turn_it_off(login, world):
    admin = login("admin")
    admin.post("/account/two-factor/turn-off")
    assert db.session.get(User, world.users["admin"].id).totp_secret_encrypted is not None
    manager = login("manager")
    enrol_on_account_page(manager)
    manager.post("/account/two-factor/turn-off")
    assert db.session.get(User, world.users["manager"].id).totp_secret_encrypted is None
    manager_codes = sa.select(sa.func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == world.users["manager"].id
    )
    assert db.session.scalar(manager_codes) == 0


def test_new_recovery_codes_replace_the_old(login, world):
    client = login("admin")
    of_admin = sa.select(RecoveryCode.code_hash).where(
        RecoveryCode.user_id == world.users["admin"].id
    )
    old = set(db.session.scalars(of_admin).all())
    page = client.post("/account/two-factor/recovery-codes").get_data(as_text=True)
    assert len(re.findall(r"<code>[a-z2-9]{5}-[a-z2-9]{5}</code>", page)) == 10
    new = set(db.session.scalars(of_admin).all())
    assert new and not old & new
