"""The importer's rules one at a time: characters, markers, line joins, dates, names, links."""

from datetime import date

import pytest

from workflow.imports.parse import authority_key, parse_text
from workflow.imports.parse.clean import build_vocabulary, join_lines, normalise_chars, split_marker
from workflow.imports.parse.links import cited_paragraphs, link_evidence
from workflow.imports.parse.metadata import parse_date_range
from workflow.imports.parse.sections import NumberedParagraph

ILACS_HEAD = (
    "Inspection of Testshire local authority children’s services\n\n"
    "Inspection dates: 1 to 5 May 2023\n\n"
    "Lead inspector: Sam Lee, His Majesty’s Inspector\n\n"
)


def test_typographic_characters_become_plain():
    text = normalise_chars("PEP’s ‘front door’ “voice”\u00a0of\u200b the ﬁle and co\u00adoperation")
    assert text == "PEP's 'front door' \"voice\" of the file and cooperation"


@pytest.mark.parametrize(
    ("line", "kind", "rest"),
    [
        ("• The quality", "bullet", "The quality"),
        ("- The quality", "bullet", "The quality"),
        ("\uf0b7 The quality", "bullet", "The quality"),
        ("▪ The quality", "bullet", "The quality"),
        ("◼ The quality", "bullet", "The quality"),
        ("– in primary schools", "bullet", "in primary schools"),
        ("o the police", "bullet", "the police"),
        ("(cid:127) The quality", "bullet", "The quality"),
        ("12. Children", "number", "Children"),
        ("3)\tEnsure", "number", "Ensure"),
        ("(b) they set out", "letter", "they set out"),
        ("ii. partners", "letter", "partners"),
    ],
)
def test_list_markers(line, kind, rest):
    marker = split_marker(line)
    assert marker is not None and (marker.kind, marker.rest) == (kind, rest)


@pytest.mark.parametrize(
    "line", ["2.1 Adoption performance", "1.5 million", "-year-old", "2016 was"]
)
def test_not_list_markers(line):
    assert split_marker(line) is None


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["for 16-", "and 17-year-old children"], "for 16- and 17-year-old children"),
        (["a high-", "quality service"], "a high-quality service"),
        (["multi-", "agency work"], "multi-agency work"),
        (["day-", "to-day"], "day-to-day"),
        (["the co\u00ad", "operation"], "the cooperation"),
        (["and/", "or"], "and/or"),
        (["COVID-", "19 pandemic"], "COVID-19 pandemic"),
    ],
)
def test_line_joins_keep_real_hyphens(lines, joined):
    assert join_lines(lines, build_vocabulary(lines)) == joined


def test_word_broken_by_the_typesetter_is_rejoined_when_the_document_spells_it():
    lines = ["The implemen-", "tation of plans.", "Implementation is slow."]
    assert join_lines(lines[:2], build_vocabulary(lines)) == "The implementation of plans."
    alone = ["The implemen-", "tation of plans."]
    assert join_lines(alone, build_vocabulary(alone)) == "The implemen-tation of plans."


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("28 March to 1 April 2022", date(2022, 3, 28), date(2022, 4, 1)),
        ("21 to 25 March 2022", date(2022, 3, 21), date(2022, 3, 25)),
        ("14 January 2019 to 25 January 2019", date(2019, 1, 14), date(2019, 1, 25)),
        ("26 January 2026 to 30 January 2026", date(2026, 1, 26), date(2026, 1, 30)),
        ("13 February 2017 – 9 March 2017", date(2017, 2, 13), date(2017, 3, 9)),
        ("05 July 2016–27 July 2016", date(2016, 7, 5), date(2016, 7, 27)),
        ("on 5 and 6 April 2022.", date(2022, 4, 5), date(2022, 4, 6)),
        ("on 28 February and 1 March 2023", date(2023, 2, 28), date(2023, 3, 1)),
        ("28 December to 3 January 2022", date(2021, 12, 28), date(2022, 1, 3)),
        ("Between 4 and 8 June 2018, Ofsted", date(2018, 6, 4), date(2018, 6, 8)),
        ("on 10 May 2023", date(2023, 5, 10), date(2023, 5, 10)),
        ("3rd to 7th Sept 2018", date(2018, 9, 3), date(2018, 9, 7)),
    ],
)
def test_inspection_date_forms(text, start, end):
    assert parse_date_range(text) == (start, end)


def test_impossible_dates_are_ignored():
    assert parse_date_range("31 to 30 February 2022") is None


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("City of Wolverhampton", "wolverhampton"),
        ("Kingston Upon Hull City Council", "kingston upon hull"),
        ("Council of the Isles of Scilly", "isles of scilly"),
        ("Wakefield Metropolitan District Council", "wakefield"),
        ("Surrey County Council", "surrey"),
        ("the London Borough of Hackney", "hackney"),
        ("Royal Borough of Windsor & Maidenhead", "windsor and maidenhead"),
        ("West Northamptonshire", "west northamptonshire"),
    ],
)
def test_authority_key(name, key):
    assert authority_key(name) == key


def test_cited_paragraphs():
    assert cited_paragraphs("audits are moderated (paras. 121 and 122).") == [121, 122]
    assert cited_paragraphs("(paragraph 4)") == [4]
    assert cited_paragraphs("see paragraphs 3–5, 9") == [3, 4, 5, 9]
    assert cited_paragraphs("(Outcome 4, National Framework)") == []


def test_evidence_prefers_cited_paragraphs_then_tfidf():
    paragraphs = [
        NumberedParagraph(1, "Early help services are well regarded by families.", None, False),
        NumberedParagraph(2, "Return home interviews are not always offered to children "
                             "who go missing from home.", None, False),
        NumberedParagraph(3, "Foster carers receive good training.", None, False),
    ]  # fmt: skip
    links = link_evidence(
        ["The quality of return home interviews for children who go missing (paragraph 3).",
         "Something no paragraph mentions at all."],
        [False, False],
        paragraphs,
    )  # fmt: skip
    assert links == [[3, 2], []]


def test_lead_inspector_on_the_line_below_its_label():
    report = parse_text(
        "Kingston Upon Hull City Council\nInspection of children’s social care services\n"
        "Inspection dates: 14 January 2019 to 25 January 2019\nLead inspector: Jan Edwards\n"
        "Her Majesty’s Inspector\n\nWhat needs to improve\n\n◼ The quality of assessments.\n"
    )
    assert report.lead_inspector == "Jan Edwards"
    assert report.authority == "Kingston Upon Hull City Council"


def test_lead_inspector_with_hmi_suffix():
    report = parse_text(
        ILACS_HEAD.replace("Sam Lee, His Majesty’s Inspector", "Sam Lee HMI")
        + "What needs to improve?\n\n• The quality of plans.\n"
    )
    assert report.lead_inspector == "Sam Lee"


def test_list_whose_bullets_were_lost_in_the_paste():
    report = parse_text(
        ILACS_HEAD + "What needs to improve?\n\nThe quality of plans for children in need.\n\n"
        "The timeliness of assessments.\n\n"
        "The experiences and progress of children who need help and protection: good\n\n"
        "1. Plans for children in need are variable in quality.\n"
    )
    assert [r.text for r in report.recommendations] == [
        "The quality of plans for children in need.",
        "The timeliness of assessments.",
    ]
    assert report.recommendations[0].paragraphs == [1]


def test_sub_bullets_fold_into_their_parent_and_lead_in_is_dropped():
    report = parse_text(
        ILACS_HEAD + "What needs to improve?\n\nThe local authority should:\n\n"
        "• Improve the quality of plans, including:\n"
        "    – their timescales\n    – the views of children\n"
        "• Strengthen supervision.\n"
    )
    assert [r.text for r in report.recommendations] == [
        "Improve the quality of plans, including: their timescales; the views of children",
        "Strengthen supervision.",
    ]


def test_numbered_recommendations_stop_where_the_numbering_does():
    report = parse_text(
        ILACS_HEAD + "Recommendations\n\n1. Improve plans.\n2. Improve visits.\n"
        "12. Children are seen regularly.\n"
    )
    assert [r.text for r in report.recommendations] == ["Improve plans.", "Improve visits."]


def test_pasted_ilacs_with_grade_interleaved_table_rows():
    report = parse_text(
        ILACS_HEAD + "Judgement Grade\n"
        "The impact of leaders on social work practice with children Requires improvement\n"
        "and families to be good\n"
        "The experiences and progress of children who need help and\nInadequate\nprotection\n"
        "Overall effectiveness Inadequate\n\nWhat needs to improve\n\n◼ Practice.\n"
    )
    assert [(j.area, j.grade) for j in report.judgements] == [
        ("The impact of leaders on social work practice with children and families",
         "Requires improvement to be good"),
        ("The experiences and progress of children who need help and protection", "Inadequate"),
        ("Overall effectiveness", "Inadequate"),
    ]  # fmt: skip


def test_letter_mentioning_an_inspection_in_passing_is_no_report():
    from workflow.imports.parse import ReportParseError

    with pytest.raises(ReportParseError, match="does not look like an Ofsted report"):
        parse_text(
            "Councillors welcomed the outcome of a recent inspection of children's social "
            "care services.\n\nWhat needs to improve?\n\n• Nothing.\n"
        )


def test_list_laid_out_as_a_word_table_with_a_bullet_column():
    from tests.imports.parse.importer_builders import docx_from_markup
    from workflow.imports.parse import parse_file

    markup = (
        "# Inspection of Testshire local authority children’s services\n"
        "Inspection dates: 1 to 5 May 2023\n## What needs to improve?\n"
        "◼ | The quality of plans.\n◼ | The timeliness of visits.\n"
        "## The experiences and progress of children who need help and protection: good\n"
        "1. Plans are weak.\n"
    )
    report = parse_file(docx_from_markup(markup), "testshire.docx")
    assert [r.text for r in report.recommendations] == [
        "The quality of plans.",
        "The timeliness of visits.",
    ]


def test_upload_stream_is_read_up_to_the_limit():
    import io

    from workflow.imports.parse import ReportParseError, parse_file

    stream = io.BytesIO((ILACS_HEAD + "What needs to improve?\n\n• Plans.\n").encode())
    assert parse_file(stream, "upload.txt").recommendations[0].text == "Plans."
    with pytest.raises(ReportParseError, match="larger than 10 bytes"):
        parse_file(io.BytesIO(b"x" * 100), "upload.txt", max_bytes=10)


def test_review_of_the_board_alone_gives_the_boards_list_with_a_note():
    report = parse_text(
        "Northshire Safeguarding Children Board\n\n"
        "Review of the effectiveness of the Local Safeguarding Children Board\n\n"
        "Inspection date: 15 June 2015 – 17 June 2015\n\nRecommendations\n\n"
        "• Update the thresholds document as a matter of urgency (paragraph 2).\n"
        "• Put in place a process for assessing the impact of training.\n\n"
        "Inspection findings\n\n1. The board is well chaired.\n"
        "2. The thresholds document does not meet statutory guidance.\n"
    )
    assert (report.kind, report.authority) == ("sif", "Northshire")
    assert [r.paragraphs for r in report.recommendations] == [[2], []]
    assert report.lscb_recommendations == []
    assert "addressed to the board" in report.notes[0]


def test_a_sentence_about_the_board_does_not_move_the_council_list_to_it():
    report = parse_text(
        "Testshire County Council\n\nInspection of services for children in need of help and "
        "protection, children looked after and care leavers\n\n"
        "Inspection date: 3 March 2015 – 25 March 2015\n\nThe local authority\n\n"
        "The chair of the LSCB has been in post since 2013.\n\nRecommendations\n\n"
        "1. Improve the quality of plans.\n\nThe Local Safeguarding Children Board (LSCB)\n\n"
        "Recommendations\n\n2. Develop a training strategy.\n"
    )
    assert [r.text for r in report.recommendations] == ["Improve the quality of plans."]
    assert report.lscb_recommendations == ["Develop a training strategy."]


def test_html_list_items_wrapping_paragraphs_as_word_exports_them():
    from workflow.imports.parse import parse_file

    page = (
        "<html><body><h1>Inspection of Testshire local authority children&rsquo;s services"
        "</h1><p>Inspection dates: 1 to 5 May 2023</p><h2>What needs to improve?</h2><ul>"
        "<li><p>The quality of plans.</p></li><li><p>The timeliness of <b>visits</b>.</p></li>"
        "</ul><h2>The experiences and progress of children: good</h2>"
        '<ol start="x"><li>Plans are weak.</li></ol></body></html>'
    )
    report = parse_file(page.encode(), "testshire.html")
    assert [r.text for r in report.recommendations] == [
        "The quality of plans.",
        "The timeliness of visits.",
    ]
    assert [(p.number, p.text) for p in report.paragraphs] == [(1, "Plans are weak.")]
