"""The tables across grids: one model's numbers, one metric's leaderboard, models compared.

(One grid's view is view.py's.) Pure: a Dataset and validated arguments in, rows out. No Flask.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from flask_babel import gettext as _

from . import ranking
from .catalog import (
    Groups,
    Pairs,
    _cells_of,
    codes_of,
    group,
    metric_records,
    pair_groups,
    place,
    plain,
    result_codes,
    rows_at,
)
from .data import Dataset
from .errors import QueryError, UnknownError
from .ranking import SortKey
from .view import page_count, page_of, round_diff, split_ids

# The places a number lists in full on a page or in the API; the rest are counted (n_places)
# and listed, a page at a time, by /models/<id>?metric=<id>. Every number of the bundled data
# fits (at most 7 places); one of thousands of small grids can be printed in hundreds.
PLACES_SHOWN = 10
MAX_COMPARED = 12  # models side by side on one page


def describe_metric(
    ds: Dataset, metric: str, label: str | None = None, band: str | None = None
) -> dict:
    row = metric_records(ds)[metric]  # built once; a DataFrame row a call cost ~50 µs
    return {
        "id": metric, "label": label or row["name"], "name": row["name"],
        "name_zh": row["name_zh"], "unit": row["unit"],
        "band": band, "higher_is_better": row["higher_is_better"], "type": row["type"],
        "category": row["category"],
    }


# --- Across grids --------------------------------------------------------------------


@lru_cache(maxsize=8)
def _order(ds: Dataset) -> np.ndarray:
    """The results' positions, grids in the reports' order, rows in file order."""
    return np.lexsort((ds.results["row"].to_numpy(), result_codes(ds)[2]))


@lru_cache(maxsize=8)
def _places(ds: Dataset) -> Groups:
    """The positions in the results of every (model, metric)'s places, grids in the reports'
    order; group i is `merged`'s row i."""
    order = _order(ds)
    if (order[1:] > order[:-1]).all():  # the results are in that order already
        return _cells_of(ds)
    return pair_groups(ds, order)


def _pairs(ds: Dataset) -> Pairs:
    """(model, metric) -> its row of `merged` (and its group of `_places`)."""
    pairs = _places(ds).at
    assert isinstance(pairs, Pairs)
    return pairs


@lru_cache(maxsize=8)
def _merge(ds: Dataset) -> tuple[pd.DataFrame, np.ndarray]:
    """`merged`, and each row's first place in the reports' order (of a place that gives a
    value; of any, after every row with one): a few numpy passes over the grouped places."""
    places, results = _places(ds), ds.results
    value = results["value"].to_numpy()
    rows, first = places.rows, places.starts[:-1]
    n = len(rows)
    if not len(first):
        first = np.zeros(0, dtype=np.intp)
    given = np.where(np.isnan(value[rows]), n, np.arange(n))
    first_given = np.minimum.reduceat(given, first) if len(first) else first
    has = first_given < n
    shown = rows[np.where(has, first_given, first)]  # the place whose value is shown
    rank = np.empty(n, dtype=np.intp)
    rank[_order(ds)] = np.arange(n)
    appears = np.where(has, rank[shown], n + rank[rows[first]])
    n_metrics = len(ds.metrics)
    model, metric = np.divmod(_pairs(ds).codes, n_metrics)
    conflict = results["conflict"].to_numpy()
    columns = {
        "model": ds.models.index.to_numpy()[model], "metric": ds.metrics.index.to_numpy()[metric],
        "value": value[shown], "raw": results["raw"].to_numpy()[shown],
        "printed": results["printed"].to_numpy()[shown],
        "conflict": (np.logical_or.reduceat(conflict[rows], first) if len(first)
                     else np.zeros(0, dtype=bool)),
    }
    # Object columns stay objects, as the results' are (pandas would infer strings).
    frame = pd.DataFrame({c: pd.Series(v, dtype=v.dtype, copy=False) for c, v in columns.items()})
    frame.index = pd.MultiIndex(levels=[ds.models.index, ds.metrics.index],
                                codes=[model, metric], names=["model", "metric"])
    return frame, appears


def merged(ds: Dataset) -> pd.DataFrame:
    """One row per (model, metric) across all grids: the value shown, and any conflict.

    The value shown is the first place's that reports one (grids in the reports' order); a
    conflict is never resolved, only flagged; `with_places` lists every place. Rows are by
    model, then metric (both in the registry's order); row i's places are `_places` group i.
    """
    return _merge(ds)[0]


@lru_cache(maxsize=8)
def _indexes(ds: Dataset) -> tuple[Groups, Groups, Groups]:
    """Built once per dataset: the rows of `merged` by model (in the registry's order) and by
    metric (models in the order their first place appears), and the places of each
    (model, metric), so no request scans every result."""
    frame, appears = _merge(ds)
    model, metric = frame.index.codes
    models, metrics = codes_of(ds)
    by_model = group(np.asarray(model))
    by_metric = group(np.asarray(metric), np.argsort(appears, kind="stable"))
    return (_groups(list(models), *by_model), _groups(list(metrics), *by_metric), _places(ds))


def _groups(ids: list[str], codes: np.ndarray, starts: np.ndarray, rows: np.ndarray
            ) -> Groups:
    return Groups({ids[c]: i for i, c in enumerate(codes.tolist())}, starts, rows)


@lru_cache(maxsize=8)
def _merged_columns(ds: Dataset) -> Mapping[str, np.ndarray]:
    frame = merged(ds)
    return MappingProxyType({c: frame[c].to_numpy() for c in frame.columns})


def merged_of(ds: Dataset, *, model: str | None = None, metric: str | None = None
              ) -> pd.DataFrame:
    """The rows of `merged` of one model or one metric (of both: that one row, or none)."""
    by_model, by_metric, _ = _indexes(ds)
    if model is not None and metric is not None:
        known = model in by_model and metric in by_metric
        at = _pairs(ds).find([model], [metric]).tolist() if known else []
        return merged(ds).iloc[[i for i in at if i >= 0]]
    found = by_model.get(model, []) if model is not None else by_metric.get(metric, [])
    return merged(ds).iloc[found]


def with_places(ds: Dataset, rows: pd.DataFrame, limit: int | None = None, *,
                whole: bool = False) -> list[dict]:
    """Rows of `merged` as dicts, each with the places that print it, in order: every one, or
    the first `limit` (with `whole`, all or, when there are more than `limit`, none).
    `n_places` counts them all; when some are left out, `tally` sums up what they all print:
    each distinct printed text and in how many places, first seen first."""
    at = _pairs(ds).find(rows["model"].tolist(), rows["metric"].tolist())
    return entries(ds, at, limit, whole=whole)


def entries(ds: Dataset, at: np.ndarray, limit: int | None = None, *, whole: bool = False
            ) -> list[dict]:
    """`with_places` of the rows of `merged` at positions `at`, read from its arrays."""
    places = _places(ds)
    starts, stops = places.starts[at], places.starts[np.asarray(at) + 1]
    counts = stops - starts
    shown = counts if limit is None else np.minimum(counts, limit)
    if whole and limit is not None:
        shown = np.where(counts > limit, 0, shown)
    # One look-up for every place of every row, split back in order.
    offsets = np.repeat(starts - np.cumsum(shown) + shown, shown) + np.arange(shown.sum())
    listed = iter([place(ds, r) for r in rows_at(ds, places.rows[offsets])])
    columns = _merged_columns(ds)
    out = []
    values = zip(*(columns[c][at].tolist() for c in MERGED_COLUMNS), strict=True)
    for i, row, n_places, n in zip(np.asarray(at).tolist(), values, counts.tolist(),
                                   shown.tolist(), strict=True):
        entry = dict(zip(MERGED_COLUMNS, row, strict=True))
        entry.update(value=plain(entry["value"]), places=list(islice(listed, n)),
                     n_places=n_places)
        if n < n_places:
            entry["tally"] = _tally(ds, i)
        out.append(entry)
    return out


MERGED_COLUMNS = ("model", "metric", "value", "raw", "printed", "conflict")
# The columns of an observation that a place (catalog.place) reads.
@lru_cache(maxsize=8)
def _tallies(ds: Dataset) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What every (model, metric)'s places print, each distinct text once with in how many
    places, first printed first: the texts, their counts, and where `merged` row i's start
    (and the last's end). Counted once with one sort of (pair, text) codes."""
    places = _places(ds)
    texts, uniques = pd.factorize(ds.results["printed"], use_na_sentinel=False)
    n_texts = max(len(uniques), 1)
    pair = np.repeat(np.arange(len(places.starts) - 1), np.diff(places.starts))
    keys, first, counts = np.unique(pair * n_texts + texts[places.rows], return_index=True,
                                    return_counts=True)
    seen = np.argsort(first, kind="stable")  # by pair (places are), then first printed
    keys, counts = keys[seen], counts[seen]
    starts = np.searchsorted(keys // n_texts, np.arange(len(places.starts)))
    return np.asarray(uniques, dtype=object)[keys % n_texts], counts, starts


def _tally(ds: Dataset, row: int) -> list[dict[str, Any]]:
    texts, counts, starts = _tallies(ds)
    start, stop = starts[row], starts[row + 1]
    return [{"printed": text, "places": n}
            for text, n in zip(texts[start:stop].tolist(), counts[start:stop].tolist(),
                               strict=True)]


def bounds(rows: int, page: int, per_page: int | None) -> slice:
    """The rows of one page of `rows` rows; raise QueryError for a page past the last."""
    page_of(range(rows), page, per_page)
    return slice((page - 1) * per_page, page * per_page) if per_page else slice(None)


@lru_cache(maxsize=8)
def _metric_order(ds: Dataset) -> Mapping[str, int]:
    return MappingProxyType({m: i for i, m in enumerate(ds.metrics.index)})


def model_rows(ds: Dataset, model: str) -> pd.DataFrame:
    """The rows of `merged` of one model, grouped by benchmark: the metrics in the registry's
    order, each benchmark's together where the first of them is (as the model page groups)."""
    rows = merged_of(ds, model=model)
    order, records = _metric_order(ds), metric_records(ds)
    metrics = rows["metric"].tolist()
    benchmark = [records[m]["benchmark"] for m in metrics]
    at = sorted(range(len(rows)), key=lambda i: order[metrics[i]])
    first: dict[str, int] = {}
    for rank, i in enumerate(at):
        first.setdefault(benchmark[i], rank)
    at.sort(key=lambda i: first[benchmark[i]])  # stable: the registry's order in a benchmark
    return rows.iloc[at]


def model_table(ds: Dataset, model: str, page: int = 1, per_page: int | None = None
                ) -> list[dict]:
    """Return one model's numbers across all grids, grouped by benchmark, each with its first
    PLACES_SHOWN places. With `per_page`, only that page of its metrics (registry order)."""
    rows = model_rows(ds, model)
    groups: dict[str, list[dict]] = {}
    for entry in with_places(ds, rows.iloc[bounds(len(rows), page, per_page)], PLACES_SHOWN):
        entry["metric_info"] = describe_metric(ds, entry["metric"])
        groups.setdefault(metric_records(ds)[entry["metric"]]["benchmark"], []).append(entry)
    return [{"benchmark": b, "entries": e} for b, e in groups.items()]


def cell_places(ds: Dataset, model: str, metric: str, start: int = 0, stop: int | None = None
                ) -> tuple[list[dict], int]:
    """The places that print one model's number for one metric, grids in the reports' order,
    from `start` to `stop`; and how many there are in all (0: the model has no such number)."""
    found = _indexes(ds)[2].get((model, metric))
    if found is None:
        return [], 0
    return [place(ds, r) for r in rows_at(ds, found[start:stop])], len(found)


def metric_table(ds: Dataset, metric: str, page: int = 1, per_page: int | None = None
                 ) -> list[dict]:
    """Return one metric's leaderboard across every grid that has it, ranked best first.

    With `per_page`, only that page of it (ranks stay those of the whole leaderboard).
    """
    rows = merged_of(ds, metric=metric)
    higher = ds.metrics.at[metric, "higher_is_better"]
    keys = [SortKey("v", ranking.default_descending(higher))]
    values = rows[["value"]].rename(columns={"value": "v"}).droplevel("metric")
    order = ranking.sort_rows(values, pd.Series(dtype=object), keys)
    ranks = ranking.rank(values["v"], higher)
    order = page_of(order, page, per_page)
    out = with_places(ds, rows.loc[[(model, metric) for model in order]], PLACES_SHOWN)
    for entry in out:
        rank = ranks[entry["model"]]
        entry["rank"] = None if pd.isna(rank) else int(rank)
        entry["name"] = ds.models.at[entry["model"], "name"]
        entry["name_zh"] = ds.models.at[entry["model"], "name_zh"]
    return out


@dataclass(frozen=True)
class Comparison:
    models: list[dict]
    shared: list[dict]  # metric descriptor + cells per model + diffs against the first
    apart: list[dict]  # metrics only some of the models have
    summary: list[dict]  # per model: better / worse / level against the first (every metric)
    note: str | None = None  # says so when the models share no metric
    n_shared: int = 0  # shared and apart hold one page of these
    n_apart: int = 0
    page: int = 1
    pages: int = 1


def compare(ds: Dataset, text: str, page: int = 1, per_page: int | None = None, *,
            places: bool = True) -> Comparison:
    """Put models side by side over the metrics they all have, with diffs against the first.

    With `per_page`, `shared` and `apart` hold that page of each (the summary counts them all);
    past the last page of both, neither holds any. A cell lists its places when there are at
    most PLACES_SHOWN (else none: `tally` sums them up, /models/<id>?metric=<id> lists them);
    without `places`, only a conflict's cells do (the page shows no other).
    """
    ids = split_ids(text)
    unknown = [m for m in ids if m not in ds.models.index]
    if unknown:
        raise UnknownError("model", unknown[0], message=_(
            "There is no model %(key)s.", key=", ".join(map(repr, unknown))))
    if len(ids) < 2:
        twice = len([p for p in text.split(",") if p.strip()]) > len(ids)
        raise QueryError("models", _(
            "name two or more different model ids, e.g. models=deepseek-r1,o1-mini (%(model)s is "
            "named more than once)", model=ids[0]) if twice and ids else _(
            "name two or more different model ids, e.g. models=deepseek-r1,o1-mini"))
    if len(ids) > MAX_COMPARED:
        raise QueryError("models", _("compare at most %(most)s models at once; %(n)s are named",
                                     most=MAX_COMPARED, n=len(ids)))
    # Each model's rows of `merged`, a column a metric (the registry's order): -1 where none.
    by_model, columns = _indexes(ds)[0], _merged_columns(ds)
    found = [np.asarray(by_model.get(m, []), dtype=np.intp) for m in ids]
    metric_of = merged(ds).index.codes[1]
    metrics = np.unique(np.concatenate([metric_of[f] for f in found]))
    at = np.full((len(ids), len(metrics)), -1, dtype=np.intp)
    for i, f in enumerate(found):
        at[i, np.searchsorted(metrics, metric_of[f])] = f
    values = np.where(at >= 0, columns["value"][at], np.nan)
    have = ~np.isnan(values)
    have_all, have_any = have.all(axis=0), have.any(axis=0)
    shared, apart = np.flatnonzero(have_all), np.flatnonzero(have_any & ~have_all)
    metric_ids = ds.metrics.index.to_numpy()
    points, percent, judged = _diffs(values[:, shared], _better_sign(ds)[metrics[shared]])
    n_shared, n_apart = len(shared), len(apart)
    pages = max(page_count(n_shared, per_page), page_count(n_apart, per_page))
    shown = slice((page - 1) * per_page, page * per_page) if per_page else slice(None)
    summary = [{"id": m, "better": int(b), "worse": int(w), "level": int(v)}
               for m, b, w, v in zip(ids, (judged > 0).sum(axis=1), (judged < 0).sum(axis=1),
                                     (judged == 0).sum(axis=1), strict=True)]
    points, percent, judged = points[:, shown], percent[:, shown], judged[:, shown]
    verdicts = np.select([judged > 0, judged < 0, judged == 0], VERDICTS, np.array(None))
    shared, apart = shared[shown], apart[shown]

    # Every cell shown, in one pass: places for those that list theirs, the others none.
    cells_at = at[:, np.r_[shared, apart]].T  # a row a metric, as the page shows them
    listed = cells_at >= 0 if places else (cells_at >= 0) & columns["conflict"][cells_at]
    made = iter(entries(ds, cells_at[listed], PLACES_SHOWN, whole=True))
    bare = iter(_bare(ds, cells_at[(cells_at >= 0) & ~listed]))
    grid = [[(next(made) if is_listed else next(bare)) if row >= 0 else None
             for row, is_listed in zip(rows.tolist(), listed_row.tolist(), strict=True)]
            for rows, listed_row in zip(cells_at, listed, strict=True)]
    for j, metric in enumerate(metric_ids[metrics[shared]].tolist()):
        _with_diffs(ds, metric, grid[j], points[:, j], percent[:, j], verdicts[:, j])

    def rows(columns: np.ndarray, cells: list[list[dict | None]]) -> list[dict]:
        return [{**describe_metric(ds, m), "cells": c}
                for m, c in zip(metric_ids[metrics[columns]].tolist(), cells, strict=True)]

    names = ds.models[["name", "name_zh"]]
    return Comparison(
        models=[{"id": m, "name": names.at[m, "name"], "name_zh": names.at[m, "name_zh"]}
                for m in ids],
        shared=rows(shared, grid[:len(shared)]), apart=rows(apart, grid[len(shared):]),
        summary=summary,
        note=None if n_shared else "These models share no metric: no number can be compared.",
        n_shared=n_shared, n_apart=n_apart, page=page, pages=pages,
    )


VERDICTS = np.array(["better", "worse", "level"], dtype=object)


@lru_cache(maxsize=8)
def _better_sign(ds: Dataset) -> np.ndarray:
    """Each metric's better direction: 1 higher, -1 lower, NaN neither (registry order)."""
    return np.array([np.nan if h is None else 1.0 if h else -1.0
                     for h in ds.metrics["higher_is_better"].tolist()])


def _diffs(values: np.ndarray, better: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ranking.diffs in arrays (a row a model, a column a metric): points and percent against
    the first row, and their sign times the metric's better direction (>0 better, <0 worse,
    0 level, NaN neither)."""
    base = values[0]
    points = values - base
    percent = points / np.where(base == 0, np.nan, np.abs(base)) * 100
    return points, percent, np.sign(points) * better


def _bare(ds: Dataset, at: np.ndarray) -> list[dict]:
    """Rows of `merged` as `entries` gives them, without a place listed."""
    columns, starts = _merged_columns(ds), _places(ds).starts
    counts = (starts[at + 1] - starts[at]).tolist()
    return [{**dict(zip(MERGED_COLUMNS, row, strict=True)), "value": plain(row[2]), "places": [],
             "n_places": n}
            for row, n in zip(zip(*(columns[c][at].tolist() for c in MERGED_COLUMNS),
                                  strict=True), counts, strict=True)]


def _with_diffs(ds: Dataset, metric: str, cells: list[dict | None], points: np.ndarray,
                percent: np.ndarray, verdicts: np.ndarray) -> None:
    """Give a shared metric's cells their diffs against the first, rounded as a grid view
    rounds them (a date or a yes/no has none)."""
    number = metric_records(ds)[metric]["type"] == "number"
    base = cells[0]
    for cell, diff, pct, verdict in zip(cells, points.tolist(), percent.tolist(),
                                        verdicts.tolist(), strict=True):
        if cell is None or base is None:
            continue
        if not number:
            cell.update(diff=None, decimals=None, pct=None, verdict=None)
            continue
        cell["diff"], cell["decimals"] = round_diff(float(diff), cell["printed"], base["printed"])
        cell["pct"] = None if pct != pct else round(float(pct), 1)
        cell["verdict"] = verdict


# The per-dataset indexes of this module, each built on first use (catalog.warm builds them).
INDEXES = (_order, _places, _merge, _indexes, _merged_columns, _metric_order, _tallies,
           _better_sign)
