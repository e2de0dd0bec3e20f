"""PDF pages to clean physical lines, using the layout the text alone would lose.

Owns everything PDF-specific: refusing encrypted and image-only files, rebuilding each line
from its characters (dropping superscript footnote markers such as the "1" in "What needs to
improve?1"), and removing page furniture: running headers and footers, page numbers and
footnotes. Bold or larger type marks a heading; vertical spacing marks a paragraph break.
A scan is refused with `ScannedPdf`, for the caller to read with OCR (see `ocr`) or not.

Characters and their boxes come from PDFium (pypdfium2), imported when a PDF is read so that
a web worker starts without it: it reads a 50-page report in well under a second, where a
pure-Python reader takes several. A table's cells come out line by line, as a copy from a PDF
viewer gives them; the judgement table's reader (see `judgements`) expects exactly that.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from workflow.imports.parse.clean import BULLETS, collapse_spaces, normalise_chars
from workflow.imports.parse.model import Line, ReportParseError
from workflow.imports.parse.ocr import NOTHING_RECOGNISED, ScannedPdf

MAX_PAGES = 300
_BOLD_RE = re.compile(r"bold|black|heavy|demi|semibold|,b$|-bd$", re.I)
_PAGE_NUMBER_RE = re.compile(r"(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?", re.I)
_SUPERSCRIPT_GLYPHS = set("0123456789*†‡")
_LINE_BREAKS = {"\r", "\n"}
_LINE_END_HYPHENS = {"\x02", "\ufffe"}  # PDFium marks a hyphen that ends a line


@dataclass(slots=True)
class _Char:
    """One character on the page, in points from the top left."""

    text: str
    index: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def blank(self) -> bool:
        return not self.text.strip()


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


def pdf_lines(data: bytes, *, recognised: bool = False) -> list[Line]:
    """The document's lines in reading order, without headers, footers and footnotes.

    A scan raises `ScannedPdf`; `recognised` says the text layer is OCR's, over the images."""
    import pypdfium2 as pdfium  # heavy: loaded on the first PDF, not when a worker starts

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise ReportParseError(
                "The PDF is password-protected: upload a copy without a password."
            ) from None
        raise
    try:
        if len(document) > MAX_PAGES:
            raise ReportParseError(f"The PDF has more than {MAX_PAGES} pages: is it a report?")
        pages = [_page_lines(document[index], index + 1) for index in range(len(document))]
        letters = sum(len(raw.text.replace(" ", "")) for page in pages for raw in page)
        # A scan may still carry a little text (a stamped header): a page of a report has
        # thousands of letters.
        if recognised and letters < 40:
            raise ReportParseError(NOTHING_RECOGNISED)
        if not recognised and (
            letters < 40 or (letters < 150 * len(pages) and _has_images(document))
        ):
            raise ScannedPdf(len(pages))
    finally:
        document.close()
    if recognised:
        pages = [[_without_read_bullet(raw) for raw in page] for page in pages]
    body = _body_size(pages)
    pages = [_without_footnotes(page, body) for page in _without_furniture(pages, body)]
    return _to_lines(pages, body)


# Text recognition drops most round bullets and reads the rest as a symbol, a letter or two
# ("«", "e", "m@", "mTM"), which no English line starts with before a capital. Every bullet
# is dropped, so that a list reads alike whichever of its bullets were seen: its items are
# still apart, by the space between them.
_READ_BULLET_RE = re.compile(
    r"^(?:[^\w\s(\[\"'][^\s]{0,2}|[a-z][^\w\s]{1,2}|[a-z][A-Z]{1,2}|[eom])\s+(?=[A-Z])"
)


def _without_read_bullet(raw: _Raw) -> _Raw:
    raw.text = _READ_BULLET_RE.sub("", raw.text, count=1)
    return raw


def _has_images(document: Any) -> bool:
    import pypdfium2.raw as pdfium_c

    for page in document:
        if any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2)):
            return True
    return False


def _page_lines(page: Any, number: int) -> list[_Raw]:
    """The page's lines: PDFium's runs of text, joined where they share a line."""
    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    textpage = page.get_textpage()
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    box = pdfium_c.FS_RECTF()
    loose_box, font_size = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetFontSize
    unicode = pdfium_c.FPDFText_GetUnicode
    runs: list[list[_Char]] = [[]]
    for index in range(count):
        # One character per index (the page's text as a string expands ligatures, which
        # would put the rest of the page out of step with the boxes).
        glyph = chr(unicode(raw, index) or 0xFFFD)
        ends_line = glyph in _LINE_END_HYPHENS
        if ends_line:
            glyph = "-"  # broken word or compound: the joining of lines decides
        if glyph in _LINE_BREAKS:
            if runs[-1]:
                runs.append([])
            continue
        loose_box(raw, index, box)
        runs[-1].append(
            _Char(glyph, index, box.left, box.right, height - box.top, height - box.bottom,
                  font_size(raw, index))
        )  # fmt: skip
        if ends_line:
            runs.append([])
    lines = [
        found
        for chars in _visual_lines(
            _with_markers_placed([run for run in runs if any(not c.blank for c in run)])
        )
        if (found := _line_from_chars(chars, number, height, textpage)) is not None
    ]
    textpage.close()
    page.close()
    return lines


_MARKER_RUN_RE = re.compile(r"^(?:[" + re.escape(BULLETS) + r"\ue000-\uf8ff]|\(?\w{1,3}[.)])$")


def _with_markers_placed(runs: list[list[_Char]]) -> list[list[_Char]]:
    """A list marker drawn apart from its text (some producers draw a list's bullets after
    the list) joined to the text it sits beside."""
    markers = [run for run in runs if _MARKER_RUN_RE.match(_visible(run))]
    if not markers:
        return runs
    placed: set[int] = set()
    for marker in markers:
        top, bottom = _extent(marker)
        for run in runs:
            if run is marker or id(run) in placed or _MARKER_RUN_RE.match(_visible(run)):
                continue
            run_top, run_bottom = _extent(run)
            overlap = min(bottom, run_bottom) - max(top, run_top)
            right = _first_glyph(run).x0 >= _last_glyph(marker).x1 - 0.5
            near = _first_glyph(run).x0 - _last_glyph(marker).x1 < 60
            if right and near and overlap > 0.5 * min(bottom - top, run_bottom - run_top):
                gap = _Char(" ", -1, marker[-1].x1, marker[-1].x1, top, top, 0.0)
                run[:0] = [*marker, gap]
                placed.add(id(marker))
                break
    return [run for run in runs if id(run) not in placed]


def _visible(run: list[_Char]) -> str:
    return "".join(c.text for c in run if not c.blank)


def _visual_lines(runs: list[list[_Char]]) -> list[list[_Char]]:
    """PDFium's runs in the order the page's content gives them (the order a copy from a PDF
    viewer gives: a table row by row, a cell's lines together), a run joined to the one
    before when it carries on the same printed line to its right (a bullet and its text, a
    label and its value)."""
    lines: list[list[_Char]] = []
    extents: list[tuple[float, float]] = []
    for run in runs:
        top, bottom = _extent(run)
        if lines:
            line_top, line_bottom = extents[-1]
            overlap = min(bottom, line_bottom) - max(top, line_top)
            after = _first_glyph(run).x0 >= _last_glyph(lines[-1]).x1 - 0.5
            if after and overlap > 0.5 * min(bottom - top, line_bottom - line_top):
                lines[-1].append(_Char(" ", -1, lines[-1][-1].x1, lines[-1][-1].x1, top, top, 0.0))
                lines[-1].extend(run)
                extents[-1] = (min(top, line_top), max(bottom, line_bottom))
                continue
        lines.append(list(run))
        extents.append((top, bottom))
    return lines


def _extent(run: list[_Char]) -> tuple[float, float]:
    glyphs = [c for c in run if not c.blank] or run
    size = Counter(round(c.size, 1) for c in glyphs).most_common(1)[0][0]
    body = [c for c in glyphs if round(c.size, 1) == size]
    return min(c.top for c in body), max(c.bottom for c in body)


def _first_glyph(run: list[_Char]) -> _Char:
    return next((c for c in run if not c.blank), run[0])


def _last_glyph(run: list[_Char]) -> _Char:
    return next((c for c in reversed(run) if not c.blank), run[-1])


def _line_from_chars(chars: list[_Char], number: int, height: float, textpage: Any) -> _Raw | None:
    glyphs = [c for c in chars if not c.blank]
    if not glyphs:
        return None
    size = Counter(round(c.size, 1) for c in glyphs).most_common(1)[0][0]
    baseline = _median([c.bottom for c in glyphs if round(c.size, 1) == size])
    kept = [c for c in chars if not _is_superscript(c, size, baseline)]
    text = _assemble(kept, size, textpage)
    if not text:
        return None
    shown = [c for c in kept if not c.blank] or glyphs
    return _Raw(
        text=text,
        page=number,
        x0=min(c.x0 for c in shown),
        top=min(c.top for c in glyphs),
        bottom=max(c.bottom for c in glyphs),
        size=size,
        bold=_is_bold(textpage, shown),
        page_height=height,
        lead_superscript=_is_superscript(glyphs[0], size, baseline),
    )


_FONT_NAME = ctypes.create_string_buffer(256)
_FONT_FLAGS = ctypes.c_int()


def _is_bold(textpage: Any, glyphs: list[_Char]) -> bool:
    """Bold type, judged on the first, middle and last letters (a heading is bold
    throughout; a bold word inside a sentence does not make a heading)."""
    import pypdfium2.raw as pdfium_c

    samples = {glyphs[0].index, glyphs[len(glyphs) // 2].index, glyphs[-1].index}
    for index in samples:
        if index < 0:
            continue
        weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, index)
        pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, _FONT_NAME, 256, _FONT_FLAGS)
        name = _FONT_NAME.value.decode("latin-1", "replace")
        if weight < 600 and not _BOLD_RE.search(name):
            return False
    return True


def _is_superscript(char: _Char, size: float, baseline: float) -> bool:
    return (
        char.text in _SUPERSCRIPT_GLYPHS
        and char.size < 0.8 * size
        and char.bottom < baseline - 0.15 * size
    )


def _assemble(chars: list[_Char], size: float, textpage: Any) -> str:
    """The line's text with a space wherever the glyphs leave a word gap."""
    parts: list[str] = []
    previous: _Char | None = None
    pending_space = False
    for char in chars:
        if (
            previous is not None
            and _same_glyph(previous, char)
            and not _ligature(textpage, previous, char)
        ):
            # Some producers fake bold type by printing each glyph twice.
            continue
        if char.blank:
            pending_space = True
            continue
        gap = char.x0 - previous.x1 if previous is not None else 0.0
        if previous is not None and (pending_space or gap > max(0.8, 0.09 * size)):
            parts.append(" ")
        parts.append(char.text)
        previous, pending_space = char, False
    return collapse_spaces(normalise_chars("".join(parts)))


def _ligature(textpage: Any, previous: _Char, char: _Char) -> bool:
    """Two letters of one glyph ("ff"): PDFium gives both the glyph's box. A glyph printed
    twice is two drawings, each its own text object."""
    import pypdfium2.raw as pdfium_c

    if char.index != previous.index + 1:
        return False
    first, second = (
        ctypes.cast(pdfium_c.FPDFText_GetTextObject(textpage.raw, i), ctypes.c_void_p).value
        for i in (previous.index, char.index)
    )
    return first == second


def _same_glyph(previous: _Char, char: _Char) -> bool:
    return char is previous or (
        char.text == previous.text
        and abs(char.x0 - previous.x0) < 0.5
        and abs(char.top - previous.top) < 0.5
    )


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
                previous.table
                or raw.table
                or raw.top - previous.bottom > 0.45 * size
                or raw.top < previous.top - 0.5 * size  # back up the page: a new column or cell
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
