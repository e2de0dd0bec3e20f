"""The self-evaluation pack as Word and PDF (A4 portrait, like the councils' own)."""

import io

from workflow.plans.render.html import STYLESHEET, render_document
from workflow.plans.render.html_pdf import STATIC_BASE, html_to_pdf
from workflow.plans.render.style import long_date, short_date
from workflow.plans.self_evaluation import SelfEvaluation


def render_self_evaluation_pdf(pack: SelfEvaluation) -> bytes:
    page = render_document(
        "plans/self_evaluation_document.html",
        pack=pack,
        stylesheet_href=STATIC_BASE + STYLESHEET,
    )
    return html_to_pdf(page)


def render_self_evaluation_docx(pack: SelfEvaluation) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    from workflow.plans.render import docx as word

    document = Document()
    word.page_setup(document, pack.title)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    word.apply_styles(document)
    word.describe(document, pack.title, pack.authority)
    document.add_paragraph("Self-evaluation of social work practice", style="Title")
    document.add_paragraph(pack.authority, style="Subtitle")
    document.add_paragraph(f"Period: {pack.period}. Prepared on {long_date(pack.prepared_on)}.")
    word._heading(document, "Overview", 1)
    _paragraphs(document, pack.overview or "No overview has been written yet.")
    for area in pack.areas:
        word._heading(document, area.title, 1)
        word._heading(document, "What we know about the quality and impact of practice", 2)
        _paragraphs(document, area.narrative or "No narrative has been written for this area yet.")
        if area.measures:
            table = word.add_table(
                document, ["Measure", "Baseline", "Latest", "Target", "Trend"], [55, 30, 30, 35, 30]
            )
            for item in area.measures:
                m = item.measure
                latest = (
                    f"{word_number(m.latest)}{m.unit} ({short_date(m.latest_on)})"
                    if m.latest is not None
                    else "None yet"
                )
                word.add_row(
                    table,
                    [
                        m.name,
                        f"{word_number(m.baseline)}{m.unit} ({short_date(m.baseline_on)})",
                        latest,
                        f"{word_number(m.target)}{m.unit} by {short_date(m.target_date)}",
                        f"{item.trend}. {m.impact_word}",
                    ],
                )
        else:
            document.add_paragraph("No measures of success are recorded for this area.")
        word._heading(document, "What we are doing", 2)
        if area.actions:
            table = word.add_table(
                document, ["Ref", "Action", "Due", "Delivery"], [15, 105, 30, 30]
            )
            for action in area.actions:
                cells = word.add_row(
                    table,
                    [
                        action.reference,
                        action.description,
                        short_date(action.due_date),
                        action.rag.label,
                    ],
                )
                word._rag_cell(cells[3], action.rag)
                if action.exception_line:
                    cells[3].add_paragraph(action.exception_line)
        else:
            document.add_paragraph("No actions are recorded for this area.")
        word._heading(document, "What has changed in the period", 2)
        for line in area.changes:
            document.add_paragraph(line, style="List Bullet")
        if not area.changes:
            document.add_paragraph("No approved changes in the period.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def word_number(value) -> str:
    from workflow.plans.render.style import number

    return number(value)


def _paragraphs(document, text: str) -> None:
    from workflow.plans.builder import text_blocks

    for kind, items in text_blocks(text):
        for item in items:
            document.add_paragraph(item, style="List Bullet" if kind == "ul" else None)
