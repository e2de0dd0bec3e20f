"""The audit trail as an administrator reads it: the authority's events, newest first,
filtered by record, person and dates, on the page and as CSV, with each event's changes put
in words."""

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from workflow.core.tenancy import actions_of
from workflow.extensions import db
from workflow.models import Action, ActionStatus, AuditEvent, Rag, Role, UpdateState, User
from workflow.plans.render.csv import neutralise

SYSTEM = "system"  # the person filter's choice for what no person did (jobs, commands)

# What each kind of record is called, in the order the filter offers them.
RECORD_KINDS = {
    "action": "Action",
    "progress_update": "Progress update",
    "recommendation": "Recommendation",
    "inspection": "Inspection",
    "measure": "Measure of success",
    "evidence": "Evidence",
    "plan_version": "Plan version",
    "privacy_clearance": "Personal-data check",
    "report_import": "Imported report",
    "user_account": "User",
    "invitation": "Invitation",
    "service_area": "Service area",
    "api_token": "API token",
    "identity_provider": "Single sign-on",
    "authority": "Authority",
}
# Records with a page everyone in the authority may read: (endpoint, its id argument).
RECORD_PAGES = {
    "action": ("actions.show", "action_id"),
    "recommendation": ("recommendations.show", "recommendation_id"),
    "inspection": ("inspections.show", "inspection_id"),
}
FIELD_NAMES = {
    "rag": "RAG rating",
    "proposed_rag": "Proposed RAG rating",
    "rag_reason": "Reason for the RAG rating",
    "due_date_reason": "Reason for the new due date",
    "sha256": "SHA-256",
    "url": "Link",
}
PERSON_FIELDS = {"owner_id", "delegate_id", "author_id", "reviewer_id", "approved_by_id"}
LABELLED_VALUES = {
    "status": ActionStatus,
    "proposed_status": ActionStatus,
    "rag": Rag,
    "proposed_rag": Rag,
    "state": UpdateState,
    "role": Role,
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
CSV_COLUMNS = [
    "When (UTC)",
    "Sequence",
    "Person",
    "Record",
    "Record number",
    "Action number",
    "Action reference",
    "What happened",
    "Summary",
    "Changes (JSON)",
    "Hash",
]


@dataclass(frozen=True)
class TrailFilters:
    record_kind: str | None = None
    record: str | None = None  # a record's number, or an action's reference
    person: int | str | None = None  # a user's id, or SYSTEM
    since: date | None = None
    until: date | None = None


def events(user: User, filters: TrailFilters) -> sa.Select:
    """The user's authority's events that match, newest first (its chain's order)."""
    query = sa.select(AuditEvent).where(AuditEvent.authority_id == user.authority_id)
    if filters.record_kind:
        query = query.where(_record(user, filters.record_kind, filters.record))
    if filters.person == SYSTEM:
        query = query.where(AuditEvent.actor_id.is_(None))
    elif filters.person:
        query = query.where(AuditEvent.actor_id == filters.person)
    # Times are kept and shown in UTC; a day runs from its midnight to the next.
    if filters.since:
        query = query.where(AuditEvent.at >= datetime.combine(filters.since, time()))
    if filters.until:
        next_day = filters.until + timedelta(days=1)
        query = query.where(AuditEvent.at < datetime.combine(next_day, time()))
    # The actions' references name them on the page: one query for the page's events.
    return query.order_by(AuditEvent.sequence.desc()).options(selectinload(AuditEvent.action))


def _record(user: User, kind: str, record: str | None) -> sa.ColumnElement[bool]:
    """Events of one kind of record, or of one record; an action's include those of its
    updates and measures, which name it."""
    if not record:
        return AuditEvent.object_type == kind
    if record.isdigit():
        ids = [int(record)]
    else:  # an action's reference, like 1.2 (perhaps the same in several inspections)
        ids = actions_of(user).where(Action.reference == record).with_only_columns(Action.id)
    named = sa.and_(AuditEvent.object_type == kind, AuditEvent.object_id.in_(ids))
    if kind == "action":
        return sa.or_(named, AuditEvent.action_id.in_(ids))
    return named


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None where the event records a value rather than a change
    after: str


@dataclass(frozen=True)
class ShownEvent:
    """An event as the page shows it: its record named, linked where it has a page."""

    event: AuditEvent
    record: str  # "Action 12"
    page: tuple[str, dict[str, int]] | None  # the record's own page (endpoint, arguments)
    action_page: tuple[str, dict[str, int]] | None  # or the action it belongs to
    changes: list[Change]

    @property
    def has_before(self) -> bool:
        return any(change.before is not None for change in self.changes)


def shown(events: list[AuditEvent], people: dict[int, str]) -> list[ShownEvent]:
    """The page's events, described with what the page already holds (no more queries)."""
    return [_shown(event, people) for event in events]


def _shown(event: AuditEvent, people: dict[int, str]) -> ShownEvent:
    page = action_page = None
    if event.object_type in RECORD_PAGES:
        endpoint, argument = RECORD_PAGES[event.object_type]
        page = (endpoint, {argument: event.object_id})
    elif event.action_id:
        action_page = ("actions.show", {"action_id": event.action_id})
    changes = changes_in_words(event.changes, people, created=event.verb == "created")
    return ShownEvent(event, record_name(event), page, action_page, changes)


def record_kind(event: AuditEvent) -> str:
    return RECORD_KINDS.get(event.object_type) or event.object_type.replace("_", " ").capitalize()


def record_name(event: AuditEvent) -> str:
    """Actions by their reference ("Action 2.1"), other records by kind and number."""
    if event.object_type == "action" and event.action:
        return f"Action {event.action.reference}"
    return f"{record_kind(event)} {event.object_id}"


def changes_in_words(
    changes: dict[str, Any], people: dict[int, str], created: bool = False
) -> list[Change]:
    """An event's changes as rows of words. An edit records {field: [old, new]}, beside the
    odd value (the reason for a new due date); a new record its values, pairs or not."""
    rows = []
    for name, value in changes.items():
        if not created and isinstance(value, list) and len(value) == 2:
            before, after = (_value_in_words(name, part, people) for part in value)
            rows.append(Change(_field_in_words(name), before, after))
        else:
            rows.append(Change(_field_in_words(name), None, _value_in_words(name, value, people)))
    return rows


def _field_in_words(name: str) -> str:
    if name in FIELD_NAMES:
        return FIELD_NAMES[name]
    return name.removesuffix("_id").replace("_", " ").capitalize()


def _value_in_words(name: str, value: Any, people: dict[int, str]) -> str:
    if value is None or value in ("", [], {}):
        return "Not set"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name in PERSON_FIELDS and isinstance(value, int):
        return people.get(value, f"Person {value}")
    if name in LABELLED_VALUES and isinstance(value, str):
        try:
            return LABELLED_VALUES[name](value).label
        except ValueError:
            return value
    if isinstance(value, str):
        return _dates_in_words(value)
    if isinstance(value, list) and all(not isinstance(v, list | dict) for v in value):
        return ", ".join(_value_in_words(name, v, people) for v in value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _dates_in_words(text: str) -> str:
    if ISO_DATE.fullmatch(text):
        return f"{date.fromisoformat(text):%-d %B %Y}"
    if ISO_DATE_TIME.match(text) and len(text) <= 32:
        try:
            return f"{datetime.fromisoformat(text):%-d %B %Y at %H:%M}"
        except ValueError:
            return text
    return text


def write_csv(user: User, filters: TrailFilters, out: BinaryIO) -> None:
    """The matching events as CSV: UTF-8 with a byte-order mark (for Excel), and every cell
    that a spreadsheet would run as a formula shown as text instead. Read in batches, so a
    long trail never sits in memory whole."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for event in db.session.scalars(events(user, filters).execution_options(yield_per=500)):
        cells = [
            event.at.isoformat(timespec="seconds"),
            str(event.sequence),
            event.actor_name,
            record_kind(event),
            str(event.object_id),
            str(event.action_id or ""),
            event.action.reference if event.action else "",
            event.verb,
            event.summary,
            json.dumps(event.changes, ensure_ascii=False, sort_keys=True),
            event.hash,
        ]
        writer.writerow([neutralise(cell) for cell in cells])
    text.detach()  # the caller keeps the file open
