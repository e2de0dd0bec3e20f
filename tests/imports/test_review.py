"""Importing a report through the web and the command line: review before anything is
created, the same report twice offered as an update, and bad input refused clearly."""

import io
import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import SHARED, pass_second_factor, text_of
from tests.factories import FIXTURES
from workflow.demo import DEMO_TOTP_SECRET
from workflow.extensions import db
from workflow.imports.rules import ReviewRow, apply_review
from workflow.models import Inspection, Recommendation, ReportImport

SEED = SHARED / "seeds" / "2022-ofsted-ilacs-report-wolverhampton.txt"
REPORTS = SHARED / "reports"
HEALTH_ASSESSMENTS = "The timeliness of initial health assessments for children coming into care."


def shared(path: Path) -> Path:
    """The real reports are tested when the shared folder is beside the project."""
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return path


def inspections() -> int:
    return db.session.scalar(sa.select(sa.func.count(Inspection.id)))


def review_data(report_import, rows):
    data = {"version": str(report_import.version)}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{i}-{key}"] = value
    return data


def test_review_operations():
    rows = [
        ReviewRow("First.", 1, paragraphs=(3,)),
        ReviewRow("Second part one.\n\nSecond part two.", 2, paragraphs=(4,)),
        ReviewRow("Third.", 3, remove=True),
        ReviewRow("Fourth, begun", 5, merge_with_next=True, paragraphs=(5,)),
        ReviewRow("and finished.", 6, paragraphs=(6, 5)),
        ReviewRow("Moved to the front.", 0),
        ReviewRow("", 9),
    ]
    result = apply_review(rows)
    assert [(r["number"], r["text"]) for r in result] == [
        (1, "Moved to the front."),
        (2, "First."),
        (3, "Second part one."),
        (4, "Second part two."),
        (5, "Fourth, begun and finished."),
    ]
    assert result[4]["paragraphs"] == [5, 6]
    assert result[2]["paragraphs"] == result[3]["paragraphs"] == [4]


def test_upload_review_and_confirm_creates_the_inspection(world, login):
    client = login("admin")
    before = inspections()
    content = (FIXTURES / "northbrook-ilacs.txt").read_bytes()
    response = client.post(
        "/imports/new",
        data={"file": (io.BytesIO(content), "report.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert inspections() == before  # nothing is created before the review
    page = text_of(client.get(response.headers["Location"]))
    assert "The timeliness of initial health assessments" in page
    assert "Evidence: paragraphs 3" in page
    report_import = db.session.scalar(sa.select(ReportImport).order_by(ReportImport.id.desc()))
    rows = [
        {
            "text": "The timeliness of initial health assessments for children coming into care.",
            "position": "2",
            "paragraphs": "3",
        },
        {
            "text": "The quality of pathway plans for care leavers.",
            "position": "1",
            "paragraphs": "4",
        },
        {"text": "Added by the officer.", "position": "3"},
    ]
    response = client.post(
        f"/imports/{report_import.id}",
        data={**review_data(report_import, rows), "intent": "confirm"},
    )
    assert response.status_code == 302
    inspection = db.session.scalar(sa.select(Inspection).order_by(Inspection.id.desc()))
    assert inspection.authority_id == world.authority.id
    assert inspection.lead_inspector == "Jane Example"
    assert len(inspection.judgements) == 4
    assert [r.text for r in inspection.recommendations] == [
        "The quality of pathway plans for care leavers.",
        "The timeliness of initial health assessments for children coming into care.",
        "Added by the officer.",
    ]
    recommendation = inspection.recommendations[1]
    page = text_of(client.get(f"/recommendations/{recommendation.id}"))
    assert (
        "What the inspectors found" in page
        and "Initial health assessments for children coming into care are too often late" in page
    )


def test_importing_the_same_report_again_is_offered_as_an_update(world, login):
    client = login("admin")
    first = world.report_import
    client.post(
        f"/imports/{first.id}",
        data={
            **review_data(
                first,
                [
                    {
                        "text": HEALTH_ASSESSMENTS,
                        "position": "1",
                    },
                ],
            ),
            "intent": "confirm",
        },
    )
    count = inspections()
    content = (FIXTURES / "northbrook-ilacs.txt").read_bytes()
    response = client.post("/imports/new", data={"text": content.decode()})
    page = text_of(client.get(response.headers["Location"]))
    assert "This report was imported before" in page and "Update the inspection" in page
    second = db.session.scalar(sa.select(ReportImport).order_by(ReportImport.id.desc()))
    client.post(
        f"/imports/{second.id}",
        data={
            **review_data(
                second,
                [
                    {
                        "text": HEALTH_ASSESSMENTS,
                        "position": "1",
                    },
                    {"text": "The quality of pathway plans for care leavers.", "position": "2"},
                ],
            ),
            "intent": "confirm",
        },
    )
    assert inspections() == count
    numbers = db.session.scalars(
        sa.select(Recommendation.number)
        .join(Recommendation.inspection)
        .where(Inspection.lead_inspector == "Jane Example")
    ).all()
    assert sorted(numbers) == [1, 2]


def test_an_empty_upload_is_refused_at_once_and_nothing_is_kept(world, login):
    client = login("admin")
    imports_before = db.session.scalar(sa.select(sa.func.count(ReportImport.id)))
    response = client.post(
        "/imports/new",
        data={"file": (io.BytesIO(b""), "empty.txt")},
        content_type="multipart/form-data",
    )
    page = text_of(response)
    assert response.status_code == 200 and "There is a problem" in page and "empty" in page
    assert db.session.scalar(sa.select(sa.func.count(ReportImport.id))) == imports_before


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("binary.pdf", b"\x00\x01\x02" * 100, "is not a PDF"),
        ("letter.txt", b"Dear resident, your bins are collected on Tuesdays.\n", "Ofsted"),
        (
            "minutes.txt",
            b"Minutes of the Children's Scrutiny Panel\n\nInspection dates: 9 to 13 January 2023"
            b"\n\nRecommendations\n\n- Members noted the report.\n",
            "no judgements table or overall judgement",
        ),
    ],
)
def test_a_report_that_cannot_be_read_says_why_and_keeps_the_file(
    world, login, name, content, message
):
    client = login("admin")
    before = inspections()
    response = client.post(
        "/imports/new",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    report_import = db.session.scalar(sa.select(ReportImport).order_by(ReportImport.id.desc()))
    assert report_import.status == "failed" and message.lower() in report_import.error.lower()
    assert report_import.source == content and report_import.parsed == {}
    page = text_of(client.get(response.headers["Location"]))
    assert "The report could not be read" in page and "There is a problem" in page
    assert message.lower() in page.lower() and "Try again" in page
    response = client.post(f"/imports/{report_import.id}/retry")
    assert response.status_code == 302
    db.session.refresh(report_import)
    assert report_import.status == "failed" and report_import.source == content
    assert inspections() == before


def test_nothing_to_import_asks_for_a_file_or_text(world, login):
    response = login("admin").post("/imports/new", data={"text": ""})
    assert "Upload the report or paste its text" in text_of(response)


def test_cli_prints_json_for_the_seed_report(runner):
    result = runner.invoke(args=["import-report", str(shared(SEED)), "--json"])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert parsed["kind"] == "ilacs" and len(parsed["recommendations"]) == 5
    assert parsed["inspection_dates"] == {"start": "2022-03-28", "end": "2022-04-01"}
    firsts = {r["number"]: r["paragraphs"][0] for r in parsed["recommendations"]}
    assert (firsts[1], firsts[2], firsts[5]) == (15, 29, 14)


def test_cli_gives_one_line_reasons(runner, tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = runner.invoke(args=["import-report", str(empty), "--json"])
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1
    missing = runner.invoke(args=["import-report", str(tmp_path / "none.pdf"), "--json"])
    assert missing.exit_code != 0


def test_cli_creates_for_a_named_authority_on_confirmation(runner, world):
    path = str(FIXTURES / "northbrook-ilacs.txt")
    declined = runner.invoke(
        args=["import-report", path, "--authority", "Northbrook Council"], input="n\n"
    )
    assert "Nothing was created" in declined.output
    before = inspections()
    accepted = runner.invoke(
        args=["import-report", path, "--authority", "Northbrook Council"], input="y\n"
    )
    assert accepted.exit_code == 0, accepted.output
    assert inspections() == before + 1


def test_web_import_of_the_2026_report_sits_beside_the_demo(runner, client):
    pdf = shared(REPORTS / "wolverhampton-2026-06-18.pdf")
    runner.invoke(args=["demo"])
    response = client.post(
        "/sign-in",
        data={"email": "priya.sharma@wolverhampton.example", "password": "canal-lantern-kestrel"},
    )
    pass_second_factor(client, response, "priya.sharma@wolverhampton.example", DEMO_TOTP_SECRET)
    response = client.post(
        "/imports/new",
        data={"file": (io.BytesIO(pdf.read_bytes()), pdf.name)},
        content_type="multipart/form-data",
    )
    review_url = response.headers["Location"]
    page = text_of(client.get(review_url))
    assert "Alison Smale" in page and "This report is about" not in page
    report_import = db.session.scalar(sa.select(ReportImport).order_by(ReportImport.id.desc()))
    rows = [
        {
            "text": r["text"],
            "position": str(r["number"]),
            "paragraphs": ",".join(map(str, r["paragraphs"])),
        }
        for r in report_import.parsed["recommendations"]
    ]
    response = client.post(
        review_url, data={**review_data(report_import, rows), "intent": "confirm"}
    )
    assert response.status_code == 302
    listing = text_of(client.get("/inspections"))
    assert "26 January 2026" in listing and "28 March 2022" in listing
    new_inspection = db.session.scalar(sa.select(Inspection).order_by(Inspection.id.desc()))
    assert len(new_inspection.recommendations) == len(rows) >= 3


def _northbrook(text: str = "") -> str:
    return text or (FIXTURES / "northbrook-ilacs.txt").read_text(encoding="utf-8")


def _paste(client, text: str) -> ReportImport:
    response = client.post("/imports/new", data={"text": text})
    assert response.status_code == 302
    return db.session.scalar(sa.select(ReportImport).order_by(ReportImport.id.desc()))


def test_a_report_about_another_authority_needs_an_explicit_confirmation(world, login):
    client = login("admin")
    report_import = _paste(client, _northbrook().replace("Northbrook", "Derby"))
    page = text_of(client.get(f"/imports/{report_import.id}"))
    assert "This report is about Derby Council, not Northbrook Council" in page
    assert "Yes, this is the right report" in page
    before = inspections()
    rows = [{"text": HEALTH_ASSESSMENTS, "position": "1"}]
    response = client.post(
        f"/imports/{report_import.id}",
        data={**review_data(report_import, rows), "intent": "confirm"},
    )
    page = text_of(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert "confirm that it is the right report" in page
    assert inspections() == before
    db.session.refresh(report_import)
    response = client.post(
        f"/imports/{report_import.id}",
        data={
            **review_data(report_import, rows),
            "intent": "confirm",
            "confirm_other_authority": "y",
        },
    )
    assert response.status_code == 302 and inspections() == before + 1


def test_the_publication_date_asked_for_reaches_the_inspection(world, login):
    client = login("admin")
    report_import = _paste(client, _northbrook())
    page = text_of(client.get(f"/imports/{report_import.id}"))
    assert "dated by their publication on Ofsted's website" in page
    rows = [{"text": HEALTH_ASSESSMENTS, "position": "1"}]
    response = client.post(
        f"/imports/{report_import.id}",
        data={
            **review_data(report_import, rows),
            "intent": "confirm",
            "published-day": "3",
            "published-month": "2",
            "published-year": "2023",
        },
    )
    assert response.status_code == 302
    inspection = db.session.scalar(sa.select(Inspection).order_by(Inspection.id.desc()))
    assert inspection.published_on.isoformat() == "2023-02-03"


def test_a_publication_date_before_the_inspection_ended_is_refused(world, login):
    client = login("admin")
    report_import = _paste(client, _northbrook())
    rows = [{"text": HEALTH_ASSESSMENTS, "position": "1"}]
    response = client.post(
        f"/imports/{report_import.id}",
        data={
            **review_data(report_import, rows),
            "intent": "confirm",
            "published-day": "1",
            "published-month": "1",
            "published-year": "2023",
        },
    )
    assert "cannot be published before the inspection ended" in text_of(response)
    db.session.refresh(report_import)
    assert report_import.parsed.get("published") is None and report_import.inspection_id is None


def test_a_report_without_recommendations_imports_its_judgements(world, login):
    client = login("admin")
    text = _northbrook()
    start = text.index("What needs to improve?")
    end = text.index("The experiences and progress of children who need help and protection:")
    report_import = _paste(client, text[:start] + text[end:])
    assert report_import.parsed["recommendations"] == []
    page = text_of(client.get(f"/imports/{report_import.id}"))
    assert "The report makes no recommendations" in page
    blank_rows = [{"text": "", "position": "1"}, {"text": "", "position": "2"}]  # as shown
    data = {**review_data(report_import, blank_rows), "intent": "confirm"}
    response = client.post(f"/imports/{report_import.id}", data=data)
    assert response.status_code == 302
    inspection = db.session.scalar(sa.select(Inspection).order_by(Inspection.id.desc()))
    assert len(inspection.judgements) == 4 and inspection.recommendations == []


def test_the_review_page_gives_dates_in_the_gov_uk_style(world, login):
    text = text_of(login("admin").get(f"/imports/{world.report_import.id}"))
    dates = world.report_import.parsed["inspection_dates"]
    start = date.fromisoformat(dates["start"])
    assert f"{start:%-d %B %Y} to " in text
    assert dates["start"] not in text  # never the ISO form
