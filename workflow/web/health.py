"""Health and metrics for the balancer and monitoring, answered without signing in.

``/healthz``: the process is up (nothing else is asked, so a slow database never takes a
healthy process out of the balancer). ``/readyz``: the database, the evidence store and the
broker answer, and the database's schema is at the migrations' head; 503 otherwise, with
which part failed (by name only: an error's text can hold addresses and passwords).
``/metrics``: Prometheus's text format, only for a request carrying ``METRICS_TOKEN``;
without one configured, or with a wrong one, the path does not exist (404).
"""

import hmac
from functools import cache

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, jsonify, request

from workflow.core.storage import current_store
from workflow.extensions import MIGRATIONS, db
from workflow.web import metrics

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    checks = {
        "database": _check(_database),
        "migrations": _check(_migrations),
        "storage": _check(lambda: current_store().check()),
        "broker": _check(_broker) if current_app.config["JOBS_MODE"] == "broker" else "in-process",
    }
    ready = all(result in ("ok", "in-process") for result in checks.values())
    db.session.rollback()
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503


@bp.get("/metrics")
def prometheus_metrics():
    token = current_app.config.get("METRICS_TOKEN")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        abort(404)
    body, content_type = metrics.scrape()
    db.session.rollback()
    return Response(body, content_type=content_type)


def _check(probe) -> str:
    try:
        result = probe()
    except Exception as error:  # noqa: BLE001  (any failure means "not ready", never a 500)
        db.session.rollback()
        return f"failed: {type(error).__name__}"
    return result or "ok"


def _database() -> None:
    db.session.execute(sa.text("SELECT 1"))


def _migrations() -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current != _heads():
        return "failed: the database is not at the migrations' head: run db upgrade"
    return None


@cache
def _heads() -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory(str(MIGRATIONS)).get_heads())


def _broker() -> None:
    from workflow.jobs import broker

    broker.ping(current_app.config)
