"""The delivery rating (RAG): the authority's RAG rules, written once.

The rules, as `definitions()` writes them out for the plan's key and the update form:
blue is complete; red is past its due date (from the morning after it) or a measure of
success off course; amber is not started with the authority's at-risk window or less to go;
green is the rest. A reviewer may approve another rating only with a written exception.

``Action.rag`` is stored: the rating the rules gave when the action last changed (an
approval, an edit of its due date, the morning job that marks actions past due), or a
reviewer's rating with its exception. Between those changes only time moves, and time can
only make the rules' rating worse (green, then amber as the due date nears, then red), so
the rating shown is the worse of the stored one and what the dates give today.
`delivery_rag` says that in Python and `delivery_rag_sql` in SQL, and every page, document,
count, chart and API answer reads one of the two: the stored and the shown rating cannot
disagree about the dates, even on a morning the job has not run yet.

An exception holds until the next approved update replaces it or the due date changes (the
rule that changes the date clears it: the reviewer judged the old date). One written before
the due date passed lapses when it passes, since the reviewer judged an action that was not
yet late; one written for an action already overdue was written knowing that, and holds.
"""

import functools
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from workflow.core.measures import MeasureSeries, approved_series
from workflow.models import Action, ActionStatus, Authority, Rag

# How much worse each rating is; blue (complete) is outside the scale.
_SEVERITY = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}

EXCEPTION_RULE = (
    "A reviewer may approve a different rating only with a written exception, shown beside "
    "the rating. An exception ends with the next approved update or a change of due date; "
    "one written on or before the due date also ends the day after it."
)


def rules_rag(
    action: Action,
    today: date,
    *,
    status: ActionStatus | None = None,
    due_date: date | None = None,
    measure_values: dict[int, tuple[Decimal, date]] | None = None,
) -> Rag:
    """The rating the RAG rules give the action as it is, or as a proposal would leave it
    (its status, due date and measure values in place of the action's own)."""
    status = status or action.status
    off_course = status is not ActionStatus.COMPLETE and measures_off_course(
        action, measure_values or {}
    )
    return _by_the_rules(
        status, due_date or action.due_date, today, at_risk_days(action), off_course
    )


def _by_the_rules(
    status: ActionStatus, due: date, today: date, window: int, off_course: bool
) -> Rag:
    if status is ActionStatus.COMPLETE:
        return Rag.BLUE
    if due < today or off_course:
        return Rag.RED
    if status is ActionStatus.NOT_STARTED and (due - today).days <= window:
        return Rag.AMBER
    return Rag.GREEN


def measures_off_course(action: Action, proposed: dict[int, tuple[Decimal, date]]) -> bool:
    """Whether any measure's latest value, approved or proposed, is behind the straight line
    from its baseline to its target (core/measures.on_course) and short of the target."""
    for series in approved_series(action.id):
        points = series.points[1:]  # the reported values; the first point is the baseline
        if series.measure.id in proposed:
            value, as_of = proposed[series.measure.id]
            points = [*points, (as_of, value)]
        if points and MeasureSeries(series.measure, points).status == "Off course":
            return True
    return False


def at_risk_days(action: Action) -> int:
    return action.authority.rag_at_risk_days


def delivery_rag(action: Action, today: date) -> Rag:
    """The delivery rating every output shows: the stored one, made worse by the dates."""
    if action.status is ActionStatus.COMPLETE:
        return Rag.BLUE
    if exception_stands(action, today):
        return action.rag
    by_the_dates = _by_the_rules(action.status, action.due_date, today, at_risk_days(action), False)
    return max(action.rag, by_the_dates, key=_SEVERITY.__getitem__)


def delivery_rag_sql(today: date, authority: Authority) -> sa.ColumnElement[Rag]:
    """delivery_rag() as a column, for the counts, filters and lists of one authority."""
    return _delivery_rag_sql(today, authority.rag_at_risk_days)


# Built once for each day and window: a page asks for it up to three times, and an SQL
# expression is never changed once made, so one serves every request of the day.
@functools.lru_cache(maxsize=64)
def _delivery_rag_sql(today: date, at_risk_days: int) -> sa.ColumnElement[Rag]:
    soon = today + timedelta(days=at_risk_days)
    return sa.case(
        (Action.status == ActionStatus.COMPLETE, _rag(Rag.BLUE)),
        (exception_stands_sql(today), Action.rag),
        (Action.due_date < today, _rag(Rag.RED)),
        (Action.rag == Rag.RED, _rag(Rag.RED)),
        (
            sa.and_(Action.status == ActionStatus.NOT_STARTED, Action.due_date <= soon),
            _rag(Rag.AMBER),
        ),
        else_=Action.rag,
    )


def _rag(rag: Rag) -> sa.ColumnElement[Rag]:
    return sa.literal(rag, Action.__table__.c.rag.type)


def exception_stands(action: Action, today: date) -> bool:
    """Whether the reviewer's written exception still holds (see the module's docstring)."""
    if action.rag_exception is None:
        return False
    return action.due_date >= today or action.rag_exception_on > action.due_date


def exception_stands_sql(today: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        Action.rag_exception.is_not(None),
        sa.or_(Action.due_date >= today, Action.rag_exception_on > Action.due_date),
    )


def definitions(authority: Authority) -> list[tuple[Rag, str]]:
    """The rules as the authority's key states them, in the order of the ratings."""
    window = authority.rag_at_risk_days
    amber = (
        "Not started on its due date."
        if window == 0
        else f"Not started, with {window} day{'s' * (window != 1)} or fewer to its due date."
    )
    return [
        (
            Rag.RED,
            "Not complete and past its due date (from the day after it), or the latest "
            "value of a measure of success is behind the straight line from its baseline "
            "to its target.",
        ),
        (Rag.AMBER, amber),
        (
            Rag.GREEN,
            "Not complete, not red and not amber: on time, with every measure of success "
            "on course.",
        ),
        (Rag.BLUE, "Complete: delivered, with evidence approved."),
    ]
