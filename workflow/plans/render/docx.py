"""The plan as a Word document: A4 landscape, a cover, and a table per recommendation."""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from workflow.core.rag import EXCEPTION_RULE
from workflow.plans.builder import Plan, PlanAction, PlanRecommendation
from workflow.plans.render.style import FONT, RAG_FILLS, RAG_TEXT, long_date, short_date

# (heading, width in mm): 267 mm is the width of A4 landscape inside 15 mm margins.
ACTION_COLUMNS = [
    ("Ref", 10),
    ("Action", 40),
    ("Lead officer and service area", 25),
    ("Start and due", 24),
    ("Measure of success", 34),
    ("Delivery", 22),  # the rating, and any exception under it
    ("Impact", 34),
    ("Progress (latest approved update)", 44),
    ("Evidence", 34),  # document titles and dates: long words must not break mid-word
]
MARGIN = Mm(15)
HEADER_FILL = "E6E6E6"


def render_docx(plan: Plan) -> bytes:
    document = Document()
    page_setup(document, f"{plan.title} · {plan.cover.version_label}")
    apply_styles(document)
    describe(document, plan.title, plan.cover.authority)
    _cover(document, plan)
    _introduction(document, plan)
    _summary(document, plan)
    _keys(document, plan)
    _judgement_areas(document, plan)
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
    if plan.logo and (plan.logo.png or plan.logo.mimetype == "image/png"):
        image = plan.logo.png or plan.logo.data
        document.add_picture(io.BytesIO(image), height=Mm(22))
        _describe_picture(document, f"{cover.authority} logo")
    document.add_paragraph("Ofsted action plan", style="Title")
    document.add_paragraph(cover.authority, style="Subtitle")
    document.add_paragraph(
        f"{cover.inspection_kind}, {cover.inspection_dates} · {cover.version_label}"
    )
    _key_value_table(document, cover.rows()[1:], widths=(60, 120))
    _heading(document, "Judgements", 2)
    if cover.judgements:
        table = add_table(document, ["Judgement", "Grade"], [150, 80])
        for area, grade in cover.judgements:
            add_row(table, [area, grade])
    else:
        document.add_paragraph("No judgements are recorded for this inspection.")
    _sign_off(document, plan)
    _page_break(document)


def _introduction(document, plan: Plan) -> None:
    _heading(document, "Introduction from the Director of Children's Services", 1)
    blocks = plan.introduction_blocks()
    for kind, items in blocks:
        for item in items:
            document.add_paragraph(item, style="List Bullet" if kind == "ul" else None)
    if not blocks:
        document.add_paragraph("No introduction has been written yet.")
    _page_break(document)


def _summary(document, plan: Plan) -> None:
    summary = plan.summary
    _heading(document, "Summary of progress", 1)
    for caption, heading, rows in [
        ("Actions by status", "Status", summary.by_status),
        ("Actions by delivery rating", "Delivery rating", summary.by_delivery),
        ("Measures of success by impact", "Impact", summary.by_impact),
    ]:
        _heading(document, caption, 3)
        table = add_table(document, [heading, "Number"], [70, 30])
        for label, count in rows:
            add_row(table, [label, str(count)])
    since = summary.since_label.lower() if summary.since_label else "the last issued version"
    _heading(document, f"Changes since {since}", 3)
    if not summary.since_label:
        document.add_paragraph("This is the first version of the plan.")
    for line in summary.changes:
        document.add_paragraph(line, style="List Bullet")
    if summary.since_label and not summary.changes:
        document.add_paragraph(f"No approved changes since {since}.")


def _keys(document, plan: Plan) -> None:
    _heading(document, "How to read the ratings", 1)
    document.add_paragraph(
        "Each action has two ratings. The delivery rating says whether the action is being "
        "done as planned. The impact of each measure of success says whether it is making "
        "the difference intended."
    )
    _heading(document, "Delivery rating (RAG) key", 3)
    table = add_table(document, ["Rating", "What it means"], [40, 200])
    for rag, definition in plan.rag_key:
        cells = add_row(table, [rag.label, definition])
        _rag_cell(cells[0], rag)
    document.add_paragraph(EXCEPTION_RULE)
    _heading(document, "Impact key", 3)
    table = add_table(document, ["Impact", "What it means"], [40, 200])
    for word, definition in plan.impact_key:
        add_row(table, [word, definition])[0].paragraphs[0].runs[0].bold = True


def _sign_off(document, plan: Plan) -> None:
    _heading(document, "Sign-off", 2)
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


def _judgement_areas(document, plan: Plan) -> None:
    for area in plan.judgement_areas():
        level = 2 if area.title else 1
        if area.title:
            _page_break(document)
            _heading(document, area.title, 1)
        for recommendation in area.recommendations:
            _recommendation(document, recommendation, level)


def _recommendation(document, recommendation: PlanRecommendation, level: int) -> None:
    heading = f"Recommendation {recommendation.number}"
    if recommendation.priority:
        heading += " (area for priority action)"
    _heading(document, heading, level)
    # Heading, text and references keep with the table: Word moves them to its page.
    _keep(document.add_paragraph(recommendation.text))
    references = [recommendation.paragraph_reference]
    if recommendation.senior_lead:
        references.append(f"Senior lead: {recommendation.senior_lead}")
    if any(references):
        _keep(document.add_paragraph(" · ".join(r for r in references if r)))
    if not recommendation.actions:
        document.add_paragraph("No actions have been agreed for this recommendation yet.")
        return
    headings, widths = zip(*ACTION_COLUMNS, strict=True)
    table = add_table(document, list(headings), list(widths))
    for cell in table.rows[0].cells:
        _keep(cell.paragraphs[0])
    for action in recommendation.actions:
        cells = add_row(table, _action_cells(action))
        _rag_cell(cells[5], action.rag)
        if action.exception_line:  # beside the rating, in plain text under its colour
            cells[5].add_paragraph(action.exception_line)
        _evidence_cell(cells[8], action)
    document.add_paragraph()


def _action_cells(action: PlanAction) -> list[str]:
    dates = f"Start: {short_date(action.start_date)}\n"
    if action.due_revised:
        dates += f"Due (original): {short_date(action.original_due_date)}\n"
        dates += f"Due (revised): {short_date(action.due_date)}"
        if action.due_date_reason:
            dates += f"\nReason: {action.due_date_reason}"
    else:
        dates += f"Due: {short_date(action.due_date)}"
    impact = "\n".join(f"{m.name}: {m.figures}. {m.impact_word}." for m in action.measures)
    if not impact:
        impact = "No measure recorded."
    if action.impact_evidenced:
        impact += "\nImpact evidenced."
    progress = action.progress or "No approved update yet."
    if action.progress_on:
        progress += f"\n(Approved {short_date(action.progress_on)}; {action.status_label.lower()})"
    return [
        action.reference,
        action.description,
        f"{action.lead_officer}\n{action.service_area}",
        dates,
        action.measure_of_success,
        action.rag.label,
        impact,
        progress,
        "",
    ]


def _evidence_cell(cell, action: PlanAction) -> None:
    """Each item by its title; a link's title is the link, its address never printed."""
    paragraph = cell.paragraphs[0]
    if not action.evidence:
        paragraph.add_run("None yet")
    for index, item in enumerate(action.evidence):
        if index:
            paragraph = cell.add_paragraph()
        if item.url:
            _hyperlink(paragraph, item.url, item.title)
        else:
            paragraph.add_run(item.title)


def _hyperlink(paragraph, url: str, text: str) -> None:
    relationship = paragraph.part.relate_to(
        url,
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:u")
    style.set(qn("w:val"), "single")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "1D70B8")
    properties.extend([colour, style])
    run.append(properties)
    content = OxmlElement("w:t")
    content.text = text
    content.set(qn("xml:space"), "preserve")
    run.append(content)
    link.append(run)
    paragraph._p.append(link)


def _rag_cell(cell, rag) -> None:
    _shade(cell, RAG_FILLS[rag])
    for run in cell.paragraphs[0].runs:
        run.bold = True
        run.font.color.rgb = RGBColor.from_string(RAG_TEXT[rag])


def _heading(document, text: str, level: int):
    heading = document.add_heading(text, level=level)
    _keep(heading)
    return heading


def _keep(paragraph):
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _describe_picture(document, text: str) -> None:
    """Alternative text on the picture just added, for screen readers."""
    drawing = document.paragraphs[-1]._p.xpath(".//wp:docPr")
    if drawing:
        drawing[0].set("descr", text)
        drawing[0].set("title", text)


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
