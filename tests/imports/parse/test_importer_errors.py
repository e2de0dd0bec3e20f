"""Bad input is refused with one clear line, and no library exception gets through."""

import base64
import io
import zipfile

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from tests.imports.parse.importer_builders import (
    docx_from_markup,
    fixture_bytes,
    fixture_text,
    pdf_from_html,
)
from workflow.imports.parse import ReportParseError, parse_file, parse_text


def refused(data: bytes, filename: str, **options) -> str:
    with pytest.raises(ReportParseError) as caught:
        parse_file(data, filename, **options)
    message = str(caught.value)
    assert message == caught.value.message
    assert "\n" not in message and len(message) < 200
    return message


def kingsbridge_pdf() -> bytes:
    return pdf_from_html(fixture_text("ilacs_2026_print_source.html"))


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty_file(data):
    assert refused(data, "report.pdf") == "The file is empty."


def test_empty_paste():
    with pytest.raises(ReportParseError, match="The text is empty"):
        parse_text("  \n ")


def test_scanned_pdf_without_text_layer():
    page = Image.new("RGB", (595, 842), "white")
    ImageDraw.Draw(page).text((60, 60), "What needs to improve?", fill="black")
    buffer = io.BytesIO()
    page.save(buffer, "PDF")
    assert "no text layer" in refused(buffer.getvalue(), "scan.pdf")


def test_scanned_pdf_with_a_stamped_text_header():
    image = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(image, "PNG")
    data = "data:image/png;base64," + base64.b64encode(image.getvalue()).decode()
    page = (
        "<p>OFFICIAL SENSITIVE - scanned by Northshire Council records service</p>"
        f'<img src="{data}" style="width: 15cm">'
    )
    pdf = pdf_from_html(page * 3)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 3 and "OFFICIAL" in pages[0].extract_text()  # text, but a scan
    assert "no text layer" in refused(pdf, "scan-with-header.pdf")


def test_password_protected_pdf():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(kingsbridge_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert refused(buffer.getvalue(), "locked.pdf") == (
        "The PDF is password-protected: upload a copy without a password."
    )


def test_binary_garbage_named_pdf():
    garbage = bytes(range(256)) * 64
    assert "is not a PDF, Word (.docx), HTML or text document" in refused(garbage, "x.pdf")


@pytest.mark.parametrize("cut", [0.05, 0.5, 0.95])
def test_truncated_pdf(cut):
    data = kingsbridge_pdf()
    assert refused(data[: int(len(data) * cut)], "cut.pdf") == (
        "The file 'cut.pdf' could not be read: it may be damaged."
    )


def test_old_word_format():
    assert ".docx or PDF" in refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "a.doc")


def test_zip_that_is_not_a_word_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("report.txt", "What needs to improve?")
    assert "not a Word (.docx) document" in refused(buffer.getvalue(), "report.docx")


def test_docx_zip_bomb_is_refused_before_opening():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(101):
                entry.write(chunk)
    assert len(buffer.getvalue()) < 1024 * 1024  # small upload, huge when unpacked
    assert "more than 100 MB" in refused(buffer.getvalue(), "bomb.docx")


def test_truncated_word_file():
    data = docx_from_markup("# Inspection of Testshire local authority children's services")
    assert refused(data[: len(data) // 2], "half.docx") == (
        "The Word file is damaged: it cannot be opened."
    )


def test_word_file_with_broken_xml():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document><w:body>")
    assert refused(buffer.getvalue(), "broken.docx") == (
        "The file 'broken.docx' could not be read: it may be damaged."
    )


def test_file_over_the_size_limit():
    assert refused(b"x" * 2048, "big.txt", max_bytes=1024) == (
        "The file is larger than 1024 bytes: upload the report on its own."
    )


def test_path_over_the_size_limit_is_not_read(tmp_path):
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024))
    with pytest.raises(ReportParseError, match=r"larger than 2 MB"):
        parse_file(path, max_bytes=2 * 1024 * 1024)


def test_missing_path():
    with pytest.raises(ReportParseError, match="cannot be opened"):
        parse_file("/nonexistent/report.pdf")


@pytest.mark.parametrize(
    "text",
    [
        "Minutes of the Children's Scrutiny Panel, 4 May 2023.\n\nRecommendations\n\n"
        "- Members noted the report.\n",
        "<html><body><h1>Bake sale</h1><ul><li>Areas for improvement: more cake.</li></ul>"
        "</body></html>",
    ],
)
def test_document_that_is_not_an_ofsted_report(text):
    message = refused(text.encode(), "minutes.html" if text.startswith("<") else "a.txt")
    assert message.startswith("This does not look like an Ofsted report")


def test_a_letter_without_recommendations_is_read_with_none():
    report = parse_file(fixture_bytes("monitoring_visit_narrative.txt"), "southfleet.txt")
    assert report.kind == "monitoring" and report.recommendations == []
    # A monitoring letter never brings recommendations: what it lacks is the areas it covered.
    assert report.areas == [] and report.notes[-1].startswith("The letter does not say which")


def test_ilacs_report_with_its_list_cut_out_keeps_its_judgements():
    text = fixture_text("ilacs_standard_pasted.txt")
    start = text.index("What needs to improve?")
    end = text.index("The experiences and progress", start)
    report = parse_text(text[:start] + text[end:])
    assert report.recommendations == [] and len(report.judgements) == 5
    assert any(note.startswith("No recommendations found") for note in report.notes)


def test_no_priority_action_sentence_is_not_a_recommendation():
    text = fixture_text("ilacs_standard_pasted.txt")
    start = text.index("What needs to improve?")
    end = text.index("The experiences and progress", start)
    cut = (
        text[:start]
        + "What needs to improve?\n\nThe inspection did not find any areas for priority and "
        "immediate action.\n\n" + text[end:]
    )
    assert parse_text(cut).recommendations == []
