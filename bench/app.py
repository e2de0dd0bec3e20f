"""The app as the benchmark serves it: production settings, plus what measuring needs.

    gunicorn "bench.app:create_bench_app()"   (with WORKFLOW_CONFIG=production)

Three additions, all here so that production code carries none of them:
- cookies without ``Secure`` and the ``__Host-`` prefix, because the benchmark speaks plain
  http on loopback and a browser-like client would never send a secure cookie back;
- an ``X-Query-Count`` header on every response: the SQL statements the request ran;
- ``/bench/floor``: a page that renders the same base template (header, navigation with its
  waiting count, footer) and nothing else, as the floor the key pages are compared with.
"""

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, render_template

from workflow import create_app
from workflow.extensions import db

FLOOR = '{% extends "base.html" %}{% block content %}<h1>Floor</h1>{% endblock %}'


def create_bench_app() -> Flask:
    app = create_app(
        {
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "SESSION_COOKIE_NAME": "session",
        }
    )
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", _count_query)
    app.after_request(_query_count_header)
    app.add_url_rule("/bench/floor", "bench.floor", floor)
    return app


def _count_query(*args) -> None:
    if has_request_context():
        g.query_count = g.get("query_count", 0) + 1


def _query_count_header(response):
    response.headers["X-Query-Count"] = str(g.get("query_count", 0))
    return response


def floor():
    # Compiled once, as file templates are: render_template_string would compile every time.
    if "bench_floor" not in current_app.extensions:
        current_app.extensions["bench_floor"] = current_app.jinja_env.from_string(FLOOR)
    return render_template(current_app.extensions["bench_floor"])
