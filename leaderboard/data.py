"""Load and validate `data/benchmarks/` (or read its snapshot), and build the frames every view
reads, each once."""

from __future__ import annotations

import csv
import hashlib
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd
import yaml
from marshmallow import Schema, ValidationError

from .schemas import (
    VALUE_FIELDS,
    CellSchema,
    GridSchema,
    MetricSchema,
    ModelSchema,
    ReportSchema,
)

GRIDS_DIR = "grids"
CELL_COLUMNS = ("model", "metric", "printed", "value", "bold", "label", "page", "note")
NOT_REPORTED = "-"
TEXT_LABEL = "正文"  # the label of figures stated in a report's running text
PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?%?$")

# A cells file is validated a group of columns at a time, each distinct text once: a million
# cells hold a few thousand distinct labels and printed values, and a marshmallow load of a
# whole row costs ~40 µs. The same schema, the same messages, in the declared field order.
CELL_PARTS = (CellSchema(only=("model",)), CellSchema(only=("metric",)),
              CellSchema(exclude=("model", "metric")))
_MEMO_LIMIT = 50_000  # distinct texts remembered per part and file
RESULT_COLUMNS = [
    "grid", "model", "metric", "value", "raw", "printed", "bold", "note",
    "report", "label", "page", "cited", "file", "row",
]


class Problem(NamedTuple):
    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: {self.field}: {self.message}"


class DataError(Exception):
    """The data directory is invalid; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [str(p) for p in problems]
        super().__init__("\n".join([f"{len(problems)} problem(s) in the data:", *lines]))


@dataclass(frozen=True)
class Source:
    report: str
    report_title: str
    publisher: str
    date: str
    label: str
    page: int | None  # None for a file without pages (a README)
    cited: str | None
    kind: str = "broker-report"

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @property
    def reference(self) -> str:
        """The report alone: '中国银河证券研究院《DeepSeek：技术颠覆 or 创新共赢》(2025-02-03)'."""
        return reference(self.publisher, self.report_title, self.date)

    def citation(self, label: str | None = None, page: int | None = None) -> str:
        """Name where a figure is printed, in the one form every page, chart, download and slide
        uses: '图5, p. 7, 中国银河证券研究院《DeepSeek：…》(2025-02-03) · 资料来源: …'.

        `label` and `page` name another place in the same report (a figure in the text)."""
        place = where(self.label, self.page) if label is None else where(label, page)
        cited = f" · {self.cited}" if self.cited else ""
        return f"{place}, {self.reference}{cited}"


def reference(publisher: str, title: str, date: str) -> str:
    """Name a report: '中国银河证券研究院《DeepSeek：技术颠覆 or 创新共赢》(2025-02-03)'."""
    return f"{publisher}《{title}》({date})"


def where(label: Any, page: Any) -> str:
    """Return a place in a report, e.g. '图5, p. 7' (a README's label alone)."""
    return str(label) if page is None or pd.isna(page) else f"{label}, p. {int(page)}"


@dataclass(frozen=True)
class GridEntry:
    id: str
    label: str
    band: str | None = None


@dataclass(frozen=True)
class Grid:
    slug: str
    title: str
    title_en: str
    caption: str
    source: Source
    models: tuple[GridEntry, ...]
    metrics: tuple[GridEntry, ...]
    sparse: bool = False
    layout: str = "models-as-rows"
    follows: str | None = None  # the grid this one reprints, to be reconciled with


@dataclass(frozen=True)
class GridFrames:
    """One grid as models × metrics frames, in the report's order, one frame per cell field.

    Where a grid gives a cell twice (text figures from two pages) the first row is shown and
    the cell is marked as a conflict if the two differ.
    """

    values: pd.DataFrame  # float sort values; NaN = not reported
    raw: pd.DataFrame  # typed value (number, YYYY-MM, bool) or None
    printed: pd.DataFrame  # as printed; None where the grid has no cell
    bold: pd.DataFrame
    conflict: pd.DataFrame
    note: pd.DataFrame
    label: pd.DataFrame
    page: pd.DataFrame


# The frames of a grid: (GridFrames field, results column, what an absent cell holds).
_FRAME_FIELDS = (("values", "value", math.nan), ("raw", "raw", None), ("printed", "printed", None),
                 ("bold", "bold", False), ("conflict", "conflict", False), ("note", "note", None),
                 ("label", "label", None), ("page", "page", None))
NO_ROWS = np.empty(0, dtype=np.int64)


def first_rows(results: pd.DataFrame) -> dict[str, np.ndarray]:
    """Return each grid's rows of the results that its frames show (a cell given twice in a
    grid shows its first row), as positions, in one pass over the results."""
    first = np.flatnonzero(~results.duplicated(["grid", "model", "metric"]).to_numpy())
    grid_of = pd.Series(results["grid"].to_numpy()[first], dtype=object)
    return {slug: first[at] for slug, at in grid_of.groupby(grid_of, sort=False).indices.items()}


def grid_frames(grid: Grid, columns: Mapping[str, np.ndarray], at: np.ndarray) -> GridFrames:
    """Place a grid's rows (positions `at` in the results' `columns`) in its frames."""
    model_ids, metric_ids = [m.id for m in grid.models], [m.id for m in grid.metrics]
    row_of = {m: i for i, m in enumerate(model_ids)}
    column_of = {m: j for j, m in enumerate(metric_ids)}
    i = np.fromiter((row_of[m] for m in columns["model"][at]), dtype=int, count=len(at))
    j = np.fromiter((column_of[m] for m in columns["metric"][at]), dtype=int, count=len(at))
    frames = {}
    for name, column, absent in _FRAME_FIELDS:
        dtype = "float64" if name == "values" else bool if absent is False else object
        grid_cells = np.full((len(model_ids), len(metric_ids)), absent, dtype=dtype)
        grid_cells[i, j] = columns[column][at]
        frames[name] = pd.DataFrame(grid_cells, index=model_ids, columns=metric_ids,
                                    dtype=dtype)  # object stays object (None, not NaN)
    return GridFrames(**frames)


def _frame_columns(results: pd.DataFrame) -> dict[str, np.ndarray]:
    names = {"model", "metric", *(column for _, column, _ in _FRAME_FIELDS)}
    return {name: results[name].to_numpy() for name in names}


def all_grid_frames(results: pd.DataFrame, grids: Iterable[Grid]) -> dict[str, GridFrames]:
    """Pivot every grid's results into models × metrics frames, now (GridFrameMap: when asked)."""
    rows, columns = first_rows(results), _frame_columns(results)
    return {g.slug: grid_frames(g, columns, rows.get(g.slug, NO_ROWS)) for g in grids}


class GridFrameMap(Mapping[str, GridFrames]):
    """Every grid's frames by slug, in the grids' order; a grid's are built when first asked
    for and kept (5,000 grids' 40,000 frames take ~9 s, most of them never read)."""

    def __init__(self, results: pd.DataFrame, grids: Mapping[str, Grid],
                 rows: Mapping[str, np.ndarray] | None = None):
        self._grids = grids
        self._columns = _frame_columns(results)
        self._rows = first_rows(results) if rows is None else rows
        # Built at most twice under a race, never half: a grid's entry is set once it is whole.
        self._built: dict[str, GridFrames] = {}

    def __getitem__(self, slug: str) -> GridFrames:
        frames = self._built.get(slug)
        if frames is None:
            grid = self._grids[slug]  # KeyError for a grid there is not
            frames = grid_frames(grid, self._columns, self._rows.get(slug, NO_ROWS))
            self._built[slug] = frames
        return frames

    def __contains__(self, slug: object) -> bool:
        return slug in self._grids

    def __iter__(self) -> Iterator[str]:
        return iter(self._grids)

    def __len__(self) -> int:
        return len(self._grids)

    def __repr__(self) -> str:
        return f"<GridFrameMap: {len(self._built)} of {len(self)} grids built>"


@dataclass(frozen=True, eq=False)
class Dataset:
    """Everything loaded from one data directory; nothing here changes after loading.

    Compared and hashed by identity, so functions of a Dataset can be cached.
    """

    reports: Mapping[str, dict]
    models: pd.DataFrame
    metrics: pd.DataFrame
    grids: Mapping[str, Grid]
    results: pd.DataFrame
    conflicts: pd.DataFrame
    frames: Mapping[str, GridFrames]
    version: str
    directory: Path = field(compare=False)


# --- YAML with line numbers ----------------------------------------------------------


class _LinedDict(dict):
    """A YAML mapping that remembers the line of the mapping and of each key."""

    line: int = 0
    key_lines: dict[str, int]


if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:  # libyaml's parser when present
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """Safe YAML where dates stay strings and mappings know their line numbers."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LinedDict:
    keys = [key.value for key, _ in node.value]
    for i, key_node in enumerate(k for k, _ in node.value):
        if key_node.value in keys[:i]:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
            )
    mapping = _LinedDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {key.value: key.start_mark.line + 1 for key, _ in node.value}
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        with path.open(encoding="utf-8") as f:
            return yaml.load(f, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problems.append(Problem(str(path), line, "yaml", str(getattr(e, "problem", e))))
    except (OSError, UnicodeDecodeError) as e:
        problems.append(Problem(str(path), 0, "file", f"cannot be read: {e}"))
    return None


def _error_rows(errors: Any, node: Any, path: str = "") -> Iterator[tuple[str, int, str]]:
    """Flatten marshmallow's nested error dict into (field path, line, message)."""
    line = getattr(node, "line", 0)
    if isinstance(errors, dict):
        for key, sub in errors.items():
            child = None
            if isinstance(node, dict):
                child = node.get(key)
            elif isinstance(node, list) and isinstance(key, int) and key < len(node):
                child = node[key]
            name = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}".lstrip(".")
            if not isinstance(child, dict | list):
                key_line = getattr(node, "key_lines", {}).get(key, line)
                child = _Lined(key_line)
            yield from _error_rows(sub, child, name)
    else:
        for message in errors if isinstance(errors, list) else [errors]:
            yield path or "_schema", line, str(message)


class _Lined:
    def __init__(self, line: int):
        self.line = line


def _load_item(
    schema: Schema, item: Any, file: str, problems: list[Problem], line: int = 0
) -> dict | None:
    if not isinstance(item, dict):
        problems.append(Problem(file, line, "_schema", "expected a mapping of field: value"))
        return None
    try:
        return schema.load(item)
    except ValidationError as e:
        for name, row, message in _error_rows(e.messages, item):
            problems.append(Problem(file, row, name, message))
        return None


class _Registry(dict):
    """Records keyed by id, with the YAML node of each and the ids whose entry is invalid."""

    def __init__(self):
        super().__init__()
        self.nodes: dict[str, _LinedDict] = {}
        self.broken: set[str] = set()

    def line_of(self, record_id: str, key: str) -> int:
        node = self.nodes[record_id]
        return node.key_lines.get(key, node.line)


def _read_registry(path: Path, schema: Schema, problems: list[Problem]) -> _Registry:
    """Read a YAML list of records keyed by `id`, reporting duplicates."""
    records = _Registry()
    raw = _read_yaml(path, problems)
    if raw is None:
        return records
    if not isinstance(raw, list):
        problems.append(Problem(str(path), 1, "_schema", "expected a list of entries"))
        return records
    for item in raw:
        record = _load_item(schema, item, str(path), problems)
        if record is None:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                records.broken.add(item["id"])
            continue
        if record["id"] in records:
            problems.append(Problem(
                str(path), item.line, "id",
                f"duplicate id {record['id']!r} (first at line {records.nodes[record['id']].line})",
            ))
            continue
        records[record["id"]] = record
        records.nodes[record["id"]] = item
    return records


# --- Grids ---------------------------------------------------------------------------


@dataclass
class _Registries:
    reports: _Registry
    models: _Registry
    metrics: _Registry


def _check_entries(
    raw: dict, kind: str, registry: _Registry, file: str, problems: list[Problem]
) -> bool:
    """Check a grid's models or metrics list: ids known, labels and ids unique."""
    seen_labels: set[str] = set()
    seen_ids: set[str] = set()
    usable = True
    for i, entry in enumerate(raw[kind]):
        line = getattr(entry, "line", 0)
        where = f"{kind}[{i}]"
        if entry["id"] in registry.broken:
            usable = False  # its own entry is already reported; don't report it twice
        elif entry["id"] not in registry:
            problems.append(Problem(
                file, line, f"{where}.id",
                f"unknown {kind[:-1]} {entry['id']!r}: add it to {kind}.yaml first",
            ))
        if entry["label"] in seen_labels:
            problems.append(
                Problem(file, line, f"{where}.label", f"duplicate label {entry['label']!r}")
            )
        if entry["id"] in seen_ids:
            problems.append(Problem(file, line, f"{where}.id", f"{entry['id']!r} is listed twice"))
        seen_labels.add(entry["label"])
        seen_ids.add(entry["id"])
    return usable


def _read_grid(path: Path, reg: _Registries, problems: list[Problem]) -> Grid | None:
    raw = _read_yaml(path, problems)
    if raw is None:
        return None
    before = len(problems)
    grid = _load_item(GridSchema(), raw, str(path), problems, line=1)
    if grid is None:
        return None
    report = reg.reports.get(grid["source"]["report"])
    if report is None:
        problems.append(Problem(
            str(path), raw["source"].key_lines.get("report", raw["source"].line), "source.report",
            f"unknown report {grid['source']['report']!r}: add it to reports.yaml first",
        ))
    usable = [
        _check_entries(_entries_with_lines(raw, grid, kind), kind, getattr(reg, kind), str(path),
                       problems)
        for kind in ("models", "metrics")
    ]
    if report is None or len(problems) > before or not all(usable):
        return None
    src = grid["source"]
    return Grid(
        slug=path.stem,
        title=grid["title"],
        title_en=grid["title_en"],
        caption=grid["caption"],
        source=Source(
            report=report["id"], report_title=report["title"], publisher=report["publisher"],
            date=report["date"], label=src["label"], page=src["page"], cited=src["cited"],
            kind=report["kind"],
        ),
        models=tuple(GridEntry(m["id"], m["label"]) for m in grid["models"]),
        metrics=tuple(GridEntry(m["id"], m["label"], m["band"]) for m in grid["metrics"]),
        sparse=grid["sparse"],
        layout=grid["layout"],
        follows=grid["follows"],
    )


def _entries_with_lines(raw: dict, grid: dict, kind: str) -> dict:
    """Pair the loaded entries of a grid's list with the YAML lines they came from."""
    entries = []
    for loaded, node in zip(grid[kind], raw[kind], strict=True):
        entry = _LinedDict(loaded)
        entry.line = getattr(node, "line", 0)
        entries.append(entry)
    return {kind: entries}


# --- Cells ---------------------------------------------------------------------------


def _check_printed(cell: dict, value: Any) -> str | None:
    """Say what is wrong between `printed` and `value`, or None when they agree."""
    printed = cell["printed"]
    if printed == NOT_REPORTED:
        if value is not None:
            return "printed '-' means not reported: leave value empty"
        return None
    if PLAIN_NUMBER.match(printed) and not isinstance(value, bool):
        shown = float(printed.rstrip("%"))
        if value is None:
            return f"missing: printed {printed!r} is a number"
        if not isinstance(value, float) or abs(value - shown) > 1e-9 * max(1.0, abs(shown)):
            return f"{cell['value']!r} does not match the printed {printed!r}"
    return None


def _sort_key(value: Any) -> float:
    """The number a value sorts by: itself, 1/0 for booleans, a decimal year for dates."""
    if value is None:
        return float("nan")
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, str):
        parts = [int(p) for p in value.split("-")] + [1, 1]
        return parts[0] + (parts[1] - 1) / 12 + (parts[2] - 1) / 372
    return float(value)


class _CellReader:
    """Validate one grid's cells file row by row, collecting problems."""

    def __init__(self, grid: Grid, metrics: dict[str, dict], file: str, problems: list[Problem],
                 columns: list[str]):
        self.grid = grid
        self.metrics = metrics
        self.file = file
        self.problems = problems
        self.models_by_label = {m.label: m.id for m in grid.models}
        self.metrics_by_label = {m.label: m.id for m in grid.metrics}
        self.seen: dict[tuple, int] = {}
        # Per part of CellSchema: the file's columns it reads, and raw texts → (fields, messages).
        self.parts: list[tuple[Schema, list[str], dict[tuple, tuple]]] = [
            (schema, [n for n in schema.fields if n in columns], {}) for schema in CELL_PARTS
        ]
        self.values: dict[tuple, tuple] = {}  # (value, printed, type) → (value, message)

    def add(self, row: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.file, row, field_name, message))

    def rows(self, reader: Any, header: list[str]) -> Iterator[tuple[int, dict]]:
        """The file's rows past the header as (row, {column: text}), blank lines skipped.

        A row with more or fewer fields than the header is a problem, not a row. So is a
        record over several lines: no cell holds a line break, so a quote was left open; it
        is reported once, at the row where it opens, and a CSV error ends the reading.
        """
        width, start = len(header), reader.line_num + 1
        try:
            for fields in reader:
                end = reader.line_num
                if end > start:
                    self.add(start, "cells", f"a quote opened on this row is closed only on "
                                             f"line {end}: a row is one line")
                elif len(fields) == width:
                    yield start, dict(zip(header, fields, strict=True))
                elif fields:
                    self.add(start, "cells",
                             f"row has {len(fields)} fields, the header has {width}")
                start = end + 1
        except csv.Error as e:
            self.add(start, "cells", "a quote opened on this row is never closed"
                     if "end of data" in str(e) else f"not valid CSV: {e}")

    def read(self, rows: Iterator[tuple[int, dict]]) -> list[tuple]:
        before = len(self.problems)
        out = [r for r in (self.read_row(n, raw) for n, raw in rows) if r is not None]
        # A rejected row would show up again as a missing cell: check only clean files.
        if not self.grid.sparse and len(self.problems) == before:
            self.check_complete()
        return out

    def read_row(self, row: int, raw: dict) -> tuple | None:
        cell, errors = self.load(raw)
        if errors:
            for name, messages in errors.items():
                for message in messages if isinstance(messages, list) else [messages]:
                    self.add(row, name, str(message))
            return None
        model = self.resolve(row, "model", cell["model"], self.models_by_label)
        metric = self.resolve(row, "metric", cell["metric"], self.metrics_by_label)
        if model is None or metric is None:
            return None
        value, wrong = self.value_of(cell, self.metrics[metric]["type"])
        if wrong:
            self.add(row, "value", wrong)
            return None
        label = cell["label"] or self.grid.source.label
        page = cell["page"] or self.grid.source.page
        key = (model, metric, label, page)
        if key in self.seen:
            self.add(row, "model", f"duplicate cell {cell['model']!r} × {cell['metric']!r} "
                                   f"(first at row {self.seen[key]})")
            return None
        self.seen[key] = row
        # A tuple in RESULT_COLUMNS' order: a million cells as dicts would cost gigabytes.
        return (self.grid.slug, model, metric, _sort_key(value), value, cell["printed"],
                cell["bold"], cell["note"], self.grid.source.report, label, page,
                self.grid.source.cited, self.file, row)

    def load(self, raw: dict) -> tuple[dict, dict]:
        """The row's fields, and the messages of those that are wrong (CellSchema's)."""
        cell, errors = {}, {}
        for schema, names, memo in self.parts:
            key = tuple(map(raw.__getitem__, names))
            if key not in memo:
                if len(memo) >= _MEMO_LIMIT:  # rows that are all different: keep memory flat
                    memo.clear()
                try:
                    memo[key] = (schema.load(dict(zip(names, key, strict=True))), {})
                except ValidationError as e:
                    memo[key] = ({}, e.messages)
            part, wrong = memo[key]
            cell.update(part)
            errors.update(wrong)
        return cell, errors

    def value_of(self, cell: dict, kind: str) -> tuple[Any, str | None]:
        """The cell's typed value, or what is wrong with it; once per distinct text and type."""
        key = (cell["value"], cell["printed"], kind)
        if key not in self.values:
            if len(self.values) >= _MEMO_LIMIT:
                self.values.clear()
            try:
                value = None if cell["value"] is None else VALUE_FIELDS[kind].deserialize(
                    cell["value"])
            except ValidationError as e:
                self.values[key] = (None, f"{cell['value']!r}: " + "; ".join(map(str, e.messages)))
            else:
                self.values[key] = (value, _check_printed(cell, value))
        return self.values[key]

    def resolve(self, row: int, name: str, label: str, known: dict[str, str]) -> str | None:
        if label not in known:
            self.add(row, name, f"unknown {name} label {label!r}; the grid's {name}s are: "
                                + ", ".join(repr(k) for k in known))
            return None
        return known[label]

    def check_complete(self) -> None:
        have = {(m, x) for m, x, _, _ in self.seen}
        for model in self.grid.models:
            for metric in self.grid.metrics:
                if (model.id, metric.id) not in have:
                    self.add(0, "cells", f"no cell for {model.label!r} × {metric.label!r}; "
                                         "write '-' as printed when the report leaves it out")


def _read_cells(
    path: Path, grid: Grid, metrics: dict[str, dict], problems: list[Problem]
) -> list[tuple]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f, strict=True)
            header = next(reader, [])
            unknown = [c for c in header if c not in CELL_COLUMNS]
            missing = [c for c in ("model", "metric", "printed") if c not in header]
            if unknown or missing:
                problems.append(Problem(str(path), 1, "header", (
                    f"unknown column(s) {unknown} " if unknown else ""
                ) + (f"missing column(s) {missing} " if missing else "") + (
                    f"(columns: {', '.join(CELL_COLUMNS)})"
                )))
                return []
            cells = _CellReader(grid, metrics, str(path), problems, header)
            return cells.read(cells.rows(reader, header))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        problems.append(Problem(str(path), 0, "file", f"cannot be read: {e}"))
        return []


# --- Conflicts -----------------------------------------------------------------------


def find_conflicts(results: pd.DataFrame) -> pd.DataFrame:
    """Return one row per (model, metric) that two places give differently: two values, or a
    value in one place and '-' (not reported) in another."""
    numbers = results.dropna(subset=["value"])
    rounded = numbers["value"].map(lambda v: float(f"{v:.12g}"))
    distinct = rounded.groupby([numbers["model"], numbers["metric"]]).nunique()
    dashes = results[results["printed"] == NOT_REPORTED].groupby(["model", "metric"]).size()
    keys = distinct[(distinct > 1) | ((distinct > 0) & distinct.index.isin(dashes.index))].index
    return pd.DataFrame({"model": keys.get_level_values(0), "metric": keys.get_level_values(1)})


# --- Loading -------------------------------------------------------------------------


SNAPSHOT_DIR = ".snapshot"  # `leaderboard validate` compiles the data here: not data itself


def _data_files(directory: Path) -> list[tuple[tuple[str, ...], str]]:
    """Every file under the directory but the snapshot's, as (its path's parts, its path), in
    the order of sorted(directory.rglob("*")): os.scandir, as a stat per file costs.

    A linked folder is followed (once), as validating reads through it: `grids/` may be a link
    to where the grids are kept, and its files are data as much as any."""
    found = []
    folders: list[tuple[tuple[str, ...], str]] = [((), str(directory))]
    seen = {os.path.realpath(directory)}
    while folders:
        parts, folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except PermissionError:  # as rglob: a folder that cannot be listed holds nothing
            continue
        for entry in entries:
            if entry.is_dir():
                real = os.path.realpath(entry.path)
                if real not in seen and (parts or entry.name != SNAPSHOT_DIR):
                    seen.add(real)
                    folders.append(((*parts, entry.name), entry.path))
            elif entry.is_file():
                found.append(((*parts, entry.name), entry.path))
    return sorted(found)


def data_digest(directory: Path) -> str:
    """Return the sha256 of every data file's path and bytes; its start is the data version."""
    digest = hashlib.sha256()
    for parts, path in _data_files(directory):
        digest.update(os.sep.join(parts).encode())
        with open(path, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()


def _check_follows(grids: dict[str, Grid], directory: Path, problems: list[Problem]) -> None:
    for grid in grids.values():
        if grid.follows is not None and grid.follows not in grids:
            problems.append(Problem(
                str(directory / GRIDS_DIR / f"{grid.slug}.yaml"), 0, "follows",
                f"no grid {grid.follows!r}: follows names the slug of the grid this one reprints"))


def _check_teachers(models: _Registry, file: str, problems: list[Problem]) -> None:
    for model in models.values():
        teacher = model["teacher"]
        if teacher is not None and teacher not in models and teacher not in models.broken:
            problems.append(Problem(
                file, models.line_of(model["id"], "teacher"), "teacher",
                f"{model['id']}: unknown teacher model {teacher!r}",
            ))


def _read_grids(directory: Path, reg: _Registries, problems: list[Problem]):
    grids: dict[str, Grid] = {}
    cells: list[tuple] = []
    grid_dir = directory / GRIDS_DIR
    yamls = sorted(grid_dir.glob("*.yaml"))
    csvs = {p.stem for p in grid_dir.glob("*.csv")}
    if not yamls:
        problems.append(
            Problem(str(grid_dir), 0, "grids", "no grid files (<slug>.yaml + <slug>.csv)")
        )
    for path in yamls:
        if _read_slug(path, problems) is None:
            continue
        if path.stem not in csvs:
            problems.append(Problem(str(path), 0, "cells", f"{path.stem}.csv is missing beside it"))
            continue
        grid = _read_grid(path, reg, problems)
        if grid is not None:
            grids[grid.slug] = grid
            cells += _read_cells(path.with_suffix(".csv"), grid, reg.metrics, problems)
    for stem in sorted(csvs - {p.stem for p in yamls}):
        problems.append(Problem(str(grid_dir / f"{stem}.csv"), 0, "grid",
                                f"{stem}.yaml is missing beside it"))
    return grids, cells


def _read_slug(path: Path, problems: list[Problem]) -> str | None:
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", path.stem):
        problems.append(Problem(str(path), 0, "slug", "file name must be a slug like r1-distilled"))
        return None
    return path.stem


def _with_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Hold text columns as objects with None for missing, so None never turns into 'nan'."""
    text = [c for c in frame.columns if frame[c].dtype.kind not in "biufc"]
    out = frame.astype({c: object for c in text})
    out[text] = out[text].where(out[text].notna(), None)
    return out


# Yes / no / unknown columns: Python True, False or None, whatever the other rows hold, so
# `value is True` means the same in every data directory.
TRI_STATE = ("higher_is_better", "open_weights")


def _frame(records: dict[str, dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(records.values()))
    frame = _with_none(frame.set_index("id", drop=False).rename_axis(None))
    for column in TRI_STATE:
        if column in frame.columns:
            frame[column] = pd.Series(
                [None if v is None or v != v else bool(v) for v in frame[column]],
                index=frame.index, dtype=object)
    return frame


@dataclass(frozen=True)
class Validated:
    """What validating a data directory yields, and a Dataset is built from (a snapshot holds it).
    """

    reports: dict[str, dict]  # the records of reports.yaml by id, in its order
    models: dict[str, dict]
    metrics: dict[str, dict]
    grids: list[Grid]  # in the Dataset's order
    results: pd.DataFrame  # with its conflict column
    conflicts: pd.DataFrame


def validate(directory: Path) -> Validated:
    """Read and validate a data directory; raise DataError listing every problem."""
    problems: list[Problem] = []
    reg = _Registries(
        reports=_read_registry(directory / "reports.yaml", ReportSchema(), problems),
        models=_read_registry(directory / "models.yaml", ModelSchema(), problems),
        metrics=_read_registry(directory / "metrics.yaml", MetricSchema(), problems),
    )
    _check_teachers(reg.models, str(directory / "models.yaml"), problems)
    grids, cells = _read_grids(directory, reg, problems)
    _check_follows(grids, directory, problems)
    if problems:
        raise DataError(problems)
    results = pd.DataFrame.from_records(cells, columns=RESULT_COLUMNS).astype(
        {"value": "float64", "raw": object, "bold": "bool", "row": "int64"}
    ).pipe(_with_none)
    # Pages as whole numbers, None where a file has none (a README): not floats with NaN.
    results["page"] = pd.Series([None if p is None or p != p else int(p) for p in results["page"]],
                                index=results.index, dtype=object)
    conflicts = find_conflicts(results)
    keys = pd.MultiIndex.from_frame(results[["model", "metric"]])
    results["conflict"] = keys.isin(pd.MultiIndex.from_frame(conflicts))
    # Figures and tables first, in page order; then figures stated in the running text.
    report_order = {report: i for i, report in enumerate(reg.reports)}  # reports.yaml's order
    ordered = sorted(grids.values(), key=lambda g: (
        report_order[g.source.report], g.source.label == TEXT_LABEL, g.source.page or 0,
        g.source.label, g.slug))
    return Validated(dict(reg.reports), dict(reg.models), dict(reg.metrics), ordered, results,
                     conflicts)


def build(parts: Validated, directory: Path, version: str,
          rows: Mapping[str, np.ndarray] | None = None) -> Dataset:
    """Build the Dataset of validated data; `rows` are the results' first_rows, if known."""
    models = _frame(parts.models)
    models["distilled"] = models["teacher"].notna()
    labels: dict[str, dict[str, str]] = {mid: {} for mid in models.index}
    for grid in sorted(parts.grids, key=lambda g: f"{g.slug}.yaml"):  # the grid files' order
        for entry in grid.models:
            labels[entry.id][grid.slug] = entry.label
    models["labels"] = [labels[mid] for mid in models.index]
    grids = MappingProxyType({g.slug: g for g in parts.grids})
    return Dataset(
        reports=MappingProxyType(parts.reports),
        models=models,
        metrics=_frame(parts.metrics),
        grids=grids,
        results=parts.results,
        conflicts=parts.conflicts,
        frames=GridFrameMap(parts.results, grids, rows),
        version=version,
        directory=directory,
    )


def load(directory: str | Path, *, snapshot: bool = True) -> Dataset:
    """Load a data directory: from its snapshot when the snapshot is of these very files and
    this code (`leaderboard validate` writes it), else validating every file; raise DataError
    listing every problem. `snapshot=False` validates whatever there is."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DataError(
            [Problem(str(directory), 0, "directory", "does not exist or is not a directory")]
        )
    digest = data_digest(directory)
    if snapshot and (directory / SNAPSHOT_DIR).is_dir():
        from . import snapshot as compiled  # pyarrow, imported only where a snapshot is read

        found = compiled.read(directory, digest)
        if found is not None:
            parts, rows = found
            return build(parts, directory, digest[:12], rows)
    return build(validate(directory), directory, digest[:12])
