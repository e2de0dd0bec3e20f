"""Issuing plan versions to Ofsted, clearing personal-data hits, and comparing versions.

An issued version freezes a data snapshot with its SHA-256 at once, and a background job
renders the DOCX and the PDF from that snapshot (the PDF takes seconds for a large plan):
later approvals change the live plan, never what was sent.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.core.locking import flush
from workflow.extensions import db
from workflow.jobs import enqueue
from workflow.models import Inspection, PlanVersion, PrivacyClearance, Rag, User
from workflow.plans.builder import Plan, SignOff, build_plan
from workflow.plans.privacy import outstanding_hits

FREEZE_JOB = "plans.freeze_version"


@dataclass(frozen=True)
class IssueDetails:
    sent_to_ofsted_on: date
    lead_member_name: str
    lead_member_signed_on: date
    note: str | None = None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(snapshot: dict[str, Any]) -> bytes:
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def versions_of(inspection: Inspection) -> list[PlanVersion]:
    query = (
        sa.select(PlanVersion)
        .where(PlanVersion.inspection_id == inspection.id)
        .order_by(PlanVersion.number.desc())
    )
    return list(db.session.scalars(query))


def issue_plan(
    director: User, inspection: Inspection, details: IssueDetails, today: date
) -> PlanVersion:
    """Freeze the plan as it stands into the next version; refused while hits are open.

    The version's files are rendered by a job once this transaction commits."""
    received = inspection.report_received_on
    if received and details.sent_to_ofsted_on < received:
        raise RuleError(
            "The date sent to Ofsted must be on or after the date the report was received",
            "sent_to_ofsted_on",
        )
    if outstanding_hits(build_plan(inspection, today), inspection):
        raise RuleError("Check each possible item of personal data before issuing the plan")
    number = _next_number(inspection)
    sign_off = SignOff(
        director.name, today, details.lead_member_name, details.lead_member_signed_on
    )
    label = f"Version {number}, sent to Ofsted on {details.sent_to_ofsted_on:%-d %B %Y}"
    snapshot = build_plan(inspection, today, label, sign_off).snapshot()
    version = PlanVersion(
        inspection_id=inspection.id,
        number=number,
        issued_by_id=director.id,
        sent_to_ofsted_on=details.sent_to_ofsted_on,
        note=details.note,
        director_name=director.name,
        director_signed_on=today,
        lead_member_name=details.lead_member_name,
        lead_member_signed_on=details.lead_member_signed_on,
        snapshot=snapshot,
        snapshot_sha256=sha256(canonical_json(snapshot)),
    )
    db.session.add(version)
    # Two directors issuing at once: the unique (inspection, number) lets one through.
    flush(
        "Another version was issued at the same moment. Nothing was issued: reload the page.",
        unique_race=True,
    )
    changes = {"number": number, "sent_to_ofsted_on": details.sent_to_ofsted_on}
    changes |= {"snapshot_sha256": version.snapshot_sha256}
    record_event(director, inspection.authority_id, version, "issued", label, changes)
    enqueue(
        FREEZE_JOB,
        key=f"{FREEZE_JOB}:{version.id}",
        authority_id=inspection.authority_id,
        version_id=version.id,
    )
    return version


def freeze_files(version: PlanVersion) -> bool:
    """Render the version's DOCX and PDF from its snapshot and keep them with their hashes.

    Idempotent: a version already frozen is left as it is (False). The snapshot is checked
    against its hash first, so a changed snapshot is never rendered as what was sent.
    """
    if version.frozen:
        return False
    if sha256(canonical_json(version.snapshot)) != version.snapshot_sha256:
        raise RuleError(f"{version.label}'s snapshot does not match its hash: not rendered")
    from workflow.plans.render.docx import render_docx  # heavy: only the worker needs them
    from workflow.plans.render.pdf import render_pdf

    plan = Plan.from_snapshot(version.snapshot)
    version.docx, version.pdf = render_docx(plan), render_pdf(plan)
    version.docx_sha256, version.pdf_sha256 = sha256(version.docx), sha256(version.pdf)
    changes = {"docx_sha256": version.docx_sha256, "pdf_sha256": version.pdf_sha256}
    summary = f"{version.label}: DOCX and PDF frozen"
    record_event(None, version.inspection.authority_id, version, "frozen", summary, changes)
    return True


def _next_number(inspection: Inspection) -> int:
    query = sa.select(sa.func.max(PlanVersion.number)).where(
        PlanVersion.inspection_id == inspection.id
    )
    return (db.session.scalar(query) or 0) + 1


def clear_hit(
    director: User, inspection: Inspection, fingerprint: str, today: date
) -> PrivacyClearance:
    """Record the director's word that one hit is not personal data."""
    hits = outstanding_hits(build_plan(inspection, today), inspection)
    hit = next((h for h in hits if h.fingerprint == fingerprint), None)
    if hit is None:
        raise RuleError("That item is no longer in the plan, or has already been checked")
    clearance = PrivacyClearance(
        inspection_id=inspection.id,
        fingerprint=fingerprint,
        location=hit.location[:300],
        matched_text=hit.text[:300],
        cleared_by_id=director.id,
    )
    db.session.add(clearance)
    flush()
    summary = f"Confirmed not personal data: {hit.kind.lower()} in {hit.location}"[:500]
    changes = {"location": hit.location, "text": hit.text, "kind": hit.kind}
    record_event(director, inspection.authority_id, clearance, "cleared", summary, changes)
    return clearance


@dataclass
class ActionChange:
    reference: str
    description: str
    changes: list[str] = field(default_factory=list)


@dataclass
class PlanChanges:
    added: list[ActionChange] = field(default_factory=list)
    removed: list[ActionChange] = field(default_factory=list)
    changed: list[ActionChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def compare_snapshots(old: dict[str, Any], new: dict[str, Any]) -> PlanChanges:
    """What changed between two plan snapshots, action by action."""
    before, after = _actions_by_id(old), _actions_by_id(new)
    result = PlanChanges()
    for action_id, action in after.items():
        if action_id not in before:
            result.added.append(ActionChange(action["reference"], action["description"]))
            continue
        differences = _differences(before[action_id], action)
        if differences:
            result.changed.append(
                ActionChange(action["reference"], action["description"], differences)
            )
    result.removed = [
        ActionChange(a["reference"], a["description"])
        for action_id, a in before.items()
        if action_id not in after
    ]
    return result


def _actions_by_id(snapshot: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {a["id"]: a for r in snapshot["recommendations"] for a in r["actions"]}


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    found = []
    if old["status_label"] != new["status_label"]:
        found.append(f"Status: {old['status_label']} to {new['status_label']}")
    if old["rag"] != new["rag"]:
        found.append(f"RAG: {Rag(old['rag']).label} to {Rag(new['rag']).label}")
    if old["due_date"] != new["due_date"]:
        found.append(f"Due date: {_day(old['due_date'])} to {_day(new['due_date'])}")
    seen = {e["title"] for e in old["evidence"]}
    found += [f"New evidence: {e['title']}" for e in new["evidence"] if e["title"] not in seen]
    if old["progress"] != new["progress"] and new["progress"]:
        found.append("New progress update")
    return found


def _day(iso: str) -> str:
    return f"{date.fromisoformat(iso):%-d %B %Y}"


CURRENT = "current"


def choose_pair(
    issued: list[PlanVersion], older: str | None, newer: str | None
) -> tuple[str, str] | None:
    """Two plans to compare, as version numbers or "current": by default the latest issued
    version against the plan as it stands. None until a version has been issued."""
    if not issued:
        return None
    choices = {str(v.number) for v in issued} | {CURRENT}
    older = older if older in choices else str(issued[0].number)
    newer = newer if newer in choices else CURRENT
    return older, newer


def compare_choice(
    inspection: Inspection, issued: list[PlanVersion], chosen: tuple[str, str], today: date
) -> PlanChanges:
    def snapshot(choice: str) -> dict[str, Any]:
        if choice == CURRENT:
            return build_plan(inspection, today).snapshot()
        return next(v for v in issued if str(v.number) == choice).snapshot

    return compare_snapshots(snapshot(chosen[0]), snapshot(chosen[1]))
