"""The importer's result types and its one exception.

Owns the shape of what the importer hands to the rest of the app: a `ParsedReport` with its
judgements, numbered paragraphs and recommendations, and `to_json_dict()`, the exact JSON form
the review screen and the API exchange.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

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
        if self.kind == "sif":
            result["lscb_recommendations"] = list(self.lscb_recommendations)
        return result


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
