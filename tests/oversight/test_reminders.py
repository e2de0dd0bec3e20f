"""send-reminders: digests delivered to a real local SMTP server, once a day."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from tests.factories import make_action
from workflow.extensions import db
from workflow.models import ProgressUpdate, ReminderLog

TODAY = date(2030, 3, 13)  # a Wednesday


def owner_actions(world):
    """Three actions of the manager's; the world's waiting update is kept fresh (no digest)."""
    admin, manager = world.users["admin"], world.users["manager"]
    submitted_on(world.submitted, TODAY)
    start = date(2030, 1, 1)
    return [
        make_action(
            admin,
            world.recommendation,
            manager,
            world.area,
            start_date=start,
            due_date=TODAY - timedelta(days=2),
            description="Overdue one",
        ),
        make_action(
            admin,
            world.recommendation,
            manager,
            world.area,
            start_date=start,
            due_date=TODAY + timedelta(days=14),
            description="Due in a fortnight",
        ),
        make_action(
            admin,
            world.recommendation,
            manager,
            world.area,
            start_date=start,
            due_date=TODAY + timedelta(days=15),
            description="Not yet",
        ),
    ]


def submitted_on(update: ProgressUpdate, day: date) -> None:
    update.submitted_at = datetime.combine(day, datetime.min.time())


def run(runner, day: date = TODAY):
    return runner.invoke(args=["send-reminders", "--date", day.isoformat()])


def test_owners_get_a_digest_of_actions_due_within_14_days_or_overdue(world, runner, smtp_server):
    owner_actions(world)
    db.session.commit()
    result = run(runner)
    assert result.exit_code == 0, result.output
    [message] = smtp_server.to(world.users["manager"].email)
    body = message.get_content()
    assert message["Subject"] == "2 actions due soon or overdue"
    assert message["From"] == "plans@council.example"
    assert "Overdue one" in body and "2 days overdue" in body
    assert "Due in a fortnight" in body and "Not yet" not in body
    assert "http://127.0.0.1:5000/actions/" in body and "/account/reminders" in body
    assert "Sent 1 reminder email " in result.output


def test_a_second_run_the_same_day_sends_nothing(world, runner, smtp_server):
    owner_actions(world)
    submitted_on(world.submitted, TODAY - timedelta(days=10))
    db.session.commit()
    assert run(runner).exit_code == 0
    first = len(smtp_server.messages)
    # The manager's actions, the head's waiting update, and that update escalated to the
    # director.
    assert first == 3
    again = run(runner)
    assert again.exit_code == 0 and "Sent 0 reminder emails" in again.output
    assert len(smtp_server.messages) == first
    assert db.session.scalar(sa.select(sa.func.count(ReminderLog.id))) == 3
    assert run(runner, TODAY + timedelta(days=1)).exit_code == 0
    assert len(smtp_server.messages) == 2 * first


def test_heads_hear_of_updates_waiting_more_than_5_working_days(world, runner, smtp_server):
    head = world.users["head"]
    # Friday 6 March: five working days later is Friday 13th; it is waiting "more than 5"
    # only from the Monday after. A bank holiday would push that further.
    submitted_on(world.submitted, date(2030, 3, 6))
    db.session.commit()
    run(runner, date(2030, 3, 13))
    assert smtp_server.to(head.email) == []
    run(runner, date(2030, 3, 14))
    [message] = smtp_server.to(head.email)
    assert message["Subject"] == "1 update waiting for your approval"
    assert f"Action {world.action.reference}, from Mo Manager" in message.get_content()
    assert smtp_server.to(world.users["other_head"].email) == []


def test_bank_holidays_are_not_working_days(world, runner, smtp_server):
    # Thursday 17 April 2030; Good Friday 19th and Easter Monday 22nd are bank holidays.
    submitted_on(world.submitted, date(2030, 4, 17))
    db.session.commit()
    run(runner, date(2030, 4, 25))  # 6 weekdays later, but only 4 working days
    assert smtp_server.to(world.users["head"].email) == []


def test_people_who_opted_out_get_nothing(world, runner, smtp_server, login):
    owner_actions(world)
    login("manager").post("/account/reminders", data={"digests": "stop"})
    assert run(runner).exit_code == 0
    assert smtp_server.messages == []
    login("manager").post("/account/reminders", data={"digests": "send"})
    run(runner)
    assert len(smtp_server.to(world.users["manager"].email)) == 1


def test_a_failed_send_is_tried_again_on_the_next_run(world, runner, app, smtp_server):
    owner_actions(world)
    db.session.commit()
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1  # nothing listens there
    failed = run(runner)
    assert failed.exit_code != 0 and "Could not reach the mail server" in failed.output
    assert db.session.scalar(sa.select(sa.func.count(ReminderLog.id))) == 0
    app.config["SMTP_PORT"] = port
    assert run(runner).exit_code == 0
    assert len(smtp_server.messages) == 1
