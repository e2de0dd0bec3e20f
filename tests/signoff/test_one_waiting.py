"""An action has at most one update awaiting approval: the rule refuses a second, pointing to
the one waiting, and the database holds the line when two arrive at the same moment."""

import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tests.conftest import text_of
from tests.factories import make_action, make_user, proposal
from workflow.core.errors import StaleError
from workflow.extensions import db
from workflow.models import ProgressUpdate, Role, UpdateState, User
from workflow.signoff import rules as signoff
from workflow.signoff.cover import set_cover

WAITING = "Another update to action 1.1 is awaiting approval"


def new_update(**overrides):
    data = {
        "narrative": "Second thoughts on the tracker.",
        "status": "in_progress",
        "rag": "green",
        "intent": "submit",
    }
    return data | overrides


def test_a_second_update_is_refused_with_a_link_to_the_one_waiting(world, login):
    client = login("manager")
    response = client.post(f"/actions/{world.action.id}/updates/new", data=new_update())
    assert response.status_code == 200
    page = text_of(response)
    assert WAITING in page and "Second thoughts on the tracker." in page  # what was typed
    assert f'href="/updates/{world.submitted.id}"' in response.get_data(as_text=True)
    assert "the update from Mo Manager, submitted" in page
    waiting = sa.select(sa.func.count(ProgressUpdate.id)).where(
        ProgressUpdate.action_id == world.action.id, ProgressUpdate.state == UpdateState.SUBMITTED
    )
    assert db.session.scalar(waiting) == 1
    # Saving it as a draft is fine: it can be submitted once the other is decided.
    data = new_update(intent="draft")
    assert client.post(f"/actions/{world.action.id}/updates/new", data=data).status_code == 302


def test_submitting_a_draft_while_another_waits_is_refused(world, login):
    client = login("manager")
    draft = world.draft
    response = client.post(
        f"/updates/{draft.id}/submit", data={"version": draft.version}, follow_redirects=True
    )
    assert WAITING in text_of(response)
    assert f'href="/updates/{world.submitted.id}"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ProgressUpdate, draft.id).state is UpdateState.DRAFT


def test_the_database_allows_one_waiting_update_per_action(world):
    world.draft.state = UpdateState.SUBMITTED
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.postgres_only
def test_two_submissions_at_the_same_moment_let_one_through(app, world, monkeypatch):
    delegate = world.users["other_manager"]
    world.action.delegate_id = delegate.id
    signoff.withdraw_update(world.users["manager"], world.submitted, world.submitted.version)
    theirs = signoff.draft_update(delegate, world.action, proposal("Theirs"), None, date.today())
    db.session.commit()
    drafts = [(world.users["manager"].id, world.submitted.id), (delegate.id, theirs.id)]
    barrier, outcomes = threading.Barrier(2), []
    checked = signoff._check_none_waiting

    def checked_then_wait(update):
        checked(update)  # neither sees the other yet: the database must decide
        barrier.wait()

    monkeypatch.setattr(signoff, "_check_none_waiting", checked_then_wait)

    def submit(author_id, update_id):
        with app.app_context():
            author = db.session.get(User, author_id)
            update = db.session.get(ProgressUpdate, update_id)
            try:
                signoff.submit_update(author, update, update.version)
                db.session.commit()
                outcomes.append("submitted")
            except StaleError as error:
                db.session.rollback()
                outcomes.append(error.message)

    threads = [threading.Thread(target=submit, args=draft) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refusal = signoff.AlreadyWaiting(world.action).message
    assert sorted(outcomes) == sorted(["submitted", refusal])


def test_the_queue_names_each_update_apart(world, login):
    admin, head = world.users["admin"], world.users["head"]
    colleague = make_user(world.authority, Role.SERVICE_MANAGER, "Meg Manager", world.area)
    second = make_action(admin, world.recommendation, colleague, world.area, reference="9.1")
    update = signoff.draft_update(colleague, second, proposal("Audit"), None, date.today())
    signoff.submit_update(colleague, update, update.version)
    # Covering for another head of the same area must not list anything twice.
    co_head = make_user(world.authority, Role.HEAD_OF_SERVICE, "Hal Head", world.area)
    set_cover(co_head, head.id, date.today(), date.today() + timedelta(days=3), date.today())
    db.session.commit()
    html = login("head").get("/awaiting-approval").get_data(as_text=True)
    links = [part.split("</a>")[0] for part in html.split('href="/updates/')[1:]]
    assert len(links) == 2
    assert len(set(links)) == 2
    assert any("Action 1.1" in link and "Mo Manager" in link for link in links)
    assert any("Action 9.1" in link and "Meg Manager" in link for link in links)
