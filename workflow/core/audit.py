"""Writing and verifying the append-only audit trail.

Every rule that changes something calls record_event() in the same transaction. Each event's
hash covers its content and the previous event's hash, per authority, so an edited, deleted
or inserted row breaks the chain and verify_chain() names the first broken link.
"""

import enum
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from workflow.extensions import db
from workflow.models import AuditEvent, AuditHead, User, utcnow

GENESIS = "0" * 64


def jsonable(value: Any) -> Any:
    """Turn a model value into plain JSON, so the stored event hashes the same when re-read."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def diff(obj: Any, before: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """The fields that differ from a snapshot taken before a change: {field: [old, new]}."""
    changes = {}
    for field in fields:
        old, new = jsonable(before.get(field)), jsonable(getattr(obj, field))
        if old != new:
            changes[field] = [old, new]
    return changes


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {field: getattr(obj, field) for field in fields}


def record_event(
    actor: User | None,
    authority_id: int,
    obj: Any,
    verb: str,
    summary: str,
    changes: dict[str, Any] | None = None,
    action_id: int | None = None,
) -> AuditEvent:
    """Append one event to the authority's chain (flushes, never commits)."""
    db.session.flush()  # obj needs its id before it can be named
    head = _locked_head(authority_id)
    event = AuditEvent(
        authority_id=authority_id,
        sequence=head.sequence + 1,
        at=utcnow(),
        actor_id=actor.id if actor else None,
        actor_name=actor.name if actor else "System",
        object_type=obj.__tablename__,
        object_id=obj.id,
        action_id=action_id,
        verb=verb,
        summary=summary,
        changes=jsonable(changes or {}),
        previous_hash=head.hash,
    )
    event.hash = event_hash(event)
    head.sequence, head.hash = event.sequence, event.hash
    db.session.add(event)
    db.session.flush()
    return event


def record_edit(
    actor: User | None,
    authority_id: int,
    obj: Any,
    summary: str,
    changes: dict[str, Any],
    action_id: int | None = None,
    verb: str = "edited",
) -> AuditEvent | None:
    """Record an edit that changed something; a save that changed nothing leaves no event."""
    if not changes:
        return None
    return record_event(actor, authority_id, obj, verb, summary, changes, action_id)


def _locked_head(authority_id: int) -> AuditHead:
    query = sa.select(AuditHead).where(AuditHead.authority_id == authority_id).with_for_update()
    head = db.session.scalar(query)
    if head is None:
        head = AuditHead(authority_id=authority_id, sequence=0, hash=GENESIS)
        db.session.add(head)
    return head


def event_hash(event: AuditEvent) -> str:
    content = [
        event.previous_hash,
        event.authority_id,
        event.sequence,
        event.at.isoformat(),
        event.actor_id,
        event.actor_name,
        event.object_type,
        event.object_id,
        event.action_id,
        event.verb,
        event.summary,
        event.changes,
    ]
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


@dataclass
class ChainReport:
    events_checked: int
    problem: str = ""
    event_id: int | None = None  # the first event that does not fit
    authority_id: int | None = None
    sequence: int | None = None

    @property
    def intact(self) -> bool:
        return not self.problem

    @classmethod
    def broken_at(cls, checked: int, event: AuditEvent, problem: str) -> "ChainReport":
        return cls(checked, problem, event.id, event.authority_id, event.sequence)


def verify_chain() -> ChainReport:
    """Walk every authority's chain in order and report the first event that does not fit."""
    checked = 0
    previous: dict[int, tuple[int, str]] = {}
    query = sa.select(AuditEvent).order_by(AuditEvent.authority_id, AuditEvent.sequence)
    # Streamed, so a long trail never sits in memory whole; closed even on an early return.
    with db.session.execute(query.execution_options(yield_per=500)) as result:
        for event in result.scalars():
            sequence, prev_hash = previous.get(event.authority_id, (0, GENESIS))
            problem = _link_problem(event, sequence, prev_hash)
            if problem:
                return ChainReport.broken_at(checked, event, problem)
            previous[event.authority_id] = (event.sequence, event.hash)
            checked += 1
    return _check_heads(previous, checked)


def _check_heads(last_links: dict[int, tuple[int, str]], checked: int) -> ChainReport:
    """Deleting the newest events leaves an intact but shorter chain: the head still knows."""
    for head in db.session.scalars(sa.select(AuditHead)):
        sequence, last_hash = last_links.get(head.authority_id, (0, GENESIS))
        if (sequence, last_hash) != (head.sequence, head.hash):
            problem = f"events after sequence {sequence} are missing (the chain ends early)"
            return ChainReport(checked, problem, None, head.authority_id, sequence)
    return ChainReport(checked)


def _link_problem(event: AuditEvent, sequence: int, prev_hash: str) -> str:
    if event.sequence != sequence + 1:
        return f"sequence jumps from {sequence} to {event.sequence} (an event is missing)"
    if event.previous_hash != prev_hash:
        return "it does not point to the event before it"
    if event.hash != event_hash(event):
        return "its content does not match its hash (it was edited)"
    return ""
