"""Fixtures of the importer's tests: the OCR engine scanned reports need."""

import pytest

from tests.conftest import ON_CI
from workflow.imports.parse import ocr


@pytest.fixture(scope="session")
def ocr_engine() -> None:
    """OCR (OCRmyPDF with Tesseract's English data) is here: skipped without, failed on CI."""
    missing = ocr.missing_engine()
    if missing and ON_CI:
        pytest.fail(f"CI=true but {missing}: `make test` installs Debian's tesseract-ocr-eng.")
    if missing:
        pytest.skip(f"OCR cannot run here: {missing}")
