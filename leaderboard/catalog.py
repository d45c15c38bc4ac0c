"""Plain-dict views of a Dataset, shared by the JSON API and the pages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from .data import Dataset, Grid, where

MODEL_FIELDS = [
    "id", "name", "name_zh", "organisation", "kind", "open_weights", "distilled", "architecture",
    "total_params", "active_params", "release_date", "base_model", "teacher", "hardware", "note",
]
METRIC_FIELDS = [
    "id", "name", "name_zh", "benchmark", "measure", "unit", "scale", "higher_is_better",
    "category", "type", "note",
]


def plain(value: Any) -> Any:
    """A value as plain Python: numpy scalars as numbers, NaN as None."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def model_record(ds: Dataset, model: str) -> dict[str, Any]:
    return dict(model_records(ds)[model], labels=dict(model_records(ds)[model]["labels"]))


def metric_record(ds: Dataset, metric: str) -> dict[str, Any]:
    return dict(metric_records(ds)[metric], grids=list(metric_records(ds)[metric]["grids"]))


@lru_cache(maxsize=8)
def grids_by_metric(ds: Dataset) -> Mapping[str, tuple[str, ...]]:
    """The grids that have each metric, in the reports' order: one pass over the grids, so a
    metric's grids are found without scanning every grid (which made every record O(grids))."""
    found: dict[str, dict[str, None]] = {}
    for grid in ds.grids.values():
        for m in grid.metrics:
            found.setdefault(m.id, {})[grid.slug] = None  # a dict: each grid once, in order
    return MappingProxyType({metric: tuple(slugs) for metric, slugs in found.items()})


def _plain_records(frame: pd.DataFrame, fields: list[str]) -> list[dict[str, Any]]:
    """A frame's rows as dicts of plain values, a column at a time (a row at a time through
    DataFrame.loc cost ~140 µs a row: 1 s for 7,000 models)."""
    columns = [[plain(v) for v in frame[f].tolist()] for f in fields]
    return [dict(zip(fields, values, strict=True)) for values in zip(*columns, strict=True)]


@lru_cache(maxsize=8)
def model_records(ds: Dataset) -> Mapping[str, dict[str, Any]]:
    """Every model's record by id, in plain values (for pages, API and look-ups): its fields
    and `labels`, grid slug -> the name printed there, every grid that prints it."""
    records = _plain_records(ds.models, MODEL_FIELDS)
    for record, labels in zip(records, ds.models["labels"].tolist(), strict=True):
        record["labels"] = dict(labels)
    return MappingProxyType(dict(zip(ds.models.index, records, strict=True)))


@lru_cache(maxsize=8)
def metric_records(ds: Dataset) -> Mapping[str, dict[str, Any]]:
    """Every metric's record by id, in plain values (for pages, API and look-ups): its fields
    and `grids`, every grid that has it, in the reports' order."""
    records = _plain_records(ds.metrics, METRIC_FIELDS)
    by_metric = grids_by_metric(ds)
    for record, scale in zip(records, ds.metrics["scale"].tolist(), strict=True):
        record["scale"] = list(scale) if scale is not None else None
        record["grids"] = list(by_metric.get(record["id"], ()))
    return MappingProxyType(dict(zip(ds.metrics.index, records, strict=True)))


def source_of(ds: Dataset, row: pd.Series | dict) -> dict[str, Any]:
    """Return where one observation was printed: report, label, page, cited source."""
    report = ds.reports[row["report"]]
    return {
        "report": report["id"],
        "report_title": report["title"],
        "publisher": report["publisher"],
        "date": report["date"],
        "label": row["label"],
        "page": _page(row["page"]),
        "cited": row["cited"],
        "kind": report.get("kind", "broker-report"),
    }


def grid_summary(grid: Grid) -> dict[str, Any]:
    """Return a grid's card: titles, caption, source and size."""
    return {
        "slug": grid.slug,
        "title": grid.title,
        "title_en": grid.title_en,
        "caption": grid.caption,
        "source": grid.source.to_dict(),
        "n_models": len(grid.models),
        "n_metrics": len(grid.metrics),
    }


def _result(ds: Dataset, row: dict) -> dict[str, Any]:
    return {
        "model": row["model"],
        "metric": row["metric"],
        "value": row["raw"],
        "printed": row["printed"],
        "bold": bool(row["bold"]),
        "note": row["note"],
        "conflict": bool(row["conflict"]),
        "source": source_of(ds, row),
    }


def _page(page: Any) -> int | None:
    return None if page is None or pd.isna(page) else int(page)


def place(ds: Dataset, row: dict) -> dict[str, Any]:
    """One place that prints a value: its grid, the value, the printed text, where, and why."""
    return {
        "grid": row["grid"], "printed": row["printed"], "raw": row["raw"],
        "value": plain(row["value"]),  # the number it sorts by; None where none is given
        "citation": ds.grids[row["grid"]].source.citation(row["label"], row["page"]),
        "reference": ds.grids[row["grid"]].source.reference,  # the report alone
        "where": where(row["label"], row["page"]), "note": row["note"],
        "source": source_of(ds, row),
    }


# --- Indexes of the results, built once per dataset with a sort of integer codes ----------


class Groups(Mapping[Any, Any]):
    """Positions grouped by a key: a group is a slice of one array. (A groupby's `.indices`
    builds one array a group: 0.65 s for the 240,000 (model, metric) pairs of 5,000 grids.)"""

    def __init__(self, at: Mapping[Any, int], starts: np.ndarray, rows: np.ndarray):
        self.at = at  # key -> its group's number
        self.starts = starts  # group i is rows[starts[i]:starts[i + 1]]
        self.rows = rows

    def __getitem__(self, key: Any) -> Any:
        i = self.at[key]
        return self.rows[self.starts[i]:self.starts[i + 1]]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.at)

    def __len__(self) -> int:
        return len(self.at)


class Pairs(Mapping[tuple[str, str], int]):
    """(model, metric) -> its group's number, from the pair's code (model × metrics + metric,
    ascending in `codes`): a dict of 240,000 tuples would cost more than the grouping."""

    def __init__(self, ds: Dataset, codes: np.ndarray):
        self.models, self.metrics = codes_of(ds)
        self.codes = codes

    def find(self, models: list[str], metrics: list[str]) -> np.ndarray:
        """The groups of pairs of known models and metrics, -1 for a pair with none."""
        codes = np.array([self.models[m] for m in models], dtype=np.int64) * len(self.metrics)
        codes += np.array([self.metrics[m] for m in metrics], dtype=np.int64)
        at = np.searchsorted(self.codes, codes)
        found = at < len(self.codes)
        found[found] = self.codes[at[found]] == codes[found]
        return np.where(found, at, -1)

    def __getitem__(self, key: tuple[str, str]) -> int:
        model, metric = key
        code = self.models[model] * len(self.metrics) + self.metrics[metric]
        at = int(self.codes.searchsorted(code))
        if at == len(self.codes) or self.codes[at] != code:
            raise KeyError(key)
        return at

    def __iter__(self) -> Iterator[tuple[str, str]]:
        models, metrics, n = list(self.models), list(self.metrics), len(self.metrics)
        return ((models[c // n], metrics[c % n]) for c in self.codes.tolist())

    def __len__(self) -> int:
        return len(self.codes)


@lru_cache(maxsize=8)
def codes_of(ds: Dataset) -> tuple[Mapping[str, int], Mapping[str, int]]:
    """Each model's and each metric's number: its position in ds.models, in ds.metrics."""
    return (MappingProxyType({m: i for i, m in enumerate(ds.models.index)}),
            MappingProxyType({m: i for i, m in enumerate(ds.metrics.index)}))


@lru_cache(maxsize=8)
def result_codes(ds: Dataset) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each result's model, metric and grid as a number: its position in ds.models, in
    ds.metrics (the registry's order) and in ds.grids (the reports' order)."""
    results = ds.results
    return (ds.models.index.get_indexer(results["model"]),
            ds.metrics.index.get_indexer(results["metric"]),
            pd.Index(list(ds.grids)).get_indexer(results["grid"]))


def group(codes: np.ndarray, order: np.ndarray | None = None
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group positions by an integer code, with one stable sort: the codes there are
    (ascending), where each one's group starts (and where the last ends), and the positions
    (ascending in a group, or in the order of `order`, positions in some order)."""
    sorted_by = codes if order is None else codes[order]
    sort = np.argsort(sorted_by, kind="stable")
    rows = sort if order is None else order[sort]
    keys = sorted_by[sort]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else keys[:0]
    return keys[starts], np.r_[starts, len(keys)], rows


def pair_groups(ds: Dataset, order: np.ndarray | None = None) -> Groups:
    """The positions of every (model, metric)'s rows in the results, by pair (groups in the
    pairs' codes' order), each pair's ascending or in the order of `order`."""
    model, metric, _ = result_codes(ds)
    codes, starts, rows = group(model.astype(np.int64) * len(ds.metrics) + metric, order)
    return Groups(Pairs(ds, codes), starts, rows)


@lru_cache(maxsize=8)
def _cells_of(ds: Dataset) -> Groups:
    """The positions of every (model, metric)'s rows in the results, in order: an index built
    once, so a cell's places are found without scanning every result."""
    return pair_groups(ds)


PLACE_COLUMNS = ("grid", "printed", "raw", "value", "label", "page", "note", "report", "cited")


@lru_cache(maxsize=8)
def place_columns(ds: Dataset) -> Mapping[str, np.ndarray]:
    """The results' columns a place reads, as arrays: a row is read without pandas."""
    return MappingProxyType({c: ds.results[c].to_numpy() for c in PLACE_COLUMNS})


def rows_at(ds: Dataset, at: np.ndarray | Sequence[int]) -> list[dict[str, Any]]:
    """The results at positions `at`, as dicts of plain values: column arrays taken at once
    (DataFrame.to_dict boxes every value, one by one: ~15 µs a row)."""
    taken = {c: column[at].tolist() for c, column in place_columns(ds).items()}
    return [dict(zip(taken, values, strict=True)) for values in zip(*taken.values(), strict=True)]


@lru_cache(maxsize=8)
def _rows_of_grids(ds: Dataset) -> Groups:
    """The positions of every grid's rows in the results, in order: built once."""
    slugs = list(ds.grids)
    codes, starts, rows = group(result_codes(ds)[2])
    return Groups({slugs[c]: i for i, c in enumerate(codes.tolist())}, starts, rows)


def rows_of_grid(ds: Dataset, slug: str) -> Sequence[int]:
    """The positions of one grid's rows in the results, in order."""
    return _rows_of_grids(ds).get(slug, ())


def grid_results(ds: Dataset, grid: Grid, block: int = 2000) -> Iterator[dict[str, Any]]:
    """Every cell of a grid with its provenance, built a block at a time."""
    rows = ds.results.iloc[rows_of_grid(ds, grid.slug)]
    for start in range(0, len(rows), block):
        yield from (_result(ds, r) for r in rows.iloc[start:start + block].to_dict("records"))


def grid_detail(ds: Dataset, grid: Grid, results: bool = True, with_conflicts: bool = True
                ) -> dict[str, Any]:
    """Return a whole grid: models and metrics in the report's order, results, conflicts.

    Without `results`, everything but the cells (see grid_results); without `with_conflicts`,
    no conflicts (the whole dataset lists each once, not once per grid that prints it).
    """
    models, metrics = ds.models, ds.metrics
    detail = {
        **grid_summary(grid),
        "models": [
            {"id": m.id, "name": models.at[m.id, "name"], "label": m.label} for m in grid.models
        ],
        "metrics": [
            {
                "id": m.id,
                "name": metrics.at[m.id, "name"],
                "label": m.label,
                "unit": metrics.at[m.id, "unit"],
                "higher_is_better": _nullable_bool(metrics.at[m.id, "higher_is_better"]),
                "category": metrics.at[m.id, "category"],
                "band": m.band,
                "type": metrics.at[m.id, "type"],
            }
            for m in grid.metrics
        ],
    }
    if with_conflicts:
        from .conflicts import index, of_grid  # conflicts.py builds on this module

        detail["conflicts"] = [index(ds).summary(i) for i in of_grid(ds, grid.slug)]
    if results:
        detail["results"] = list(grid_results(ds, grid))
    return detail


def _nullable_bool(value: Any) -> bool | None:
    return None if value is None or pd.isna(value) else bool(value)


# --- Kinds of report ---------------------------------------------------------------------


def report_kind(ds: Dataset, report: str) -> str | None:
    """Return what kind of publication a report is (broker-report, readme, paper), if known."""
    return ds.reports[report].get("kind")


def report_kinds(ds: Dataset) -> list[str]:
    """Return the kinds of publication the reports are, sorted."""
    return sorted({k for k in (report_kind(ds, r) for r in ds.reports) if k})


# --- Finding models and metrics: the /models and /metrics indexes, the search ------------

# What each index sorts by, and the first direction of its header's link (names A to Z, the
# biggest and most printed first).
MODEL_SORTS = {"name": False, "organisation": False, "open": True, "params": True,
               "grids": True}
METRIC_SORTS = {"name": False, "benchmark": False, "measure": False, "direction": False,
                "grids": True}
# A metric's direction as it sorts: better higher, better lower, then the unranked.
_DIRECTIONS = {True: 0, False: 1, None: 2}


@lru_cache(maxsize=8)
def model_texts(ds: Dataset) -> Mapping[str, str]:
    """What a search of the models looks in, per model, casefolded once: its id, names (English
    and Chinese), organisation and every name a grid prints it under."""
    return MappingProxyType({i: " ".join([i, r["name"], r["name_zh"] or "", r["organisation"],
                                          *r["labels"].values()]).casefold()
                             for i, r in model_records(ds).items()})


@lru_cache(maxsize=8)
def metric_texts(ds: Dataset) -> Mapping[str, str]:
    """What a search of the metrics looks in, per metric, casefolded once: its id, names (English
    and Chinese), benchmark, measure, unit and category."""
    return MappingProxyType({i: " ".join([i, r["name"], r["name_zh"] or "", r["benchmark"],
                                          r["measure"], r["unit"], r["category"]]).casefold()
                             for i, r in metric_records(ds).items()})


def find(texts: Mapping[str, str], q: str | None) -> list[str]:
    """The ids whose text holds `q` (casefolded), in the registry's order; every id without."""
    needle = (q or "").strip().casefold()
    return [i for i, text in texts.items() if needle in text] if needle else list(texts)


def _model_key(record: dict[str, Any], key: str) -> Any:
    if key == "name":
        return record["name"].casefold()
    if key == "organisation":
        return record["organisation"].casefold()
    if key == "open":
        return record["open_weights"]
    if key == "params":
        return record["total_params"]
    return len(record["labels"])


def _metric_key(record: dict[str, Any], key: str) -> Any:
    if key == "direction":
        return _DIRECTIONS[record["higher_is_better"]]
    if key == "grids":
        return len(record["grids"])
    return record[key].casefold()


def _ordered(ids: Sequence[str], records: Mapping[str, dict[str, Any]], value: Any,
             descending: bool) -> list[str]:
    """`ids` by `value(record)`, ties by name then id; a missing value (None) last either way."""
    by_name = sorted(ids, key=lambda i: (records[i]["name"].casefold(), i))
    keyed = [(value(records[i]), i) for i in by_name]
    given = sorted((k for k in keyed if k[0] is not None), key=lambda k: k[0],
                   reverse=descending)  # stable: ties keep the names' order
    return [i for _, i in given] + [i for v, i in keyed if v is None]


def models_ordered(ds: Dataset, ids: Sequence[str], key: str, descending: bool) -> list[str]:
    """Model ids sorted by one of MODEL_SORTS."""
    return _ordered(ids, model_records(ds), lambda r: _model_key(r, key), descending)


def metrics_ordered(ds: Dataset, ids: Sequence[str], key: str, descending: bool) -> list[str]:
    """Metric ids sorted by one of METRIC_SORTS."""
    return _ordered(ids, metric_records(ds), lambda r: _metric_key(r, key), descending)


# --- Warming ---------------------------------------------------------------------------

# The per-dataset indexes of this module, each built on first use.
INDEXES = (codes_of, result_codes, grids_by_metric, model_records, metric_records, _cells_of,
           _rows_of_grids, place_columns, model_texts, metric_texts)


def warm(ds: Dataset) -> None:
    """Build every per-dataset index the grid, model, metric and compare pages and answers read
    (catalog.INDEXES and tables.INDEXES: ~0.3 s at 5,000 grids), so no request pays for one.

    The conflicts' index (conflicts.index) and the search's (views.search_texts) are their
    modules'.
    """
    from . import tables  # tables builds on this module

    for build in (*INDEXES, *tables.INDEXES):
        build(ds)
