"""From lines to a `ParsedReport`: the importer's pipeline in one place.

Owns the order of the steps (blocks, kind, front matter, judgements, recommendations,
numbered paragraphs, evidence links) and the user-facing refusals that depend on content:
a document that is not an Ofsted report, and a report without recommendations.
"""

from __future__ import annotations

import logging

from workflow.imports.parse import judgements, letters, metadata
from workflow.imports.parse.blocks import build_blocks
from workflow.imports.parse.links import link_evidence
from workflow.imports.parse.model import (
    Line,
    Paragraph,
    ParsedReport,
    Recommendation,
    ReportParseError,
)
from workflow.imports.parse.sections import (
    FoundItem,
    NumberedParagraph,
    find_recommendations,
    numbered_paragraphs,
)

log = logging.getLogger(__name__)

NOT_A_REPORT = "This does not look like an Ofsted report: it has no {missing}."
NO_RECOMMENDATIONS = (
    "No recommendations found: the report has no 'What needs to improve?' or 'Areas for "
    "improvement' list, so it is imported without any: add them by hand if it has some."
)
MONITORING = (
    "A monitoring visit reports progress against the last inspection: each area it covered "
    "is recorded as a note on the recommendation it is about, not as a new recommendation."
)
NO_AREAS = (
    "The letter does not say which areas the visit covered (no 'Areas covered by the visit'), "
    "so there is nothing to record against the last inspection's recommendations."
)
NO_PARTNERS = "The letter names none of the partners: add them before you confirm."
LSCB_ONLY = (
    "This is a review of the Local Safeguarding Children Board: its recommendations are "
    "addressed to the board, not to the council."
)


def parse_lines(lines: list[Line]) -> ParsedReport:
    """Read a report from its lines, or raise ReportParseError saying why not."""
    try:
        return _parse(lines)
    except ReportParseError:
        raise
    except Exception as error:  # a fault here must reach the user as a message, not a 500
        log.exception("importer failed on a document")
        raise ReportParseError(
            "The report could not be read: its layout is not one the importer understands."
        ) from error


def _parse(lines: list[Line]) -> ParsedReport:
    blocks = build_blocks(lines)
    if not blocks:
        raise ReportParseError("The file contains no text.")
    try:
        kind = metadata.classify(blocks)
    except metadata.NotAReport as refusal:
        missing = refusal.missing
        text = ", no ".join(missing[:-1]) + (" and no " if len(missing) > 1 else "") + missing[-1]
        raise ReportParseError(NOT_A_REPORT.format(missing=text)) from None
    found = find_recommendations(blocks, kind)
    council = [item for item in found.items if not item.lscb]
    lscb = [item for item in found.items if item.lscb]
    notes: list[str] = []
    if not council and lscb:
        council, lscb = lscb, []
        notes.append(LSCB_ONLY)
    areas = (
        letters.monitoring_areas(blocks, [i.text for i in council]) if kind == "monitoring" else []
    )
    if kind == "monitoring":
        notes.append(MONITORING if areas else NO_AREAS)
    elif not council:
        notes.append(NO_RECOMMENDATIONS)
    partners = letters.jtai_partners(blocks) if kind == "jtai" else []
    if kind == "jtai" and not partners:
        notes.append(NO_PARTNERS)
    grades, table_blocks = judgements.find_judgements(blocks, kind)
    paragraphs = numbered_paragraphs(blocks, found.used | table_blocks, kind)
    start, end = metadata.inspection_dates(blocks)
    trust = metadata.find_trust(blocks) if kind in ("ilacs", "sif") else None
    report = ParsedReport(
        authority=metadata.find_authority(blocks, kind),
        trust=trust,
        kind=kind,
        recommendations=_recommendations(council, paragraphs),
        ilacs_variant=metadata.ilacs_variant(blocks, start, end) if kind == "ilacs" else None,
        start_date=start,
        end_date=end,
        lead_inspector=metadata.lead_inspector(blocks, kind),
        judgements=grades,
        paragraphs=[Paragraph(p.number, p.text, p.heading) for p in paragraphs],
        lscb_recommendations=[item.text for item in lscb],
        published_date=metadata.published_date(blocks),
        notes=notes,
        areas=areas,
        partners=partners,
    )
    if trust:
        report.notes.append(
            f"The report names {trust}, the trust that runs children's services for "
            f"{report.authority}; the inspection and its plan belong to the council."
        )
    if not report.authority:
        report.notes.append("The council's name was not found: enter it by hand.")
    return report


def _recommendations(
    items: list[FoundItem], paragraphs: list[NumberedParagraph]
) -> list[Recommendation]:
    links = link_evidence([i.text for i in items], [i.lscb for i in items], paragraphs)
    return [
        Recommendation(number, item.text, evidence, item.priority)
        for number, (item, evidence) in enumerate(zip(items, links, strict=True), 1)
    ]
