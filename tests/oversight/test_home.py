"""Each role lands on a home page that shows its own work."""

from datetime import date, timedelta

from flask import url_for

from tests.conftest import text_of
from tests.factories import make_action, make_inspection
from tests.oversight.conftest import approved_update
from workflow.extensions import db
from workflow.models import ActionStatus, Rag
from workflow.oversight import home
from workflow.planning import rules as planning
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
    assert f"Action {world.action.reference} : the update from Mo Manager, submitted" in text
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


def test_viewers_land_on_the_dashboard(world, login):
    response = login("viewer").get("/")
    assert response.status_code == 302 and response.location.endswith("/dashboard")


def test_the_administrator_sees_what_needs_doing_with_counts_and_links(world, login):
    admin, manager = world.users["admin"], world.users["manager"]
    empty = make_inspection(admin, start_date=date(2019, 1, 7), end_date=date(2019, 1, 18))
    bare = planning.create_recommendation(
        admin, world.inspection, number=2, text="Audit return home interviews.", senior_lead=None
    )
    leaver = make_action(admin, world.recommendation, manager, world.area, description="Left")
    manager.active = False
    db.session.commit()
    response = login("admin").get("/")
    html, text = response.get_data(as_text=True), text_of(response)
    assert response.status_code == 200 and "What needs doing" in text
    # The world has one import waiting; the manager's two open actions lost their owner.
    assert "1 import waiting for review" in text
    assert "1 inspection with no recommendations" in text
    assert "1 recommendation with no actions" in text
    assert "2 actions with no owner" in text
    assert f'href="/imports/{world.report_import.id}"' in html
    assert f'href="/inspections/{empty.id}"' in html
    assert f'href="/recommendations/{bare.id}"' in html
    assert f'href="/actions/{leaver.id}/edit"' in html
    assert "Improve early help" not in text  # another authority's loose ends are not ours


def test_an_administrator_with_nothing_to_do_is_told_so(world, login):
    db.session.delete(world.report_import)
    db.session.commit()
    text = text_of(login("admin").get("/"))
    assert "Nothing needs doing" in text


def test_every_administrator_check_gives_a_count_and_a_link(world, app):
    with app.test_request_context():
        to_do = home.admin_to_do(world.users["admin"], url_for)
    assert [item.key for item in to_do] == ["imports", "inspections", "recommendations", "actions"]
    assert all(url.startswith("/") for item in to_do for _, _, url in item.items)


def test_home_pages_keep_to_a_few_queries(world, login, count_queries):
    for who, limit in (("manager", 10), ("head", 12), ("director", 8), ("admin", 10)):
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
