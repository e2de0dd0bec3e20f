"""Scanned PDFs: text recognition (OCR) gives a page image the text layer it lacks.

Owns the lookup of the OCR engine (OCRmyPDF driving Tesseract with its English data) and
the one step that runs it. OCR takes seconds a page, so it runs only where the caller asks
for it (the background job that reads an upload), never while a web request waits; where
the engine is missing, a scan is refused with a message that says so, and the upload is
kept for another try once it is installed.

The recognised text comes back as a PDF with an invisible text layer over each page image,
and is read from there like any other PDF: the reader keeps the lines' positions, which
tell a heading, a list item and a paragraph break apart.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from workflow.imports.parse.model import ReportParseError

log = logging.getLogger(__name__)

LANGUAGE = "eng"
MAX_OCR_PAGES = 120  # about five minutes of recognition on two cores
PAGE_TIMEOUT_SECONDS = 180

NO_TEXT_LAYER = (
    "The PDF has no text layer (it looks like a scanned image): upload the report as Ofsted "
    "published it, or a Word or text copy."
)
NOT_INSTALLED = (
    "The PDF is a scanned image with no text, and text recognition (OCR) is not installed "
    "here: try again once it is, or upload the report as Ofsted published it."
)
TOO_LONG = (
    f"The PDF is a scanned image of more than {MAX_OCR_PAGES} pages, too long to read by text "
    "recognition (OCR): upload the report as Ofsted published it."
)
UNREADABLE_SCAN = (
    "Text recognition (OCR) cannot open this scanned PDF: it may be damaged. Upload the "
    "report as Ofsted published it, or a Word or text copy."
)
NOTHING_RECOGNISED = (
    "Text recognition (OCR) found no readable text in this scanned PDF: upload a clearer "
    "scan, or the report as Ofsted published it."
)
READ_BY_OCR = (
    "The PDF was a scanned image: its text was read by text recognition (OCR), which can "
    "misread letters, numbers and dates. Check each recommendation, date and judgement "
    "against the report before you confirm."
)


class ScannedPdf(ReportParseError):
    """A PDF of page images: readable only with OCR."""

    def __init__(self, pages: int) -> None:
        super().__init__(NO_TEXT_LAYER)
        self.pages = pages


def missing_engine() -> str | None:
    """What is missing for OCR (for the log), or None when it can run here."""
    if importlib.util.find_spec("ocrmypdf") is None:
        return "the ocrmypdf package is not installed"
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return "the tesseract program is not installed"
    try:
        listed = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        return f"tesseract does not run: {error}"
    if LANGUAGE not in listed.stdout.split():
        return f"tesseract has no '{LANGUAGE}' language data (tesseract-ocr-{LANGUAGE})"
    return None


def with_text_layer(data: bytes, pages: int) -> bytes:
    """The scanned PDF with a recognised text layer over each page, or a ReportParseError."""
    if pages > MAX_OCR_PAGES:
        raise ReportParseError(TOO_LONG)
    if (missing := missing_engine()) is not None:
        log.warning("a scanned PDF cannot be read: %s", missing)
        raise ReportParseError(NOT_INSTALLED)
    import ocrmypdf  # heavy: loaded only when a scan is read
    from ocrmypdf.exceptions import InputFileError, UnsupportedImageFormatError

    with tempfile.TemporaryDirectory(prefix="report-ocr-") as folder:
        source, target = Path(folder, "scan.pdf"), Path(folder, "text.pdf")
        source.write_bytes(data)
        try:
            _recognise(ocrmypdf, source, target)
        except (InputFileError, UnsupportedImageFormatError) as error:
            # The file itself is at fault: another try cannot help. Anything else (a
            # timeout, a crash of the engine) is left to the job's retries.
            log.warning("text recognition refused a scan: %s", error)
            raise ReportParseError(UNREADABLE_SCAN) from error
        return target.read_bytes()


def _recognise(ocrmypdf: Any, source: Path, target: Path) -> None:
    ocrmypdf.ocr(
        source,
        target,
        language=[LANGUAGE],
        mode="force",  # a stamped header is no text layer: recognise every page
        output_type="pdf",  # PDF/A would need Ghostscript; only the text is kept
        rasterizer="pypdfium",
        optimize=0,
        jobs=min(2, os.cpu_count() or 1),
        use_threads=True,
        progress_bar=False,
        tesseract_timeout=PAGE_TIMEOUT_SECONDS,
    )
