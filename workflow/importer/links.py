"""Evidence links: which numbered paragraphs support each recommendation.

Owns the ranking. Paragraphs the recommendation cites itself ("(paragraph 4)", "(paras. 121
and 122)") come first; the rest are the paragraphs closest in TF-IDF space (English stop
words removed, sublinear term frequency, words and word pairs, cosine similarity), kept only
when their score is meaningful: above a floor, and not far below the best match.
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from workflow.importer.sections import NumberedParagraph

MAX_LINKS = 3
MIN_SCORE = 0.06
MIN_SHARE_OF_BEST = 0.4

_CITED_RE = re.compile(
    r"\b(?:paras?\.?|paragraphs?)\s+(\d{1,3}(?:\s*(?:,|and|&|–|-|to)\s*\d{1,3})*)", re.I
)


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
    links: list[list[int]] = []
    for text, lscb in zip(texts, scopes, strict=True):
        pool = [p for p in paragraphs if p.lscb == lscb] or paragraphs
        known = {p.number for p in paragraphs}
        cited = [n for n in cited_paragraphs(text) if n in known][:MAX_LINKS]
        ranked = [n for n in _ranked(text, pool) if n not in cited]
        links.append(cited + ranked[: MAX_LINKS - len(cited)])
    return links


def _ranked(text: str, pool: list[NumberedParagraph]) -> list[int]:
    if not pool:
        return []
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 2))
    try:
        matrix = vectorizer.fit_transform([p.text for p in pool] + [text])
    except ValueError:  # nothing but stop words: no evidence can be scored
        return []
    scores = linear_kernel(matrix[-1], matrix[:-1]).ravel()
    order = sorted(range(len(pool)), key=lambda i: (-scores[i], pool[i].number))
    best = scores[order[0]] if order else 0.0
    return [
        pool[i].number
        for i in order
        if scores[i] >= MIN_SCORE and scores[i] >= MIN_SHARE_OF_BEST * best
    ]
