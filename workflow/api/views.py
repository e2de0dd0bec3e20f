"""The read-only JSON API for performance teams (Power BI, Excel Power Query): /api/v1.

Authenticated by a per-user token in ``Authorization: Bearer ...``, never by the session
cookie, so it needs no CSRF token. Errors are JSON too, even for addresses that match no
route. Another authority's record is a 404, like a missing one.
"""

from flask import Blueprint, abort, g, jsonify, request, url_for
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from workflow.api import openapi, tokens
from workflow.api import records as api_records
from workflow.core import permissions
from workflow.extensions import csrf, db
from workflow.models import utcnow

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

MESSAGES = {
    400: "The query string is not valid.",
    401: "Send a valid API token in the Authorization header: Bearer <token>.",
    403: "Partner contributors have no access to the API.",
    404: "No such record in your authority.",
    405: "This API only reads: use GET.",
}


@bp.before_app_request
def routing_errors():
    """A wrong method or an unknown address under /api/v1 gets a JSON answer too."""
    routing_error = request.routing_exception
    if routing_error is not None and request.path.startswith(bp.url_prefix + "/"):
        return _error(routing_error)
    return None


@bp.before_request
def authenticate():
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    user = tokens.api_user(secret.strip(), utcnow()) if scheme.lower() == "bearer" else None
    if user is None:
        abort(401)
    if not permissions.can_use_api(user):
        abort(403)
    if db.session.dirty:
        db.session.commit()  # the token's last-used time, noted now and then; nothing else
    g.api_user = user
    return None


def json_error(error: HTTPException):
    return _error(error)


# By code: the app's HTML pages for these codes would otherwise win over a class handler.
for _code in (400, 401, 403, 404, 405, 500):
    bp.register_error_handler(_code, json_error)


def _error(error: HTTPException):
    db.session.rollback()
    code = error.code or 500
    message = error.description if code == 400 else MESSAGES.get(code, error.name)
    response = jsonify(status=code, message=message)
    response.status_code = code
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@bp.get("/openapi.json", endpoint="openapi")
def openapi_document():
    return jsonify(openapi.document(request.url_root.rstrip("/") + bp.url_prefix))


def _listing(name: str):
    resource = api_records.RESOURCES[name]
    page = _whole_number("page", 1, openapi.MAX_PAGE)
    per_page = _whole_number("per_page", openapi.DEFAULT_PER_PAGE, openapi.MAX_PER_PAGE)
    total = api_records.count(resource, g.api_user)
    items = api_records.page_of(resource, g.api_user, page, per_page)
    more = page * per_page < total
    next_url = url_for(request.endpoint, page=page + 1, per_page=per_page, _external=True)
    return jsonify(
        items=items, page=page, per_page=per_page, total=total, next=next_url if more else None
    )


def _record(name: str, record_id: int):
    if record_id > openapi.MAX_ID:
        abort(404)
    found = api_records.one(api_records.RESOURCES[name], g.api_user, record_id)
    if found is None:
        abort(404)
    return jsonify(found)


def _whole_number(name: str, default: int, highest: int) -> int:
    value = request.args.get(name)
    if value is None:
        return default
    if not value.isdigit() or not 1 <= int(value) <= highest:
        abort(400, f"{name} must be a whole number from 1 to {highest}")
    return int(value)


@bp.get("/inspections")
def inspections():
    return _listing("inspections")


@bp.get("/inspections/<int:inspection_id>")
def inspection(inspection_id: int):
    return _record("inspections", inspection_id)


@bp.get("/recommendations")
def recommendations():
    return _listing("recommendations")


@bp.get("/recommendations/<int:recommendation_id>")
def recommendation(recommendation_id: int):
    return _record("recommendations", recommendation_id)


@bp.get("/actions")
def actions():
    return _listing("actions")


@bp.get("/actions/<int:action_id>")
def action(action_id: int):
    return _record("actions", action_id)


@bp.get("/updates")
def updates():
    return _listing("updates")


@bp.get("/updates/<int:update_id>")
def update(update_id: int):
    return _record("updates", update_id)


@bp.get("/measures")
def measures():
    return _listing("measures")


@bp.get("/measures/<int:measure_id>")
def measure(measure_id: int):
    return _record("measures", measure_id)
