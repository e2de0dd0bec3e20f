"""Finding the recommendations and the numbered paragraphs among the blocks.

Owns which headings open a list of recommendations ("What needs to improve?",
"Recommendations", "Areas for priority action", "Areas for improvement", the older SIF "What
does the local authority need to improve?" with its "Priority and immediate action"
sub-list), where such a list ends, which lists belong to the Local Safeguarding Children
Board rather than the council, and how sub-items fold into their parent.

Folding rule: a sub-item (deeper indent or nesting, a letter, or a different bullet under an
item ending in ":") is appended to its parent's text after a space; between two sub-items a
"; " is inserted when the first has no closing punctuation of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workflow.imports.parse.blocks import GENERIC_HEADINGS, KNOWN_HEADING_RE, Block
from workflow.imports.parse.clean import ends_sentence
from workflow.imports.parse.judgements import canonical_grade

_SECTION_RE = re.compile(
    r"^(?:(?P<main>what needs to improve(?: in [^?]{1,80})?"
    r"|what does the (?:local authority|lscb|board|council) need to improve(?: [^?]{1,40})?"
    r"|recommendations?(?: for (?:improvement|the local authority|the lscb|the board))?)"
    r"|(?P<priority>areas? for priority action|priority (?:and immediate )?actions?"
    r"|immediate action)"
    r"|(?P<improve>areas? for (?:improvement|development)))"
    r"\s*[?:.]?(?:\d{1,2}|!)?$",  # a footnote's mark: a digit, or "!" where OCR misread one
    re.I,
)
# "22. In order to improve ..., the local authority should take the following action."
_LEAD_IN_RE = re.compile(
    r"(?:should|must|needs? to)(?: take the following actions?| do the following)?[.:]?$"
    r"|following actions?[.:]?$",
    re.I,
)
# A sentence saying the list is empty is not an item of it.
_NOTHING_RE = re.compile(
    r"^(?:the inspection (?:did|has) not (?:find|found|identif\w*)|there (?:are|were|is) no"
    r"|no (?:areas?|priority|recommendations?)\b|none\b)[^.]{0,120}\.?$",
    re.I,
)
# The older reports group their list by when each action is due.
_TIMESCALE_RE = re.compile(
    r"^(?P<now>immediately|immediate(?:ly)? action)\s*:?$"
    r"|^(?:within|in the next|over the next) (?:\w+|\d+) (?:days?|weeks?|months?)\s*:?$"
    r"|^in the (?:short|medium|longer?) term\s*:?$",
    re.I,
)
_LSCB_RE = re.compile(r"safeguarding children(?:'s)? board|\blscb\b", re.I)
_COUNCIL_RE = re.compile(
    r"^(?:the local authority\b|children's services in\b|the experiences and progress\b"
    r"|leadership, management|what does the local authority|information about this local"
    r"|summary for children|inspection of services for children)",
    re.I,
)


@dataclass
class FoundItem:
    """A recommendation as found, before evidence linking."""

    text: str
    priority: bool
    lscb: bool
    blocks: list[int] = field(default_factory=list)


@dataclass
class Found:
    """The recommendations of a document and the blocks they used up."""

    items: list[FoundItem]
    used: set[int]


def section_type(block: Block) -> str | None:
    """Which list of recommendations the block heads: "main", "priority", "improve" or None."""
    if block.kind not in ("heading", "para") or len(block.text) > 100:
        return None
    match = _SECTION_RE.match(block.text.strip())
    if not match:
        return None
    return next(name for name in ("main", "priority", "improve") if match.group(name))


def lscb_flags(blocks: list[Block]) -> list[bool]:
    """For each block, whether it sits in the part of a report about the LSCB.

    Only headings move between the parts: a sentence about the board's chair in the
    council's part does not.
    """
    flags: list[bool] = []
    lscb = False
    for block in blocks:
        if block.kind == "heading":
            if _LSCB_RE.search(block.text) and not _COUNCIL_RE.match(block.text):
                lscb = True
            elif _COUNCIL_RE.match(block.text):
                lscb = False
        flags.append(lscb)
    return flags


def find_recommendations(blocks: list[Block], kind: str) -> Found:
    """Every recommendation of the document in order, each marked council or LSCB.

    Only a SIF report has a part about the LSCB; a letter's address block may name the
    board without anything in it being the board's.
    """
    lscb = lscb_flags(blocks) if kind == "sif" else [False] * len(blocks)
    starts = [(i, kind) for i, block in enumerate(blocks) if (kind := section_type(block))]
    has_main = any(kind == "main" for _, kind in starts)
    found = Found([], set())
    for index, kind in starts:
        # With a "What needs to improve?" list present, a free-standing "Areas for
        # improvement" is narrative (as in a JTAI letter), unless it sits inside that list.
        # The LSCB part of a SIF report has a list of its own under that heading.
        narrative = has_main and kind == "improve" and not lscb[index]
        if index in found.used or narrative:
            continue
        items, used = _read_section(blocks, index, kind == "priority", lscb[index])
        if items:
            found.items.extend(items)
            found.used.update(used)
    return found


def _read_section(
    blocks: list[Block], start: int, priority: bool, lscb: bool
) -> tuple[list[FoundItem], set[int]]:
    items: list[FoundItem] = []
    loose: list[int] = []
    used = {start}
    top: Block | None = None
    index = start + 1
    while index < len(blocks):
        block = blocks[index]
        sub = section_type(block)
        if sub in ("priority", "improve"):
            priority = sub == "priority"
        elif block.kind == "row" or sub == "main":
            break
        elif timescale := _TIMESCALE_RE.match(block.text.strip()):
            priority = bool(timescale.group("now"))
        elif block.kind == "item" and not items and _LEAD_IN_RE.search(block.text.rstrip()):
            pass  # a numbered paragraph introducing the list
        elif block.kind == "item":
            if top is None:
                top = block
            if _ends_list(block, top, items, blocks):
                break
            if items and _is_sub_item(block, top, items):
                _fold(items[-1], block.text, index)
            else:
                items.append(FoundItem(_capitalised(block.text), priority, lscb, [index]))
        elif block.text.rstrip().endswith(":") and len(block.text) < 200:
            pass  # a lead-in such as "The local authority should:"
        elif _groups_the_list(blocks, index, items):
            pass  # a sub-heading grouping the list ("Thresholds"), which counts on under it
        elif items or block.kind == "heading":
            break
        elif _NOTHING_RE.match(block.text):
            pass  # "The inspection did not find any areas for priority and immediate action."
        else:
            loose.append(index)
        used.add(index)
        index += 1
    if not items and loose:
        # A list whose bullets were lost on the way (pasted text): one paragraph per item.
        items = [FoundItem(blocks[i].text, priority, lscb, [i]) for i in loose]
    return items, used


_SECTION_TITLE_RE = re.compile(
    r"\b(?:inspection|judgements?|strengths|weaknesses|findings|summary|lscb)\b"
    r"|safeguarding children(?:'s)? board",
    re.I,
)


def _groups_the_list(blocks: list[Block], index: int, items: list[FoundItem]) -> bool:
    """A short heading between numbered items whose numbering runs on across it."""
    block = blocks[index]
    if block.kind not in ("heading", "para") or index + 1 >= len(blocks):
        return False
    if len(block.text) > 100 or ends_sentence(block.text):
        return False
    if KNOWN_HEADING_RE.match(block.text) or _SECTION_TITLE_RE.search(block.text):
        return False  # the report's next section, whose paragraphs count on
    following = blocks[index + 1]
    if not items:  # the list's first group: its heading comes straight before an item
        return following.kind == "item" and following.marker is not None
    last = blocks[items[-1].blocks[0]]
    return (
        following.kind == "item" and last.number is not None and following.number == last.number + 1
    )


def _capitalised(text: str) -> str:
    """A bullet that continued a lead-in ("should: improve ...") stands alone as a sentence."""
    return text[:1].upper() + text[1:]


def _ends_list(block: Block, top: Block, items: list[FoundItem], blocks: list[Block]) -> bool:
    """A numbered list that stops counting up has given way to numbered paragraphs."""
    if not items or top.marker is None or block.marker is None:
        return False
    if top.marker.kind != "number" or block.marker.symbol != top.marker.symbol:
        return False
    last = blocks[items[-1].blocks[0]]
    return last.number is not None and block.number != last.number + 1


def _is_sub_item(block: Block, top: Block, items: list[FoundItem]) -> bool:
    assert block.marker is not None and top.marker is not None
    if block.marker.kind != top.marker.kind:  # bullets under numbers, letters under bullets
        return True
    if block.level > top.level:
        return True
    if block.indent is not None and top.indent is not None and block.indent > top.indent + 4:
        return True
    parent_open = items[-1].text.rstrip().endswith(":") or len(items[-1].blocks) > 1
    return block.marker.symbol != top.marker.symbol and parent_open


def _fold(item: FoundItem, text: str, index: int) -> None:
    if len(item.blocks) > 1 and item.text.rstrip()[-1:] not in ".;,:":
        item.text = item.text.rstrip() + "; " + text
    else:
        item.text = item.text.rstrip() + " " + text
    item.blocks.append(index)


@dataclass
class NumberedParagraph:
    """A numbered paragraph with its heading, and whether it is about the LSCB."""

    number: int
    text: str
    heading: str | None
    lscb: bool


def numbered_paragraphs(blocks: list[Block], used: set[int], kind: str) -> list[NumberedParagraph]:
    """The report's numbered paragraphs in order, recommendations and tables excluded."""
    lscb = lscb_flags(blocks) if kind == "sif" else [False] * len(blocks)
    found: list[NumberedParagraph] = []
    heading: str | None = None
    current: NumberedParagraph | None = None
    for index, block in enumerate(blocks):
        if block.kind == "row" and len(block.cells) == 2 and canonical_grade(block.cells[1]):
            heading = ": ".join(block.cells)  # a SIF section title boxed with its grade
        if index in used or block.kind == "row":
            current = None
            continue
        if block.kind == "heading":
            if block.text.lower().rstrip(":") not in GENERIC_HEADINGS:
                heading = block.text
            current = None
        elif _is_paragraph_number(block, found):
            current = NumberedParagraph(block.number or 0, block.text, heading, lscb[index])
            found.append(current)
        elif current is not None and _belongs_to(block, current):
            current.text = current.text + " " + block.text
        else:
            current = None
    return found


def _is_paragraph_number(block: Block, found: list[NumberedParagraph]) -> bool:
    if block.kind != "item" or block.marker is None or block.marker.symbol != "num":
        return False
    return block.level == 0 and (block.number or 0) > (found[-1].number if found else 0)


def _belongs_to(block: Block, paragraph: NumberedParagraph) -> bool:
    """A bulleted list inside a paragraph, or the rest of it after a page break."""
    if block.kind == "item" and block.marker is not None and block.marker.kind != "number":
        return True
    return block.kind == "para" and not ends_sentence(paragraph.text) and block.text[:1].islower()
