"""The personal-data check: what in a plan looks like a child's personal data.

Action plans are published, so before a version is issued everything the plan will contain
is scanned for identifiers. Each hit names where it is; the director edits the text or
confirms it is not personal data (a PrivacyClearance) before the plan can be issued.
The patterns lean towards flagging: a false alarm costs a click, a miss costs a child.
"""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from workflow.extensions import db
from workflow.models import Authority, Inspection, PrivacyClearance
from workflow.plans.builder import Plan

NHS_NUMBER = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
DATE = r"(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]+ \d{4})"
DATE_OF_BIRTH = re.compile(
    r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\s*:?\s*" + DATE, re.IGNORECASE
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
    education safeguarding partnership agency""",
    )
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
    return [
        Hit(kind, text, location, key)
        for location, key, value in _texts(snapshot)
        for kind, text in scan_text(value, authority)
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
    found = [("NHS number", m.group(0)) for m in NHS_NUMBER.finditer(text) if _nhs_valid(m)]
    found += [("Date of birth", m.group(0)) for m in DATE_OF_BIRTH.finditer(text)]
    found += [("Postcode", m.group(0)) for m in POSTCODE.finditer(text)]
    found += [("Phone number", m.group(0).strip()) for m in PHONE.finditer(text)]
    found += [
        ("Email address", m.group(0))
        for m in EMAIL.finditer(text)
        if not _council_domain(m.group(1), authority)
    ]
    found += [("Case or record number", ref) for ref in _case_references(text, authority)]
    found += [("Name near a word like ‘child’", name) for name in _child_names(text)]
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
        if first.lower() in NOT_NAMES or last.lower() in NOT_NAMES:
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
