"""Issuing plan versions to Ofsted, clearing personal-data hits, and comparing versions.

An issued version freezes a data snapshot with its SHA-256 at once, and a background job
renders the DOCX and the PDF from that snapshot (the PDF takes seconds for a large plan)
into the file store: later approvals change the live plan, never what was sent. A frozen
file is checked against its SHA-256 each time it is read, so a changed one is refused.
"""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from workflow.core.audit import record_edit, record_event
from workflow.core.errors import RuleError
from workflow.core.locking import check_version, flush
from workflow.core.storage import Store, read_checked, store_bytes
from workflow.extensions import db
from workflow.jobs import enqueue
from workflow.models import Inspection, PlanVersion, PrivacyClearance, User
from workflow.models.plan import FROZEN_FORMATS, FROZEN_TYPES
from workflow.plans.builder import Governance, Plan, SignOff, build_plan, plan_logo
from workflow.plans.changes import PlanChanges, compare_snapshots
from workflow.plans.privacy import outstanding_hits, outstanding_snapshot_hits

FREEZE_JOB = "plans.freeze_version"


@dataclass(frozen=True)
class IssueDetails:
    sent_to_ofsted_on: date
    lead_member_name: str
    lead_member_signed_on: date
    note: str | None = None
    approved_by: str | None = None  # "Cabinet", a committee, or the director (delegated)
    approved_on: date | None = None
    approval_reference: str | None = None
    sent_to_dfe_on: date | None = None

    @property
    def governance(self) -> Governance:
        return Governance(
            self.approved_by if self.approved_on else None,
            self.approved_on,
            self.approval_reference,
            self.sent_to_ofsted_on,
            self.sent_to_dfe_on,
        )


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
    _check_governance(details)
    if outstanding_hits(build_plan(inspection, today), inspection):
        raise RuleError("Check each possible item of personal data before issuing the plan")
    number = _next_number(inspection)
    sign_off = SignOff(
        director.name, today, details.lead_member_name, details.lead_member_signed_on
    )
    label = f"Version {number}, sent to Ofsted on {details.sent_to_ofsted_on:%-d %B %Y}"
    plan = build_plan(inspection, today, label, sign_off, details.governance)
    snapshot = plan.snapshot()
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
        approved_by=details.governance.approved_by,
        approved_on=details.approved_on,
        approval_reference=details.approval_reference,
        sent_to_dfe_on=details.sent_to_dfe_on,
    )
    db.session.add(version)
    # Two directors issuing at once: the unique (inspection, number) lets one through.
    flush(
        "Another version was issued at the same moment. Nothing was issued: reload the page.",
        unique_race=True,
    )
    changes = {"number": number, "sent_to_ofsted_on": details.sent_to_ofsted_on}
    changes |= {"snapshot_sha256": version.snapshot_sha256}
    changes |= {"approved_by": version.approved_by, "approved_on": version.approved_on}
    changes |= {"approval_reference": version.approval_reference}
    changes |= {"sent_to_dfe_on": version.sent_to_dfe_on}
    record_event(director, inspection.authority_id, version, "issued", label, changes)
    enqueue(
        FREEZE_JOB,
        key=f"{FREEZE_JOB}:{version.id}",
        authority_id=inspection.authority_id,
        version_id=version.id,
    )
    return version


def freeze_files(version: PlanVersion, store: Store) -> bool:
    """Render every frozen format of the version from its snapshot and keep each in the store
    under its SHA-256, which the version records.

    Idempotent: a version already frozen is left as it is (False). The snapshot is checked
    against its hash first, so a changed snapshot is never rendered as what was sent.
    """
    if version.frozen:
        return False
    if sha256(canonical_json(version.snapshot)) != version.snapshot_sha256:
        raise RuleError(f"{version.label}'s snapshot does not match its hash: not rendered")
    from workflow.plans.exports import export_plan  # heavy: only the worker needs it

    plan = Plan.from_snapshot(version.snapshot, plan_logo(version.inspection.authority))
    for fmt in FROZEN_FORMATS:
        digest = store_bytes(export_plan(plan, fmt), store, FROZEN_TYPES[fmt])
        setattr(version, f"{fmt}_sha256", digest)
    changes = {f"{fmt}_sha256": getattr(version, f"{fmt}_sha256") for fmt in FROZEN_FORMATS}
    summary = f"{version.label}: {', '.join(f.upper() for f in FROZEN_FORMATS)} frozen"
    record_event(None, version.inspection.authority_id, version, "frozen", summary, changes)
    return True


def frozen_file(version: PlanVersion, fmt: str, store: Store) -> bytes:
    """The version's frozen file of that format, byte for byte as issued: AlteredFile if the
    stored bytes no longer match, MissingFile if the store lacks it, LookupError if the
    version has no file of that format (not frozen yet, or issued before it was kept)."""
    digest = version.digest_of(fmt)
    if digest is None:
        raise LookupError(f"{version.label} has no frozen {fmt.upper()}")
    return read_checked(store, digest)


def _check_governance(details: IssueDetails) -> None:
    if details.approved_on and not details.approved_by:
        raise RuleError("Select who approved the plan", "approved_by")
    if details.approved_on and details.approved_on > details.sent_to_ofsted_on:
        raise RuleError(
            "The plan must be approved on or before the date it was sent to Ofsted",
            "approved_on",
        )


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


INTRODUCTION_LIMIT = 10_000


def edit_introduction(
    director: User, inspection: Inspection, text: str, posted_version: int | None
) -> None:
    """Save the director's introduction; each issued version freezes the text it had."""
    check_version(inspection, posted_version)
    if len(text) > INTRODUCTION_LIMIT:
        raise RuleError("The introduction must be 10,000 characters or fewer", "introduction")
    before, after = inspection.plan_introduction, text or None
    inspection.plan_introduction = after
    flush()
    changes = {"plan_introduction": [before, after]} if after != before else {}
    summary = "Introduction to the action plan edited"
    record_edit(
        director, inspection.authority_id, inspection, summary, changes, verb="introduction_edited"
    )


def publish_version(director: User, version: PlanVersion, today: date) -> PlanVersion:
    """Publish an approved version at an unguessable address, with its tagged PDF.

    Only a version approved (by cabinet, a committee or the director under delegation)
    goes out, and only while its text passes the personal-data check as it stands now."""
    if version.published_on:
        raise RuleError("This version is already published")
    if not version.approved_on:
        raise RuleError("Record who approved this version before publishing it")
    inspection = version.inspection
    if outstanding_snapshot_hits(version.snapshot, inspection):
        raise RuleError(
            "The personal-data check found items in this version that nobody has cleared: "
            "check them on the issue page before publishing"
        )
    version.published_on = today
    version.public_token = secrets.token_urlsafe(24)
    flush(unique_race=True)
    summary = f"{version.label} published"
    changes = {"published_on": today}
    record_event(director, inspection.authority_id, version, "published", summary, changes)
    return version


def withdraw_publication(director: User, version: PlanVersion) -> PlanVersion:
    """Take a published version down: its address stops working at once."""
    if not version.published_on:
        raise RuleError("This version is not published")
    version.published_on = None
    version.public_token = None
    flush()
    summary = f"{version.label} withdrawn from publication"
    record_event(director, version.inspection.authority_id, version, "unpublished", summary, {})
    return version
