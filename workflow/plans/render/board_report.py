"""The board progress report as Word and PDF."""

import io

from docx import Document

from workflow.plans.board_report import BoardReport
from workflow.plans.render import docx as word
from workflow.plans.render.html import STYLESHEET, render_document
from workflow.plans.render.html_pdf import STATIC_BASE, html_to_pdf
from workflow.plans.render.style import long_date

SECTIONS = [
    ("Actions completed", "completed"),
    ("RAG changes", "rag_changes"),
    ("Due dates moved back", "slips"),
    ("Measures of success that moved", "measures"),
]


def render_report_pdf(report: BoardReport) -> bytes:
    page = render_document(
        "plans/report_document.html", report=report, stylesheet_href=STATIC_BASE + STYLESHEET
    )
    return html_to_pdf(page)


def render_report_docx(report: BoardReport) -> bytes:
    document = Document()
    word.page_setup(document, report.title)
    word.apply_styles(document)
    word.describe(document, report.title, report.authority)
    document.add_paragraph("Progress on the Ofsted action plan", style="Title")
    document.add_paragraph(report.authority, style="Subtitle")
    details = word.add_table(document, None, [50, 130])
    for label, value in [
        ("Report to", "Corporate Parenting Board; scrutiny"),
        ("Inspection", report.inspection),
        ("Period", report.period),
        ("Prepared on", long_date(report.prepared_on)),
    ]:
        word.add_row(details, [label, value])[0].paragraphs[0].runs[0].bold = True
    for heading, text in [
        ("Recommendation for noting", report.noting),
        ("1.0 Purpose", f"1.1 {report.purpose}"),
        ("2.0 Summary", f"2.1 {report.summary}"),
    ]:
        document.add_heading(heading, level=1)
        document.add_paragraph(text)
    document.add_heading("3.0 Progress by recommendation", level=1)
    for index, recommendation in enumerate(report.recommendations, start=1):
        _recommendation(document, index, recommendation)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _recommendation(document, index: int, progress) -> None:
    document.add_heading(f"3.{index} Recommendation {progress.number}", level=2)
    document.add_paragraph(progress.text)
    plural = "s" if progress.actions_total != 1 else ""
    document.add_paragraph(
        f"{progress.actions_complete} of {progress.actions_total} action{plural} complete."
    )
    if progress.quiet:
        document.add_paragraph("No changes were approved in this period.")
        return
    for heading, kind in SECTIONS:
        document.add_paragraph(heading, style="Heading 3")
        items = getattr(progress, kind)
        for item in items:
            document.add_paragraph(item.line, style="List Bullet")
        if not items:
            document.add_paragraph("None in this period.")
