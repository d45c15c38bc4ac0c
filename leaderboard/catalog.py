"""Plain-dict views of a Dataset, shared by the JSON API and the pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from .data import Dataset, Grid


def source_of(ds: Dataset, row: pd.Series | dict) -> dict[str, Any]:
    """Return where one observation was printed: report, label, page, cited source."""
    report = ds.reports[row["report"]]
    return {
        "report": report["id"],
        "report_title": report["title"],
        "publisher": report["publisher"],
        "date": report["date"],
        "label": row["label"],
        "page": int(row["page"]),
        "cited": row["cited"],
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


def where(label: Any, page: Any) -> str:
    """Return a cell's location in its report, e.g. '图5, p. 7'."""
    return f"{label}, p. {int(page)}"


def place(ds: Dataset, row: dict) -> dict[str, Any]:
    """One place that prints a value: its grid, the value, the printed text, where, and why."""
    return {
        "grid": row["grid"], "printed": row["printed"], "raw": row["raw"], "value": row["value"],
        "where": where(row["label"], row["page"]), "note": row["note"],
        "source": source_of(ds, row),
    }


def observations(ds: Dataset, model: str, metric: str) -> list[dict[str, Any]]:
    """Return every place that gives a value for one model and metric."""
    rows = ds.results[(ds.results["model"] == model) & (ds.results["metric"] == metric)]
    return [place(ds, r) for r in rows.to_dict("records")]


def conflicts(ds: Dataset, grid: str | None = None) -> list[dict[str, Any]]:
    """Return the conflicts, all of them or those touching one grid's cells."""
    keys = ds.conflicts
    if grid is not None:
        cells = ds.results.loc[ds.results["grid"] == grid, ["model", "metric"]]
        keys = keys.merge(cells.drop_duplicates(), on=["model", "metric"])
    return [
        {"model": k["model"], "metric": k["metric"],
         "observations": observations(ds, k["model"], k["metric"])}
        for k in keys.to_dict("records")
    ]


def grid_results(ds: Dataset, grid: Grid, block: int = 2000) -> Iterator[dict[str, Any]]:
    """Every cell of a grid with its provenance, built a block at a time."""
    rows = ds.results[ds.results["grid"] == grid.slug]
    for start in range(0, len(rows), block):
        yield from (_result(ds, r) for r in rows.iloc[start:start + block].to_dict("records"))


def grid_detail(ds: Dataset, grid: Grid, results: bool = True) -> dict[str, Any]:
    """Return a whole grid: models and metrics in the report's order, results, conflicts.

    Without `results`, everything but the cells (see grid_results).
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
        "conflicts": conflicts(ds, grid.slug),
    }
    if results:
        detail["results"] = list(grid_results(ds, grid))
    return detail


def _nullable_bool(value: Any) -> bool | None:
    return None if value is None or pd.isna(value) else bool(value)
