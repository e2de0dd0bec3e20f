"""The importer on real Ofsted reports from ../shared (skipped when absent, failed on CI)."""

import re
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from tests.imports.parse.importer_builders import docx_from_lines, seed_to_docx_with_word_lists
from tests.imports.parse.importer_real import (
    JUNK_PATTERNS,
    PASTE_GAPS,
    PDF_2017,
    PDF_2022,
    REAL_RECOMMENDATION_COUNTS,
    REAL_RECOMMENDATIONS,
    REAL_SIF_FRONT_MATTER,
    REPORTS,
    SEED_2022,
    SEEDS,
    index_date,
    index_kind,
    index_rows,
    index_value,
    name_key,
    seed_bullets,
)
from workflow.imports.parse import (
    ParsedReport,
    ReportParseError,
    authority_key,
    parse_file,
    parse_text,
)


@cache
def parsed(name: str) -> ParsedReport:
    """Each real PDF is read once per test run: several tests look at the same result."""
    return parse_file(require(REPORTS / name))


def require(path: Path) -> Path:
    """The shared file, or a skip: the real reports are tested when the folder is present."""
    if path.exists():
        return path
    pytest.skip(f"{path} is not available")


def _index_params() -> list:
    if not (REPORTS / "index.csv").exists():
        return [pytest.param(None, id="index.csv-missing")]
    return [pytest.param(row, id=row["file"]) for row in index_rows()]


@pytest.fixture(scope="module")
def wolverhampton_2022() -> dict[str, ParsedReport]:
    seed = require(SEED_2022).read_text(encoding="utf-8")
    return {
        "txt": parse_file(SEED_2022),
        "pasted": parse_text(seed),
        "pdf": parse_file(require(PDF_2022)),
        "docx-lines": parse_file(docx_from_lines(seed), "seed.docx"),
        "docx-word-lists": parse_file(seed_to_docx_with_word_lists(seed), "seed.docx"),
    }


@pytest.mark.parametrize("source", ["txt", "pasted", "pdf", "docx-lines", "docx-word-lists"])
def test_2022_recommendations_equal_the_seed_bullets(wolverhampton_2022, source):
    expected = seed_bullets(SEED_2022.read_text(encoding="utf-8"))
    assert len(expected) == 5
    assert [r.text for r in wolverhampton_2022[source].recommendations] == expected


@pytest.mark.parametrize("source", ["txt", "pasted", "pdf", "docx-lines", "docx-word-lists"])
def test_2022_metadata_and_four_judgements(wolverhampton_2022, source):
    report = wolverhampton_2022[source]
    assert (report.authority, report.kind, report.ilacs_variant) == (
        "City of Wolverhampton",
        "ilacs",
        "short",
    )
    assert report.lead_inspector == "Andy Waugh"
    assert report.to_json_dict()["inspection_dates"] == {"start": "2022-03-28", "end": "2022-04-01"}
    assert [(j.area, j.grade) for j in report.judgements] == [
        ("The impact of leaders on social work practice with children and families", "Outstanding"),
        ("The experiences and progress of children who need help and protection", "Good"),
        ("The experiences and progress of children in care and care leavers", "Good"),
        ("Overall effectiveness", "Good"),
    ]
    assert [p.number for p in report.paragraphs] == list(range(1, 50))


@pytest.mark.parametrize("source", ["txt", "pdf", "docx-word-lists"])
def test_2022_evidence_links(wolverhampton_2022, source):
    links = [r.paragraphs for r in wolverhampton_2022[source].recommendations]
    assert links[0][0] == 15  # children missing from education
    assert links[1][0] == 29  # return home interviews
    assert links[2][0] == 28  # PEPs and persistent absence
    assert links[3][0] == 28  # career advice from the virtual school
    assert links[4][0] == 14  # 16- and 17-year-old homeless children
    assert all(1 <= len(found) <= 3 for found in links)


def test_2022_paragraphs_are_repaired_across_pages(wolverhampton_2022):
    pdf = {p.number: p for p in wolverhampton_2022["pdf"].paragraphs}
    txt = {p.number: p for p in wolverhampton_2022["txt"].paragraphs}
    assert pdf[12].text == txt[12].text  # broken by a page break, footer in between
    assert pdf[44].text == txt[44].text
    assert pdf[1].heading == (
        "The experiences and progress of children who need help and protection: good"
    )
    assert "Inspection of City" not in " ".join(p.text for p in pdf.values())


def test_2017_sif_keeps_lscb_recommendations_apart():
    report = parsed(require(PDF_2017).name)
    assert report.kind == "sif"
    assert len(report.recommendations) == 11
    assert report.recommendations[0].text == (
        "Ensure that management oversight at the frontline is appropriately challenging and "
        "consistent, and that frontline managers are able to use the new case file audit tool "
        "effectively."
    )
    assert report.recommendations[-1].text == (
        "Ensure that once children are placed with adoptive families there is no unnecessary "
        "delay in applying for an adoption order."
    )
    assert len(report.lscb_recommendations) == 5
    assert all(re.search(r"\(paras?\. \d", text) for text in report.lscb_recommendations)
    assert not any("board" in r.text.lower() for r in report.recommendations)
    assert report.to_json_dict()["lscb_recommendations"] == report.lscb_recommendations
    assert report.published_date.isoformat() == "2017-03-31"
    assert report.lead_inspector == "Nigel Parkes"
    assert report.judgements[0].area == "Overall effectiveness"
    assert report.judgements[-1].area == "The Local Safeguarding Children Board"
    assert min(p.number for p in report.paragraphs) == 12  # 1-11 are the recommendations


@pytest.mark.parametrize("row", _index_params())
def test_real_pdf_matches_index(row):
    require(REPORTS / "index.csv")
    report = parsed(row["file"])
    if kind := index_kind(row):
        assert (report.kind, report.ilacs_variant) == kind
    else:
        assert report.kind == "sif"
    assert authority_key(report.authority) == row["local_authority"]
    if start := index_date(row, "inspection_start_date"):
        assert report.start_date == start
    if end := index_date(row, "inspection_end_date"):
        assert report.end_date == end
    if inspector := index_value(row, "inspector_name"):
        assert name_key(report.lead_inspector) == name_key(inspector)
    council, lscb = REAL_RECOMMENDATION_COUNTS[row["file"]]
    assert (len(report.recommendations), len(report.lscb_recommendations)) == (council, lscb)


@pytest.mark.parametrize("name", sorted(REAL_RECOMMENDATIONS))
def test_real_pdf_recommendation_texts(name):
    report = parsed(name)
    assert tuple(r.text for r in report.recommendations) == REAL_RECOMMENDATIONS[name]


@pytest.mark.parametrize("name", sorted(REAL_SIF_FRONT_MATTER))
def test_sif_front_matter_the_index_lacks(name):
    report = parsed(name)
    start, end, inspector, published = REAL_SIF_FRONT_MATTER[name]
    assert report.kind == "sif"
    assert (report.start_date.isoformat(), report.end_date.isoformat()) == (start, end)
    assert report.lead_inspector == inspector
    assert (report.published_date and report.published_date.isoformat()) == published


@pytest.mark.parametrize("row", _index_params())
def test_real_pdf_grades_match_index(row):
    require(REPORTS / "index.csv")
    report = parsed(row["file"])
    grades = {j.area: j.grade.lower() for j in report.judgements}
    columns = {
        "overall_effectiveness_grade": "Overall effectiveness",
        "impact_of_leaders_grade": "The impact of leaders",
        "help_and_protection_grade": "children who need help and protection",
        "in_care_grade": "children in care",
        "care_leavers_grade": "care leavers",
    }
    for column, phrase in columns.items():
        value = index_value(row, column)
        if not value or report.kind != "ilacs":
            continue
        matches = [g for area, g in grades.items() if phrase.lower() in area.lower()]
        assert matches and matches[0].startswith(value), (column, value, grades)


@pytest.mark.parametrize("row", _index_params())
def test_real_pdf_recommendations_are_clean(row):
    require(REPORTS / "index.csv")
    report = parsed(row["file"])
    texts = [r.text for r in report.recommendations] + report.lscb_recommendations
    assert texts
    for text in texts:
        assert not any(re.search(p, text, re.I) for p in JUNK_PATTERNS), text
        assert "  " not in text and "\n" not in text and "’" not in text
        assert text[0].isupper()
        assert len(text.split()) >= 4


def pasted_from(path: Path, viewer: str) -> str:
    """The report's text as a user would paste it, copied with one PDF library or another."""
    if viewer == "pypdf":
        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _paste_params() -> list:
    params = []
    for viewer in ("pdfplumber", "pypdf"):
        for param in _index_params():
            row = param.values[0]
            gap = row is not None and (row["file"], viewer) in PASTE_GAPS
            known = pytest.mark.xfail(reason="a known gap of pasted text", strict=True)
            marks = [known] if gap else []
            params.append(pytest.param(row, viewer, marks=marks, id=f"{param.id}-{viewer}"))
    return params


@pytest.mark.parametrize("row, viewer", _paste_params())
def test_real_pdf_pasted_as_text_gives_the_same_result(row, viewer):
    require(REPORTS / "index.csv")
    from_pdf = parsed(row["file"])
    from_text = parse_text(pasted_from(require(REPORTS / row["file"]), viewer))
    assert [r.text for r in from_text.recommendations] == [r.text for r in from_pdf.recommendations]
    assert from_text.lscb_recommendations == from_pdf.lscb_recommendations
    assert from_text.judgements == from_pdf.judgements
    assert (from_text.start_date, from_text.end_date, from_text.lead_inspector) == (
        from_pdf.start_date,
        from_pdf.end_date,
        from_pdf.lead_inspector,
    )
    assert [p.number for p in from_text.paragraphs] == [p.number for p in from_pdf.paragraphs]


def test_council_paper_about_an_inspection_is_not_a_report():
    paper = require(SEEDS / "2017-corporate-parenting-board-report.txt")
    with pytest.raises(ReportParseError, match="does not look like an Ofsted report"):
        parse_file(paper)


def test_a_trust_named_in_the_title_is_kept_and_the_plan_is_the_councils():
    report = parsed("bradford-2026-05-21.pdf")
    assert report.trust == "Bradford Children and Families Trust"
    assert report.authority == "Bradford" and report.to_json_dict()["trust"] == report.trust
    assert any("Bradford Children and Families Trust" in note for note in report.notes)


@pytest.mark.parametrize(
    "name, kind",
    [
        ("liverpool-2018-07-02.pdf", "ilacs"),  # the council's name, then the title
        ("kent-2022-07-05.pdf", "ilacs"),  # "Inspection of Kent County Council children's services"
        ("kent-2013-08-23.pdf", "sif"),  # looked after children services, 2013
        ("surrey-2015-08-03.pdf", "sif"),  # a review of the board alone
    ],
)
def test_titles_of_every_form_are_read(name, kind):
    assert parsed(name).kind == kind


def test_nested_bullets_stay_with_their_parent_and_the_next_item_follows():
    texts = [r.text for r in parsed("norfolk-2018-01-19.pdf").recommendations]
    assert texts[3].startswith("Strengthen the response to children who go missing")
    assert texts[3].endswith("informs risk management for children.")
    assert "; actions from multi-agency sexual exploitation (MASE) meetings" in texts[3]
    assert texts[4].startswith("Progress work with health partners")


def test_a_list_by_timescale_marks_what_is_due_immediately():
    report = parsed("kent-2013-08-23.pdf")
    assert [r.priority for r in report.recommendations] == [True] * 3 + [False] * 9


def test_sub_headings_inside_a_numbered_list_do_not_end_it():
    report = parsed("rotherham-2014-11-19.pdf")
    assert len(report.recommendations) == 26 and len(report.lscb_recommendations) == 9
