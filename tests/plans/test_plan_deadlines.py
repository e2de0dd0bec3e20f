"""Working days and the Ofsted deadlines: weekends and England's bank holidays are skipped."""

from datetime import date

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from workflow.core.deadlines import (
    add_working_days,
    draft_plan_due_date,
    inspection_deadlines,
    is_working_day,
    plan_due_date,
    working_days_left,
)
from workflow.extensions import db
from workflow.models import InspectionKind
from workflow.planning import rules as planning


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (date(2022, 5, 18), 70, date(2022, 8, 26)),  # Wolverhampton: "this summer"
        (date(2023, 5, 9), 70, date(2023, 8, 16)),  # a published council's deadline
        # Easter 2023: Good Friday 7 April and Easter Monday 10 April are skipped.
        (date(2023, 4, 6), 1, date(2023, 4, 11)),
        # Christmas 2022 fell on a Sunday: the holidays moved to 26 and 27 December.
        (date(2022, 12, 23), 1, date(2022, 12, 28)),
        # The Platinum Jubilee: 2 and 3 June 2022 were bank holidays, 30 May no longer was.
        (date(2022, 6, 1), 1, date(2022, 6, 6)),
        (date(2022, 5, 27), 1, date(2022, 5, 30)),
        (date(2022, 5, 18), 0, date(2022, 5, 18)),
        (date(2022, 5, 20), 1, date(2022, 5, 23)),  # Friday to Monday
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


def test_bank_holidays_are_not_working_days():
    for day in (date(2022, 6, 2), date(2022, 6, 3), date(2023, 4, 7), date(2022, 12, 27)):
        assert not is_working_day(day)
    assert is_working_day(date(2022, 5, 30))  # the spring holiday moved to 2 June in 2022


def test_due_dates_and_days_left():
    assert plan_due_date(date(2022, 5, 18)) == date(2022, 8, 26)
    assert draft_plan_due_date(date(2022, 5, 18)) == date(2022, 6, 17)  # jubilee skipped
    assert working_days_left(date(2022, 8, 26), date(2022, 5, 18)) == 70
    assert working_days_left(date(2022, 8, 26), date(2022, 8, 26)) == 0
    assert working_days_left(date(2022, 8, 26), date(2022, 8, 29)) == -1  # 29th: holiday
    assert working_days_left(date(2022, 8, 26), date(2022, 8, 30)) == -1
    assert working_days_left(date(2022, 8, 26), date(2022, 8, 31)) == -2


def test_received_date_overrides_publication(world):
    inspection = world.inspection
    assert [d.due for d in inspection_deadlines(inspection, date(2022, 6, 1))] == [
        date(2022, 8, 26)
    ]
    inspection.received_on = date(2022, 5, 20)
    (deadline,) = inspection_deadlines(inspection, date(2022, 8, 26))
    assert deadline.due == date(2022, 8, 31)  # the 29th is the summer bank holiday
    assert deadline.summary == "2 working days left"


def test_a_focused_visit_with_a_priority_area_needs_a_draft_plan(world):
    admin = world.users["admin"]
    inspection = world.inspection
    inspection.kind = InspectionKind.FOCUSED_VISIT
    labels = [d.label for d in inspection_deadlines(inspection, date(2022, 6, 1))]
    assert labels == ["Action plan due"]
    planning.create_recommendation(
        admin,
        inspection,
        number=2,
        text="Priority: strategy meetings.",
        senior_lead=None,
        priority=True,
    )
    db.session.refresh(inspection)
    deadlines = inspection_deadlines(inspection, date(2022, 6, 1))
    assert [(d.label, d.due) for d in deadlines] == [
        ("Draft plan due", date(2022, 6, 17)),
        ("Action plan due", date(2022, 8, 26)),
    ]


def test_the_priority_box_on_the_recommendation_form(world, login):
    client = login("admin")
    data = {"number": "4", "text": "Priority area", "priority": "y"}
    client.post(f"/inspections/{world.inspection.id}/recommendations/new", data=data)
    world.inspection.kind = InspectionKind.FOCUSED_VISIT
    db.session.commit()
    page = text_of(client.get(f"/inspections/{world.inspection.id}"))
    assert "Draft plan due 17 June 2022" in page
    assert "Action plan due 26 August 2022" in page


def test_inspection_page_shows_the_deadline_with_days_left(world, login):
    page = text_of(login("viewer").get(f"/inspections/{world.inspection.id}"))
    assert "Action plan due 26 August 2022 (passed" in page
    assert "working days ago)" in page


def test_the_demo_inspection_is_due_on_26_august_2022(app):
    from workflow.demo import load_demo
    from workflow.models import Inspection

    load_demo(date.today())
    db.session.commit()
    wolverhampton = db.session.scalars(sa.select(Inspection).order_by(Inspection.id)).first()
    assert wolverhampton.received_on is None
    (deadline,) = inspection_deadlines(wolverhampton, date.today())
    assert deadline.due == date(2022, 8, 26)
