"""From uploaded bytes to physical lines of text, whatever the format.

Owns format detection (by content: the file name is only a hint), the size and emptiness
checks, plain-text decoding, and the `Line` type every format produces. PDF layout lives in
`pdf_layout`, Word and HTML in `markup`; each returns `Line`s so that everything after this
point is format-blind.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Callable

from workflow.imports.parse.clean import normalise_chars
from workflow.imports.parse.model import Line, ReportParseError, is_row

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def read_source(data: bytes, filename: str | None, *, recognised: bool = False) -> list[Line]:
    """Decode an upload of any supported format into lines, or explain why not.

    `recognised` says a PDF's text layer was given it by OCR (see `ocr`)."""
    if not data or not data.strip():
        raise ReportParseError("The file is empty.")
    reader = _reader_for(data, filename, recognised)
    with warnings.catch_warnings(record=True) as caught:
        # Parsing libraries warn about quirks of real-world files; the user gets either a
        # result or a ReportParseError, and the quirks go to the log rather than stderr.
        warnings.simplefilter("always")
        try:
            lines = reader(data)
        except ReportParseError:
            raise
        except Exception as error:  # any library failure becomes a user-facing message
            log.warning("could not read %r: %s", filename, error, exc_info=True)
            raise ReportParseError(
                f"The file {_named(filename)}could not be read: it may be damaged."
            ) from error
    for warning in caught:
        log.info("while reading %r: %s", filename, warning.message)
    if not any(line.text.strip() for line in lines):
        raise ReportParseError("The file contains no text.")
    return lines


def _reader_for(
    data: bytes, filename: str | None, recognised: bool
) -> Callable[[bytes], list[Line]]:
    from workflow.imports.parse import markup, pdf_layout

    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return lambda pdf: pdf_layout.pdf_lines(pdf, recognised=recognised)
    if head.startswith(b"PK\x03\x04"):
        return markup.docx_lines
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReportParseError(
            "Old Word (.doc) files are not supported: save the report as .docx or PDF."
        )
    if head.lstrip().startswith(b"{\\rtf"):
        raise ReportParseError("RTF files are not supported: save the report as .docx or PDF.")
    text = decode_text(data, filename)
    if _looks_like_html(text, filename):
        return lambda _data: markup.html_lines(text)
    return lambda _data: text_lines(text)


def decode_text(data: bytes, filename: str | None = None) -> str:
    """Bytes of a text file as str: UTF-8 (with or without BOM), UTF-16, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if _is_binary(text):
        raise ReportParseError(
            f"The file {_named(filename)}is not a PDF, Word (.docx), HTML or text document."
        )
    return text


def _is_binary(text: str) -> bool:
    sample = text[:20000]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    odd = controls + sample.count("\ufffd")
    return odd > max(8, len(sample) // 50)


_HTML_RE = re.compile(r"<(?:!doctype html|html|body|head|p|div|h[1-6]|ul|table)\b", re.I)


def _looks_like_html(text: str, filename: str | None) -> bool:
    start = text.lstrip()[:4096]
    if start.startswith("<"):  # no report's text begins with a tag
        return bool(_HTML_RE.search(start))
    named_html = (filename or "").lower().endswith((".html", ".htm"))
    return named_html and bool(_HTML_RE.search(text[:65536]))


def text_lines(text: str) -> list[Line]:
    """Lines of a plain or pasted text; blank lines and form feeds become layout facts."""
    text = normalise_chars(text).replace("\r\n", "\n").replace("\r", "\n")
    lines: list[Line] = []
    gap = True
    page_start = False
    page = 1
    for raw in text.split("\n"):
        pieces = raw.split("\f")
        for index, piece in enumerate(pieces):
            if index:
                page += 1
                page_start = True
            if not piece.strip():
                gap = True
                continue
            expanded = piece.expandtabs(4) if _is_indented(piece) else piece
            indent = float(len(expanded) - len(expanded.lstrip()))
            stripped = piece.strip()
            row = is_row(stripped)
            lines.append(
                Line(
                    text=stripped if row else stripped.replace("\t", " "),
                    page=page,
                    indent=indent,
                    gap=gap,
                    page_start=page_start,
                    row=row,
                )
            )
            gap = page_start = False
    return lines


def _is_indented(piece: str) -> bool:
    return piece[:1] in (" ", "\t")


def _named(filename: str | None) -> str:
    return f"'{filename}' " if filename else ""
