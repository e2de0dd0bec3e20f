"""Search: the same cases give the same results on SQLite (LIKE) and PostgreSQL (full text)."""

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from tests.factories import make_action
from tests.oversight.conftest import approved_update, submitted_update
from workflow.extensions import db
from workflow.models import (
    Action,
    ActionStatus,
    Evidence,
    Inspection,
    ProgressUpdate,
    Rag,
    Recommendation,
)
from workflow.oversight import search
from workflow.signoff.evidence import add_link_evidence


@pytest.fixture
def corpus(world):
    """Actions, updates and evidence with words to find; names each by what it says."""
    admin, manager, head = world.users["admin"], world.users["manager"], world.users["head"]
    virtual = make_action(
        admin,
        world.recommendation,
        manager,
        world.area,
        description="Audit personal education plans each term",
        measure_of_success="Ninety percent of plans rated good",
    )
    approved = approved_update(
        manager,
        head,
        virtual,
        Rag.AMBER,
        narrative=("The virtual school audited forty plans; attendance panels met weekly."),
    )
    draft_by_other = submitted_update(
        world.users["other_manager"],
        make_action(
            admin,
            world.recommendation,
            world.users["other_manager"],
            world.area,
            description="Review placements",
            measure_of_success="All reviewed",
        ),
        Rag.GREEN,
        ActionStatus.IN_PROGRESS,
        narrative="Secret attendance figures awaiting review",
    )
    add_link_evidence(manager, world.draft, "https://intranet.example/a", "Attendance tracker")
    theirs = make_action(
        world.users["stranger"],
        world.other_recommendation,
        world.other_action.owner,
        world.other_area,
        description="Attendance audits in another council",
    )
    db.session.commit()
    return {
        "action": virtual,
        "approved": approved,
        "draft_by_other": draft_by_other,
        "draft": world.draft,
        "theirs": theirs,
    }


def found(user, text: str) -> set[tuple[str, int]]:
    results = search.search(user, text, per_page=100)
    return {(hit.kind, hit.update_id or hit.action_id) for hit in results.items}


CASES = [
    # (query, who searches, expected hits as (kind, name in the corpus))
    ("education plans", "viewer", {("action", "action")}),
    ("EDUCATION", "viewer", {("action", "action"), ("action", "world_action")}),
    ("ninety percent", "viewer", {("action", "action")}),
    ("education ninety", "viewer", {("action", "action")}),  # the action and its measure
    ("virtual school", "viewer", {("update", "approved")}),
    ("attendance", "viewer", {("update", "approved")}),
    ("attendance", "manager", {("update", "approved"), ("evidence", "draft")}),
    ("attendance", "other_manager", {("update", "approved"), ("update", "draft_by_other")}),
    ("attendance", "stranger", {("action", "stranger_action")}),
    ("weekly panels", "viewer", {("update", "approved")}),
    ("missing education", "viewer", {("action", "world_action")}),
    ("plans zebra", "viewer", set()),
    ("%", "viewer", set()),
    ("", "viewer", set()),
]


@pytest.mark.parametrize("query, who, expected", CASES)
def test_same_results_on_every_backend(query, who, expected, corpus, world):
    names = {
        ("action", "action"): ("action", corpus["action"].id),
        ("action", "world_action"): ("action", world.action.id),
        ("action", "stranger_action"): ("action", corpus["theirs"].id),
        ("update", "approved"): ("update", corpus["approved"].id),
        ("update", "draft_by_other"): ("update", corpus["draft_by_other"].id),
        ("evidence", "draft"): ("evidence", corpus["draft"].id),
    }
    assert found(world.users[who], query) == {names[item] for item in expected}


def test_search_page_shows_hits_and_pages(corpus, world, login):
    client = login("viewer")
    text = text_of(client.get("/search?q=attendance"))
    assert "1 result" in text and f"Update on action {corpus['action'].reference}" in text
    assert "Secret attendance" not in text
    assert client.get("/search?q=" + "x" * 300).status_code == 200
    assert "Enter 200 characters or fewer" in text_of(client.get("/search?q=" + "x" * 300))
    assert "Search" in text_of(client.get("/search"))


def test_search_keeps_to_three_queries(corpus, world, count_queries):
    viewer = world.users["viewer"]
    assert viewer.authority_id  # loaded before counting
    with count_queries() as statements:
        search.search(viewer, "attendance plans")
    assert len(statements) <= 4  # BEGIN, count, page, their actions


def test_edited_text_is_found_by_its_new_words(corpus, world):
    # On PostgreSQL the database regenerates the stored words whenever the text changes.
    action = corpus["action"]
    action.description = "Quarterly fostering sufficiency review"
    db.session.commit()
    viewer = world.users["viewer"]
    assert found(viewer, "fostering sufficiency") == {("action", action.id)}
    assert found(viewer, "education plans") == set()


def test_every_searched_record_carries_its_parents_authority(corpus, world):
    # Search finds records by the authority they carry: it must be their action's, always.
    inspection_of_action = (
        sa.select(Inspection.authority_id)
        .join(Recommendation.inspection)
        .where(Recommendation.id == Action.recommendation_id)
        .scalar_subquery()
    )
    actions = db.session.execute(sa.select(Action.authority_id, inspection_of_action)).all()
    assert {own for own, _ in actions} == {world.authority.id, world.other_authority.id}
    assert all(own == parent for own, parent in actions)
    for model in (ProgressUpdate, Evidence):
        rows = db.session.execute(
            sa.select(model.authority_id, Action.authority_id).join(
                Action, Action.id == model.action_id
            )
        ).all()
        assert rows and all(own == parent for own, parent in rows)
