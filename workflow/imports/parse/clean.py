"""Text repair shared by every input format.

Owns three things: character normalisation (typographic apostrophes and quotes become the
plain ' and " the seed text uses, odd spaces and ligatures are flattened), list-marker
recognition (the bullets and numbers Ofsted reports use), and re-joining lines that a PDF or a
pasted text broke mid-sentence, including words broken at a hyphen.

Line-end hyphens are kept by default: Ofsted's reports are not hyphenated by the typesetter,
so a line ending in "-" is nearly always a real compound ("high-" + "quality"). A hyphen is
only dropped when the document itself spells the joined word without it elsewhere
("implemen-" + "tation" when "implementation" appears in the text), and a space is kept after
a suspended hyphen ("16-" + "and 17-year-old").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u3000": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
        "\u2010": "-",
        "\u2011": "-",
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
    }
)

# Glyphs used as list bullets. The private-use code points are Wingdings/Symbol bullets as
# Word exports them to PDF (U+F0B7 is the round bullet, U+F0A7 the square).
BULLETS = "•◼▪■●◦○‣⁃➢►▸▶➤✓✔□–—*·-\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8\uf0e0\uf06e\uf071"

_BULLET_CLASS = "[" + re.escape(BULLETS) + "]"
_MARKER_RE = re.compile(
    r"^\s*(?:"
    r"(?P<bullet>" + _BULLET_CLASS + r"|[\uf000-\uf0ff]|\(cid:\d+\)|o(?=\s))"  # symbol fonts
    r"|(?P<num>\d{1,3})[.)](?!\d)"
    r"|\((?P<pnum>\d{1,3})\)"
    r"|\(?(?P<alpha>[a-h])\)"
    r"|\(?(?P<roman>i{1,3}|iv|v|vi{1,3}|ix|x)[.)]"
    # "10.Children ...": a two-digit number can fill the gap a PDF leaves after it.
    r")(?:\s+|(?<=\d\.)(?=[A-Z]))(?P<rest>\S.*)$",
    re.S,
)

_PRIVATE_USE_RE = re.compile(r"[\ue000-\uf8ff]|\(cid:\d+\)")
_SPACES_RE = re.compile(r"[ \t\r\n\f\v]+")
_WORD_RE = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_SUSPENDED_RE = re.compile(r"^(?:and|or|to|and/or|nor)\s")
_TERMINAL = ".?!"


def normalise_chars(text: str) -> str:
    """Flatten typographic characters to the plain forms the report's text should carry."""
    text = unicodedata.normalize("NFC", text).translate(_CHAR_MAP)
    # A soft hyphen only marks where a word may break; where it survives it is invisible.
    return text.replace("\u00ad", "")


def collapse_spaces(text: str) -> str:
    """One space between words, none at the ends."""
    return _SPACES_RE.sub(" ", text).strip()


def strip_private_use(text: str) -> str:
    """Drop glyphs that have no Unicode meaning (Wingdings bullets left inside a line)."""
    return _PRIVATE_USE_RE.sub("", text)


@dataclass(frozen=True)
class Marker:
    """The list marker a line starts with: a bullet glyph, a number or a letter."""

    kind: str  # "bullet", "number" or "letter"
    symbol: str
    number: int | None
    rest: str


def split_marker(text: str) -> Marker | None:
    """The line's leading list marker and the text after it, or None for plain text."""
    match = _MARKER_RE.match(text)
    if not match:
        return None
    rest = match.group("rest")
    if match.group("bullet"):
        symbol = match.group("bullet")
        if symbol.startswith("(cid:"):
            symbol = "\uf0b7"
        return Marker("bullet", symbol, None, rest)
    for group in ("num", "pnum"):
        if match.group(group):
            return Marker("number", group, int(match.group(group)), rest)
    letter = match.group("alpha") or match.group("roman")
    return Marker("letter", letter, None, rest)


def build_vocabulary(texts: Iterable[str]) -> tuple[set[str], set[str]]:
    """Words the document spells whole, and compounds it spells with a hyphen (lower case).

    The two halves of a word broken at a line end are left out, so that "implemen-" and
    "tation" do not count as words the document uses.
    """
    whole: set[str] = set()
    hyphenated: set[str] = set()
    broken = False
    for text in texts:
        words = _WORD_RE.findall(text)
        if broken and words:
            words = words[1:]
        broken = text.rstrip().endswith("-")
        if broken and words:
            words = words[:-1]
        for word in words:
            lowered = word.lower()
            if "-" in lowered:
                hyphenated.add(lowered)
                whole.update(lowered.split("-"))
            else:
                whole.add(lowered)
    return whole, hyphenated


def join_lines(parts: list[str], vocabulary: tuple[set[str], set[str]] | None = None) -> str:
    """Join the physical lines of one paragraph into one line of text."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        text = _join_pair(text, part, vocabulary) if text else part
    return collapse_spaces(text)


def _join_pair(left: str, right: str, vocabulary: tuple[set[str], set[str]] | None) -> str:
    if left.endswith("\u00ad"):
        return left[:-1] + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalnum():
        if _SUSPENDED_RE.match(right):
            return left + " " + right
        if vocabulary and _is_broken_word(left, right, vocabulary):
            return left[:-1] + right
        return left + right
    paragraph_range = left.endswith("\u2013") and left[-2:-1].isdigit() and right[:1].isdigit()
    if left.endswith("/") or paragraph_range:
        return left + right  # "and/or", a range of paragraphs "129–130"
    return left + " " + right


def _is_broken_word(left: str, right: str, vocabulary: tuple[set[str], set[str]]) -> bool:
    """True when "implemen-" + "tation" is one word split by the typesetter, not a compound:
    the document spells the joined word elsewhere, and never the hyphenated one."""
    head = re.search(r"([A-Za-z]+)-$", left)
    tail = re.match(r"([a-z]+)", right)
    if not head or not tail:
        return False
    whole, hyphenated = vocabulary
    first, second = head.group(1).lower(), tail.group(1)
    return first + second in whole and f"{first}-{second}" not in hyphenated


def ends_sentence(text: str) -> bool:
    """Whether the text ends a sentence (closing quotes and brackets aside)."""
    stripped = text.rstrip().rstrip("'\")]")
    return bool(stripped) and stripped[-1] in _TERMINAL
