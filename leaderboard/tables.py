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

from . import ranking
from .catalog import metric_records, place, plain
from .data import Dataset
from .errors import QueryError, UnknownError
from .ranking import SortKey
from .view import page_count, page_of, round_diff, split_ids

# The places a number lists in full on a page or in the API; the rest are counted (n_places)
# and listed, a page at a time, by /models/<id>?metric=<id>. Every number of the bundled data
# fits (at most 7 places); one of thousands of small grids can be printed in hundreds.
PLACES_SHOWN = 10


def describe_metric(
    ds: Dataset, metric: str, label: str | None = None, band: str | None = None
) -> dict:
    row = metric_records(ds)[metric]  # built once; a DataFrame row a call cost ~50 µs
    return {
        "id": metric, "label": label or row["name"], "name": row["name"], "unit": row["unit"],
        "band": band, "higher_is_better": row["higher_is_better"], "type": row["type"],
        "category": row["category"],
    }


# --- Across grids --------------------------------------------------------------------


@lru_cache(maxsize=8)
def _ordered(ds: Dataset) -> pd.DataFrame:
    """Every observation, grids in the reports' order, rows in file order."""
    grid_order = {slug: i for i, slug in enumerate(ds.grids)}
    return ds.results.assign(_order=ds.results["grid"].map(grid_order)).sort_values(
        ["_order", "row"], kind="stable")


@lru_cache(maxsize=8)
def merged(ds: Dataset) -> pd.DataFrame:
    """One row per (model, metric) across all grids: the value shown, and any conflict.

    The value shown is the first place's that reports one (grids in the reports' order); a
    conflict is never resolved, only flagged; `with_places` lists every place.
    """
    ordered = _ordered(ds)
    keys = ["model", "metric"]
    first = pd.concat([ordered[ordered["value"].notna()], ordered]).drop_duplicates(keys)
    conflict = ordered.groupby(keys, sort=False, observed=True)["conflict"].any()
    out = first[["model", "metric", "value", "raw", "printed"]].set_index(keys, drop=False)
    return out.assign(conflict=conflict.reindex(out.index).to_numpy())


@lru_cache(maxsize=8)
def _indexes(ds: Dataset) -> tuple[Mapping, Mapping, Mapping]:
    """Built once per dataset: the rows of `merged` by model and by metric, and the places
    of each (model, metric) in `_ordered`, so no request scans every result."""
    rows, ordered = merged(ds).reset_index(drop=True), _ordered(ds)
    return (rows.groupby("model", sort=False, observed=True).indices,
            rows.groupby("metric", sort=False, observed=True).indices,
            ordered.groupby(["model", "metric"], sort=False, observed=True).indices)


def merged_of(ds: Dataset, *, model: str | None = None, metric: str | None = None
              ) -> pd.DataFrame:
    """The rows of `merged` of one model or one metric (of both: that one row, or none)."""
    by_model, by_metric, _ = _indexes(ds)
    found = by_model.get(model, []) if model is not None else by_metric.get(metric, [])
    rows = merged(ds).iloc[found]
    return rows[rows["metric"] == metric] if model is not None and metric is not None else rows


def with_places(ds: Dataset, rows: pd.DataFrame, limit: int | None = None) -> list[dict]:
    """Rows of `merged` as dicts, each with the places that print it, in order: every one, or
    the first `limit`. `n_places` counts them all; when some are left out, `tally` sums up what
    they all print: each distinct printed text and in how many places, first seen first."""
    places_of = _indexes(ds)[2]
    found = [places_of[key] for key in rows.index]
    shown = [f if limit is None else f[:limit] for f in found]
    at = np.concatenate(shown) if shown else np.empty(0, dtype=np.intp)
    # One look-up for every place of every row, split back in order.
    places = iter([place(ds, r) for r in _rows_at(ds, at)])
    out = []
    for row, every, some in zip(rows.to_dict("records"), found, shown, strict=True):
        entry = {**row, "value": plain(row["value"]), "places": list(islice(places, len(some))),
                 "n_places": len(every)}
        if len(some) < len(every):
            entry["tally"] = _tally(_printed(ds)[every])
        out.append(entry)
    return out


# The columns of an observation that a place (catalog.place) reads.
PLACE_COLUMNS = ("grid", "printed", "raw", "value", "label", "page", "note", "report", "cited")


@lru_cache(maxsize=8)
def _columns(ds: Dataset) -> Mapping[str, np.ndarray]:
    ordered = _ordered(ds)
    return MappingProxyType({c: ordered[c].to_numpy() for c in PLACE_COLUMNS})


def _rows_at(ds: Dataset, at: np.ndarray) -> list[dict[str, Any]]:
    """The observations at positions of `_ordered`, as dicts of plain values: column arrays
    taken at once (DataFrame.to_dict boxes every value, one by one: ~15 µs a row)."""
    taken = {c: column[at].tolist() for c, column in _columns(ds).items()}
    return [dict(zip(taken, values, strict=True)) for values in zip(*taken.values(), strict=True)]


def _printed(ds: Dataset) -> np.ndarray:
    return _columns(ds)["printed"]


def _tally(printed: np.ndarray) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for text in printed:
        counts[text] = counts.get(text, 0) + 1
    return [{"printed": text, "places": n} for text, n in counts.items()]


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
    return [place(ds, r) for r in _rows_at(ds, found[start:stop])], len(found)


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
    past the last page of both, neither holds any. Without `places`, only a conflict's cells
    list theirs (the page shows no other).
    """
    ids = split_ids(text)
    unknown = [m for m in ids if m not in ds.models.index]
    if unknown:
        raise UnknownError("model", unknown[0],
                           message=f"There is no model {', '.join(map(repr, unknown))}.")
    if len(ids) < 2:
        raise QueryError("models", "name two or more model ids, e.g. models=deepseek-r1,o1-mini")
    rows = pd.concat([merged_of(ds, model=m) for m in ids])
    values = rows["value"].unstack("metric").reindex(index=ids)
    values = values[ds.metrics.index.intersection(values.columns, sort=False)]  # registry order
    have_all, have_any = values.notna().all(), values.notna().any()  # whole columns at once
    shared_ids = list(values.columns[have_all])
    apart_ids = list(values.columns[have_any & ~have_all])
    dirs = dict(zip(shared_ids, ds.metrics["higher_is_better"].reindex(shared_ids), strict=True))
    diffs = ranking.diffs(values[shared_ids], ids[0], dirs)
    summary = ranking.diff_summary(diffs.verdict)
    pages = max(page_count(len(shared_ids), per_page), page_count(len(apart_ids), per_page))
    shown = slice((page - 1) * per_page, page * per_page) if per_page else slice(None)
    n_shared, n_apart = len(shared_ids), len(apart_ids)
    shared_ids, apart_ids = shared_ids[shown], apart_ids[shown]

    rows = rows[rows["metric"].isin(shared_ids + apart_ids)]
    entries = {(e["model"], e["metric"]): e for e in (
        with_places(ds, rows, PLACES_SHOWN) if places else
        with_places(ds, rows[rows["conflict"]], PLACES_SHOWN)
        + [{**r, "value": plain(r["value"]), "places": []}
           for r in rows[~rows["conflict"]].to_dict("records")])}

    def cells(metric: str, with_diffs: bool) -> list[dict | None]:
        out: list[dict | None] = []
        base = entries[(ids[0], metric)] if with_diffs else None
        for model in ids:
            cell = dict(entries[(model, metric)]) if (model, metric) in entries else None
            if cell is not None and base is not None and ds.metrics.at[metric, "type"] != "number":
                cell.update(diff=None, decimals=None, pct=None, verdict=None)  # a date, a yes/no
            elif cell is not None and base is not None:
                cell["diff"], cell["decimals"] = round_diff(  # as a grid view rounds it
                    float(diffs.points.at[model, metric]), cell["printed"], base["printed"])
                pct = diffs.percent.at[model, metric]
                cell["pct"] = None if pd.isna(pct) else round(float(pct), 1)
                cell["verdict"] = diffs.verdict.at[model, metric]
            out.append(cell)
        return out

    return Comparison(
        models=[{"id": m, "name": ds.models.at[m, "name"]} for m in ids],
        shared=[{**describe_metric(ds, m), "cells": cells(m, True)} for m in shared_ids],
        apart=[{**describe_metric(ds, m), "cells": cells(m, False)} for m in apart_ids],
        summary=[{"id": m, **summary.loc[m].to_dict()} for m in ids],
        note=None if n_shared else "These models share no metric: no number can be compared.",
        n_shared=n_shared, n_apart=n_apart, page=page, pages=pages,
    )
