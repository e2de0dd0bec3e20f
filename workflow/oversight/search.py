"""Search across an authority's actions, progress updates and evidence titles.

PostgreSQL matches with full-text search (``plainto_tsquery``: every word, stemmed) over
each record's stored, GIN-indexed search_vector (models/fulltext.py); SQLite, which has no
such thing, matches every word of the query as a case-insensitive substring. Both look only
at updates people may read: approved ones, and the searcher's own.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa

from workflow.extensions import db
from workflow.models import (
    Action,
    Evidence,
    ProgressUpdate,
    UpdateState,
    User,
)
from workflow.models.fulltext import LANGUAGE

MAX_WORDS = 12
# The text of each kind of record, as its search_vector is made of it (models/fulltext.py).
SEARCHED_TEXT = {
    Action: (Action.description, Action.measure_of_success),
    ProgressUpdate: (ProgressUpdate.narrative,),
    Evidence: (Evidence.title,),
}


@dataclass
class Hit:
    kind: str  # "action", "update" or "evidence"
    action_id: int
    update_id: int | None
    text: str


@dataclass
class Results:
    """One page of hits, shaped for the pagination component."""

    items: list[Hit]
    actions: dict[int, Action]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return -(-self.total // self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self) -> Iterator[int | None]:
        """The first, last and nearby pages, with None for each gap."""
        shown = {1, self.pages, *range(self.page - 2, self.page + 3)}
        previous = 0
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if number > previous + 1:
                yield None
            yield number
            previous = number


def search(user: User, text: str, page: int = 1, per_page: int = 20) -> Results:
    """Hits for the text in the user's authority, best first: three queries in all."""
    words = re.findall(r"\w+", text)[:MAX_WORDS]
    if not words:
        return Results([], {}, 0, 1, per_page)
    hits = _hits(user, " ".join(words), words).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(hits))
    rows = db.session.execute(
        sa.select(hits.c.kind, hits.c.action_id, hits.c.update_id, hits.c.text)
        .order_by(hits.c.rank.desc(), hits.c.kind, hits.c.action_id, hits.c.update_id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [Hit(*row) for row in rows]
    ids = {hit.action_id for hit in items}
    actions = db.session.scalars(sa.select(Action).where(Action.id.in_(ids))) if ids else []
    return Results(items, {a.id: a for a in actions}, total, page, per_page)


def _hits(user: User, text: str, words: list[str]) -> sa.CompoundSelect:
    """Each kind of record is matched in its own table, by its own authority and words (one
    index on PostgreSQL); only the updates and evidence readable by the user are kept."""
    readable = sa.or_(
        ProgressUpdate.state == UpdateState.APPROVED, ProgressUpdate.author_id == user.id
    )
    match, rank = _matcher(text, words)
    actions = sa.select(
        sa.literal("action").label("kind"),
        Action.id.label("action_id"),
        sa.null().label("update_id"),
        Action.description.label("text"),
        rank(Action),
    ).where(Action.authority_id == user.authority_id, match(Action))
    updates = sa.select(
        sa.literal("update"),
        ProgressUpdate.action_id,
        ProgressUpdate.id,
        ProgressUpdate.narrative,
        rank(ProgressUpdate),
    ).where(ProgressUpdate.authority_id == user.authority_id, readable, match(ProgressUpdate))
    evidence = (
        sa.select(
            sa.literal("evidence"),
            Evidence.action_id,
            Evidence.update_id,
            Evidence.title,
            rank(Evidence),
        )
        .join(Evidence.update)
        .where(
            Evidence.authority_id == user.authority_id,
            readable,
            Evidence.superseded_by_id.is_(None),
            match(Evidence),
        )
    )
    return sa.union_all(actions, updates, evidence)


def _matcher(text: str, words: list[str]):
    """(match(model), rank(model)) for this database."""
    if db.engine.dialect.name == "postgresql":
        query = sa.func.plainto_tsquery(LANGUAGE, text)

        def match(model):
            return model.search_vector.op("@@")(query)

        def rank(model):
            return sa.func.ts_rank(model.search_vector, query).label("rank")

        return match, rank
    patterns = [f"%{_escape_like(word)}%" for word in words]

    def match(model):
        # Every word, each in any of the columns the record's search_vector is made of.
        columns = SEARCHED_TEXT[model]
        return sa.and_(
            *(sa.or_(*(c.ilike(pattern, escape="\\") for c in columns)) for pattern in patterns)
        )

    def rank(model):
        return sa.literal(0.0).label("rank")

    return match, rank


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
