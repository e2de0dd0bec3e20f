"""Health, readiness and metrics for the balancer and monitoring; logs without personal data."""

import io
import json
import logging

import pytest
import sqlalchemy as sa

from tests.route_table import ROUTES
from workflow.extensions import db
from workflow.models import Job
from workflow.web.logs import JsonLines


@pytest.fixture
def log_lines():
    """What the app logs during the test, as parsed JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("workflow")
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)


def test_healthz_answers_without_signing_in(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})


def test_readyz_checks_every_part(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ready",
        "checks": {
            "database": "ok",
            "migrations": "ok",
            "storage": "ok",
            "broker": "in-process",
        },
    }


def test_readyz_is_not_ready_when_the_store_cannot_be_written(app, client, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store should be")
    app.config["UPLOAD_FOLDER"] = str(blocker)
    app.extensions.pop("workflow.store", None)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "not ready"
    assert response.json["checks"]["storage"] == "failed: FileExistsError"


def test_readyz_is_not_ready_when_the_broker_is_down(app, client):
    app.config.update(JOBS_MODE="broker", JOB_BROKER_URL="redis://127.0.0.1:9/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["broker"] == "failed: ConnectionError"
    assert "127.0.0.1:9" not in response.get_data(as_text=True)


def test_readyz_is_not_ready_before_the_migrations_are_run(client):
    head = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    db.session.execute(sa.text("UPDATE alembic_version SET version_num = 'e5_search'"))
    try:
        response = client.get("/readyz")
    finally:
        db.session.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": head})
        db.session.commit()
    assert response.status_code == 503
    assert response.json["checks"]["migrations"].startswith("failed: the database is not at")


def test_metrics_need_their_token(app, client):
    assert client.get("/metrics").status_code == 404
    app.config["METRICS_TOKEN"] = "s3cret-metrics-token"
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    client.get("/healthz")
    db.session.add(Job(name="tests.record", args={}, attempts=1, max_attempts=4))
    db.session.commit()
    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics-token"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert (
        'workflow_http_requests_total{endpoint="health.healthz",method="GET",status="200"}' in text
    )
    assert 'workflow_http_request_duration_seconds_bucket{endpoint="health.healthz"' in text
    assert 'workflow_jobs{state="queued"} 1.0' in text
    assert 'workflow_jobs{state="failed"} 0.0' in text


def test_every_answer_carries_a_request_id_that_is_logged(client, log_lines):
    response = client.get("/sign-in")
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    passed_on = client.get("/sign-in", headers={"X-Request-ID": "balancer-1234abcd"})
    assert passed_on.headers["X-Request-ID"] == "balancer-1234abcd"
    refused = client.get("/sign-in", headers={"X-Request-ID": "<script>alert(1)"})
    assert refused.headers["X-Request-ID"] != "<script>alert(1)"
    lines = [line for line in log_lines() if line["message"] == "request"]
    assert [line["request_id"] for line in lines][:2] == [request_id, "balancer-1234abcd"]
    assert lines[0] | {"time": None, "ms": None} == {
        "time": None,
        "level": "info",
        "logger": "workflow.requests",
        "message": "request",
        "request_id": request_id,
        "method": "GET",
        "route": "/sign-in",
        "endpoint": "auth.sign_in",
        "status": 200,
        "ms": None,
    }


def test_a_job_carries_the_request_id_of_the_request_that_started_it(world, login, log_lines):
    from tests.plans.test_plan_versions import ISSUE_FORM

    client = login("director")
    response = client.post(f"/inspections/{world.inspection.id}/plan/issue", data=ISSUE_FORM)
    assert response.status_code == 302
    job = db.session.scalar(sa.select(Job))
    assert job.request_id == response.headers["X-Request-ID"]
    job_lines = [line for line in log_lines() if line.get("job_id") == job.id]
    assert {line["request_id"] for line in job_lines} == {job.request_id}
    assert [line["message"] for line in job_lines] == ["job started", "job succeeded"]


def test_no_personal_data_or_secret_reaches_the_logs(app, world, client, login, log_lines):
    client.post("/sign-in", data={"email": "nobody@northbrook.example", "password": "guess-me"})
    for who in ("admin", "manager", "director"):
        login(who)
        ids = {
            "inspection": world.inspection.id,
            "recommendation": world.recommendation.id,
            "action": world.action.id,
            "manager": world.users["manager"].id,
            "draft": world.draft.id,
            "submitted": world.submitted.id,
            "evidence": world.evidence.id,
            "report_import": world.report_import.id,
            "area": world.area.id,
            "partner": world.users["partner"].id,
        }
        for method, path, _, _ in ROUTES:
            if method == "GET":
                client.get(path.format(**ids) + "?q=Jamie+Smith").close()
    client.get("/calendar/secret-calendar-token-123.ics")
    logged = json.dumps(log_lines())
    assert '"request"' in logged and len(log_lines()) > 50
    forbidden = [
        "nobody@northbrook.example",
        "guess-me",
        world.password,
        "Jamie",
        "secret-calendar",
    ]
    forbidden += [app.config["SECRET_KEY"]]
    for user in world.users.values():
        forbidden += [user.email, user.name]
    assert [word for word in forbidden if word in logged] == []


def test_behind_a_trusted_balancer_the_clients_address_is_used(database_url, tmp_path):
    from flask import request

    from workflow import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TRUSTED_PROXIES": 1})
    seen = {}

    @app.before_request
    def note_address():
        seen["address"], seen["scheme"] = request.remote_addr, request.scheme

    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    app.test_client().get("/sign-in", headers=headers)
    assert seen == {"address": "203.0.113.7", "scheme": "https"}
    with app.app_context():
        db.engine.dispose()
