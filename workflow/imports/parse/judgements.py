"""The judgement table: areas as the report words them, grades in their four canonical forms.

Owns the ILACS table ("Judgement | Grade" with "Overall effectiveness"), the SIF front page
("Children's services in X are good" and its numbered rows, plus the LSCB's own judgement),
and the fallback for text where the table's two columns were interleaved line by line, as a
copy from a PDF viewer gives them ("The impact of leaders on social work Outstanding /
practice with children and families").
"""

from __future__ import annotations

import re

from workflow.imports.parse.blocks import Block
from workflow.imports.parse.model import Judgement

GRADE = r"outstanding|good|requires? improvement(?: to be good)?|inadequate|adequate"
_GRADE_RE = re.compile(rf"\b(?:{GRADE})\b", re.I)
_ROW_START_RE = re.compile(
    r"(?=\b(?:The impact of leaders|The experiences and progress of|Overall effectiveness)\b)"
)
_SIF_ROW_START_RE = re.compile(r"(?=(?:^|\s)\d(?:\.\d)?\.?\s+[A-Z])")
_SIF_HEADLINE_RE = re.compile(
    rf"(?:children'?s services in .+?|overall judgement is(?: that children'?s services)?)"
    rf" (?:are |is )?({GRADE})",
    re.I,
)
_LSCB_RE = re.compile(
    rf"(?:the effectiveness of )?(the local safeguarding children board)(?: \(lscb\))?"
    rf" (?:is |are )?({GRADE})",
    re.I,
)
_HEADING_RE = re.compile(
    rf"^((?:the impact of leaders|the experiences and progress of).+?)(?: is)?:\s*({GRADE})\.?$",
    re.I,
)


def canonical_grade(text: str) -> str | None:
    """ "Requires improvement to be good" and friends from any casing or line breaking."""
    words = " ".join(text.lower().split()).rstrip(".")
    if re.match(r"requires? improvement", words):
        return "Requires improvement to be good"
    for grade in ("outstanding", "inadequate", "adequate", "good"):
        if words.startswith(grade):
            return grade.capitalize()
    return None


def find_judgements(blocks: list[Block], kind: str) -> tuple[list[Judgement], set[int]]:
    """The judgements in report order and the blocks that carried them."""
    if kind == "ilacs":
        found, used = _ilacs_table(blocks)
        if not found:
            found = _from_headings(blocks)
        return found, used
    if kind == "sif":
        return _sif_front_page(blocks)
    return [], set()


def _ilacs_table(blocks: list[Block]) -> tuple[list[Judgement], set[int]]:
    for index, block in enumerate(blocks[:80]):
        if re.search(r"(?:^|\s)judgements?\s+grades?$", " ".join(block.text.lower().split())):
            return _table_after(blocks, index, _ROW_START_RE)
    return [], set()


def _table_after(
    blocks: list[Block], header: int, row_start: re.Pattern[str]
) -> tuple[list[Judgement], set[int]]:
    found: list[Judgement] = []
    used = {header}
    plain: list[str] = []
    closing = False  # the last row's area is read, its grade may follow on a line of its own
    for index in range(header + 1, min(header + 16, len(blocks))):
        block = blocks[index]
        cells = block.cells
        if block.kind == "row" and len(cells) >= 2 and canonical_grade(cells[-1]):
            found.append(Judgement(_area(" ".join(cells[:-1])), canonical_grade(cells[-1]) or ""))
        elif _ends_front_table(block):
            break
        elif block.kind != "row" and not found and _plain_row(block):
            if closing and not _GRADE_RE.search(block.text):
                break
            number = f"{block.number}. " if block.number is not None else ""
            plain.append(number + block.text)
            if closing or len(block.text.split()) > 40 or _LAST_ROW_RE.match(block.text):
                used.add(index)
                break  # the last row, or the last row run into the prose after the table
            closing = bool(re.match(r"overall effectiveness\b", block.text, re.I))
        else:
            break
        used.add(index)
        if found and found[-1].area.lower() == "overall effectiveness":
            break
    if not found and plain:
        found = _interleaved(" ".join(plain), row_start)
    return found, used


_LAST_ROW_RE = re.compile(rf"overall effectiveness:?\s+(?:{GRADE})\b", re.I)


def _ends_front_table(block: Block) -> bool:
    """The LSCB's headline or the contents list: what follows the table on a front page."""
    return bool(_LSCB_RE.search(block.text[:200]) or re.match(r"contents\b", block.text, re.I))


def _plain_row(block: Block) -> bool:
    """A short line of the table, or a long block that starts with the table's last row."""
    return len(block.text.split()) <= 40 or bool(_GRADE_RE.search(block.text[:100]))


# A two-line grade cell copied around the area beside it: "Requires / 2. Children looked
# after / Improvement", "Requires improvement / Overall effectiveness / to be good".
_GRADE_AROUND_RES = (
    re.compile(
        r"\b(requires?)\s+((?:(?!improvement)\S+\s+){1,20}?)(improvement(?: to be good)?)\b",
        re.I,
    ),
    re.compile(
        r"\b(requires? improvement)\s+((?:(?!to be good|requires?\b)\S+\s+){1,20}?)(to be good)\b",
        re.I,
    ),
)


def _interleaved(text: str, row_start: re.Pattern[str]) -> list[Judgement]:
    """Rows whose grade column landed inside the area text, line by line."""
    found = []
    for pattern in _GRADE_AROUND_RES:
        text = pattern.sub(lambda m: f"{m.group(2)}{m.group(1)} {m.group(3)}", text)
    for chunk in row_start.split(text):
        match = _GRADE_RE.search(chunk)
        if not chunk.strip() or not match:
            continue
        grade = canonical_grade(match.group(0)) or ""
        before, after = chunk[: match.start()], chunk[match.end() :]
        if grade.startswith("Requires") and not match.group(0).lower().endswith("good"):
            # The grade's own wrapped words ("Requires improvement to / be good") are
            # interleaved with the area's: take them out wherever they fell.
            after = re.sub(r"\bto be good\b", " ", after, count=1, flags=re.I)
            after = re.sub(r"^\s*to\b", " ", after, count=1, flags=re.I)
            after = re.sub(r"\bbe good\b", " ", after, count=1, flags=re.I)
        # The area's wrapped remainder is lower case; a capital starts the prose after it.
        tail = re.match(r"(?:\s*[a-z][\w'-]*)*", after)
        area = _area(f"{before} {tail.group(0) if tail else ''}")
        if area:
            found.append(Judgement(area, grade))
    return found


def _area(text: str) -> str:
    text = re.sub(r"^\s*\d(?:\.\d)?\.?\s+", "", text)
    return " ".join(text.split()).strip(" :")


def _from_headings(blocks: list[Block]) -> list[Judgement]:
    """Without a table, the section headings ("...: good") still carry the grades."""
    found = []
    for block in blocks:
        match = _HEADING_RE.match(block.text) if block.kind == "heading" else None
        if match and len(block.text) < 200:
            grade = canonical_grade(match.group(2)) or ""
            found.append(Judgement(_area(match.group(1)), grade))
    return found


# A numbered row ends with its grade, or with a word of a grade whose other word a copy
# printed on the line before or after ("Requires" ... "Improvement").
_SIF_ROW_RE = re.compile(
    rf"^\d(?:\.\d)?\.?\s+[A-Z].{{3,80}}\b(?:{GRADE}|requires?|improvement)\s*$", re.I
)


_GRADE_PART_RE = re.compile(r"^(?:requires?(?: improvement)?|improvement)$", re.I)


def _numbered(block: Block) -> str:
    return f"{block.number}. {block.text}" if block.number is not None else block.text


def _sif_front_page(blocks: list[Block]) -> tuple[list[Judgement], set[int]]:
    found: list[Judgement] = []
    used: set[int] = set()
    for index, block in enumerate(blocks[:60]):
        match = _SIF_HEADLINE_RE.search(block.text)
        if match and len(block.text) < 200:
            found.append(Judgement("Overall effectiveness", canonical_grade(match.group(1)) or ""))
            # The numbered rows may follow a paragraph or two of the headline's meaning.
            start = next(
                (
                    j
                    for j in range(index + 1, min(index + 12, len(blocks)))
                    if blocks[j].kind == "row" or _SIF_ROW_RE.match(_numbered(blocks[j]))
                ),
                index + 1,
            )
            if start - 1 > index and _GRADE_PART_RE.match(blocks[start - 1].text):
                start -= 1  # the first row's grade began on the line above it ("Requires")
            rows, used = _table_after(blocks, start - 1, _SIF_ROW_START_RE)
            found.extend(rows)
            break
    for block in blocks:
        match = _LSCB_RE.match(block.text)
        if not match and block.kind == "heading" and len(block.text) < 200:
            match = _LSCB_RE.search(block.text)
        if match:
            found.append(Judgement(match.group(1), canonical_grade(match.group(2)) or ""))
            break
    return found, used
