"""One grid as the reader asked for it: filtered, sorted, ranked, marked, with diffs against a
baseline and averages. Built once per grid and view, as frozen dataclasses that every format
renders: the page, its CSV and JSON, the API, the chart specs and pictures, the workbook sheet
and the slides. No Flask here.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from cachetools import LRUCache
from flask_babel import gettext as _
from markupsafe import Markup, escape

from . import conflicts, i18n, ranking
from .catalog import where
from .data import NOT_REPORTED, PLAIN_NUMBER, Dataset, Grid
from .errors import QueryError
from .ranking import NAME, SortKey

T = TypeVar("T")
CONFLICT_PLACES = 10  # places a conflicting cell names in its note; the conflicts page has all

# --- The view ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A metric of the grid, as the view shows it."""

    id: str
    label: str  # as the grid prints it
    name: str
    name_zh: str | None  # i18n.name chooses between the two
    unit: str
    higher_is_better: bool | None
    band: str | None  # the heading over a run of columns, as printed
    band_start: bool  # a band begins here (the page draws a rule)
    type: str
    category: str

    @property
    def direction(self) -> str:
        if self.higher_is_better is None:
            return ""
        return "higher is better" if self.higher_is_better else "lower is better"


@dataclass(frozen=True)
class Diff:
    """A cell against the baseline's, rounded once to what the printed numbers support."""

    points: float  # value − the baseline's value, in the metric's unit
    percent: float | None  # points in % of the baseline's value; None where that is 0
    verdict: str | None  # better, worse or level by the metric's direction; None if unranked
    decimals: int | None = None  # the decimals `points` is rounded to; None: exact (dates)


@dataclass(frozen=True)
class Cell:
    metric: str
    value: Any  # the typed value: a number, a 'YYYY-MM' date, a yes/no; None if not reported
    printed: str | None  # exactly as printed; None where the grid states nothing
    sort_key: float  # the number it sorts by; NaN when not reported
    score: float | None  # 0–100 among the view's rows, best = 100; None if unranked or missing
    bold: bool  # the report prints it bold
    best: bool  # the best value of its column among the view's rows
    bold_mismatch: bool  # the report's bold and the computed best differ here
    conflict: bool  # another place prints another value
    conflict_text: str | None  # every place that prints it: '3.29 (表4, p. 27); …'
    note: str | None
    where: str  # where it is printed: '图4, p. 6'
    citation: str  # that place in full (Source.citation)
    diff: Diff | None = None  # against the baseline; None without one, or for the baseline

    @property
    def missing(self) -> bool:
        return self.printed is None or self.printed == NOT_REPORTED

    @property
    def stated(self) -> bool:
        """Whether the grid prints anything here (a '-' too)."""
        return self.printed is not None


@dataclass(frozen=True)
class Verdicts:
    """How a row compares with the baseline over the metrics both have."""

    better: int
    worse: int
    level: int


@dataclass(frozen=True)
class Average:
    score: float | None  # the mean 0–100 score of the metrics the model has; None for none
    covered: int
    of: int
    category: str | None = None  # the metrics' category; None: every category


@dataclass(frozen=True)
class AverageColumn:
    """An average the view shows: over every category, or over one."""

    id: str  # its sort key: 'average', 'average:math'
    category: str | None  # None: every category
    metrics: tuple[str, ...]  # the shown metrics it averages

    @property
    def label(self) -> str:
        return i18n.average_name(self.category)


@dataclass(frozen=True)
class Row:
    model: str
    name: str
    name_zh: str | None
    label: str  # as the grid prints it
    organisation: str
    rank: int | None  # by the first sort key, when it is a ranked metric
    is_baseline: bool
    cells: tuple[Cell, ...]
    verdicts: Verdicts | None = None  # against the baseline (None for the baseline itself)
    average: Average | None = None
    category_averages: tuple[Average, ...] = ()  # in the order of View.averages[1:]


@dataclass(frozen=True)
class Baseline:
    id: str
    name: str
    name_zh: str | None
    label: str


@dataclass(frozen=True)
class ViewKey:
    """What a view shows, whatever the spelling of its arguments: `q=e` and `q=E`,
    `max_params=100000` and `=100001` are one view if they keep the same rows."""

    grid: str
    order: tuple[str, ...]  # every row that passes the filters, in the view's order
    columns: tuple[str, ...]
    sort: tuple[SortKey, ...]
    baseline: str | None
    average: bool
    page: int
    per_page: int | None


@dataclass(frozen=True, eq=False)
class View:
    grid: Grid
    key: ViewKey
    columns: tuple[Column, ...]
    sort: tuple[SortKey, ...]
    ranked_by: str | None  # the metric or average (AverageColumn.id) the ranks are of
    baseline: Baseline | None
    average: bool
    averages: tuple[AverageColumn, ...]  # every category's, then each one's; none if not asked
    n_total: int  # the grid's rows, before the filters
    # Every metric of the grid (a sort key may be hidden): its names (name, name_zh)
    names: Mapping[str, Mapping[str, str | None]]
    directions: Mapping[str, bool | None]  # and its direction
    page: int
    per_page: int | None
    _build: Callable[[Sequence[str]], list[Row]] = field(repr=False)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, View) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def order(self) -> tuple[str, ...]:
        return self.key.order

    @cached_property
    def rows(self) -> tuple[Row, ...]:
        """This page's rows (every row when not paged)."""
        return tuple(self._build(page_of(self.order, self.page, self.per_page)))

    def all_rows(self, block: int = 500) -> Iterator[Row]:
        """Every row that passes the filters, in order, built a block at a time."""
        for start in range(0, len(self.order), block):
            yield from self._build(self.order[start:start + block])

    @property
    def n_visible(self) -> int:
        """Rows that pass the filters, on every page."""
        return len(self.order)

    @property
    def pages(self) -> int:
        return page_count(self.n_visible, self.per_page)

    @property
    def first(self) -> int:
        """The 1-based position of this page's first row."""
        return (self.page - 1) * self.per_page + 1 if self.per_page else 1

    @property
    def bands(self) -> list[tuple[str | None, int]]:
        """The bands over the columns, with how many columns each spans."""
        bands: list[tuple[str | None, int]] = []
        for c in self.columns:
            if bands and bands[-1][0] == c.band and not c.band_start:
                bands[-1] = (c.band, bands[-1][1] + 1)
            else:
                bands.append((c.band, 1))
        return bands

    @property
    def sorted_by(self) -> dict[str, SortKey]:
        return {k.column: k for k in self.sort}

    def column_name(self, column: str) -> str:
        """The name of a sort key's column."""
        if column == NAME:
            return _("model name")
        average = next((a for a in self.averages if a.id == column), None)
        if average is None:
            return i18n.name(self.names[column])
        return _("average") if average.category is None else average.label

    def default_descending(self, column: str) -> bool:
        """Whether `column` sorts descending when clicked first (best first)."""
        if any(a.id == column for a in self.averages):
            return True  # an average is a 0–100 score, best = 100
        return column != NAME and ranking.default_descending(self.directions[column])

    @property
    def notes(self) -> list[tuple[str, str, str, str]]:
        """The notes of this page's cells: (model label, metric label, where, note)."""
        return [(row.label, column.label, cell.where, cell.note)
                for row in self.rows
                for column, cell in zip(self.columns, row.cells, strict=True) if cell.note]


def page_count(rows: int, per_page: int | None) -> int:
    """How many pages `rows` rows fill (at least one); one when not paged."""
    return max(1, -(-rows // per_page)) if per_page else 1


def page_of(order: Sequence[T], page: int, per_page: int | None) -> Sequence[T]:
    """The rows of one page; raise QueryError for a page past the last."""
    if per_page is None:
        return order
    last = page_count(len(order), per_page)
    if page > last:
        raise QueryError("page", _("%(page)s is past the last page, %(last)s",
                                   page=page, last=last))
    return order[(page - 1) * per_page: page * per_page]


# --- Choosing the rows and columns ---------------------------------------------------------


def split_ids(text: str | None) -> list[str]:
    """Comma-separated ids, stripped, each kept once in first-seen order."""
    parts = (part.strip() for part in (text or "").split(","))
    return list(dict.fromkeys(part for part in parts if part))


def filter_models(models: pd.DataFrame, query: Mapping[str, Any]) -> pd.DataFrame:
    """Keep the models that match the text search, organisation, openness, distillation, size."""
    keep = pd.Series(True, index=models.index)
    if query.get("q"):
        needle = query["q"].casefold()
        text = (models["name"] + " " + models["name_zh"].fillna("") + " " + models["label"]
                + " " + models["organisation"])
        keep &= text.str.casefold().str.contains(needle, regex=False)
    if query.get("org"):
        keep &= models["organisation"].str.casefold() == query["org"].casefold()
    if "open" in query:
        keep &= models["open_weights"].map(lambda v: v is query["open"])
    if "distilled" in query:
        keep &= models["distilled"] == query["distilled"]
    if "min_params" in query:
        keep &= models["total_params"] >= query["min_params"]
    if "max_params" in query:
        keep &= models["total_params"] <= query["max_params"]
    return models[keep.fillna(False).astype(bool)]


def _columns(ds: Dataset, grid: Grid, chosen: list[str]) -> tuple[Column, ...]:
    entries = {m.id: m for m in grid.metrics}
    unknown = [m for m in chosen if m not in entries]
    if unknown:
        raise QueryError("metrics", _("%(metrics)s not in this grid; its metrics are %(known)s",
                                      metrics=", ".join(map(repr, unknown)),
                                      known=", ".join(entries)))
    shown = [entries[m] for m in chosen] if chosen else list(grid.metrics)
    info = ds.metrics
    return tuple(
        Column(id=m.id, label=m.label, name=info.at[m.id, "name"],
               name_zh=info.at[m.id, "name_zh"], unit=info.at[m.id, "unit"],
               higher_is_better=info.at[m.id, "higher_is_better"], band=m.band,
               band_start=m.band is not None and (i == 0 or shown[i - 1].band != m.band),
               type=info.at[m.id, "type"], category=info.at[m.id, "category"])
        for i, m in enumerate(shown))


def directions(ds: Dataset, metric_ids: Iterable[str]) -> dict[str, bool | None]:
    """Each metric's direction: higher is better (True), lower (False), unranked (None)."""
    return {m: ds.metrics.at[m, "higher_is_better"] for m in metric_ids}


def _grid_models(ds: Dataset, grid: Grid) -> pd.DataFrame:
    models = ds.models.loc[[m.id for m in grid.models]].copy()
    models["label"] = [m.label for m in grid.models]
    return models


def select(ds: Dataset, grid: Grid, query: Mapping[str, Any]) -> ViewKey:
    """The view that validated query arguments ask for, as its key; raise QueryError for an
    argument this grid cannot honour. Sorting by an average shows the averages."""
    dirs = directions(ds, (m.id for m in grid.metrics))
    columns = [c.id for c in _columns(ds, grid, split_ids(query.get("metrics")))]
    averages = _averages(ds, grid.slug, tuple(columns))
    try:  # an average sorts as a metric whose higher is better
        sort = ranking.parse_sort(query.get("sort"), query.get("order"),
                                  {**dirs, **dict.fromkeys(averages, True)})
    except ValueError as e:
        raise QueryError("sort", _("%(reason)s; sort by a metric id of this grid, by 'model', or "
                                   "by an average of the shown metrics: %(averages)s",
                                   reason=e, averages=", ".join(averages))) from e
    averaged = any(k.column in averages for k in sort)
    baseline = query.get("baseline")
    if baseline is not None and baseline not in {m.id for m in grid.models}:
        raise QueryError("baseline", _("%(baseline)s is not a model of this grid; its models are "
                                       "%(models)s", baseline=repr(baseline),
                                       models=", ".join(m.id for m in grid.models)))
    visible = filter_models(_grid_models(ds, grid), query)
    values = ds.frames[grid.slug].values.loc[visible.index]
    if averaged:
        values = values.join(pd.DataFrame(
            {id: frame["average"] for id, (_, frame) in averages.items()}).loc[visible.index])
    order = ranking.sort_rows(values, visible["name"], sort) if sort else values.index
    key = ViewKey(grid=grid.slug, order=tuple(order), columns=tuple(columns),
                  sort=tuple(dict.fromkeys(sort)), baseline=baseline,
                  average=bool(query.get("average")) or averaged, page=query.get("page", 1),
                  per_page=query.get("per_page"))
    page_of(key.order, key.page, key.per_page)  # a page past the last is an error now
    return key


@lru_cache(maxsize=256)
def _averages(ds: Dataset, slug: str, columns: tuple[str, ...]
              ) -> dict[str, tuple[AverageColumn, pd.DataFrame]]:
    """The averages of these metrics of a grid over all its rows (ranking.averages), by sort
    key, each score rounded to the one decimal it is shown with, so that it ranks as it reads."""
    metrics = ds.metrics.loc[list(columns)]
    found = ranking.averages(ds.frames[slug].values[list(columns)], metrics)
    return {id: (AverageColumn(id, category, tuple(ids)),
                 found[id].assign(average=found[id]["average"].round(1)))
            for id, (category, ids) in ranking.average_groups(metrics).items()}


# Built views, by what they show: a page, its CSV, its JSON and its charts build one view once.
_VIEWS: LRUCache = LRUCache(maxsize=128)
_LOCK = threading.Lock()


def grid_view(ds: Dataset, grid: Grid, query: Mapping[str, Any]) -> View:
    """The view of one grid that validated query arguments ask for (see GridQuery)."""
    key = select(ds, grid, query)
    with _LOCK:
        found = _VIEWS.get((ds, key))
    if found is None:
        found = _build(ds, grid, key)
        with _LOCK:
            _VIEWS[(ds, key)] = found
    return found


def _build(ds: Dataset, grid: Grid, key: ViewKey) -> View:
    columns = _columns(ds, grid, list(key.columns))
    models = _grid_models(ds, grid)
    dirs = directions(ds, (m.id for m in grid.metrics))
    averages = _averages(ds, grid.slug, key.columns) if key.average else {}
    ranked_by = key.sort[0].column if key.sort and key.sort[0].column != NAME else None
    if ranked_by is not None and ranked_by not in averages and dirs[ranked_by] is None:
        ranked_by = None
    baseline = None if key.baseline is None else Baseline(
        key.baseline, models.at[key.baseline, "name"], models.at[key.baseline, "name_zh"],
        models.at[key.baseline, "label"])
    return View(
        grid=grid, key=key, columns=columns, sort=key.sort, ranked_by=ranked_by,
        baseline=baseline, average=key.average,
        averages=tuple(column for column, _ in averages.values()), n_total=len(models),
        names=MappingProxyType({m.id: MappingProxyType(
            {k: ds.metrics.at[m.id, k] for k in ("name", "name_zh")}) for m in grid.metrics}),
        directions=MappingProxyType(dirs),
        page=key.page, per_page=key.per_page,
        _build=_RowBuilder(ds, grid, models, key, dirs, ranked_by, averages).rows,
    )


# --- Building rows -----------------------------------------------------------------------

_DECIMALS = re.compile(r"\d+(?:\.(\d+))?")


def decimals(printed: str | None) -> float:
    """How many decimals a plainly printed number has ('72.6' → 1, '2029' → 0, '96.3%' → 1);
    NaN for text ('1.8 万亿', '输入端：0.55 美元/百万 token'), whose scale the digits do not say."""
    if not printed or not PLAIN_NUMBER.match(printed):
        return math.nan
    match = _DECIMALS.search(printed)
    return math.nan if match is None else len(match[1] or "")


@lru_cache(maxsize=64)
def _printed_decimals(ds: Dataset, slug: str) -> pd.DataFrame:
    return ds.frames[slug].printed.map(decimals).astype("float64")


def round_to(values: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Round each value to its number of decimal places (the nearest float to the rounded
    decimal, which prints without noise); where none is known, strip float noise only (to 12
    significant digits)."""
    known = places.notna().to_numpy()
    factors = 10.0 ** places.where(known, 0).to_numpy()
    out = np.round(values.to_numpy() * factors) / factors
    unknown = ~known & values.notna().to_numpy()
    if unknown.any():
        out[unknown] = [float(f"{v:.12g}") for v in values.to_numpy()[unknown]]
    return pd.DataFrame(out, index=values.index, columns=values.columns)


def round_diff(points: float, *printed: str | None) -> tuple[float, int | None]:
    """One difference rounded as round_to rounds a grid's: to the decimals of the more precise
    of the printed numbers (None when either is text), and those decimals."""
    places = max(decimals(p) for p in printed)
    if math.isnan(places):
        return float(f"{points:.12g}"), None
    factor = 10.0 ** places
    return float(np.round(points * factor) / factor), int(places)


def _rounded_diffs(ds: Dataset, grid: Grid, metric_ids: list[str], baseline: str,
                   dirs: dict[str, bool | None]) -> tuple[ranking.Diffs, pd.DataFrame]:
    """Diffs against the baseline on the number metrics (a date or a yes/no has none), each
    rounded once: points to the more precise printed number's decimals (72.6 − 63.6 is 9.0,
    not 8.999999999999993), percent to one decimal; and those decimals."""
    numbers = [m for m in metric_ids if ds.metrics.at[m, "type"] == "number"]
    values = ds.frames[grid.slug].values[metric_ids].copy()
    values.loc[:, [m for m in metric_ids if m not in numbers]] = math.nan
    found = ranking.diffs(values, baseline, dirs)
    places = _printed_decimals(ds, grid.slug)[metric_ids]
    places = places.where(places.notna() & places.loc[baseline].notna(), math.nan)
    places = places.clip(lower=places.loc[baseline], axis=1)
    points = round_to(found.points, places)
    percent = found.percent.round(1)
    return ranking.Diffs(points, percent, found.verdict), places


class _RowBuilder:
    """Build rows a block at a time from the grid's frames, sliced once per block."""

    FIELDS = ("printed", "raw", "values", "bold", "conflict", "note", "label", "page")

    def __init__(self, ds: Dataset, grid: Grid, models: pd.DataFrame, key: ViewKey,
                 dirs: dict[str, bool | None], ranked_by: str | None,
                 averages: Mapping[str, tuple[AverageColumn, pd.DataFrame]]):
        frames = ds.frames[grid.slug]
        ids = list(key.columns)
        visible = frames.values.loc[list(key.order), ids]
        self.ds, self.grid, self.ids, self.baseline = ds, grid, ids, key.baseline
        self.frames = {f: getattr(frames, f)[ids] for f in self.FIELDS}
        self.models = models
        self.ranks = None
        if ranked_by is not None and ranked_by in averages:  # a score: higher is better
            self.ranks = ranking.rank(averages[ranked_by][1]["average"].loc[list(key.order)],
                                      True)
        elif ranked_by is not None:
            self.ranks = ranking.rank(frames.values.loc[list(key.order), ranked_by],
                                      dirs[ranked_by])
        self.best = ranking.best_mask(visible, dirs)
        self.mismatch = ranking.bold_disagreements(
            ranking.best_mask(frames.values[ids], dirs), frames.bold[ids])
        self.scores = ranking.normalise(
            visible, ds.metrics.loc[ids].assign(scale=None)).reindex(columns=ids)
        self.diffs: ranking.Diffs | None = None
        self.places_of_diffs: pd.DataFrame | None = None
        if key.baseline is not None:
            self.diffs, self.places_of_diffs = _rounded_diffs(ds, grid, ids, key.baseline, dirs)
        self.verdicts = None if self.diffs is None else ranking.diff_summary(self.diffs.verdict)
        # Every average's (score, covered, of) side by side, one row per model.
        self.categories = [column.category for column, _ in averages.values()]
        self.averages = pd.concat([frame[["average", "covered", "of"]]
                                   for _, frame in averages.values()], axis=1) if averages else None
        self.where = where(grid.source.label, grid.source.page)
        self.citation = grid.source.citation()
        self.places: dict[tuple, tuple[str, str]] = {}

    def rows(self, block: Sequence[str]) -> list[Row]:
        block = list(block)

        def part(frame: pd.DataFrame | pd.Series | None) -> list:
            """The block's rows of a frame, as plain Python values."""
            return [] if frame is None else frame.loc[block].to_numpy().tolist()

        # Every part by name, a list per row (a list per cell for the frames).
        get = {f: part(frame) for f, frame in self.frames.items()}
        get.update(best=part(self.best), mismatch=part(self.mismatch), score=part(self.scores),
                   rank=part(self.ranks), verdicts=part(self.verdicts),
                   average=part(self.averages),
                   model=part(self.models[["name", "name_zh", "label", "organisation"]]))
        if self.diffs is not None:
            get.update(points=part(self.diffs.points), percent=part(self.diffs.percent),
                       verdict=part(self.diffs.verdict), decimals=part(self.places_of_diffs))
        return [self._row(get, i, model) for i, model in enumerate(block)]

    def _row(self, get: dict[str, list], i: int, model: str) -> Row:
        is_baseline = model == self.baseline
        rank = get["rank"][i] if get["rank"] else None
        name, name_zh, label, organisation = get["model"][i]
        found = [Average(None if math.isnan(score) else score, int(covered), int(of), category)
                 for category, (score, covered, of) in zip(
                     self.categories, _triples(get["average"][i] if get["average"] else []),
                     strict=True)]
        return Row(
            model=model, name=name, name_zh=name_zh, label=label, organisation=organisation,
            rank=None if rank is None or pd.isna(rank) else int(rank),
            is_baseline=is_baseline,
            cells=tuple(self._cell(get, i, j, model, not is_baseline)
                        for j in range(len(self.ids))),
            verdicts=Verdicts(*get["verdicts"][i]) if get["verdicts"] and not is_baseline
            else None,
            average=found[0] if found else None, category_averages=tuple(found[1:]),
        )

    def _place(self, label: str | None, page: int | None) -> tuple[str, str]:
        """Where a cell is printed, and its citation: once per place, not per cell."""
        if (label, page) not in self.places:
            source = self.grid.source
            self.places[(label, page)] = (
                (self.where, self.citation) if label is None
                else (where(label, page), source.citation(label, page)))
        return self.places[(label, page)]

    def _conflict_text(self, model: str, metric: str) -> str:
        """The places that print a conflicting cell: '3.29 (表4, p. 27); 2.19 (正文, p. 9)', the
        first few of them, and how many more there are."""
        every = conflicts.index(self.ds)
        shown, more = every.short(every.at[model, metric], CONFLICT_PLACES)
        return "; ".join(shown) + (
            f"; and {more:,} more place{'s' if more > 1 else ''}" if more else "")

    def _cell(self, get: dict[str, list], i: int, j: int, model: str, diffs: bool) -> Cell:
        metric = self.ids[j]
        place, citation = self._place(get["label"][i][j], get["page"][i][j])
        conflict = get["conflict"][i][j]
        score = get["score"][i][j]
        diff = None
        if diffs and "points" in get and not math.isnan(points := get["points"][i][j]):
            percent, places = get["percent"][i][j], get["decimals"][i][j]
            diff = Diff(points, None if math.isnan(percent) else percent, get["verdict"][i][j],
                        None if math.isnan(places) else int(places))
        return Cell(
            metric=metric, value=get["raw"][i][j], printed=get["printed"][i][j],
            sort_key=get["values"][i][j], score=None if math.isnan(score) else score,
            bold=get["bold"][i][j], best=get["best"][i][j], bold_mismatch=get["mismatch"][i][j],
            conflict=conflict,
            conflict_text=self._conflict_text(model, metric) if conflict else None,
            note=get["note"][i][j], where=place, citation=citation,
            diff=diff,
        )


def _triples(values: Sequence[T]) -> list[tuple[T, T, T]]:
    return [(values[k], values[k + 1], values[k + 2]) for k in range(0, len(values), 3)]


# --- Numbers for display: the page, the charts' labels ---------------------------------

MINUS = "\u2212"


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def signed(value: float, places: int | None = None) -> str:
    """Format a difference with its sign, to `places` decimals (else up to two): +9.0, −1.25,
    ±0."""
    if value == 0:
        return "±0"
    text = f"{abs(value):,.{places}f}" if places is not None else _trim(f"{abs(value):,.2f}")
    return ("+" if value > 0 else MINUS) + text


def pct(value: float) -> str:
    """Format a percentage difference to one decimal: +14.2%, −5.0%, ±0%."""
    return signed(value, 1) + "%"


def params(value: float | None) -> str:
    """Format a parameter count: 671B, 1.5B, 1.8T; '—' when unknown."""
    if value is None or math.isnan(value):
        return "—"
    for suffix, size in (("T", 1e12), ("B", 1e9), ("M", 1e6)):
        if value >= size:
            return _trim(f"{value / size:.2f}") + suffix
    return f"{value:,.0f}"


# Chinese characters and the punctuation they are printed with; a run may hold spaces, digits and
# signs between two of them ("表4 (1.8 万亿)" is marked "表4 (1.8 万亿", its last bracket after).
HAN = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
_HAN_RUN = re.compile(rf"{HAN}+(?:[ \d.,·:/()-]*{HAN}+)*")
# Between two Chinese runs, the English: from its first letter (or the bracket before it) to its
# last letter, digit, closing bracket, per cent or full stop; it has a word of two letters or more.
_LATIN_RUN = re.compile(r"[(\[]?[A-Za-z](?:[\s\S]*[A-Za-z0-9)\]%.])?")
_WORD = re.compile(r"[A-Za-z]{2}")


def zh(text: object) -> Markup:
    """Escape text from the data and mark its runs in the other language than the page's, so a
    screen reader reads each in its own voice and a browser picks its font: on an English page
    the Chinese runs (lang="zh"), on a Chinese page the English ones (lang="en")."""
    if text is None:
        return Markup("")
    if isinstance(text, Markup):
        if "<" in text:
            return text  # markup already (a span inside one of its attributes would break it)
        text = text.unescape()  # a sentence with the data in it, escaped: marked as text
    if _page_language() == "zh":
        return _mark_english(str(text))
    escaped = str(escape(text))  # the escaped text has no Han characters of its own to add
    return Markup(_HAN_RUN.sub(lambda m: f'<span lang="zh">{m.group(0)}</span>', escaped))


def lang_of(text: object) -> Markup:
    """` lang="…"` for an element holding only `text` from the data (an <option> cannot hold a
    marked run): on a Chinese page when it is English, on an English page when it is Chinese."""
    text = str(text or "")
    if _page_language() == "zh":
        other = _WORD.search(text) and not _HAN_RUN.search(text)
        return Markup(' lang="en"' if other else "")
    return Markup(' lang="zh"' if _HAN_RUN.search(text) else "")


def _page_language() -> str:
    from .i18n import language  # English outside a request

    return language()


def _mark_english(text: str) -> Markup:
    """Each stretch of `text` between its Chinese runs, escaped, its English marked lang="en"."""
    def english(part: str) -> str:
        found = _LATIN_RUN.search(part)
        if found is None or not _WORD.search(found.group(0)):
            return str(escape(part))
        before, run, after = part[:found.start()], found.group(0), part[found.end():]
        return f'{escape(before)}<span lang="en">{escape(run)}</span>{escape(after)}'

    out, at = [], 0
    for han in _HAN_RUN.finditer(text):
        out += [english(text[at:han.start()]), str(escape(han.group(0)))]
        at = han.end()
    out.append(english(text[at:]))
    return Markup("".join(out))
