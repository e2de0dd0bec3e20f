"""The floor for start-up and memory: the core stack alone, serving our sign-in page.

    gunicorn "bench.floor_app:create_floor_app()"

Flask, Flask-SQLAlchemy on the same database (one query a request), Flask-WTF's CSRF token,
Flask-Login, and the same base template with the same GOV.UK assets: no models, no rules,
no documents. Whatever the real app costs beyond this, in seconds to start and in memory per
worker, is ours.
"""

import os
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, render_template_string
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

ROOT = Path(__file__).resolve().parents[1]
PAGE = (
    '{% extends "base.html" %}'
    '{% block content %}<h1 class="govuk-heading-l">Sign in</h1>{% endblock %}'
)
db = SQLAlchemy()


def create_floor_app() -> Flask:
    app = Flask(
        "floor",
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "workflow" / "static"),
    )
    app.config["SECRET_KEY"] = "floor"
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"].replace(
        "postgresql://", "postgresql+psycopg://", 1
    )
    db.init_app(app)
    CSRFProtect(app)
    LoginManager(app).user_loader(lambda user_id: None)
    app.add_url_rule("/sign-in", "auth.sign_in", sign_in)
    app.add_url_rule("/sign-out", "auth.sign_out", sign_in, methods=["POST"])
    app.add_url_rule("/accessibility", "pages.accessibility", sign_in)
    app.context_processor(
        lambda: {"nav_items": [], "authority_name": None, "accessibility_url": "/accessibility"}
    )
    return app


def sign_in():
    db.session.execute(sa.text("SELECT 1"))
    return render_template_string(PAGE)
