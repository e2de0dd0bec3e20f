"""The export formats of the plan and the board report: one table for the views and the CLI."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from workflow.models import Inspection
from workflow.plans.board_report import BoardReport
from workflow.plans.builder import Plan
from workflow.plans.render.board_report import render_report_docx, render_report_pdf
from workflow.plans.render.csv import render_csv
from workflow.plans.render.docx import render_docx
from workflow.plans.render.html import render_html
from workflow.plans.render.pdf import render_pdf
from workflow.plans.render.xlsx import render_xlsx


@dataclass(frozen=True)
class Format:
    label: str
    mimetype: str
    render: Callable


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PLAN_FORMATS = {
    "docx": Format("Word (DOCX)", DOCX, render_docx),
    "pdf": Format("PDF", "application/pdf", render_pdf),
    "xlsx": Format("Excel tracker (XLSX)", XLSX, render_xlsx),
    "csv": Format("CSV tracker", "text/csv; charset=utf-8", render_csv),
    "html": Format("Web page (HTML)", "text/html; charset=utf-8", render_html),
}
REPORT_FORMATS = {
    "docx": Format("Word (DOCX)", DOCX, render_report_docx),
    "pdf": Format("PDF", "application/pdf", render_report_pdf),
}


def export_plan(plan: Plan, fmt: str) -> bytes:
    data = PLAN_FORMATS[fmt].render(plan)
    return data.encode("utf-8") if isinstance(data, str) else data


def export_report(report: BoardReport, fmt: str) -> bytes:
    return REPORT_FORMATS[fmt].render(report)


def file_name(inspection: Inspection, what: str, fmt: str, on: date) -> str:
    """'wolverhampton-action-plan-2026-11-24.docx': plain ASCII, safe in any header."""
    authority = re.sub(r"[^a-z0-9]+", "-", inspection.authority.name.lower()).strip("-")
    return f"{authority[:60]}-{what}-{on.isoformat()}.{fmt}"
