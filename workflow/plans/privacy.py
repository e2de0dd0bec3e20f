"""The personal-data check: what in a plan looks like a child's personal data.

Action plans are published, so before a version is issued everything the plan will contain
is scanned for identifiers. Each hit names where it is; the director edits the text or
confirms it is not personal data (a PrivacyClearance) before the plan can be issued. The
same check warns the author of an update when it is submitted and its reviewer when it is
approved. The patterns lean towards flagging: a false alarm costs a click, a miss costs a
child. bench/privacy.py measures recall and precision on a labelled set of sentences.

People's names come from a gazetteer shipped inside a package (the `names` package's first
names and surnames from the US census, which covers most British names) and from the
authority's own staff; UK phone numbers from `phonenumbers`; full British addresses from
`pyap`, and a house number and street from our own pattern. Nothing is downloaded.
"""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from workflow.extensions import db
from workflow.models import Authority, Inspection, PrivacyClearance, User
from workflow.plans.builder import Plan

NHS_NUMBER = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
DATE = r"(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]+ \d{4})"
DATE_OF_BIRTH = re.compile(
    r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)(?:\s+(?:is|was))?\s*:?\s*" + DATE,
    re.IGNORECASE,
)
POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b")
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}(?!\d)")
EMAIL = re.compile(r"\b[\w.+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\b")
NAME = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?) ([A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?)\b")
CHILD_WORDS = re.compile(
    r"\b(child|children|young (?:person|people)|baby|infant|pupil|care leaver|"
    r"sibling|son|daughter|girl|boy|teenager)\b",
    re.IGNORECASE,
)
# Capitalised pairs that are services, places or titles in council writing, not people.
NOT_NAMES = frozenset(
    re.findall(
        r"\w+",
        """a all an and any as at board by care child children council court east every
    family for force from group head health his her hub in into local midlands mr mrs ms
    miss new north of on our police school schools service services social south team
    the their this trust virtual west with year young january february march april may june
    july august september october november december monday tuesday wednesday thursday
    friday saturday sunday corporate parenting panel unit centre center authority
    education safeguarding partnership agency people person virtual school learning
    early help front door multi agency hub mash adoption fostering foster carers carer
    leavers leaver pathway plan plans personal adviser advisers independent reviewing
    officer officers chair director directors lead member cabinet scrutiny committee ofsted
    inspection inspectors judgement good outstanding requires improvement inadequate ilacs
    children's young's missing exploitation return home interview interviews
    strategy meeting meetings conference conferences protection child's looked after
    health visitor visitors nurse designated virtual head teacher teachers principal
    academy college university nhs trust hospital clinic practice practitioner
    practitioners manager managers worker workers social work signs safety restorative
    quality assurance audit audits improvement programme project review reviews
    west midlands black country birmingham wolverhampton sandwell dudley walsall
    coventry telford wrekin cheshire torbay herefordshire shropshire staffordshire london
    manchester leeds bristol kent essex surrey devon cornwall lancashire yorkshire
    central city county borough metropolitan district royal st saint upper lower great
    little grange lodge house home homes residential respite short breaks
    family hubs sure start children's centre centres youth offending justice
    court courts magistrates family drug alcohol domestic abuse mental wellbeing
    camhs send sen senco ehcp pep peps designated teacher performance data
    dashboard report reports update updates summary note notes minutes
    monthly weekly quarterly annual termly daily term spring summer autumn winter
    christmas easter day days week weeks
    action actions measure measures target targets baseline success
    training induction recruitment retention workforce caseload caseloads
    policy procedure procedures protocol guidance standard standards
    placement placements sufficiency commissioning contract provider providers
    edge neglect toolkit graded care profile""",
    )
)
# Popular first names in England and Wales since 2000 that the census list lacks.
MODERN_FIRST_NAMES = frozenset(
    re.findall(
        r"\w+",
        """alfie isla freya niamh zara poppy maisie evie harley kai riley callum kayden mohammed
    muhammad mohammad ayesha aisha fatima amara imogen tegan kacey kian keira lacey macy
    millie mollie nevaeh phoebe sienna tia tyler tyla caitlin chantelle jayden jaiden
    brandon bradley declan kieran liam connor owen ellis elliot elliott finley finlay
    harvey jenson leo logan mason noah oscar reuben rhys ryan theo toby zac zachary zak
    archie arlo ava bella daisy ellie ella eliza esme evelyn harper ivy lola luna mia
    orla rosie skye willow aria aimee amelie anya ayla bethany chloe courtney demi ebony
    eden hollie jade jodie kayla leah lexi libby lucie maddison megan nadia paige rhiannon
    ruby shannon shauna sophia summer tilly yasmin zainab zoe aaron ahmed ali amir ayaan
    bilal dylan ethan hamza harris ibrahim jake kyle lewis omar rayan rohan sami yusuf""",
    )
)
# The last word of a place, never of a person ("Victoria Park", "Park Lane").
PLACE_WORDS = frozenset(
    re.findall(
        r"\w+",
        """street st road rd avenue ave lane ln close drive way crescent grove place gardens
    court terrace walk rise row square mews hill view parade green park vale meadow
    meadows fold croft chase gate boulevard bridge estate house lodge centre center school
    academy college surgery clinic hospital library church chapel""",
    )
)
# Words a name is often preceded by in records about people, which make a lone surname a name.
TITLES = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.? ([A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?)\b")
STREET_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Cres|Grove|Place|Pl|"
    "Gardens|Court|Ct|Terrace|Walk|Rise|Row|Square|Sq|Mews|Hill|View|Parade|Green|Park|"
    "Vale|Meadow|Meadows|Fold|Croft|Chase|Wynd|Gate|Boulevard"
)
STREET = re.compile(
    rf"\b(?:Flat \d+[A-Z]?,? )?\d{{1,4}}[A-Za-z]?,? (?:[A-Z][a-z]+ ){{1,3}}(?:{STREET_TYPES})\b"
)
NEAR = 40  # characters either side of a name in which a word like "child" counts


@dataclass(frozen=True)
class Hit:
    kind: str
    text: str
    location: str
    key: str  # stable: which record and field, not how it is labelled today

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(f"{self.key}\x1f{self.text}".encode()).hexdigest()


def scan_plan(plan: Plan, authority: Authority) -> list[Hit]:
    """Every hit in every piece of text the plan carries, in the plan's order."""
    return scan_snapshot(plan.snapshot(), authority)


def scan_snapshot(snapshot: dict[str, Any], authority: Authority) -> list[Hit]:
    """scan_plan() for a plan frozen as a snapshot (an issued version)."""
    scanner = Scanner(authority)
    return [
        Hit(kind, text, location, key)
        for location, key, value in _texts(snapshot)
        for kind, text in scanner.scan(value)
    ]


def outstanding_hits(plan: Plan, inspection: Inspection) -> list[Hit]:
    """The hits nobody has yet confirmed are not personal data."""
    return outstanding_snapshot_hits(plan.snapshot(), inspection)


def outstanding_snapshot_hits(snapshot: dict[str, Any], inspection: Inspection) -> list[Hit]:
    cleared = set(
        db.session.scalars(
            sa.select(PrivacyClearance.fingerprint).where(
                PrivacyClearance.inspection_id == inspection.id
            )
        )
    )
    hits = scan_snapshot(snapshot, inspection.authority)
    return [hit for hit in hits if hit.fingerprint not in cleared]


def scan_text(text: str, authority: Authority) -> list[tuple[str, str]]:
    """(kind, matched text) for each identifier-like thing in one piece of text."""
    return Scanner(authority).scan(text)


class Scanner:
    """The check for one authority: its email domain, case numbers and staff names."""

    def __init__(self, authority: Authority, staff: set[str] | None = None):
        self.authority = authority
        self.staff = staff if staff is not None else _staff_names(authority)

    def scan(self, text: str) -> list[tuple[str, str]]:
        if not text:
            return []
        found = [("NHS number", m.group(0)) for m in NHS_NUMBER.finditer(text) if _nhs_valid(m)]
        found += [("Date of birth", m.group(0)) for m in DATE_OF_BIRTH.finditer(text)]
        found += [("Postcode", m.group(0)) for m in POSTCODE.finditer(text)]
        found += [("Phone number", number) for number in _phone_numbers(text)]
        found += [
            ("Email address", m.group(0))
            for m in EMAIL.finditer(text)
            if not _council_domain(m.group(1), self.authority)
        ]
        found += [("Case or record number", ref) for ref in _case_references(text, self.authority)]
        found += [("Street address", address) for address in _addresses(text)]
        names = _names(text, self.staff)
        found += [("Person's name", name) for name in names]
        found += [
            ("Name near a word like ‘child’", name)
            for name in _child_names(text)
            if name not in names
        ]
        return _without_repeats(found)


def _without_repeats(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each matched text once: an NHS number is not also a phone number."""
    seen: set[str] = set()
    kept = []
    for kind, text in found:
        if text in seen or any(text in other for other in seen if kind == "Phone number"):
            continue
        seen.add(text)
        kept.append((kind, text))
    return kept


def _staff_names(authority: Authority) -> set[str]:
    if authority.id is None:
        return set()
    names = db.session.scalars(sa.select(User.name).where(User.authority_id == authority.id))
    return {name.strip() for name in names if name and " " in name.strip()}


def _phone_numbers(text: str) -> list[str]:
    import phonenumbers

    found = [m.group(0).strip() for m in PHONE.finditer(text)]
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    # A UK number is dialled from 0 or +44 with 10 or 11 digits: shorter matches are years,
    # counts and short codes, and ten digits with neither are an NHS number's shape.
    found += [
        m.raw_string.strip()
        for m in matcher
        if _dialled_in_the_uk(re.sub(r"\D", "", m.raw_string)) and not _is_date_like(m.raw_string)
    ]
    return list(dict.fromkeys(found))


def _dialled_in_the_uk(digits: str) -> bool:
    return len(digits) >= 10 and digits.startswith(("0", "44"))


def _is_date_like(value: str) -> bool:
    return bool(re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", value.strip()))


def _addresses(text: str) -> list[str]:
    import pyap

    found = [m.group(0) for m in STREET.finditer(text) if not _is_figure(m.group(0))]
    for address in pyap.parse(text, country="GB"):
        full = str(address).strip()
        if not any(part in full or full in part for part in found):
            found.append(full)
    return found


AMBIGUOUS_STREETS = {"park", "green", "hill", "view", "court", "gate", "row", "walk", "place"}


def _is_figure(match: str) -> bool:
    """'3 Family Court' or '12 Youth Park' are counts of things, not addresses."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", match)]
    return words[-1] in AMBIGUOUS_STREETS and all(w in NOT_NAMES for w in words[:-1])


@cache
def _gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames), lower case, from the files the `names` package ships."""
    import names

    folder = Path(names.__file__).parent

    def read(*files: str) -> frozenset[str]:
        words: set[str] = set()
        for file in files:
            for line in (folder / file).read_text().splitlines():
                if line.strip():
                    words.add(line.split()[0].lower())
        return frozenset(words)

    # A first name that is also a word of council writing ("Young", "Will") never starts a
    # name; the surname may be one ("Katie Young", "Dylan Foster"): the pair decides.
    first = (read("dist.male.first", "dist.female.first") | MODERN_FIRST_NAMES) - NOT_NAMES
    return first, read("dist.all.last") - PLACE_WORDS


# Every pair of capitalised words, overlapping: "Carer Janet Stevens" holds "Janet Stevens".
NAME_PAIRS = re.compile(
    r"(?=\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?) ([A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?)\b)"
)


def _names(text: str, staff: set[str]) -> list[str]:
    first_names, surnames = _gazetteer()
    found = [name for name in staff if name in text]
    for match in NAME_PAIRS.finditer(text):
        first, last = match.group(1), match.group(2)
        surname = re.sub(r"['’]s$", "", last).lower()
        name = f"{first} {last}"
        if first.lower() in first_names and surname in surnames and name not in found:
            found.append(name)
    for match in TITLES.finditer(text):
        if match.group(1).lower() not in NOT_NAMES and match.group(0) not in found:
            found.append(match.group(0))
    return found


def _nhs_valid(match: re.Match) -> bool:
    """The NHS number's modulus 11 check digit, so ordinary 10-digit numbers pass."""
    digits = [int(d) for d in "".join(match.groups())]
    remainder = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 11 - remainder
    if check == 11:
        check = 0
    return check != 10 and check == digits[9]


def _council_domain(domain: str, authority: Authority) -> bool:
    own = (authority.email_domain or "").lower()
    domain = domain.lower()
    return bool(own) and (domain == own or domain.endswith("." + own))


def _case_references(text: str, authority: Authority) -> list[str]:
    if not authority.case_reference_pattern:
        return []
    try:
        pattern = re.compile(authority.case_reference_pattern)
    except re.error:
        return []  # a bad pattern is the settings page's problem, not the plan's
    return [m.group(0) for m in pattern.finditer(text) if m.group(0)]


def _child_names(text: str) -> list[str]:
    names = []
    for match in NAME.finditer(text):
        first, last = match.group(1), match.group(2)
        if first.lower() in NOT_NAMES or last.lower() in NOT_NAMES | PLACE_WORDS:
            continue
        around = text[max(0, match.start() - NEAR) : match.end() + NEAR]
        if CHILD_WORDS.search(around):
            names.append(match.group(0))
    return names


def _texts(snapshot: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(where, stable key, text) for everything the plan will publish."""
    yield "Introduction", "introduction", snapshot.get("introduction") or ""
    for r in snapshot["recommendations"]:
        yield f"Recommendation {r['number']}", f"recommendation:{r['number']}:text", r["text"]
        for a in r["actions"]:
            where, key = f"Action {a['reference']}", f"action:{a['id']}"
            yield f"{where}: action", f"{key}:description", a["description"]
            yield f"{where}: measure of success", f"{key}:measure", a["measure_of_success"]
            yield f"{where}: latest progress update", f"{key}:progress", a["progress"]
            for e in a["evidence"]:
                yield f"{where}: evidence ‘{e['title']}’", f"{key}:evidence", e["title"]
            for m in a["measures"]:
                yield f"{where}: measure ‘{m['name']}’", f"{key}:measure-name", m["name"]


def update_hits(update) -> list[tuple[str, str]]:
    """(kind, text) in a progress update's narrative and evidence titles: the warning its
    author answers on submitting and its reviewer on approving."""
    scanner = Scanner(update.action.recommendation.inspection.authority)
    texts = [update.narrative or "", *(item.title for item in update.evidence)]
    found: list[tuple[str, str]] = []
    for text in texts:
        found += [hit for hit in scanner.scan(text) if hit not in found]
    return found


def describe_hits(hits: list[tuple[str, str]]) -> str:
    """'“Karen Jones” (person's name), “07700 900123” (phone number)'."""

    def lower(kind: str) -> str:  # "NHS number" keeps its capitals
        return kind if kind[:2].isupper() else kind[0].lower() + kind[1:]

    return ", ".join(f"“{text}” ({lower(kind)})" for kind, text in hits)
