"""Slides an analyst can edit: native PowerPoint charts (the data inside the chart, right-click →
Edit Data) and tables, drawn with python-pptx from the same objects the pages render: a chart's
Plot (charts.py) and a grid's View (view.py). No Flask here but its translations (flask_babel):
a deck's words are in the request's language.

A deck takes its masters, layouts, theme colours and fonts from a house template when one is
configured (LEADERBOARD_SLIDE_TEMPLATE), else from python-pptx's own; the charts and tables leave
colours and fonts to the theme except where a colour means something (best, baseline, better,
worse, a heatmap's scores).
"""

from __future__ import annotations

import hashlib
import io
import math
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from flask_babel import gettext as _
from pptx import Presentation
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.chart.xlsx import CategoryWorkbookWriter, XyWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Inches, Pt
from xlsxwriter import Workbook  # type: ignore[import-untyped]  # python-pptx's, no types

from . import workbooks
from .charts import (
    CALENDAR_UNITS,
    CHART_ROWS,
    COLORS,
    LIGHT,
    MONEY_UNITS,
    ON_DARK,
    ON_LIGHT,
    PRICE_UNITS,
    Plot,
    grid_title,
    source_line,
    verdicts,
)
from .data import PLAIN_NUMBER
from .i18n import name as name_of
from .i18n import unit_name
from .view import View, signed

SIZES = {"16:9": (Inches(13.333), Inches(7.5)), "4:3": (Inches(10), Inches(7.5))}
# Vega's "greens" scheme, which the heatmap picture uses: a score of 0 is the first, 100 the last.
GREENS = ("f7fcf5", "e5f5e0", "c7e9c0", "a1d99b", "74c476", "41ab5d", "238b45", "006d2c",
          "00441b")
MUTED = RGBColor.from_string(LIGHT["muted"][1:])
BASELINE_FILL = RGBColor.from_string("fbf0d9")  # the baseline's row in a table
EMPTY_FILL = RGBColor.from_string(LIGHT["empty"][1:])
STAR, CONFLICT = "★", "⚠"
FOOT = Inches(0.5)  # the source line's band at a slide's foot
NICE = (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)  # a diff axis's reach, in %
COMPARE_BARS = 24  # the most bars a compare slide has
RANK_WIDTH, VALUE_WIDTH, WIDE_VALUE = Inches(0.65), Inches(1.05), Inches(1.5)  # table columns
TEXT = Pt(11)  # a table's text
VERDICT_MARKS = {"better": "✓", "worse": "✗", "level": "="}


@dataclass(frozen=True)
class Template:
    """The house template decks start from (its bytes; None: the built-in look), and its
    digest, which keys the decks cached from it."""

    data: bytes | None = None
    digest: str = ""


class TemplateError(ValueError):
    """A house template that cannot make decks: not found, not a .pptx, or no layout with a
    title."""


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#"))


def load_template(path: str | None) -> Template:
    """Read and check a house template, the file every deck starts from (no path: the built-in
    look). Raise TemplateError naming the file and what is wrong with it."""
    if not path:
        return Template()
    where = f"LEADERBOARD_SLIDE_TEMPLATE={path}"
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise TemplateError(f"{where}: cannot read the slide template ({e.strerror}).") from e
    try:
        prs = Presentation(io.BytesIO(data))
    except Exception as e:  # python-pptx fails on a damaged file in many ways
        why = ("it is a template (.potx): open it and save it as a presentation (.pptx)"
               if "template.main+xml" in str(e) else type(e).__name__)
        raise TemplateError(f"{where}: not a PowerPoint file (.pptx): {why}.") from e
    if _layout(prs, {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}) is None:
        raise TemplateError(f"{where}: none of its slide layouts has a title placeholder; "
                            "a deck needs one for its slide titles.")
    return Template(data, hashlib.sha256(data).hexdigest())


def _layout(prs, titles: set, without_body: bool = False):
    """The first layout with a title placeholder of one of `titles` (and, with `without_body`,
    no other placeholder than date, footer and slide number); None if there is none."""
    extras = {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER}
    for layout in prs.slide_layouts:
        kinds = [p.placeholder_format.type for p in layout.placeholders]
        if not any(k in titles for k in kinds):
            continue
        if without_body and any(k not in titles and k not in extras for k in kinds):
            continue
        return layout
    return None


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int

    def split(self, columns: int, rows: int, gap: int = Inches(0.2)) -> list[Box]:
        """The box cut into `columns` × `rows` boxes, row by row."""
        w = (self.width - gap * (columns - 1)) // columns
        h = (self.height - gap * (rows - 1)) // rows
        return [Box(self.left + c * (w + gap), self.top + r * (h + gap), w, h)
                for r in range(rows) for c in range(columns)]


class Deck:
    """A presentation being built: slides of titles, native charts and tables, each with its
    source line at the foot."""

    def __init__(self, template: bytes | None = None, aspect: str | None = None):
        self.prs = Presentation(io.BytesIO(template)) if template else Presentation()
        self.builtin = template is None
        own = (self.prs.slide_width, self.prs.slide_height)
        # Titles are placed here in the built-in look, and on a template drawn at another
        # size than its own (its layouts' places are for its size); else where its layouts say.
        self.placed = self.builtin or (aspect is not None and SIZES[aspect] != own)
        _drop_slides(self.prs)
        if aspect or self.builtin:
            self.prs.slide_width, self.prs.slide_height = SIZES[aspect or "16:9"]
        titles = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
        self.title_layout = (_layout(self.prs, {PP_PLACEHOLDER.CENTER_TITLE})
                             or _layout(self.prs, titles))
        self.content_layout = (_layout(self.prs, {PP_PLACEHOLDER.TITLE}, without_body=True)
                               or _layout(self.prs, titles))
        self.width = int(self.prs.slide_width or SIZES["16:9"][0])
        self.height = int(self.prs.slide_height or SIZES["16:9"][1])
        self.margin = Inches(0.45)

    # --- Slides ---------------------------------------------------------------------

    def title_slide(self, title: str, lines: Sequence[str]) -> None:
        """The deck's first slide: its title, and the lines under it (caption, source, date)."""
        slide = self.prs.slides.add_slide(self.title_layout)
        heading = slide.shapes.title
        heading.text = title
        if self.placed:
            self._place(heading, Box(self.margin, Inches(1.6), self.width - 2 * self.margin,
                                     Inches(1.6)))
        # The size is the deck's (a long title fits), the face and colour the theme's.
        _size_text(heading.text_frame, _fitting(title, heading, (32, 28, 24, 20)),
                   bold=True if self.builtin else None)
        body = next((p for p in slide.placeholders
                     if p.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE), None)
        if body is None:
            body = slide.shapes.add_textbox(self.margin, Inches(3.4),
                                            self.width - 2 * self.margin, Inches(3))
        elif self.placed:
            self._place(body, Box(self.margin, Inches(3.4), self.width - 2 * self.margin,
                                  Inches(3.2)))
        _paragraphs(body.text_frame, [line for line in lines if line], Pt(16))
        _drop_empty_placeholders(slide)

    def content_slide(self, title: str, notes: Sequence[str], source: str,
                      legend: Sequence[tuple[str, str]] = ()):
        """A slide with a title, notes under it, the source at its foot: the slide and the box
        left for its chart or table."""
        slide = self.prs.slides.add_slide(self.content_layout)
        heading = slide.shapes.title
        heading.text = title
        inner = self.width - 2 * self.margin
        if self.placed:
            self._place(heading, self._heading())
            heading.text_frame.vertical_anchor = MSO_ANCHOR.TOP
        _size_text(heading.text_frame, _fitting(title, heading, (22, 20, 18, 16, 14)),
                   bold=True if self.builtin else None)
        area = self.area(notes, legend)
        top = area.top - Inches(0.1) - self._notes_height(notes, legend)
        notes = [n for n in notes if n]
        if notes or legend:
            box = slide.shapes.add_textbox(self.margin, top, inner, Inches(0.3))
            frame = box.text_frame
            frame.word_wrap = True
            _paragraphs(frame, notes, Pt(12), MUTED)
            if legend:
                paragraph = frame.add_paragraph() if notes else frame.paragraphs[0]
                for colour, name in legend:
                    mark = paragraph.add_run()
                    mark.text = "■ "
                    mark.font.color.rgb = _rgb(colour)
                    mark.font.size = Pt(12)
                    text = paragraph.add_run()
                    text.text = f"{name}   "
                    text.font.size = Pt(12)
                    text.font.color.rgb = MUTED
            box.height = self._notes_height(notes, legend)
        source_box = slide.shapes.add_textbox(self.margin, self.height - FOOT, inner,
                                              Inches(0.4))
        source_box.text_frame.word_wrap = True
        _paragraphs(source_box.text_frame, [source], Pt(10), MUTED)
        _drop_empty_placeholders(slide)
        return slide, area

    def _heading(self) -> Box:
        """Where a content slide's title is: the built-in look's place, else the layout's."""
        if self.placed:
            return Box(self.margin, Inches(0.2), self.width - 2 * self.margin, Inches(0.85))
        title = next(p for p in self.content_layout.placeholders
                     if p.placeholder_format.type in (PP_PLACEHOLDER.TITLE,
                                                      PP_PLACEHOLDER.CENTER_TITLE))
        return Box(int(title.left), int(title.top), int(title.width), int(title.height))

    def _notes_height(self, notes: Sequence[str], legend: Sequence[tuple[str, str]]) -> int:
        """The notes' height: each note's lines as wrapped across the slide, and the legend's."""
        inner = self.width - 2 * self.margin
        lines = sum(_wrapped_lines(n, inner, 12, regular=True) for n in notes if n) \
            + bool(legend)
        return Inches(0.24) * lines + Inches(0.1) if lines else 0

    def area(self, notes: Sequence[str] = (), legend: Sequence[tuple[str, str]] = ()) -> Box:
        """The box a content slide leaves for its chart or table, below its title and notes
        and above its source line."""
        heading = self._heading()
        top = heading.top + heading.height + Inches(0.05) + self._notes_height(notes, legend) \
            + Inches(0.1)
        return Box(self.margin, top, self.width - 2 * self.margin,
                   max(self.height - FOOT - top - Inches(0.1), Inches(1)))

    def _place(self, shape, box: Box) -> None:
        shape.left, shape.top, shape.width, shape.height = box.left, box.top, box.width, box.height

    def save(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()

    # --- Charts ---------------------------------------------------------------------

    def plot(self, plot: Plot) -> None:
        """A plot on slides of its own: a native chart, or for a heatmap native tables."""
        if plot.kind == "heatmap":
            self.heatmap(plot)
        elif plot.kind == "diff":
            self.diff(plot)
        elif plot.kind == "empty":
            slide, box = self.content_slide(plot.title, plot.notes, plot.source)
            text = slide.shapes.add_textbox(box.left, box.top, box.width, Inches(1))
            _paragraphs(text.text_frame, [plot.why], Pt(18), MUTED)
        elif plot.kind == "bar":
            roles = set(plot.data["role"])
            names = {"best": _("best"), "baseline": _("baseline")}
            legend = [(COLORS[r], names[r]) for r in ("best", "baseline") if r in roles]
            slide, box = self.content_slide(plot.title, plot.notes, plot.source, legend)
            bar_chart(slide, box, plot)
        elif plot.kind == "compare":
            self.compare(plot)
        else:
            slide, box = self.content_slide(plot.title, plot.notes, plot.source)
            cost_chart(slide, box, plot)

    def compare(self, plot: Plot) -> None:
        """Clustered bars, the shared metrics split across slides so that no slide has more
        than COMPARE_BARS bars (each labelled)."""
        metrics = list(plot.metrics)
        parts = -(-len(metrics) // max(1, COMPARE_BARS // len(plot.models)))
        per_slide = -(-len(metrics) // parts)  # 11 metrics: 6 and 5, not 8 and 3
        for n in range(parts):
            slide, box = self.content_slide(plot.title + _part(n, parts), plot.notes,
                                            plot.source)
            compare_chart(slide, box, plot, metrics[n * per_slide:(n + 1) * per_slide])

    def heatmap(self, plot: Plot) -> None:
        """The heatmap as native tables: printed values, each cell filled by its score in the
        grid (best darkest); split across slides when it does not fit one."""
        data = plot.data.set_index(["model", "metric"])
        header = [_("Model"), *plot.metrics]
        rows = [[model] + [data.loc[(model, m)].to_dict() if (model, m) in data.index else None
                           for m in plot.metrics] for model in plot.models]

        def cell(table_cell, entry) -> None:
            if entry is None:
                return
            if isinstance(entry, str):
                _cell_text(table_cell, entry, Pt(11))
                return
            _cell_text(table_cell, entry["printed"], Pt(11), align=PP_ALIGN.CENTER)
            table_cell.fill.solid()
            if entry["kind"] == "scored":
                table_cell.fill.fore_color.rgb = _green(entry["score"])
                on = ON_LIGHT if entry["light"] else ON_DARK
                table_cell.text_frame.paragraphs[0].runs[0].font.color.rgb = _rgb(on)
            else:
                table_cell.fill.fore_color.rgb = EMPTY_FILL if entry["kind"] == "unranked" \
                    else RGBColor(0xFF, 0xFF, 0xFF)

        self._tables(plot.title, plot.notes, plot.source, header, rows, cell, keep=1)

    def diff(self, plot: Plot) -> None:
        """Diverging bars per model against the baseline, one native chart per model, better
        and worse coloured by each metric's direction; the charts share one value axis."""
        data = plot.data
        largest = data["pct"].abs().max()
        reach = next(r for r in (*NICE, math.inf) if r >= 1.3 * largest)  # room for labels
        if math.isinf(reach):
            reach = math.ceil(1.3 * largest / 1000) * 1000
        metrics = list(plot.metrics)
        per_row = 3 if self.width > Inches(11) else 2
        slide_rows = 2 if len(metrics) <= 8 else 1
        per_slide = per_row * slide_rows
        models = list(plot.models)
        words = verdicts()
        legend = [(COLORS[v], words[v]) for v in ("better", "worse", "level", "neutral")
                  if (data["verdict"] == v).any()]
        for start in range(0, len(models), per_slide):
            part = models[start:start + per_slide]
            title = plot.title + _part(start // per_slide, -(-len(models) // per_slide))
            slide, box = self.content_slide(title, plot.notes, plot.source, legend)
            rows = -(-len(part) // per_row)
            for model, panel in zip(part, box.split(per_row, rows), strict=False):
                diff_panel(slide, panel, data[data["model"] == model], model, metrics, reach)

    def table(self, view: View, title: str, notes: Sequence[str], source: str) -> None:
        """The leaderboard as native tables: ranks, the values as printed (bold as printed,
        ★ best, ⚠ sources disagree), diffs under each value when there is a baseline."""
        header = ([_("Rank")] if view.ranked_by else []) + [_("Model")]
        keep = len(header)  # on every slide of the table; the other columns as they fit
        if view.baseline:
            header.append(_("vs baseline"))
        header += [a.label for a in view.averages]
        header += [f"{c.label}\n{unit_name(c.unit)}" for c in view.columns]
        rows = []
        for row in view.rows:
            line: list[Any] = [str(row.rank) if row.rank is not None else "—"] \
                if view.ranked_by else []
            line.append(row.label + ("\n" + _("baseline") if row.is_baseline else ""))
            if view.baseline:
                v = row.verdicts
                line.append("" if v is None else _(
                    "%(better)s better · %(worse)s worse · %(level)s level",
                    better=v.better, worse=v.worse, level=v.level))
            if row.average is not None:
                line += ["—" if a.score is None else f"{a.score:.1f}\n" + _(
                    "%(covered)s of %(of)s", covered=a.covered, of=a.of)
                         for a in (row.average, *row.category_averages)]
            line += list(row.cells)
            rows.append((row, line))

        def cell(table_cell, entry) -> None:
            if isinstance(entry, str):
                _cell_text(table_cell, entry, Pt(11))
                return
            if entry.missing:
                _cell_text(table_cell, "—", Pt(11), align=PP_ALIGN.RIGHT, colour=MUTED)
                return
            marks = (f" {STAR}" if entry.best else "") + (f" {CONFLICT}" if entry.conflict
                                                          else "")
            _cell_text(table_cell, entry.printed + marks, Pt(11), bold=entry.bold,
                       align=PP_ALIGN.RIGHT)
            if entry.diff is not None:
                d = entry.diff
                paragraph = table_cell.text_frame.add_paragraph()
                paragraph.alignment = PP_ALIGN.RIGHT
                run = paragraph.add_run()
                run.text = (VERDICT_MARKS.get(d.verdict or "", "") + " "
                            + signed(d.points, d.decimals)).strip()
                run.font.size = Pt(9)
                run.font.color.rgb = _rgb(COLORS.get(d.verdict or "", LIGHT["muted"]))

        self._tables(title, notes, source, header, [line for _, line in rows], cell,
                     keep=keep, row_fill=[BASELINE_FILL if r.is_baseline else None
                                          for r, _ in rows])

    def _tables(self, title: str, notes: Sequence[str], source: str, header: list[str],
                rows: list[list[Any]], write, keep: int,
                row_fill: Sequence[RGBColor | None] = ()) -> None:
        """Lay a table out on as many slides as it needs: the first `keep` columns (rank,
        model) on each, the others in runs that fit the width, rows in runs that fit the
        height."""
        room = self.area(notes)
        kept = [RANK_WIDTH if h == _("Rank") else _model_width([r[j] for r in rows])
                if h == _("Model") else Inches(1.35) for j, h in enumerate(header[:keep])]
        widths = dict(enumerate(kept))
        for j in range(keep, len(header)):  # a column of long texts wider, to wrap less
            lines = max((_cell_lines(r[j], VALUE_WIDTH) for r in rows), default=1)
            widths[j] = max(VALUE_WIDTH if lines <= 2 else WIDE_VALUE, _word_width(header[j]))
        runs: list[list[int]] = [[]]
        used = sum(kept)
        for j in range(keep, len(header)):
            if runs[-1] and used + widths[j] > room.width:
                runs.append([])
                used = sum(kept)
            runs[-1].append(j)
            used += widths[j]
        pages = _row_runs([_row_height(r, widths) for r in rows],
                          room.height - _row_height(header, widths, Pt(11)))
        total = len(pages) * len(runs)
        for n, (columns, (start, end)) in enumerate(
                (c, p) for c in runs for p in pages):
            slide, box = self.content_slide(title + _part(n, total), notes, source)
            chosen = list(range(keep)) + columns
            shape = slide.shapes.add_table(end - start + 1, len(chosen), box.left, box.top,
                                           box.width, Inches(0.4))
            table = shape.table
            for j, col in enumerate(chosen):
                table.columns[j].width = widths[col]
                _cell_text(table.cell(0, j), header[col], Pt(11), bold=True,
                           align=PP_ALIGN.LEFT if col < keep else PP_ALIGN.RIGHT, quiet=False)
            table.rows[0].height = _row_height(header, widths, Pt(11))
            for i, r in enumerate(range(start, end), start=1):
                for j, col in enumerate(chosen):
                    write(table.cell(i, j), rows[r][col])
                    if row_fill and row_fill[r] is not None:
                        table.cell(i, j).fill.solid()
                        table.cell(i, j).fill.fore_color.rgb = row_fill[r]
                table.rows[i].height = _row_height(rows[r], widths)
            shape.width = sum(widths[c] for c in chosen)


def _row_runs(heights: Sequence[int], room: int) -> list[tuple[int, int]]:
    """Cut rows of the given heights into as few runs as fit `room` each, about as tall as one
    another (10 rows on two slides: 5 and 5, not 9 and 1): (start, end) pairs, at least one row
    a run, at least one run."""
    fewest = _fill(heights, room)
    if len(fewest) < 2:
        return fewest
    step = max(max(heights) // 4, 1)
    for cap in range(sum(heights) // len(fewest), room, step):
        runs = _fill(heights, cap)
        if len(runs) == len(fewest):
            return runs
    return fewest


def _fill(heights: Sequence[int], room: int) -> list[tuple[int, int]]:
    """Rows into runs, each as full as `room` lets it be."""
    runs: list[tuple[int, int]] = []
    start = 0
    while start < len(heights) or not runs:
        used, end = 0, start
        while end < len(heights) and (end == start or used + heights[end] <= room):
            used += heights[end]
            end += 1
        runs.append((start, end))
        start = end
    return runs


def _text_lines(text: str, width: int, size: Any = TEXT) -> int:
    """How many lines `text` takes in a cell `width` wide at `size`, at most: its lines, each
    wrapped (Chinese characters a full em and a little, others 0.58: room to spare, as a table
    row drawn too short cuts its text in some office suites)."""
    room = max(width / 12700 - 12, 10)  # points, less the cell's margins
    count = 0
    for line in text.split("\n"):
        wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in line)
        count += max(1, math.ceil(size.pt * (1.05 * wide + 0.58 * (len(line) - wide)) / room))
    return count


def _cell_lines(entry: Any, width: int, size: Any = TEXT) -> int:
    """The lines of a table cell: a label or a note, a grid's cell with its marks and the diff
    under it, a heatmap's cell."""
    if entry is None:
        return 1
    if isinstance(entry, str):
        return _text_lines(entry, width, size)
    if isinstance(entry, dict):  # a heatmap's cell
        return _text_lines(str(entry["printed"]), width, size)
    marks = (" ★" if entry.best else "") + (" ⚠" if entry.conflict else "")
    return _text_lines((entry.printed or "—") + marks, width, size) + (entry.diff is not None)


def _row_height(row: Sequence[Any], widths: dict[int, int], size: Any = TEXT) -> int:
    """A table row's height: its tallest cell's lines (a value and the diff under it, a label
    with a note, text that wraps)."""
    lines = max((_cell_lines(entry, widths[j], size) for j, entry in enumerate(row)), default=1)
    return int(Inches(0.08) + lines * size.pt * 1.3 * 12700)


def _word_width(heading: str) -> int:
    """A column as wide as its heading's longest word needs (LiveCodeBench unbroken), within
    bounds."""
    longest = max((len(word) for word in heading.split("\n")[0].split()), default=0)
    return int(min(Pt(0.62 * TEXT.pt * longest + 12), Inches(1.8)))


def _model_width(labels: Sequence[Any]) -> int:
    """The model column: as wide as its longest line needs, within bounds."""
    longest = max((len(str(label).split("\n")[0]) for label in labels), default=10)
    return int(min(max(Inches(1.4), Inches(0.09) * longest + Inches(0.2)), Inches(2.8)))


# --- Native charts -----------------------------------------------------------------------


class _TextStaysText:
    """A chart's data goes into a workbook inside the slide (Edit Data opens it). xlsxwriter
    writes a string that starts with '=' as a formula, and one that looks like an address as a
    link: the data's text (a model's name, a label as printed) is written as the text it is."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple[Any, Any]]:
        workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
        yield workbook, workbook.add_worksheet()
        workbook.close()


class _CategoryWriter(_TextStaysText, CategoryWorkbookWriter):
    pass


class _XyWriter(_TextStaysText, XyWorkbookWriter):
    pass


class CategoryData(CategoryChartData):
    """Bar chart data whose workbook holds text as text."""

    @cached_property
    def _workbook_writer(self) -> _CategoryWriter:
        return _CategoryWriter(self)


class XyData(XyChartData):
    """Scatter data whose workbook holds text as text."""

    @cached_property
    def _workbook_writer(self) -> _XyWriter:
        return _XyWriter(self)


def _number_format(printed: Iterable[str | None]) -> str | None:
    """The number format that shows every value as printed ('0.0'), when each is a plain number
    with the same decimals; None when labels must be the printed text itself."""
    decimals = set()
    for text in printed:
        if text is None or not PLAIN_NUMBER.match(text) or text.endswith("%"):
            return None
        decimals.add(len(text.partition(".")[2]))
    if len(decimals) != 1:
        return None
    places = decimals.pop()
    return "0." + "0" * places if places else "0"


def axis_format(unit: str, values: Sequence[float]) -> str:
    """A value axis's number format: years as years, counts and money of a million or more in
    M, B and T (as the workbooks' charts label them), prices in dollars; else as they come."""
    if unit in CALENDAR_UNITS:
        return "0"
    scaled = workbooks.number_format(unit, list(values))
    if scaled:
        return scaled
    return '"$"General' if unit in MONEY_UNITS + PRICE_UNITS else "General"


def _values(series: pd.Series) -> list[float | None]:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
            for v in series]


def bar_chart(slide, box: Box, plot: Plot) -> Any:
    """Ranked bars, best and baseline marked by their point's colour, the first row at the top;
    models with nothing reported listed after, with no bar (an empty point, never 0)."""
    data = plot.data
    empty = list(plot.missing)[:max(0, CHART_ROWS["bar"] - len(data))]  # as the pictures
    labels = list(data["printed"])
    number_format = _number_format(labels)
    chart_data = CategoryData(number_format=number_format or "General")
    chart_data.categories = [*data["model"], *empty]
    chart_data.add_series(plot.axis, [*_values(data["value"]), *[None] * len(empty)])
    calendar = plot.unit in CALENDAR_UNITS  # a year has no zero to grow a bar from: dots
    kind = XL_CHART_TYPE.LINE_MARKERS if calendar else XL_CHART_TYPE.BAR_CLUSTERED
    chart = slide.shapes.add_chart(kind, box.left, box.top, box.width, box.height,
                                   chart_data).chart
    chart.has_legend = False
    chart.has_title = False
    _blanks_as_gaps(chart)
    if not calendar:
        _top_down(chart)
    chart.category_axis.tick_labels.font.size = Pt(11)
    value = chart.value_axis
    _axis_title(value, plot.axis)
    value.tick_labels.font.size = Pt(10)
    value.has_major_gridlines = True
    if calendar:
        value.minimum_scale = data["value"].min() - 1
        value.maximum_scale = data["value"].max() + 1
        value.major_unit = 1
    elif plot.scale and data["value"].between(*plot.scale).all():
        value.minimum_scale, value.maximum_scale = plot.scale  # a score on its whole scale
    elif (data["value"] >= 0).all():
        value.minimum_scale = 0  # a bar's length is its value
    value.tick_labels.number_format = axis_format(plot.unit, list(data["value"]))
    value.tick_labels.number_format_is_linked = False
    marks = chart.plots[0]
    marks.vary_by_categories = False
    series = marks.series[0]
    if calendar:
        series.format.line.fill.background()  # dots, no line between them
        series.marker.size = 11
        series.smooth = False
    else:
        marks.gap_width = 45
    _labels(marks, series, labels, number_format,
            position=XL_LABEL_POSITION.ABOVE if calendar else XL_LABEL_POSITION.OUTSIDE_END)
    for i, role in enumerate(data["role"]):
        shape = series.points[i].marker.format if calendar else series.points[i].format
        if calendar or role in ("best", "baseline"):
            shape.fill.solid()
            shape.fill.fore_color.rgb = _rgb(COLORS[role])
    return chart


def diff_panel(slide, box: Box, data: pd.DataFrame, model: str, metrics: list[str],
               reach: float) -> Any:
    """One model's differences from the baseline: a bar per metric in % of the baseline's
    value, green better, red worse by the metric's direction; empty where there is none."""
    by_metric = data.set_index("metric")
    chart_data = CategoryData(number_format='+0.0"%";−0.0"%";0"%"')
    chart_data.categories = metrics
    chart_data.add_series(model, [float(by_metric.at[m, "pct"]) if m in by_metric.index
                                  else None for m in metrics])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, box.left, box.top, box.width,
                                   box.height, chart_data).chart
    chart.has_legend = False
    chart.has_title = True
    chart.chart_title.text_frame.text = model
    _size_text(chart.chart_title.text_frame, Pt(13), bold=True)
    _blanks_as_gaps(chart)
    category = chart.category_axis
    _top_down(chart)
    category.tick_labels.font.size = Pt(9)
    _low_labels(category)
    value = chart.value_axis
    value.minimum_scale, value.maximum_scale = -reach, reach
    value.major_unit = reach / 2
    value.tick_labels.font.size = Pt(9)
    value.has_major_gridlines = True
    value.tick_labels.number_format = '0"%"'
    value.tick_labels.number_format_is_linked = False
    bars = chart.plots[0]
    bars.gap_width = 40
    bars.overlap = 0
    series = bars.series[0]
    series.invert_if_negative = False
    bars.has_data_labels = True
    bars.data_labels.font.size = Pt(9)
    bars.data_labels.number_format = '+0.0"%";−0.0"%";0"%"'
    bars.data_labels.number_format_is_linked = False
    bars.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    for i, m in enumerate(metrics):
        if m in by_metric.index:
            point = series.points[i]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(COLORS[by_metric.at[m, "verdict"]])
    return chart


def compare_chart(slide, box: Box, plot: Plot, metrics: Sequence[str]) -> Any:
    """Clustered bars: a cluster per shared metric, a series per model, each value relative to
    the best of the models (= 100), labelled with the number as printed."""
    data = plot.data.set_index(["metric", "model"])
    chart_data = CategoryData(number_format="0.0")
    chart_data.categories = list(metrics)
    for model in plot.models:
        chart_data.add_series(model, [float(data.at[(m, model), "relative"])
                                      if (m, model) in data.index else None
                                      for m in metrics])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, box.left, box.top, box.width,
                                   box.height, chart_data).chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(11)
    chart.has_title = False
    _blanks_as_gaps(chart)
    _top_down(chart)
    chart.category_axis.tick_labels.font.size = Pt(11)
    value = chart.value_axis
    value.minimum_scale, value.maximum_scale = 0, 115
    value.major_unit = 20
    value.has_major_gridlines = True
    value.tick_labels.font.size = Pt(10)
    _axis_title(value, plot.axis)
    bars = chart.plots[0]
    bars.gap_width = 60
    bars.overlap = 0
    for model, series in zip(plot.models, bars.series, strict=True):
        printed = [data.at[(m, model), "printed"] if (m, model) in data.index else None
                   for m in metrics]
        _labels(bars, series, printed, None, size=Pt(9))
    return chart


def cost_chart(slide, box: Box, plot: Plot) -> Any:
    """Price (log scale) against a score: one labelled point per model."""
    data = plot.data
    chart_data = XyData()
    series_data = chart_data.add_series(_("models"))
    for price, score in zip(data["price"], data["score"], strict=True):
        series_data.add_data_point(float(price), float(score))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER, box.left, box.top, box.width,
                                   box.height, chart_data).chart
    chart.has_legend = False
    chart.has_title = False
    price_axis, score_axis = chart.category_axis, chart.value_axis
    _axis_title(price_axis, plot.axis)
    _axis_title(score_axis, plot.score_axis)
    _log_scale(price_axis)
    for axis in (price_axis, score_axis):
        axis.tick_labels.font.size = Pt(10)
        axis.has_major_gridlines = True
    series = chart.plots[0].series[0]
    series.marker.size = 9
    series.format.line.fill.background()  # points, no line between them
    for i, label in enumerate(data["label"]):
        _point_label(series.points[i], label, XL_LABEL_POSITION.RIGHT, Pt(10))
    return chart


def _labels(plot, series, printed: Sequence[str | None], number_format: str | None,
            size: Any = None, position: Any = XL_LABEL_POSITION.OUTSIDE_END) -> None:
    """Value labels: the values in `number_format` (a label follows an edited number), or, where
    the printed text is not a plain number, that text itself."""
    if number_format is not None:
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = number_format
        labels.number_format_is_linked = False
        labels.position = position
        labels.font.size = size or Pt(11)
        return
    for i, text in enumerate(printed):
        if text is not None:
            _point_label(series.points[i], text, position, size or Pt(11))


def _point_label(point, text: str, position: Any, size: Any) -> None:
    """A point's label of its own text, on one line."""
    label = point.data_label
    label.has_text_frame = True
    frame = label.text_frame
    frame.text = text
    frame.word_wrap = False
    _size_text(frame, size)
    label.position = position
    label.font.size = size


def _top_down(chart) -> None:
    """Horizontal bars in the order given, the first at the top, the value axis below them."""
    chart.category_axis.reverse_order = True
    # The value axis crosses the categories at the last, now the lowest (python-pptx's
    # `crosses` is the other way round: where the categories cross the values).
    chart.value_axis._element.find(qn("c:crosses")).set("val", "max")


def _axis_title(axis, text: str) -> None:
    axis.has_title = True
    axis.axis_title.text_frame.text = text
    _size_text(axis.axis_title.text_frame, Pt(11), bold=False)


def _blanks_as_gaps(chart) -> None:
    """An empty point is drawn as nothing (c:dispBlanksAs gap), never as 0."""
    chart_element = chart._chartSpace.chart
    found = chart_element.find(qn("c:dispBlanksAs"))
    if found is None:
        found = OxmlElement("c:dispBlanksAs")
        chart_element.find(qn("c:plotVisOnly")).addnext(found)  # its place in CT_Chart
    found.set("val", "gap")


def _log_scale(axis) -> None:
    scaling = axis._element.find(qn("c:scaling"))
    base = OxmlElement("c:logBase")
    base.set("val", "10")
    scaling.insert(0, base)  # logBase comes first in CT_Scaling


def _low_labels(axis) -> None:
    """Category labels at the chart's edge, not at zero between diverging bars."""
    element = axis._element
    position = element.find(qn("c:tickLblPos"))
    position.set("val", "low")  # python-pptx writes one on every axis


# --- Text and tables ---------------------------------------------------------------------


def _em(ch: str, regular: bool = False) -> float:
    """How wide a character is drawn, in ems: a bold sans face's widths (DejaVu Sans Bold, the
    widest an office suite falls back to; Calibri and Carlito are narrower), about 0.9 of them
    when `regular`; a Chinese character a full em either way."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 1.0
    if ch.isupper():
        em = 0.77
    elif ch.isdigit():
        em = 0.70
    elif ch.isalpha():
        em = 0.65
    else:
        em = 0.35 if ch == " " else 0.45
    return em * 0.9 if regular else em


def _wrapped_lines(text: str, width: int, size: float, regular: bool = False) -> int:
    """How many lines `text` takes in a text box `width` wide at `size` points, wrapped between
    words or Chinese characters. The widths are estimates: a line is taken as 8 % shorter than
    it is, so that a title estimated to fit does."""
    room = max((width / 12700 - 14.4) * 0.92, size)  # points, less the box's insets
    count = 0
    for paragraph in text.split("\n"):
        lines, used, word = 1, 0.0, 0.0
        for ch in paragraph + " ":
            wide = unicodedata.east_asian_width(ch) in "WF"
            if ch != " " and not wide:
                word += size * _em(ch, regular)
                continue
            # A word ends at a space; a Chinese character (a full em) is a word of its own. It
            # goes on this line or starts the next.
            word += size if wide else 0.0
            if used and used + word > room:
                lines, used = lines + 1, 0.0
            if word > room:  # a word longer than a line
                lines, word = lines + int(word // room), word % room
            used += word + (size * _em(" ", regular) if ch == " " else 0.0)
            word = 0.0
        count += lines
    return count


def _fitting(title: str, box: Any, sizes: Sequence[int]) -> Any:
    """The largest of `sizes` at which `title` fits its box's height (the smallest when none
    does): a long title takes a smaller size rather than running into what is under it."""
    room = int(box.height) / 12700 - 7.2  # points, less the box's insets
    # Lines 1.2 ems apart, Chinese ones too (as LibreOffice and PowerPoint space single lines).
    size = next((s for s in sizes if _wrapped_lines(title, int(box.width), s) * s * 1.2 <= room),
                sizes[-1])
    return Pt(size)


def _size_text(frame, size: Any, bold: bool | None = None) -> None:
    for paragraph in frame.paragraphs:
        paragraph.font.size = size
        if bold is not None:
            paragraph.font.bold = bold
        for run in paragraph.runs:
            run.font.size = size
            if bold is not None:
                run.font.bold = bold


def _paragraphs(frame, lines: Sequence[str], size: Any, colour: RGBColor | None = None) -> None:
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = size
        if colour is not None:
            run.font.color.rgb = colour


def _cell_text(cell, text: str, size: Any, bold: bool = False,
               align: PP_ALIGN = PP_ALIGN.LEFT, colour: RGBColor | None = None,
               quiet: bool = True) -> None:
    """A table cell's text: its first line, then smaller lines (a unit, a note), grey when
    `quiet` (in a heading row they keep the row's colour)."""
    first, *rest = text.split("\n")
    frame = cell.text_frame
    frame.word_wrap = True
    cell.margin_left = cell.margin_right = Inches(0.05)
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    for i, line in enumerate([first, *rest]):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = line
        run.font.size = size if i == 0 else Pt(9)
        run.font.bold = bold if i == 0 else False
        if colour is not None or (i and quiet):
            run.font.color.rgb = colour or MUTED


def _green(score: float) -> RGBColor:
    """A 0–100 score's colour on the heatmap's scale."""
    position = max(0.0, min(100.0, float(score))) / 100 * (len(GREENS) - 1)
    low = int(position)
    high = min(low + 1, len(GREENS) - 1)
    t = position - low
    a, b = RGBColor.from_string(GREENS[low]), RGBColor.from_string(GREENS[high])
    return RGBColor(*(round(x + (y - x) * t) for x, y in zip(a, b, strict=True)))


def _part(n: int, total: int) -> str:
    return " " + _("(%(n)s of %(total)s)", n=n + 1, total=total) if total > 1 else ""


def _drop_slides(prs) -> None:
    """Remove a template's own slides: a deck is the service's slides on the template's
    masters and layouts."""
    while len(prs.slides):
        _drop_last_slide(prs)


def _drop_last_slide(prs) -> None:
    ids = prs.slides._sldIdLst
    last = ids[-1]
    prs.part.drop_rel(last.rId)
    ids.remove(last)


def _drop_empty_placeholders(slide) -> None:
    """Placeholders the slide does not fill (a layout's body, date, footer) are removed: they
    would show 'Click to add text' in an editor."""
    for placeholder in list(slide.placeholders):
        if placeholder.has_text_frame and not placeholder.text_frame.text.strip():
            placeholder._element.getparent().remove(placeholder._element)



# --- Decks -------------------------------------------------------------------------------


def describe(view: View) -> str:
    """The rows a view shows and their order, as the page says it: '7 of 9 models, sorted by
    AIME 2024 ↓, against DeepSeek-R1'."""
    text = _("%(shown)s of %(total)s models", shown=view.n_visible, total=view.n_total)
    if view.per_page and view.pages > 1:
        text += " " + _("(rows %(first)s–%(last)s)", first=view.first,
                        last=view.first + len(view.rows) - 1)
    if view.sort:
        text += _(", sorted by %(keys)s", keys=_(", then ").join(
            f"{view.column_name(k.column)} {'↓' if k.descending else '↑'}" for k in view.sort))
    else:
        text += _(", in the report's order")
    if view.baseline:
        text += _(", against %(model)s", model=name_of(view.baseline))
    return text


def grid_deck(view: View, plots: Sequence[Plot], version: str, template: bytes | None,
              aspect: str | None) -> bytes:
    """A grid's deck: a title slide (title, caption, source, the view, data version), the
    leaderboard's table slides, then a slide (or more) per chart."""
    grid = view.grid
    deck = Deck(template, aspect)
    source = source_line(grid)
    title = grid_title(grid)
    other = grid.title_en if title == grid.title else grid.title
    deck.title_slide(title, [
        other if other != title else "",
        grid.caption if grid.caption not in (grid.title, grid.title_en) else "",
        source,
        describe(view),
        _("Report date %(date)s · data version %(version)s", date=grid.source.date,
          version=version[:12]),
    ])
    marks = _("%(star)s best in column · %(conflict)s sources disagree · bold as printed",
              star=STAR, conflict=CONFLICT)
    if view.baseline:
        marks += " · " + _("under each value: the difference from %(model)s",
                           model=name_of(view.baseline))
    deck.table(view, title, [describe(view), marks], source)
    for plot in plots:
        deck.plot(plot)
    return deck.save()


def plot_deck(plot: Plot, template: bytes | None, aspect: str | None) -> bytes:
    """One chart's slides."""
    deck = Deck(template, aspect)
    deck.plot(plot)
    return deck.save()
