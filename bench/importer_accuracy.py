"""Extraction accuracy of the report importer, field by field.

Runs the importer over every fixture of tests/imports/parse (expected results in
tests/imports/parse/importer_cases.py) and, when ../shared is present, over the real Ofsted PDFs
(checked against index.csv where it has a value, the recommendation counts a careful reading
gives, and exact recommendation texts where they were read off by hand), each PDF also
pasted as plain text as two different PDF libraries extract it. Prints one row per document
and the accuracy per field and overall, then the speed of reading each real PDF: CPU
seconds, seconds per page, and the ratio to a plain text extraction of the same file with
pypdf in the same run (budget: every report under 1.5 s and at most 3 times pypdf). Exits
non-zero when a check fails or a budget is missed; a pasted copy listed in PASTE_GAPS
(tests/imports/parse/importer_real.py) is reported as a known gap instead.

    python bench/importer_accuracy.py            # accuracy and speed
    python bench/importer_accuracy.py --speed    # speed only
    python bench/importer_accuracy.py --no-paste # the PDFs themselves, not pasted copies
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from tests.imports.parse.importer_cases import CASES  # noqa: E402
from tests.imports.parse.importer_real import (  # noqa: E402
    PASTE_GAPS,
    REAL_RECOMMENDATION_COUNTS,
    REAL_RECOMMENDATIONS,
    REAL_SIF_FRONT_MATTER,
    REPORTS,
    SEED_2022,
    index_date,
    index_kind,
    index_rows,
    index_value,
    name_key,
    seed_bullets,
)
from workflow.imports.parse import (  # noqa: E402
    ParsedReport,
    ReportParseError,
    authority_key,
    parse_file,
    parse_text,
)

FIELDS = (
    "kind",
    "authority",
    "dates",
    "inspector",
    "published",
    "judgements",
    "rec count",
    "rec texts",
)
GRADE_COLUMNS = {
    "overall_effectiveness_grade": "overall effectiveness",
    "impact_of_leaders_grade": "the impact of leaders",
    "help_and_protection_grade": "children who need help and protection",
    "in_care_grade": "children in care",
    "care_leavers_grade": "care leavers",
}


@dataclass
class Row:
    """One document's checks: field -> True (right), False (wrong); absent = unknown."""

    name: str
    source: str
    checks: dict[str, bool] = field(default_factory=dict)
    seconds: float = 0.0
    error: str = ""
    known_gap: bool = False  # a pasted copy listed in PASTE_GAPS

    @property
    def right(self) -> bool:
        return bool(self.checks) and all(self.checks.values())


def check_fixture(case) -> Row:
    row = Row(case.name, case.shape or case.filename)
    started = time.perf_counter()
    try:
        data = case.build()
        report = parse_text(data.decode()) if case.pasted else parse_file(data, case.filename)
    except ReportParseError as error:
        row.error = str(error)
        return row
    row.seconds = time.perf_counter() - started
    want = case.expected
    row.checks = {
        "kind": report.kind == want.kind,
        "authority": report.authority == want.authority,
        "dates": (report.start_date, report.end_date) == (want.start, want.end),
        "inspector": report.lead_inspector == want.lead_inspector,
        "rec count": len(report.recommendations) == len(want.recommendations),
        "rec texts": tuple(r.text for r in report.recommendations) == want.recommendations
        and tuple(report.lscb_recommendations) == want.lscb,
    }
    if want.judgements:
        row.checks["judgements"] = (
            tuple((j.area, j.grade) for j in report.judgements) == want.judgements
        )
    return row


def check_real(index_row: dict[str, str], viewer: str | None) -> Row:
    """`viewer` None reads the PDF itself; a library's name pastes the text it extracts."""
    path = REPORTS / index_row["file"]
    row = Row(index_row["file"], f"PDF pasted as text ({viewer})" if viewer else "PDF")
    row.known_gap = (index_row["file"], viewer) in PASTE_GAPS
    started = time.perf_counter()
    try:
        report = _parse_real(path, viewer)
    except ReportParseError as error:
        row.error = str(error)
        return row
    row.seconds = time.perf_counter() - started
    row.checks = _real_checks(index_row, report)
    return row


def _parse_real(path: Path, viewer: str | None) -> ParsedReport:
    if viewer is None:
        return parse_file(path)
    if viewer == "pypdf":
        return parse_text("\n".join(page.extract_text() for page in PdfReader(path).pages))
    with pdfplumber.open(path) as pdf:
        return parse_text("\n".join(page.extract_text() or "" for page in pdf.pages))


def _real_checks(index_row: dict[str, str], report: ParsedReport) -> dict[str, bool]:
    checks: dict[str, bool] = {}
    kind = index_kind(index_row)
    checks["kind"] = (report.kind, report.ilacs_variant) == kind if kind else report.kind == "sif"
    checks["authority"] = authority_key(report.authority) == index_row["local_authority"]
    start, end = (index_date(index_row, f"inspection_{e}_date") for e in ("start", "end"))
    inspector = index_value(index_row, "inspector_name")
    if sif := REAL_SIF_FRONT_MATTER.get(index_row["file"]):
        start, end = (date.fromisoformat(day) for day in sif[:2])
        inspector = sif[2]
        published = date.fromisoformat(sif[3]) if sif[3] else None
        checks["published"] = report.published_date == published
    if start or end:
        checks["dates"] = (report.start_date, report.end_date) == (start, end)
    if inspector:
        checks["inspector"] = name_key(report.lead_inspector) == name_key(inspector)
    if grades := _grade_check(index_row, report):
        checks["judgements"] = all(grades)
    counts = REAL_RECOMMENDATION_COUNTS.get(index_row["file"])
    if counts:
        found = (len(report.recommendations), len(report.lscb_recommendations))
        checks["rec count"] = found == counts
    expected = REAL_RECOMMENDATIONS.get(index_row["file"])
    if index_row["file"] == "wolverhampton-2022-05-18.pdf" and SEED_2022.exists():
        expected = tuple(seed_bullets(SEED_2022.read_text(encoding="utf-8")))
    if expected:
        checks["rec texts"] = tuple(r.text for r in report.recommendations) == expected
    return checks


def _grade_check(index_row: dict[str, str], report: ParsedReport) -> list[bool]:
    results = []
    for column, phrase in GRADE_COLUMNS.items():
        value = index_value(index_row, column)
        if not value:
            continue
        grades = [j.grade.lower() for j in report.judgements if phrase in j.area.lower()]
        results.append(bool(grades) and grades[0].startswith(value))
    return results


def seed_row() -> Row:
    row = Row(SEED_2022.name, "seed text file")
    started = time.perf_counter()
    report = parse_file(SEED_2022)
    row.seconds = time.perf_counter() - started
    expected = seed_bullets(SEED_2022.read_text(encoding="utf-8"))
    row.checks = {
        "kind": report.kind == "ilacs",
        "authority": report.authority == "City of Wolverhampton",
        "dates": report.to_json_dict()["inspection_dates"]
        == {"start": "2022-03-28", "end": "2022-04-01"},
        "inspector": report.lead_inspector == "Andy Waugh",
        "judgements": len(report.judgements) == 4,
        "rec count": len(report.recommendations) == 5,
        "rec texts": [r.text for r in report.recommendations] == expected,
    }
    return row


def print_table(rows: list[Row]) -> None:
    mark: Callable[[Row, str], str] = lambda row, name: (  # noqa: E731
        "ERR" if row.error else {True: "ok", False: "FAIL"}.get(row.checks.get(name), "-")
    )
    header = f"{'document':40} {'source':34} " + " ".join(f"{f:>10}" for f in FIELDS)
    print(header + "   seconds")
    print("-" * len(header) + "----------")
    for row in rows:
        cells = " ".join(f"{mark(row, f):>10}" for f in FIELDS)
        print(f"{row.name[:40]:40} {row.source[:34]:34} {cells} {row.seconds:9.2f}")
        if row.error:
            print(f"    error: {row.error}")


def print_summary(rows: list[Row]) -> None:
    print("\nAccuracy per field (right / checked):")
    right_total = checked_total = 0
    for name in FIELDS:
        values = [row.checks[name] for row in rows if name in row.checks and not row.error]
        errors = sum(1 for row in rows if row.error)
        right, checked = sum(values), len(values) + errors
        right_total, checked_total = right_total + right, checked_total + checked
        share = f"{100 * right / checked:5.1f}%" if checked else "   n/a"
        print(f"  {name:12} {right:3} / {checked:<3} {share}")
    overall = 100 * right_total / checked_total if checked_total else 0.0
    documents = sum(1 for row in rows if row.right)
    print(f"  {'overall':12} {right_total:3} / {checked_total:<3} {overall:5.1f}%")
    print(f"  documents with every checked field right: {documents} / {len(rows)}")


BUDGET_SECONDS = 1.5
BUDGET_RATIO = 3.0


def _best_of(runs: int, work: Callable[[], object]) -> float:
    """The least CPU time of `runs` runs: the work's own cost, not the time spent waiting
    for a core another process holds (the machine is shared)."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def _pypdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def speed(runs: int = 3) -> list[dict]:
    """Each real PDF read by the importer and by pypdf's plain text extraction: CPU seconds,
    the least of `runs` runs. Empty when the reports are not there."""
    reports = sorted(REPORTS.glob("*.pdf"))
    if not reports:
        return []
    parse_file(reports[0])  # the libraries loaded before the clock starts
    results = []
    for path in reports:
        data = path.read_bytes()
        ours = _best_of(runs, lambda data=data, name=path.name: parse_file(data, name))
        plain = _best_of(runs, lambda path=path: _pypdf_text(path))
        pages = len(PdfReader(path).pages)
        results.append({"name": path.name, "pages": pages, "seconds": ours, "pypdf": plain})
    return results


def speed_budgets(results: list[dict]) -> list[dict]:
    """Within budget: every report under BUDGET_SECONDS of CPU, and at most BUDGET_RATIO times
    pypdf's time on the same file in the same run (the ratio holds on a busier machine)."""
    if not results:
        return []
    slowest = max(results, key=lambda r: r["seconds"])
    highest = max(results, key=lambda r: r["seconds"] / r["pypdf"])
    ratio = highest["seconds"] / highest["pypdf"]
    return [
        {
            "budget": f"import: every report under {BUDGET_SECONDS:g} s of CPU",
            "measured": f"slowest {slowest['name']} {slowest['seconds']:.2f} s "
            f"of {len(results)} reports",
            "met": slowest["seconds"] < BUDGET_SECONDS,
        },
        {
            "budget": f"import: at most {BUDGET_RATIO:g}x pypdf's text extraction",
            "measured": f"highest {highest['name']} {ratio:.2f}x",
            "met": ratio <= BUDGET_RATIO,
        },
    ]


def print_speed() -> bool:
    """The speed table, best of 3 (see speed_budgets for the budget)."""
    load = " / ".join(f"{figure:.2f}" for figure in os.getloadavg())
    print("\nSpeed: CPU seconds, best of 3, the importer on each real PDF against pypdf's text")
    print(f"extraction of the same file (load average at the start: {load})")
    columns = ("pages", 5), ("importer s", 10), ("per page", 9), ("pypdf s", 8), ("ratio", 6)
    print(f"{'document':40} " + " ".join(f"{name:>{width}}" for name, width in columns))
    results = speed()
    for r in results:
        pages, ours, ratio = r["pages"], r["seconds"], r["seconds"] / r["pypdf"]
        figures = f"{pages:5} {ours:10.2f} {ours / pages:9.3f} {r['pypdf']:8.2f} {ratio:6.2f}"
        print(f"{r['name'][:40]:40} {figures}")
    if not results:
        return True
    total_pages = sum(r["pages"] for r in results)
    mean = sum(r["seconds"] for r in results) / total_pages
    per_page = max(results, key=lambda r: r["seconds"] / r["pages"])
    most = per_page["seconds"] / per_page["pages"]
    print(f"  per page: {mean:.3f} s over {total_pages} pages; most {per_page['name']} {most:.3f}")
    checks = speed_budgets(results)
    for check in checks:
        print(f"  {'met   ' if check['met'] else 'MISSED'} {check['budget']}: {check['measured']}")
    return all(check["met"] for check in checks)


def main() -> int:
    logging.basicConfig(level=logging.ERROR)
    if "--speed" in sys.argv[1:]:
        return 0 if print_speed() else 1
    rows = [check_fixture(case) for case in CASES]
    if (REPORTS / "index.csv").exists():
        for index_row in index_rows():
            viewers = (None,) if "--no-paste" in sys.argv[1:] else (None, "pdfplumber", "pypdf")
            for viewer in viewers:
                rows.append(check_real(index_row, viewer))
    else:
        print(f"(real reports not found at {REPORTS}: fixtures only)\n")
    if SEED_2022.exists():
        rows.append(seed_row())
    print_table(rows)
    print_summary(rows)
    fast = print_speed() if (REPORTS / "index.csv").exists() else True
    # The known gaps of pasted text are reported, not failed: the tests hold the list to
    # what still reads wrong (strict expected failures, which also check judgement rows).
    gaps = [f"{row.name} ({row.source})" for row in rows if row.known_gap and not row.right]
    wrong = [f"{row.name} ({row.source})" for row in rows if not row.known_gap and not row.right]
    print(f"\nKnown gaps of pasted text still wrong: {len(gaps)}: {', '.join(gaps) or 'none'}")
    print(f"Wrong outside the known gaps: {', '.join(wrong) or 'none'}")
    return 0 if fast and not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
