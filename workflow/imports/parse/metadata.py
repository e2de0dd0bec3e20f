"""What kind of report this is, whose, when, and by whom.

Owns the front-matter rules: the kind of report from its title (ILACS, SIF, focused visit,
monitoring visit, JTAI), the council's name as the report words it, the inspection dates in
every form Ofsted has printed them ("28 March to 1 April 2022", "05 July 2016–27 July 2016",
"on 5 and 6 April 2022"), the lead inspector's name without their title, the publication
date, and whether an ILACS inspection was short or standard.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from workflow.imports.parse.blocks import Block

# Letters are told apart by their titles: each kind has one.
_LETTER_PATTERNS = (
    (
        "jtai",
        r"joint targeted area inspection (?:\(jtai\) )?of\b"
        r"|joint inspection of the multi-agency response",
    ),
    ("focused_visit", r"\bfocused visit (?:to|of)\b"),
    ("monitoring", r"\bmonitoring visit (?:to|of|at)\b"),
)
# An inspection report's title: "Inspection of <anyone> children's services" in all its
# forms (with or without "local authority", a council word or a trust's name), or the name
# first and "Inspection of local authority children's services" after it (2018-2020).
_REPORT_TITLE_RE = re.compile(
    r"(?:re-)?inspection of (?:the )?[\w ,'&().-]{0,100}?(?:children's|children and families)"
    r" (?:social care )?(?:services|trust)\b"
    r"|inspection of (?:the )?[\w ,'&.-]{2,80}? trust\b"
    r"|(?:re-)?inspection of services for children"
    r"|inspection of (?:looked after children|safeguarding)(?: and looked after children)?"
    r" services"
    r"|review of the effectiveness of the local safeguarding children board",
    re.I,
)
# The frameworks before 2018 (SIF from late 2013, and the looked after children and
# safeguarding inspections before it) are told by their own titles.
_PRE_ILACS_RE = re.compile(
    r"inspection of services for children in need of help and protection"
    r"|review of the effectiveness of the local safeguarding children board"
    r"|inspection of (?:looked after children|safeguarding)(?: and looked after children)?"
    r" services",
    re.I,
)
# What every Ofsted inspection report shares.
_DATES_LINE_RE = re.compile(r"\binspection dates?\s*:?\s*\d", re.I)
_INSPECTORATE_RE = re.compile(
    r"\bofsted\b|(?:her|his) majesty'?s inspector|\bHMI\b|inspector\s*:", re.I
)
_JUDGEMENTS_RE = re.compile(
    r"\bjudgements?\s+grades?\b|overall effectiveness\b|children'?s services in .{2,80}?"
    r" (?:are|is|require|requires) (?:outstanding|good|adequate|inadequate|improvement)"
    r"|overall (?:judgement|effectiveness)\b"
    r"|\b(?:is|are|requires?) (?:outstanding|good|adequate|inadequate|improvement)\b",
    re.I | re.S,
)
_ILACS_ROWS_RE = re.compile(
    r"the impact of leaders on social work\s+(?:(?:outstanding|good|inadequate"
    r"|requires improvement(?: to be good)?)\s+)?practice",
    re.I,
)


class NotAReport(Exception):
    """The document lacks what every Ofsted report has; `missing` names what was not found."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_RANGE_RE = re.compile(
    rf"\b{_DAY}(?:\s+({_MONTH}))?\.?(?:\s+(\d{{4}}))?\s*(?:to|–|—|-|and|until)\s*"
    rf"{_DAY}\s+({_MONTH})\.?\s+(\d{{4}})\b",
    re.I,
)
_SINGLE_RE = re.compile(rf"\b{_DAY}\s+({_MONTH})\.?\s+(\d{{4}})\b", re.I)
_INSPECTOR_TITLE_RE = re.compile(
    r",|\s+(?:senior\s+)?(?:her|his)\s+majesty'?s\b|\s+(?:senior\s+)?\(?hmi\b"
    r"|\s+(?:deputy|team|shadow)\s",
    re.I,
)


def head_text(blocks: list[Block], count: int = 80) -> str:
    """The front of the document, where titles, dates and names are printed."""
    return "\n".join(block.text for block in blocks[:count])[:8000]


def detect_kind(blocks: list[Block]) -> str | None:
    """The document's kind, or None when it is no Ofsted report (see `report_evidence`)."""
    try:
        return classify(blocks)
    except NotAReport:
        return None


def classify(blocks: list[Block]) -> str:
    """The kind of the document, recognised by what every report of that kind shares.

    A letter (focused visit, monitoring visit, JTAI) opens with its own title or says in its
    first sentences what it reports on. An inspection report opens with a title naming an
    inspection of children's services in any of its forms, or, where the title is missing or
    unfamiliar, has what every report's front matter has: an "Inspection dates" line with a
    judgement (a table of grades or an overall judgement) or the inspectorate's wording.
    Raises NotAReport naming what is missing.
    """
    for block in blocks[:80]:
        found = []
        for kind, pattern in _LETTER_PATTERNS:
            match = re.search(pattern, block.text[:400], re.I)
            if match and (_is_title(block.text, match.start()) or _opens_letter(block.text)):
                found.append((match.start(), kind))
        if found:
            if _is_report_title(block.text):
                break  # "Inspection of ... children's services" names an inspection
            return min(found)[1]
        if _is_report_title(block.text):
            break
    head = head_text(blocks)
    title = report_title(blocks)
    dates = bool(_DATES_LINE_RE.search(head))
    judged = bool(_JUDGEMENTS_RE.search(head))
    inspectorate = bool(_INSPECTORATE_RE.search(head))
    if title is None and not (dates and (judged or inspectorate)):
        missing = [
            what
            for what, present in (
                ("title naming an inspection of children's services", title),
                ("'Inspection dates' line", dates),
                ("judgements table or overall judgement", judged),
            )
            if not present
        ]
        raise NotAReport(missing)
    if title is not None:
        return "sif" if _PRE_ILACS_RE.search(title) else "ilacs"
    # No title (a paste that starts further in): the ILACS judgement table tells.
    return "ilacs" if _ILACS_ROWS_RE.search(head) else "sif"


_NAME_WORD = r"(?:[A-Z][\w'&.-]*|of|the|and|upon|on|in)"
_NAME_PREFIX_RE = re.compile(rf"^(?:{_NAME_WORD}(?:\s+{_NAME_WORD})*)?\s*$")


def _is_title(text: str, start: int) -> bool:
    """The title opens its block, after at most a council's name ("Kingston Upon Hull City
    Council Inspection of children's social care services" once a paste runs lines on)."""
    return start <= 80 and bool(_NAME_PREFIX_RE.match(text[:start]))


def _opens_letter(text: str) -> bool:
    return bool(
        re.search(
            r"findings of (?:the|a) (?:focused visit|monitoring visit|joint targeted area"
            r" inspection)|carried out a joint (?:targeted area )?inspection",
            text,
            re.I,
        )
    )


def _is_report_title(text: str) -> bool:
    match = _REPORT_TITLE_RE.search(text[:400])
    return bool(match and _is_title(text, match.start()))


def report_title(blocks: list[Block]) -> str | None:
    """The report's title, read whole where it ran over two or three lines that a paste
    keeps apart ("Inspection of City of Bradford / Metropolitan Borough Council local /
    authority children's services")."""
    for index, block in enumerate(blocks[:80]):
        candidates = [block.text]
        for following in blocks[index + 1 : index + 3]:
            if block.kind != "heading" or following.kind != "heading":
                break
            candidates.append(f"{candidates[-1]} {following.text}")
        titles = [text for text in candidates if _is_report_title(text)]
        if titles:
            return titles[-1]
    return None


def find_authority(blocks: list[Block], kind: str) -> str:
    """The council (or area) as the report names it, or "" when it cannot be found.

    Where a children's trust runs the services, the report is titled with the trust's name;
    the council it works for is given here (see `find_trust`).
    """
    head = head_text(blocks)
    if kind in ("ilacs", "sif") and (trust := find_trust(blocks)):
        return council_of_trust(trust, head)
    patterns = {
        "ilacs": r"inspection of (?:the )?(?!local authority )(.+?) (?:local authority )?"
        r"children's services",
        "focused_visit": r"focused visit (?:to|of) (?:the )?(.+?)(?: local authority)?"
        r" children's services",
        "monitoring": r"monitoring visit (?:to|of|at) (?:the )?(.+?)(?: local authority)?"
        r" children's services",
    }
    if kind in patterns and (match := re.search(patterns[kind], head[:1500], re.I | re.S)):
        name = _clean_name(match.group(1))
        if len(name) <= 80 and "inspection" not in name.lower():
            return name
    if kind == "jtai":
        return _jtai_area(blocks)
    return _name_before_title(blocks, _REPORT_TITLE_RE.pattern)


# Trusts whose names do not carry their council's; the rest are named after it
# ("Bradford Children and Families Trust", "Birmingham Children's Trust").
KNOWN_TRUSTS = {
    "together for children": "Sunderland",
    "achieving for children": "Kingston upon Thames, Richmond upon Thames and Windsor and "
    "Maidenhead",
    "slough children first": "Slough",
    "northamptonshire children's trust": "Northamptonshire",
}
_TRUST_TITLE_RE = re.compile(
    r"^(?:re-)?inspection of (?:the )?(.{2,80}?(?:\btrust\b|children first|for children))\s*$",
    re.I,
)
_TRUST_WORDS_RE = re.compile(
    r"\s*\b(?:children'?s?(?: and families)?(?: services)? trust|trust|children first)$", re.I
)


def find_trust(blocks: list[Block]) -> str | None:
    """The children's trust the report is about, when its title names one."""
    for block in blocks[:12]:
        match = _TRUST_TITLE_RE.match(block.text.strip().split("\n")[0])
        if match:
            return _clean_name(match.group(1))
    return None


def council_of_trust(trust: str, head: str) -> str:
    """The council a trust runs children's services for: known by name, else by the name
    the trust is called after ("Bradford Children and Families Trust" is Bradford's)."""
    known = KNOWN_TRUSTS.get(trust.lower().replace("’", "'"))
    if known:
        return known
    return _clean_name(_TRUST_WORDS_RE.sub("", trust)) or trust


_COUNCIL_NAME_RE = re.compile(r"^(?:services\s+)?[A-Z][\w'&. -]{1,60}\b(?:Council|Borough|City)$")


def _name_before_title(blocks: list[Block], title: str) -> str:
    for index, block in enumerate(blocks[:40]):
        match = re.search(title, block.text, re.I)
        if not match:
            continue
        before = block.text[: match.start()].strip()
        if not before:
            # Printed after the title (2013), or on the line before it.
            after = block.text[match.end() :].strip() or (
                blocks[index + 1].text if index + 1 < len(blocks) else ""
            )
            before = (
                re.sub(r"^services\s+", "", after)
                if _COUNCIL_NAME_RE.search(after)
                else blocks[index - 1].text
                if index
                else ""
            )
        board = r"\s*(?:local\s+)?safeguarding children(?:'s)? board$"
        name = re.sub(board, "", before, flags=re.I)
        return _clean_name(name)
    return ""


def _jtai_area(blocks: list[Block]) -> str:
    for block in blocks[:60]:
        match = re.search(r"joint targeted area inspection\b.*", block.text, re.I)
        if match:
            title = re.split(r"\.\s", match.group(0))[0]
            position = title.rfind(" in ")
            if position >= 0:
                return _clean_name(title[position + 4 :])
    return ""


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" .,:;")
    return re.sub(r"^the\s+", "", name, flags=re.I)


def authority_key(name: str) -> str:
    """A council's name reduced for comparison: "City of Wolverhampton" -> "wolverhampton"."""
    key = name.lower().replace("&", "and").replace("'s", "s")
    key = re.sub(r"[^a-z ]+", " ", key)
    key = re.sub(
        r"^(?:the )?(?:council of the |city of |royal borough of |london borough of "
        r"|metropolitan borough of |borough of |county of )",
        "",
        key.strip(),
    )
    key = re.sub(
        r"(?: metropolitan district| metropolitan borough| city| county| borough| district)?"
        r" council$",
        "",
        key.strip(),
    )
    key = re.sub(r" (?:city|county|borough)$", "", key.strip())  # "Leeds City"
    return re.sub(r"\s+", " ", key).strip()


def parse_date_range(text: str) -> tuple[date, date] | None:
    """The first date or date range in the text, as (start, end)."""
    ranged = _RANGE_RE.search(text)
    single = _SINGLE_RE.search(text)
    if ranged and (not single or ranged.start() <= single.start()):
        d1, m1, y1, d2, m2, y2 = ranged.groups()
        end = _date(d2, m2, y2)
        start_year = int(y1) if y1 else end.year if end else None
        start = _date(d1, m1 or m2, str(start_year)) if start_year else None
        if start and end and start > end and not y1:
            start = _date(d1, m1 or m2, str(end.year - 1))
        if start and end and start <= end:
            return start, end
    if single:
        day = _date(*single.groups())
        if day:
            return day, day
    return None


def _date(day: str, month: str, year: str) -> date | None:
    try:
        return datetime.strptime(f"{int(day)} {month[:3]} {year}", "%d %b %Y").date()
    except ValueError:
        return None


def inspection_dates(blocks: list[Block]) -> tuple[date | None, date | None]:
    """From the "Inspection dates:" label, else from the letter's opening sentences."""
    for block in blocks[:60]:
        match = re.search(r"inspection dates?\s*:?\s*(.{0,120})", block.text, re.I | re.S)
        if match and (found := parse_date_range(match.group(1))):
            return found
    for block in blocks[:60]:
        if re.search(r"\b(?:visit|inspection|inspected|took place|fieldwork)\b", block.text, re.I):
            found = parse_date_range(block.text)
            if found:
                return found
    return None, None


def published_date(blocks: list[Block]) -> date | None:
    """The publication date when the report prints one ("Report published: 31 March 2017")."""
    match = re.search(r"(?:published|publication date)\s*:?\s*(.{0,40})", head_text(blocks), re.I)
    found = parse_date_range(match.group(1)) if match else None
    return found[0] if found else None


_LEAD_INSPECTOR_RE = re.compile(
    r"(?<!deputy )\b(?:lead|reporting) inspector\s*:?\s*(.*)", re.I | re.S
)


def lead_inspector(blocks: list[Block], kind: str) -> str | None:
    """The lead inspector's name, without "Her Majesty's Inspector" or "HMI"."""
    for index, block in enumerate(blocks):
        match = _LEAD_INSPECTOR_RE.search(block.text)
        if not match:
            continue
        rest = match.group(1).strip() or _next_text(blocks, index)
        name = _person(rest)
        if name:
            return name
    if kind in ("focused_visit", "monitoring"):
        return _signatory(blocks)
    return None


def _next_text(blocks: list[Block], index: int) -> str:
    return blocks[index + 1].text if index + 1 < len(blocks) else ""


_NAME_PARTICLES = {"de", "van", "von", "der", "den", "la", "le", "du", "da", "di", "al", "bin"}


def _person(text: str) -> str | None:
    """The name at the start of the text, if it reads as one ("Jan de Vries", "Dawn O'Reilly")."""
    name = _INSPECTOR_TITLE_RE.split(text, maxsplit=1)[0].strip(" .:;")
    words = name.split()
    if not 2 <= len(words) <= 5 or not words[0][:1].isupper() or not words[-1][:1].isupper():
        return None
    if all(word[:1].isupper() or word in _NAME_PARTICLES for word in words):
        return name
    return None


def _signatory(blocks: list[Block]) -> str | None:
    """In a letter, the name under "Yours sincerely" is the lead inspector's."""
    for index, block in enumerate(blocks):
        if re.match(r"yours (?:sincerely|faithfully)", block.text, re.I):
            for following in blocks[index + 1 : index + 3]:
                name = _person(re.sub(r"yours (?:sincerely|faithfully),?", "", following.text))
                if name:
                    return name
    return None


def ilacs_variant(blocks: list[Block], start: date | None, end: date | None) -> str | None:
    """ "short" or "standard": said outright, else from the week or two spent on site."""
    match = re.search(r"\b(short|standard) inspection\b", head_text(blocks), re.I)
    if match:
        return match.group(1).lower()
    if start and end:
        # A short inspection is one week on site, a standard one two weeks.
        return "short" if (end - start).days <= 6 else "standard"
    return None
