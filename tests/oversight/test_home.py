"""Each role lands on a home page that shows its own work."""

from datetime import date, timedelta

from tests.conftest import text_of
from tests.factories import make_action
from tests.oversight.conftest import approved_update
from workflow.extensions import db
from workflow.models import ActionStatus, Rag
from workflow.signoff.rules import approve_update, return_update


def test_service_manager_sees_their_actions_by_due_date_and_returned_updates(world, login):
    admin, manager = world.users["admin"], world.users["manager"]
    soon = make_action(
        admin,
        world.recommendation,
        manager,
        world.area,
        due_date=date.today() + timedelta(days=5),
        description="Soonest action",
    )
    make_action(
        admin,
        world.recommendation,
        world.users["other_manager"],
        world.area,
        description="Somebody else's action",
    )
    return_update(world.users["head"], world.submitted, world.submitted.version, "Add the dates")
    text = text_of(login("manager").get("/"))
    assert "Your work" in text
    assert text.index("Soonest action") < text.index("Track children missing from education")
    assert "Somebody else's action" not in text
    assert "rework your update" in text and "Add the dates" in text
    assert soon.reference in text


def test_head_of_service_sees_their_queue_and_their_areas_risks(world, login):
    admin, manager, head = world.users["admin"], world.users["manager"], world.users["head"]
    make_action(
        admin,
        world.recommendation,
        manager,
        world.area,
        description="Late one",
        start_date=date(2022, 1, 1),
        due_date=date.today() - timedelta(days=1),
    )
    risky = make_action(admin, world.recommendation, manager, world.area, description="Risky one")
    approved_update(manager, head, risky, Rag.AMBER)
    second_area = next(a for a in world.authority.service_areas if a.id != world.area.id)
    make_action(
        admin,
        world.recommendation,
        world.users["other_manager"],
        second_area,
        description="Other area late",
        due_date=date.today() - timedelta(days=1),
        start_date=date(2022, 1, 1),
    )
    text = text_of(login("head").get("/"))
    assert f"Review the update on action {world.action.reference}" in text
    overdue = text[text.index("Overdue actions") : text.index("Actions at risk")]
    assert "Late one" in overdue and "Other area late" not in overdue
    assert "Risky one" in text[text.index("Actions at risk") :]
    assert "No updates are waiting" in text_of(login("other_head").get("/"))


def test_director_sees_plans_to_issue_and_recommendations_ready_to_close(world, login):
    manager, head = world.users["manager"], world.users["head"]
    text = text_of(login("director").get("/"))
    assert "Never issued" in text and "No recommendation has all its actions complete" in text
    # The world's submitted update is in the way: approve it, then complete the action.
    approve_update(head, world.submitted, world.submitted.version)
    approved_update(manager, head, world.action, Rag.GREEN, ActionStatus.COMPLETE)
    db.session.commit()
    text = text_of(login("director").get("/"))
    assert "Recommendation 1: Track children missing education." in text


def test_viewers_and_administrators_land_on_the_dashboard(world, login):
    for who in ("viewer", "admin"):
        response = login(who).get("/")
        assert response.status_code == 302 and response.location.endswith("/dashboard")


def test_home_pages_keep_to_a_few_queries(world, login, count_queries):
    for who, limit in (("manager", 10), ("head", 12), ("director", 8)):
        client = login(who)
        client.get("/")
        with count_queries() as statements:
            client.get("/")
        assert len(statements) <= limit, (who, len(statements))


def test_long_lists_show_the_first_few_and_say_how_many_more(world, login):
    admin, manager = world.users["admin"], world.users["manager"]
    for _ in range(12):
        make_action(admin, world.recommendation, manager, world.area)
    text = text_of(login("manager").get("/"))
    assert "And 3 more." in text  # 13 open actions, 10 shown
