"""Physical lines to logical blocks: headings, paragraphs, list items and table rows.

Owns the decision "does this line continue the one before?". A PDF says it through spacing,
indentation and type; a Word or HTML paragraph is whole already; a pasted text is either one
paragraph per line (possibly split where a page broke, with a lower-case continuation) or hard
wrapped, where a break is taken as intended only when the next word would have fitted on the
line. Page furniture in pasted text (page numbers and the running footer beside them) is
dropped here too, as the PDF reader drops it from PDFs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from workflow.imports.parse.clean import (
    Marker,
    build_vocabulary,
    ends_sentence,
    join_lines,
    split_marker,
    strip_private_use,
)
from workflow.imports.parse.model import Line

# Fewer lines than any page of a report holds, but more than a table's rows are apart.
MIN_LINES_A_PAGE = 8
_PAGE_NUMBER_RE = re.compile(r"(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?", re.I)

# Headings that open a new block even in a hard-wrapped paste with no blank lines.
KNOWN_HEADING_RE = re.compile(
    r"^(?:what needs to improve|what does the (?:local authority|lscb) need to improve"
    r"|recommendations?\b|areas? for (?:priority action|improvement|development)"
    r"|priority and immediate action|the experiences and progress of|the impact of leaders on"
    r"|main findings|headline findings|summary of findings|key strengths|next steps"
    r"|inspection findings|summary for children|information about this|executive summary"
    r"|the local safeguarding children board|leadership, management and governance"
    r"|yours sincerely|case study:|progress since the last|findings and evaluation of progress"
    r"|contents$|the inspection team|the local authority$|judgements? grades?$)",
    re.I,
)


@dataclass
class Block:
    """A heading, a paragraph, a list item or a table row, text repaired."""

    text: str
    kind: str  # "heading", "para", "item" or "row"
    marker: Marker | None = None
    indent: float | None = None  # of the block's first line (where its marker sits)
    level: int = 0
    page: int | None = None
    lines: list[Line] = field(default_factory=list)

    @property
    def number(self) -> int | None:
        return self.marker.number if self.marker else None

    @property
    def cells(self) -> list[str]:
        return [cell.strip() for cell in self.text.split("\t") if cell.strip()]


def build_blocks(lines: list[Line]) -> list[Block]:
    """The document's blocks in reading order."""
    plain = all(line.size is None and not line.complete for line in lines)
    if not plain and all(line.size is None for line in lines) and _wrap_width(lines):
        # A Word file holding text pasted from a PDF: one paragraph per printed line.
        lines = [replace(line, complete=False, gap=False) for line in lines]
        plain = True
    if plain:
        lines = _without_text_furniture(lines)
    vocabulary = build_vocabulary(line.text for line in lines)
    width = _wrap_width(lines) if plain else None
    groups: list[list[Line]] = []
    for line in lines:
        if not line.text.strip():
            continue
        if not groups or _starts_block(groups[-1], line, width):
            groups.append([line])
        else:
            groups[-1].append(line)
    blocks = [_make_block(group, vocabulary) for group in groups]
    _mark_plain_headings(blocks)
    return [block for block in blocks if block.text]


def _without_text_furniture(lines: list[Line]) -> list[Line]:
    """Drop page numbers, and the running header or footer printed beside most of them."""
    numbers = {i for i, line in enumerate(lines) if _PAGE_NUMBER_RE.fullmatch(line.text)}
    boundaries = sorted(numbers | {i for i, line in enumerate(lines) if line.page_start})
    near: dict[str, set[int]] = {}
    for boundary in boundaries:
        for index in range(max(0, boundary - 3), min(len(lines), boundary + 4)):
            near.setdefault(_key(lines[index].text), set()).add(boundary)
    # A heading that happens to open two pages is not furniture; a footer is on most pages.
    running = {key for key, seen in near.items() if len(seen) >= max(2, len(boundaries) // 2)}
    dropped = set(numbers) | _running_lines(lines)
    for boundary in boundaries:
        for index in range(max(0, boundary - 3), min(len(lines), boundary + 4)):
            if _key(lines[index].text) in running and len(lines[index].text) < 120:
                dropped.add(index)
    kept = []
    for index, line in enumerate(lines):
        if index in dropped:
            continue
        if index - 1 in dropped and line.gap is False:
            # What followed a page number starts a page: glued on only where the page
            # broke a sentence (see _continues_across_break).
            line = replace(line, gap=True, page_start=True)
        kept.append(line)
    return kept


def _running_lines(lines: list[Line]) -> set[int]:
    """Lines printed on page after page (a running footer whose page number was glued on,
    as some PDF viewers copy it): four or more of the same, that are not a heading, a page
    or so apart. The same short line again and again within a few lines is content: a
    table's cells ("Good" in each row of the judgements)."""
    where: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        if _may_be_running(line):
            where.setdefault(_key(line.text), []).append(index)
    running: set[int] = set()
    for indices in where.values():
        gaps = sorted(b - a for a, b in zip(indices, indices[1:], strict=False))
        if len(indices) >= 4 and gaps[len(gaps) // 2] >= MIN_LINES_A_PAGE:
            running.update(indices)
    return running


def _may_be_running(line: Line) -> bool:
    text = line.text
    return (
        len(text) < 120
        and not line.row
        and split_marker(text) is None
        and not KNOWN_HEADING_RE.match(text)
        and text.lower().rstrip(":") not in GENERIC_HEADINGS
        and not _CROSS_REFERENCE_RE.match(text)
    )


# A wrapped sentence's last line may be its cross-reference alone, "(paragraph 25).", as
# often as a page's footer is printed: it is the sentence's, never furniture.
_CROSS_REFERENCE_RE = re.compile(r"^\(\s*(?:paras?\b|paragraphs?\b|see\b)", re.I)


# Headings too general to say what a paragraph is about, and repeated in every section.
GENERIC_HEADINGS = {"summary", "inspection findings", "main findings", "findings", "overview"}


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _wrap_width(lines: list[Line]) -> float | None:
    """The line length of a hard-wrapped paste, or None when each line is a paragraph."""
    long = [line.text for line in lines if not line.row and len(line.text) >= 40]
    if len(long) < 5:
        return None
    open_ended = [text for text in long if not ends_sentence(text) and text[-1] not in ":;"]
    if len(open_ended) < 0.35 * len(long):
        return None
    lengths = sorted(len(text) for text in long)
    width = float(lengths[int(0.9 * (len(lengths) - 1))])
    # Pasted from a PDF or an e-mail, lines wrap at well under 130 characters; whole
    # paragraphs on one line run longer.
    return width if width <= 130 else None


def _starts_block(group: list[Line], line: Line, width: float | None) -> bool:
    first, last = group[0], group[-1]
    if line.row or first.row:
        return True
    if line.complete or first.complete:
        return not _continues_paragraph(last, line)
    marker = split_marker(line.text)
    if marker:
        return True
    # A bold word or two that carry a sentence on ("... is requires" / "improvement.", the
    # grade in bold) are the sentence's, not a heading.
    if (
        line.heading is not None
        and first.heading is not None
        and line.heading != first.heading
        and not (line.heading and not line.gap and _carries_sentence_on(last, line))
    ):
        return True
    if line.size is None and _heading_line(line.text) and _may_end_before(group, width):
        return True
    if line.page_start or line.gap:
        return not _continues_across_break(group, line, width)
    if line.size is None and line.gap is not None:  # plain text
        return width is None or _break_was_intended(last.text, line.text, width)
    return False


def _carries_sentence_on(last: Line, line: Line) -> bool:
    text = last.text.rstrip()
    return not ends_sentence(text) and not text.endswith(":") and line.text[:1].islower()


def _may_end_before(group: list[Line], width: float | None) -> bool:
    """Whether the block so far could end here, so that a known heading may follow."""
    last = group[-1].text
    if ends_sentence(last) or split_marker(group[0].text) or width is None:
        return True
    return len(last) < 0.85 * width


def _heading_line(text: str) -> bool:
    """A known heading on a line of its own: capitalised, as every heading is printed. A
    wrapped sentence's next line ("recommendation at the last inspection.)") is not one."""
    return (
        bool(KNOWN_HEADING_RE.match(text))
        and not text[:1].islower()
        and len(text.split()) <= 14
        and text[-1:] != ","
    )


def _continues_paragraph(last: Line, line: Line) -> bool:
    """A Word or HTML paragraph that carries on the one before: text pasted from a PDF
    into Word keeps each printed line as a paragraph of its own."""
    return (
        not last.heading
        and not line.heading
        and not ends_sentence(last.text)
        and not last.text.rstrip().endswith(":")
        and line.text[:1].islower()
        and split_marker(line.text) is None
    )


def _continues_across_break(group: list[Line], line: Line, width: float | None = None) -> bool:
    """A blank line or page break inside a sentence is an artefact of the page, not a break."""
    first, last = group[0], group[-1]
    if ends_sentence(last.text) or last.text.rstrip().endswith(":"):
        return False
    if first.heading and line.heading is None:
        return False
    if line.size is None and line.page_start and width is not None:
        # A pasted page that ended on a full line mid-sentence carries on over the page,
        # whatever the next word ("... given to / Fostering to Adopt arrangements"); a
        # short line there was a heading or the end of a list item.
        return line.text[:1].islower() or len(last.text) >= 0.85 * width
    if line.gap and not line.page_start and line.size is not None:
        # In a PDF, extra space before a line is a paragraph break unless the line sits at
        # the hanging indent of the list item above it.
        return split_marker(first.text) is not None and _hanging(first, line)
    if split_marker(first.text) and first.indent is not None and line.size is not None:
        return _hanging(first, line) or line.text[:1].islower()
    return line.text[:1].islower() or line.page_start


def _hanging(first: Line, line: Line) -> bool:
    return first.indent is not None and line.indent is not None and line.indent > first.indent + 3


# No heading or paragraph ends on a word that needs another after it, and a council's name
# wrapped before its last word ("City of Bradford Metropolitan District" / "Council") is
# still one name.
_OPEN_END_RE = re.compile(r"\b(?:and|or|of|the|for|to|in|on|at|by|with|from|a|an)$")
_NAME_END_RE = re.compile(r"(?:(?:metropolitan |county |city |district |borough )*council)", re.I)


def _break_was_intended(previous: str, text: str, width: float) -> bool:
    """In hard-wrapped text a line ends early only where its paragraph or heading ends."""
    if _OPEN_END_RE.search(previous.rstrip()) or _NAME_END_RE.fullmatch(text.strip()):
        return False
    words = text.split()
    fits = len(previous) + 1 + (len(words[0]) if words else 0)
    if ends_sentence(previous) or previous.rstrip().endswith(":"):
        return fits < 0.85 * width
    if text[:1].islower():
        return False
    return fits < 0.7 * width


def _make_block(group: list[Line], vocabulary: tuple[set[str], set[str]]) -> Block:
    first = group[0]
    if first.row:
        return _row_block(first)
    parts = [piece for line in group for piece in line.text.split("\n")]
    marker = split_marker(parts[0])
    if marker:
        parts[0] = marker.rest
    text = strip_private_use(join_lines(parts, vocabulary))
    kind = "item" if marker else "heading" if first.heading else "para"
    return Block(text, kind, marker, first.indent, first.level, first.page, group)


def _row_block(line: Line) -> Block:
    cells = [join_lines([cell]) for cell in line.text.split("\t") if cell.strip()]
    # A list laid out as a table, bullet or number in a narrow first column, is a list.
    marker = split_marker(f"{cells[0]} {cells[1]}") if len(cells) == 2 else None
    if marker and marker.rest == cells[1]:
        text = strip_private_use(cells[1])
        return Block(text, "item", marker, line.indent, line.level, line.page, [line])
    return Block("\t".join(cells), "row", None, line.indent, line.level, line.page, [line])


def _mark_plain_headings(blocks: list[Block]) -> None:
    """Without type information, a short unpunctuated line standing alone is a heading."""
    for block in blocks:
        first = block.lines[0]
        # A PDF says what is a heading through its type; Word or HTML only sometimes does.
        if block.kind != "para" or first.size is not None or first.heading:
            continue
        known = (
            KNOWN_HEADING_RE.match(block.text)
            and not block.text[:1].islower()  # a sentence's wrapped remainder
            and len(block.text) < 160
        )
        if (known and block.text[-1] not in ".,;") or _short_title(block.text):
            block.kind = "heading"


def _short_title(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 14
        and len(text) <= 110
        and text[-1] not in ".,;"
        and (text[0].isupper() or text[0].isdigit())
    )
