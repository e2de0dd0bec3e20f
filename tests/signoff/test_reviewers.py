"""Every update has someone who may approve it: a head of its area other than the author,
else the director. Each combination of author and area staffing is walked through the real
approval route."""

from datetime import date

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from tests.factories import make_action, make_user, proposal
from workflow.accounts import rules as accounts
from workflow.core import permissions
from workflow.core.errors import RuleError
from workflow.extensions import db
from workflow.models import ProgressUpdate, Role, UpdateState, User
from workflow.signoff import rules as signoff
from workflow.signoff.queues import awaiting_approval

# (who writes the update, heads of service the area has: the author among them if a head,
#  who should be able to approve it)
STAFFING = [
    ("service_manager", 0, {"director"}),
    ("service_manager", 1, {"head 1"}),
    ("service_manager", 2, {"head 1", "head 2"}),
    ("head_of_service", 1, {"director"}),  # the author is the area's only head
    ("head_of_service", 2, {"head 2"}),
    ("director", 1, {"head 1"}),
    ("director", 2, {"head 1", "head 2"}),
]


def staffed_area(world, heads: int) -> tuple:
    area = accounts.create_service_area(world.authority, "Fostering")
    for n in range(1, heads + 1):
        name = f"head {n}"
        world.users[name] = make_user(world.authority, Role.HEAD_OF_SERVICE, f"Fay Head{n}", area)
    return area


def author_for(world, role: str, area) -> User:
    if role == "service_manager":
        world.users["author"] = make_user(world.authority, Role.SERVICE_MANAGER, "Sam Writer", area)
        return world.users["author"]
    return world.users["head 1"] if role == "head_of_service" else world.users["director"]


def may_approve(world, update) -> set[str]:
    return {key for key, user in world.users.items() if permissions.may_review(user, update)}


@pytest.mark.parametrize("role, heads, approvers", STAFFING)
def test_someone_may_approve_every_update(world, login, role, heads, approvers):
    area = staffed_area(world, heads)
    author = author_for(world, role, area)
    action = make_action(world.users["admin"], world.recommendation, author, area)
    update = signoff.draft_update(author, action, proposal("Panel running"), None, date.today())
    signoff.submit_update(author, update, update.version)
    db.session.commit()
    assert may_approve(world, update) == approvers
    for key, user in world.users.items():
        queue = db.session.scalars(awaiting_approval(user, date.today())).all()
        assert (update in queue) == (key in approvers), key

    reviewer = sorted(approvers)[0]
    client = login(reviewer)
    response = client.post(f"/updates/{update.id}/approve", data={"version": update.version})
    assert response.status_code == 302
    db.session.expire_all()
    approved = db.session.get(ProgressUpdate, update.id)
    assert (approved.state, approved.reviewer_id) == (
        UpdateState.APPROVED,
        world.users[reviewer].id,
    )


def test_a_director_with_no_head_in_the_area_needs_another_director(world, login):
    area = staffed_area(world, 0)
    director = world.users["director"]
    action = make_action(world.users["admin"], world.recommendation, director, area)
    update = signoff.draft_update(director, action, proposal("Board met"), None, date.today())
    with pytest.raises(RuleError, match="Nobody else can approve this update yet"):
        signoff.submit_update(director, update, update.version)
    # With a second director it goes to them.
    world.users["deputy director"] = make_user(world.authority, Role.DIRECTOR, "Dot Director")
    signoff.submit_update(director, update, update.version)
    db.session.commit()
    assert may_approve(world, update) == {"deputy director"}
    response = login("deputy director").post(
        f"/updates/{update.id}/approve", data={"version": update.version}
    )
    assert response.status_code == 302


def test_the_director_sees_the_queue_and_the_updates_no_head_can_approve(world, login):
    head = world.users["head"]
    action = world.action
    action.owner_id = head.id  # the head is the only head of their area
    signoff.withdraw_update(world.users["manager"], world.submitted, world.submitted.version)
    update = signoff.draft_update(head, action, proposal("My own work"), None, date.today())
    signoff.submit_update(head, update, update.version)
    db.session.commit()
    client = login("director")
    queue = client.get("/awaiting-approval")
    assert queue.status_code == 200
    assert "Action 1.1 : the update from Hugo Head" in text_of(queue)
    page = text_of(client.get(f"/updates/{update.id}"))
    assert "No other head of service of Children in care can decide this update" in page
    assert (
        client.post(f"/updates/{update.id}/approve", data={"version": update.version}).status_code
        == 302
    )


def test_when_the_only_other_head_leaves_the_update_goes_to_the_director(world):
    update, head = world.submitted, world.users["head"]
    assert not permissions.may_review(world.users["director"], update)
    db.session.execute(sa.update(User).where(User.id == head.id).values(active=False))
    db.session.expire_all()
    assert permissions.may_review(world.users["director"], update)
