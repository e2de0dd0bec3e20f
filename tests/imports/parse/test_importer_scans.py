"""Scanned reports: read by OCR where the caller asks for it, refused clearly elsewhere.

The scan is made here from a real report: its pages rendered to images and put in a PDF
with nothing else, so the OCR'd result can be held against the reading of the original.
"""

from functools import cache

import pytest

from tests.imports.parse.importer_builders import scanned_pdf
from tests.imports.parse.importer_real import PDF_2022
from tests.imports.parse.test_importer_real_reports import require
from workflow.imports import parse
from workflow.imports.parse import ReportParseError, ScannedPdf, ocr, parse_file


@cache
def scan(pages: int | None = None) -> bytes:
    return scanned_pdf(require(PDF_2022), pages)


@pytest.fixture
def no_recognition(monkeypatch):
    """OCR that must not run: the test fails if anything asks for it."""

    def refuse(*args, **kwargs):
        raise AssertionError("OCR ran")

    monkeypatch.setattr(parse, "with_text_layer", refuse)


def test_a_scanned_report_is_read_by_ocr_as_its_original_reads(ocr_engine):
    original = parse_file(require(PDF_2022))
    report = parse_file(scan(), "scan.pdf", ocr=True)
    assert report.read_by_ocr and report.to_json_dict()["read_by_ocr"] is True
    assert not original.read_by_ocr and "read_by_ocr" not in original.to_json_dict()
    assert [r.text for r in report.recommendations] == [r.text for r in original.recommendations]
    assert (report.authority, report.kind, report.ilacs_variant) == (
        original.authority,
        original.kind,
        original.ilacs_variant,
    )
    assert (report.start_date, report.end_date, report.lead_inspector) == (
        original.start_date,
        original.end_date,
        original.lead_inspector,
    )
    assert report.judgements == original.judgements


def test_a_scan_is_not_read_by_ocr_unless_the_caller_asks(no_recognition):
    with pytest.raises(ScannedPdf) as refused:
        parse_file(scan(1), "scan.pdf")
    assert refused.value.message == ocr.NO_TEXT_LAYER
    assert "no text layer" in str(refused.value) and refused.value.pages == 1


def test_without_ocr_installed_a_scan_is_refused_saying_so(monkeypatch):
    monkeypatch.setattr(ocr, "missing_engine", lambda: "the tesseract program is not installed")
    with pytest.raises(ReportParseError) as refused:
        parse_file(scan(1), "scan.pdf", ocr=True)
    message = refused.value.message
    assert message == ocr.NOT_INSTALLED and len(message) < 200
    assert "scanned image" in message and "OCR" in message and "not installed" in message


def test_a_scan_too_long_to_recognise_is_refused_before_recognition(monkeypatch):
    monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 1)
    monkeypatch.setattr(ocr, "missing_engine", lambda: pytest.fail("OCR was looked for"))
    with pytest.raises(ReportParseError, match="scanned image of more than"):
        parse_file(scan(2), "scan.pdf", ocr=True)


def test_a_pdf_with_a_text_layer_is_never_recognised(no_recognition):
    report = parse_file(require(PDF_2022), ocr=True)
    assert not report.read_by_ocr and len(report.recommendations) == 5
