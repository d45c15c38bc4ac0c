"""Downloads as bytes: CSV of a view, the whole dataset as CSV, XLSX and JSON."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import islice
from typing import Any

import pandas as pd
from flask_babel import gettext as _

from . import catalog, conflicts
from .catalog import METRIC_FIELDS, MODEL_FIELDS, metric_record, model_record, plain
from .data import PLAIN_NUMBER, Dataset, Grid
from .errors import QueryError
from .i18n import name as name_of
from .i18n import unit_name, with_unit
from .view import Cell, View, grid_view

# OWASP CSV injection: a text cell starting with one of these may run as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text the XLSX writes as a cell of its own: openpyxl reads '#N/A' and the like as errors.
_GUARDED = (*_FORMULA_START, "#")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")

LONG_COLUMNS = [
    "grid", "model", "model_name", "model_label", "metric", "metric_name", "metric_label",
    "unit", "value", "printed", "bold", "conflict", "note",
    "report", "report_title", "publisher", "date", "label", "page", "cited", "citation",
]


def runs_as_formula(value: Any) -> bool:
    """Whether a spreadsheet would run this text as a formula: it starts with = + - @, a tab or
    a carriage return. Text such as '-' (not reported) or '-1.5' does not: it is not a formula."""
    return (isinstance(value, str) and value.startswith(_FORMULA_START)
            and value != "-" and not _NUMBER.match(value))


def safe(value: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula, for CSV: a leading ' (CSV
    has no other way); leave numbers alone. The XLSX uses the cell's quote prefix instead."""
    return "'" + value if runs_as_formula(value) else value


def _cell(value: Any) -> Any:
    """Write a value for CSV: numbers as they are, booleans as true/false, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe(value)


def csv_chunks(header: list[str], rows: Iterable[Sequence[Any]], chunk: int = 500
               ) -> Iterator[bytes]:
    """Write rows as UTF-8 CSV with a BOM (so Excel reads Chinese text correctly), a chunk of
    rows at a time, so a large download streams."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow([safe(h) for h in header])
    for i, row in enumerate(rows, start=1):
        writer.writerow([_cell(v) for v in row])
        if i % chunk == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


# --- One view --------------------------------------------------------------------------


def view_header(view: View) -> list[str]:
    """The CSV columns of a grid view, in the page's order."""
    return _header_places(view)[0]


def _header_places(view: View, words: Callable[..., str] | None = None
                   ) -> tuple[list[str], dict[tuple[str, str], int]]:
    """view_header, and where in it (1-based) the model, each metric's value and each
    average's score are: by ('model', ''), ('metric', id) and ('average', id). The headings'
    words in English (a CSV's columns are the data's names), or by `words` (a workbook's, the
    interface's gettext)."""
    _ = words or _english
    # The baseline's name in the words' language: a CSV's stays the registry's.
    base = view.baseline and (name_of(view.baseline) if words else view.baseline.name)
    header = [_("Rank")] if view.ranked_by else []
    header.append(_("Model"))
    places = {("model", ""): len(header)}
    if view.baseline:
        header += [_("Better than %(model)s", model=base), _("Worse"), _("Level")]
    for average in view.averages:
        header += [_("%(average)s (0-100)", average=average.label),
                   _("%(average)s covers (metrics)", average=average.label)]
        places["average", average.id] = len(header) - 1
    for c in view.columns:
        header.append(f"{c.label} ({unit_name(c.unit)})")
        places["metric", c.id] = len(header)
        if view.baseline:
            header += [_("%(metric)s vs %(model)s: difference (%(unit)s)", metric=c.label,
                         model=base, unit=unit_name(c.unit)),
                       _("%(metric)s vs %(model)s: difference (%(percent)s of %(model)s)",
                         metric=c.label, model=base, percent="%")]
    return header, places


def _english(text: str, **variables: Any) -> str:
    """A message in English: gettext's own way, without a translation."""
    return text % variables if variables else text


def _view_lines(view: View) -> Iterator[list[Any]]:
    """The rows of a grid view in view_header's columns, on every page, in the page's order;
    a metric's entry is its Cell, for the format to write."""
    for row in view.all_rows():
        out: list[Any] = [row.rank] if view.ranked_by else []
        out.append(row.label)
        if view.baseline:  # the page leaves the baseline's own comparison blank; so do we
            v = row.verdicts
            out += [None] * 3 if v is None else [v.better, v.worse, v.level]
        if row.average is not None:
            for average in (row.average, *row.category_averages):
                out += [average.score, average.covered]
        for cell in row.cells:
            out.append(cell)
            if view.baseline:
                diff = cell.diff
                out += [None, None] if diff is None else [diff.points, diff.percent]
        yield out


def view_rows(view: View) -> Iterator[list[Any]]:
    """The CSV rows of a grid view: each metric's typed value."""
    for line in _view_lines(view):
        yield [v.value if isinstance(v, Cell) else v for v in line]


def view_csv(view: View) -> Iterator[bytes]:
    return csv_chunks(view_header(view), view_rows(view))


def view_filename(view: View, suffix: str = ".csv") -> str:
    """Name a download after its view: r1-vs-frontier_sorted-by-aime-2024-pass1.csv."""
    parts = [view.grid.slug]
    if view.sort:
        keys = [
            k.column if k.descending == view.default_descending(k.column)
            else f"{k.column}-{'desc' if k.descending else 'asc'}"
            for k in view.sort
        ]
        # 'average:math' as average-math: a file name has no colon on Windows
        parts.append("sorted-by-" + "-then-".join(keys).replace(":", "-"))
    if view.baseline:
        parts.append(f"vs-{view.baseline.id}")
    if view.n_visible < view.n_total:
        parts.append("filtered")
    return "_".join(parts) + suffix


@lru_cache(maxsize=8)
def _reports(ds: Dataset) -> pd.DataFrame:
    return pd.DataFrame(list(ds.reports.values())).set_index("id")


def long_frame(ds: Dataset, grid: Grid, view: View | None = None) -> pd.DataFrame:
    """One row per (model, metric) with value, printed text and provenance, in LONG_COLUMNS.

    With a view, its rows and columns in its order; without, the grid's every cell.
    """
    results = ds.results.iloc[catalog.rows_of_grid(ds, grid.slug)]
    if view is not None:
        order = {model: i for i, model in enumerate(view.order)}
        metric_order = {c.id: i for i, c in enumerate(view.columns)}
        results = results[results["model"].isin(order) & results["metric"].isin(metric_order)]
        results = results.assign(
            _m=results["model"].map(order), _x=results["metric"].map(metric_order)
        ).sort_values(["_m", "_x"], kind="stable")
    model, metric, report = results["model"], results["metric"], results["report"]
    reports = _reports(ds)
    citations = {(label, page): grid.source.citation(label, page)
                 for label, page in set(zip(results["label"], results["page"], strict=True))}
    return pd.DataFrame({
        "grid": grid.slug,
        "model": model,
        "model_name": model.map(ds.models["name"]),
        "model_label": model.map({m.id: m.label for m in grid.models}),
        "metric": metric,
        "metric_name": metric.map(ds.metrics["name"]),
        "metric_label": metric.map({m.id: m.label for m in grid.metrics}),
        "unit": metric.map(ds.metrics["unit"]),
        "value": results["raw"],
        "printed": results["printed"],
        "bold": results["bold"],
        "conflict": results["conflict"],
        "note": results["note"],
        "report": report,
        "report_title": report.map(reports["title"]),
        "publisher": report.map(reports["publisher"]),
        "date": report.map(reports["date"]),
        "label": results["label"],
        "page": results["page"],
        "cited": results["cited"],
        "citation": [citations[key] for key in zip(results["label"], results["page"],
                                                    strict=True)],
    }, columns=LONG_COLUMNS)


def long_rows(ds: Dataset, grid: Grid, view: View | None = None) -> Iterator[tuple]:
    """long_frame's rows as tuples of plain Python values (None where nothing is given)."""
    frame = long_frame(ds, grid, view).astype(object)
    return frame.where(frame.notna(), None).itertuples(index=False, name=None)


def all_long_csv(ds: Dataset) -> Iterator[bytes]:
    rows = (row for grid in ds.grids.values() for row in long_rows(ds, grid))
    return csv_chunks(LONG_COLUMNS, rows)


# --- The whole dataset -------------------------------------------------------------------


def all_json(ds: Dataset, dumps: Callable[[Any], str], block: int = 2000) -> Iterator[bytes]:
    """The whole dataset as one JSON document, written a block of cells at a time: a million
    cells never sit in memory as dicts. `dumps` is the app's JSON encoder."""
    head = {
        "version": ds.version,
        "reports": list(ds.reports.values()),
        "models": [model_record(ds, m) for m in ds.models.index],
        "metrics": [metric_record(ds, m) for m in ds.metrics.index],
    }
    yield (dumps(head)[:-1] + ', "grids": [').encode("utf-8")
    for i, grid in enumerate(ds.grids.values()):
        detail = dumps(catalog.grid_detail(ds, grid, results=False, with_conflicts=False))
        yield ((", " if i else "") + detail[:-1] + ', "results": [').encode("utf-8")
        results = catalog.grid_results(ds, grid)
        first = True
        while chunk := list(islice(results, block)):
            yield (("" if first else ", ") + ", ".join(map(dumps, chunk))).encode("utf-8")
            first = False
        yield b"]}"
    yield b'], "conflicts": ['
    for i, conflict in enumerate(conflicts.every(ds)):
        yield ((", " if i else "") + dumps(conflict)).encode("utf-8")
    yield b"]}"


def all_xlsx(ds: Dataset) -> bytes:
    """One sheet per grid in the report's layout, then models, metrics, sources, conflicts.

    Written in openpyxl's write-only mode: rows stream into the file, so a large dataset costs
    neither the time nor the memory of a workbook held whole.
    """
    from openpyxl import Workbook

    from .charts import default_bar

    book = Workbook(write_only=True)
    for grid in ds.grids.values():
        view = grid_view(ds, grid, {})
        bar = default_bar(ds, view)
        _grid_sheet(book.create_sheet(grid.slug[:31]), view, None if bar is None else bar.subject)
    _records_sheet(book.create_sheet("models"), MODEL_FIELDS + ["labels"], [
        {**model_record(ds, m), "labels": "; ".join(f"{g}: {lbl}" for g, lbl in
                                                     model_record(ds, m)["labels"].items())}
        for m in ds.models.index
    ])
    _records_sheet(book.create_sheet("metrics"), METRIC_FIELDS + ["grids"], [
        {**metric_record(ds, m), "scale": _scale_text(ds, m),
         "grids": ", ".join(metric_record(ds, m)["grids"])}
        for m in ds.metrics.index
    ])
    _records_sheet(book.create_sheet("sources"), LONG_COLUMNS, (
        dict(zip(LONG_COLUMNS, row, strict=True))
        for grid in ds.grids.values() for row in long_rows(ds, grid)
    ))
    _records_sheet(book.create_sheet("conflicts"), ["model", "metric", "grid", "value",
                                                    "printed", "where"], (
        {"model": c["model"], "metric": c["metric"], "grid": o["grid"], "value": o["raw"],
         "printed": o["printed"], "where": o["where"]}
        for c in conflicts.every(ds) for o in c["observations"]
    ))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx(sheet, value: Any, bold: bool | None = None, number_format: str | None = None) -> Any:
    """Every cell of every sheet of the workbook is written through here.

    Text is always stored as a string, never as a formula (openpyxl would store '=…' as one, and
    '#N/A' as an error); text a spreadsheet would run as a formula (`runs_as_formula`) gets the
    cell's quote-prefix style, Excel's own mark for "this is text", so the value stays exactly
    as written, with no ' added. Lists and dicts are written as their text, numpy scalars as
    numbers, NaN as empty. With neither a style nor anything to guard, the plain value is
    returned: write-only append stores it at less cost than a cell of its own.
    """
    if not isinstance(value, str):
        value = plain(str(value) if isinstance(value, list | dict) else value)
    elif value.startswith(_GUARDED) and (value[0] == "#" or runs_as_formula(value)):
        return _xlsx_cell(sheet, value, bold, number_format)
    if bold is None and number_format is None:
        return value
    return _xlsx_cell(sheet, value, bold, number_format)


def _xlsx_cell(sheet, value: Any, bold: bool | None, number_format: str | None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if runs_as_formula(value):
            cell.quotePrefix = True
    if bold is not None:
        cell.font = _font(bold)
    if number_format is not None:
        cell.number_format = number_format
    return cell


@lru_cache(maxsize=2)
def _font(bold: bool):
    from openpyxl.styles import Font

    return Font(bold=bold)


def _scale_text(ds: Dataset, metric: str) -> str | None:
    scale = ds.metrics.at[metric, "scale"]
    return None if scale is None else f"{scale[0]:g}–{scale[1]:g}"


def _xlsx_value(printed: str | None, raw: Any) -> tuple[Any, str]:
    """A report-layout cell and its number format: the number, shown with the printed number
    of decimals, when the report prints a plain number; else the printed text."""
    if printed is not None and _NUMBER.match(printed) and isinstance(raw, float):
        decimals = len(printed.rstrip("%").partition(".")[2])
        return raw, "0." + "0" * decimals if decimals else "0"
    return printed, "General"


def _xlsx_cells(sheet, cells: Iterable[Cell]) -> list[Any]:
    """A grid's cells for a sheet: numbers as numbers with the printed decimals, bold as
    printed, text as printed."""
    out = []
    for cell in cells:
        shown, number_format = _xlsx_value(cell.printed, cell.value)
        out.append(_xlsx(sheet, shown, cell.bold, number_format))
    return out


def _xlsx_value_cell(sheet, cell: Cell) -> Any:
    """A view's cell as the CSV gives it, its typed value (empty where none), as a number
    with the printed decimals where the report prints a plain number."""
    if isinstance(cell.value, float) and cell.printed and PLAIN_NUMBER.match(cell.printed):
        _, number_format = _xlsx_value(cell.printed, cell.value)
        return _xlsx(sheet, cell.value, number_format=number_format)
    return _xlsx(sheet, cell.value)


def _grid_sheet(sheet, view: View, bar: str | None = None) -> None:
    """A grid's view laid out as its report prints it (models or metrics as rows), with the
    caption above and the citation below; beside it, the numbers of its number metrics, models
    as rows, and a bar chart of the metric `bar` drawn from them."""
    from openpyxl.utils import get_column_letter

    from .workbooks import text_width

    grid = view.grid
    rows = list(view.all_rows())
    transposed = grid.layout == "metrics-as-rows"
    models, metrics = [r.label for r in rows], [c.label for c in view.columns]
    matrix = [list(r.cells) for r in rows]
    outer, inner = (metrics, models) if transposed else (models, metrics)
    if transposed:
        matrix = [[r[j] for r in matrix] for j in range(len(metrics))]
    sheet.column_dimensions["A"].width = 34
    for j, label in enumerate(inner):  # as wide as its texts, a Chinese character two
        widest = max([text_width(label), *(text_width(line[j].printed or "") for line in matrix)])
        sheet.column_dimensions[get_column_letter(j + 2)].width = min(max(widest + 3, 16), 40)
    printed = [[_xlsx(sheet, grid.caption, bold=True)],
               [_xlsx(sheet, "", bold=True)] + [_xlsx(sheet, i, bold=True) for i in inner]]
    for label, cells in zip(outer, matrix, strict=True):
        printed.append([_xlsx(sheet, label), *_xlsx_cells(sheet, cells)])
    printed += [[], [_xlsx(sheet, grid.source.citation())]]
    numbers = _numbers_block(sheet, view, rows, len(inner) + 4, bar)
    for i in range(max(len(printed), len(numbers))):
        line = printed[i] if i < len(printed) else []
        if i < len(numbers):  # two empty columns between the report's block and the numbers
            line = line + [None] * (len(inner) + 3 - len(line)) + numbers[i]
        sheet.append(line)


NUMBERS_HEADING = "Numbers for the charts (empty: not reported)"


def _numbers_block(sheet, view: View, rows: list, column: int, bar: str | None
                   ) -> list[list[Any]]:
    """The lines of a grid's numbers, from `column` on: a heading, then models as rows and the
    number metrics as columns, each cell the typed number (empty where not reported), in the
    view's order; and the bar chart of the metric `bar` below them, drawn from their cells.
    Charts cannot plot the printed block: a '-' in it would be drawn as 0."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from . import workbooks as wb
    from .charts import CHART_ROWS, CHARTABLE_TYPES

    shown = [j for j, c in enumerate(view.columns) if c.type in CHARTABLE_TYPES]
    if not shown:
        return []
    sheet.column_dimensions[get_column_letter(column)].width = 30
    # Each label in full, in bold (a row of wrapped labels would need a height set by hand).
    widths = [min(max(round(1.2 * wb.text_width(view.columns[j].label)) + 2, 11), 40)
              for j in shown]
    for k, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column + k)].width = width
    header = [_xlsx(sheet, view.columns[j].label, bold=True) for j in shown]
    for cell in header:  # over its numbers
        cell.alignment = Alignment(horizontal="right")
    lines: list[list[Any]] = [[_xlsx(sheet, NUMBERS_HEADING, bold=True)],
                              [_xlsx(sheet, "Model", bold=True), *header]]
    for row in rows:
        lines.append([_xlsx(sheet, row.label)]
                     + [_xlsx_value_cell(sheet, row.cells[j]) for j in shown])
    if bar is not None:
        j = next(j for j in shown if view.columns[j].id == bar)
        c, drawn = view.columns[j], rows[:CHART_ROWS["bar"]]
        more = f" (first {len(drawn)} of {len(rows):,} models)" if len(rows) > len(drawn) else ""
        values = [r.cells[j].value for r in drawn]
        bars = wb.Bars(title=f"{view.grid.title_en}: {c.name}{more}",
                       axis_title=with_unit(c.name, c.unit), values=column + 1 + shown.index(j),
                       labels=column, first_row=3, rows=len(drawn),
                       best=tuple(i for i, r in enumerate(drawn) if r.cells[j].best),
                       number_format=wb.number_format(c.unit, values),
                       from_zero=wb.from_zero(values))
        chart = wb.bar_chart(sheet, bars)  # below the numbers, one row apart
        wb.place(chart, column + 1, len(lines) + 2, wb.columns_for(widths), wb.chart_rows(bars))
        sheet.add_chart(chart)
    return lines


def view_xlsx(view: View) -> bytes:
    """A grid view as a workbook of one sheet: the page's columns (ranks, diffs, averages
    included), its rows in its order, the numbers as numbers, and the citation below; beside
    them, a bar chart of each number metric and average, drawn from the sheet's cells."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from .workbooks import grid_of_charts, size_columns, text_width

    book = Workbook(write_only=True)
    sheet = book.create_sheet(view.grid.slug[:31])
    header, places = _header_places(view, _)
    for j, name in enumerate(header, start=1):
        width = (6 if name == _("Rank") else 34 if name == _("Model")
                 else min(max(text_width(name), 10), 40))
        sheet.column_dimensions[get_column_letter(j)].width = width
    charts = _view_charts(view, places)
    size_columns(sheet, len(header) + 2, min(len(charts), 2))
    sheet.append([_xlsx(sheet, h, bold=True) for h in header])
    for line in _view_lines(view):
        sheet.append([_xlsx_value_cell(sheet, v) if isinstance(v, Cell) else _xlsx(sheet, v)
                      for v in line])
    sheet.append([])
    sheet.append([_xlsx(sheet, view.grid.source.citation())])
    grid_of_charts(sheet, charts, len(header) + 2, 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


VIEW_CHARTS = 12  # a view's workbook charts its first this many number metrics


def _view_charts(view: View, places: dict[tuple[str, str], int]) -> list:
    """The bar charts of a view's workbook, in its columns' order: each average's, then each
    number metric's (a year's bars would only measure from year 0: none), over its first
    CHART_ROWS['bar'] rows."""
    from .charts import CALENDAR_UNITS, CHART_ROWS, CHARTABLE_TYPES
    from .workbooks import Bars, from_zero, number_format

    drawn = list(islice(view.all_rows(), CHART_ROWS["bar"]))
    if not drawn:  # no model passes the filters: no bar to draw
        return []
    more = (" " + _("(first %(shown)s of %(total)s models)", shown=len(drawn),
                    total=format(view.n_visible, ",")) if view.n_visible > len(drawn) else "")
    baseline = next((i for i, r in enumerate(drawn) if r.is_baseline), None)
    model = places["model", ""]
    charts = []
    for k, average in enumerate(view.averages):
        def score(row, k=k) -> float | None:
            return (row.average, *row.category_averages)[k].score
        scores = [s for r in (drawn if not more else view.all_rows())
                  if (s := score(r)) is not None]
        if not scores:  # no metric it averages has a direction: nothing to draw
            continue
        top = max(scores)
        charts.append(Bars(
            title=average.label + more, axis_title=_("%(average)s (0-100)",
                                                     average=average.label),
            values=places["average", average.id], labels=model, first_row=2, rows=len(drawn),
            best=tuple(i for i, r in enumerate(drawn) if score(r) == top), baseline=baseline))
    number = [(j, c) for j, c in enumerate(view.columns)
              if c.type in CHARTABLE_TYPES and c.unit not in CALENDAR_UNITS][:VIEW_CHARTS]
    for j, c in number:
        values = [r.cells[j].value for r in drawn]
        charts.append(Bars(
            title=c.label + more, axis_title=with_unit(name_of(c), unit_name(c.unit)),
            values=places["metric", c.id], labels=model, first_row=2, rows=len(drawn),
            best=tuple(i for i, r in enumerate(drawn) if r.cells[j].best), baseline=baseline,
            number_format=number_format(c.unit, values), from_zero=from_zero(values)))
    if view.baseline and number:  # the first metric against the baseline, in % of its value
        (j, c), base = number[0], name_of(view.baseline)
        diffs = [r.cells[j].diff for r in drawn]
        charts.append(Bars(
            title=_("%(metric)s vs %(model)s: difference (%(percent)s of %(model)s)",
                    metric=c.label, model=base, percent="%") + more,
            axis_title=_("Difference (%(percent)s of %(model)s's %(metric)s)", percent="%",
                         model=base, metric=name_of(c)),
            values=places["metric", c.id] + 2, labels=model, first_row=2, rows=len(drawn),
            verdicts=tuple(None if d is None else d.verdict for d in diffs),
            baseline=baseline, number_format='+0.0"%";-0.0"%";0"%"', from_zero=False))
    return charts


def _records_sheet(sheet, columns: list[str], records: Iterable[dict]) -> None:
    sheet.append([_xlsx(sheet, c, bold=True) for c in columns])
    for record in records:
        sheet.append([_xlsx(sheet, record.get(c)) for c in columns])



# --- Charts ------------------------------------------------------------------------------

SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN = 13.333, 7.5  # 16:9


def sized(spec: dict, width: int | None, height: int | None) -> dict:
    """Set a chart's drawing width/height where the spec has one (faceted charts keep theirs)."""
    spec = dict(spec)
    for key, value in (("width", width), ("height", height)):
        if value is not None and key in spec:
            spec[key] = value
    return spec


# The most pixels one PNG may have: a 6000 × 4000 picture is more than any slide or page needs,
# and each pixel costs ~14 bytes while it is drawn (a 100 MP request took 1.5 GB and 7 s).
MAX_PIXELS = 24_000_000
_SVG_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


class TooLarge(QueryError):
    """A chart image would be larger than MAX_PIXELS: the `scale` asked for is too large."""


def _svg_size(svg: str) -> tuple[float, float]:
    match = _SVG_SIZE.search(svg)
    if match is None:
        raise ValueError("vl-convert drew an SVG without a width and height")
    return float(match[1]), float(match[2])


def chart_png(spec: dict, scale: float, compact: bool = True, fit: int | None = None) -> bytes:
    """Render a PNG; `compact` stores it with a 256-colour palette (flat chart colours survive
    it unchanged to the eye, and the file is several times smaller).

    A PNG over MAX_PIXELS raises TooLarge; with `fit`, a number of pixels, it is drawn at the
    largest scale up to `scale` that fits in them instead. The chart is laid out once as SVG and
    rasterised from it: the same pixels as vl-convert's own PNG path, at the same cost, with the
    size known before any pixel is drawn.
    """
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec)
    width, height = _svg_size(svg)
    limit = ((fit or MAX_PIXELS) / (width * height)) ** 0.5  # the largest scale that fits
    if scale > limit:
        if not fit:
            largest = _("scale %(n)s", n=int(limit)) if limit >= 1 else _(
                "none: lower width or height")
            raise TooLarge("scale", _(
                "this chart is %(width)s × %(height)s px, so scale %(scale)s would make a "
                "%(wide)s × %(high)s px image; the most is %(most)s million pixels (here "
                "%(largest)s). Lower scale, width or height.", width=f"{width:.0f}",
                height=f"{height:.0f}", scale=f"{scale:g}", wide=f"{width * scale:.0f}",
                high=f"{height * scale:.0f}", most=f"{MAX_PIXELS / 1e6:.0f}", largest=largest))
        scale = limit
    png = vl_convert.svg_to_png(svg, scale=scale)
    if not compact:
        return png
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        palette = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        out = io.BytesIO()
        palette.save(out, format="PNG")  # optimize=True would add ~0.08 s for ~5 % smaller
    return out.getvalue()


def chart_svg(spec: dict) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec).encode("utf-8")


def _slide(prs, png: bytes, title: str, source: str) -> None:
    """Add a 16:9 slide: the title, the chart (drawn without its own title), the source line."""
    from pptx.util import Emu, Inches, Pt

    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    box = slide.shapes.add_textbox(Inches(0.5), Inches(0.25), Inches(12.3), Inches(1.0))
    box.text_frame.word_wrap = True
    box.text_frame.text = title
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(24)  # two lines fit above the chart
    box.text_frame.paragraphs[0].runs[0].font.bold = True

    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        px_w, px_h = image.size
    area_w, area_h = Inches(12.3), Inches(5.45)
    ratio = min(area_w / px_w, area_h / px_h)
    w, h = Emu(int(px_w * ratio)), Emu(int(px_h * ratio))
    left = Inches(0.5) + (area_w - w) // 2
    slide.shapes.add_picture(io.BytesIO(png), left, Inches(1.4), width=w, height=h)

    foot = slide.shapes.add_textbox(Inches(0.5), Inches(6.95), Inches(12.3), Inches(0.4))
    foot.text_frame.word_wrap = True
    foot.text_frame.text = source
    foot.text_frame.paragraphs[0].runs[0].font.size = Pt(11)


def slides(items: list[tuple[bytes, str, str]]) -> bytes:
    """A PowerPoint deck, one 16:9 slide per (chart PNG, title, source line)."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    for png, title, source in items:
        _slide(prs, png, title, source)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
