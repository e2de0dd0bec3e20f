"""The export formats of the plan and the board report: one table for the views and the CLI.

Each renderer is imported when first used: Word, Excel and WeasyPrint take seconds and tens
of megabytes to load, which a web worker should not pay before anyone downloads a file.
"""

import importlib
import re
from dataclasses import dataclass
from datetime import date

from workflow.models import Inspection
from workflow.plans.board_report import BoardReport
from workflow.plans.builder import Plan


@dataclass(frozen=True)
class Format:
    label: str
    mimetype: str
    renderer: str  # "module:function"

    def render(self, *args, **kwargs):
        module, function = self.renderer.split(":")
        return getattr(importlib.import_module(module), function)(*args, **kwargs)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RENDER = "workflow.plans.render"

PLAN_FORMATS = {
    "docx": Format("Word (DOCX)", DOCX, f"{RENDER}.docx:render_docx"),
    "pdf": Format("PDF", "application/pdf", f"{RENDER}.pdf:render_pdf"),
    "xlsx": Format("Excel tracker (XLSX)", XLSX, f"{RENDER}.xlsx:render_xlsx"),
    "csv": Format("CSV tracker", "text/csv; charset=utf-8", f"{RENDER}.csv:render_csv"),
    "html": Format("Web page (HTML)", "text/html; charset=utf-8", f"{RENDER}.html:render_html"),
}
SELF_EVALUATION_FORMATS = {
    "docx": Format("Word (DOCX)", DOCX, f"{RENDER}.self_evaluation:render_self_evaluation_docx"),
    "pdf": Format("PDF", "application/pdf", f"{RENDER}.self_evaluation:render_self_evaluation_pdf"),
}
REPORT_FORMATS = {
    "docx": Format("Word (DOCX)", DOCX, f"{RENDER}.board_report:render_report_docx"),
    "pdf": Format("PDF", "application/pdf", f"{RENDER}.board_report:render_report_pdf"),
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
