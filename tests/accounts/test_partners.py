"""Partner contributors: invited to named actions, they report on those and reach nothing
else of the authority (404 for its records, 403 for its pages), the API and the calendar
feed included. Their updates go through the same sign-off as anyone's."""

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command
from flask_migrate import upgrade

from tests.conftest import text_of
from tests.factories import make_action, make_user, migrations_head
from tests.test_hostile_input import HOSTILE, check_answer, database_state
from workflow.accounts import invitations, partners
from workflow.api import tokens
from workflow.core import permissions
from workflow.core.errors import RuleError
from workflow.extensions import db, init_migrations
from workflow.models import (
    Action,
    ActionPartner,
    AuditEvent,
    Evidence,
    IdentityProvider,
    Invitation,
    InvitationAction,
    ProgressUpdate,
    Role,
    UpdateState,
    User,
    utcnow,
)
from workflow.planning import rules as planning


@pytest.fixture
def second_action(world) -> Action:
    """Another action of the same authority, which the world's partner was not invited to."""
    action = make_action(
        world.users["admin"], world.recommendation, world.users["manager"], world.area
    )
    db.session.commit()
    return action


def invite_partner(client, action_ids, email="priya.nhs@health.example"):
    data = {
        "name": "Priya Nurse",
        "email": email,
        "role": "partner",
        "service_area_id": "",
        "action_ids": action_ids,
    }
    return client.post("/users/new", data=data)


def link_in(message) -> str:
    return re.search(r"http://localhost(/invitations/\S+)", message.get_content()).group(1)


def places() -> set[tuple[int, int]]:
    rows = db.session.execute(sa.select(ActionPartner.user_id, ActionPartner.action_id))
    return {tuple(row) for row in rows}


def test_a_partner_is_invited_to_named_actions_and_joins_them(
    app, login, world, second_action, smtp_server
):
    client = login("admin")
    page = text_of(client.get("/users/new"))
    assert "Partner contributor" in page and f"Action {second_action.reference}" in page
    response = invite_partner(client, [world.action.id, second_action.id])
    assert response.status_code == 302
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.role == Role.PARTNER))
    named = db.session.scalars(
        sa.select(InvitationAction.action_id).where(InvitationAction.invitation_id == invitation.id)
    ).all()
    assert sorted(named) == sorted([world.action.id, second_action.id])
    assert invitation.service_area_id is None
    created = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "invitation"))
    assert "invited as Partner contributor to report on actions" in created.summary

    listing = text_of(client.get("/users/invitations"))
    assert f"Action {world.action.reference}, {second_action.reference}" in listing
    (message,) = smtp_server.to("priya.nhs@health.example")
    person = app.test_client()
    assert (
        person.post(link_in(message), data={"password": "tangerine-otter-lighthouse"}).status_code
        == 302
    )
    partner = db.session.scalar(sa.select(User).where(User.email == "priya.nhs@health.example"))
    assert partner.role is Role.PARTNER
    assert {(partner.id, world.action.id), (partner.id, second_action.id)} <= places()
    joined = db.session.scalars(
        sa.select(AuditEvent.action_id).where(AuditEvent.verb == "partner_added")
    ).all()
    assert world.action.id in joined and second_action.id in joined
    home = text_of(person.get("/"))
    assert "Your work" in home and world.action.description[:30] in home


def test_inviting_a_partner_needs_actions_of_this_authority(login, world, smtp_server):
    client = login("admin")
    for chosen, message in [
        ([], "Select at least one action for the partner to report on"),
        ([world.other_action.id], "Select actions from the list"),
        (["not-a-number"], "Select actions from the list"),
        (["99999999999999999999999"], "Select actions from the list"),
    ]:
        before = database_state()
        response = invite_partner(client, chosen)
        assert response.status_code == 200 and message in text_of(response), chosen
        assert database_state() == before
    assert smtp_server.messages == []


def test_hostile_values_in_the_partner_invitation(login, world, smtp_server):
    client = login("admin")
    for value in HOSTILE:
        before = database_state()
        response = invite_partner(client, [value], email=value or "x")
        check_answer(response, before, "/users/new", value)
        assert response.status_code == 200


def test_the_partner_sees_their_action_and_nothing_else(world, login, second_action):
    client = login("partner")
    home = text_of(client.get("/"))
    assert world.action.description[:30] in home and "partner contributor" in home
    assert f"/actions/{second_action.id}" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/actions/{world.action.id}").status_code == 200
    hidden = [
        f"/actions/{second_action.id}",
        f"/actions/{second_action.id}/updates/new",
        f"/actions/{world.other_action.id}",
        f"/updates/{world.draft.id}",
        f"/updates/{world.submitted.id}",
        f"/evidence/{world.evidence.id}/download",
        f"/inspections/{world.inspection.id}",
        f"/inspections/{world.inspection.id}/plan",
        f"/inspections/{world.inspection.id}/dashboard",
        f"/recommendations/{world.recommendation.id}",
    ]
    assert {url: client.get(url).status_code for url in hidden} == {url: 404 for url in hidden}
    closed = ["/inspections", "/dashboard", "/dashboard.csv", "/search?q=tracking"]
    closed += ["/awaiting-approval", "/users", "/account/api-tokens/new"]
    closed += [f"/imports/{world.report_import.id}", "/audit"]  # administrators' own
    assert {url: client.get(url).status_code for url in closed} == {url: 403 for url in closed}
    header = client.get("/my-actions").get_data(as_text=True)
    assert 'href="/my-actions"' in header
    for address in ("/inspections", "/dashboard", "/search"):
        assert f'href="{address}"' not in header
    # The action's page shows no one else's updates or evidence.
    page = text_of(client.get(f"/actions/{world.action.id}"))
    assert "Tracker live" not in page and "Drafting" not in page and "No progress updates" in page


def test_the_partner_writes_an_update_with_evidence_and_the_head_approves(world, login):
    signoff_waiting = world.submitted
    login("manager").post(
        f"/updates/{signoff_waiting.id}/withdraw", data={"version": signoff_waiting.version}
    )
    client = login("partner")
    data = {
        "narrative": "The school nursing team now joins the weekly panel.",
        "status": "in_progress",
        "rag": "green",
        "intent": "submit",
        "privacy_confirmed": "y",
        "file": (io.BytesIO(b"Panel attendance, March\n"), "attendance.txt"),
        "file_title": "Panel attendance",
    }
    response = client.post(
        f"/actions/{world.action.id}/updates/new", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302, text_of(response)[:400]
    update = db.session.scalar(
        sa.select(ProgressUpdate).where(ProgressUpdate.author_id == world.users["partner"].id)
    )
    assert update.state is UpdateState.SUBMITTED
    (evidence,) = db.session.scalars(sa.select(Evidence).where(Evidence.update_id == update.id))
    assert client.get(f"/updates/{update.id}").status_code == 200
    download = client.get(f"/evidence/{evidence.id}/download")
    assert download.status_code == 200 and download.get_data() == b"Panel attendance, March\n"
    download.close()
    # The same sign-off: the area's head decides it, not the director (the area has a head).
    assert permissions.may_review(world.users["head"], update)
    assert not permissions.may_review(world.users["director"], update)
    assert not permissions.may_review(world.users["partner"], update)
    head = login("head")
    approved = head.post(
        f"/updates/{update.id}/approve",
        data={"version": update.version, "privacy_confirmed": "y"},
    )
    assert approved.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgressUpdate, update.id).state is UpdateState.APPROVED
    page = text_of(login("partner").get(f"/actions/{world.action.id}"))
    assert "school nursing team" in page and "Panel attendance" in page


def test_a_partner_is_offered_as_owner_only_of_an_action_they_were_invited_to(
    world, login, second_action
):
    partner = world.users["partner"]
    assert permissions.can_own_action(partner, world.area.id, world.action.id)
    assert not permissions.can_own_action(partner, world.area.id, second_action.id)
    assert not permissions.can_own_action(partner, None)
    client = login("admin")
    invited = client.get(f"/actions/{world.action.id}/edit").get_data(as_text=True)
    other = client.get(f"/actions/{second_action.id}/edit").get_data(as_text=True)
    new = client.get(f"/recommendations/{world.recommendation.id}/actions/new")
    assert "Pat Partner" in invited
    assert "Pat Partner" not in other and "Pat Partner" not in new.get_data(as_text=True)
    with pytest.raises(RuleError):
        planning.create_action(
            world.users["admin"],
            world.recommendation,
            reference="1.9",
            description="Joint visits with the health visitors.",
            owner_id=partner.id,
            delegate_id=None,
            service_area_id=world.area.id,
            start_date=date(2022, 6, 1),
            due_date=date(2030, 6, 30),
            measure_of_success="Every family is visited jointly.",
        )
    db.session.rollback()


def test_a_partner_is_never_the_plans_owner(world):
    with pytest.raises(RuleError, match="council's own staff"):
        planning.edit_inspection(
            world.users["admin"],
            world.inspection,
            world.inspection.version,
            [(j.area, j.grade) for j in world.inspection.judgements],
            plan_owner_id=world.users["partner"].id,
        )
    db.session.rollback()
    assert world.inspection.plan_owner_id != world.users["partner"].id


def test_the_api_and_the_calendar_feed_stop_at_the_partners_actions(world, login, second_action):
    partner = world.users["partner"]
    client = login("partner")
    assert (
        client.post("/account/api-tokens/new", data={"name": "BI", "lifetime": "30"}).status_code
        == 403
    )
    assert "no API tokens" in text_of(client.get("/account/access"))
    # A token made before (or around) the page still opens nothing.
    secret = tokens.create_api_token(partner, "Old", 30, utcnow())
    feed_secret = tokens.reset_calendar_token(partner)
    db.session.commit()
    api = client.application.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    for url in ("/api/v1/actions", f"/api/v1/actions/{world.action.id}", "/api/v1/inspections"):
        assert api.get(url, headers=auth).status_code == 403, url
    feed = api.get(f"/calendar/{feed_secret}.ics").get_data(as_text=True)
    assert f"/actions/{world.action.id}" in feed
    assert f"/actions/{second_action.id}" not in feed


def test_nobody_becomes_or_stops_being_a_partner_by_an_edit(world, login):
    client = login("admin")
    partner, manager = world.users["partner"], world.users["manager"]
    for person, role, message in [
        (partner, "viewer", "role cannot be changed"),
        (manager, "partner", "Invite a partner contributor"),
    ]:
        data = {
            "name": person.name,
            "email": person.email,
            "role": role,
            "service_area_id": person.service_area_id or "",
            "active": "y",
            "version": person.version,
        }
        before = database_state()
        response = client.post(f"/users/{person.id}/edit", data=data)
        assert response.status_code == 200 and message in text_of(response)
        assert database_state() == before


def test_an_administrator_changes_the_partners_actions(world, login, second_action):
    partner = world.users["partner"]
    client = login("admin")
    page = text_of(client.get(f"/users/{partner.id}/edit"))
    assert f"Action {world.action.reference}" in page
    response = client.post(
        f"/users/{partner.id}/actions",
        data={"action_ids": [second_action.id], "version": partner.version},
    )
    assert response.status_code == 302
    assert places() == {(partner.id, second_action.id)}
    verbs = db.session.scalars(
        sa.select(AuditEvent.verb)
        .where(AuditEvent.object_type == "user_account")
        .where(AuditEvent.object_id == partner.id)
        .order_by(AuditEvent.id)
    ).all()
    assert verbs[-2:] in (
        ["partner_added", "partner_removed"],
        ["partner_removed", "partner_added"],
    )
    partner_client = login("partner")
    assert partner_client.get(f"/actions/{world.action.id}").status_code == 404
    assert partner_client.get(f"/actions/{second_action.id}").status_code == 200


def test_hostile_values_in_the_partners_actions_form(world, login):
    partner = world.users["partner"]
    client = login("admin")
    url = f"/users/{partner.id}/actions"
    for value in [*HOSTILE, str(world.other_action.id)]:
        before = database_state()
        response = client.post(url, data={"action_ids": value, "version": partner.version})
        check_answer(response, before, url, value)
        assert response.status_code == 200 and "There is a problem" in text_of(response)
    assert places() == {(partner.id, world.action.id)}
    # A stale form (the version the page showed has moved on) saves nothing either.
    stale = client.post(url, data={"action_ids": world.action.id, "version": "0"})
    assert stale.status_code == 200 and places() == {(partner.id, world.action.id)}


def test_only_partners_have_actions_to_manage_and_only_partners_are_added(world, login):
    client = login("admin")
    assert client.get(f"/users/{world.users['manager'].id}/actions").status_code == 404
    with pytest.raises(RuleError):
        partners.add_to_action(world.users["admin"], world.users["viewer"], world.action, utcnow())
    db.session.rollback()


def test_a_partner_of_another_authority_reaches_none_of_ours(world, login):
    theirs = make_user(world.other_authority, Role.PARTNER, "Quinn Police")
    partners.add_to_action(world.users["stranger"], theirs, world.other_action, utcnow())
    db.session.commit()
    assert permissions.is_invited_to(theirs, world.other_action.id)
    assert not permissions.is_invited_to(theirs, world.action.id)
    with pytest.raises(RuleError):
        partners.add_to_action(world.users["stranger"], theirs, world.action, utcnow())
    db.session.rollback()
    client = login("stranger")  # their administrator, who cannot offer our actions either
    response = client.post(
        f"/users/{theirs.id}/actions",
        data={"action_ids": world.action.id, "version": theirs.version},
    )
    assert response.status_code == 200 and "Select actions from the list" in text_of(response)


def test_partners_sign_in_with_a_password_where_staff_use_single_sign_on_only(
    app, client, world, smtp_server
):
    # Partners have no account with the council's identity provider: a password is their way in.
    provider = IdentityProvider(
        authority=world.authority,
        issuer="https://login.northbrook.example",
        client_id="action-plans",
        email_domains="northbrook.example",
        sso_only=True,
    )
    db.session.add(provider)
    db.session.commit()
    manager, partner = world.users["manager"], world.users["partner"]
    refused = client.post("/sign-in", data={"email": manager.email, "password": world.password})
    assert "Your council signs in with single sign-on" in text_of(refused)
    signed_in = client.post("/sign-in", data={"email": partner.email, "password": world.password})
    assert signed_in.status_code == 302
    invitation, token = invitations.invite_user(
        world.users["admin"],
        world.authority,
        email="sam.police@police.example",
        name="Sam Constable",
        role=Role.PARTNER,
        service_area=None,
        now=utcnow(),
        action_ids=[world.action.id],
    )
    db.session.commit()
    person = app.test_client()
    joined = person.post(f"/invitations/{token}", data={"password": "tangerine-otter-lighthouse"})
    assert joined.status_code == 302
    assert (invitation.user_id, world.action.id) in places()


def test_downgrading_past_the_partners_migration_is_refused_while_partners_exist(app, world):
    """The older code knows no partner role: it would read a partner as nobody it knows."""
    place = (world.users["partner"].id, world.action.id)
    db.session.commit()
    db.session.remove()
    init_migrations(app)
    config = app.extensions["migrate"].migrate.get_config()
    try:
        with pytest.raises(RuntimeError, match="Partner contributor accounts or invitations"):
            command.downgrade(config, "frozen_files")  # Alembic itself, for the refusal's message
    finally:
        db.session.remove()
        upgrade()
    version = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    assert version == migrations_head()
    assert places() == {place}
