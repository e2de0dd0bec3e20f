"""The importer's types: the lines it reads, its result, and its one exception.

Owns the shape of what the importer hands to the rest of the app: a `ParsedReport` with its
judgements, numbered paragraphs and recommendations, and `to_json_dict()`, the exact JSON form
the review screen and the API exchange.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class Line:
    """One physical line (or, for Word and HTML, one whole paragraph) of the document.

    Layout facts are None when the format cannot tell them: a pasted text knows nothing of
    bold type, a Word paragraph knows nothing of page positions.
    """

    text: str
    page: int | None = None
    indent: float | None = None  # PDF: x position in points; text: leading spaces
    gap: bool | None = None  # a paragraph break (blank line, extra spacing) comes before it
    page_start: bool = False
    heading: bool | None = None  # set out as a heading (bold, larger, heading style)
    complete: bool = False  # a whole paragraph (Word, HTML), never joined to its neighbours
    row: bool = False  # a table row, cells separated by tabs
    level: int = 0  # list nesting depth from Word or HTML
    size: float | None = None


_MARKER_CELL_RE = re.compile(r"^(?:\(?\w{1,3}[.)]|\S)$")


def is_row(text: str) -> bool:
    """A tab between two cells makes a table row; a tab after a list number does not."""
    cells = [cell.strip() for cell in text.split("\t") if cell.strip()]
    return len(cells) >= 2 and not _MARKER_CELL_RE.match(cells[0])


KINDS = ("ilacs", "focused_visit", "jtai", "sif", "monitoring")


class ReportParseError(Exception):
    """The upload cannot be turned into a report; `message` is one line a user can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Judgement:
    """One row of the report's judgement table, in the report's own wording."""

    area: str
    grade: str


@dataclass(frozen=True)
class Paragraph:
    """A numbered paragraph of the report and the heading it sits under."""

    number: int
    text: str
    heading: str | None = None


@dataclass
class Recommendation:
    """One recommendation (area for improvement) and the paragraphs that evidence it.

    `number` is the position in the report's list, from 1. `paragraphs` are paragraph numbers,
    best evidence first: those the recommendation cites itself, then the closest by TF-IDF.
    `priority` marks "areas for priority action" (and the older SIF "priority and immediate
    action").
    """

    number: int
    text: str
    paragraphs: list[int] = field(default_factory=list)
    priority: bool = False


@dataclass
class Area:
    """An area a monitoring visit covered, and the letter's paragraphs about it, best first."""

    text: str
    findings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Partner:
    """An organisation a joint inspection names, and the part it plays ("Police")."""

    role: str
    name: str


@dataclass
class ParsedReport:
    """Everything the importer could read from one Ofsted report or letter."""

    authority: str
    kind: str
    recommendations: list[Recommendation]
    ilacs_variant: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    lead_inspector: str | None = None
    judgements: list[Judgement] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    lscb_recommendations: list[str] = field(default_factory=list)
    published_date: date | None = None
    notes: list[str] = field(default_factory=list)
    trust: str | None = None  # the children's trust named in the title, if a trust runs them
    areas: list[Area] = field(default_factory=list)  # a monitoring visit's
    partners: list[Partner] = field(default_factory=list)  # a joint inspection's
    read_by_ocr: bool = False  # a scan: the text is OCR's, to be checked against the report

    def to_json_dict(self) -> dict[str, Any]:
        """The report in the importer's JSON exchange form (dates as ISO strings or null)."""
        result: dict[str, Any] = {
            "authority": self.authority,
            "kind": self.kind,
            "inspection_dates": {
                "start": _iso(self.start_date),
                "end": _iso(self.end_date),
            },
            "lead_inspector": self.lead_inspector,
            "judgements": [{"area": j.area, "grade": j.grade} for j in self.judgements],
            "recommendations": [
                {"number": r.number, "text": r.text, "paragraphs": list(r.paragraphs)}
                for r in self.recommendations
            ],
        }
        if self.trust:
            result["trust"] = self.trust
        if self.read_by_ocr:
            result["read_by_ocr"] = True
        if self.kind == "sif":
            result["lscb_recommendations"] = list(self.lscb_recommendations)
        if self.kind == "monitoring":
            result["areas"] = [{"text": a.text, "findings": list(a.findings)} for a in self.areas]
        if self.kind == "jtai":
            result["partners"] = [{"role": p.role, "name": p.name} for p in self.partners]
        return result


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
