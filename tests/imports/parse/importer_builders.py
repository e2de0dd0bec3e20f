"""How the importer's test documents are made: fixture files read, Word files and PDFs built.

Shared by the importer tests and bench/importer_accuracy.py. PDFs are rendered by WeasyPrint
(a real text layer, like a council's print-to-PDF); Word files are built with python-docx; a
scan is a real report's pages rendered to images.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture_bytes(name: str, encoding: str = "utf-8") -> bytes:
    return fixture_text(name).encode(encoding)


@cache
def pdf_from_html(html: str) -> bytes:
    """A PDF with a real text layer, as a council's print-to-PDF would give."""
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


def letter_pdf(text: str) -> bytes:
    """A letter's PDF from its text, laid out as Ofsted's are: short lines without a full stop
    as bold headings, "- " lines as a bulleted list, the address block one line a person."""
    import html

    parts = []
    for block in text.split("\n\n"):
        lines = block.strip().split("\n")
        if all(line.startswith("- ") for line in lines):
            parts.append(
                "<ul>" + "".join(f"<li>{html.escape(x[2:])}</li>" for x in lines) + "</ul>"
            )
        elif len(block.strip()) < 70 and not block.strip().endswith("."):
            parts.append(f"<h2>{html.escape(block.strip())}</h2>")
        else:
            parts.append("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
    style = "font-family: Arial, sans-serif; font-size: 11pt"
    return pdf_from_html(f"<html><body style='{style}'>{''.join(parts)}</body></html>")


def docx_from_markup(markup: str) -> bytes:
    """A Word file from a small markup: "# " and "## " headings, "- " and "  - " list
    bullets (Word's List Bullet styles), "N. " auto-numbered paragraphs (List Number: the
    number is not in the text), "a | b" table rows, anything else a plain paragraph."""
    from docx import Document

    document = Document()
    rows: list[list[str]] = []
    for line in markup.splitlines():
        if "|" in line:
            rows.append([cell.strip() for cell in line.split("|")])
            continue
        if rows:
            _add_table(document, rows)
            rows = []
        _add_paragraph(document, line)
    if rows:
        _add_table(document, rows)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_paragraph(document, line: str) -> None:
    if not line.strip():
        return
    for prefix, style in (("## ", "Heading 2"), ("# ", "Heading 1"), ("  - ", "List Bullet 2")):
        if line.startswith(prefix):
            document.add_paragraph(line[len(prefix) :], style=style)
            return
    if line.startswith("- "):
        document.add_paragraph(line[2:], style="List Bullet")
    elif match := re.match(r"\d+\. (.*)", line):
        document.add_paragraph(match.group(1), style="List Number")
    else:
        document.add_paragraph(line)


def _add_table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text


def docx_from_lines(text: str) -> bytes:
    """A Word file with one plain paragraph per line of the text, tabs and all."""
    from docx import Document

    document = Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed_to_docx_with_word_lists(text: str) -> bytes:
    """The seed report as an author would type it in Word: a real judgement table, the
    recommendations as Word bullets and the paragraphs as Word's automatic numbering."""
    markup = []
    for line in text.splitlines():
        line = line.strip()
        if "\t" in line:
            markup.append(line.replace("\t", " | "))
        elif line.endswith("?") or re.search(r": (?:good|outstanding)$", line):
            markup.append("## " + line)
        else:
            markup.append(line)  # "- " becomes a Word bullet, "N. " Word numbering
    return docx_from_markup("\n".join(markup))


def scanned_pdf(path: Path, pages: int | None = None, dpi: int = 300) -> bytes:
    """A scan of a report: its first `pages` pages (all by default) as black-and-white page
    images and nothing else, as an office scanner's PDF has them, at `dpi` dots per inch."""
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(path)
    try:
        count = len(document) if pages is None else min(pages, len(document))
        images = [
            document[index]
            .render(scale=dpi / 72, grayscale=True)
            .to_pil()
            .convert("L")
            .convert("1", dither=Image.Dither.NONE)
            for index in range(count)
        ]
    finally:
        document.close()
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buffer.getvalue()
