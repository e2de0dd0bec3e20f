"""Fixtures: an app per test on each database backend, a client, and signed-in users.

The schema is built once per backend with the migrations (never create_all), and every
test starts from empty tables.
"""

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import date
from html import unescape
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.globals import _cv_app
from flask.testing import FlaskClient

os.environ["WORKFLOW_CONFIG"] = "testing"

import pyotp  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402

from tests.factories import TOTP_SECRET, build_world  # noqa: E402
from workflow import create_app  # noqa: E402
from workflow.accounts import passwords
from workflow.extensions import db  # noqa: E402
from workflow.models import User  # noqa: E402
from workflow.models.audit import APPEND_ONLY_TRIGGERS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ON_CI = os.environ.get("CI") == "true"

# Argon2 stays Argon2 in tests, with cheap parameters so hundreds of sign-ins stay quick.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def backends() -> list[str]:
    names = ["sqlite"]
    if os.environ.get("TEST_DATABASE_URL"):
        names.append("postgresql")
    elif ON_CI:
        raise pytest.UsageError("CI=true but TEST_DATABASE_URL is not set: PostgreSQL is required.")
    return names


def pytest_collection_modifyitems(config, items):
    """Tests of real concurrent connections run on PostgreSQL only, not also on SQLite."""
    sqlite_only = [
        item
        for item in items
        if item.get_closest_marker("postgres_only")
        and getattr(item, "callspec", None)
        and item.callspec.params.get("database_url") == "sqlite"
    ]
    if sqlite_only:
        config.hook.pytest_deselected(items=sqlite_only)
        items[:] = [item for item in items if item not in sqlite_only]


@pytest.fixture(scope="session", params=backends())
def database_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    else:
        url = private_postgres_database(request)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        from workflow.extensions import upgrade_schema

        upgrade_schema()
        db.engine.dispose()
    return app.config["SQLALCHEMY_DATABASE_URI"]


def private_postgres_database(request, prefix: str = "workflow_test") -> str:
    """A database of this run's own on the server, so parallel runs never collide; dropped
    when the requesting fixture's scope ends."""
    from config import database_url as normalise

    server = sa.engine.make_url(normalise(os.environ["TEST_DATABASE_URL"]))
    name = f"{prefix}_{os.getpid()}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        pytest.fail(f"PostgreSQL at {server} is not reachable: {error}")

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    request.addfinalizer(drop)
    return server.set(database=name).render_as_string(hide_password=False)


class Client(FlaskClient):
    """Runs each request in its own app context, as in production, beside the test's own.

    The test's session is committed first, so the request sees the test's data and the
    test sees fresh rows afterwards (committing expires what the session holds).
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": str(tmp_path / "evidence"),
            "WTF_CSRF_ENABLED": False,
        }
    )
    app.test_client_class = Client
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()
        db.engine.dispose()


def empty_tables() -> None:
    tables = [t for t in db.metadata.sorted_tables]
    with db.engine.begin() as connection, append_only_lifted(connection):
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                connection.execute(table.delete())


@contextmanager
def append_only_lifted(connection: sa.Connection):
    """Lift the triggers that keep audit_event append-only, for emptying the tables between
    tests and for tests that play someone who owns the database. Inside the connection's
    transaction, so no other connection ever sees the table unguarded."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        yield
        connection.execute(sa.text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
        return
    triggers = APPEND_ONLY_TRIGGERS["sqlite"]
    for name in triggers:
        connection.execute(sa.text(f"DROP TRIGGER {name}"))
    yield
    for statement in triggers.values():
        connection.execute(sa.text(statement))


@pytest.fixture
def today() -> date:
    """Today, read when the test starts: a date read when the module loads is yesterday's
    for every test that runs after midnight, while the app reads the clock afresh."""
    return date.today()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    world = build_world()
    db.session.commit()
    return world


@pytest.fixture
def login(client, world):
    """login("manager") signs the test client in as that person of the world."""

    def sign_in(who: str):
        client.post("/sign-out")
        user = world.users[who]
        response = client.post("/sign-in", data={"email": user.email, "password": world.password})
        response = pass_second_factor(client, response, user.email)
        assert response.status_code == 302, f"{who} could not sign in"
        return client

    return sign_in


def pass_second_factor(client, response, email: str, secret: str = TOTP_SECRET):
    """Enter the authenticator code when sign-in asks for one (administrators, directors).

    A code works once, and one test may sign the same person in several times within a
    code's 30 seconds: the test forgets which code was last used before each sign-in.
    """
    if not response.headers.get("Location", "").endswith("/sign-in/code"):
        return response
    db.session.execute(
        sa.update(User).where(User.email == email.lower()).values(totp_last_step=None)
    )
    db.session.commit()
    return client.post("/sign-in/code", data={"code": pyotp.TOTP(secret).now()})


def text_of(response) -> str:
    """The page's visible text with tags removed and whitespace collapsed, for assertions."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


MOTO = Path(sys.executable).with_name("moto_server")
S3_SETTINGS = {"S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """A real S3-compatible server: moto's standalone server on loopback, one per run."""
    if not MOTO.exists():
        if ON_CI:
            pytest.fail("moto_server is not installed (requirements-dev.txt)")
        pytest.skip("moto_server is not installed")
    port = free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("wb")
    server = subprocess.Popen(
        [str(MOTO), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail("moto_server did not start")
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)
    log.close()


def new_bucket(s3_endpoint: str) -> dict[str, str]:
    """A fresh bucket on the object-storage server: the settings that point the app at it."""
    from workflow.core.object_storage import S3Store

    settings = {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": f"evidence-{uuid.uuid4().hex[:12]}",
        "S3_ENDPOINT_URL": s3_endpoint,
        **S3_SETTINGS,
    }
    store = S3Store.from_config(settings)
    store.client.create_bucket(
        Bucket=settings["S3_BUCKET"],
        CreateBucketConfiguration={"LocationConstraint": "eu-west-2"},
    )
    return settings


@pytest.fixture
def s3_app(app, s3_endpoint):
    """The app with its files in a fresh bucket of the object-storage server."""
    app.config.update(new_bucket(s3_endpoint))
    app.extensions.pop("workflow.store", None)
    return app
