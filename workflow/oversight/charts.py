"""Geometry for the dashboard's stacked RAG bar charts (the templates draw; this measures).

Colours are GOV.UK's; every segment also has its count written on it when there is room,
and the legend names each colour, so no figure is told by colour alone. The same rows feed
the table beside each chart.
"""

from dataclasses import dataclass

from workflow.models import Rag
from workflow.oversight.dashboard import RagRow

WIDTH = 640
LABEL_WIDTH = 250
BAR_HEIGHT = 24
GAP = 10
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

    @property
    def end(self) -> float:
        return self.segments[-1].x + self.segments[-1].width if self.segments else LABEL_WIDTH


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
    label_x: float = LABEL_WIDTH - 8  # labels end just before the bars start


def stacked_bars(rows: list[RagRow]) -> BarChart:
    """One horizontal bar per row, its RAG counts side by side, all on one scale."""
    largest = max((row.total for row in rows), default=0) or 1
    # Leave room after the longest bar for its total.
    scale = (WIDTH - LABEL_WIDTH - 40) / largest
    bars = []
    for index, row in enumerate(rows):
        x, segments = float(LABEL_WIDTH), []
        for rag in Rag:
            count = row.counts.get(rag, 0)
            if count:
                segments.append(Segment(rag, count, x, count * scale))
                x += count * scale
        bars.append(Bar(row.label, row.total, LEGEND_HEIGHT + index * (BAR_HEIGHT + GAP), segments))
    legend = [LegendItem(rag, LABEL_WIDTH + i * 90) for i, rag in enumerate(Rag)]
    height = LEGEND_HEIGHT + len(rows) * (BAR_HEIGHT + GAP)
    return BarChart(WIDTH, height, BAR_HEIGHT, bars, legend, 8)
