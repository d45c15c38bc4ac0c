"""Native Excel bar charts for the workbooks, drawn from the cells of their own sheet: an analyst
who edits a number in the sheet sees its bar follow. No Flask here.

A chart is anchored to two cells, its corners, not to a size in centimetres: Excel and
LibreOffice size rows and columns a little differently (and LibreOffice grows a row for a
Chinese font), and a chart held by cells grows with them instead of running into its neighbour.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, NumFmt, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.descriptors import Typed
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.utils import get_column_letter

from .charts import COLORS, COUNT_UNITS, MONEY_UNITS

FILL = {role: COLORS[role].lstrip("#").upper()
        for role in ("best", "baseline", "other", "better", "worse", "level")}
CHART_WIDTH = 88  # characters of column width a chart spans
CHART_COLUMNS, CHART_COLUMN_WIDTH = 8, 11  # on the columns given to charts alone
FRAME_ROWS = 8  # the rows a chart needs besides its bars: title, value axis and its title
TITLE_LINE = 48  # characters a line of a chart's title holds, about
# Numbers too long for a label (1800000000000): in millions, billions, trillions, as the web's
# charts write them (1.8T, $63M); each trailing comma of a format divides by 1,000.
_SCALES = ((1e12, "T", ",,,,"), (1e9, "B", ",,,"), (1e6, "M", ",,"))


@dataclass(frozen=True)
class Bars:
    """One bar chart of a sheet: a column of values against a column of labels, over the rows
    first_row … first_row + rows − 1 (1-based, as the sheet numbers them)."""

    title: str
    axis_title: str
    values: int  # the values' column, 1-based
    labels: int  # the models' column
    first_row: int
    rows: int
    best: tuple[int, ...] = ()  # the points (0-based, among the rows) coloured as the best
    baseline: int | None = None  # and the baseline's
    verdicts: tuple[str | None, ...] = ()  # or each point's against the baseline: better, …
    number_format: str | None = None  # the labels' and the axis's; None: as the cells print
    from_zero: bool = True  # the value axis starts at 0 (no value below it when written)


class _Labels(DataLabelList):
    """Data labels whose number format can be linked to the cells' (openpyxl's own takes only a
    format code, which would print 16.0 as 16)."""

    numFmt = Typed(expected_type=NumFmt, allow_none=True)  # type: ignore[assignment]
    # The metaclass lists only this class's own fields: take the others from the parent's.
    __elements__ = DataLabelList.__elements__
    __attrs__ = DataLabelList.__attrs__
    __nested__ = tuple(name for name in DataLabelList.__nested__ if name != "numFmt")


def bar_chart(sheet: Any, bars: Bars) -> BarChart:
    """A horizontal bar chart of `bars`: the first row at the top, not reported (an empty cell)
    drawn as no bar and no label, the best and the baseline in their colours, the others in
    one."""
    chart = BarChart()
    chart.type, chart.grouping, chart.varyColors, chart.gapWidth = "bar", "clustered", False, 40
    chart.title = bars.title
    chart.legend = None
    chart.display_blanks = "gap"
    chart.x_axis.scaling.orientation = "maxMin"  # categories top down, in the sheet's order
    chart.x_axis.tickLblSkip = 1  # every model named, however tight
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides axes otherwise
    chart.x_axis.tickLblPos = "low"  # model names at the edge, not at zero among the bars
    chart.y_axis.crosses = "max"  # the value axis below the last bar, not above the first
    chart.y_axis.title = bars.axis_title
    chart.y_axis.numFmt = NumFmt(bars.number_format or "General")  # 10, 20, not 10.0, 20.0
    if bars.from_zero:
        chart.y_axis.scaling.min = 0  # a bar's length is its value
    last = bars.first_row + max(bars.rows, 1) - 1
    series = Series(Reference(sheet, min_col=bars.values, min_row=bars.first_row, max_row=last))
    series.graphicalProperties = _fill(FILL["other"])
    series.invertIfNegative = False
    series.dPt = [_point(i, FILL["best"]) for i in bars.best if i != bars.baseline]
    if bars.baseline is not None:
        series.dPt.append(_point(bars.baseline, FILL["baseline"]))
    series.dPt += [_point(i, FILL[v]) for i, v in enumerate(bars.verdicts) if v in FILL]
    series.dPt.sort(key=lambda p: p.idx)
    linked = bars.number_format is None
    series.dLbls = _Labels(numFmt=NumFmt(bars.number_format or "General", sourceLinked=linked),
                           dLblPos="outEnd", showVal=True, showLegendKey=False,
                           showCatName=False, showSerName=False, showPercent=False)
    labels = Reference(sheet, min_col=bars.labels, min_row=bars.first_row, max_row=last)
    series.cat = AxDataSource(strRef=StrRef(f=str(labels)))  # text: openpyxl's is a numRef
    chart.series.append(series)
    return chart


def _fill(colour: str) -> GraphicalProperties:
    return GraphicalProperties(solidFill=colour, ln=LineProperties(noFill=True))


def _point(idx: int, colour: str) -> DataPoint:
    return DataPoint(idx=idx, invertIfNegative=False, spPr=_fill(colour))


def number_format(unit: str, values: Sequence[float | None]) -> str | None:
    """The labels' and axis's format for a metric's values: counts and money of a million or
    more in M, B and T (with $ for money); None, as the cells print them, for the rest."""
    largest = max((abs(v) for v in values if v is not None), default=0.0)
    if unit not in COUNT_UNITS + MONEY_UNITS or largest < 1e6:
        return None
    dollar = '"$"' if unit in MONEY_UNITS else ""
    # A format holds two conditions: the two largest scales the values reach, then the rest
    # (0 as 0, not 0.0M).
    scaled = [f'[>={size:.0f}]{dollar}0.0{commas}"{name}"'
              for size, name, commas in _SCALES if size <= largest][:2]
    return ";".join([*scaled, f"{dollar}#,##0"])


def from_zero(values: Sequence[float | None]) -> bool:
    return all(v is None or v >= 0 for v in values)


def chart_rows(bars: Bars) -> int:
    """How many sheet rows a chart takes: a bar and a bit each, its frame, its title's lines."""
    title_lines = math.ceil(text_width(bars.title) / TITLE_LINE)
    return math.ceil(1.25 * max(bars.rows, 2)) + FRAME_ROWS + title_lines


def text_width(text: str) -> int:
    """The column width `text` needs, in characters: a Chinese character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def place(chart: BarChart, column: int, row: int, columns: int, rows: int) -> None:
    """Anchor a chart by its corners: from (column, row), 1-based, `columns` wide and `rows`
    tall."""
    chart.anchor = TwoCellAnchor(  # type: ignore[assignment]  # openpyxl types it as str
        _from=AnchorMarker(col=column - 1, row=row - 1),
        to=AnchorMarker(col=column - 1 + columns, row=row - 1 + rows))


def columns_for(widths: Sequence[float]) -> int:
    """How many of these columns (their widths, left to right) a chart spans to be
    CHART_WIDTH wide; the width of the last is assumed for columns past the list."""
    total = 0.0
    for n, width in enumerate(widths, start=1):
        total += width
        if total >= CHART_WIDTH:
            return n
    return len(widths) + math.ceil((CHART_WIDTH - total) / (widths[-1] if widths else 8.43))


def size_columns(sheet: Any, first: int, charts_across: int) -> None:
    """Give the columns the charts stand on their width, a narrow gap column between charts."""
    for i in range(charts_across * (CHART_COLUMNS + 1)):
        gap = i % (CHART_COLUMNS + 1) == CHART_COLUMNS
        sheet.column_dimensions[get_column_letter(first + i)].width = (
            2 if gap else CHART_COLUMN_WIDTH)


def grid_of_charts(sheet: Any, charts: Sequence[Bars], column: int, row: int,
                   across: int = 2) -> None:
    """Add charts to a sheet `across` a row, left to right then down, from (column, row), on
    columns sized by size_columns; each row of charts as tall as its tallest, one empty row
    between rows of charts."""
    for start in range(0, len(charts), across):
        line = charts[start:start + across]
        rows = max(chart_rows(bars) for bars in line)
        for i, bars in enumerate(line):
            chart = bar_chart(sheet, bars)
            place(chart, column + i * (CHART_COLUMNS + 1), row, CHART_COLUMNS, rows)
            sheet.add_chart(chart)
        row += rows + 1
