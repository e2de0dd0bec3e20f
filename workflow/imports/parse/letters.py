"""What a letter says beyond a list of recommendations.

Owns two readings. A monitoring visit letter reports progress against the areas of concern of
the last inspection: `monitoring_areas` gives each area the visit covered, as the letter words
it, with the letter's paragraphs about it, best first (the bulleted areas under "Areas covered
by the visit", or the area its sentence names: "Inspectors reviewed the progress made in ...").
A joint targeted area inspection is addressed to the area's partners: `jtai_partners` gives
each organisation it names (the council, the integrated care board, the police force, the
probation service...), from the address block, else from the letter's text, with its role.
"""

from __future__ import annotations

import re

from workflow.imports.parse.blocks import KNOWN_HEADING_RE, Block
from workflow.imports.parse.clean import ends_sentence
from workflow.imports.parse.links import rank_passages
from workflow.imports.parse.model import Area, Partner

MAX_FINDINGS = 3

_AREAS_HEADING_RE = re.compile(
    r"^(?:areas? (?:covered|considered|reviewed|looked at|of focus|of concern)"
    r"|(?:the )?(?:scope|focus) of (?:the|this) (?:monitoring )?visit)\b[^.?!]{0,40}$",
    re.I,
)
# "Inspectors reviewed the progress made in the quality of practice ..." names the area.
_PROGRESS_IN_RE = re.compile(
    r"\b(?:reviewed|considered|evaluated|looked at|assessed|focused on)\s+(?:the\s+)?progress"
    r"(?:\s+(?:made|that (?:the local authority|leaders) (?:has|have) made))?"
    r"\s+(?:in|on|with|against)\s+(?P<area>.+)",
    re.I | re.S,
)
# Sentences every letter carries that say nothing about one area.
_BOILERPLATE_RE = re.compile(
    r"^(?:this visit was carried out in line with|ofsted will take the findings"
    r"|this letter (?:summarises|will be published)|yours sincerely|inspectors (?:looked at|"
    r"spoke to|met with)\b.{0,80}$)",
    re.I,
)
_LETTER_END_RE = re.compile(r"^yours (?:sincerely|faithfully)", re.I)


def monitoring_areas(blocks: list[Block], own_list: list[str]) -> list[Area]:
    """The areas a monitoring visit covered, each with the letter's findings about it.

    A letter that names no areas of its own is taken to report on its own list of areas
    for improvement (`own_list`), when it has one.
    """
    start = next(
        (i for i, block in enumerate(blocks) if _is_areas_heading(block)),
        None,
    )
    texts = _areas_in_section(blocks, start) if start is not None else []
    if not texts:
        texts = list(own_list)
    used = set(texts)
    pool = _finding_passages(blocks, start or 0, used)
    ranked = rank_passages(texts, [text for text in pool])
    return [
        Area(text, [pool[i] for i in order[:MAX_FINDINGS]])
        for text, order in zip(texts, ranked, strict=True)
    ]


def _is_areas_heading(block: Block) -> bool:
    text = block.text.strip().rstrip(":")
    return block.kind in ("heading", "para") and bool(_AREAS_HEADING_RE.match(text))


def _areas_in_section(blocks: list[Block], start: int) -> list[str]:
    items: list[str] = []
    sentences: list[str] = []
    for block in blocks[start + 1 :]:
        if _ends_section(block):
            break
        if block.kind == "item":
            items.append(_capitalised(block.text))
        elif (match := _PROGRESS_IN_RE.search(block.text)) and not block.text.rstrip().endswith(
            ":"
        ):
            sentences.append(_capitalised(_first_sentence(match.group("area"))))
    return items or sentences


def _ends_section(block: Block) -> bool:
    if block.kind == "heading" and not block.text.rstrip().endswith(":"):
        return True
    return bool(KNOWN_HEADING_RE.match(block.text)) and len(block.text) < 100


def _first_sentence(text: str) -> str:
    match = re.search(r"(?<=[a-z)])\.\s+(?=[A-Z])", text)
    sentence = text[: match.start() + 1] if match else text
    return sentence.strip()


def _finding_passages(blocks: list[Block], start: int, areas: set[str]) -> list[str]:
    """The letter's paragraphs and bullets after its areas, up to its sign-off."""
    passages = []
    for block in blocks[start + 1 :]:
        if _LETTER_END_RE.match(block.text):
            break
        text = _capitalised(block.text)
        if block.kind == "heading" or text in areas or not ends_sentence(text):
            continue
        if _BOILERPLATE_RE.match(text) or _PROGRESS_IN_RE.search(text):
            continue
        passages.append(text)
    return passages


def _capitalised(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


# Organisations a joint inspection's letter is addressed to, by their names' own words.
_ROLES = (
    ("Police and crime commissioner", r"\bpolice,? (?:fire )?and crime commissioner\b"),
    ("Integrated care board", r"\bintegrated care board\b|\bICB\b"),
    ("Clinical commissioning group", r"\bclinical commissioning group\b|\bCCG\b"),
    ("Police", r"\bpolice\b|\bconstabulary\b"),
    ("Probation", r"\bprobation\b"),
    ("Youth justice", r"\byouth (?:justice|offending)\b"),
    ("Safeguarding partnership", r"\bsafeguarding (?:children )?(?:partnership|board)\b|\bLSCB\b"),
    ("Health", r"\bNHS\b|\bhealth(?:care)? trust\b"),
    ("Local authority", r"\b(?:council|borough|county)\b|\bchildren's (?:services )?trust\b"),
)
_ORGANISATION_WORD = r"(?:[A-Z][\w'&.-]*|of|and|upon|on|in|the|for|&)"
_NAMED_IN_TEXT_RE = re.compile(
    rf"\b((?:NHS )?[A-Z][\w'&.-]*(?: {_ORGANISATION_WORD}){{0,7}}? "
    r"(?:Integrated Care Board|Clinical Commissioning Group|Police|Constabulary"
    r"|(?:City |County |Borough |District )?Council|Safeguarding Children Partnership"
    r"|Youth Justice Service|Probation Service))\b"
)
_ADDRESSEE_RE = re.compile(r"^[A-Z][^,]{1,60},(?: [^,]{1,80},){0,3} [^,]{2,120}$")
_NOT_A_PARTNER_RE = re.compile(r"\bofsted\b|\binspectorate\b|\bquality commission\b", re.I)


def partner_role(name: str) -> str:
    """The part an organisation plays in the partnership, told from its name."""
    for role, pattern in _ROLES:
        if re.search(pattern, name, re.I):
            return role
    return "Partner"


def jtai_partners(blocks: list[Block]) -> list[Partner]:
    """The partners a joint inspection names: its addressees, else those its text names."""
    partners = _addressed(blocks) or _named_in_text(blocks)
    unique: dict[str, Partner] = {}
    for partner in partners:
        unique.setdefault(partner.name.lower(), partner)
    return list(unique.values())


def _addressed(blocks: list[Block]) -> list[Partner]:
    """ "Name, Title, Organisation" lines before "Dear ...": the organisation of each."""
    found = []
    for block in blocks[:40]:
        if re.match(r"dear\b", block.text, re.I):
            break
        # An address is one addressee a printed line, even where the lines ran into a block.
        for line in [line.text for line in block.lines] or [block.text]:
            line = line.strip()
            if not _ADDRESSEE_RE.match(line):
                continue
            organisation = _organisation_in(line)
            if organisation:
                found.append(Partner(partner_role(organisation), organisation))
    return found


def _organisation_in(line: str) -> str | None:
    """The part of an addressee's line that names an organisation (the last, usually)."""
    for part in reversed([part.strip() for part in line.split(",")[1:]]):
        if partner_role(part) != "Partner" and not _is_a_title(part):
            return _trimmed(part)
    return None


def _is_a_title(part: str) -> bool:
    """ "Chief Constable" or "Director of Children's Services" names a post, not a body."""
    return bool(
        re.match(
            r"^(?:chief|director|head|chair|independent|interim|deputy|assistant|executive)\b",
            part,
            re.I,
        )
    ) and not re.search(r"\b(?:council|board|police|constabulary|service|partnership)$", part, re.I)


def _named_in_text(blocks: list[Block]) -> list[Partner]:
    found = []
    for block in blocks:
        for match in _NAMED_IN_TEXT_RE.finditer(block.text):
            name = _trimmed(match.group(1))
            if not _NOT_A_PARTNER_RE.search(name) and len(name.split()) >= 2:
                found.append(Partner(partner_role(name), name))
    return found


def _trimmed(name: str) -> str:
    name = re.sub(r"^(?:the|and|by|with|from)\s+", "", name.strip(" .;:"), flags=re.I)
    return " ".join(name.split())
