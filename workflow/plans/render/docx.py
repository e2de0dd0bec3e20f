"""The plan as a Word document: A4 landscape, a cover, and a table per recommendation."""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from workflow.plans.builder import Plan, PlanAction, PlanRecommendation
from workflow.plans.render.style import FONT, RAG_FILLS, RAG_TEXT, long_date, short_date
from workflow.plans.render.tracker import evidence_line

# (heading, width in mm): 267 mm is the width of A4 landscape inside 15 mm margins.
ACTION_COLUMNS = [
    ("Ref", 13),
    ("Action", 52),
    ("Lead officer", 25),
    ("Due (original / revised)", 26),
    ("Measure of success", 45),
    ("Progress (latest approved update)", 56),
    ("Evidence", 32),
    ("RAG", 18),
]
MARGIN = Mm(15)
HEADER_FILL = "E6E6E6"


def render_docx(plan: Plan) -> bytes:
    document = Document()
    page_setup(document, f"{plan.title} · {plan.cover.version_label}")
    apply_styles(document)
    describe(document, plan.title, plan.cover.authority)
    _cover(document, plan)
    for recommendation in plan.recommendations:
        _recommendation(document, recommendation)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def page_setup(document, footer_text: str) -> None:
    """A4 landscape, 15 mm margins, and a footer with the page number."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    footer = section.footer.paragraphs[0]
    footer.text = f"{footer_text} · Page "
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def apply_styles(document) -> None:
    """One font throughout, British English for the spelling checker, black headings."""
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    run_defaults = defaults.find(qn("w:rPr"))
    _use_font(run_defaults)
    run_defaults.find(qn("w:lang")).set(qn("w:val"), "en-GB")
    sizes = {"Normal": 10, "Title": 26, "Subtitle": 16, "Heading 1": 16, "Heading 2": 13}
    sizes["Heading 3"] = 11
    for name, size in sizes.items():
        style = document.styles[name]
        style.font.size = Pt(size)
        _use_font(style.element.get_or_add_rPr())
        if name != "Normal":
            style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
            style.font.italic = False
    document.styles["Normal"].paragraph_format.space_after = Pt(4)
    document.styles["Title"].font.bold = True


def describe(document, title: str, author: str) -> None:
    properties = document.core_properties
    properties.title, properties.author, properties.language = title, author, "en-GB"


def _use_font(run_properties) -> None:
    # Theme fonts and colours win over named ones: drop them so Arial and black apply.
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    fonts.attrib.clear()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    colour = run_properties.find(qn("w:color"))
    if colour is not None:
        for attribute in ("w:themeColor", "w:themeShade", "w:themeTint"):
            colour.attrib.pop(qn(attribute), None)


def _cover(document, plan: Plan) -> None:
    cover = plan.cover
    document.add_paragraph("Ofsted action plan", style="Title")
    document.add_paragraph(cover.authority, style="Subtitle")
    _key_value_table(document, cover.rows()[1:], widths=(60, 120))
    document.add_heading("Judgements", level=2)
    if cover.judgements:
        table = add_table(document, ["Judgement", "Grade"], [150, 80])
        for area, grade in cover.judgements:
            add_row(table, [area, grade])
    else:
        document.add_paragraph("No judgements are recorded for this inspection.")
    _sign_off(document, plan)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _sign_off(document, plan: Plan) -> None:
    document.add_heading("Sign-off", level=2)
    sign_off = plan.cover.sign_off
    if sign_off is None:
        document.add_paragraph("Not signed off: this is a working draft, not an issued version.")
        return
    table = add_table(document, ["Role", "Name", "Date"], [90, 90, 50])
    add_row(
        table,
        [
            "Director of children's services",
            sign_off.director_name,
            long_date(sign_off.director_signed_on),
        ],
    )
    add_row(
        table,
        [
            "Lead member for children's services",
            sign_off.lead_member_name,
            long_date(sign_off.lead_member_signed_on),
        ],
    )


def _recommendation(document, recommendation: PlanRecommendation) -> None:
    heading = f"Recommendation {recommendation.number}"
    if recommendation.priority:
        heading += " (area for priority action)"
    document.add_heading(heading, level=1)
    document.add_paragraph(recommendation.text)
    if recommendation.senior_lead:
        document.add_paragraph(f"Senior lead: {recommendation.senior_lead}")
    if not recommendation.actions:
        document.add_paragraph("No actions have been agreed for this recommendation yet.")
        return
    headings, widths = zip(*ACTION_COLUMNS, strict=True)
    table = add_table(document, list(headings), list(widths))
    for action in recommendation.actions:
        cells = add_row(table, _action_cells(action))
        _rag_cell(cells[-1], action)
    document.add_paragraph()


def _action_cells(action: PlanAction) -> list[str]:
    if action.due_revised:
        due = f"Original: {short_date(action.original_due_date)}\n"
        due += f"Revised: {short_date(action.due_date)}"
    else:
        due = short_date(action.due_date)
    measure = "\n".join([action.measure_of_success, *(m.summary for m in action.measures)])
    progress = action.progress or "No approved update yet."
    if action.progress_on:
        progress += f"\n(Approved {short_date(action.progress_on)}; {action.status_label.lower()})"
    evidence = "\n".join(evidence_line(e) for e in action.evidence) or "None yet"
    return [
        action.reference,
        action.description,
        action.lead_officer,
        due,
        measure,
        progress,
        evidence,
        action.rag.label,
    ]


def _rag_cell(cell, action: PlanAction) -> None:
    _shade(cell, RAG_FILLS[action.rag])
    for run in cell.paragraphs[0].runs:
        run.bold = True
        run.font.color.rgb = RGBColor.from_string(RAG_TEXT[action.rag])


def _key_value_table(document, rows: list[tuple[str, str]], widths: tuple[int, int]) -> None:
    table = add_table(document, None, list(widths))
    for label, value in rows:
        cells = add_row(table, [label, value])
        cells[0].paragraphs[0].runs[0].bold = True


def add_table(document, headings: list[str] | None, widths_mm: list[int]):
    table = document.add_table(rows=0, cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    if headings:
        cells = add_row(table, headings)
        _repeat_as_header(table.rows[0])
        for cell in cells:
            _shade(cell, HEADER_FILL)
            cell.paragraphs[0].runs[0].bold = True
    return table


def add_row(table, values: list[str]) -> list:
    """A row of plain text cells; line breaks in the text become line breaks in Word."""
    cells = table.add_row().cells
    for cell, value, column in zip(cells, values, table.columns, strict=True):
        cell.width = column.width
        run = cell.paragraphs[0].add_run()
        lines = value.split("\n")
        run.text = lines[0]
        for line in lines[1:]:
            run.add_break()
            run.add_text(line)
    return cells


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    no_split = OxmlElement("w:cantSplit")
    no_split.set(qn("w:val"), "true")
    properties.append(no_split)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the office suite fills in when it lays out pages."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
    paragraph.add_run("1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)
