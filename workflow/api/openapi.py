"""The OpenAPI 3.0 description of the read-only API, written out by hand from one table.

Kept beside api_records.py, which makes the JSON it describes; the tests run schemathesis
against the live API to check that the two agree.
"""

from typing import Any

MAX_ID = 2_147_483_647  # the largest id a PostgreSQL integer column holds
MAX_PAGE = 100_000
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 100


def _s(kind: str, nullable: bool = False, **more: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind, **more}
    if nullable:
        schema["nullable"] = True
    return schema


INTEGER = _s("integer")
TEXT = _s("string")
DAY = _s("string", format="date")
MOMENT = _s("string", format="date-time")
RAG = _s("string", enum=["red", "amber", "green", "blue"])
STATUS = _s("string", enum=["not_started", "in_progress", "complete"])

# (resource name, singular title, description, properties)
RESOURCES: list[tuple[str, str, str, dict[str, dict[str, Any]]]] = [
    (
        "inspections",
        "Inspection",
        "The authority's Ofsted inspections.",
        {
            "id": INTEGER,
            "kind": TEXT,
            "title": TEXT,
            "start_date": DAY,
            "end_date": DAY,
            "published_on": _s("string", True, format="date"),
            "report_received_on": _s("string", True, format="date"),
            "lead_inspector": _s("string", True),
            "plan_owner": _s("string", True),
        },
    ),
    (
        "recommendations",
        "Recommendation",
        "What each inspection said needs to improve.",
        {
            "id": INTEGER,
            "inspection_id": INTEGER,
            "number": INTEGER,
            "text": TEXT,
            "senior_lead": _s("string", True),
            "closed_at": _s("string", True, format="date-time"),
        },
    ),
    (
        "actions",
        "Action",
        "The owned, dated actions that answer the recommendations.",
        {
            "id": INTEGER,
            "recommendation_id": INTEGER,
            "inspection_id": INTEGER,
            "reference": TEXT,
            "description": TEXT,
            "owner": TEXT,
            "delegate": _s("string", True),
            "service_area": TEXT,
            "start_date": DAY,
            "original_due_date": DAY,
            "due_date": DAY,
            "status": STATUS,
            "rag": RAG,
            "rag_exception": _s("string", True),
            "rag_exception_by": _s("string", True),
            "rag_exception_on": _s("string", True, format="date"),
            "impact_evidenced": _s("boolean"),
            "measure_of_success": TEXT,
            "updated_at": MOMENT,
        },
    ),
    (
        "updates",
        "Update",
        "Approved progress updates (drafts and those awaiting approval are never included).",
        {
            "id": INTEGER,
            "action_id": INTEGER,
            "author": TEXT,
            "approved_by": TEXT,
            "narrative": TEXT,
            "status": STATUS,
            "rag": RAG,
            "rag_reason": _s("string", True),
            "impact_evidenced": _s("boolean"),
            "new_due_date": _s("string", True, format="date"),
            "due_date_reason": _s("string", True),
            "submitted_at": _s("string", True, format="date-time"),
            "approved_at": MOMENT,
            "evidence": _s(
                "array",
                items=_s(
                    "object",
                    required=["id", "kind", "title"],
                    additionalProperties=False,
                    properties={
                        "id": INTEGER,
                        "kind": _s("string", enum=["file", "link"]),
                        "title": TEXT,
                    },
                ),
            ),
        },
    ),
    (
        "measures",
        "Measure",
        "Measures of success, with the values reported in approved updates.",
        {
            "id": INTEGER,
            "action_id": INTEGER,
            "name": TEXT,
            "unit": TEXT,
            "baseline_value": _s("number"),
            "baseline_date": DAY,
            "target_value": _s("number"),
            "target_date": DAY,
            "higher_is_better": _s("boolean"),
            "approved_values": _s(
                "array",
                items=_s(
                    "object",
                    required=["as_of", "value"],
                    additionalProperties=False,
                    properties={"as_of": DAY, "value": _s("number")},
                ),
            ),
        },
    ),
]

ERRORS = {
    "400": "The query string is not valid.",
    "401": "No API token, or one that is wrong, revoked or expired.",
    "403": "The token is a partner contributor's: partners have no access to the API.",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: str) -> dict[str, Any]:
    texts = {**ERRORS, "404": "No such record in your authority."}
    return {code: _response(texts[code], _ref("Error")) for code in codes}


def _operations(name: str, title: str, description: str) -> dict[str, Any]:
    id_name = f"{title.lower()}_id"
    listing = {
        "get": {
            "operationId": f"list_{name}",
            "summary": f"List {name}",
            "description": description,
            "parameters": [
                {"$ref": "#/components/parameters/page"},
                {"$ref": "#/components/parameters/per_page"},
            ],
            "responses": {
                "200": _response(f"A page of {name}", _ref(f"{title}Page")),
                **_errors("400", "401", "403"),
            },
        }
    }
    single = {
        "get": {
            "operationId": f"get_{title.lower()}",
            "summary": f"One {title.lower()}",
            "parameters": [
                {
                    "name": id_name,
                    "in": "path",
                    "required": True,
                    "schema": _s("integer", minimum=1, maximum=MAX_ID),
                }
            ],
            "responses": {"200": _response(title, _ref(title)), **_errors("401", "403", "404")},
        }
    }
    return {f"/{name}": listing, f"/{name}/{{{id_name}}}": single}


def _schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {
        "Error": _s(
            "object",
            required=["status", "message"],
            properties={"status": INTEGER, "message": TEXT},
        )
    }
    for name, title, _, properties in RESOURCES:
        schemas[title] = _s(
            "object", required=list(properties), additionalProperties=False, properties=properties
        )
        schemas[f"{title}Page"] = _s(
            "object",
            required=["items", "page", "per_page", "total", "next"],
            additionalProperties=False,
            properties={
                "items": _s("array", items=_ref(title)),
                "page": INTEGER,
                "per_page": INTEGER,
                "total": INTEGER,
                "next": _s("string", True, description=f"The next page of {name}, or null"),
            },
        )
    return schemas


def document(server_url: str) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for name, title, description, _ in RESOURCES:
        paths.update(_operations(name, title, description))
    page = _s("integer", minimum=1, maximum=MAX_PAGE, default=1)
    per_page = _s("integer", minimum=1, maximum=MAX_PER_PAGE, default=DEFAULT_PER_PAGE)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Ofsted action plans: read-only API",
            "version": "1.0.0",
            "description": "Your authority's inspections, recommendations, actions, approved "
            "updates and measures, for Power BI and Excel Power Query. Every list is paged: "
            "follow `next` until it is null.",
        },
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token from Your account > Calendar feed and API tokens.",
                }
            },
            "parameters": {
                "page": {"name": "page", "in": "query", "required": False, "schema": page},
                "per_page": {
                    "name": "per_page",
                    "in": "query",
                    "required": False,
                    "schema": per_page,
                },
            },
            "schemas": _schemas(),
        },
    }
