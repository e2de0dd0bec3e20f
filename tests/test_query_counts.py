"""No N+1: each key page runs as many SQL statements for a larger world as for a small one.

The world grows from fifteen actions to forty-five, a third with owners of their own,
each with approved, submitted and returned updates carrying evidence, while the action whose
page is read gains measures and a longer history. bench/ measures the same pages
at 100,000 actions; this keeps them honest on every run of the tests.
"""

from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import make_action, make_user, progress_update, withdraw_waiting
from workflow.accounts import rules as accounts
from workflow.api import tokens
from workflow.extensions import db
from workflow.models import Role, utcnow
from workflow.planning import rules as planning

# (page, who reads it, address): {braces} name the world's records.
KEY_PAGES = [
    ("home (owner)", "manager", "/"),
    ("home (head of service)", "head", "/"),
    ("home (director)", "director", "/"),
    ("home (partner)", "partner", "/"),
    ("dashboard", "viewer", "/dashboard"),
    ("action list, filtered", "viewer", "/dashboard?status=in_progress&rag=amber"),
    ("inspection dashboard", "viewer", "/inspections/{inspection}/dashboard"),
    ("inspections", "viewer", "/inspections"),
    ("inspection", "viewer", "/inspections/{inspection}"),
    ("recommendation", "viewer", "/recommendations/{recommendation}"),
    ("action", "manager", "/actions/{action}"),
    ("action (partner)", "partner", "/actions/{action}"),
    ("my actions", "manager", "/my-actions"),
    ("approval queue", "head", "/awaiting-approval"),
    ("search", "viewer", "/search?q=tracker"),
    ("users", "admin", "/users"),
    ("audit trail", "admin", "/audit"),
    ("audit trail, one action", "admin", "/audit?record_kind=action&record=1.1"),
    ("API list (actions)", "api", "/api/v1/actions"),
    ("API list (updates)", "api", "/api/v1/updates"),
]


# What each page needs (bench/README.md): a statement more is a lazy load someone added.
# The session's query brings the user, their authority and service area; a page that counts
# the approval queue gives the header its number.
MOST_STATEMENTS = {
    "home (owner)": 5,
    "home (head of service)": 7,
    "home (director)": 5,  # with the updates escalated to the director, and theirs to decide
    "home (partner)": 6,
    "dashboard": 5,
    "action list, filtered": 5,
    "inspection dashboard": 6,
    "inspections": 3,
    "inspection": 6,  # with the monitoring visits since it
    "recommendation": 5,  # with what monitoring visits found
    "action": 10,
    "action (partner)": 12,  # and whether they were invited to write its updates
    "my actions": 5,
    "approval queue": 4,  # with the heads the reviewer covers for
    "search": 4,
    "users": 3,
    "audit trail": 5,
    "audit trail, one action": 5,
    "API list (actions)": 3,
    "API list (updates)": 4,
}


@contextmanager
def counting():
    """Counts the SQL statements sent to the database inside the block (but SQLite's BEGIN,
    which PostgreSQL's driver sends unseen)."""
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if statement != "BEGIN":
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)


def query_counts(world, login, client, api_token: str) -> dict[str, int]:
    counts = {}
    for name, who, address in KEY_PAGES:
        path = address.format(
            inspection=world.inspection.id,
            recommendation=world.recommendation.id,
            action=world.action.id,
        )
        headers = {"Authorization": f"Bearer {api_token}"} if who == "api" else {}
        if who != "api":
            login(who)
        client.get(path, headers=headers)  # the first request may do one-off bookkeeping
        with counting() as statements:
            response = client.get(path, headers=headers)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        counts[name] = len(statements)
    return counts


def grow(world, first: int, last: int) -> None:
    """A busier authority: more actions, owners, updates in every state, and history."""
    admin, head, manager = world.users["admin"], world.users["head"], world.users["manager"]
    for n in range(first, last):
        # One action in three has an owner of its own, in a team of its own, so that owners
        # and service areas cannot hide in the session's identity map.
        owner = manager if n % 3 else new_owner(world, n)
        action = make_action(
            admin,
            world.recommendation,
            owner,
            world.area,
            due_date=date.today() + timedelta(days=10 + n),
        )
        approved(owner, head, action, f"Weekly tracker reviewed, round {n}.")
        returned(owner, head, action, "Draft figures.")
        # Left waiting last: an action has one update awaiting approval at a time.
        submitted(owner, action, f"Tracker extended to the MASH, round {n}.")
    measure = planning.add_measure(
        admin,
        world.action,
        name="Cases audited as good",
        unit="%",
        baseline_value=Decimal("55.3"),
        baseline_date=date(2022, 6, 1),
        target_value=Decimal("85"),
        target_date=date(2030, 6, 1),
        higher_is_better=True,
    )
    if world.submitted.state.value == "submitted":
        withdraw_waiting(world)
    for n in range(5):  # the action whose page is read gets a longer history
        update = approved(
            manager,
            head,
            world.action,
            f"Tracker audit {n}.",
            {measure.id: (Decimal(60 + n), date.today())},
        )
    returned(manager, head, world.action, "More to do.")
    db.session.commit()
    assert update.state.value == "approved"


def new_owner(world, n: int):
    team = accounts.create_service_area(world.authority, f"Team {n}")
    return make_user(world.authority, Role.SERVICE_MANAGER, f"Owner {n}", team)


def submitted(author, action, narrative: str, values=None):
    return progress_update(
        author,
        action,
        narrative,
        rag_reason="As discussed.",
        evidence=(narrative,),
        measure_values=values,
    )


def approved(author, reviewer, action, narrative: str, values=None):
    return progress_update(
        author,
        action,
        narrative,
        reviewer=reviewer,
        rag_reason="As discussed.",
        evidence=(narrative,),
        measure_values=values,
    )


def returned(author, reviewer, action, narrative: str):
    return progress_update(
        author,
        action,
        narrative,
        reviewer=reviewer,
        returned_with="Add the audit figures.",
        rag_reason="As discussed.",
        evidence=(narrative,),
    )


@pytest.fixture
def api_token(world) -> str:
    secret = tokens.create_api_token(world.users["viewer"], "Power BI", 30, utcnow())
    db.session.commit()
    return secret


def test_key_pages_run_the_same_queries_however_much_data(world, login, client, api_token):
    # Fifteen actions fill every list of the home pages (ten shown, then a count of the rest),
    # and every page has something of each kind to show; then three times as many.
    grow(world, 0, 15)
    small = query_counts(world, login, client, api_token)
    grow(world, 15, 45)
    larger = query_counts(world, login, client, api_token)
    assert larger == small
    over = {page: count for page, count in small.items() if count > MOST_STATEMENTS[page]}
    assert over == {}, "more statements than the page needs"


def test_every_key_page_is_a_route(app):
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    for name, _, address in KEY_PAGES:
        path = address.split("?")[0]
        path = path.replace("{inspection}", "<int:inspection_id>")
        path = path.replace("{recommendation}", "<int:recommendation_id>")
        path = path.replace("{action}", "<int:action_id>")
        assert path in rules, name


@contextmanager
def transaction_ends():
    """How the transactions of the requests inside the block end: "commit" or "rollback"."""
    ends: list[str] = []

    def committed(conn):
        ends.append("commit")

    def rolled_back(conn):
        ends.append("rollback")

    sa.event.listen(db.engine, "commit", committed)
    sa.event.listen(db.engine, "rollback", rolled_back)
    try:
        yield ends
    finally:
        sa.event.remove(db.engine, "commit", committed)
        sa.event.remove(db.engine, "rollback", rolled_back)


def test_a_page_view_ends_with_commit_so_prepared_statements_survive(world, login):
    # psycopg forgets its prepared statements on ROLLBACK: a GET that changed nothing commits.
    client, path = login("manager"), f"/actions/{world.action.id}"
    db.session.commit()  # the test's own transaction ends here, not in the block
    with transaction_ends() as ends:
        response = client.get(path)
    assert response.status_code == 200
    assert ends == ["commit"]


def test_a_refused_form_is_still_rolled_back(world, login):
    client, path = login("head"), f"/actions/{world.action.id}/edit"
    db.session.commit()
    with transaction_ends() as ends:
        response = client.post(path, data={"description": ""})
    assert response.status_code == 200 and "There is a problem" in response.get_data(as_text=True)
    assert ends == ["rollback"]


@pytest.mark.postgres_only
def test_postgresql_plans_for_data_held_in_memory(app):
    """At PostgreSQL's default cost of a row read by index (4, for spinning disks), the
    dashboard's page of 25 actions hashed every user of every authority to name the owners.
    The app gives every connection the cost for memory and SSD, however it was opened."""
    with db.engine.connect() as connection:
        connection.rollback()  # a setting given when the connection opened survives this
        cost = connection.execute(sa.text("SHOW random_page_cost")).scalar()
    assert float(cost) == app.config["POSTGRES_RANDOM_PAGE_COST"] == 1.1
