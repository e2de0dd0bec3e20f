"""Working days in England and the Ofsted deadlines for a written action plan.

The plan is due 70 working days after the council receives the report; when a focused visit
names areas for priority action, a draft plan is due within 20 working days as well. Days
are counted from the day after receipt, skipping weekends and England's bank holidays.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from workflow.models import Inspection, InspectionKind

PLAN_WORKING_DAYS = 70
DRAFT_PLAN_WORKING_DAYS = 20


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    # Frozen per year: the holidays object fills itself in lazily, which is not thread-safe.
    # The library loads every country's calendar, so it is imported on first use, not at start.
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, n: int) -> date:
    """The nth working day after start (start itself never counts)."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def earliest_start_within(today: date, n: int) -> date:
    """The first day from which n working days have not yet all passed by today: whatever
    started before it has waited more than n working days."""
    day = today
    while add_working_days(day - timedelta(days=1), n) >= today:
        day -= timedelta(days=1)
    return day


def plan_due_date(received: date) -> date:
    return add_working_days(received, PLAN_WORKING_DAYS)


def draft_plan_due_date(received: date) -> date:
    return add_working_days(received, DRAFT_PLAN_WORKING_DAYS)


def working_days_left(due: date, today: date) -> int:
    """Working days after today up to and including due; negative once due has passed
    (at least -1, so a deadline missed over a weekend never reads as due today)."""
    if due >= today:
        return _working_days_between(today, due)
    return -max(1, _working_days_between(due, today))


def _working_days_between(earlier: date, later: date) -> int:
    days = (later - earlier).days
    return sum(is_working_day(earlier + timedelta(days=i)) for i in range(1, days + 1))


@dataclass(frozen=True)
class Deadline:
    label: str
    due: date
    days_left: int

    @property
    def summary(self) -> str:
        """'12 working days left', 'due today' or 'passed 3 working days ago'."""
        if self.days_left == 0:
            return "Due today"
        if self.days_left > 0:
            return f"{self.days_left} working day{'s' * (self.days_left != 1)} left"
        late = -self.days_left
        return f"Passed {late:,} working day{'s' * (late != 1)} ago"


def inspection_deadlines(inspection: Inspection, today: date) -> list[Deadline]:
    """The deadlines an inspection's plan must meet; none until the report is received."""
    received = inspection.report_received_on
    if received is None:
        return []
    deadlines = []
    if needs_draft_plan(inspection):
        due = draft_plan_due_date(received)
        deadlines.append(Deadline("Draft plan due", due, working_days_left(due, today)))
    due = plan_due_date(received)
    deadlines.append(Deadline("Action plan due", due, working_days_left(due, today)))
    return deadlines


def needs_draft_plan(inspection: Inspection) -> bool:
    """A focused visit that names an area for priority action."""
    return inspection.kind is InspectionKind.FOCUSED_VISIT and any(
        r.priority for r in inspection.recommendations
    )
