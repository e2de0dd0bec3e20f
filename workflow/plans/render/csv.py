"""The tracker as CSV, safe to open in a spreadsheet."""

import csv
import io
from datetime import date

from workflow.plans.builder import Plan
from workflow.plans.render.tracker import COLUMNS, Cell, tracker_rows

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Prefix an apostrophe so the cell is shown as text, never evaluated."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def render_csv(plan: Plan) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads accents and emoji correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in tracker_rows(plan):
        writer.writerow([_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))
