"""Monitoring visit letters: progress against the last inspection, kept as notes on its
recommendations rather than as recommendations of their own.

When the letter is read, each area the visit covered is matched to the recommendation of the
authority's last inspection it is closest to (by the importer's text similarity); only a clear
match is taken unasked. The administrator confirms or chooses on the review page, and may
leave an area unrecorded. Importing the same visit again replaces its notes.
"""

from datetime import date
from typing import Any

import sqlalchemy as sa

from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.core.locking import flush
from workflow.extensions import db
from workflow.imports.rules import check_confirmable
from workflow.models import (
    Inspection,
    InspectionKind,
    MonitoringNote,
    Recommendation,
    ReportImport,
    User,
)

# Visits and joint inspections leave no recommendations of the council's own to report on.
FOLLOWED_KINDS = (
    InspectionKind.ILACS_STANDARD,
    InspectionKind.ILACS_SHORT,
    InspectionKind.SIF,
    InspectionKind.FOCUSED_VISIT,
)


def earlier_inspection(authority_id: int, visit_start: date | None) -> Inspection | None:
    """The inspection a visit follows up: the authority's latest that began before it."""
    query = sa.select(Inspection).where(
        Inspection.authority_id == authority_id, Inspection.kind.in_(FOLLOWED_KINDS)
    )
    if visit_start is not None:
        query = query.where(Inspection.start_date < visit_start)
    return db.session.scalar(query.order_by(Inspection.start_date.desc(), Inspection.id.desc()))


def suggest_recommendations(report_import: ReportImport) -> None:
    """Match each area of a letter just read to a recommendation of the last inspection."""
    from workflow.imports.parse.links import best_matches  # the worker's: see rules.py

    parsed = dict(report_import.parsed)
    earlier = earlier_inspection(report_import.authority_id, visit_start(parsed))
    recommendations = earlier.recommendations if earlier else []
    areas = [dict(area) for area in parsed.get("areas", [])]
    matches = best_matches([a["text"] for a in areas], [r.text for r in recommendations])
    for area, match in zip(areas, matches, strict=True):
        found = recommendations[match.index] if match.index is not None else None
        area["suggested"] = found.id if found else None
        area["confident"] = match.confident
    parsed["areas"] = areas
    parsed["earlier_inspection_id"] = earlier.id if earlier else None
    report_import.parsed = parsed


def preselected(parsed: dict[str, Any], earlier: Inspection | None) -> list[str]:
    """What each area's choice starts as: a confident match to the inspection shown, else
    nothing, so the administrator has to choose."""
    if earlier is None or parsed.get("earlier_inspection_id") != earlier.id:
        return ["" for _ in parsed.get("areas", [])]
    return [
        str(area["suggested"]) if area.get("confident") and area.get("suggested") else ""
        for area in parsed.get("areas", [])
    ]


def confirm_monitoring(
    actor: User,
    report_import: ReportImport,
    version: int | None,
    chosen: list[int | None],
    earlier: Inspection | None,
    other_authority_confirmed: bool = False,
) -> Inspection:
    """Record each area as a note on the recommendation chosen for it (None: not recorded)."""
    check_confirmable(actor, report_import, version, other_authority_confirmed)
    parsed = report_import.parsed
    if earlier is None:
        raise RuleError("There is no earlier inspection to record this visit against: add it first")
    areas = parsed.get("areas", [])
    if len(chosen) != len(areas):
        raise RuleError("The list of areas has changed: check the choices again")
    start, end = visit_start(parsed), visit_end(parsed)
    if start is None or end is None:
        raise RuleError("The visit dates could not be read: record this visit by hand")
    by_id = {r.id: r for r in earlier.recommendations}
    if any(choice is not None and choice not in by_id for choice in chosen):
        raise RuleError("Select a recommendation from the list")
    if all(choice is None for choice in chosen):
        raise RuleError("Choose the recommendation at least one area is about")
    _forget_earlier_import_of(actor, report_import.authority_id, start)
    for area, choice in zip(areas, chosen, strict=True):
        if choice is not None:
            _add_note(actor, report_import, by_id[choice], area, start, end)
    report_import.inspection = earlier
    flush()
    summary = f"Monitoring visit of {start:%-d %B %Y} recorded against {earlier.title}"
    record_event(actor, report_import.authority_id, report_import, "confirmed", summary)
    return earlier


def _add_note(
    actor: User,
    report_import: ReportImport,
    recommendation: Recommendation,
    area: dict[str, Any],
    start: date,
    end: date,
) -> None:
    note = MonitoringNote(
        authority_id=report_import.authority_id,
        recommendation=recommendation,
        report_import_id=report_import.id,
        visit_start=start,
        visit_end=end,
        inspector=report_import.parsed.get("lead_inspector"),
        area=area["text"],
        findings=list(area.get("findings", [])),
        created_by=actor,
    )
    db.session.add(note)
    summary = f"Monitoring visit note on recommendation {recommendation.number}: {area['text']}"
    record_event(actor, report_import.authority_id, note, "recorded", summary[:300])


def _forget_earlier_import_of(actor: User, authority_id: int, start: date) -> None:
    """Importing a visit again replaces what the last import of it recorded."""
    notes = db.session.scalars(
        sa.select(MonitoringNote).where(
            MonitoringNote.authority_id == authority_id, MonitoringNote.visit_start == start
        )
    ).all()
    for note in notes:
        summary = f"Monitoring visit note replaced by a new import of the visit: {note.area}"
        record_event(actor, authority_id, note, "replaced", summary[:300])
        db.session.delete(note)
    flush()


def recorded_before(authority_id: int, parsed: dict[str, Any]) -> bool:
    """Whether this visit was imported before (confirming again replaces its notes)."""
    start = visit_start(parsed)
    query = sa.select(MonitoringNote.id).where(
        MonitoringNote.authority_id == authority_id, MonitoringNote.visit_start == start
    )
    return start is not None and db.session.scalar(query.limit(1)) is not None


def visit_start(parsed: dict[str, Any]) -> date | None:
    value = parsed.get("inspection_dates", {}).get("start")
    return date.fromisoformat(value) if value else None


def visit_end(parsed: dict[str, Any]) -> date | None:
    value = parsed.get("inspection_dates", {}).get("end")
    return date.fromisoformat(value) if value else None
