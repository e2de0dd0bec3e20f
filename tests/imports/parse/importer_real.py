"""The real Ofsted reports in ../shared and what they must give, for tests and the bench.

The reports live outside the project: `SHARED` is the folder beside the repository. The
index.csv helpers turn the public scraper's columns into comparable values (its blanks and
"data_unreadable" become None); the other tables were read off the reports by hand.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from tests.imports.parse.importer_real_texts import (
    REAL_LSCB_COUNTS,
    REAL_RECOMMENDATIONS,
    REAL_SIF_FRONT_MATTER,
)

__all__ = ["REAL_LSCB_COUNTS", "REAL_RECOMMENDATIONS", "REAL_SIF_FRONT_MATTER"]

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
REPORTS = SHARED / "reports"
SEEDS = SHARED / "seeds"
SEED_2022 = SEEDS / "2022-ofsted-ilacs-report-wolverhampton.txt"
PDF_2022 = REPORTS / "wolverhampton-2022-05-18.pdf"
PDF_2017 = REPORTS / "wolverhampton-2017-03-31.pdf"


def seed_bullets(text: str) -> list[str]:
    """The seed's "What needs to improve?" bullets, exactly as printed after "- "."""
    return [line[2:] for line in text.splitlines() if line.startswith("- ")]


# The real reports: what a careful reading of each one finds (see importer_real_texts).
REAL_RECOMMENDATION_COUNTS = {
    name: (len(texts), REAL_LSCB_COUNTS.get(name, 0))
    for name, texts in REAL_RECOMMENDATIONS.items()
}

# Text that would mean page furniture or a list heading leaked into a recommendation.
JUNK_PATTERNS = (
    r"local authority children's services \d",
    r"Inspection of .* children's services",
    r"Crown copyright",
    r"www\.",
    r"should:$",
    r"What needs to improve",
    r"Areas for (?:improvement|priority action)$",
    r"\b\d{1,2} (?:to|-) \d{1,2} \w+ \d{4}$",
    r"National Framework\. This statutory guidance",
)


def index_rows() -> list[dict[str, str]]:
    with (REPORTS / "index.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


_UNUSABLE = {"", "data_unreadable", "not_reported_post_reform", "inspection_pre_dates_judgement"}


def index_value(row: dict[str, str], column: str) -> str | None:
    """The index's value, or None where the index has nothing usable."""
    value = (row.get(column) or "").strip()
    return None if value.lower() in _UNUSABLE else value


def index_date(row: dict[str, str], column: str) -> date | None:
    value = index_value(row, column)
    return datetime.strptime(value, "%d/%m/%Y").date() if value else None


def index_kind(row: dict[str, str]) -> tuple[str, str] | None:
    """("ilacs", "short"|"standard") from the index's framework column."""
    value = index_value(row, "inspection_framework")
    return ("ilacs", value) if value in ("short", "standard") else None


def name_key(name: str | None) -> str:
    return " ".join((name or "").lower().replace("'", "'").split())


# Pasted copies that do not yet read as the PDF does: a copy loses the layout that tells a
# sub-heading inside a list from the heading after it, and lays a judgement table's cells out
# in an order the table reader does not follow. Known gaps of the paste path, not of the PDF's.
PASTE_GAPS = {
    ("bradford-2014-05-23.pdf", "pdfplumber"),
    ("leeds-2015-03-27.pdf", "pdfplumber"),
    ("leeds-2015-03-27.pdf", "pypdf"),
    ("rotherham-2014-11-19.pdf", "pdfplumber"),
    ("rotherham-2014-11-19.pdf", "pypdf"),
    ("sandwell-2015-06-05.pdf", "pdfplumber"),
    ("sandwell-2015-06-05.pdf", "pypdf"),
}
