"""Layouts a copy from a PDF viewer gives that the importer must read as the PDF reads:
a title run over several lines, a judgement table whose grade cells stand on lines of their
own, a grade cell printed around the row beside it, and a number glued to its paragraph."""

from workflow.imports.parse import parse_text
from workflow.imports.parse.clean import split_marker

TABLE_ROWS = """Judgement Grade
The impact of leaders on social work
practice with children and families
Good
The experiences and progress of
children who need help and protection
Good
The experiences and progress of
children in care
Good
The experiences and progress of care
leavers
Good
Overall effectiveness Good
"""

BODY = """
Services for children in Eastshire have improved since the last inspection.

What needs to improve?

- The timeliness of initial health assessments for children coming into care.

The experiences and progress of children in care: good

1. Initial health assessments for children coming into care are too often late.
"""


def test_a_title_over_three_lines_is_read_whole():
    text = (
        "Inspection of City of Eastshire\nMetropolitan Borough Council local\n"
        "authority children's services\n\nInspection dates: 9 to 20 January 2023\n\n"
        "Lead inspector: Jane Example, His Majesty's Inspector\n\n"
        "Judgement Grade\nThe impact of leaders on social work Good\n"
        "practice with children and families\nOverall effectiveness Good\n" + BODY
    )
    report = parse_text(text)
    assert report.kind == "ilacs"  # not a pre-2018 report for want of a one-line title
    assert report.authority == "City of Eastshire Metropolitan Borough Council"
    assert [j.grade for j in report.judgements] == ["Good", "Good"]
    assert report.judgements[0].area.endswith("social work practice with children and families")


def test_grade_cells_on_lines_of_their_own_are_not_a_running_footer():
    text = (
        "Inspection of Eastshire local authority children's services\n\n"
        "Inspection dates: 9 to 20 January 2023\n\n" + TABLE_ROWS + BODY
    )
    report = parse_text(text)
    assert [j.area for j in report.judgements] == [
        "The impact of leaders on social work practice with children and families",
        "The experiences and progress of children who need help and protection",
        "The experiences and progress of children in care",
        "The experiences and progress of care leavers",
        "Overall effectiveness",
    ]
    assert {j.grade for j in report.judgements} == {"Good"}


def test_a_footer_repeated_page_after_page_is_still_dropped():
    page = "\n".join(f"Sentence {n} of the page says something about children." for n in range(12))
    footer = "Eastshire inspection of children's social care services"
    pages = "\n".join(f"{page}\n{footer}" for _ in range(5))
    text = (
        "Inspection of Eastshire local authority children's services\n\n"
        "Inspection dates: 9 to 20 January 2023\n\nJudgement Grade\nOverall effectiveness "
        "Good\n\n" + pages + BODY
    )
    report = parse_text(text)
    assert footer not in " ".join(p.text for p in report.paragraphs)
    assert report.recommendations[0].text.startswith("The timeliness of initial health")


def test_a_grade_printed_around_its_row_is_read_with_that_row():
    text = """Eastshire County Council
Inspection of services for children in need of help and protection, children looked after
and care leavers

Inspection date: 13 January to 4 February 2014

The overall judgement is inadequate

1. Children who need help and protection Inadequate
Requires
2. Children looked after and achieving permanence
Improvement
Requires
2.1 Adoption performance
Improvement
3. Leadership, management and governance Inadequate

Section 1: the local authority

What does the local authority need to improve?

Priority and immediate action

1. Ensure that all children at risk of harm are seen promptly and their needs assessed.
"""
    report = parse_text(text)
    assert [(j.area, j.grade) for j in report.judgements] == [
        ("Overall effectiveness", "Inadequate"),
        ("Children who need help and protection", "Inadequate"),
        ("Children looked after and achieving permanence", "Requires improvement to be good"),
        ("Adoption performance", "Requires improvement to be good"),
        ("Leadership, management and governance", "Inadequate"),
    ]


def test_a_paragraph_number_glued_to_its_text_is_still_its_number():
    assert split_marker("10.Children who are missing from education are found.").number == 10
    assert split_marker("53.A comprehensive workforce strategy is in place.").number == 10 + 43
    assert split_marker("38.PAs are interested in their care leavers.").number == 38
    assert split_marker("1.5 million children live in England.") is None
    assert split_marker("12.5% of children were seen.") is None


def test_requires_improvement_printed_before_its_row_and_to_be_good_after():
    text = (
        "Inspection of Eastshire local authority children's services\n\n"
        "Inspection dates: 9 to 20 January 2023\n\n"
        "Judgement Grade\n"
        "The impact of leaders on social work practice with children Requires improvement\n"
        "and families to be good\n"
        "Requires improvement\nOverall effectiveness\nto be good\n" + BODY
    )
    report = parse_text(text)
    assert [(j.area, j.grade) for j in report.judgements] == [
        (
            "The impact of leaders on social work practice with children and families",
            "Requires improvement to be good",
        ),
        ("Overall effectiveness", "Requires improvement to be good"),
    ]


def _hard_wrapped(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


HEAD = (
    "Eastshire County Council\nInspection of services for children in need of help and "
    "protection, children looked after\nand care leavers\n\nInspection date: 13 January to "
    "4 February 2014\n\nThe overall judgement is inadequate\n\n"
    "What does the local authority need to improve?\n\nAreas for improvement\n\n"
)


def test_a_wrapped_line_that_begins_with_a_headings_word_is_not_a_heading():
    text = HEAD + _hard_wrapped(
        [
            "1. Improve the quality of assessments and plans for children to ensure that",
            "purposeful work takes place to prevent drift. Reviews should record children's",
            "progress, in addition to sharing and updating information. (This was a",
            "recommendation at the last inspection.)",
            "2. Ensure that all children looked after achieve permanence as appropriate to",
            "their needs, through long-term foster care, adoption or special guardianship.",
        ]
    )
    texts = [r.text for r in parse_text(text).recommendations]
    assert len(texts) == 2
    assert texts[0].endswith("(This was a recommendation at the last inspection.)")


def test_a_sentence_broken_by_a_page_carries_on_whatever_its_next_word():
    text = HEAD + _hard_wrapped(
        [
            "1. Review the permanency policy and ensure that permanence planning is pursued",
            "for all children in a timely manner and that consideration is routinely given to",
            "",
            "8",
            "Fostering to Adopt arrangements and concurrent planning, where appropriate.",
            "2. Strengthen the quality assurance role of independent reviewing officers and",
            "child protection conference chairs, so that reviews result in purposeful plans.",
        ]
    )
    texts = [r.text for r in parse_text(text).recommendations]
    assert texts[0].endswith(
        "routinely given to Fostering to Adopt arrangements and "
        "concurrent planning, where appropriate."
    )
    assert texts[1].startswith("Strengthen the quality assurance role")


def test_a_grade_begun_on_the_line_above_the_first_row_is_that_rows():
    text = HEAD.replace("The overall judgement is inadequate", "The overall judgement is good")
    rows = "Requires\n1. Children who need help and protection\nimprovement\n"
    rows += "Requires\n2. Children looked after and achieving permanence\nimprovement\n\n"
    report = parse_text(text.replace("What does the local", rows + "What does the local"))
    assert [(j.area, j.grade) for j in report.judgements][1:] == [
        ("Children who need help and protection", "Requires improvement to be good"),
        ("Children looked after and achieving permanence", "Requires improvement to be good"),
    ]
