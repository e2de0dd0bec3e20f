"""The private calendar feed: a person's open actions as all-day events on their due dates."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import joinedload

if TYPE_CHECKING:
    import icalendar

from workflow.core.names import KIND_SHORT_NAMES, authority_short_name, first_words
from workflow.core.rag import delivery_rag, exception_stands
from workflow.core.tenancy import actions_of, reported_on_by
from workflow.extensions import db
from workflow.models import Action, ActionStatus, Inspection, Recommendation, User

PRODUCT = "-//Ofsted action plans//Due dates//EN"


def feed_actions(user: User) -> list[Action]:
    """The user's open actions (owned, delegated, or a partner's invited ones), in one query."""
    query = (
        actions_of(user)
        .where(
            reported_on_by(user),
            Action.status != ActionStatus.COMPLETE,
        )
        .options(
            joinedload(Action.recommendation)
            .joinedload(Recommendation.inspection)
            .joinedload(Inspection.authority)
        )
        .order_by(Action.due_date, Action.id)
    )
    return list(db.session.scalars(query))


def build_feed(
    user: User, actions: list[Action], link: Callable[[Action], str], host: str
) -> bytes:
    """An iCalendar (RFC 5545) document: one all-day event per action, on its due date."""
    import icalendar  # only the feed needs it: web workers start without it

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Action due dates: {user.name}")
    stamp, today = datetime.now(UTC), date.today()
    for action in actions:
        calendar.add_component(_event(action, link(action), host, stamp, today))
    return calendar.to_ical()


def _event(action: Action, url: str, host: str, stamp: datetime, today: date) -> "icalendar.Event":
    import icalendar

    event = icalendar.Event()
    # Stable per action, so a new due date moves the event rather than adding a second one.
    event.add("uid", f"action-{action.id}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", action.due_date)
    event.add("dtend", action.due_date + timedelta(days=1))
    event.add("summary", event_title(action))
    event.add("description", _description(action, url, today))
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: it blocks no time
    return event


def event_title(action: Action) -> str:
    """'Wolverhampton ILACS 2022 — 1.2 Introduce a weekly tracking meeting…': a calendar
    shows many sources side by side, so the event names its council, inspection and action."""
    inspection = action.recommendation.inspection
    where = authority_short_name(inspection.authority.name)
    which = f"{KIND_SHORT_NAMES[inspection.kind.value]} {inspection.start_date:%Y}"
    return f"{where} {which} — {action.reference} {first_words(action.description, 50)}"


def _description(action: Action, url: str, today: date) -> str:
    recommendation = action.recommendation
    return "\n".join(
        [
            action.description,
            "",
            f"{recommendation.inspection.title}, recommendation {recommendation.number}.",
            f"Status: {action.status.label}. {_rating(action, today)}",
            url,
        ]
    )


def _rating(action: Action, today: date) -> str:
    """'RAG: Amber. Exception: ...': the delivery rating, and the reviewer's words beside it."""
    words = f"RAG: {delivery_rag(action, today).label}."
    if exception_stands(action, today):
        words += f" Exception: {action.rag_exception}"
    return words
