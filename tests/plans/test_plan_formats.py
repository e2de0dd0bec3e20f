"""Every format, reopened with its own library: content, column order, approved data only."""

import csv
import io
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import ON_CI
from workflow.extensions import db
from workflow.plans.builder import build_plan, clean_text
from workflow.plans.render.csv import neutralise, render_csv
from workflow.plans.render.docx import ACTION_COLUMNS, render_docx
from workflow.plans.render.html import render_html
from workflow.plans.render.html_pdf import STATIC_BASE, StaticOnlyFetcher
from workflow.plans.render.pdf import render_pdf
from workflow.plans.render.tracker import COLUMNS
from workflow.plans.render.xlsx import render_xlsx

# Vertical tab, bell and form feed (which Word and XML refuse), emoji, right-to-left marks.
# (NUL is refused by PostgreSQL and stripped by every form: see the clean_text test.)
PASTED_FROM_WORD = (
    "Met the family\x0b\x07 at school 😀 \u200fمرحبا\u200e and \u202eagreed\u202c\x0c."
)


@pytest.fixture
def plan(world, progress):
    progress(world.action, "Tracker in use since June.", evidence=("Tracker screenshot",))
    return build_plan(world.inspection, date.today())


def test_the_plan_holds_approved_data_only(world, plan):
    (action,) = plan.recommendations[0].actions
    assert action.progress == "Tracker in use since June."
    assert [e.title for e in action.evidence] == ["Tracker screenshot"]
    # The world's draft ("Drafting") and submitted update ("Tracker live", with its
    # "Minutes" evidence) are not approved, so they are nowhere in the plan.
    text = str(plan.snapshot())
    for unapproved in ("Drafting", "Tracker live", "Minutes"):
        assert unapproved not in text


def test_a_later_unapproved_update_leaves_the_approved_one_in_place(world, plan, progress):
    progress(world.action, "Proposed: complete", approve=False, evidence=("Closure note",))
    (action,) = build_plan(world.inspection, date.today()).recommendations[0].actions
    assert action.progress == "Tracker in use since June."
    assert [e.title for e in action.evidence] == ["Tracker screenshot"]


def test_superseded_evidence_is_replaced_by_the_newer_item(world, plan, progress):
    progress(world.action, "Second month.", evidence=("Tracker screenshot",))
    (action,) = build_plan(world.inspection, date.today()).recommendations[0].actions
    assert [e.title for e in action.evidence] == ["Tracker screenshot"]
    assert action.progress == "Second month."


def test_word_document(world, plan):
    document = Document(io.BytesIO(render_docx(plan)))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    assert document.core_properties.title == "Northbrook Council: Ofsted action plan"
    assert document.core_properties.language == "en-GB"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "en-GB"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Judgements",
        "Sign-off",
        "Introduction from the Director of Children's Services",
        "Summary of progress",
        "Actions by status",
        "Actions by delivery rating",
        "Measures of success by impact",
        "Changes since the last issued version",
        "How to read the ratings",
        "Delivery rating (RAG) key",
        "Impact key",
        "Recommendation 1",
    ]
    # Every heading keeps with what follows it, and so do the recommendation's text and
    # references: Word never leaves them at the foot of a page without their table.
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            assert paragraph.paragraph_format.keep_with_next
    cover = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cover["Lead inspector"] == "Andy Waugh"
    assert cover["Action plan due"] == "26 August 2022"  # a fact, never "passed N days ago"
    actions = document.tables[-1]
    assert [c.text for c in actions.rows[0].cells] == [name for name, _ in ACTION_COLUMNS]
    assert actions.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    row = [c.text for c in actions.rows[1].cells]
    assert row[0] == "1.1" and row[2] == "Mo Manager\nChildren in care"
    assert row[3].endswith("Due: 30 Jun 2030")
    assert row[7].startswith("Tracker in use since June.")
    # Evidence by its title, the title a link: the address itself is never printed.
    assert row[8] == "Tracker screenshot" and "https://" not in "".join(row)
    links = actions.rows[1].cells[8]._tc.xpath(".//w:hyperlink")
    assert links and actions.part.rels[links[0].get(qn("r:id"))].target_ref == (
        "https://intranet.example/doc"
    )
    assert row[5] == "Green"  # the word, as well as the colour
    shading = actions.rows[1].cells[5]._tc.tcPr.find(qn("w:shd"))
    assert shading.get(qn("w:fill")) == "CCE2D8"
    assert "Drafting" not in "".join(c.text for r in actions.rows for c in r.cells)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "working day" not in text and "working day" not in str(cover)


def test_pdf_is_tagged_and_carries_the_plan(world, plan):
    data = render_pdf(plan)
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged: screen readers get the structure
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Northbrook Council: Ofsted action plan"
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
        first_page = pdf.pages[0]
        assert first_page.width > first_page.height
    assert "Recommendation 1" in text
    assert "Tracker in use since June." in text
    assert "26 August 2022" in text
    assert "Drafting" not in text and "Tracker live" not in text


def test_plan_text_that_looks_like_markup_prints_as_written(world, progress):
    """The PDF's layout language never reads a plan's words: they reach it as data."""
    world.recommendation.text = '#pagebreak() *not bold* $x^2$ = Heading #read("/etc/passwd")'
    db.session.commit()
    plan = build_plan(world.inspection, date.today())
    with pdfplumber.open(io.BytesIO(render_pdf(plan))) as pdf:
        text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert '#pagebreak() *not bold* $x^2$ = Heading #read("/etc/passwd")' in text
    assert "root:" not in text


def test_the_same_plan_renders_the_same_pdf(plan):
    assert render_pdf(plan) == render_pdf(plan)


def test_excel_tracker(world, plan):
    world.action.description = '=HYPERLINK("https://evil.example","Click")'
    db.session.commit()
    data = render_xlsx(build_plan(world.inspection, date.today()))
    sheet = load_workbook(io.BytesIO(data))["Action tracker"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    row = dict(zip(COLUMNS, rows[1], strict=True))
    assert row["Ref"] == "1.1" and row["Delivery rating (RAG)"] == "Green"
    assert row["Recommendation text"] == world.recommendation.text
    assert row["Due date"] == datetime(2030, 6, 30)  # a real date, not text
    assert sheet.cell(row=2, column=COLUMNS.index("Due date") + 1).number_format == "dd/mm/yyyy"
    assert row["Action"] == '=HYPERLINK("https://evil.example","Click")'
    action_column = COLUMNS.index("Action") + 1
    assert sheet.cell(row=2, column=action_column).data_type == "s"  # text, never a formula
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:W2"
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"Red,Amber,Green,Blue"'
    assert str(validation.sqref) == "O2"  # the RAG column, every action row


def test_csv_tracker_neutralises_formulas(world, plan):
    world.action.description = "=1+1"
    world.action.measure_of_success = "@SUM(A1:A2)"
    world.recommendation.text = "+44 is a prefix"
    db.session.commit()
    data = render_csv(build_plan(world.inspection, date.today()))
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    row = dict(zip(COLUMNS, rows[1], strict=True))
    assert row["Action"] == "'=1+1"
    assert row["Measure of success"] == "'@SUM(A1:A2)"
    assert row["Due date"] == "2030-06-30"
    assert row["Progress (latest approved update)"] == "Tracker in use since June."


@pytest.mark.parametrize("value", ["=cmd", "+1", "-1", "@x", "\tx", "\rx"])
def test_every_formula_start_is_neutralised(value):
    assert neutralise(value) == "'" + value
    assert neutralise("Plain text") == "Plain text"


def test_html_export_stands_alone(world, plan):
    page = render_html(plan)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in page
    assert "<style>" in page and "<link" not in page and "<script" not in page
    assert '<th scope="col" class="govuk-table__header">Measure of success</th>' in page
    assert "Tracker in use since June." in page


def test_text_pasted_from_word_renders_in_every_format(world, progress):
    world.action.description = PASTED_FROM_WORD
    db.session.commit()
    progress(world.action, PASTED_FROM_WORD, evidence=("Notes 😀 \u200f",))
    plan = build_plan(world.inspection, date.today())
    expected = "Met the family at school 😀 \u200fمرحبا\u200e and \u202eagreed\u202c."
    assert plan.recommendations[0].actions[0].description == expected
    document = Document(io.BytesIO(render_docx(plan)))
    assert expected in document.tables[-1].rows[1].cells[1].text
    sheet = load_workbook(io.BytesIO(render_xlsx(plan)))["Action tracker"]
    assert sheet.cell(row=2, column=COLUMNS.index("Action") + 1).value == expected
    assert expected in render_csv(plan).decode("utf-8-sig")
    assert expected in render_html(plan)
    with pdfplumber.open(io.BytesIO(render_pdf(plan))) as pdf:
        assert "Met the family" in "".join(page.extract_text() for page in pdf.pages)


def test_clean_text_keeps_what_every_format_can_carry():
    assert clean_text("a\x00b\r\nc\ud800d\ufffe\x1f") == "ab\ncd"
    assert clean_text("Tab\tkept 😀 \u200fمرحبا") == "Tab\tkept 😀 \u200fمرحبا"
    assert clean_text(None) == ""


def test_the_pdf_fetcher_serves_only_static_files(app):
    fetcher = StaticOnlyFetcher(app.static_folder)
    css = fetcher.fetch(STATIC_BASE + "plan/document.css")
    assert b"@page" in css.read()
    refused = [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        STATIC_BASE + "../../config.py",
        STATIC_BASE + "%2e%2e/%2e%2e/config.py",
        STATIC_BASE + "plan/missing.css",
        "https://static.plan.invalid.evil.example/plan/document.css",
    ]
    for url in refused:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_an_image_named_in_the_page_is_never_fetched(app, tmp_path):
    from workflow.plans.render.html_pdf import html_to_pdf

    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not an image")
    page = f'<html lang="en-GB"><title>t</title><img src="file://{secret}" alt="x"><p>ok</p>'
    assert html_to_pdf(page).startswith(b"%PDF")  # rendered, with the image left out


def test_the_word_file_opens_in_libreoffice(plan, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if ON_CI:
            pytest.fail("CI=true but LibreOffice (soffice) is missing: install libreoffice-writer")
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "plan.docx"
    source.write_bytes(render_docx(plan))
    profile = (tmp_path / "profile").as_uri()
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp_path / "out"),
        str(source),
    ]
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(command, check=True, capture_output=True, timeout=180, env=env)
    converted = Path(tmp_path / "out" / "plan.pdf")
    with pdfplumber.open(converted) as pdf:
        text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Ofsted action plan" in text and "Recommendation 1" in text
    assert "Tracker in use" in text  # the narrow column wraps the rest onto other lines
