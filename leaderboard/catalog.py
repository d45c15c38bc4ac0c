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
    record["grids"] = list(grids_by_metric(ds).get(metric, ()))
    return record


@lru_cache(maxsize=8)
def grids_by_metric(ds: Dataset) -> Mapping[str, tuple[str, ...]]:
    """The grids that have each metric, in the reports' order: one pass over the grids, so a
    metric's grids are found without scanning every grid (which made every record O(grids))."""
    found: dict[str, dict[str, None]] = {}
    for grid in ds.grids.values():
        for m in grid.metrics:
            found.setdefault(m.id, {})[grid.slug] = None  # a dict: each grid once, in order
    return MappingProxyType({metric: tuple(slugs) for metric, slugs in found.items()})


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
def _rows_of_grids(ds: Dataset) -> Mapping[str, Any]:
    """The positions of every grid's rows in the results, in order: built once."""
    return MappingProxyType(ds.results.groupby("grid", sort=False, observed=True).indices)


def grid_results(ds: Dataset, grid: Grid, block: int = 2000) -> Iterator[dict[str, Any]]:
    """Every cell of a grid with its provenance, built a block at a time."""
    rows = ds.results.iloc[_rows_of_grids(ds).get(grid.slug, [])]
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
