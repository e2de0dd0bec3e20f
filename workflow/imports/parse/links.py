"""Evidence links: which numbered paragraphs support each recommendation.

Owns the ranking. Paragraphs the recommendation cites itself ("(paragraph 4)", "(paras. 121
and 122)") come first; the rest are the paragraphs closest in TF-IDF space (English stop
words removed, sublinear term frequency, words and word pairs, cosine similarity), kept only
when their score is meaningful: above a floor, and not far below the best match.

The same similarity matches a monitoring visit's areas to the recommendations of the
inspection it follows up (`best_matches`: confident only when one stands out) and finds the
letter's paragraphs about each area (`rank_passages`).

Two small aids make the vectors compare like with like: a light suffix stemmer ("records",
"recording" and "recorded" are one term) and acronym expansion, from the report's own
definitions ("multi-agency safeguarding hub (MASH)") and a short glossary of the acronyms
Ofsted leaves undefined (PEP, IRO, PA...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from workflow.imports.parse.sections import NumberedParagraph

MAX_LINKS = 3
MIN_SCORE = 0.05
MIN_SHARE_OF_BEST = 0.4
# A match taken without asking: similar enough, and well ahead of the next candidate.
CONFIDENT_SCORE = 0.2
CONFIDENT_LEAD = 1.5

GLOSSARY = {
    "PEP": "personal education plan",
    "PEPs": "personal education plans",
    "IRO": "independent reviewing officer",
    "IROs": "independent reviewing officers",
    "MASH": "multi-agency safeguarding hub",
    "PA": "personal adviser",
    "PAs": "personal advisers",
    "CSE": "child sexual exploitation",
    "CME": "children missing education",
    "EHE": "elective home education",
    "EET": "education, employment or training",
    "NEET": "not in education, employment or training",
    "UASC": "unaccompanied asylum-seeking children",
    "PLO": "Public Law Outline",
    "LADO": "local authority designated officer",
    "SGO": "special guardianship order",
    "SEND": "special educational needs and disabilities",
    "EHCP": "education, health and care plan",
}

_CITED_RE = re.compile(
    r"\b(?:paras?\.?|paragraphs?)\s+(\d{1,3}(?:\s*(?:,|and|&|–|-|to)\s*\d{1,3})*)", re.I
)
_CROSS_REFERENCE_RE = re.compile(
    r"\((?:[^()]*\bnational framework|paras?\.?\s*\d[^()]*|paragraphs?\s+\d[^()]*)\)", re.I
)
_DEFINITION_RE = re.compile(r"((?:[A-Za-z][\w'-]* ){1,7})\(([A-Z][A-Za-z]{1,7})\)")
_TOKEN_RE = re.compile(r"[a-z][a-z0-9]+")


def cited_paragraphs(text: str) -> list[int]:
    """Paragraph numbers a recommendation cites, ranges expanded, in the order cited."""
    numbers: list[int] = []
    for match in _CITED_RE.finditer(text):
        for first, dash, last in re.findall(r"(\d+)(?:\s*(–|-|to)\s*(\d+))?", match.group(1)):
            span = range(int(first), int(last) + 1) if dash and last else [int(first)]
            numbers.extend(n for n in span if n not in numbers)
    return numbers


def link_evidence(
    texts: list[str], scopes: list[bool], paragraphs: list[NumberedParagraph]
) -> list[list[int]]:
    """For each recommendation, up to three paragraph numbers, best evidence first.

    `scopes` says per recommendation whether it is the LSCB's; it is matched against the
    paragraphs of its own part of the report when that part has any.
    """
    acronyms = _acronyms([p.text for p in paragraphs] + texts)
    known = {p.number for p in paragraphs}
    links: list[list[int]] = []
    for text, lscb in zip(texts, scopes, strict=True):
        pool = [p for p in paragraphs if p.lscb == lscb] or paragraphs
        cited = [n for n in cited_paragraphs(text) if n in known][:MAX_LINKS]
        ranked = [n for n in _ranked(text, pool, acronyms) if n not in cited]
        links.append(cited + ranked[: MAX_LINKS - len(cited)])
    return links


def _ranked(text: str, pool: list[NumberedParagraph], acronyms: dict[str, str]) -> list[int]:
    if not pool:
        return []
    query = _CROSS_REFERENCE_RE.sub(" ", text)  # "(outcome 1, national framework)" is no evidence
    scores = similarities([query], [p.text for p in pool], acronyms)[0]
    order = sorted(range(len(pool)), key=lambda i: (-scores[i], pool[i].number))
    return [pool[i].number for i in order if _meaningful(scores[i], scores[order[0]])]


def _meaningful(score: float, best: float) -> bool:
    return score >= MIN_SCORE and score >= MIN_SHARE_OF_BEST * best


def similarities(
    queries: list[str], passages: list[str], acronyms: dict[str, str] | None = None
) -> list[list[float]]:
    """For each query, its TF-IDF cosine similarity to each passage (0 to 1)."""
    if not queries or not passages:
        return [[0.0] * len(passages) for _ in queries]
    acronyms = acronyms if acronyms is not None else _acronyms(passages + queries)
    # scikit-learn is heavy: loaded on the first parse, not when a web worker starts.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    documents = [_expand(text, acronyms) for text in passages + queries]
    vectorizer = TfidfVectorizer(
        tokenizer=_terms, token_pattern=None, lowercase=True, sublinear_tf=True, ngram_range=(1, 2)
    )
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError:  # nothing but stop words: nothing can be scored
        return [[0.0] * len(passages) for _ in queries]
    scores = linear_kernel(matrix[len(passages) :], matrix[: len(passages)])
    return [[float(score) for score in row] for row in scores]


def rank_passages(queries: list[str], passages: list[str]) -> list[list[int]]:
    """For each query, the passages (by index) that speak of it, closest first."""
    ranked = []
    for scores in similarities(queries, passages):
        order = sorted(range(len(passages)), key=lambda i: (-scores[i], i))
        ranked.append([i for i in order if _meaningful(scores[i], scores[order[0]])])
    return ranked


@dataclass(frozen=True)
class Match:
    """The candidate closest to a text, and whether it is close enough to take unasked."""

    index: int | None
    score: float
    confident: bool


def best_matches(texts: list[str], candidates: list[str]) -> list[Match]:
    """For each text, the candidate it is about: confident when clearly closer than the rest.

    A monitoring visit words an area of concern its own way ("the response to children who
    go missing"), never the recommendation's exact words: one candidate must stand out.
    """
    matches = []
    for scores in similarities(texts, candidates):
        order = sorted(range(len(candidates)), key=lambda i: -scores[i])
        if not order or scores[order[0]] < MIN_SCORE:
            matches.append(Match(None, 0.0, False))
            continue
        best = scores[order[0]]
        runner_up = scores[order[1]] if len(order) > 1 else 0.0
        confident = best >= CONFIDENT_SCORE and best >= CONFIDENT_LEAD * runner_up
        matches.append(Match(order[0], round(best, 3), confident))
    return matches


def _acronyms(texts: list[str]) -> dict[str, str]:
    """Acronym -> long form, from the glossary and the report's own "long form (ACR)"."""
    found = dict(GLOSSARY)
    for text in texts:
        for words, acronym in _DEFINITION_RE.findall(text):
            if acronym.isupper() or acronym[:-1].isupper():
                long_form = _long_form(words.split(), acronym.rstrip("s"))
                if long_form:
                    found.setdefault(acronym, long_form)
    return found


def _long_form(words: list[str], acronym: str) -> str | None:
    """The last words whose initials (hyphenated parts counted) spell the acronym."""
    for start in range(len(words) - 1, -1, -1):
        candidate = words[start:]
        initials = "".join(part[0] for word in candidate for part in word.split("-") if part)
        if initials.lower() == acronym.lower():
            return " ".join(candidate)
    return None


def _expand(text: str, acronyms: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        stem = word[:-2] if word.endswith("'s") else word
        return f"{word} {acronyms[stem]}" if stem in acronyms else word

    return re.sub(r"\b[A-Z][A-Za-z]{1,6}(?:'s)?\b", replace, text)


@lru_cache(maxsize=4096)
def _terms(text: str) -> list[str]:
    """Lower-case words, stop words dropped, common English suffixes trimmed (remembered:
    each paragraph is scored against every recommendation of its report)."""
    stop_words = _stop_words()
    return [_stem(word) for word in _TOKEN_RE.findall(text) if word not in stop_words]


@cache
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    for suffix, replacement, keep in (
        ("ies", "y", 3),
        ("sses", "ss", 3),
        ("ings", "", 4),
        ("ing", "", 4),
        ("ed", "", 4),
        ("s", "", 3),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)] + replacement
    return word
