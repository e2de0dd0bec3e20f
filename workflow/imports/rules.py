"""Rules for importing an Ofsted report: read it, let an administrator review what was
found, and only then create (or update) the inspection and its recommendations."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.core.locking import check_version, flush
from workflow.extensions import db
from workflow.jobs import enqueue
from workflow.jobs.dispatch import requeue
from workflow.models import (
    Authority,
    Inspection,
    InspectionKind,
    JobState,
    ReportImport,
    ReportParagraph,
    User,
)
from workflow.planning import rules as planning

# The parser is imported where it is used: it reads reports in the background worker, and
# the web app need not load it to start.
if TYPE_CHECKING:
    from workflow.imports.parse import ParsedReport

READ_JOB = "imports.read_report"
KIND_OF = {
    "focused_visit": InspectionKind.FOCUSED_VISIT,
    "jtai": InspectionKind.JTAI,
    "sif": InspectionKind.SIF,
    "monitoring": InspectionKind.MONITORING_VISIT,
}


def read_report(
    data: bytes | None, filename: str | None, text: str | None, max_bytes: int
) -> ParsedReport:
    """Parse an upload or pasted text; a report the importer cannot read is a RuleError."""
    from workflow.imports.parse import ReportParseError, parse_file, parse_text

    try:
        if data is not None:
            return parse_file(data, filename or "report", max_bytes=max_bytes)
        return parse_text(text or "")
    except ReportParseError as error:
        raise RuleError(error.message, "file" if data is not None else "text") from None


def receive_report(
    actor: User, data: bytes | None, filename: str | None, text: str | None, max_bytes: int
) -> ReportImport:
    """Keep an upload (or pasted text) and queue the job that reads it; nothing is read yet.

    Only what can be told at once is refused here: an empty upload or one over the limit.
    """
    content = data if data is not None else (text or "").encode()
    if not content.strip():
        raise RuleError("The file is empty.", "file" if data is not None else "text")
    if len(content) > max_bytes:
        size = f"{max_bytes / 1024 / 1024:g} MB"
        raise RuleError(f"The file is larger than {size}: upload the report on its own.", "file")
    source_name = (filename if data is not None else None) or "Pasted text"
    report_import = ReportImport(
        authority_id=actor.authority_id,
        created_by=actor,
        source_name=source_name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        parsed={},
        status="queued",
        source=content,
        pasted=data is None,
    )
    db.session.add(report_import)
    db.session.flush()
    _queue_reading(report_import)
    summary = f"Report received to be read: {source_name[:100]}"
    record_event(actor, actor.authority_id, report_import, "received", summary)
    return report_import


def _queue_reading(report_import: ReportImport) -> None:
    """One job per import, asked for again on each try (a failed one is queued afresh)."""
    job = enqueue(
        READ_JOB,
        key=f"{READ_JOB}:{report_import.id}",
        authority_id=report_import.authority_id,
        import_id=report_import.id,
    )
    if job.state is JobState.SUCCEEDED:  # read before, and the reading undone since
        requeue(job)
    report_import.job = job


def read_import(report_import: ReportImport, max_bytes: int) -> None:
    """Read a received report and keep what was found for review (the upload is let go).

    Raises ReportParseError, saying why, when the importer cannot read it. This is the
    background job's work, so a scanned PDF is read here by OCR."""
    from workflow.imports.parse import parse_file, parse_text

    content = report_import.source or b""
    if report_import.pasted:
        report = parse_text(content.decode("utf-8", errors="replace"))
    else:
        report = parse_file(content, report_import.source_name, max_bytes=max_bytes, ocr=True)
    report_import.parsed = serialise(report)
    report_import.status = "ready"
    report_import.error = None
    report_import.source = None
    db.session.flush()
    summary = f"Report read for review: {report_import.source_name[:100]}"
    record_event(
        report_import.created_by,
        report_import.authority_id,
        report_import,
        "read",
        summary,
        {"kind": report.kind},
    )


def mark_unreadable(report_import: ReportImport, message: str) -> None:
    """The reading failed: keep the reason to show, and the upload for another try."""
    report_import.status = "failed"
    report_import.error = message
    db.session.flush()
    record_event(
        report_import.created_by,
        report_import.authority_id,
        report_import,
        "failed",
        message[:200],
    )


def retry_import(actor: User, report_import: ReportImport) -> None:
    """Queue a report whose reading failed for another try."""
    if report_import.status != "failed" or report_import.source is None:
        raise RuleError("This report is not waiting for another try")
    report_import.status = "queued"
    report_import.error = None
    db.session.flush()
    _queue_reading(report_import)
    summary = f"Report queued to be read again: {report_import.source_name[:100]}"
    record_event(actor, report_import.authority_id, report_import, "retried", summary)


def start_import(
    actor: User, report: ParsedReport, source_name: str, content: bytes
) -> ReportImport:
    """Keep what the importer found, for review; nothing is created yet."""
    parsed = serialise(report)
    report_import = ReportImport(
        authority_id=actor.authority_id,
        created_by=actor,
        source_name=source_name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        parsed=parsed,
    )
    db.session.add(report_import)
    flush()
    summary = f"Report read for review: {source_name[:100]}"
    record_event(
        actor, actor.authority_id, report_import, "read", summary, {"kind": parsed["kind"]}
    )
    return report_import


def serialise(report: ParsedReport) -> dict[str, Any]:
    parsed = report.to_json_dict()
    parsed["ilacs_variant"] = report.ilacs_variant
    parsed["published"] = report.published_date.isoformat() if report.published_date else None
    parsed["paragraphs"] = [
        {"number": p.number, "heading": p.heading, "text": p.text} for p in report.paragraphs
    ]
    for item, recommendation in zip(parsed["recommendations"], report.recommendations, strict=True):
        item["priority"] = recommendation.priority
    parsed.setdefault("lscb_recommendations", report.lscb_recommendations)
    parsed["notes"] = list(report.notes)
    parsed["read_by_ocr"] = report.read_by_ocr
    parsed["found_recommendations"] = len(report.recommendations)
    return parsed


@dataclass
class ReviewRow:
    """One recommendation as the administrator left it on the review form."""

    text: str
    position: int
    remove: bool = False
    merge_with_next: bool = False
    paragraphs: tuple[int, ...] = ()
    priority: bool = False


def apply_review(rows: list[ReviewRow]) -> list[dict[str, Any]]:
    """Remove, reorder, merge and split, then number from 1. A blank line splits an item."""
    kept = sorted(
        (row for row in rows if not row.remove and row.text.strip()), key=lambda r: r.position
    )
    merged: list[ReviewRow] = []
    carry: ReviewRow | None = None
    for row in kept:
        if carry is not None:
            row = ReviewRow(
                f"{carry.text.strip()} {row.text.strip()}",
                row.position,
                merge_with_next=row.merge_with_next,
                paragraphs=_union(carry.paragraphs, row.paragraphs),
                priority=carry.priority or row.priority,
            )
            carry = None
        if row.merge_with_next:
            carry = row
            continue
        merged.append(row)
    if carry is not None:
        merged.append(carry)
    items = []
    for row in merged:
        for part in _split(row.text):
            items.append(
                {"text": part, "paragraphs": list(row.paragraphs), "priority": row.priority}
            )
    return [{"number": n, **item} for n, item in enumerate(items, start=1)]


def _split(text: str) -> list[str]:
    parts = [" ".join(part.split()) for part in text.replace("\r\n", "\n").split("\n\n")]
    return [part for part in parts if part]


def _union(first: tuple[int, ...], second: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(first + second))


def review_import(
    actor: User,
    report_import: ReportImport,
    version: int | None,
    rows: list[ReviewRow],
    confirm: bool,
    published: date | None = None,
    other_authority_confirmed: bool = False,
    partners: list[dict[str, str]] | None = None,
) -> Inspection | None:
    """Apply the reviewer's changes; on confirmation create (or update) the inspection."""
    revise_import(actor, report_import, version, rows, published, partners)
    if not confirm:
        return None
    return confirm_import(actor, report_import, report_import.version, other_authority_confirmed)


def revise_import(
    actor: User,
    report_import: ReportImport,
    version: int | None,
    rows: list[ReviewRow],
    published: date | None = None,
    partners: list[dict[str, str]] | None = None,
) -> None:
    """Keep the administrator's edits of the list, the publication date they give (an
    ILACS report prints none: it is dated by its publication on Ofsted's website), and a
    joint inspection's partners as they corrected them."""
    check_version(report_import, version)
    _check_open(report_import)
    parsed = dict(report_import.parsed)
    parsed["recommendations"] = apply_review(rows)
    if partners is not None and parsed["kind"] == "jtai":
        parsed["partners"] = partners
    if published is not None:
        end = parsed["inspection_dates"]["end"]
        if end and published < date.fromisoformat(end):
            raise RuleError(
                "The report cannot be published before the inspection ended", "published"
            )
        parsed["published"] = published.isoformat()
    report_import.parsed = parsed
    flush()


def matching_inspection(authority_id: int, parsed: dict[str, Any]) -> Inspection | None:
    """An inspection of the same authority, kind and dates: importing again updates it."""
    dates = parsed["inspection_dates"]
    if not dates["start"]:
        return None
    query = sa.select(Inspection).where(
        Inspection.authority_id == authority_id,
        Inspection.kind == inspection_kind(parsed),
        Inspection.start_date == date.fromisoformat(dates["start"]),
    )
    return db.session.scalar(query)


def inspection_kind(parsed: dict[str, Any]) -> InspectionKind:
    if parsed["kind"] == "ilacs":
        short = parsed.get("ilacs_variant") == "short"
        return InspectionKind.ILACS_SHORT if short else InspectionKind.ILACS_STANDARD
    return KIND_OF[parsed["kind"]]


def confirm_import(
    actor: User,
    report_import: ReportImport,
    version: int | None,
    other_authority_confirmed: bool = False,
) -> Inspection:
    """Create the inspection with its judgements, recommendations and paragraphs, or update
    the one imported before: changed texts are replaced and new recommendations added;
    nothing with actions is ever removed. A report about another authority needs the
    administrator's explicit confirmation first."""
    check_confirmable(actor, report_import, version, other_authority_confirmed)
    inspection = import_parsed(actor, report_import.authority_id, report_import.parsed)
    report_import.inspection = inspection
    flush()
    summary = f"Report imported into {inspection.title}"
    changes = {"partners": inspection.partners} if inspection.partners else None
    record_event(actor, inspection.authority_id, report_import, "confirmed", summary, changes)
    return inspection


def check_confirmable(
    actor: User, report_import: ReportImport, version: int | None, other_authority_confirmed: bool
) -> None:
    """Not confirmed already, not changed since the form was shown, and about our council
    (or the administrator has said that it is the right report all the same)."""
    check_version(report_import, version)
    _check_open(report_import)
    reported = report_import.parsed["authority"]
    if not same_authority(reported, actor.authority.name) and not other_authority_confirmed:
        raise RuleError(
            f"This report is about {reported or 'another authority'}, not "
            f"{actor.authority.name}: confirm that it is the right report",
            "confirm_other_authority",
        )


def import_parsed(actor: User | None, authority_id: int, parsed: dict[str, Any]) -> Inspection:
    """Create or update the inspection a parsed report describes (the CLI acts as System)."""
    if parsed["kind"] == "monitoring":
        raise RuleError(
            "A monitoring visit is recorded against the last inspection's recommendations, "
            "not as an inspection of its own: import the letter on the web to choose which"
        )
    if not parsed["recommendations"] and parsed.get("found_recommendations", 1):
        # A report with no recommendations imports with its judgements alone; a list the
        # administrator emptied is more likely a slip.
        raise RuleError("Keep at least one recommendation before you confirm")
    inspection = matching_inspection(authority_id, parsed)
    if inspection is None:
        inspection = _create_inspection(actor, authority_id, parsed)
    _save_recommendations(actor, inspection, parsed["recommendations"])
    _save_paragraphs(inspection, parsed["paragraphs"])
    if parsed["kind"] == "jtai":
        inspection.partners = list(parsed.get("partners") or []) or None
    return inspection


def _check_open(report_import: ReportImport) -> None:
    if report_import.confirmed:
        raise RuleError("This report has already been imported")


def _create_inspection(actor: User | None, authority_id: int, parsed: dict[str, Any]) -> Inspection:
    dates = parsed["inspection_dates"]
    if not dates["start"] or not dates["end"]:
        raise RuleError(
            "The report's inspection dates could not be read: add the inspection by hand"
        )
    judgements = [(j["area"], j["grade"]) for j in parsed["judgements"]]
    published = date.fromisoformat(parsed["published"]) if parsed.get("published") else None
    return planning.create_inspection(
        actor,
        judgements,
        authority_id=authority_id,
        kind=inspection_kind(parsed),
        start_date=date.fromisoformat(dates["start"]),
        end_date=date.fromisoformat(dates["end"]),
        published_on=published,
        received_on=None,
        received_on_reason=None,
        lead_inspector=parsed["lead_inspector"],
        plan_owner_id=None,
    )


def _save_recommendations(
    actor: User | None, inspection: Inspection, items: list[dict[str, Any]]
) -> None:
    existing = {r.number: r for r in inspection.recommendations}
    for item in items:
        current = existing.get(item["number"])
        values = {
            "number": item["number"],
            "text": item["text"],
            "senior_lead": None,
            "priority": item.get("priority", False),
        }
        if current is None:
            recommendation = planning.create_recommendation(actor, inspection, **values)
        else:
            values["senior_lead"] = current.senior_lead
            recommendation = planning.edit_recommendation(actor, current, current.version, **values)
        recommendation.paragraph_numbers = item["paragraphs"]


def _save_paragraphs(inspection: Inspection, paragraphs: list[dict[str, Any]]) -> None:
    db.session.execute(
        sa.delete(ReportParagraph).where(ReportParagraph.inspection_id == inspection.id)
    )
    for paragraph in paragraphs:
        db.session.add(
            ReportParagraph(
                inspection_id=inspection.id,
                number=paragraph["number"],
                heading=(paragraph["heading"] or "")[:300] or None,
                text=paragraph["text"],
            )
        )


def authority_named(name: str) -> Authority | None:
    return db.session.scalar(sa.select(Authority).where(Authority.name == name))


def same_authority(reported: str, ours: str) -> bool:
    """Does the report name our council? ("Wolverhampton" is "City of Wolverhampton Council")."""
    from workflow.imports.parse import authority_key

    key = authority_key(reported)
    return bool(key) and key in authority_key(ours)
