"""Plain-dict views of a Dataset, shared by the JSON API and the pages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import pandas as pd

from .data import Dataset, Grid, where

MODEL_FIELDS = [
    "id", "name", "organisation", "kind", "open_weights", "distilled", "architecture",
    "total_params", "active_params", "release_date", "base_model", "teacher", "hardware", "note",
]
METRIC_FIELDS = [
    "id", "name", "benchmark", "measure", "unit", "scale", "higher_is_better", "category", "type",
    "note",
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
    row = ds.models.loc[model]
    record = {f: plain(row[f]) for f in MODEL_FIELDS}
    record["labels"] = dict(row["labels"])
    return record


def metric_record(ds: Dataset, metric: str) -> dict[str, Any]:
    row = ds.metrics.loc[metric]
    record = {f: plain(row[f]) for f in METRIC_FIELDS}
    record["scale"] = list(row["scale"]) if row["scale"] is not None else None
    record["grids"] = [g.slug for g in ds.grids.values() if metric in {m.id for m in g.metrics}]
    return record


@lru_cache(maxsize=8)
def model_records(ds: Dataset) -> Mapping[str, dict[str, Any]]:
    """Every model's record by id, in plain values (for pages, API and look-ups)."""
    return MappingProxyType({m: model_record(ds, m) for m in ds.models.index})


@lru_cache(maxsize=8)
def metric_records(ds: Dataset) -> Mapping[str, dict[str, Any]]:
    """Every metric's record by id, in plain values (for pages, API and look-ups)."""
    return MappingProxyType({m: metric_record(ds, m) for m in ds.metrics.index})


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


@lru_cache(maxsize=8)
def _cells_of(ds: Dataset) -> Mapping[tuple[str, str], Any]:
    """The positions of every (model, metric)'s rows in the results, in order: an index built
    once, so a cell's places are found without scanning every result."""
    return MappingProxyType(
        ds.results.groupby(["model", "metric"], sort=False, observed=True).indices)


def observations(ds: Dataset, model: str, metric: str) -> list[dict[str, Any]]:
    """Return every place that gives a value for one model and metric."""
    found = _cells_of(ds).get((model, metric))
    if found is None:
        return []
    return [place(ds, r) for r in ds.results.iloc[found].to_dict("records")]


@lru_cache(maxsize=8)
def _every_conflict(ds: Dataset) -> tuple[dict[str, Any], ...]:
    """Every conflict with every place that prints it: built once per dataset (callers read,
    never change, these dicts)."""
    return tuple(
        {"model": k["model"], "metric": k["metric"],
         "observations": observations(ds, k["model"], k["metric"])}
        for k in ds.conflicts.to_dict("records"))


def conflicts(ds: Dataset, grid: str | None = None) -> list[dict[str, Any]]:
    """Return the conflicts, all of them or those touching one grid's cells."""
    every = _every_conflict(ds)
    if grid is None:
        return list(every)
    rows = ds.results[ds.results["grid"] == grid]
    cells = set(zip(rows["model"], rows["metric"], strict=True))
    return [c for c in every if (c["model"], c["metric"]) in cells]


def grid_results(ds: Dataset, grid: Grid, block: int = 2000) -> Iterator[dict[str, Any]]:
    """Every cell of a grid with its provenance, built a block at a time."""
    rows = ds.results[ds.results["grid"] == grid.slug]
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
        detail["conflicts"] = conflicts(ds, grid.slug)
    if results:
        detail["results"] = list(grid_results(ds, grid))
    return detail


def _nullable_bool(value: Any) -> bool | None:
    return None if value is None or pd.isna(value) else bool(value)


# --- The conflicts page: filters, spread, sort -------------------------------------------

CONFLICT_SORTS = ("model", "metric", "spread")


def report_kind(ds: Dataset, report: str) -> str | None:
    """Return what kind of publication a report is (broker-report, readme, paper), if known."""
    return ds.reports[report].get("kind")


def report_kinds(ds: Dataset) -> list[str]:
    """Return the kinds of publication the reports are, sorted."""
    return sorted({k for k in (report_kind(ds, r) for r in ds.reports) if k})


def _gives(place: dict[str, Any]) -> bool:
    """Whether a place gives a value (a '-' prints that the value is not reported)."""
    value = place["value"]
    return value is not None and not pd.isna(value)


def filter_conflicts(ds: Dataset, found: list[dict[str, Any]], *, model: str | None = None,
                     metric: str | None = None, kind: str | None = None,
                     q: str | None = None) -> list[dict[str, Any]]:
    """Keep the conflicts of one model, one metric, with a place in a report of one kind, and
    whose model or metric name (or id) contains `q`, ignoring case."""
    needle = (q or "").casefold()
    models, metrics = model_records(ds), metric_records(ds)

    def keep(c: dict[str, Any]) -> bool:
        if model is not None and c["model"] != model:
            return False
        if metric is not None and c["metric"] != metric:
            return False
        if kind is not None and not any(report_kind(ds, p["source"]["report"]) == kind
                                        for p in c["observations"]):
            return False
        text = " ".join((c["model"], c["metric"], models[c["model"]]["name"],
                         metrics[c["metric"]]["name"]))
        return needle in text.casefold()

    return [c for c in found if keep(c)]


def spread(values: list[float]) -> float | None:
    """Return max − min of the values, without float noise (3.29 − 2.19 is 1.1); None for fewer
    than two (a value against a '-' has no spread)."""
    return float(f"{max(values) - min(values):.12g}") if len(values) > 1 else None


def conflict_row(ds: Dataset, conflict: dict[str, Any]) -> dict[str, Any]:
    """One row of the conflicts page: names, unit, every place (a '-' too), and the spread of
    the values given."""
    places = [{**p, "kind": report_kind(ds, p["source"]["report"]), "given": _gives(p)}
              for p in conflict["observations"]]
    model, metric = conflict["model"], conflict["metric"]
    return {
        "model": model, "model_name": ds.models.at[model, "name"],
        "metric": metric, "metric_name": ds.metrics.at[metric, "name"],
        "unit": ds.metrics.at[metric, "unit"],
        "places": places, "n_places": len(places),
        "spread": spread([float(p["value"]) for p in places if p["given"]]),
    }


def sort_conflicts(rows: list[dict[str, Any]], key: str = "model",
                   descending: bool = False) -> list[dict[str, Any]]:
    """Sort conflict rows by model name, metric name or spread; ties by model, then metric."""
    names = {
        "model": lambda r: (r["model_name"].casefold(), r["metric_name"].casefold()),
        "metric": lambda r: (r["metric_name"].casefold(), r["model_name"].casefold()),
    }
    ties = sorted(rows, key=names["model"])
    if key == "spread":  # a missing spread sorts last either way
        known = [r for r in ties if r["spread"] is not None]
        known.sort(key=lambda r: r["spread"], reverse=descending)
        return known + [r for r in ties if r["spread"] is None]
    return sorted(ties, key=names[key], reverse=descending)


@lru_cache(maxsize=8)
def conflict_rows(ds: Dataset) -> tuple[dict[str, Any], ...]:
    """Every conflict as a row of the conflicts page, in the conflicts' order: built once."""
    return tuple(conflict_row(ds, c) for c in _every_conflict(ds))


def conflict_table(ds: Dataset, *, sort: str = "model", descending: bool = False,
                   **filters: str | None) -> list[dict[str, Any]]:
    """The conflicts page's rows: filtered (see filter_conflicts) and sorted."""
    row_of = {id(c): r for c, r in zip(_every_conflict(ds), conflict_rows(ds), strict=True)}
    found = filter_conflicts(ds, conflicts(ds), **filters)
    return sort_conflicts([row_of[id(c)] for c in found], sort, descending)


CONFLICT_COLUMNS = [
    "model", "model_name", "metric", "metric_name", "unit", "grid", "printed", "value",
    "report", "report_title", "publisher", "date", "label", "page", "where", "note",
]


def conflict_places(rows: list[dict[str, Any]]) -> Iterator[list[Any]]:
    """The conflicts in long form, one row per place, in CONFLICT_COLUMNS."""
    for r in rows:
        for p in r["places"]:
            s = p["source"]
            yield [r["model"], r["model_name"], r["metric"], r["metric_name"], r["unit"],
                   p["grid"], p["printed"], p["raw"], s["report"], s["report_title"],
                   s["publisher"], s["date"], s["label"], s["page"], p["where"], p["note"]]
