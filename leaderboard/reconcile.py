"""A grid beside the grid it follows (the table it reprints), cell by cell."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask_babel import gettext as _

from .catalog import where
from .data import NOT_REPORTED, Dataset, Grid, GridEntry
from .errors import UnknownError

SAME = "same"
DIFFERENT = "different"
NOT_REPORTED_STATUS = "not-reported"  # one prints '-' or nothing, the other a value
ONLY_HERE = "only-here"  # a model or metric the following grid has and its source lacks
ONLY_IN_SOURCE = "only-in-source"
IN_NEITHER = "in-neither"  # a model only one grid has × a metric only the other has
STATUSES = (SAME, DIFFERENT, NOT_REPORTED_STATUS, ONLY_HERE, ONLY_IN_SOURCE, IN_NEITHER)
SHOWS = ("all", "differences")
# Two numbers are the same value when they differ by less than this (relative or absolute):
# '759.0' and '759' are one value; 44.0 and 44.1 are not.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Side:
    """One grid's cell: as printed, its typed value, bold, and where it is printed."""

    grid: str
    printed: str | None  # None where the grid has no cell (a sparse grid)
    value: Any  # number, YYYY-MM, bool, or None
    bold: bool
    report: str
    label: str
    page: int | None
    place: str  # Source.citation: '图4, p. 6, 中国银河证券研究院《…》(2025-02-03) · …'

    @property
    def where(self) -> str:
        return where(self.label, self.page)

    @property
    def reported(self) -> bool:
        return self.value is not None or self.printed not in (None, "", NOT_REPORTED)


@dataclass(frozen=True)
class Check:
    """One model × metric of either grid: this grid's cell, the source's, and their verdict."""

    model: str
    metric: str
    status: str
    here: Side | None  # None when this grid lacks the model or the metric
    source: Side | None
    difference: float | None  # here − source, when both are numbers that differ
    details: tuple[str, ...]  # 'printed differently: …', 'bold in the source only'

    @property
    def detail(self) -> str:
        return "; ".join(self.details)


@dataclass(frozen=True)
class Entry:
    """A model or metric of either grid, with the label each grid prints it under."""

    id: str
    here: str | None  # this grid's label; None when only the source has it
    source: str | None

    @property
    def label(self) -> str:
        return self.here if self.here is not None else str(self.source)

    @property
    def status(self) -> str:
        return ONLY_IN_SOURCE if self.here is None else ONLY_HERE if self.source is None else SAME


@dataclass(frozen=True)
class Row:
    model: Entry
    cells: tuple[Check, ...]  # in the metrics' order


@dataclass(frozen=True)
class Counts:
    compared: int  # cells both grids have (the model and the metric in both)
    same: int
    different: int
    not_reported: int  # a value on one side, '-' or nothing on the other
    only_here: int
    only_in_source: int
    cells: int  # this grid's cells
    printed_differently: int  # same value, other text
    bold_differs: int

    @property
    def one_side_missing(self) -> int:
        return self.not_reported + self.only_here + self.only_in_source

    @property
    def sentence(self) -> str:
        return f"{self.same} of {self.cells} cells as in the source"


@dataclass(frozen=True)
class Reconciliation:
    grid: Grid
    source: Grid
    models: tuple[Entry, ...]  # the following grid's order, then the source's extra ones
    metrics: tuple[Entry, ...]
    rows: tuple[Row, ...]
    counts: Counts

    def checks(self, show: str = "all") -> Iterator[Check]:
        """Every cell, row by row; only those not the same with show='differences'."""
        for row in self.shown_rows(show):
            yield from (c for c in row.cells if show == "all" or c.status != SAME)

    def shown_rows(self, show: str = "all") -> tuple[Row, ...]:
        if show == "all":
            return self.rows
        return tuple(r for r in self.rows if any(c.status != SAME for c in r.cells))


# --- Building ------------------------------------------------------------------------


def following(ds: Dataset) -> dict[str, str]:
    """Every grid that follows another: slug -> the slug it follows."""
    return {g.slug: g.follows for g in ds.grids.values() if g.follows is not None}


def followed_by(ds: Dataset, slug: str) -> list[str]:
    """The grids that follow (reprint) the grid `slug`."""
    return [s for s, f in following(ds).items() if f == slug]


def _not_following(ds: Dataset, grid: Grid) -> UnknownError:
    pairs = following(ds)
    if not pairs:
        return UnknownError("source", grid.slug, message=_(
            "Grid %(grid)s does not name a grid it follows, and no grid does (follows: <slug> in "
            "its YAML file).", grid=repr(grid.slug)))
    listed = ", ".join(_("%(grid)s (follows %(source)s)", grid=s, source=f)
                       for s, f in pairs.items())
    reprinted = ", ".join(f"/grids/{s}/sources" for s in followed_by(ds, grid.slug))
    if reprinted:
        return UnknownError("source", grid.slug, message=_(
            "Grid %(grid)s does not name a grid it follows (follows: <slug>). Grids that do: "
            "%(listed)s. This grid is the source of: %(reprinted)s.", grid=repr(grid.slug),
            listed=listed, reprinted=reprinted))
    return UnknownError("source", grid.slug, message=_(
        "Grid %(grid)s does not name a grid it follows (follows: <slug>). Grids that do: "
        "%(listed)s.", grid=repr(grid.slug), listed=listed))


def _entries(here: tuple[GridEntry, ...], there: tuple[GridEntry, ...]) -> tuple[Entry, ...]:
    theirs = {e.id: e.label for e in there}
    ours = {e.id: e.label for e in here}
    return (*(Entry(e.id, e.label, theirs.get(e.id)) for e in here),
            *(Entry(e.id, None, e.label) for e in there if e.id not in ours))


def _side(ds: Dataset, grid: Grid, model: str, metric: str) -> Side:
    frames = ds.frames[grid.slug]
    label = frames.label.at[model, metric] or grid.source.label
    page = frames.page.at[model, metric] or grid.source.page
    source = grid.source
    return Side(
        grid=grid.slug, printed=frames.printed.at[model, metric],
        value=frames.raw.at[model, metric], bold=bool(frames.bold.at[model, metric]),
        report=source.report, label=str(label), page=None if page is None else int(page),
        place=source.citation(label, page),
    )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(a: Side, b: Side) -> bool:
    if _number(a.value) and _number(b.value):
        return math.isclose(a.value, b.value, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    if a.value is None and b.value is None:  # text that is not a number: compare the text
        return (a.printed or "").strip() == (b.printed or "").strip()
    return a.value == b.value


def _details(here: Side, source: Side) -> tuple[str, ...]:
    out = []
    if (here.printed or "") != (source.printed or "") and _equal(here, source):
        out.append(f"printed differently: {here.printed or 'nothing'} here, "
                   f"{source.printed or 'nothing'} in the source")
    if here.bold != source.bold:
        out.append("bold here only" if here.bold else "bold in the source only")
    return tuple(out)


def check(ds: Dataset, grid: Grid, source: Grid, model: Entry, metric: Entry) -> Check:
    """Compare one model × metric of a grid and its source."""
    here = _side(ds, grid, model.id, metric.id) if model.here and metric.here else None
    there = (_side(ds, source, model.id, metric.id)
             if model.source is not None and metric.source is not None else None)
    if here is None or there is None:
        status = (IN_NEITHER if here is None and there is None
                  else ONLY_HERE if there is None else ONLY_IN_SOURCE)
        return Check(model.id, metric.id, status, here, there, None, ())
    difference = None
    if here.reported != there.reported:
        status = NOT_REPORTED_STATUS
    elif not here.reported or _equal(here, there):
        status = SAME
    else:
        status = DIFFERENT
        if _number(here.value) and _number(there.value):
            difference = float(here.value) - float(there.value)
    return Check(model.id, metric.id, status, here, there, difference, _details(here, there))


def _count(rows: tuple[Row, ...]) -> Counts:
    checks = [c for r in rows for c in r.cells]
    by = {s: sum(c.status == s for c in checks) for s in STATUSES}
    compared = by[SAME] + by[DIFFERENT] + by[NOT_REPORTED_STATUS]
    return Counts(
        compared=compared, same=by[SAME], different=by[DIFFERENT],
        not_reported=by[NOT_REPORTED_STATUS], only_here=by[ONLY_HERE],
        only_in_source=by[ONLY_IN_SOURCE], cells=compared + by[ONLY_HERE],
        printed_differently=sum(any(d.startswith("printed") for d in c.details) for c in checks),
        bold_differs=sum(any(d.startswith("bold") for d in c.details) for c in checks),
    )


@lru_cache(maxsize=64)
def reconcile(ds: Dataset, grid: Grid) -> Reconciliation:
    """Set `grid` beside the grid it follows, cell by cell; UnknownError if it follows none."""
    if grid.follows is None:
        raise _not_following(ds, grid)
    source = ds.grids[grid.follows]
    models = _entries(grid.models, source.models)
    metrics = _entries(grid.metrics, source.metrics)
    rows = tuple(Row(m, tuple(check(ds, grid, source, m, x) for x in metrics)) for m in models)
    return Reconciliation(grid, source, models, metrics, rows, _count(rows))


@lru_cache(maxsize=256)
def summary(ds: Dataset, slug: str) -> Counts | None:
    """The counts of a grid against its source, for its page's link; None if it follows none."""
    grid = ds.grids[slug]
    return None if grid.follows is None else reconcile(ds, grid).counts


# --- CSV -----------------------------------------------------------------------------

CSV_COLUMNS = [
    "model", "model_label", "metric", "metric_label", "status", "difference", "details",
    "printed", "value", "bold", "report", "label", "page",
    "source_printed", "source_value", "source_bold", "source_report", "source_label",
    "source_page",
]


def _side_columns(side: Side | None) -> list[Any]:
    if side is None:
        return [None] * 6
    return [side.printed, side.value, side.bold, side.report, side.label, side.page]


def csv_rows(rec: Reconciliation, show: str = "all") -> Iterator[list[Any]]:
    """One row per cell the page shows: both sides, the verdict and both places."""
    models = {m.id: m.label for m in rec.models}
    metrics = {m.id: m.label for m in rec.metrics}
    for c in rec.checks(show):
        yield [c.model, models[c.model], c.metric, metrics[c.metric], c.status, c.difference,
               c.detail or None, *_side_columns(c.here), *_side_columns(c.source)]
