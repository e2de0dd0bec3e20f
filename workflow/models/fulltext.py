"""Full-text search: the indexed documents of actions, updates and evidence.

On PostgreSQL each searched column is indexed as ``to_tsvector('english', column)`` with
GIN, and search.py queries the very same expression so the planner can use the index.
SQLite searches with LIKE, which no index helps: there the indexes exist in name only,
empty (``WHERE 0``), so both backends have the schema the models describe.
"""

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from workflow.models.action import Action
from workflow.models.evidence import Evidence
from workflow.models.update import ProgressUpdate

LANGUAGE = "english"


class search_document(FunctionElement):  # noqa: N801  (named like the SQL function it is)
    """One text column as a search document: a tsvector on PostgreSQL, the column elsewhere."""

    inherit_cache = True
    name = "search_document"


@compiles(search_document)
def _plain_column(element, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(search_document, "postgresql")
def _tsvector(element, compiler, **kw) -> str:
    return f"to_tsvector('{LANGUAGE}', {compiler.process(element.clauses, **kw)})"


# The text each kind of record is searched by; one index per column.
SEARCHED_COLUMNS = {
    "action": (Action.description, Action.measure_of_success),
    "update": (ProgressUpdate.narrative,),
    "evidence": (Evidence.title,),
}

SEARCH_INDEXES = [
    sa.Index(
        f"ix_{column.table.name}_{column.name}_search",
        search_document(column),
        postgresql_using="gin",
        sqlite_where=sa.false(),
    )
    for columns in SEARCHED_COLUMNS.values()
    for column in columns
]
