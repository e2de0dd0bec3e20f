"""Ofsted report importer: a report file or pasted text in, structured recommendations out.

Public API::

    from workflow.imports.parse import parse_file, parse_text, ReportParseError, ParsedReport

    report = parse_file("wolverhampton.pdf")             # a path: the name is taken from it
    report = parse_file(upload_bytes, "report.docx")     # bytes and the uploaded name
    report = parse_file(request.files["report"].stream, request.files["report"].filename)
    report = parse_text(pasted)                          # text pasted into a form
    report.to_json_dict()

Formats: PDF, Word .docx, HTML and plain text, recognised by content; the file name is only
a hint. A scanned PDF (page images, no text layer) is read by OCR where the caller asks for it
(`ocr=True`, the background job) and OCR is installed, and the result says so
(`read_by_ocr`); otherwise it is refused with a message saying why (see `ocr`).

Kinds: ILACS standard and short inspections (2018 onwards, including the post-2026 format),
SIF reports (2013-2018, LSCB recommendations kept apart, and the looked after children
inspections of 2013 before them, kind "sif"), focused visit and monitoring visit letters,
and JTAI letters. A report is recognised by what every report shares (its title in any form,
or an "Inspection dates" line with judgements or the inspectorate's wording), not by one
title's wording; a document that is none says what it lacks. Anything the importer cannot
read raises `ReportParseError` with a one-line reason fit to show the user. A report with no
recommendations is read with none and a note.

Where a children's trust runs the services, the report is titled with the trust's name:
`trust` keeps it, `authority` is the council the plan belongs to, and a note says so.

Text rules: line breaks and page furniture are repaired, a bullet that continued a lead-in
("should: improve ...") starts with a capital, typographic apostrophes and quotes
become plain ' and " (the seed text's "PEP's"), leading bullets are stripped, and real
hyphens stay ("16- and 17-year-old"). A sub-item is folded into its parent after a space,
with "; " between sub-items that lack closing punctuation. Framework cross-references such
as "(Outcome four, National Framework)" stay in the text, as in the report.

Evidence: each recommendation lists up to three numbered paragraphs, those it cites first,
then the closest by TF-IDF (see `links`). Letters without numbered paragraphs have none.

A monitoring visit letter gives `areas`: each area of the last inspection the visit covered,
with the letter's findings about it (see `letters`); the rules record them as notes on that
inspection's recommendations. A JTAI letter gives `partners`: the organisations it names,
each with its role in the partnership.

A review of a Local Safeguarding Children Board alone (SIF era) gives the board's list as
`recommendations`, with a line in `notes` saying so; a combined SIF report keeps the board's
list in `lscb_recommendations`. An ILACS inspection is "short" or "standard" as the report
says, else by its time on site (one week or two).

The parser core has no Flask dependency.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from workflow.imports.parse.extract import DEFAULT_MAX_BYTES, read_source, text_lines
from workflow.imports.parse.metadata import authority_key
from workflow.imports.parse.model import (
    Area,
    Judgement,
    Paragraph,
    ParsedReport,
    Partner,
    Recommendation,
    ReportParseError,
)
from workflow.imports.parse.ocr import ScannedPdf, with_text_layer
from workflow.imports.parse.parse import parse_lines

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Area",
    "Judgement",
    "Paragraph",
    "ParsedReport",
    "Partner",
    "Recommendation",
    "ReportParseError",
    "ScannedPdf",
    "authority_key",
    "parse_file",
    "parse_text",
]

MAX_TEXT_CHARS = 5_000_000


def parse_file(
    source: bytes | str | os.PathLike[str] | BinaryIO,
    filename: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    ocr: bool = False,
) -> ParsedReport:
    """Parse a report from a path, from uploaded bytes or from an open binary file (such as
    an upload's stream); `filename` is the uploaded name, a hint only. A scanned PDF is read
    by OCR only when `ocr` is true (it takes seconds a page: a background job's work)."""
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif hasattr(source, "read"):
        try:
            data = source.read(max_bytes + 1)  # never more than the limit into memory
        except (OSError, ValueError) as error:
            raise ReportParseError("The upload could not be read: try again.") from error
    else:
        data = _read_path(Path(source), max_bytes)
        filename = filename or Path(source).name
    if len(data) > max_bytes:
        raise ReportParseError(_too_big(max_bytes))
    try:
        return parse_lines(read_source(data, filename))
    except ScannedPdf as scan:
        if not ocr:
            raise
        recognised = with_text_layer(data, scan.pages)
    report = parse_lines(read_source(recognised, filename, recognised=True))
    report.read_by_ocr = True
    return report


def parse_text(text: str) -> ParsedReport:
    """Parse a report pasted as text."""
    if not text or not text.strip():
        raise ReportParseError("The text is empty.")
    if len(text) > MAX_TEXT_CHARS:
        raise ReportParseError("The text is too long to be one report.")
    return parse_lines(text_lines(text))


def _read_path(path: Path, max_bytes: int) -> bytes:
    try:
        if path.stat().st_size > max_bytes:  # refuse before reading it into memory
            raise ReportParseError(_too_big(max_bytes))
        return path.read_bytes()
    except OSError as error:
        raise ReportParseError(f"The file '{path.name}' cannot be opened.") from error


def _too_big(max_bytes: int) -> str:
    size = f"{max_bytes / 1024 / 1024:g} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} bytes"
    return f"The file is larger than {size}: upload the report on its own."
