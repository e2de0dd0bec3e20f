"""Short names that tell records apart where room is short: chart labels, calendar events.

A recommendation's short name is the one its administrator gave it, or else the first words
of its text; an inspection's is its kind and month; an authority's drops "Council", "City
of" and the like. None of them stands for the record where there is room for the whole.
"""

import re
from datetime import date

SHORT_NAME_LENGTH = 40

KIND_SHORT_NAMES = {
    "ilacs_standard": "ILACS",
    "ilacs_short": "ILACS",
    "focused_visit": "Focused visit",
    "jtai": "JTAI",
    "sif": "SIF",
    "monitoring_visit": "Monitoring visit",
}

_AUTHORITY_WORDS = re.compile(
    r"^(the\s+)?((royal|london|metropolitan)\s+)?((borough|city|county|district)\s+)"
    r"(council\s+)?of\s+|\s+((metropolitan\s+)?(borough|city|county|district)\s+)?council$",
    re.IGNORECASE,
)


def first_words(text: str, limit: int = SHORT_NAME_LENGTH) -> str:
    """As many whole words of the text as fit in limit characters, with … when cut short."""
    words = text.split()
    kept = ""
    for word in words:
        longer = f"{kept} {word}".strip()
        if len(longer) > limit:
            return (kept.rstrip(",;:.") or word[: limit - 1]) + "…"
        kept = longer
    return kept


def inspection_short_title(kind: str, start: date) -> str:
    """'ILACS Mar 2022': enough to tell an authority's inspections apart on a chart."""
    return f"{KIND_SHORT_NAMES[kind]} {start:%b %Y}"


def authority_short_name(name: str) -> str:
    """'City of Wolverhampton Council' -> 'Wolverhampton'; names without those words stay."""
    return _AUTHORITY_WORDS.sub("", name.strip()).strip() or name
