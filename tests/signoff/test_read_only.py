"""Read-only people stay read-only: they cannot be made an action's owner or delegate, never
write updates, and see approved information only."""

import re

import pytest

from tests.conftest import text_of
from tests.factories import make_action
from workflow.core.errors import RuleError
from workflow.extensions import db
from workflow.signoff import rules as signoff


def offered_owners(html: str) -> list[str]:
    select = html[
        html.index('name="owner_id"') : html.index("</select>", html.index('name="owner_id"'))
    ]
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r">([^<]+)</option>", select)]


def test_only_people_who_may_write_updates_are_offered_as_owners(world, login):
    client = login("admin")
    edit = offered_owners(client.get(f"/actions/{world.action.id}/edit").get_data(as_text=True))
    assert edit == [
        "Select an owner",
        "Dina Director (director)",
        "Hugo Head (head of service, Children in care)",
        "Mia Manager (service manager)",
        "Mo Manager (service manager)",
        "Pat Partner (partner contributor)",  # invited to this action
    ]
    # A new action's area is not chosen yet: heads of every area are offered, by area.
    url = f"/recommendations/{world.recommendation.id}/actions/new"
    new = offered_owners(client.get(url).get_data(as_text=True))
    assert "Hana Head (head of service, Education inclusion)" in new
    assert not any("Vic Viewer" in option or "Ada Admin" in option for option in new)
    assert not any("Pat Partner" in option for option in new)  # invited to no new action


@pytest.mark.parametrize("who", ["viewer", "admin", "other_head", "partner"])
def test_the_rule_refuses_an_owner_who_may_not_write_updates(world, who):
    with pytest.raises(RuleError, match="Select a service manager, a head of service of Children"):
        make_action(world.users["admin"], world.recommendation, world.users[who], world.area)
    with pytest.raises(RuleError, match="Select a service manager") as refused:
        make_action(
            world.users["admin"],
            world.recommendation,
            world.users["manager"],
            world.area,
            delegate_id=world.users[who].id,
        )
    assert refused.value.field == "delegate_id"


def test_a_viewer_left_as_owner_still_cannot_write_updates(world, login):
    world.action.owner_id = world.users["viewer"].id  # set before the rule existed
    db.session.commit()
    client = login("viewer")
    assert client.get(f"/actions/{world.action.id}/updates/new").status_code == 403
    assert "Write a progress update" not in text_of(client.get(f"/actions/{world.action.id}"))


def test_a_viewer_sees_approved_information_only(world, login):
    client = login("viewer")
    waiting = world.submitted
    action_page = text_of(client.get(f"/actions/{world.action.id}"))
    assert "Tracker live" not in action_page
    assert "Update submitted for approval" not in action_page
    assert client.get(f"/updates/{waiting.id}").status_code == 404
    assert client.get(f"/evidence/{world.evidence.id}/download").status_code == 404
    assert "Tracker live" not in text_of(client.get("/search?q=tracker+live"))

    signoff.approve_update(world.users["head"], waiting, waiting.version)
    db.session.commit()
    action_page = text_of(client.get(f"/actions/{world.action.id}"))
    assert "Tracker live" in action_page and "Update submitted for approval" in action_page
    assert client.get(f"/updates/{waiting.id}").status_code == 200
    response = client.get(f"/evidence/{world.evidence.id}/download")
    assert response.status_code == 200
    response.close()
