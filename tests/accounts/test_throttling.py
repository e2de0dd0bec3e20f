"""Sign-in throttling: guessing is slowed, the owner is never locked out, and told.

A guesser at one address is stopped at that address; an account guessed at from many
addresses slows each of them down but stays open to its owner from their own address.
"""

from datetime import timedelta

import pyotp
import sqlalchemy as sa

from tests.conftest import text_of
from tests.factories import TOTP_SECRET
from workflow.accounts import throttling
from workflow.extensions import db
from workflow.models import Job, SignInAttempt, utcnow


def sign_in(client, email, password, address="127.0.0.1"):
    return client.post(
        "/sign-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def fail_from(client, email, addresses):
    for n, address in enumerate(addresses):
        assert sign_in(client, email, f"wrong-password-{n:04d}", address).status_code == 200


def age_attempts(by: timedelta) -> None:
    for attempt in db.session.scalars(sa.select(SignInAttempt)):
        attempt.at -= by
    db.session.commit()


def test_ten_failures_from_one_address_stop_that_address_at_that_account(client, world):
    email = world.users["manager"].email
    fail_from(client, email, ["10.0.1.1"] * 10)
    refused = sign_in(client, email, world.password, "10.0.1.1")
    assert refused.status_code == 429
    assert "Too many failed sign-in attempts. Wait 5 minutes" in text_of(refused)
    assert client.get("/inspections").status_code == 302


def test_the_owner_signs_in_from_their_own_address_while_another_guesses(client, world):
    # Before, ten failures from anywhere locked the account for five minutes, for everyone.
    email = world.users["manager"].email
    fail_from(client, email, ["10.0.1.1"] * 10)
    assert sign_in(client, email, world.password, "10.0.2.1").status_code == 302
    assert client.get("/inspections", environ_base={"REMOTE_ADDR": "10.0.2.1"}).status_code == 200


def test_an_account_guessed_at_from_many_addresses_slows_each_address_never_locks(client, world):
    email = world.users["manager"].email
    fail_from(client, email, [f"10.0.3.{n}" for n in range(12)])
    # An address that tried already must wait before trying again...
    again = sign_in(client, email, "wrong-password-again", "10.0.3.11")
    assert again.status_code == 429
    assert "Wait 4 seconds" in text_of(again)
    # ...while the owner, from an address of their own, is not held up at all.
    assert sign_in(client, email, world.password, "10.0.9.9").status_code == 302


def test_the_wait_grows_with_the_failures_up_to_a_minute(app):
    waits = [throttling.slowdown(n).total_seconds() for n in (10, 11, 12, 13, 15, 16, 40)]
    assert waits == [1, 2, 4, 8, 32, 60, 60]


def test_after_the_wait_the_same_address_may_try_again(client, world):
    email = world.users["manager"].email
    fail_from(client, email, [f"10.0.4.{n}" for n in range(12)])
    assert sign_in(client, email, world.password, "10.0.4.11").status_code == 429
    age_attempts(timedelta(seconds=5))
    assert sign_in(client, email, world.password, "10.0.4.11").status_code == 302


def test_one_address_trying_many_accounts_is_stopped(client, world, app):
    app.config["SIGN_IN_MAX_FAILURES_PER_ADDRESS"] = 20
    for n in range(20):
        sign_in(client, f"nobody{n}@example.org", "wrong-password-here", address="10.9.9.9")
    viewer = world.users["viewer"].email
    assert sign_in(client, viewer, world.password, "10.9.9.9").status_code == 429
    assert sign_in(client, viewer, world.password, "10.9.9.8").status_code == 302


def test_failures_older_than_the_window_do_not_count(client, world):
    email = world.users["manager"].email
    fail_from(client, email, ["10.0.5.1"] * 10)
    age_attempts(timedelta(minutes=6))
    assert sign_in(client, email, world.password, "10.0.5.1").status_code == 302


def test_wrong_codes_count_at_the_second_step_too(client, world):
    admin = world.users["admin"]
    sign_in(client, admin.email, world.password, "10.0.6.1")
    answers = [client.post("/sign-in/code", data={"code": "000000"}).status_code for _ in range(11)]
    assert answers[:10] == [200] * 10 and answers[10] == 429
    right = client.post("/sign-in/code", data={"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert right.status_code == 429 and "Too many wrong codes" in text_of(right)


def code_step(client, user, password, address, code="000000"):
    client.post(
        "/sign-in",
        data={"email": user.email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
    return client.post("/sign-in/code", data={"code": code}, environ_base={"REMOTE_ADDR": address})


def test_wrong_codes_from_many_addresses_stop_the_code_step(app, world):
    # Only someone who knows the password reaches the code: a million codes are not on offer.
    admin = world.users["admin"]
    for n in range(10):
        assert code_step(app.test_client(), admin, world.password, f"10.2.0.{n}").status_code == 200
    refused = code_step(app.test_client(), admin, world.password, "10.2.1.1")
    assert refused.status_code == 429 and "Too many wrong codes" in text_of(refused)


def test_wrong_passwords_by_others_do_not_hold_up_the_owners_code(app, world):
    admin = world.users["admin"]
    fail_from(app.test_client(), admin.email, [f"10.3.0.{n}" for n in range(12)])
    code = pyotp.TOTP(TOTP_SECRET).now()
    done = code_step(app.test_client(), admin, world.password, "10.3.9.9", code)
    assert done.status_code == 302 and done.location == "/"


def test_the_owner_is_emailed_once_when_their_account_is_guessed_at(client, world, smtp_server):
    manager = world.users["manager"]
    fail_from(client, manager.email, [f"10.0.7.{n}" for n in range(9)])
    assert smtp_server.to(manager.email) == []
    fail_from(client, manager.email, [f"10.0.8.{n}" for n in range(6)])
    (alert,) = smtp_server.to(manager.email)
    body = alert.get_content()
    assert "Someone is trying to sign in" in alert["Subject"]
    assert "10 failed attempts" in body and "three random words" in body
    assert "http://127.0.0.1:5000/reset-password" in body
    jobs = db.session.scalars(sa.select(Job).where(Job.name == throttling.ALERT_JOB)).all()
    assert len(jobs) == 1  # one job per account and hour, whichever server saw the failures


def test_guessing_at_an_address_without_an_account_emails_nobody(client, world, smtp_server):
    fail_from(client, "nobody@northbrook.example", [f"10.0.9.{n}" for n in range(12)])
    assert smtp_server.messages == []
    assert db.session.scalar(sa.select(sa.func.count(Job.id))) == 0


def test_throttling_counts_come_from_the_database_in_one_query(app, world):
    # Every app server reads the same rows: nothing is counted in a process's memory.
    email, now = world.users["manager"].email, utcnow()
    db.session.add_all(
        SignInAttempt(email=email, address=f"10.1.0.{n % 3}", succeeded=False, at=now)
        for n in range(7)
    )
    db.session.commit()
    found = throttling.failures(email, "10.1.0.1", now)
    assert (found.pair, found.address, found.account, found.codes) == (2, 2, 7, 0)
    assert found.pair_last == now
