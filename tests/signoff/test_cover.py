"""Cover for absent approvers: a head names a deputy for a period, who decides the area's
updates on the head's behalf; updates left waiting too long go to the director."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from tests.conftest import text_of
from tests.oversight.conftest import smtp_server  # noqa: F401  (the fixture)
from workflow.extensions import db
from workflow.models import AuditEvent, ProgressUpdate, ReviewCover, UpdateState
from workflow.signoff.cover import set_cover


def cover_form(deputy, starts: date, ends: date) -> dict:
    return {
        "deputy_id": str(deputy.id),
        "starts_on-day": str(starts.day),
        "starts_on-month": str(starts.month),
        "starts_on-year": str(starts.year),
        "ends_on-day": str(ends.day),
        "ends_on-month": str(ends.month),
        "ends_on-year": str(ends.year),
    }


def test_a_deputy_decides_for_the_absent_head_on_their_behalf(world, login, today):
    head, deputy, update = world.users["head"], world.users["other_head"], world.submitted
    client = login("head")
    form = cover_form(deputy, today, today + timedelta(days=7))
    assert client.post("/account/cover", data=form).status_code == 302
    assert "Hana Head decides your area's updates" in text_of(client.get("/"))
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "review_cover"))
    assert event.summary == "Hana Head named to cover for Hugo Head"

    client = login("other_head")
    queue = text_of(client.get("/awaiting-approval"))
    assert "You are covering for Hugo Head (Children in care)" in queue
    assert "Children in care, for Hugo Head" in queue
    page = text_of(client.get(f"/updates/{update.id}"))
    assert "You are deciding this update on behalf of Hugo Head" in page
    response = client.post(f"/updates/{update.id}/approve", data={"version": update.version})
    assert response.status_code == 302
    db.session.expire_all()
    update = db.session.get(ProgressUpdate, update.id)
    assert (update.state, update.reviewer_id, update.on_behalf_of_id) == (
        UpdateState.APPROVED,
        deputy.id,
        head.id,
    )
    approved = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.object_id == update.id, AuditEvent.verb == "approved"
        )
    )
    assert approved.summary == "Update approved by Hana Head on behalf of Hugo Head"
    assert approved.changes["on_behalf_of"] == "Hugo Head"
    assert "Approved by Hana Head on behalf of Hugo Head" in text_of(
        client.get(f"/updates/{update.id}")
    )


def test_the_cover_counts_only_within_its_period(world, login, today):
    head, deputy, update = world.users["head"], world.users["other_head"], world.submitted
    cover = set_cover(head, deputy.id, today + timedelta(days=1), today + timedelta(days=5), today)
    db.session.commit()
    client = login("other_head")
    assert "Nothing is waiting for you" in text_of(client.get("/awaiting-approval"))
    refused = client.post(f"/updates/{update.id}/approve", data={"version": update.version})
    assert refused.status_code == 403
    cover.starts_on, cover.ends_on = today - timedelta(days=5), today - timedelta(days=1)
    db.session.commit()
    refused = client.post(f"/updates/{update.id}/approve", data={"version": update.version})
    assert refused.status_code == 403
    assert db.session.get(ProgressUpdate, update.id).state is UpdateState.SUBMITTED


def test_the_cover_form_says_what_is_wrong_and_keeps_the_answers(world, login, today):
    client = login("head")
    deputy = world.users["other_head"]
    response = client.post(
        "/account/cover", data=cover_form(deputy, today + timedelta(days=3), today)
    )
    page = text_of(response)
    assert "The last day of the cover must be on or after the first day" in page
    assert f'value="{(today + timedelta(days=3)).day}"' in response.get_data(as_text=True)
    response = client.post("/account/cover", data={"starts_on-day": "1"})
    page = text_of(response)
    assert "Select who will decide your area's updates" in page
    # Nobody outside the offered people: not a viewer, not a service manager.
    viewer = world.users["viewer"]
    form = cover_form(viewer, today, today + timedelta(days=1))
    assert "Select another head of service or a director" in text_of(
        client.post("/account/cover", data=form)
    )
    assert db.session.scalar(sa.select(sa.func.count(ReviewCover.id))) == 0


def test_the_head_ends_the_cover(world, login, today):
    head, deputy = world.users["head"], world.users["other_head"]
    set_cover(head, deputy.id, today, today + timedelta(days=5), today)
    db.session.commit()
    response = login("head").post("/account/cover/clear", follow_redirects=True)
    assert "Your cover has ended" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(ReviewCover.id))) == 0
    assert db.session.scalar(sa.select(AuditEvent.summary).where(AuditEvent.verb == "cleared")) == (
        "Cover for Hugo Head by Hana Head ended"
    )
    update = world.submitted
    refused = login("other_head").post(
        f"/updates/{update.id}/approve", data={"version": update.version}
    )
    assert refused.status_code == 403


def submitted_days_ago(update: ProgressUpdate, days: int, today: date) -> None:
    update.submitted_at = datetime.combine(today - timedelta(days=days), datetime.min.time())
    db.session.commit()


def test_updates_waiting_more_than_5_working_days_reach_the_director(world, login, today):
    submitted_days_ago(world.submitted, 1, today)
    home = text_of(login("director").get("/"))
    assert "No update has waited more than 5 working days" in home
    submitted_days_ago(world.submitted, 10, today)
    home = text_of(login("director").get("/"))
    waiting = home[home.index("Updates waiting more than 5 working days") :]
    assert "Action 1.1 : the update from Mo Manager" in waiting


def test_the_director_and_the_deputy_are_emailed_about_updates_left_waiting(
    world,
    runner,
    smtp_server,  # noqa: F811
):
    today = date(2030, 3, 13)  # a Wednesday
    head, deputy = world.users["head"], world.users["other_head"]
    set_cover(head, deputy.id, today, today + timedelta(days=5), today)
    submitted_days_ago(world.submitted, 10, today)
    result = runner.invoke(args=["send-reminders", "--date", today.isoformat()])
    assert result.exit_code == 0, result.output
    [escalated] = smtp_server.to(world.users["director"].email)
    assert escalated["Subject"] == "1 update waiting more than 5 working days"
    assert "so they are escalated to you" in escalated.get_content()
    assert f"Action {world.action.reference}, from Mo Manager" in escalated.get_content()
    [covering] = smtp_server.to(deputy.email)
    assert covering["Subject"] == "1 update waiting for your approval"
    assert len(smtp_server.to(head.email)) == 1  # the head still hears of it too
