"""The tracker as an Excel workbook: real dates, a frozen header, filters, RAG validation."""

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from workflow.core.rag import EXCEPTION_RULE
from workflow.models import Rag
from workflow.plans.builder import Plan
from workflow.plans.render.style import RAG_FILLS, RAG_TEXT
from workflow.plans.render.tracker import (
    COLUMNS,
    DATE_COLUMNS,
    EXCEPTION_COLUMN,
    RAG_COLUMN,
    tracker_rows,
)

WIDTHS = {"Action": 50, "Measure of success": 40, "Progress (latest approved update)": 50}
WIDTHS |= {"Evidence": 35, "Lead officer": 20, "Service area": 22, "Status": 13}
WIDTHS |= {"Judgement area": 30, "Recommendation text": 50, "Senior lead": 20}
WIDTHS |= {"Measures (latest against target and baseline)": 45, "Impact": 22}
WIDTHS |= {"Reason due date revised": 30, RAG_COLUMN: 14, EXCEPTION_COLUMN: 40}


def render_xlsx(plan: Plan) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Action tracker"
    sheet.append(COLUMNS)
    for row in tracker_rows(plan):
        sheet.append(row)
    last_row = max(sheet.max_row, 2)
    _format(sheet, last_row)
    _rag_rules(sheet, last_row)
    _details_sheet(workbook.create_sheet("Plan details"), plan)
    _key_sheet(workbook.create_sheet("Keys"), plan)
    workbook.properties.title = plan.title
    workbook.properties.language = "en-GB"
    workbook.properties.creator = plan.cover.authority
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _format(sheet, last_row: int) -> None:
    for index, name in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(name, 12)
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        header.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in sheet[letter][1:]:
            if name in DATE_COLUMNS:
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(cell.value, str):
                # openpyxl stores text starting "=" as a formula: keep every string a string.
                cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last_row}"


def _rag_rules(sheet, last_row: int) -> None:
    letter = get_column_letter(COLUMNS.index(RAG_COLUMN) + 1)
    cells = f"{letter}2:{letter}{last_row}"
    labels = ",".join(rag.label for rag in Rag)
    validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=False)
    validation.error, validation.errorTitle = f"Choose one of {labels}", "RAG rating"
    validation.add(cells)
    sheet.add_data_validation(validation)
    for rag in Rag:
        fill = PatternFill(start_color=RAG_FILLS[rag], end_color=RAG_FILLS[rag], fill_type="solid")
        rule = CellIsRule(
            operator="equal",
            formula=[f'"{rag.label}"'],
            fill=fill,
            font=Font(color=RAG_TEXT[rag], bold=True),
        )
        sheet.conditional_formatting.add(cells, rule)


def _details_sheet(sheet, plan: Plan) -> None:
    cover = plan.cover
    rows: list[tuple[str, str | date | None]] = [
        ("Authority", cover.authority),
        ("Inspection", cover.inspection_kind),
        ("Inspection dates", cover.inspection_dates),
        ("Lead inspector", cover.lead_inspector),
        ("Plan owner", cover.plan_owner),
        ("Report received", cover.received_on),
        *((d.label, d.due) for d in cover.deadlines),
        ("Version", cover.version_label),
        ("Prepared on", cover.prepared_on),
    ]
    for label, value in rows:
        sheet.append([label, value])
        if isinstance(value, date):
            sheet.cell(row=sheet.max_row, column=2).number_format = "dd/mm/yyyy"
        elif isinstance(value, str):
            sheet.cell(row=sheet.max_row, column=2).data_type = "s"
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 60


def _key_sheet(sheet, plan: Plan) -> None:
    """Both keys: the authority's RAG rules and what each impact word means."""
    sheet.append(["Delivery rating (RAG)", "What it means"])
    for rag, definition in plan.rag_key:
        sheet.append([rag.label, definition])
    sheet.append(["Exception", EXCEPTION_RULE])
    sheet.append([])
    sheet.append(["Impact", "What it means"])
    for word, definition in plan.impact_key:
        sheet.append([word, definition])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet["A1"].font = Font(bold=True)
    sheet.cell(row=len(plan.rag_key) + 4, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 90
