"""The sign-off workflow through its pages and rules: who may do what, and nothing lost."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from tests.factories import attach_file, proposal, withdraw_waiting
from workflow.core import audit
from workflow.core.errors import RuleError, StaleError
from workflow.extensions import db
from workflow.models import Action, ActionStatus, AuditEvent, ProgressUpdate, Rag, UpdateState
from workflow.signoff import rules as signoff


def update_form(**overrides):
    data = {
        "narrative": "Weekly tracking meeting running since March.",
        "status": "in_progress",
        "rag": "green",
        "intent": "submit",
    }
    data.update(overrides)
    return data


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def test_submit_return_resubmit_approve_changes_the_action_only_on_approval(world, login, app):
    withdraw_waiting(world)
    action = world.action
    manager = login("manager")
    data = update_form(status="complete", rag="green", narrative="All children tracked weekly.")
    data["file"] = (__import__("io").BytesIO(b"Tracker extract\n"), "tracker.csv")
    response = manager.post(
        f"/actions/{action.id}/updates/new", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302, text_of(response)[:400]
    update = db.session.scalars(
        sa.select(ProgressUpdate).order_by(ProgressUpdate.id.desc())
    ).first()
    assert update.state is UpdateState.SUBMITTED and len(update.evidence) == 1
    assert fresh(Action, action.id).status is ActionStatus.NOT_STARTED

    head = login("head")
    page = text_of(head.get(f"/updates/{update.id}"))
    assert "Not started" in page and "Complete" in page  # the proposal beside the current values
    response = head.post(
        f"/updates/{update.id}/return", data={"version": update.version, "comment": ""}
    )
    assert "Enter a comment saying what needs to change" in text_of(response)
    head.post(
        f"/updates/{update.id}/return",
        data={"version": update.version, "comment": "Add the audit."},
    )
    update = fresh(ProgressUpdate, update.id)
    assert update.state is UpdateState.RETURNED
    assert [c.text for c in update.comments] == ["Add the audit."]
    assert fresh(Action, action.id).status is ActionStatus.NOT_STARTED

    manager = login("manager")
    assert "rework your update" in text_of(manager.get("/my-actions"))
    data = update_form(
        status="complete", narrative="All tracked; audit attached.", version=update.version
    )
    assert manager.post(f"/updates/{update.id}/edit", data=data).status_code == 302
    update = fresh(ProgressUpdate, update.id)
    assert update.state is UpdateState.SUBMITTED

    head = login("head")
    head.post(f"/updates/{update.id}/approve", data={"version": update.version})
    action = fresh(Action, action.id)
    assert (action.status, action.rag) == (ActionStatus.COMPLETE, Rag.BLUE)
    timeline = text_of(head.get(f"/actions/{action.id}"))
    for step in (
        "Update submitted for approval",
        "Update returned by Hugo Head",
        "Returned update reworked",
        "Update approved by Hugo Head",
    ):
        assert step in timeline
    assert audit.verify_chain().intact


def test_approval_applies_a_new_due_date_and_keeps_the_original(world):
    withdraw_waiting(world)
    manager, head, action = world.users["manager"], world.users["head"], world.action
    new_due = action.due_date + timedelta(days=60)
    update = signoff.draft_update(
        manager,
        action,
        proposal(
            "Slipped: waiting for the system change",
            due_date=new_due,
            due_date_reason="Supplier delay",
        ),
        None,
        date.today(),
    )
    signoff.submit_update(manager, update, update.version)
    signoff.approve_update(head, update, update.version)
    assert action.due_date == new_due
    assert action.original_due_date == date(2030, 6, 30)


def test_a_new_due_date_needs_a_reason(world):
    with pytest.raises(RuleError, match="reason for the new due date"):
        signoff.draft_update(
            world.users["manager"],
            world.action,
            proposal("x", due_date=date(2031, 1, 1)),
            None,
            date.today(),
        )


def test_complete_needs_evidence(world):
    withdraw_waiting(world)
    manager = world.users["manager"]
    update = signoff.draft_update(
        manager, world.action, proposal("Done", status=ActionStatus.COMPLETE), None, date.today()
    )
    with pytest.raises(RuleError, match="at least one piece of evidence"):
        signoff.submit_update(manager, update, update.version)


@pytest.mark.parametrize(
    "who, status",
    [("admin", 403), ("director", 403), ("manager", 403), ("other_head", 403), ("viewer", 404)],
)
def test_only_the_areas_head_may_approve(world, login, who, status):
    # The area has a head of service, so the director does not decide its updates; a viewer
    # cannot even see an update before it is approved.
    update = world.submitted
    response = login(who).post(f"/updates/{update.id}/approve", data={"version": update.version})
    assert response.status_code == status
    assert fresh(ProgressUpdate, update.id).state is UpdateState.SUBMITTED


def test_nobody_approves_their_own_update_even_a_head(world, login):
    withdraw_waiting(world)
    head, action = world.users["head"], world.action
    action.owner_id = head.id
    update = signoff.draft_update(head, action, proposal("My own work"), None, date.today())
    signoff.submit_update(head, update, update.version)
    db.session.commit()
    response = login("head").post(f"/updates/{update.id}/approve", data={"version": update.version})
    assert response.status_code == 403
    with pytest.raises(RuleError, match="cannot approve an update you wrote"):
        signoff.approve_update(head, update, update.version)


def test_overdue_is_red_by_the_rules_and_another_rating_needs_a_reason(world):
    action = world.action
    action.due_date = date.today() - timedelta(days=1)
    assert signoff.proposal_rag(action, proposal("x"), date.today()) is Rag.RED
    with pytest.raises(RuleError, match="give red"):
        signoff.draft_update(
            world.users["manager"], action, proposal("x", rag=Rag.GREEN), None, date.today()
        )
    update = signoff.draft_update(
        world.users["manager"],
        action,
        proposal("x", rag=Rag.GREEN, rag_reason="Date being agreed"),
        None,
        date.today(),
    )
    assert update.rag_reason == "Date being agreed"


def test_update_form_shows_the_authoritys_rag_rules_and_their_rating(world, login):
    world.authority.rag_at_risk_days = 45
    page = text_of(login("manager").get(f"/actions/{world.action.id}/updates/new"))
    assert "Not started, with 45 days or fewer to its due date." in page
    assert "The RAG rules give Green for this action" in page


def test_replayed_approval_changes_nothing(world, login):
    update = world.submitted
    head = login("head")
    head.post(f"/updates/{update.id}/approve", data={"version": update.version})
    approved_version = fresh(ProgressUpdate, update.id).version
    events = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    response = head.post(
        f"/updates/{update.id}/approve", data={"version": update.version - 0}, follow_redirects=True
    )
    assert "This update was approved by Hugo Head" in text_of(response)
    assert fresh(ProgressUpdate, update.id).version == approved_version
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == events


def test_stale_return_after_withdrawal_is_refused(world, login):
    update = world.submitted
    old_version = update.version
    login("manager").post(f"/updates/{update.id}/withdraw", data={"version": old_version})
    assert fresh(ProgressUpdate, update.id).state is UpdateState.DRAFT
    response = login("head").post(
        f"/updates/{update.id}/return",
        data={"version": old_version, "comment": "Too late"},
        follow_redirects=True,
    )
    assert "after you opened the page" in text_of(response)
    assert fresh(ProgressUpdate, update.id).state is UpdateState.DRAFT


def test_double_clicked_submit_creates_one_update(world, login):
    withdraw_waiting(world)
    manager = login("manager")
    data = update_form(token="a" * 32)
    first = manager.post(f"/actions/{world.action.id}/updates/new", data=data)
    second = manager.post(f"/actions/{world.action.id}/updates/new", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    count = db.session.scalar(
        sa.select(sa.func.count(ProgressUpdate.id)).where(
            ProgressUpdate.submission_token == "a" * 32
        )
    )
    assert count == 1


def test_stale_update_edit_keeps_what_was_typed(world, login):
    draft = world.draft
    manager = login("manager")
    old_version = draft.version
    manager.post(f"/updates/{draft.id}/edit", data=update_form(intent="draft", version=old_version))
    response = manager.post(
        f"/updates/{draft.id}/edit",
        data=update_form(intent="draft", narrative="My second thoughts", version=old_version),
    )
    page = text_of(response)
    assert "after you opened the page" in page and "My second thoughts" in page


@pytest.mark.postgres_only
def test_two_heads_approving_at_the_same_moment_apply_once(app, world, database_url):
    second_head = world.users["other_head"]
    second_head.service_area_id = world.area.id
    update_id, version = world.submitted.id, world.submitted.version
    head_ids = [world.users["head"].id, second_head.id]
    db.session.commit()
    barrier, outcomes = threading.Barrier(2), []

    def approve(head_id):
        with app.app_context():
            reviewer = db.session.get(type(world.users["head"]), head_id)
            update = db.session.get(ProgressUpdate, update_id)
            _ = update.action.status, update.evidence, update.author
            barrier.wait()
            try:
                signoff.approve_update(reviewer, update, version)
                db.session.commit()
                outcomes.append("approved")
            except StaleError:
                db.session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=approve, args=(h,)) for h in head_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    approvals = db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.verb == "approved")
    )
    assert approvals == 1
    assert audit.verify_chain().intact


def test_director_closes_a_recommendation_once_all_actions_are_complete(world, login):
    withdraw_waiting(world)
    manager, head, action = world.users["manager"], world.users["head"], world.action
    recommendation = world.recommendation
    director = login("director")
    assert (
        director.post(
            f"/recommendations/{recommendation.id}/close", data={"version": recommendation.version}
        ).status_code
        == 403
    )
    update = signoff.draft_update(
        manager, action, proposal("Done", status=ActionStatus.COMPLETE), None, date.today()
    )
    attach_file(manager, update, b"Final audit\n", "audit.txt")
    signoff.submit_update(manager, update, update.version)
    signoff.approve_update(head, update, update.version)
    db.session.commit()
    director.post(
        f"/recommendations/{recommendation.id}/close",
        data={"version": fresh(type(recommendation), recommendation.id).version},
    )
    recommendation = fresh(type(recommendation), recommendation.id)
    assert recommendation.is_closed and recommendation.closed_by.name == "Dina Director"
    response = director.post(
        f"/recommendations/{recommendation.id}/reopen",
        data={"version": recommendation.version, "reason": ""},
    )
    assert "Enter the reason for reopening" in text_of(response)
    director.post(
        f"/recommendations/{recommendation.id}/reopen",
        data={"version": recommendation.version, "reason": "Audit found gaps"},
    )
    assert not fresh(type(recommendation), recommendation.id).is_closed


def test_measure_values_count_once_approved(world, login):
    withdraw_waiting(world)
    admin = login("admin")
    response = admin.post(
        f"/actions/{world.action.id}/measures/new",
        data={
            "name": "Children in need seen within 5 days",
            "unit": "%",
            "baseline_value": "55.3",
            "baseline_date-day": "31",
            "baseline_date-month": "3",
            "baseline_date-year": "2019",
            "target_value": "90",
            "target_date-day": "31",
            "target_date-month": "3",
            "target_date-year": "2020",
            "higher_is_better": "yes",
        },
    )
    assert response.status_code == 302
    from workflow.models import Measure

    measure = db.session.scalar(sa.select(Measure))
    manager, head = world.users["manager"], world.users["head"]
    update = signoff.draft_update(
        manager,
        world.action,
        proposal("Improving", measure_values={measure.id: (Decimal("77.5"), date(2019, 9, 30))}),
        None,
        date.today(),
    )
    signoff.submit_update(manager, update, update.version)
    db.session.commit()
    page = text_of(login("viewer").get(f"/actions/{world.action.id}"))
    assert "77.5" not in page  # not yet approved
    signoff.approve_update(head, update, update.version)
    db.session.commit()
    page = text_of(login("viewer").get(f"/actions/{world.action.id}"))
    assert "Children in need seen within 5 days (%): On course" in page
    assert "30 September 2019 77.5" in page


def test_returned_update_resubmitted_and_approved_in_one_session(world):
    manager, head = world.users["manager"], world.users["head"]
    update = world.submitted
    signoff.return_update(head, update, update.version, "Say more")
    signoff.revise_update(manager, update, update.version, proposal("More said"), date.today())
    signoff.submit_update(manager, update, update.version)
    assert update.reviewer is None and update.last_comment.text == "Say more"
    signoff.approve_update(head, update, update.version)
    db.session.flush()
    assert (update.state, update.reviewer_id) == (UpdateState.APPROVED, head.id)


def test_demo_has_updates_in_every_state_and_a_returned_then_approved_history(runner):
    runner.invoke(args=["demo"])
    states = set(db.session.scalars(sa.select(ProgressUpdate.state)))
    assert states == set(UpdateState)
    verbs = [
        e.verb
        for e in db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.object_type == "progress_update")
            .order_by(AuditEvent.id)
        )
    ]
    assert "returned" in verbs and verbs.count("approved") >= 2
    from workflow.models import Evidence, EvidenceKind, MeasureValue

    kinds = set(db.session.scalars(sa.select(Evidence.kind)))
    assert kinds == {EvidenceKind.FILE, EvidenceKind.LINK}
    values = db.session.scalars(sa.select(MeasureValue.value)).all()
    assert Decimal("77.5") in values


def test_header_shows_what_is_waiting(world, login):
    page = text_of(login("head").get("/inspections"))
    assert "Awaiting approval (1" in page


def test_a_named_delegate_may_write_updates_but_not_others(world, login):
    withdraw_waiting(world)
    action = world.action
    action.delegate_id = world.users["other_manager"].id
    db.session.commit()
    response = login("other_manager").post(f"/actions/{action.id}/updates/new", data=update_form())
    assert response.status_code == 302
    assert login("viewer").get(f"/actions/{action.id}/updates/new").status_code == 403


def test_an_actions_history_comes_a_page_at_a_time(world, login):
    withdraw_waiting(world)
    manager, head, action = world.users["manager"], world.users["head"], world.action
    for n in range(8):  # three events each: drafted, submitted, approved
        update = signoff.draft_update(manager, action, proposal(f"Round {n}."), None, date.today())
        signoff.submit_update(manager, update, update.version)
        signoff.approve_update(head, update, update.version)
    db.session.commit()
    events = db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action_id == action.id)
    )
    assert events > 20
    client = login("head")  # who sees every event, drafts' and waiting updates' too
    first = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert first.count('class="app-timeline__item"') == 20
    assert 'aria-label="Pages of history"' in first
    rest = client.get(f"/actions/{action.id}?page=2").get_data(as_text=True)
    assert rest.count('class="app-timeline__item"') == events - 20
