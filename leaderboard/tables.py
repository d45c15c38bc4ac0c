"""The tables the pages show (and the CSVs download): grid, model, metric and compare views.

Pure: a Dataset and validated query arguments in, plain rows out. No Flask here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from . import ranking
from .catalog import observations, place, where
from .data import Dataset, Grid
from .ranking import NAME, SortKey


class QueryError(ValueError):
    """A query argument cannot be used: it names something this view lacks, or is malformed."""


class UnknownError(LookupError):
    """A query argument names a model that does not exist at all."""


def directions(ds: Dataset, metric_ids: list[str]) -> dict[str, bool | None]:
    return {m: ds.metrics.at[m, "higher_is_better"] for m in metric_ids}


def split_ids(text: str | None) -> list[str]:
    """Comma-separated ids, stripped, each kept once in first-seen order."""
    parts = (part.strip() for part in (text or "").split(","))
    return list(dict.fromkeys(part for part in parts if part))


def describe_metric(
    ds: Dataset, metric: str, label: str | None = None, band: str | None = None
) -> dict:
    row = ds.metrics.loc[metric]
    return {
        "id": metric, "label": label or row["name"], "name": row["name"], "unit": row["unit"],
        "band": band, "higher_is_better": row["higher_is_better"], "type": row["type"],
        "category": row["category"],
    }


def conflict_text(ds: Dataset, model: str, metric: str) -> str:
    """Describe every place that gives this model's metric, e.g. '3.29 (表4, p. 27); ...'."""
    return "; ".join(f"{p['printed']} ({p['where']})" for p in observations(ds, model, metric))


# --- Grid leaderboard ----------------------------------------------------------------


@dataclass(frozen=True)
class GridTable:
    grid: Grid
    metrics: list[dict]
    bands: list[tuple[str | None, int]]
    rows: list[dict]
    sort: list[SortKey]
    ranked_by: str | None
    baseline: dict | None
    average: bool
    n_total: int
    directions: dict[str, bool | None] = field(default_factory=dict)
    notes: list[dict] = field(default_factory=list)
    query: dict = field(default_factory=dict)
    order: pd.Index = field(default_factory=lambda: pd.Index([]))  # every row, sorted
    build_rows: Callable[[pd.Index], list[dict]] | None = None
    page: int = 1
    per_page: int | None = None

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

    def all_rows(self, block: int = 500) -> Iterator[dict]:
        """Every row that passes the filters, in order, built a block at a time."""
        for start in range(0, len(self.order), block):
            yield from self.build_rows(self.order[start:start + block])

    @property
    def sorted_by(self) -> dict[str, SortKey]:
        return {k.column: k for k in self.sort}

    def default_descending(self, column: str) -> bool:
        """Whether `column` sorts descending when clicked first (best first)."""
        if column == NAME:
            return False
        return ranking.default_descending(self.directions[column])


def _select_metrics(grid: Grid, text: str | None) -> list:
    entries = {m.id: m for m in grid.metrics}
    chosen = split_ids(text)
    unknown = [m for m in chosen if m not in entries]
    if unknown:
        raise QueryError(
            f"metrics: {', '.join(map(repr, unknown))} not in this grid; its metrics are "
            + ", ".join(entries)
        )
    return [entries[m] for m in chosen] if chosen else list(grid.metrics)


def filter_models(models: pd.DataFrame, query: dict) -> pd.DataFrame:
    """Keep the models that match the text search, organisation, openness, distillation, size."""
    keep = pd.Series(True, index=models.index)
    if query.get("q"):
        needle = query["q"].casefold()
        text = models["name"] + " " + models["label"] + " " + models["organisation"]
        text = text.str.casefold()
        keep &= text.str.contains(needle, regex=False)
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


def _grid_models(ds: Dataset, grid: Grid) -> pd.DataFrame:
    ids = [m.id for m in grid.models]
    models = ds.models.loc[ids].copy()
    models["label"] = [m.label for m in grid.models]
    return models


def _bands(metrics: list) -> list[tuple[str | None, int]]:
    bands: list[tuple[str | None, int]] = []
    for m in metrics:
        if bands and bands[-1][0] == m.band:
            bands[-1] = (m.band, bands[-1][1] + 1)
        else:
            bands.append((m.band, 1))
    return bands


def _baseline(grid: Grid, baseline: str | None) -> str | None:
    if baseline is None:
        return None
    if baseline not in {m.id for m in grid.models}:
        raise QueryError(
            f"baseline: {baseline!r} is not a model of this grid; its models are "
            + ", ".join(m.id for m in grid.models)
        )
    return baseline


def grid_table(ds: Dataset, grid: Grid, query: dict, materialise: bool = True) -> GridTable:
    """Build the leaderboard for one grid: filtered, sorted, ranked, with diffs on request.

    Sorting and ranking cover every row that passes the filters; with `per_page` in the query
    only that page's rows are built. `materialise=False` builds none: read them from
    `GridTable.all_rows()` (the CSV streams them).
    """
    frames = ds.frames[grid.slug]
    selected = _select_metrics(grid, query.get("metrics"))
    metric_ids = [m.id for m in selected]
    dirs = directions(ds, [m.id for m in grid.metrics])
    try:
        keys = ranking.parse_sort(query.get("sort"), query.get("order"), dirs)
    except ValueError as e:
        raise QueryError(f"sort: {e}; sort by a metric id of this grid or by 'model'") from e
    baseline = _baseline(grid, query.get("baseline"))

    models = _grid_models(ds, grid)
    visible = filter_models(models, query)
    values = frames.values.loc[visible.index]
    order = ranking.sort_rows(values, visible["name"], keys) if keys else values.index
    ranked_by = keys[0].column if keys and keys[0].column != NAME else None
    if ranked_by is not None and dirs[ranked_by] is None:
        ranked_by = None
    diffs = ranking.diffs(frames.values[metric_ids], baseline, dirs) if baseline else None
    builder = _RowBuilder(
        ds, grid, frames, models, metric_ids, baseline,
        ranking.rank(values[ranked_by], dirs[ranked_by]) if ranked_by else None,
        ranking.best_mask(values[metric_ids], dirs),
        ranking.bold_disagreements(ranking.best_mask(frames.values[metric_ids], dirs),
                                   frames.bold[metric_ids]),
        diffs,
        ranking.diff_summary(diffs.verdict) if diffs else None,
        ranking.average(frames.values[metric_ids], ds.metrics.loc[metric_ids])
        if query.get("average") else None,
    )
    page, per_page = query.get("page", 1), query.get("per_page")
    shown = page_of(order, page, per_page) if materialise else order[:0]
    rows = builder.rows(shown)

    selected_desc = [describe_metric(ds, m.id, m.label, m.band) for m in selected]
    for i, desc in enumerate(selected_desc):  # where a band begins, the page draws a rule
        desc["band_start"] = desc["band"] is not None and (
            i == 0 or selected_desc[i - 1]["band"] != desc["band"])
    return GridTable(
        grid=grid,
        metrics=selected_desc,
        bands=_bands(selected),
        rows=rows,
        sort=keys,
        ranked_by=ranked_by,
        baseline=(
            {"id": baseline, "name": models.at[baseline, "name"]} if baseline else None
        ),
        average=bool(query.get("average")),
        n_total=len(models),
        directions=dirs,
        notes=[
            {"model": row["label"], "metric": metric["label"], "where": cell["where"],
             "note": cell["note"]}
            for row in rows
            for metric, cell in zip(selected_desc, row["cells"], strict=True) if cell["note"]
        ],
        query=query,
        order=order,
        build_rows=builder.rows,
        page=page,
        per_page=per_page,
    )


def page_count(rows: int, per_page: int | None) -> int:
    """How many pages `rows` rows fill (at least one); one when not paged."""
    return max(1, -(-rows // per_page)) if per_page else 1


def page_of(order: pd.Index, page: int, per_page: int | None) -> pd.Index:
    """The rows of one page; raise QueryError for a page past the last."""
    if per_page is None:
        return order
    last = page_count(len(order), per_page)
    if page > last:
        raise QueryError(f"page: {page} is past the last page, {last}")
    return order[(page - 1) * per_page: page * per_page]


class _RowBuilder:
    """Build table rows a block at a time from the grid's frames, sliced once per block."""

    FIELDS = ("printed", "raw", "values", "bold", "conflict", "note", "label", "page")

    def __init__(self, ds, grid, frames, models, metric_ids, baseline, ranks, best, mismatch,
                 diffs, summary, averages):
        self.ds, self.grid, self.metric_ids, self.baseline = ds, grid, metric_ids, baseline
        self.frames = {f: getattr(frames, f)[metric_ids] for f in self.FIELDS}
        self.models, self.ranks, self.best, self.mismatch = models, ranks, best, mismatch
        self.diffs, self.summary, self.averages = diffs, summary, averages
        self.where = where(grid.source.label, grid.source.page)

    def rows(self, block: pd.Index) -> list[dict]:
        get = {f: frame.loc[block].to_numpy() for f, frame in self.frames.items()}
        best = self.best.loc[block].to_numpy()
        mismatch = self.mismatch.loc[block].to_numpy()
        diffs = None if self.diffs is None else (
            self.diffs.points.loc[block].to_numpy(), self.diffs.percent.loc[block].to_numpy(),
            self.diffs.verdict.loc[block].to_numpy())
        models = self.models.loc[block, ["name", "label", "organisation"]].to_numpy()
        out = []
        for i, model in enumerate(block):
            rank = None if self.ranks is None else self.ranks[model]
            row = {
                "id": model, "name": models[i, 0], "label": models[i, 1],
                "organisation": models[i, 2],
                "rank": None if rank is None or pd.isna(rank) else int(rank),
                "is_baseline": model == self.baseline,
                "cells": [self._cell(get, best, mismatch, diffs, i, j, model, metric)
                          for j, metric in enumerate(self.metric_ids)],
            }
            if self.summary is not None:
                row["summary"] = self.summary.loc[model].to_dict()
            if self.averages is not None:
                avg = self.averages.loc[model]
                row["average"] = None if pd.isna(avg["average"]) else float(avg["average"])
                row["covered"], row["of"] = int(avg["covered"]), int(avg["of"])
            out.append(row)
        return out

    def _cell(self, get, best, mismatch, diffs, i, j, model, metric) -> dict:
        printed = get["printed"][i, j]
        label = get["label"][i, j]
        cell = {
            "metric": metric,
            "printed": printed,
            "raw": get["raw"][i, j],
            "value": get["values"][i, j],
            "missing": printed is None or printed == "-",
            "stated": printed is not None,
            "bold": bool(get["bold"][i, j]),
            "best": bool(best[i, j]),
            "bold_mismatch": bool(mismatch[i, j]),
            "conflict": bool(get["conflict"][i, j]),
            "note": get["note"][i, j],
            "where": self.where if label is None else where(label, get["page"][i, j]),
        }
        if cell["conflict"]:
            cell["conflict_text"] = conflict_text(self.ds, model, metric)
        if diffs is not None:
            points, pct, verdict = diffs[0][i, j], diffs[1][i, j], diffs[2][i, j]
            cell["diff"] = None if pd.isna(points) else float(points)
            cell["pct"] = None if pd.isna(pct) else float(pct)
            cell["verdict"] = verdict
        return cell


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


def with_places(ds: Dataset, rows: pd.DataFrame) -> list[dict]:
    """Rows of `merged` as dicts, each with every place that prints it, in order."""
    if rows.empty:
        return []
    ordered = _ordered(ds)
    subset = ordered[ordered["model"].isin(rows["model"].unique())
                     & ordered["metric"].isin(rows["metric"].unique())]
    wanted = set(rows.index)
    places: dict[tuple, list[dict]] = {}
    for r in subset.to_dict("records"):
        key = (r["model"], r["metric"])
        if key in wanted:
            places.setdefault(key, []).append(place(ds, r))
    return [{**row, "places": places[key]}
            for key, row in zip(rows.index, rows.to_dict("records"), strict=True)]


def model_table(ds: Dataset, model: str) -> list[dict]:
    """Return one model's numbers across all grids, grouped by benchmark."""
    rows = merged(ds)
    rows = rows[rows["model"] == model]
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
    rows = merged(ds)
    rows = rows[rows["metric"] == metric]
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
        raise UnknownError(f"There is no model {', '.join(map(repr, unknown))}.")
    if len(ids) < 2:
        raise QueryError("models: name two or more model ids, e.g. models=deepseek-r1,o1-mini")
    rows = merged(ds)
    rows = rows[rows["model"].isin(ids)]
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

    def cells(metric: str, with_diffs: bool) -> list[dict]:
        out = []
        for model in ids:
            cell = dict(entries[(model, metric)]) if (model, metric) in entries else None
            if cell is not None and with_diffs:
                cell["diff"] = float(diffs.points.at[model, metric])
                pct = diffs.percent.at[model, metric]
                cell["pct"] = None if pd.isna(pct) else float(pct)
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
