"""Issuing plan versions to Ofsted, clearing personal-data hits, and comparing versions.

An issued version freezes the DOCX, the PDF and a data snapshot with their SHA-256: later
approvals change the live plan, never what was sent.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.core.locking import flush
from workflow.extensions import db
from workflow.models import Inspection, PlanVersion, PrivacyClearance, User
from workflow.plans.builder import SignOff, build_plan
from workflow.plans.changes import PlanChanges, compare_snapshots
from workflow.plans.privacy import outstanding_hits
from workflow.plans.render.docx import render_docx
from workflow.plans.render.pdf import render_pdf


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
    """Freeze the plan as it stands into the next version; refused while hits are open."""
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
    plan = build_plan(inspection, today, label, sign_off)
    docx, pdf, snapshot = render_docx(plan), render_pdf(plan), plan.snapshot()
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
        docx=docx,
        docx_sha256=sha256(docx),
        pdf=pdf,
        pdf_sha256=sha256(pdf),
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
    changes |= {"docx_sha256": version.docx_sha256, "pdf_sha256": version.pdf_sha256}
    record_event(director, inspection.authority_id, version, "issued", label, changes)
    return version


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
