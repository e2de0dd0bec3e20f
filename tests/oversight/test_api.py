"""The read-only API: token table, tenancy, pagination, JSON errors, approved data only."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_action, withdraw_waiting
from tests.oversight.conftest import approved_update
from workflow.api import records as api_records
from workflow.api import tokens
from workflow.extensions import db
from workflow.models import Measure, MeasureValue, utcnow
from workflow.signoff import rules as signoff


@pytest.fixture
def secrets(world, app):
    """An API token for each kind of holder the table below names."""
    now = utcnow()
    made = {
        "own": tokens.create_api_token(world.users["viewer"], "BI", 30, now),
        "stranger": tokens.create_api_token(world.users["stranger"], "BI", 30, now),
        "revoked": tokens.create_api_token(world.users["manager"], "Old", 30, now),
        "expired": tokens.create_api_token(world.users["director"], "Old", 30, now - timedelta(31)),
    }
    revoked = tokens.api_tokens_of(world.users["manager"])[0]
    tokens.revoke_api_token(world.users["manager"], revoked, now)
    db.session.commit()
    return made


# path -> {token: status}; {action} etc. name the world's own records (authority one).
TOKEN_TABLE = [
    ("/api/v1/inspections", {"none": 401, "own": 200, "stranger": 200, "revoked": 401}),
    ("/api/v1/inspections/{inspection}", {"none": 401, "own": 200, "stranger": 404}),
    ("/api/v1/recommendations/{recommendation}", {"own": 200, "stranger": 404, "expired": 401}),
    ("/api/v1/actions/{action}", {"none": 401, "own": 200, "stranger": 404, "revoked": 401}),
    ("/api/v1/actions/999999", {"own": 404, "stranger": 404}),
    ("/api/v1/updates", {"none": 401, "own": 200, "stranger": 200}),
    ("/api/v1/measures", {"none": 401, "own": 200, "garbage": 401}),
    ("/api/v1/openapi.json", {"none": 200, "own": 200}),
    ("/api/v1/nothing-here", {"none": 404, "own": 404}),
]


@pytest.mark.parametrize("path, expected", TOKEN_TABLE)
def test_token_table(path, expected, world, secrets, client):
    url = path.format(
        inspection=world.inspection.id,
        recommendation=world.recommendation.id,
        action=world.action.id,
    )
    for holder, status in expected.items():
        secret = {"none": None, "garbage": "oap_not-a-real-token"}.get(holder, secrets.get(holder))
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        response = client.get(url, headers=headers)
        assert response.status_code == status, (holder, response.get_json())
        assert response.is_json, holder
        if status == 401:
            assert response.headers["WWW-Authenticate"].startswith("Bearer")


def get(client, secret, url):
    return client.get(url, headers={"Authorization": f"Bearer {secret}"}).get_json()


def test_lists_are_the_authoritys_own_and_paged(world, secrets, client):
    admin, manager = world.users["admin"], world.users["manager"]
    for _ in range(4):
        make_action(admin, world.recommendation, manager, world.area)
    first = get(client, secrets["own"], "/api/v1/actions?per_page=2")
    assert (first["total"], first["page"], len(first["items"])) == (5, 1, 2)
    ids = [a["id"] for a in first["items"]]
    url = first["next"]
    while url:
        page = get(client, secrets["own"], url.removeprefix("http://localhost"))
        ids += [a["id"] for a in page["items"]]
        url = page["next"]
    assert len(ids) == len(set(ids)) == 5 and world.other_action.id not in ids
    stranger = get(client, secrets["stranger"], "/api/v1/actions")
    assert [a["id"] for a in stranger["items"]] == [world.other_action.id]


@pytest.mark.parametrize(
    "query", ["page=0", "page=abc", "per_page=201", "per_page=-1", "page=99999999999999999999"]
)
def test_bad_paging_is_a_json_400(query, world, secrets, client):
    response = client.get(
        f"/api/v1/inspections?{query}", headers={"Authorization": f"Bearer {secrets['own']}"}
    )
    assert response.status_code == 400 and "whole number" in response.get_json()["message"]


def test_only_approved_updates_and_values_are_published(world, secrets, client):
    manager, head = world.users["manager"], world.users["head"]
    measure = Measure(
        action=world.action,
        name="Seen in 5 days",
        unit="%",
        baseline_value=55,
        baseline_date=world.action.start_date,
        target_value=80,
        target_date=world.action.due_date,
    )
    db.session.add(measure)
    withdraw_waiting(world)  # one update awaits approval at a time: this one goes first
    update = approved_update(manager, head, world.action, narrative="Approved words")
    signoff.submit_update(manager, world.submitted, world.submitted.version)
    db.session.add(
        MeasureValue(measure=measure, update=update, value=61.5, as_of=world.action.start_date)
    )
    db.session.add(
        MeasureValue(measure=measure, update=world.draft, value=99, as_of=world.action.start_date)
    )
    db.session.commit()
    updates = get(client, secrets["own"], "/api/v1/updates")["items"]
    assert [u["narrative"] for u in updates] == ["Approved words"]
    assert updates[0]["approved_by"] == "Hugo Head"
    assert get(client, secrets["own"], f"/api/v1/updates/{world.submitted.id}")["status"] == 404
    [shown] = get(client, secrets["own"], "/api/v1/measures")["items"]
    assert shown["approved_values"] == [
        {"as_of": world.action.start_date.isoformat(), "value": 61.5}
    ]


def test_writing_methods_get_a_json_405(world, secrets, client):
    response = client.post(
        "/api/v1/inspections", headers={"Authorization": f"Bearer {secrets['own']}"}
    )
    assert response.status_code == 405 and response.is_json
    assert "GET" in response.headers["Allow"]


def test_the_session_cookie_is_not_enough(world, login):
    assert login("viewer").get("/api/v1/inspections").status_code == 401


def test_api_pages_keep_to_a_few_queries(world, secrets, client, count_queries):
    headers = {"Authorization": f"Bearer {secrets['own']}"}
    admin, manager, head = world.users["admin"], world.users["manager"], world.users["head"]

    def add_approved(n: int) -> None:
        for _ in range(n):
            action = make_action(admin, world.recommendation, manager, world.area)
            update = approved_update(manager, head, action)
            measure = Measure(
                action=action,
                name="Seen",
                unit="%",
                baseline_value=1,
                baseline_date=action.start_date,
                target_value=2,
                target_date=action.due_date,
            )
            db.session.add(
                MeasureValue(measure=measure, update=update, value=1.5, as_of=action.start_date)
            )

    client.get("/api/v1/inspections", headers=headers)  # notes the token's first use
    counts = []
    for n in (1, 5):
        add_approved(n)
        for path in ("actions", "updates", "measures", "inspections", "recommendations"):
            with count_queries() as statements:
                assert client.get(f"/api/v1/{path}", headers=headers).status_code == 200
            counts.append(len(statements))
    assert counts[:5] == counts[5:]
    assert max(counts) <= 7


@pytest.mark.parametrize(
    "name, index",
    [
        ("actions", "ix_action_authority_id_id"),
        ("updates", "ix_progress_update_authority_id_state_id"),
    ],
)
def test_a_list_reads_its_authority_by_an_index_not_every_authoritys_rows(world, name, index):
    """Listed in id order, an authority's records were found by walking the primary key over
    every authority's rows: most of a second for the last authority's first page at 100,000
    actions. An index led by the authority serves the page and the count."""
    resource = api_records.RESOURCES[name]
    page = resource.query(world.users["viewer"]).limit(25)
    assert index in query_plan(page)


def query_plan(query) -> str:
    """The database's plan for the query, as text. PostgreSQL is told to avoid scanning whole
    tables, which a test's few rows would otherwise make cheapest."""
    connection = db.session.connection()
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SET LOCAL enable_seqscan = off"))
        return " ".join(connection.execute(sa.text(f"EXPLAIN {compiled}")).scalars())
    rows = connection.execute(sa.text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    return " ".join(row[-1] for row in rows)
