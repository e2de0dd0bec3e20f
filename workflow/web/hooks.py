"""Request hooks: who is signed in, security headers, error pages and shared template values."""

from collections.abc import Callable
from datetime import date

from flask import Flask, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from workflow.accounts import session_cookie
from workflow.core.errors import StorageError
from workflow.core.locking import RACE_MESSAGE
from workflow.core.rag import EXCEPTION_RULE, delivery_rag, exception_stands
from workflow.extensions import db, login_manager
from workflow.models import Rag, User
from workflow.web import logs, metrics
from workflow.web.charts import in_words, measure_chart
from workflow.web.navigation import nav_items
from workflow.web.uploads import UploadRequest

PUBLIC_ENDPOINTS = {
    "auth.sign_in",
    "sso.start",
    "sso.callback",
    "resets.request_link",
    "resets.choose",
    "invitations.accept",
    "two_factor.code",
    "two_factor.set_up_at_sign_in",
    "pages.accessibility",
    "static",
    "calendar.feed",
    # For the balancer and monitoring: no session (see web/health.py).
    "health.healthz",
    "health.readyz",
    "health.prometheus_metrics",
}
# A published plan is public by intent: its address is the secret (plans/views.py).
PUBLIC_ENDPOINTS |= {"plans.published", "plans.published_pdf"}
# Signed in by token, never by the session: see views/api.py.
PUBLIC_BLUEPRINTS = {"api"}


def content_security_policy(form_targets: tuple[str, ...] = ()) -> str:
    """The policy for every page; a form that hands over to another site names it."""
    form_action = " ".join(["'self'", *form_targets])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            f"form-action {form_action}",
            "frame-ancestors 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()

ERROR_PAGES = {
    400: "400",
    403: "403",
    404: "404",
    405: "405",
    413: "413",
    429: "429",
    500: "500",
    503: "503",
}
# How the databases say their disk is full: PostgreSQL's SQLSTATE, SQLite's result code.
DISK_FULL_SQLSTATE = "53100"
SQLITE_FULL = 13


def register(app: Flask, waiting_count: Callable[[User], int | None]) -> None:
    """Bind the hooks; `waiting_count` (from sign-off) numbers the header's work links."""
    app.extensions["waiting_count"] = waiting_count
    logs.register(app)  # first: every later hook and error page has the request id
    metrics.register(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue"
    login_manager.session_protection = "strong"
    login_manager.user_loader(session_cookie.load_user)
    app.before_request(session_cookie.resume_session)  # first: require_sign_in needs its answer
    app.before_request(require_sign_in)
    app.after_request(end_reading_transaction)  # registered first, so it runs last
    app.after_request(set_security_headers)
    app.context_processor(template_values)
    app.add_template_filter(long_date)
    app.add_template_filter(date_time)
    app.add_template_filter(number)
    app.add_template_filter(filesize)
    app.add_template_global(page_url)
    app.add_template_global(measure_chart)
    app.add_template_global(in_words, "measure_in_words")
    app.add_template_global(list(Rag), "rag_order")
    app.add_template_global(delivery_rag)
    app.add_template_global(exception_stands)
    app.add_template_global(EXCEPTION_RULE, "rag_exception_rule")
    for code, name in ERROR_PAGES.items():
        app.register_error_handler(code, _error_page(code, name))
    app.register_error_handler(CSRFError, csrf_failed)
    app.register_error_handler(StaleDataError, stale_data)
    app.register_error_handler(StorageError, storage_refused)
    app.register_error_handler(OperationalError, database_full)
    app.request_class = UploadRequest


def require_sign_in():
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if request.blueprint in PUBLIC_BLUEPRINTS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    return None


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    return response


def end_reading_transaction(response):
    """End a page view's transaction with COMMIT, not the ROLLBACK it would otherwise get.

    A GET changes nothing, so to the data the two are the same. But psycopg forgets its
    prepared statements on ROLLBACK, and keeping them spares PostgreSQL planning the same
    queries again on every request (for most of a page's queries, half their time). Only a
    clean session is committed: anything a GET left unsaved is still rolled back.
    """
    session = db.session
    reading = request.method in ("GET", "HEAD") and response.status_code < 400
    if reading and not (session.new or session.dirty or session.deleted):
        session.commit()
    return response


def template_values() -> dict:
    values = {"accessibility_url": url_for("pages.accessibility"), "today": date.today()}
    if not current_user.is_authenticated:
        return {**values, "nav_items": [], "authority_name": None}
    authority = current_user.authority.name
    waiting = current_app.extensions["waiting_count"]
    navigation = nav_items(current_user, waiting)
    timeout = session_cookie.timeout_warning()
    return {
        **values,
        "nav_items": navigation,
        "authority_name": authority,
        "timeout_warning": timeout,
    }


def long_date(value) -> str:
    """Every date on every page in the GOV.UK style, 1 April 2022; an ISO date string (as an
    imported report keeps its dates) too. Anything else is shown as it is."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return f"{value:%-d %B %Y}" if value else ""


def date_time(value) -> str:
    return f"{value:%-d %B %Y at %H:%M}" if value else ""


def number(value) -> str:
    """A measure's value without trailing zeros: 77.5, not 77.5000."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def filesize(size: int | None) -> str:
    if not size:
        return ""
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1048576:.1f} MB"


def page_url(number: int) -> str:
    """The current page's address with another page number, keeping the other filters."""
    args = {**request.view_args, **request.args.to_dict(), "page": number}
    return url_for(request.endpoint, **args)


def _error_page(code: int, name: str):
    def handler(error):
        db.session.rollback()
        return render_template(f"errors/{name}.html", error=error), code

    return handler


def csrf_failed(error):
    db.session.rollback()
    message = "The form had expired. Go back, reload the page and try again."
    return render_template("errors/400.html", message=message), 400


def stale_data(error):
    """A write that lost a race outside a rule's own flush: the same refusal as locking's."""
    db.session.rollback()
    message = RACE_MESSAGE
    return render_template("errors/400.html", message=message), 409


def storage_refused(error: StorageError):
    """A full or unavailable store met outside a form (a download, an upload the disk would
    not take): its own page and status, and nothing kept."""
    db.session.rollback()
    page = f"errors/{error.http_status}.html"
    return render_template(page, message=error.message), error.http_status


def database_full(error: OperationalError):
    """A database whose disk is full refuses the write: said as such, never a server error.
    Any other operational error is one, and goes on to the 500 page."""
    reason = error.orig
    full = getattr(reason, "sqlstate", None) == DISK_FULL_SQLSTATE or (
        getattr(reason, "sqlite_errorcode", None) == SQLITE_FULL
    )
    if not full:
        raise error
    db.session.rollback()
    return render_template("errors/507.html"), 507
