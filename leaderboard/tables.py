"""The tables across grids: one model's numbers, one metric's leaderboard, models compared.

(One grid's view is view.py's.) Pure: a Dataset and validated arguments in, rows out. No Flask.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from . import ranking
from .catalog import place, plain
from .data import Dataset
from .errors import QueryError, UnknownError
from .ranking import SortKey
from .view import directions, page_of, round_diff, split_ids


def describe_metric(
    ds: Dataset, metric: str, label: str | None = None, band: str | None = None
) -> dict:
    row = ds.metrics.loc[metric]
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


def with_places(ds: Dataset, rows: pd.DataFrame) -> list[dict]:
    """Rows of `merged` as dicts, each with every place that prints it, in order."""
    ordered, places_of = _ordered(ds), _indexes(ds)[2]
    return [{**row, "value": plain(row["value"]),
             "places": [place(ds, r) for r in ordered.iloc[places_of[key]].to_dict("records")]}
            for key, row in zip(rows.index, rows.to_dict("records"), strict=True)]


def model_table(ds: Dataset, model: str) -> list[dict]:
    """Return one model's numbers across all grids, grouped by benchmark."""
    rows = merged_of(ds, model=model)
    entries = {(e["model"], e["metric"]): e for e in with_places(ds, rows)}
    groups: dict[str, list[dict]] = {}
    for metric in ds.metrics.index:  # the registry's order
        if (model, metric) in entries:
            entry = entries[(model, metric)]
            entry["metric_info"] = describe_metric(ds, metric)
            groups.setdefault(ds.metrics.at[metric, "benchmark"], []).append(entry)
    return [{"benchmark": b, "entries": e} for b, e in groups.items()]


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
    out = with_places(ds, rows.loc[[(model, metric) for model in order]])
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
    summary: list[dict]  # per model: better / worse / level against the first
    note: str | None = None  # says so when the models share no metric


def compare(ds: Dataset, text: str) -> Comparison:
    """Put models side by side over the metrics they all have, with diffs against the first."""
    ids = split_ids(text)
    unknown = [m for m in ids if m not in ds.models.index]
    if unknown:
        raise UnknownError("model", unknown[0],
                           message=f"There is no model {', '.join(map(repr, unknown))}.")
    if len(ids) < 2:
        raise QueryError("models", "name two or more model ids, e.g. models=deepseek-r1,o1-mini")
    rows = pd.concat([merged_of(ds, model=m) for m in ids])
    values = rows["value"].unstack("metric").reindex(index=ids)
    metric_order = [m for m in ds.metrics.index if m in values.columns]
    values = values[metric_order]
    have = values.notna()
    shared_ids = [m for m in metric_order if have[m].all()]
    apart_ids = [m for m in metric_order if have[m].any() and not have[m].all()]
    dirs = directions(ds, shared_ids)
    diffs = ranking.diffs(values[shared_ids], ids[0], dirs)
    summary = ranking.diff_summary(diffs.verdict)

    entries = {(e["model"], e["metric"]): e for e in with_places(
        ds, rows[rows["metric"].isin(shared_ids + apart_ids)])}

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
        note=None if shared_ids else "These models share no metric: no number can be compared.",
    )
