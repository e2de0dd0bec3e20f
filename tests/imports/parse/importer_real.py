"""The real Ofsted reports in ../shared and what they must give, for tests and the bench.

The reports live outside the project: `SHARED` is the folder beside the repository. The
index.csv helpers turn the public scraper's columns into comparable values (its blanks and
"data_unreadable" become None); the other tables were read off the reports by hand.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
REPORTS = SHARED / "reports"
SEEDS = SHARED / "seeds"
SEED_2022 = SEEDS / "2022-ofsted-ilacs-report-wolverhampton.txt"
PDF_2022 = REPORTS / "wolverhampton-2022-05-18.pdf"
PDF_2017 = REPORTS / "wolverhampton-2017-03-31.pdf"


def seed_bullets(text: str) -> list[str]:
    """The seed's "What needs to improve?" bullets, exactly as printed after "- "."""
    return [line[2:] for line in text.splitlines() if line.startswith("- ")]


# The real reports: what a careful reading of each one finds (council, LSCB).
REAL_RECOMMENDATION_COUNTS = {
    "derby-2022-05-11.pdf": (2, 0),
    "isles-of-scilly-2019-12-19.pdf": (4, 0),
    "kingston-upon-hull-2019-05-17.pdf": (10, 0),
    "reading-2024-07-12.pdf": (6, 0),
    "surrey-2015-08-03.pdf": (8, 0),  # a review of the LSCB alone: its list is the board's
    "wakefield-2016-09-20.pdf": (13, 4),
    "west-northamptonshire-2026-07-07.pdf": (2, 0),
    "wolverhampton-2017-03-31.pdf": (11, 5),
    "wolverhampton-2022-05-18.pdf": (5, 0),
    "wolverhampton-2026-06-18.pdf": (3, 0),
}

# Exact recommendations, read off the reports by hand (the seed gives Wolverhampton 2022's).
REAL_RECOMMENDATIONS = {
    "derby-2022-05-11.pdf": (
        "Access for all children to life-story work that helps them to understand their histories.",
        "Sufficiency of placement choice and location for children in care.",
    ),
    "isles-of-scilly-2019-12-19.pdf": (
        "Greater clarity among education colleagues about what is a contact and what is "
        "informal advice.",
        "The recording of decisions that are made in strategy meetings, to more clearly "
        "demonstrate rationale for decisions and consideration of the significant harm "
        "threshold.",
        "The quality of assessments and other case records to ensure that they are "
        "consistently up to date and easily understood by children and families.",
        "The sufficiency of on-island foster placements and the clarity of quality practice "
        "standards for emergency placements.",
    ),
    "west-northamptonshire-2026-07-07.pdf": (
        "The quality of the support and plans for children in need, including disabled "
        "children. (Outcome 1, national framework)",
        "Communication of the local offer for care-experienced young adults, including "
        "clarity about the support provided to those over the age of 21. (Outcome 4, "
        "national framework)",
    ),
    "wolverhampton-2026-06-18.pdf": (
        "Identification and timely multi-agency decision-making through a strategy "
        "discussion when the threshold for the risk of significant harm about a child is met "
        "(outcome 3, national framework)",
        "The quality of the recording by managers of management oversight and threshold "
        "decision-making in the multi-agency safeguarding hub (outcome 1, national "
        "framework)",
        "The quality of pre-proceedings letters to parents (outcome 1, national framework)",
    ),
    "reading-2024-07-12.pdf": (
        "The quality of assessment, planning and provision for children in need, 16- and "
        "17-year-olds who are homeless and children living in private fostering "
        "arrangements.",
        "The timely identification of risk for children.",
        "The workforce development, training and support offer to attract and retain staff.",
        "The timely assessment of and support for connected carers, kinship carers and "
        "special guardians.",
        "The development and embedding of the response to children at risk of harm outside "
        "the home.",
        "The timely publication of the local offer for care leavers and the implementation "
        "of the delayed measures to improve corporate parenting for care-experienced young "
        "people.",
    ),
}

# Front matter the index leaves empty for the SIF reports, read off their own front pages:
# (start, end, lead inspector, published).
REAL_SIF_FRONT_MATTER = {
    "wolverhampton-2017-03-31.pdf": ("2017-01-16", "2017-02-09", "Nigel Parkes", "2017-03-31"),
    "wakefield-2016-09-20.pdf": ("2016-07-05", "2016-07-27", "Susan Myers", "2016-09-20"),
    "surrey-2015-08-03.pdf": ("2015-06-15", "2015-06-17", "Dominic Stevens", "2015-08-03"),
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
