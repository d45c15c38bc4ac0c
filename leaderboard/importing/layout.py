"""Lay a raw table out as a grid: which labels are models and which metrics, which column is a
band or a qualifier, which rows are model attributes, and every cell with its value.

Layouts handled: models as rows or as columns (decided by which labels resolve, or given);
header rows stacked over the value columns (`AIME 2024` over `pass@1`); a band column filled
only on a group's first row, or band rows with nothing but a heading; qualifier columns between
the label and the values (`# Shots`); attribute rows (`Architecture`, `# Total Params`); a
printed cell that holds several figures (`输入端：…<br>输出端：…`, `278.8 万 GPU 小时（2048 张
H800）`); footnote markers; a `Total` row (left out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import values
from .identity import MATCHED, PROPOSED, Resolution, metric_key, strip_footnote
from .raw import Cell, RawTable

ROWS, COLUMNS = "rows", "columns"
# Printed labels of model attributes (normal form) -> the model registry's field.
ATTRIBUTES = {"architecture": "architecture", "#activatedparams": "active_params",
              "activatedparams": "active_params", "#activeparams": "active_params",
              "#totalparams": "total_params", "totalparams": "total_params",
              "modelsize": "total_params"}
_TOTAL = re.compile(r"^(?:total|sum|合计|总计|總計)$", re.IGNORECASE)
_PAIR = re.compile(r"^([^:：\d]{1,20})[:：]\s*(.+)$")
# A cell's last bracket, closed at its end: "1.23 (4.5)". Linear: the inside holds no bracket.
_LAST_BRACKET = re.compile(r"[（(]([^()（）]*+)[)）]\s*+$")
_DIGIT = re.compile(r"\d")
_BASE = re.compile(r"\bbase\b|基座", re.IGNORECASE)
# Words of a benchmark's measure: a label with one looks like a metric, not a model.
# (Linear on any label: a bracket's inside holds no bracket, a count starts after no digit.)
_METRIC_WORDS = re.compile(r"pass@|cons@|\([^()]*?\b(?:EM|Acc\.?|F1|BPB|Correct|Resolved|"
                           r"Rating|Percentile|winrate|Strict)\b[^()]*+\)|(?<!\d)\d++-shot|%",
                           re.IGNORECASE)


def join_lines(text: str) -> str:
    """A label printed over several lines as one line: nothing after a hyphen, else a space."""
    out = ""
    for line in (part.strip() for part in text.split("\n")):
        if not line:
            continue
        out += line if not out or out.endswith("-") else " " + line
    return out


@dataclass(frozen=True)
class Entry:
    """A model or metric of the grid, as printed, and how its label resolved."""

    label: str
    resolution: Resolution
    band: str | None = None


@dataclass(frozen=True)
class ImportedCell:
    model: str  # the model's label
    metric: str  # the metric's label
    printed: str
    value: Any
    bold: bool = False
    note: str | None = None


@dataclass(frozen=True)
class Attribute:
    model: str
    field: str
    printed: str


@dataclass
class Layout:
    table: RawTable
    models_as: str = ROWS
    models: list[Entry] = field(default_factory=list)
    metrics: list[Entry] = field(default_factory=list)
    cells: list[ImportedCell] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # rows or columns left out, and why
    is_grid: bool = True
    why_not: str = ""


def _value_like(text: str) -> bool:
    text = text.strip()
    return (values.is_number_text(text) or text in values.NOT_REPORTED[1:]
            or text in values.YES or text in values.NO)


def _header_rows(rows: list[list[Cell]]) -> int:
    """How many rows at the top hold only labels (no value after the first column)."""
    for i, row in enumerate(rows):
        if any(_value_like(c.text) for c in row[1:]) or (i and _band_row(row)):
            return max(i, 1)
    return 1


def _stub_columns(body: list[list[Cell]], width: int) -> list[int]:
    """The columns that hold labels, not values (at most half their cells look like values)."""
    stub = []
    for j in range(width):
        texts = [r[j].text for r in body if r[j].text.strip()]
        if texts and sum(map(_value_like, texts)) / len(texts) <= 0.5:
            stub.append(j)
    return stub or [0]


def _is_band_column(body: list[list[Cell]], j: int) -> bool:
    """A band column names a group on its first row: blank or a spanned copy elsewhere."""
    cells = [r[j] for r in body]
    filled = [c for c in cells if c.text.strip() and not c.spanned]
    return 0 < len(filled) < len(cells) and len({c.text for c in filled}) < len(cells)


@dataclass(frozen=True)
class _Shape:
    header: int  # header rows
    label: int  # the column of the row labels
    bands: tuple[int, ...]  # band columns (left of the label)
    qualifiers: tuple[int, ...]  # qualifier columns (right of the label)
    values: tuple[int, ...]  # value columns
    other: tuple[int, ...] = ()  # text columns that are none of these (a download link)


def shape_of(table: RawTable) -> _Shape:
    """Find the header rows, the label, band, qualifier and value columns of a table."""
    rows = [list(r) for r in table.rows]
    header = _header_rows(rows)
    body = [r for r in rows[header:] if not _band_row(r)]
    width = len(rows[0])
    stub = _stub_columns(body or rows[header:], width)
    bands = [j for j in stub if _is_band_column(body, j)]
    labels = [j for j in stub if j not in bands] or stub
    label = max(labels, key=lambda j: (len({r[j].text for r in body}), -j))
    bands = [j for j in bands if j < label]
    qualifiers = [j for j in stub if j > label and _is_qualifier(rows, header, body, j)]
    return _Shape(
        header=header, label=label, bands=tuple(bands), qualifiers=tuple(qualifiers),
        values=tuple(j for j in range(width) if j not in stub),
        other=tuple(j for j in stub if j != label and j not in bands + qualifiers),
    )


_QUALIFIER_HEAD = re.compile(r"shots?|metric|setting|prompt|mode|split|subset", re.IGNORECASE)
_QUALIFIER_TEXT = re.compile(r"^(?:\d+-shot|[-–—]|)$", re.IGNORECASE)


def _is_qualifier(rows: list[list[Cell]], header: int, body: list[list[Cell]], j: int) -> bool:
    """A column between the label and the values that qualifies the row (`# Shots`: 5-shot);
    any other text column there (a download link) is neither label nor value."""
    head = " ".join(r[j].text for r in rows[:header])
    return bool(_QUALIFIER_HEAD.search(head)) or all(
        _QUALIFIER_TEXT.match(r[j].text.strip()) for r in body)


def _band_row(row: list[Cell]) -> bool:
    """A row with a heading in its first cell and nothing else: the band of the rows below."""
    return bool(row[0].text.strip()) and not any(c.text.strip() for c in row[1:])


def _column_label(rows: list[list[Cell]], header: int, j: int) -> str:
    """A value column's label: its header cells top to bottom, repeated ones once."""
    parts: list[str] = []
    for row in rows[:header]:
        text = join_lines(row[j].text)
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    return strip_footnote(" ".join(parts))


def _row_label(row: list[Cell], shape: _Shape) -> str:
    label = strip_footnote(join_lines(row[shape.label].text))
    qualifiers = [join_lines(row[j].text) for j in shape.qualifiers]
    qualifiers = [q for q in qualifiers if q and q not in values.NOT_REPORTED]
    return ", ".join([label, *qualifiers])


def lay_out(table: RawTable, resolve, models_as: str | None = None) -> Layout:
    """Lay `table` out; `resolve(kind, label, base)` resolves one label (see Resolver)."""
    rows = [list(r) for r in table.rows]
    shape = shape_of(table)
    layout = Layout(table)
    layout.left_out += [f"the column {_column_label(rows, shape.header, j)!r}: text that is "
                        "neither a label nor a value" for j in shape.other]
    lines = []  # (row label, band, cells by value column)
    band = None
    for row in rows[shape.header:]:
        if _band_row(row):
            band = join_lines(row[0].text)
            continue
        for j in shape.bands:
            if row[j].text.strip():
                band = join_lines(row[j].text)
        label = _row_label(row, shape)
        if not label:
            layout.left_out.append(f"a row with no label: {[c.text for c in row]}")
        elif _TOTAL.match(label):
            layout.left_out.append(f"the {label!r} row: a sum, not a model or a metric")
        else:
            lines.append((label, band, [row[j] for j in shape.values]))
    headers = [_column_label(rows, shape.header, j) for j in shape.values]
    base = bool(_BASE.search(" ".join(filter(None, [table.caption, table.where]))))
    layout.models_as = models_as or _orientation([x[0] for x in lines], headers, resolve, base)
    _fill(layout, lines, headers, resolve, base)
    return layout


def _orientation(row_labels: list[str], headers: list[str], resolve, base: bool) -> str:
    """Models as rows when the row labels resolve as models (and the headers as metrics)
    better than the other way round."""
    def known(kind, labels):
        return sum(resolve(kind, label, base).status != PROPOSED for label in labels)

    def metric_like(labels):
        return sum(bool(_METRIC_WORDS.search(label)) or metric_key(label) in ATTRIBUTES
                   for label in labels)

    as_rows = (known("models", row_labels) + known("metrics", headers), metric_like(headers))
    as_columns = (known("metrics", row_labels) + known("models", headers),
                  metric_like(row_labels))
    return COLUMNS if as_columns > as_rows else ROWS


def _fill(layout: Layout, lines, headers: list[str], resolve, base: bool) -> None:
    """Models, metrics, attributes and cells from the table's lines and column headers."""
    if layout.models_as == ROWS:
        model_labels = [x[0] for x in lines]
        metric_specs = [(h, None) for h in headers]
        grid = {(x[0], h): cell for x in lines for h, cell in zip(headers, x[2], strict=True)}
    else:
        model_labels = headers
        metric_specs = [(x[0], x[1]) for x in lines]
        grid = {(h, x[0]): cell for x in lines for h, cell in zip(headers, x[2], strict=True)}
    attributes = {m for m, _ in metric_specs if _is_attribute(m, resolve)}
    for label in dict.fromkeys(model_labels):
        layout.models.append(Entry(label, _once(layout.models, "models",
                                                resolve("models", label, base), resolve)))
    seen: set[str] = set()
    for metric, band in metric_specs:
        cells = [grid[(m, metric)] for m in model_labels]
        if metric in attributes:
            layout.attributes += [
                Attribute(m, ATTRIBUTES[metric_key(metric)], join_lines(c.text))
                for m, c in zip(model_labels, cells, strict=True)
                if c.text.strip() not in values.NOT_REPORTED]
            continue
        for part, printed_cells in _split_metric(metric, cells):
            label = resolve.bracket_label(metric) if part is None else part
            if label in seen:
                continue
            seen.add(label)
            resolution = _once(layout.metrics, "metrics", resolve("metrics", label, base),
                               resolve)
            layout.metrics.append(Entry(label, resolution, band))
            kind = resolve.metric_type(resolution, [c[0] for c in printed_cells if c])
            for model, found in zip(model_labels, printed_cells, strict=True):
                if found is not None:
                    layout.cells.append(_cell(model, label, found, kind))
    _check_is_grid(layout)


def _once(entries: list[Entry], kind: str, found: Resolution, resolve) -> Resolution:
    """No two labels of a table resolve to one entry: the later one is only a candidate."""
    if found.status == MATCHED and any(e.resolution.id == found.id for e in entries):
        return resolve.apart(kind, found)
    return found


def _is_attribute(label: str, resolve) -> bool:
    """A model attribute row, unless the registry holds it as a metric."""
    key = metric_key(label)
    return key in ATTRIBUTES and resolve("metrics", label, False).status != MATCHED


def _cell(model: str, metric: str, found: tuple[str, bool, str | None], kind: str
          ) -> ImportedCell:
    printed, bold, note = found
    value = values.parse(printed, kind)
    if kind == "boolean" and printed == "":
        value = False  # an unticked box in a column of ticks
    return ImportedCell(model, metric, printed, value, bold, note)


def _split_metric(metric: str, cells: list[Cell]):
    """The metric's parts, each with every model's (printed, bold, note) or None: a cell
    holding `label：figure` lines gives one part per label; `figure（figure）` gives the figure
    and a second part, the bracketed one (named None: the caller names it)."""
    split = [_parts(c) for c in cells]
    names: list[str] = []
    for parts in split:
        names += [n for n in parts if n not in names]
    if "" in names and any(n not in ("", "()") for n in names):
        # Some cells print labelled figures: a cell printing '-' has none of them.
        missing = [i for i, parts in enumerate(split) if "" in parts]
        if all(split[i][""][0] in values.NOT_REPORTED for i in missing):
            names.remove("")
            for i in missing:
                split[i] = {n: split[i][""] for n in names}
    for name in names:
        label = metric if name == "" else None if name == "()" else f"{metric} {name}"
        yield label, [parts.get(name, ("-", False, None) if name in ("", "()") else None)
                      for parts in split]


def _parts(cell: Cell) -> dict[str, tuple[str, bool, str | None]]:
    """The figures one printed cell holds, by part name ('' for a single figure)."""
    lines = [line.strip() for line in cell.text.split("\n") if line.strip()]
    pairs = [_PAIR.match(line) for line in lines]
    if len(lines) > 1 and sum(p is not None for p in pairs) >= 2:
        notes = " ".join(line for line, p in zip(lines, pairs, strict=True) if p is None)
        return {p[1].strip(): (line, cell.bold, notes or None)
                for line, p in zip(lines, pairs, strict=True) if p is not None}
    text = join_lines(cell.text)
    bracket = _LAST_BRACKET.search(text)
    if bracket:
        head, inside = text[:bracket.start()].strip(), bracket[1].strip()
        if (_DIGIT.search(head) and _DIGIT.search(inside) and values.is_number_text(head)
                and values.is_number_text(inside)):
            return {"": (head, cell.bold, f"Printed together: {text}"),
                    "()": (inside, cell.bold, f"Printed together: {text}")}
    return {"": (text, cell.bold, None)}


def _check_is_grid(layout: Layout) -> None:
    """A model grid has values, and some label on each axis is one the registries know."""
    shown = [c for c in layout.cells if c.printed not in values.NOT_REPORTED]
    numeric = [c for c in shown if c.value is not None]
    matched = [e for e in layout.models + layout.metrics if e.resolution.status != PROPOSED]
    if not shown or len(numeric) < len(shown) / 2:
        layout.is_grid, layout.why_not = False, "most cells are not values"
    elif not matched:
        layout.is_grid = False
        layout.why_not = "no label is a model or metric the registries know"
