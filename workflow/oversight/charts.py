"""Geometry for the dashboard's stacked RAG bar charts (the templates draw; this measures).

Colours are GOV.UK's; every segment also has its count written on it when there is room,
and the legend names each colour, so no figure is told by colour alone. The same rows feed
the table beside each chart.
"""

from dataclasses import dataclass

from workflow.models import Rag
from workflow.oversight.dashboard import RagRow

# Narrow enough that text stays readable when the chart shrinks to a 320px screen (the
# SVG never grows past this); each label sits above its bar on the full width, wrapping.
WIDTH = 400
BAR_HEIGHT = 24
LINE_HEIGHT = 20  # 16px text
LABEL_CHARACTERS = 44  # what fits on one line of WIDTH at 16px
MAX_LABEL_LINES = 2
GAP = 14
LEGEND_HEIGHT = 36
MIN_LABELLED = 22  # narrower segments carry no number: it would not fit

# (fill, text colour) per RAG: both pairs pass WCAG AA contrast for text.
COLOURS = {
    Rag.RED: ("#d4351c", "#ffffff"),
    Rag.AMBER: ("#ffdd00", "#0b0c0c"),
    Rag.GREEN: ("#00703c", "#ffffff"),
    Rag.BLUE: ("#1d70b8", "#ffffff"),
}


@dataclass
class Segment:
    rag: Rag
    count: int
    x: float
    width: float

    @property
    def fill(self) -> str:
        return COLOURS[self.rag][0]

    @property
    def text_fill(self) -> str:
        return COLOURS[self.rag][1]

    @property
    def labelled(self) -> bool:
        return self.width >= MIN_LABELLED

    @property
    def middle(self) -> float:
        return self.x + self.width / 2


@dataclass
class Bar:
    label: str
    total: int
    y: float
    segments: list[Segment]
    label_lines: list[tuple[float, str]]  # y of each line's baseline, its text

    @property
    def end(self) -> float:
        return self.segments[-1].x + self.segments[-1].width if self.segments else 0


@dataclass
class LegendItem:
    rag: Rag
    x: float

    @property
    def fill(self) -> str:
        return COLOURS[self.rag][0]


@dataclass
class BarChart:
    width: int
    height: int
    bar_height: int
    bars: list[Bar]
    legend: list[LegendItem]
    legend_y: float


def stacked_bars(rows: list[RagRow]) -> BarChart:
    """One horizontal bar per row under its label, its RAG counts side by side, one scale."""
    largest = max((row.total for row in rows), default=0) or 1
    scale = (WIDTH - 40) / largest  # room after the longest bar for its total
    bars, y = [], float(LEGEND_HEIGHT)
    for row in rows:
        lines = label_lines(row.label)
        label_lines_at = [(y + LINE_HEIGHT * (i + 1) - 5, text) for i, text in enumerate(lines)]
        y += LINE_HEIGHT * len(lines)
        x, segments = 0.0, []
        for rag in Rag:
            count = row.counts.get(rag, 0)
            if count:
                segments.append(Segment(rag, count, x, count * scale))
                x += count * scale
        bars.append(Bar(row.label, row.total, y, segments, label_lines_at))
        y += BAR_HEIGHT + GAP
    legend = [LegendItem(rag, i * 95) for i, rag in enumerate(Rag)]
    return BarChart(WIDTH, round(y), BAR_HEIGHT, bars, legend, 8)


def label_lines(label: str) -> list[str]:
    """The label in lines that fit the chart's width, whole words, at most two (the table
    beside the chart, and each bar's title, give it whole)."""
    lines, words = [], label.split()
    while words and len(lines) < MAX_LABEL_LINES:
        line = words.pop(0)
        while words and len(f"{line} {words[0]}") <= LABEL_CHARACTERS:
            line = f"{line} {words.pop(0)}"
        lines.append(line[:LABEL_CHARACTERS])
    if words:
        lines[-1] = lines[-1][: LABEL_CHARACTERS - 1].rstrip() + "…"
    return lines
