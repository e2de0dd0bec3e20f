"""Signed-in sessions as rows: begun at every sign-in, ended on the server, idle and age limits,
the Your sessions page, signing out elsewhere, and an administrator signing someone out."""

import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa
from itsdangerous import TimestampSigner

from tests.accounts.test_sso import come_back
from tests.conftest import pass_second_factor, text_of
from workflow.accounts import invitations, sessions
from workflow.extensions import db
from workflow.models import (
    AuditEvent,
    Role,
    SessionEnd,
    SignInMethod,
    SignInSession,
    User,
    utcnow,
)

EDGE_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"
)
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def signed_in_client(app, user, password, agent=EDGE_ON_WINDOWS):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    response = client.post("/sign-in", data={"email": user.email, "password": password})
    response = pass_second_factor(client, response, user.email)
    assert response.status_code == 302, text_of(response)
    return client


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def rows_of(user) -> list[SignInSession]:
    query = sa.select(SignInSession).where(SignInSession.user_id == user.id)
    return db.session.scalars(query.order_by(SignInSession.id)).all()


def latest(user) -> SignInSession:
    return rows_of(user)[-1]


def move_back(record: SignInSession, *, started=timedelta(0), last_seen=timedelta(0)) -> None:
    record.started_at -= started
    record.last_seen_at -= last_seen
    db.session.commit()


@contextmanager
def statements_on(table: str):
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if table in statement:
            seen.append(statement.split()[0].upper())

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)


# Beginning and ending ---------------------------------------------------------------------


def test_a_sign_in_begins_a_session_row_and_the_cookie_holds_only_its_key(app, world):
    viewer = world.users["viewer"]
    client = signed_in_client(app, viewer, world.password)
    (record,) = rows_of(viewer)
    assert record.method is SignInMethod.PASSWORD and record.ended_at is None
    assert record.user_agent == EDGE_ON_WINDOWS
    with client.session_transaction() as cookie:
        key = cookie["sign_in"]
    assert len(key) >= 40 and record.key_hash != key  # only a hash is stored
    assert sessions.session_for_key(key).id == record.id


def test_the_code_step_begins_the_session_not_the_password(app, world):
    admin = world.users["admin"]
    client = app.test_client()
    response = client.post("/sign-in", data={"email": admin.email, "password": world.password})
    assert rows_of(admin) == []  # half-way is not signed in
    pass_second_factor(client, response, admin.email)
    assert [r.method for r in rows_of(admin)] == [SignInMethod.TWO_FACTOR]


def test_single_sign_on_begins_a_session_row(client, world, configured, provider):
    manager = world.users["manager"]
    provider.add_user("oid-manager", email=manager.email, email_verified=True)
    start = client.post("/sign-in/sso", data={"email": manager.email})
    come_back(client, provider.approve(start.location, "oid-manager"))
    assert [r.method for r in rows_of(manager)] == [SignInMethod.SINGLE_SIGN_ON]
    assert signed_in(client)


def test_accepting_an_invitation_begins_a_session_row(client, world):
    _, token = invitations.invite_user(
        world.users["admin"],
        world.authority,
        email="nia.new@northbrook.example",
        name="Nia New",
        role=Role.VIEWER,
        service_area=None,
        now=utcnow(),
    )
    client.post(f"/invitations/{token}", data={"password": "tangerine-otter-lighthouse"})
    nia = db.session.scalar(sa.select(User).where(User.email == "nia.new@northbrook.example"))
    assert [r.method for r in rows_of(nia)] == [SignInMethod.INVITATION]
    assert signed_in(client)


def test_sign_out_ends_the_row(app, world):
    viewer = world.users["viewer"]
    client = signed_in_client(app, viewer, world.password)
    client.post("/sign-out")
    record = latest(viewer)
    assert record.ended_why is SessionEnd.SIGNED_OUT and record.ended_at is not None


def test_password_reset_and_change_end_the_rows(app, world):
    manager = world.users["manager"]
    this = signed_in_client(app, manager, world.password)
    other = signed_in_client(app, manager, world.password)
    this.post(
        "/account",
        data={"current_password": world.password, "new_password": "heron-quarry-velvet-moss"},
    )
    first, second = rows_of(manager)
    assert first.ended_why is None  # the session that changed the password carries on
    assert second.ended_why is SessionEnd.PASSWORD_CHANGED
    assert not signed_in(other) and signed_in(this)


# Idle and age limits, decided on the server ---------------------------------------------------


def test_thirty_minutes_idle_signs_the_person_out_with_a_message(app, world):
    viewer = world.users["viewer"]
    client = signed_in_client(app, viewer, world.password)
    move_back(latest(viewer), last_seen=timedelta(minutes=31))
    response = client.get("/inspections")
    assert response.status_code == 302 and "/sign-in?next=/inspections" in response.location
    page = text_of(client.get(response.location))
    assert "You were signed out because you had done nothing for 30 minutes" in page
    assert not signed_in(client)


def test_twenty_nine_minutes_idle_is_still_signed_in(app, world):
    viewer = world.users["viewer"]
    client = signed_in_client(app, viewer, world.password)
    move_back(latest(viewer), last_seen=timedelta(minutes=29))
    assert signed_in(client)


def test_twelve_hours_after_signing_in_the_session_ends_however_active(app, world):
    viewer = world.users["viewer"]
    client = signed_in_client(app, viewer, world.password)
    move_back(latest(viewer), started=timedelta(hours=12, minutes=1))
    assert client.get("/inspections").status_code == 302
    assert "signed in for 12 hours" in text_of(client.get("/sign-in"))


@pytest.mark.parametrize("age", [timedelta(hours=13), timedelta(days=8)])
def test_a_cookie_re_signed_as_old_is_refused(app, world, monkeypatch, age):
    viewer = world.users["viewer"]
    client = signed_in_client(app, viewer, world.password)
    serializer = app.session_interface.get_signing_serializer(app)
    contents = serializer.loads(client.get_cookie("session").value)
    then = int(time.time() - age.total_seconds())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda signer: then)
    forged = serializer.dumps(contents)
    monkeypatch.undo()
    replay = app.test_client()
    replay.set_cookie("session", forged)
    assert replay.get("/inspections").status_code == 302


def test_the_limits_are_settings(app, world):
    app.config["SESSION_IDLE_TIMEOUT"] = timedelta(minutes=5)
    viewer = world.users["viewer"]
    client = signed_in_client(app, viewer, world.password)
    move_back(latest(viewer), last_seen=timedelta(minutes=6))
    assert not signed_in(client)
    assert "done nothing for 5 minutes" in text_of(client.get("/sign-in"))


def test_the_last_seen_time_is_written_at_most_once_a_minute(app, world):
    viewer = world.users["viewer"]
    client = signed_in_client(app, viewer, world.password)
    with statements_on("sign_in_session") as seen:
        for _ in range(4):
            assert client.get("/inspections").status_code == 200
    assert seen == ["SELECT"] * 4  # one lookup a request (with the user), no writes
    move_back(latest(viewer), last_seen=timedelta(seconds=61))
    with statements_on("sign_in_session") as seen:
        for _ in range(3):
            client.get("/inspections")
    assert seen.count("UPDATE") == 1
    assert utcnow() - latest(viewer).last_seen_at < timedelta(seconds=30)


# The timeout warning's requests ----------------------------------------------------------------


def test_asking_how_long_is_left_does_not_count_as_activity(app, world):
    viewer = world.users["viewer"]
    client = signed_in_client(app, viewer, world.password)
    move_back(latest(viewer), last_seen=timedelta(minutes=10))
    answer = client.get("/account/sessions/time-left").get_json()
    assert 19 * 60 - 5 <= answer["seconds_left"] <= 20 * 60
    assert answer["extendable"] is True
    assert utcnow() - latest(viewer).last_seen_at > timedelta(minutes=9)


def test_staying_signed_in_renews_the_session_and_the_forms_token(app, world):
    viewer = world.users["viewer"]
    client = signed_in_client(app, viewer, world.password)
    move_back(latest(viewer), last_seen=timedelta(minutes=28))
    answer = client.post("/account/sessions/keep-alive").get_json()
    assert answer["seconds_left"] >= 30 * 60 - 5 and answer["csrf_token"]
    assert utcnow() - latest(viewer).last_seen_at < timedelta(seconds=30)


def test_staying_signed_in_cannot_pass_the_lifetime(app, world):
    viewer = world.users["viewer"]
    client = signed_in_client(app, viewer, world.password)
    move_back(latest(viewer), started=timedelta(hours=11, minutes=50))
    answer = client.post("/account/sessions/keep-alive").get_json()
    assert answer["extendable"] is False and answer["seconds_left"] <= 10 * 60


def test_keep_alive_needs_the_csrf_token(app, world):
    client = signed_in_client(app, world.users["viewer"], world.password)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/account/sessions/keep-alive").status_code == 400


def test_after_the_end_the_warning_requests_send_the_person_to_sign_in(app, world):
    viewer = world.users["viewer"]
    client = signed_in_client(app, viewer, world.password)
    move_back(latest(viewer), last_seen=timedelta(minutes=31))
    assert client.get("/account/sessions/time-left").status_code == 302
    assert client.post("/account/sessions/keep-alive").status_code == 302


def test_every_signed_in_page_carries_the_warning_and_its_numbers(app, world):
    client = signed_in_client(app, world.users["viewer"], world.password)
    page = client.get("/inspections").get_data(as_text=True)
    assert 'id="timeout-warning"' in page and 'data-warning-seconds="120"' in page
    assert 'data-time-left-url="/account/sessions/time-left"' in page
    assert 'id="timeout-warning"' not in app.test_client().get("/sign-in").get_data(as_text=True)


# Your sessions ------------------------------------------------------------------------


def test_your_sessions_lists_where_you_are_signed_in_and_marks_this_one(app, world):
    manager = world.users["manager"]
    phone = signed_in_client(app, manager, world.password, SAFARI_ON_IPHONE)
    laptop = signed_in_client(app, manager, world.password, EDGE_ON_WINDOWS)
    signed_in_client(app, world.users["head"], world.password)  # someone else's: not listed
    page = text_of(laptop.get("/account/sessions"))
    assert "Edge 126 on Windows This session" in page
    assert "Safari 17 on iPhone" in page and "Safari 17 on iPhone This session" not in page
    assert page.count("Signed in with Password") == 2
    assert "Sign out of all other sessions" in page
    assert "This session" in text_of(phone.get("/account/sessions"))


def test_ended_and_expired_sessions_are_not_listed(app, world):
    manager = world.users["manager"]
    gone = signed_in_client(app, manager, world.password, SAFARI_ON_IPHONE)
    gone.post("/sign-out")
    signed_in_client(app, manager, world.password, SAFARI_ON_IPHONE)
    move_back(latest(manager), last_seen=timedelta(hours=1))
    laptop = signed_in_client(app, manager, world.password)
    page = text_of(laptop.get("/account/sessions"))
    assert "iPhone" not in page and "You are not signed in anywhere else" in page


def test_sign_out_of_all_other_sessions(app, world):
    manager = world.users["manager"]
    phone = signed_in_client(app, manager, world.password, SAFARI_ON_IPHONE)
    laptop = signed_in_client(app, manager, world.password)
    response = laptop.post("/account/sessions/sign-out-others")
    assert "You have signed out of 1 other session." in text_of(laptop.get(response.location))
    assert signed_in(laptop)
    assert phone.get("/inspections").status_code == 302
    assert "You were signed out from another of your sessions" in text_of(phone.get("/sign-in"))
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "sessions_ended"))
    assert event.summary == "Signed out of 1 other session" and event.actor_id == manager.id


def test_browsers_in_words():
    assert sessions.browser_in_words(EDGE_ON_WINDOWS) == "Edge 126 on Windows"
    assert sessions.browser_in_words(SAFARI_ON_IPHONE) == "Safari 17 on iPhone"
    mac_firefox = (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0"
    )
    assert sessions.browser_in_words(mac_firefox) == "Firefox 127 on Mac"
    assert sessions.browser_in_words("") == "An unrecognised browser"
    assert sessions.browser_in_words("<script>x</script>" * 100) == "An unrecognised browser"


# An administrator -----------------------------------------------------------------------


def test_an_administrator_signs_a_person_out_everywhere(app, world, login):
    manager = world.users["manager"]
    phone = signed_in_client(app, manager, world.password, SAFARI_ON_IPHONE)
    laptop = signed_in_client(app, manager, world.password)
    admin = login("admin")
    page = text_of(admin.get(f"/users/{manager.id}/edit"))
    assert "Mo Manager is signed in on 2 browsers or devices" in page
    response = admin.post(f"/users/{manager.id}/sign-out-everywhere")
    assert response.status_code == 302
    assert "Mo Manager has been signed out everywhere." in text_of(admin.get(response.location))
    assert not signed_in(phone) and not signed_in(laptop)
    assert "An administrator signed you out" in text_of(phone.get("/sign-in"))
    assert {r.ended_why for r in rows_of(manager)} == {SessionEnd.ENDED_BY_ADMINISTRATOR}
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "sessions_ended"))
    assert event.actor_id == world.users["admin"].id and event.object_id == manager.id


def test_an_administrator_uses_your_sessions_for_their_own(app, world, login):
    admin = login("admin")
    me = world.users["admin"]
    assert "Sign Ada Admin out everywhere" not in text_of(admin.get(f"/users/{me.id}/edit"))
    admin.post(f"/users/{me.id}/sign-out-everywhere")
    assert signed_in(admin)
    assert all(r.ended_at is None for r in rows_of(me))


def test_another_authoritys_administrator_cannot_sign_our_people_out(app, world, login):
    manager = world.users["manager"]
    laptop = signed_in_client(app, manager, world.password)
    stranger = login("stranger")
    assert stranger.post(f"/users/{manager.id}/sign-out-everywhere").status_code == 404
    assert signed_in(laptop)


# Hostile cookies and posts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["", "x" * 10_000, ["a", "list"], 10**30, {"a": 1}, None, "a\x00b", "😀" * 50]
)
def test_a_cookie_with_a_hostile_session_key_is_simply_signed_out(app, world, key):
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["sign_in"] = str(world.users["viewer"].id), key
    response = client.get("/inspections")
    assert response.status_code == 302 and "/sign-in" in response.location


@pytest.mark.parametrize(
    "path", ["/account/sessions/sign-out-others", "/account/sessions/keep-alive"]
)
@pytest.mark.parametrize("value", ["", "x" * 10_000, "<script>", "' OR 1=1 --", "a\x00b"])
def test_hostile_posts_to_the_session_buttons(app, world, path, value):
    viewer = world.users["viewer"]
    client = signed_in_client(app, viewer, world.password)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(path, data={"csrf_token": value, "keep": value})
    assert response.status_code == 400
    assert latest(viewer).ended_at is None


def test_hostile_values_posted_by_an_administrator(app, world, login):
    manager = world.users["manager"]
    laptop = signed_in_client(app, manager, world.password)
    admin = login("admin")
    for value in ["x" * 10_000, "<script>", "-1", "a\x00b"]:
        response = admin.post(f"/users/{value}/sign-out-everywhere")
        assert response.status_code == 404
    assert signed_in(laptop)
