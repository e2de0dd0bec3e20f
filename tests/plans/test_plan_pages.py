"""The plan page, its exports and the CLI commands."""

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import text_of
from workflow.extensions import db
from workflow.models import Inspection


def test_plan_page_shows_the_plan_deadlines_and_downloads(world, login, progress):
    progress(world.action, "Tracker in use since June.", evidence=("Tracker screenshot",))
    response = login("viewer").get(f"/inspections/{world.inspection.id}/plan")
    page = text_of(response)
    assert "Action plan due 26 August 2022" in page
    assert "Word (DOCX)" in page and "Excel tracker (XLSX)" in page
    assert "No version has been issued yet." in page
    assert "Tracker in use since June." in page and "Tracker screenshot" in page
    assert "Drafting" not in page and "Tracker live" not in page
    html = response.get_data(as_text=True)
    assert '<caption class="govuk-table__caption govuk-table__caption--s">Actions for' in html
    assert '<strong class="govuk-tag app-tag govuk-tag--green">Green</strong>' in html
    assert "plan/print.css" in html
    assert "Check and issue a new version" not in page  # viewers never issue


def test_the_director_is_offered_the_issue_page(world, login):
    page = text_of(login("director").get(f"/inspections/{world.inspection.id}/plan"))
    assert "Check and issue a new version" in page


def test_the_inspection_page_links_to_the_plan(world, login):
    html = login("viewer").get(f"/inspections/{world.inspection.id}").get_data(as_text=True)
    assert f'href="/inspections/{world.inspection.id}/plan"' in html


@pytest.mark.parametrize(
    "fmt, check",
    [
        ("docx", lambda data: Document(io.BytesIO(data)).tables[-1].rows[1].cells[0].text),
        (
            "pdf",
            lambda data: (
                "1.1" if "1.1" in PdfReader(io.BytesIO(data)).pages[-1].extract_text() else ""
            ),
        ),
        ("xlsx", lambda data: load_workbook(io.BytesIO(data)).active["F2"].value),
        ("csv", lambda data: list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1][5]),
        (
            "html",
            lambda data: "1.1" if b'scope="row" class="govuk-table__header">1.1<' in data else "",
        ),
    ],
)
def test_every_format_exports_from_the_page(fmt, check, world, login):
    response = login("viewer").get(f"/inspections/{world.inspection.id}/plan/export.{fmt}")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "northbrook-council-action-plan-" in disposition
    assert check(response.get_data()) == "1.1"


def test_cli_exports_every_format(runner, world, tmp_path):
    for fmt in ("docx", "pdf", "xlsx", "csv", "html"):
        output = tmp_path / f"plan.{fmt}"
        args = ["plan", "export", "--inspection", str(world.inspection.id), "--format", fmt]
        result = runner.invoke(args=[*args, "--output", str(output)])
        assert result.exit_code == 0, result.output
        assert f"Wrote {output}" in result.output
        assert output.stat().st_size > 0
    assert Document(str(tmp_path / "plan.docx")).core_properties.language == "en-GB"


def test_cli_report(runner, world, tmp_path):
    output = tmp_path / "report.pdf"
    args = ["plan", "report", "--inspection", str(world.inspection.id), "--since", "2022-01-01"]
    result = runner.invoke(args=[*args, "--format", "pdf", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "Progress on the Ofsted action plan" in PdfReader(str(output)).pages[0].extract_text()


def test_cli_errors_are_clear(runner, world, tmp_path):
    output = str(tmp_path / "x")
    result = runner.invoke(
        args=["plan", "export", "--inspection", "999999", "--format", "docx", "--output", output]
    )
    assert result.exit_code != 0 and "No inspection with id 999999." in result.output
    result = runner.invoke(
        args=[
            "plan",
            "export",
            "--inspection",
            str(world.inspection.id),
            "--format",
            "odt",
            "--output",
            output,
        ]
    )
    assert result.exit_code != 0
    assert "Invalid value for --format: choose one of docx, pdf, xlsx, csv, html" in result.output
    result = runner.invoke(
        args=[
            "plan",
            "report",
            "--inspection",
            str(world.inspection.id),
            "--since",
            "2022-01-01",
            "--format",
            "xlsx",
            "--output",
            output,
        ]
    )
    assert "choose one of docx, pdf" in result.output
    result = runner.invoke(
        args=[
            "plan",
            "report",
            "--inspection",
            str(world.inspection.id),
            "--since",
            "01/01/2022",
            "--format",
            "pdf",
            "--output",
            output,
        ]
    )
    assert result.exit_code != 0 and "--since" in result.output


def test_demo_inspection_exports_from_the_cli(runner, app, tmp_path):
    from workflow.demo import load_demo

    load_demo(date.today())
    db.session.commit()
    inspection = db.session.scalars(sa.select(Inspection).order_by(Inspection.id)).first()
    output = tmp_path / "demo.docx"
    args = ["plan", "export", "--inspection", str(inspection.id), "--format", "docx"]
    assert runner.invoke(args=[*args, "--output", str(output)]).exit_code == 0
    document = Document(str(output))
    cover = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cover["Action plan due"] == "26 August 2022"
    assert cover["Plan owner"] == "Emma Bennett"
    # details, judgements, three summary counts, two keys, one table per recommendation
    assert len(document.tables) == 2 + 3 + 2 + 5
