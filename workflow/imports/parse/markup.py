"""Word (.docx) and HTML documents to lines: one `Line` per paragraph, list item or table row.

Owns the zip-bomb guard for .docx, Word's automatic list numbering (the bullet or number a
reader sees is not in the paragraph's text, so it is rebuilt from the numbering definitions),
and the HTML walk that keeps headings, list items and table rows apart while dropping
scripts, styles and navigation.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import lxml.html
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from workflow.imports.parse.clean import collapse_spaces, normalise_chars
from workflow.imports.parse.model import Line, ReportParseError, is_row

MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000


def docx_lines(data: bytes) -> list[Line]:
    """Paragraphs and table rows of a Word document in reading order."""
    _check_zip(data)
    document = Document(io.BytesIO(data))
    numbering = _Numbering(document)
    lines: list[Line] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            lines.extend(_paragraph_lines(item, numbering))
        else:
            lines.extend(_table_lines(item, numbering))
    return lines


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ReportParseError("The Word file is damaged: it cannot be opened.") from error
    with archive:
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        # The sizes come from the zip directory, so this costs nothing to check and stops a
        # small upload that would expand to gigabytes before anything is decompressed.
        unzipped = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or unzipped > MAX_UNZIPPED_BYTES:
        raise ReportParseError(
            "The Word file expands to more than 100 MB: it is not a report we can read."
        )
    if "word/document.xml" not in names:
        raise ReportParseError("The file is a ZIP archive, not a Word (.docx) document.")


class _Numbering:
    """Rebuilds the bullet or number Word draws in front of a list paragraph."""

    def __init__(self, document: Document) -> None:
        self.formats: dict[tuple[str, int], tuple[str, int]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract = {
            node.get(qn("w:abstractNumId")): node for node in root.findall(qn("w:abstractNum"))
        }
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            definition = abstract.get(ref.get(qn("w:val")) if ref is not None else None)
            if definition is None:
                continue
            for level in definition.findall(qn("w:lvl")):
                fmt = level.find(qn("w:numFmt"))
                start = level.find(qn("w:start"))
                key = (num.get(qn("w:numId")), int(level.get(qn("w:ilvl"), "0")))
                self.formats[key] = (
                    fmt.get(qn("w:val")) if fmt is not None else "bullet",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )

    def marker(self, paragraph: Paragraph) -> tuple[str, int] | None:
        """("• " or "3. ", nesting level) for a list paragraph, None otherwise."""
        found = _num_pr(paragraph)
        styled = _style_marker(paragraph)
        if found is None:
            return styled
        num_id, level = found
        # Word's "List Bullet 2" style nests by indentation, not by list level.
        level = max(level, styled[1] if styled else 0)
        fmt, start = self.formats.get((num_id, level), ("bullet", 1))
        for key in [k for k in self.counters if k[0] == num_id and k[1] > level]:
            del self.counters[key]  # a new parent item restarts its sub-list
        if fmt in ("bullet", "none"):
            return "• ", level
        count = self.counters.get((num_id, level), start - 1) + 1
        self.counters[(num_id, level)] = count
        label = chr(ord("a") + count - 1) + ")" if "etter" in fmt else f"{count}."
        return label + " ", level


def _num_pr(paragraph: Paragraph) -> tuple[str, int] | None:
    ppr = paragraph._p.pPr
    holders = [ppr] if ppr is not None else []
    style = paragraph.style
    while style is not None:
        holders.append(style.element.pPr)
        style = style.base_style
    for holder in holders:
        num_pr = holder.find(qn("w:numPr")) if holder is not None else None
        if num_pr is None:
            continue
        num_id = num_pr.find(qn("w:numId"))
        ilvl = num_pr.find(qn("w:ilvl"))
        if num_id is not None and num_id.get(qn("w:val")) != "0":
            return num_id.get(qn("w:val")), int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
    return None


def _style_marker(paragraph: Paragraph) -> tuple[str, int] | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    match = re.match(r"List (Bullet|Number)(?: (\d))?$", name or "")
    if not match:
        return None
    level = int(match.group(2) or 1) - 1
    return ("1. " if match.group(1) == "Number" else "• "), level


def _paragraph_lines(paragraph: Paragraph, numbering: _Numbering) -> Iterator[Line]:
    text = normalise_chars(paragraph.text).strip()
    if not text:
        return
    if is_row(text):  # cells laid out with tabs, as a table pasted into Word comes out
        yield Line(text=text, row=True, gap=True)
        return
    text = text.replace("\t", " ")
    marker = numbering.marker(paragraph)
    prefix, level = marker if marker else ("", 0)
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    heading = style.startswith(("Heading", "Title")) or _all_bold(paragraph)
    yield Line(text=prefix + text, complete=True, gap=True, heading=heading, level=level)


def _all_bold(paragraph: Paragraph) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    return bool(runs) and all(run.bold or (run.bold is None and style_bold) for run in runs)


def _table_lines(table: Table, numbering: _Numbering) -> Iterator[Line]:
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if cell._tc not in [seen._tc for seen in cells]:
                cells.append(cell)
        texts = [collapse_spaces(normalise_chars(cell.text)) for cell in cells]
        if sum(1 for text in texts if text) >= 2:
            yield Line(text="\t".join(t for t in texts if t), row=True, gap=True)
            continue
        for cell in cells:  # a one-cell row is a box round ordinary paragraphs
            for paragraph in cell.paragraphs:
                yield from _paragraph_lines(paragraph, numbering)


_SKIP = {"script", "style", "noscript", "template", "svg", "head", "nav", "aside", "button"}
_SKIP_CLASS_RE = re.compile(r"cookie|skip-link|govuk-header|breadcrumb", re.I)
_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "footer", "blockquote", "pre",
    "dd", "dt", "dl", "address", "figcaption", "caption", "form", "fieldset", "body",
    "table", "thead", "tbody", "tfoot", "figure", "hr",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BOLD = {"b", "strong"}
_BR = "\u2028"


def html_lines(text: str) -> list[Line]:
    """Headings, paragraphs, list items and table rows of an HTML page."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    root = lxml.html.document_fromstring(text)
    walker = _HtmlWalker()
    walker.walk(root, level=-1)
    walker.flush()
    return walker.lines


class _HtmlWalker:
    """Collects inline text into one line per block element."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.bold_chars = 0
        self.prefix = ""
        self.level = 0
        self.heading = False

    def flush(self, heading: bool = False) -> None:
        raw = normalise_chars("".join(self.parts))
        # A <br> splits a paragraph into lines of its own (an address, a label and its
        # value), except inside a list item, which stays one item.
        pieces = [raw.replace(_BR, " ")] if self.prefix else raw.split(_BR)
        texts = [collapse_spaces(piece) for piece in pieces]
        texts = [text for text in texts if text]
        self.parts, self.bold_chars = [], 0
        if not texts:
            return  # a list item's bullet waits for its text (<li><p>...</p></li>)
        letters = sum(len(text.replace(" ", "")) for text in texts)
        bold = self.bold_chars >= 0.8 * letters
        for index, text in enumerate(texts):
            self.lines.append(
                Line(
                    text=(self.prefix if index == 0 else "") + text,
                    complete=True,
                    gap=True,
                    heading=heading or self.heading or bold,
                    level=self.level,
                )
            )
        self.prefix, self.heading = "", False

    def walk(self, element: lxml.html.HtmlElement, level: int, bold: bool = False) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if tag in _SKIP or _SKIP_CLASS_RE.search(names):
            return
        if tag in ("ul", "ol"):
            self._list(element, level + 1)
        elif tag == "tr":
            self._row(element, level)
        elif tag in _HEADINGS or tag in _BLOCKS or tag == "li":
            self.flush()
            self.heading = tag in _HEADINGS
            self._inline(element, level, bold or tag in _BOLD)
            self.flush(heading=tag in _HEADINGS)
        elif tag == "br":
            self.parts.append(_BR)
        else:
            self._inline(element, level, bold or tag in _BOLD)

    def _inline(self, element: lxml.html.HtmlElement, level: int, bold: bool) -> None:
        self._add(element.text, bold)
        for child in element:
            self.walk(child, level, bold)
            self._add(child.tail, bold)

    def _add(self, text: str | None, bold: bool) -> None:
        if text:
            self.parts.append(text)
            if bold:
                self.bold_chars += len(text.replace(" ", "").strip())

    def _list(self, element: lxml.html.HtmlElement, level: int) -> None:
        self.flush()
        start = re.match(r"\s*(\d{1,4})", element.get("start") or "1")
        number = (int(start.group(1)) if start else 1) if element.tag == "ol" else None
        for item in element:
            if not isinstance(item.tag, str) or item.tag != "li":
                self.walk(item, level)
                continue
            self.flush()
            self.prefix = f"{number}. " if number is not None else "• "
            self.level = max(level, 0)
            self._inline(item, level, False)
            self.flush()
            if number is not None:
                number += 1
            self._add(item.tail, False)
        self.level = 0

    def _row(self, element: lxml.html.HtmlElement, level: int) -> None:
        self.flush()
        cells = [c for c in element if isinstance(c.tag, str) and c.tag in ("td", "th")]
        texts = [collapse_spaces(normalise_chars(c.text_content())) for c in cells]
        if sum(1 for text in texts if text) >= 2:
            self.lines.append(Line(text="\t".join(t for t in texts if t), row=True, gap=True))
            return
        for cell in cells:
            self.walk(cell, level)
        self.flush()
