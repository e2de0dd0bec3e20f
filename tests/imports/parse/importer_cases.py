"""Importer fixtures and what the importer must read from each: the one place for both.

Every fixture is a realistic document of one report kind and shape: pasted text with page
furniture, text files in three encodings, a saved HTML page, a PDF rendered by WeasyPrint (a
running header and footer, a footnote and a recommendation broken across a page), and Word
files built with python-docx (real tables, list styles, automatic numbering). `CASES` pairs
each with its expected result; the tests and bench/importer_accuracy.py both use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from tests.imports.parse.importer_builders import (
    docx_from_lines,
    docx_from_markup,
    fixture_bytes,
    fixture_text,
    pdf_from_html,
)


@dataclass(frozen=True)
class Expected:
    """What the importer must read from a fixture. None means "not checked"."""

    kind: str
    authority: str
    start: date | None
    end: date | None
    lead_inspector: str | None
    recommendations: tuple[str, ...]
    judgements: tuple[tuple[str, str], ...] | None = None
    priority: tuple[bool, ...] | None = None
    lscb: tuple[str, ...] = ()
    first_evidence: tuple[int | None, ...] | None = None
    ilacs_variant: str | None = None
    paragraphs: int | None = None


@dataclass(frozen=True)
class Case:
    """A fixture document: how to build it, how to hand it over, what must come out."""

    name: str
    filename: str
    build: Callable[[], bytes]
    expected: Expected
    pasted: bool = False  # handed to parse_text rather than parse_file
    shape: str = ""


def _d(text: str) -> date:
    return datetime.strptime(text, "%Y-%m-%d").date()


EASTSHIRE = Expected(
    kind="ilacs",
    authority="Eastshire",
    start=_d("2023-11-06"),
    end=_d("2023-11-17"),
    lead_inspector="Priya Natarajan",
    ilacs_variant="standard",
    judgements=(
        ("The impact of leaders on social work practice with children and families",
         "Requires improvement to be good"),
        ("The experiences and progress of children who need help and protection",
         "Requires improvement to be good"),
        ("The experiences and progress of children in care", "Good"),
        ("The experiences and progress of care leavers", "Good"),
        ("Overall effectiveness", "Requires improvement to be good"),
    ),
    recommendations=(
        "The timeliness and quality of initial child protection conferences and the "
        "consistency of core group arrangements.",
        "Management oversight and supervision, so that plans for children in need are "
        "progressed without drift.",
        "The 'front door' response to contacts from partner agencies, including the "
        "recording of parental consent and of the rationale for decisions.",
        "The response to 16- and 17-year-old children who present as homeless, so that they "
        "understand their rights and entitlements.",
        "The sufficiency of local homes for children in care, including the recruitment of "
        "foster carers for brothers and sisters and for older children.",
    ),
    first_evidence=(3, 4, 2, 5, 7),
    paragraphs=9,
)  # fmt: skip

NORTHMOOR = Expected(
    kind="focused_visit",
    authority="Northmoor Metropolitan Borough Council",
    start=_d("2019-03-12"),
    end=_d("2019-03-13"),
    lead_inspector="Claire Hutchins",
    recommendations=(
        "Ensure that all contacts are screened and risk-assessed within one working day, so "
        "that children at risk of significant harm are protected without delay.",
        "Ensure that strategy discussions are held for every child where there is reasonable "
        "cause to suspect significant harm, and that they include: the police and health "
        "partners; a clear record of the decisions made and the reasons for them.",
        "The quality of assessments, so that they consider children's histories and the "
        "cumulative impact of neglect.",
        "The consistency of management oversight and supervision in the assessment teams.",
        "The recording of children's wishes and feelings, including for disabled children.",
    ),
    priority=(True, True, False, False, False),
    judgements=(),
    paragraphs=0,
)

REDVALE = Expected(
    kind="focused_visit",
    authority="Redvale",
    start=_d("2023-02-28"),
    end=_d("2023-03-01"),
    lead_inspector="Tom Ashworth",
    recommendations=(
        "The timeliness of reviews of children's care plans, including children's "
        "participation in their reviews.",
        "The quality and timeliness of life-story work and later-life letters, so that "
        "children understand their histories.",
        "Independent reviewing officers' (IROs') oversight and challenge when children's "
        "plans drift.",
    ),
    priority=(False, False, False),
    judgements=(),
)

WESTBOROUGH = Expected(
    kind="monitoring",
    authority="Westborough",
    start=_d("2022-08-23"),
    end=_d("2022-08-24"),
    lead_inspector="Joanne Pike",
    recommendations=(
        "The quality and timeliness of child protection plans, so that they are specific "
        "about what needs to change and by when.",
        "Management oversight of work in the pre-proceedings stage of the Public Law "
        "Outline, to avoid drift and delay for children.",
        "The recording of direct work with children, so that their voices inform their plans.",
    ),
    judgements=(),
)

EASTVALE = Expected(
    kind="jtai",
    authority="Eastvale",
    start=_d("2018-06-04"),
    end=_d("2018-06-08"),
    lead_inspector=None,
    recommendations=(
        "The quality of information shared by the police with children's social care about "
        "domestic abuse incidents is too variable, and this delays decisions about children.",
        "Health professionals do not consistently ask about domestic abuse, and routine "
        "enquiry is not embedded in midwifery and health visiting services.",
        "The Local Safeguarding Children Board does not have a clear picture of the "
        "effectiveness of multi-agency training on domestic abuse.",
    ),
    judgements=(),
)

HARBOURFORD = Expected(
    kind="jtai",
    authority="Harbourford",
    start=_d("2023-10-16"),
    end=_d("2023-10-20"),
    lead_inspector=None,
    recommendations=(
        "The partnership's understanding of the impact of early help, through shared "
        "performance information and multi-agency audit.",
        "The consistency of step-up and step-down arrangements between early help and "
        "children's social care.",
    ),
    judgements=(),
)

SHIREFORD = Expected(
    kind="sif",
    authority="Shireford County Council",
    start=_d("2014-01-13"),
    end=_d("2014-02-04"),
    lead_inspector="Margaret Stanton",
    judgements=(
        ("Overall effectiveness", "Inadequate"),
        ("Children who need help and protection", "Inadequate"),
        ("Children looked after and achieving permanence", "Requires improvement to be good"),
        ("Adoption performance", "Requires improvement to be good"),
        ("Experiences and progress of care leavers", "Good"),
        ("Leadership, management and governance", "Inadequate"),
        ("The Local Safeguarding Children Board", "Requires improvement to be good"),
    ),
    recommendations=(
        "Ensure that all children who are at risk of significant harm are identified and "
        "protected, and that strategy discussions take place without delay (paragraph 14).",
        "Reduce social workers' caseloads so that they can visit children regularly and "
        "complete their assessments on time (paragraph 16).",
        "Improve the quality of assessments and plans, so that: they are based on a thorough "
        "analysis of risk; they set out clearly what needs to change and by when.",
        "Ensure that children looked after have up-to-date personal education plans "
        "(paragraph 18).",
        "Improve the stability of placements for children looked after.",
    ),
    priority=(True, True, False, False, False),
    lscb=(
        "Develop a multi-agency audit programme that evaluates the quality of frontline "
        "practice (paragraph 20).",
        "Ensure that the board's annual report provides a rigorous assessment of the "
        "effectiveness of local services.",
    ),
    first_evidence=(14, 16, 17, 18, 19),
)

LOWMOOR = Expected(
    kind="ilacs",
    authority="Lowmoor",
    start=_d("2026-03-02"),
    end=_d("2026-03-13"),
    lead_inspector="Gareth Lloyd-Evans",
    ilacs_variant="standard",
    judgements=(
        ("The impact of leaders on social work practice with children and families", "Good"),
        ("The experiences and progress of children who need help and protection",
         "Requires improvement to be good"),
        ("The experiences and progress of children in care", "Good"),
        ("The experiences and progress of care leavers", "Outstanding"),
    ),
    recommendations=(
        "The quality of child-in-need plans, so that they are specific about what needs to "
        "change and by when. (Outcome four, National Framework)",
        "The consistency of management oversight when children's circumstances change, "
        "including: the review of safety plans; the recording of decisions to step down from "
        "child protection plans. (Enabler two, National Framework)",
        "The sufficiency of local homes for children in care with complex needs. (Outcome "
        "five, National Framework)",
    ),
    first_evidence=(2, 3, 4),
    paragraphs=5,
)  # fmt: skip

KINGSBRIDGE = Expected(
    kind="ilacs",
    authority="Kingsbridge",
    start=_d("2026-01-26"),
    end=_d("2026-01-30"),
    lead_inspector="Fiona McAllister",
    ilacs_variant="short",
    judgements=(
        ("The impact of leaders on social work practice with children and families", "Good"),
        ("The experiences and progress of children who need help and protection", "Good"),
        ("The experiences and progress of children in care", "Requires improvement to be good"),
        ("The experiences and progress of care leavers", "Good"),
        ("Overall effectiveness", "Good"),
    ),
    recommendations=(
        "The quality of personal education plans (PEPs) for children in care, so that they "
        "set clear targets. (Outcome four, National Framework)",
        "The timeliness of health assessments for children in care placed outside "
        "Kingsbridge. (Outcome four, National Framework)",
        "The information given to 16- and 17-year-old children who present as homeless about "
        "their rights and entitlements, including their right to become looked after and to "
        "be supported by an advocate when they make decisions about where they will live. "
        "(Outcome two, National Framework)",
        "The recording of management oversight and supervision, including: the rationale for "
        "decisions to close cases; actions agreed in supervision and whether they have been "
        "completed",
    ),
    first_evidence=(4, 5, 2, 3),
    paragraphs=5,
)

MILLBROOK_MARKUP = """# Inspection of Millbrook local authority children’s services
Inspection dates: 10 to 14 June 2024
Lead inspector: Dawn O’Reilly, His Majesty’s Inspector
Judgement | Grade
The impact of leaders on social work practice with children and families | Good
The experiences and progress of children who need help and protection | Good
The experiences and progress of children in care | Good
The experiences and progress of care leavers | Requires improvement to be good
Overall effectiveness | Good
Children in Millbrook receive good services from a stable workforce. Care leavers do not yet receive consistently good support with accommodation and with their health.
## What needs to improve?
- The suitability of accommodation for care leavers, including:
  - the use of unregulated accommodation for 18-year-olds
  - contingency plans when a tenancy breaks down.
- Care leavers’ access to their health histories and to emotional health support.
## The experiences and progress of children who need help and protection: good
1. Children and families receive help from a wide range of early help services.
2. Strategy meetings are timely and well attended by partners.
## The experiences and progress of care leavers: requires improvement to be good
3. Some care leavers live in unsuitable accommodation, including unregulated accommodation for 18-year-olds, and contingency plans are not in place when a tenancy breaks down.
4. Care leavers do not routinely receive their health histories, and access to emotional health support is limited.
"""  # noqa: E501

MILLBROOK = Expected(
    kind="ilacs",
    authority="Millbrook",
    start=_d("2024-06-10"),
    end=_d("2024-06-14"),
    lead_inspector="Dawn O'Reilly",
    ilacs_variant="short",
    judgements=(
        ("The impact of leaders on social work practice with children and families", "Good"),
        ("The experiences and progress of children who need help and protection", "Good"),
        ("The experiences and progress of children in care", "Good"),
        ("The experiences and progress of care leavers", "Requires improvement to be good"),
        ("Overall effectiveness", "Good"),
    ),
    recommendations=(
        "The suitability of accommodation for care leavers, including: the use of "
        "unregulated accommodation for 18-year-olds; contingency plans when a tenancy breaks "
        "down.",
        "Care leavers' access to their health histories and to emotional health support.",
    ),
    first_evidence=(3, 4),
    paragraphs=4,
)


def _text(name: str, encoding: str = "utf-8") -> Callable[[], bytes]:
    return lambda: fixture_bytes(name, encoding)


def _pdf(name: str) -> Callable[[], bytes]:
    return lambda: pdf_from_html(fixture_text(name))


def _pasted_into_word(name: str) -> Callable[[], bytes]:
    return lambda: docx_from_lines(fixture_text(name))


CASES: tuple[Case, ...] = (
    Case("ilacs-pasted", "pasted", _text("ilacs_standard_pasted.txt"), EASTSHIRE, pasted=True,
         shape="hard-wrapped paste, page furniture, interleaved table, ,  bullets"),
    Case("ilacs-cp1252-file", "eastshire.txt", _text("ilacs_standard_pasted.txt", "cp1252"),
         EASTSHIRE, shape="Windows-1252 text file"),
    Case("ilacs-pasted-into-word", "eastshire.docx", _pasted_into_word(
        "ilacs_standard_pasted.txt"), EASTSHIRE, shape="Word file, one paragraph per line"),
    Case("focused-visit-priority", "northmoor.txt", _text("focused_visit_priority.txt"),
         NORTHMOOR, shape="letter, priority action, lead-in, o sub-bullets, ▪ bullets"),
    Case("focused-visit-2023", "redvale.txt", _text("focused_visit_2023.txt", "utf-8-sig"),
         REDVALE, shape="letter with BOM, • bullets"),
    Case("monitoring-visit", "westborough.txt", _text("monitoring_visit.txt"), WESTBOROUGH,
         shape="monitoring letter, - bullets"),
    Case("jtai-2018", "eastvale.txt", _text("jtai_2018.txt"), EASTVALE,
         shape="JTAI letter, Wingdings  bullets, LSCB named in the address"),
    Case("jtai-2023", "harbourford.txt", _text("jtai_2023.txt"), HARBOURFORD,
         shape="JTAI with a narrative 'Areas for improvement' to ignore"),
    Case("sif-2014", "shireford.txt", _text("sif_2014.txt"), SHIREFORD,
         shape="old SIF: priority action, lettered sub-items, LSCB list"),
    Case("ilacs-2026-html", "lowmoor.html", _text("ilacs_2026_saved_page.html"), LOWMOOR,
         shape="saved web page: nav, cookie banner, scripts, nested list"),
    Case("ilacs-2026-pdf", "kingsbridge.pdf", _pdf("ilacs_2026_print_source.html"),
         KINGSBRIDGE, shape="PDF: header, footer, footnote, item across a page break"),
    Case("ilacs-docx", "millbrook.docx", lambda: docx_from_markup(MILLBROOK_MARKUP), MILLBROOK,
         shape="Word: styles, table, List Bullet 2 sub-bullets, auto numbering"),
)  # fmt: skip
