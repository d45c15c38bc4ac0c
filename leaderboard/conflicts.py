"""The conflicts: every model × metric that two places give differently.

Indexed once per dataset — names, spread, kinds of report, search text and the rows of the
results that print each — so a page of conflicts, filtered and sorted, costs the rows it shows,
and a conflict printed in a thousand places lists its first few, with how many there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from .catalog import _cells_of, place, place_columns, report_kind, rows_at
from .data import Dataset, where

SORTS = ("model", "metric", "spread")
PLACES_SHOWN = 10  # places listed with a conflict on a page and in the API; the CSV lists all
COLUMNS = [
    "model", "model_name", "metric", "metric_name", "unit", "grid", "printed", "value",
    "report", "report_title", "publisher", "date", "label", "page", "where", "note",
]


def spread(values: Sequence[float]) -> float | None:
    """Return max − min of the values, without float noise (3.29 − 2.19 is 1.1); None for fewer
    than two (a value against a '-' has no spread)."""
    return float(f"{max(values) - min(values):.12g}") if len(values) > 1 else None


@dataclass(frozen=True, eq=False)
class Index:
    """The conflicts of one dataset, in the data's order (by model id, then metric id)."""

    ds: Dataset
    keys: tuple[tuple[str, str], ...]
    rows: tuple[np.ndarray, ...]  # each conflict's positions in ds.results, in data order
    model_names: tuple[str, ...]
    metric_names: tuple[str, ...]
    units: tuple[str | None, ...]
    spreads: tuple[float | None, ...]
    kinds: tuple[frozenset[str], ...]  # the kinds of report that print each
    texts: tuple[str, ...]  # ids and names, casefolded, for q
    by_model: dict[str, list[int]]
    by_metric: dict[str, list[int]]
    at: dict[tuple[str, str], int]

    def __len__(self) -> int:
        return len(self.keys)

    def find(self, *, model: str | None = None, metric: str | None = None,
             kind: str | None = None, q: str | None = None) -> list[int]:
        """The conflicts of one model, one metric, with a place in a report of one kind, and
        whose model or metric name (or id) contains `q`, ignoring case; in the data's order."""
        found: Sequence[int] = range(len(self.keys))
        if model is not None:
            found = self.by_model.get(model, [])
        if metric is not None:
            found = [i for i in found if self.keys[i][1] == metric] if model is not None else (
                self.by_metric.get(metric, []))
        if kind is not None:
            found = [i for i in found if kind in self.kinds[i]]
        if needle := (q or "").casefold():
            found = [i for i in found if needle in self.texts[i]]
        return list(found)

    def ordered(self, found: list[int], key: str = "model",
                descending: bool = False) -> list[int]:
        """Sort conflicts by model name, metric name or spread; ties by model, then metric. A
        missing spread sorts last either way."""
        rank = self._ranks(key, descending)
        return sorted(found, key=rank.__getitem__)

    @lru_cache(maxsize=8)  # noqa: B019 - six orders per index, kept as long as the index
    def _ranks(self, key: str, descending: bool) -> np.ndarray:
        """Each conflict's position in the whole list sorted by `key`: sorting a subset is then
        a sort of integers."""
        order = self._order(key, descending)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        return rank

    def _order(self, key: str, descending: bool) -> list[int]:
        names = {
            "model": lambda i: (self.model_names[i].casefold(), self.metric_names[i].casefold()),
            "metric": lambda i: (self.metric_names[i].casefold(), self.model_names[i].casefold()),
        }
        ties = sorted(range(len(self.keys)), key=names["model"])
        if key == "spread":
            known = [i for i in ties if self.spreads[i] is not None]
            known.sort(key=lambda i: self.spreads[i] or 0.0, reverse=descending)
            return known + [i for i in ties if self.spreads[i] is None]
        return sorted(ties, key=names[key], reverse=descending)

    def places(self, i: int, limit: int | None = PLACES_SHOWN) -> list[dict[str, Any]]:
        """The places that print conflict `i` (the first `limit`), each with its kind of report
        and whether it gives a value (a '-' prints that the value is not reported)."""
        rows = self.rows[i] if limit is None else self.rows[i][:limit]
        return [{**p, "kind": report_kind(self.ds, p["source"]["report"]),
                 "given": p["value"] is not None}
                for p in (place(self.ds, r) for r in rows_at(self.ds, rows))]

    def short(self, i: int, limit: int) -> tuple[list[str], int]:
        """'3.29 (表4, p. 27)' for the first `limit` places that print conflict `i`, and how
        many more there are."""
        rows = self.rows[i][:limit]
        get = place_columns(self.ds)
        return ([f"{get['printed'][r]} ({where(get['label'][r], get['page'][r])})" for r in rows],
                len(self.rows[i]) - len(rows))

    def summary(self, i: int, limit: int | None = PLACES_SHOWN) -> dict[str, Any]:
        """A conflict as the API gives it: the model, the metric, how many places print it and
        the first `limit` of them (every one with `limit=None`)."""
        model, metric = self.keys[i]
        return {"model": model, "metric": metric, "n_places": len(self.rows[i]),
                "observations": [_plain_place(p) for p in self.places(i, limit)]}

    def row(self, i: int, limit: int | None = PLACES_SHOWN) -> dict[str, Any]:
        """A row of the conflicts page: names, unit, spread, how many places and the first
        `limit` of them."""
        model, metric = self.keys[i]
        return {
            "model": model, "model_name": self.model_names[i],
            "metric": metric, "metric_name": self.metric_names[i], "unit": self.units[i],
            "places": self.places(i, limit), "n_places": len(self.rows[i]),
            "spread": self.spreads[i],
            # Both names of each, for the page's language (i18n.name)
            "model_info": {k: self.ds.models.at[model, k] for k in ("name", "name_zh")},
            "metric_info": {k: self.ds.metrics.at[metric, k] for k in ("name", "name_zh")},
        }

    def of_cells(self, cells: set[tuple[str, str]]) -> list[int]:
        """The conflicts among these (model, metric) cells, in the data's order."""
        return sorted(self.at[c] for c in cells if c in self.at)

    @cached_property
    def models(self) -> list[tuple[str, str]]:
        """(name, id) of every model with a conflict, by name."""
        return sorted({(self.model_names[i], m) for m, i in
                       ((m, ids[0]) for m, ids in self.by_model.items())})

    @cached_property
    def metrics(self) -> list[tuple[str, str]]:
        """(name, id) of every metric with a conflict, by name."""
        return sorted({(self.metric_names[i], m) for m, i in
                       ((m, ids[0]) for m, ids in self.by_metric.items())})


def _plain_place(p: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in p.items() if k not in ("kind", "given")}


@lru_cache(maxsize=8)
def index(ds: Dataset) -> Index:
    """Index a dataset's conflicts, once: a few vectorised passes over the conflicting rows."""
    keys = tuple(zip(ds.conflicts["model"], ds.conflicts["metric"], strict=True))
    cells = _cells_of(ds)
    rows = tuple(np.asarray(cells[k]) for k in keys)
    given = ds.results["value"].to_numpy()
    report_kinds = {r: ds.reports[r].get("kind") for r in ds.reports}
    reports = ds.results["report"].to_numpy()
    spreads, kinds = [], []
    for at in rows:
        values = given[at]
        spreads.append(spread(values[~np.isnan(values)].tolist()))
        kinds.append(frozenset(k for k in map(report_kinds.get, set(reports[at])) if k))
    model_names = ds.models["name"].to_dict()
    metric_names = ds.metrics["name"].to_dict()
    units = ds.metrics["unit"].to_dict()
    chinese = {i: n for frame in (ds.models, ds.metrics) if "name_zh" in frame.columns
               for i, n in frame["name_zh"].dropna().items()}  # q finds either name
    by_model: dict[str, list[int]] = {}
    by_metric: dict[str, list[int]] = {}
    for i, (model, metric) in enumerate(keys):
        by_model.setdefault(model, []).append(i)
        by_metric.setdefault(metric, []).append(i)
    return Index(
        ds=ds, keys=keys, rows=rows,
        model_names=tuple(model_names[m] for m, _ in keys),
        metric_names=tuple(metric_names[x] for _, x in keys),
        units=tuple(units[x] for _, x in keys),
        spreads=tuple(spreads), kinds=tuple(kinds),
        texts=tuple(" ".join((m, x, model_names[m], metric_names[x], chinese.get(m, ""),
                              chinese.get(x, ""))).casefold() for m, x in keys),
        by_model=by_model, by_metric=by_metric, at={k: i for i, k in enumerate(keys)},
    )


def every(ds: Dataset) -> Iterator[dict[str, Any]]:
    """Every conflict with every place that prints it, one at a time (the downloads)."""
    conflicts = index(ds)
    for i in range(len(conflicts)):
        yield conflicts.summary(i, limit=None)


def of_grid(ds: Dataset, slug: str) -> list[int]:
    """The conflicts among one grid's cells."""
    printed = ds.frames[slug].printed
    i, j = np.nonzero(printed.notna().to_numpy())
    return index(ds).of_cells(set(zip(printed.index[i], printed.columns[j], strict=True)))


def place_rows(rows: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """Conflict rows in long form, one row per place, in COLUMNS."""
    for r in rows:
        for p in r["places"]:
            s = p["source"]
            yield [r["model"], r["model_name"], r["metric"], r["metric_name"], r["unit"],
                   p["grid"], p["printed"], p["raw"], s["report"], s["report_title"],
                   s["publisher"], s["date"], s["label"], s["page"], p["where"], p["note"]]
