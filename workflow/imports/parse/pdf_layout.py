"""PDF pages to clean physical lines, using the layout the text alone would lose.

Owns everything PDF-specific: refusing encrypted and image-only files, rebuilding each line
from its characters (dropping superscript footnote markers such as the "1" in "What needs to
improve?1"), turning ruled tables (the judgement table) into tab-separated rows, and removing
page furniture: running headers and footers, page numbers and footnotes. Bold or larger type
marks a heading; vertical spacing marks a paragraph break.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

import pdfplumber
from pypdf import PdfReader

from workflow.imports.parse.clean import collapse_spaces, join_lines, normalise_chars
from workflow.imports.parse.extract import Line
from workflow.imports.parse.model import ReportParseError

MAX_PAGES = 300
_BOLD_RE = re.compile(r"bold|black|heavy|demi|semibold|,b$|-bd$", re.I)
_PAGE_NUMBER_RE = re.compile(r"(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?", re.I)
_SUPERSCRIPT_GLYPHS = set("0123456789*†‡")


@dataclass
class _Raw:
    """A line as laid out on the page, before furniture removal."""

    text: str
    page: int
    x0: float
    top: float
    bottom: float
    size: float
    bold: bool
    page_height: float
    row: bool = False
    table: bool = False
    lead_superscript: bool = False


def pdf_lines(data: bytes) -> list[Line]:
    """The document's lines in reading order, without headers, footers and footnotes."""
    _refuse_encrypted(data)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise ReportParseError(f"The PDF has more than {MAX_PAGES} pages: is it a report?")
        pages = [_page_lines(page, number) for number, page in enumerate(pdf.pages, 1)]
        pictures = any(page.images for page in pdf.pages)
    letters = sum(len(raw.text.replace(" ", "")) for page in pages for raw in page)
    # A scan may still carry a little text (a stamped header): a page of a report has
    # thousands of letters.
    if letters < 40 or (pictures and letters < 150 * len(pages)):
        raise ReportParseError(
            "The PDF has no text layer (it looks like a scanned image): upload the report "
            "as Ofsted published it, or a Word or text copy."
        )
    body = _body_size(pages)
    pages = [_without_footnotes(page, body) for page in _without_furniture(pages, body)]
    return _to_lines(pages, body)


def _refuse_encrypted(data: bytes) -> None:
    reader = PdfReader(io.BytesIO(data))
    if not reader.is_encrypted:
        return
    try:
        # An empty user password only restricts printing or copying: the text is readable.
        opened = reader.decrypt("")
    except Exception:
        opened = 0
    if not opened:
        raise ReportParseError("The PDF is password-protected: upload a copy without a password.")


def _page_lines(page: pdfplumber.page.Page, number: int) -> list[_Raw]:
    rows = [row for table in page.find_tables() for row in _grid_rows(table)]
    rest = page
    for bbox, _ in rows:
        rest = rest.outside_bbox(bbox)
    lines = [
        raw
        for found in rest.extract_text_lines(return_chars=True)
        if (raw := _line_from_chars(found["chars"], number, page.height)) is not None
    ]
    for (x0, top, _, bottom), cells in rows:
        lines.append(
            _Raw("\t".join(cells), number, x0, top, bottom, 0.0, False, page.height, True, True)
        )
    return sorted(lines, key=lambda raw: (round(raw.top), raw.x0))


def _grid_rows(table: pdfplumber.table.Table) -> list[tuple[tuple, list[str]]]:
    """The table's rows of two or more filled cells (the judgement table's), as text.

    A row with a single filled cell is a box drawn round ordinary text (a summary, a
    heading): it is left to the normal text flow, which keeps its lines and type.
    """
    found = []
    for row, cells in zip(table.rows, table.extract(), strict=False):
        texts = [join_lines(normalise_chars(cell).split("\n")) for cell in cells if cell]
        texts = [text for text in texts if text]
        if len(texts) >= 2:
            found.append((row.bbox, texts))
    return found


def _line_from_chars(chars: list[dict], number: int, height: float) -> _Raw | None:
    glyphs = [c for c in chars if c["text"].strip()]
    if not glyphs:
        return None
    size = Counter(round(c["size"], 1) for c in glyphs).most_common(1)[0][0]
    baseline = _median([c["bottom"] for c in glyphs if round(c["size"], 1) == size])
    kept = [c for c in chars if not _is_superscript(c, size, baseline)]
    text = _assemble(kept, size)
    if not text:
        return None
    bold = sum(1 for c in glyphs if _BOLD_RE.search(c["fontname"])) >= 0.8 * len(glyphs)
    return _Raw(
        text=text,
        page=number,
        x0=min(c["x0"] for c in kept if c["text"].strip()),
        top=min(c["top"] for c in glyphs),
        bottom=max(c["bottom"] for c in glyphs),
        size=size,
        bold=bold,
        page_height=height,
        lead_superscript=_is_superscript(glyphs[0], size, baseline),
    )


def _is_superscript(char: dict, size: float, baseline: float) -> bool:
    return (
        char["text"] in _SUPERSCRIPT_GLYPHS
        and char["size"] < 0.8 * size
        and char["bottom"] < baseline - 0.15 * size
    )


def _assemble(chars: list[dict], size: float) -> str:
    """The line's text with a space wherever the glyphs leave a word gap."""
    parts: list[str] = []
    previous: dict | None = None
    pending_space = False
    for char in chars:
        if previous is not None and _same_glyph(previous, char):
            # A ligature ("ff") is listed once per letter it stands for, and some producers
            # fake bold type by printing each glyph twice.
            continue
        if not char["text"].strip():
            pending_space = True
            continue
        gap = _word_gap(previous, char) if previous is not None else 0.0
        if previous is not None and (pending_space or gap > max(0.8, 0.09 * size)):
            parts.append(" ")
        parts.append(char["text"])
        previous, pending_space = char, False
    return collapse_spaces(normalise_chars("".join(parts)))


def _same_glyph(previous: dict, char: dict) -> bool:
    return char is previous or (
        char["text"] == previous["text"]
        and abs(char["x0"] - previous["x0"]) < 0.5
        and abs(char["top"] - previous["top"]) < 0.5
    )


def _word_gap(previous: dict, char: dict) -> float:
    # Measured from the glyph's advance where that is the smaller: the boxes of slanted
    # (oblique) glyphs overlap their neighbours, and some producers inflate the advance.
    width = previous["x1"] - previous["x0"]
    advance = min(previous.get("adv") or width, width)
    return char["x0"] - (previous["x0"] + advance)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _body_size(pages: list[list[_Raw]]) -> float:
    """The most common type size, weighted by text length: the size of the prose."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for raw in page:
            if not raw.table:
                sizes[raw.size] += len(raw.text)
    return sizes.most_common(1)[0][0] if sizes else 12.0


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _in_margin(raw: _Raw) -> bool:
    return raw.top < 0.1 * raw.page_height or raw.top > 0.88 * raw.page_height


def _without_furniture(pages: list[list[_Raw]], body: float) -> list[list[_Raw]]:
    """Drop running headers and footers, page numbers and stray superscript digits."""
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_furniture_key(raw.text) for raw in page if _in_margin(raw) and not raw.table})
    many = max(3, len(pages) // 2)

    def furniture(raw: _Raw) -> bool:
        if raw.table:
            return False
        if raw.text.isdigit() and raw.size < 0.95 * body:
            return True  # a footnote marker left on a line of its own
        if not _in_margin(raw):
            return False
        if _PAGE_NUMBER_RE.fullmatch(raw.text):
            return True
        repeats = seen[_furniture_key(raw.text)]
        return repeats >= 2 and (raw.size < 0.95 * body or repeats >= many)

    return [[raw for raw in page if not furniture(raw)] for page in pages]


def _without_footnotes(page: list[_Raw], body: float) -> list[_Raw]:
    """Drop the run of small-type lines at the foot of the page if it is a footnote."""
    run = 0
    for raw in reversed(page):
        if raw.table or raw.size >= 0.9 * body or raw.top < 0.45 * raw.page_height:
            break
        run += 1
    if not run:
        return page
    footnote = page[len(page) - run :]
    marked = any(raw.lead_superscript or re.match(r"\d{1,2}[.)]?\s", raw.text) for raw in footnote)
    return page[: len(page) - run] if marked else page


def _to_lines(pages: list[list[_Raw]], body: float) -> list[Line]:
    lines: list[Line] = []
    for page in pages:
        previous: _Raw | None = None
        for raw in page:
            size = raw.size or body
            gap = previous is not None and (
                previous.table or raw.table or raw.top - previous.bottom > 0.45 * size
            )
            lines.append(
                Line(
                    text=raw.text,
                    page=raw.page,
                    indent=raw.x0,
                    gap=gap,
                    page_start=previous is None,
                    heading=not raw.table and (raw.bold or raw.size >= 1.15 * body),
                    row=raw.row,
                    size=size,
                )
            )
            previous = raw
    return lines
