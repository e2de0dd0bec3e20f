"""The importer on fixtures of every report kind, format and awkward shape."""

import io
import json

import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter

from tests.imports.parse.importer_builders import fixture_text, pdf_from_html
from tests.imports.parse.importer_cases import CASES, KINGSBRIDGE, Case
from workflow.imports.parse import ParsedReport, parse_file, parse_text
from workflow.imports.parse.model import KINDS


def parse_case(case: Case) -> ParsedReport:
    data = case.build()
    return parse_text(data.decode("utf-8")) if case.pasted else parse_file(data, case.filename)


@pytest.fixture(scope="module", params=CASES, ids=[case.name for case in CASES])
def parsed(request) -> tuple[Case, ParsedReport]:
    return request.param, parse_case(request.param)


def test_kind_and_front_matter(parsed):
    case, report = parsed
    expected = case.expected
    assert report.kind == expected.kind and report.kind in KINDS
    assert report.authority == expected.authority
    assert (report.start_date, report.end_date) == (expected.start, expected.end)
    assert report.lead_inspector == expected.lead_inspector
    if expected.ilacs_variant:
        assert report.ilacs_variant == expected.ilacs_variant


def test_recommendation_texts_exactly(parsed):
    case, report = parsed
    assert tuple(r.text for r in report.recommendations) == case.expected.recommendations
    assert [r.number for r in report.recommendations] == list(
        range(1, len(case.expected.recommendations) + 1)
    )


def test_priority_and_lscb_lists(parsed):
    case, report = parsed
    if case.expected.priority is not None:
        assert tuple(r.priority for r in report.recommendations) == case.expected.priority
    assert tuple(report.lscb_recommendations) == case.expected.lscb


def test_judgements(parsed):
    case, report = parsed
    if case.expected.judgements is None:
        pytest.skip("no judgements expected for this fixture")
    assert tuple((j.area, j.grade) for j in report.judgements) == case.expected.judgements


def test_paragraphs_and_evidence(parsed):
    case, report = parsed
    if case.expected.paragraphs is not None:
        assert len(report.paragraphs) == case.expected.paragraphs
    numbers = {p.number for p in report.paragraphs}
    for recommendation in report.recommendations:
        assert len(recommendation.paragraphs) <= 3
        assert set(recommendation.paragraphs) <= numbers
    if case.expected.first_evidence is not None:
        firsts = tuple(r.paragraphs[0] if r.paragraphs else None for r in report.recommendations)
        assert firsts == case.expected.first_evidence


def test_json_form(parsed):
    case, report = parsed
    document = json.loads(json.dumps(report.to_json_dict()))
    keys = {"authority", "kind", "inspection_dates", "lead_inspector", "judgements"}
    keys |= {"recommendations"} | ({"lscb_recommendations"} if report.kind == "sif" else set())
    keys |= {"sif": set(), "monitoring": {"areas"}, "jtai": {"partners"}}.get(report.kind, set())
    assert set(document) == keys
    assert document["inspection_dates"]["start"] == case.expected.start.isoformat()
    assert document["recommendations"][0] == {
        "number": 1,
        "text": case.expected.recommendations[0],
        "paragraphs": report.recommendations[0].paragraphs,
    }


def test_pasted_text_repairs_hyphens_quotes_and_page_breaks():
    report = parse_text(fixture_text("ilacs_standard_pasted.txt"))
    paragraph_6 = next(p for p in report.paragraphs if p.number == 6)
    assert paragraph_6.text.startswith("Children come into care when it is in their best")
    assert "The implementation of a family finding team" in paragraph_6.text  # implemen-/tation
    assert "16- and 17-year-old" in report.recommendations[3].text  # suspended hyphen kept
    assert "'front door'" in report.recommendations[2].text  # ‘ ’ made plain
    assert report.paragraphs[-1].text.endswith("have not been completed.")  # footer dropped
    assert report.paragraphs[-1].heading == (
        "The impact of leaders on social work practice with children and families: "
        "requires improvement to be good"
    )


def test_pdf_fixture_really_breaks_a_recommendation_across_pages():
    # The fixture must exercise what it claims: item 3 starts on page 1 and ends on page 2,
    # with the footnote, footer, page number and running header in between.
    pdf = pdf_from_html(fixture_text("ilacs_2026_print_source.html"))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        first, second = (page.extract_text() for page in document.pages[:2])
    assert "about their rights and entitlements" in first
    assert "will live. (Outcome two, National Framework)" in second
    assert "The areas for improvement have been cross-referenced" in first
    assert second.startswith("OFFICIAL")
    report = parse_file(pdf, "kingsbridge.pdf")
    assert report.recommendations[2].text == KINGSBRIDGE.recommendations[2]
    assert not any("cross-referenced" in p.text for p in report.paragraphs)


def test_pdf_protected_only_against_editing_is_read():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_from_html(fixture_text(
        "ilacs_2026_print_source.html")))))  # fmt: skip
    writer.encrypt(user_password="", owner_password="owner-only", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    report = parse_file(buffer.getvalue(), "restricted.pdf")
    assert [r.text for r in report.recommendations] == list(KINGSBRIDGE.recommendations)


def test_format_is_detected_by_content_not_name():
    pdf = pdf_from_html(fixture_text("ilacs_2026_print_source.html"))
    report = parse_file(pdf, "kingsbridge.txt")
    assert report.authority == "Kingsbridge"
    html = fixture_text("ilacs_2026_saved_page.html").encode()
    assert parse_file(html, "download").authority == "Lowmoor"


def test_parse_file_accepts_a_path(tmp_path):
    path = tmp_path / "northmoor.txt"
    path.write_text(fixture_text("focused_visit_priority.txt"), encoding="utf-8")
    assert (
        parse_file(path).authority
        == parse_file(str(path)).authority
        == ("Northmoor Metropolitan Borough Council")
    )
