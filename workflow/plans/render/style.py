"""House style shared by the renderers: fonts, RAG colours and how dates are written."""

from datetime import date
from decimal import Decimal

from workflow.models import Rag

FONT = "Arial"
# GOV.UK tag colours: each text colour on its fill meets WCAG AA contrast.
RAG_FILLS = {Rag.RED: "F4CDC6", Rag.AMBER: "FFF7BF", Rag.GREEN: "CCE2D8", Rag.BLUE: "BBD4EA"}
RAG_TEXT = {Rag.RED: "2A0B06", Rag.AMBER: "594D00", Rag.GREEN: "005A30", Rag.BLUE: "0C2D4A"}


def long_date(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def short_date(value: date | None) -> str:
    return f"{value:%-d %b %Y}" if value else ""


def number(value: Decimal) -> str:
    """40.0000 (as stored) reads 40, and 77.5000 reads 77.5."""
    return f"{value.normalize():f}"


def month_year(value: date | None) -> str:
    return f"{value:%B %Y}" if value else ""
