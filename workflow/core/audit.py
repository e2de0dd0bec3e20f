"""Writing and verifying the append-only audit trail.

Every rule that changes something calls record_event() in the same transaction. Each event's
hash covers its content and the previous event's hash, per authority, so an edited, deleted
or inserted row breaks the chain and verify_chain() names the first broken link.

The hash is an HMAC-SHA256 with the audit key, which lives in the servers' environment and
never in the database (audit_key()): whoever can write to the database can still rewrite an
event and every hash after it, but without the key the hashes they write do not verify. A
signed checkpoint of each chain's newest event, kept away from the database, shows later
that no event at or before it was removed or replaced (checkpoint_document()).

Events written before the key was used (plain SHA-256, no key) stay as they are: the
migration that brought the key in appended one event to each such chain, keyed itself, that
says where keyed hashing starts (KEY_ADOPTED). Events before an authority's KEY_ADOPTED event
are checked with plain SHA-256, every event from it on with the key; a chain without one
must be keyed throughout. Removing or forging that event takes the key too.
"""

import enum
import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from flask import current_app

from workflow.core.errors import RuleError
from workflow.extensions import db
from workflow.models import AuditEvent, AuditHead, User, utcnow

GENESIS = "0" * 64
KEY_ADOPTED = "audit_key_adopted"
CHECKPOINT_FORMAT = "audit-checkpoint/1"


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
    for field_name in fields:
        old, new = jsonable(before.get(field_name)), jsonable(getattr(obj, field_name))
        if old != new:
            changes[field_name] = [old, new]
    return changes


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {field_name: getattr(obj, field_name) for field_name in fields}


def audit_key() -> bytes:
    """The key of the chain's HMACs: AUDIT_KEY from the environment. Without it, a key
    derived from SECRET_KEY, which then must never change (README, "The audit trail")."""
    configured = current_app.config.get("AUDIT_KEY")
    if configured:
        return configured.encode()
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"audit trail", hashlib.sha256).digest()


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
    event.hash = keyed_hash(event, audit_key())
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


def _content(event: Any) -> bytes:
    """What an event's hash covers: every column but its id and its own hash. The shape never
    changes (it would break every chain): a new column stays out of it."""
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
    return encoded.encode()


def keyed_hash(event: Any, key: bytes) -> str:
    return hmac.new(key, _content(event), hashlib.sha256).hexdigest()


def plain_hash(event: Any) -> str:
    """The hash of events written before the audit key was used (see KEY_ADOPTED)."""
    return hashlib.sha256(_content(event)).hexdigest()


def key_adoption_row(authority_id: int, sequence: int, previous_hash: str) -> dict[str, Any]:
    """The event that ends a chain's plain-hashed events (for the migration that began
    keyed hashing): the next in the chain, keyed, pointing at the last plain one."""
    row = {
        "authority_id": authority_id,
        "sequence": sequence + 1,
        "at": utcnow(),
        "actor_id": None,
        "actor_name": "System",
        "object_type": "authority",
        "object_id": authority_id,
        "action_id": None,
        "verb": KEY_ADOPTED,
        "summary": (
            f"Audit events from here on are hashed with the audit key; the {sequence} "
            "events before were hashed without it"
        ),
        "changes": {},
        "previous_hash": previous_hash,
    }
    return {**row, "hash": keyed_hash(SimpleNamespace(**row), audit_key())}


@dataclass(frozen=True)
class Link:
    """A chain's newest event: where the next one must follow on."""

    sequence: int
    hash: str
    event_id: int | None = None


START = Link(0, GENESIS)


@dataclass
class ChainReport:
    events_checked: int
    problem: str = ""
    event_id: int | None = None  # the first event that does not fit
    authority_id: int | None = None
    sequence: int | None = None
    heads: dict[int, Link] = field(default_factory=dict)  # each authority's newest event

    @property
    def intact(self) -> bool:
        return not self.problem

    @classmethod
    def broken_at(cls, checked: int, event: Any, problem: str) -> "ChainReport":
        return cls(checked, problem, event.id, event.authority_id, event.sequence)


def verify_chain(checkpoint: dict[int, Link] | None = None) -> ChainReport:
    """Walk every authority's chain in order and report the first event that does not fit;
    with a checkpoint (read_checkpoint()), also that each chain still holds its event."""
    key, checkpoint = audit_key(), checkpoint or {}
    checked, last = 0, {}
    with _one_snapshot() as connection:
        keyed_from = dict(connection.execute(_KEYED_FROM).all())
        # Streamed, so a long trail never sits in memory whole; closed even on an early return.
        with connection.execute(_EVENTS.execution_options(yield_per=500)) as events:
            for event in events:
                link = last.get(event.authority_id, START)
                keyed = event.sequence >= keyed_from.get(event.authority_id, 1)
                problem = _link_problem(event, link, key if keyed else None) or _against(
                    checkpoint.get(event.authority_id), event
                )
                if problem:
                    return ChainReport.broken_at(checked, event, problem)
                last[event.authority_id] = Link(event.sequence, event.hash, event.id)
                checked += 1
        heads = connection.execute(sa.select(AuditHead.__table__)).all()
    return _check_ends(last, heads, checkpoint, checked)


_EVENTS = sa.select(AuditEvent.__table__).order_by(AuditEvent.authority_id, AuditEvent.sequence)
_KEYED_FROM = (
    sa.select(AuditEvent.authority_id, sa.func.min(AuditEvent.sequence))
    .where(AuditEvent.verb == KEY_ADOPTED, AuditEvent.object_type == "authority")
    .group_by(AuditEvent.authority_id)
)


@contextmanager
def _one_snapshot() -> Iterator[sa.Connection]:
    """One consistent view of the trail while the app goes on appending: under PostgreSQL's
    default isolation each query would see a newer trail, and a head ahead of its events."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


def _link_problem(event: Any, link: Link, key: bytes | None) -> str:
    if event.sequence != link.sequence + 1:
        return f"sequence jumps from {link.sequence} to {event.sequence} (an event is missing)"
    if event.previous_hash != link.hash:
        return "it does not point to the event before it"
    if key is None:
        if event.hash != plain_hash(event):
            return "its content does not match its hash (it was edited)"
    elif not hmac.compare_digest(event.hash, keyed_hash(event, key)):
        return (
            "its hash was not made from its content with the audit key (it was edited or "
            "rewritten, or AUDIT_KEY is not the key the trail was written with)"
        )
    return ""


def _against(kept: Link | None, event: Any) -> str:
    if kept is None or event.sequence != kept.sequence:
        return ""
    if (event.id, event.hash) != (kept.event_id, kept.hash):
        return "it is not the event the checkpoint holds at this place (the chain was rewritten)"
    return ""


def _check_ends(
    last: dict[int, Link], heads: list[Any], checkpoint: dict[int, Link], checked: int
) -> ChainReport:
    """Removing the newest events leaves an intact but shorter chain: the head still knows,
    unless it was moved back too; a checkpoint kept elsewhere knows even then."""
    for head in heads:
        end = last.get(head.authority_id, START)
        if (end.sequence, end.hash) != (head.sequence, head.hash):
            problem = f"events after sequence {end.sequence} are missing (the chain ends early)"
            return ChainReport(checked, problem, None, head.authority_id, end.sequence)
    headless = sorted(last.keys() - {head.authority_id for head in heads})
    if headless:
        problem = "its head is missing (the record of the chain's newest event was removed)"
        return ChainReport(checked, problem, None, headless[0], last[headless[0]].sequence)
    for authority_id, kept in sorted(checkpoint.items()):
        end = last.get(authority_id, START)
        if end.sequence < kept.sequence:
            problem = (
                f"the chain ends at sequence {end.sequence}, before the checkpoint's "
                f"{kept.sequence} (events were removed)"
            )
            return ChainReport(checked, problem, None, authority_id, end.sequence)
    return ChainReport(checked, heads=last)


def checkpoint_document(report: ChainReport, made_at: datetime) -> str:
    """A signed record of each chain's newest event, from an intact report, to keep away
    from the database (write-once storage, another system)."""
    body = {
        "format": CHECKPOINT_FORMAT,
        "made_at": made_at.isoformat(timespec="seconds"),
        "events": report.events_checked,
        "heads": [
            {"authority_id": a, "sequence": h.sequence, "event_id": h.event_id, "hash": h.hash}
            for a, h in sorted(report.heads.items())
        ],
    }
    return json.dumps({**body, "signature": _signature(body)}, indent=1) + "\n"


def read_checkpoint(content: bytes) -> dict[int, Link]:
    """The heads a checkpoint holds, once its signature is checked with the audit key."""
    try:
        document = json.loads(content)
    except ValueError:  # not JSON, or not text at all
        document = None
    if not isinstance(document, dict) or document.get("format") != CHECKPOINT_FORMAT:
        raise RuleError("This file is not an audit checkpoint")
    signature = document.pop("signature", None)
    if not isinstance(signature, str) or not hmac.compare_digest(signature, _signature(document)):
        raise RuleError(
            "The checkpoint's signature does not match: the file was changed, or AUDIT_KEY "
            "is not the key it was made with"
        )
    return {
        head["authority_id"]: Link(head["sequence"], head["hash"], head["event_id"])
        for head in document["heads"]
    }


def _signature(body: dict[str, Any]) -> str:
    encoded = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(audit_key(), encoded, hashlib.sha256).hexdigest()
