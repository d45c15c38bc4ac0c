"""Sorting, ranks, best values, diffs and averages: pure pandas, no Flask."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from flask_babel import gettext as _

NAME = "model"  # the sort key that sorts by model name
_NOT_WORD = re.compile(r"[\W_]+")  # what an average's id spells as '-' (any script's letters stay)
AVERAGE = "average"  # the sort key of the average over every category; "average:<category>"


@dataclass(frozen=True)
class SortKey:
    column: str  # a metric id, or NAME
    descending: bool


def default_descending(higher_is_better: bool | None) -> bool:
    """Sort best first: descending when higher is better, ascending otherwise."""
    return higher_is_better is True


def parse_sort(
    text: str | None, order: str | None, directions: dict[str, bool | None]
) -> list[SortKey]:
    """Parse `a,-b` into sort keys; `order` sets the first key's direction unless it is signed.

    Raise ValueError naming a key that is neither a metric of `directions` nor `model`.
    """
    keys = []
    for i, raw in enumerate(part.strip() for part in (text or "").split(",")):
        if not raw:
            continue
        sign, column = (raw[0], raw[1:]) if raw[0] in "+-" else ("", raw)
        if column != NAME and column not in directions:
            raise ValueError(_("cannot sort by %(key)s", key=repr(column)))
        if sign:
            descending = sign == "-"
        elif i == 0 and order is not None:
            descending = order == "desc"
        else:
            descending = column != NAME and default_descending(directions[column])
        keys.append(SortKey(column, descending))
    return keys


def sort_rows(values: pd.DataFrame, names: pd.Series, keys: list[SortKey]) -> pd.Index:
    """Return the row order for these keys; missing values last whichever the direction.

    Rows tied on every key keep their order in `values` (the report's order).
    """
    order = pd.Index(values.index)
    for key in reversed(keys):  # a stable sort per key, last key first, gives a multi-key sort
        column = names if key.column == NAME else values[key.column]
        column = column.loc[order]
        sorted_ = column.sort_values(
            ascending=not key.descending, na_position="last", kind="stable",
            key=(lambda s: s.str.casefold()) if key.column == NAME else None,
        )
        order = pd.Index(sorted_.index)
    return order


def rank(column: pd.Series, higher_is_better: bool | None) -> pd.Series:
    """Rank best first, ties sharing the lower rank (1, 2, 2, 4); missing and unranked are NA."""
    if higher_is_better is None:
        return pd.Series(pd.NA, index=column.index, dtype="Int64")
    return column.rank(method="min", ascending=not higher_is_better).astype("Int64")


def best_mask(values: pd.DataFrame, directions: dict[str, bool | None]) -> pd.DataFrame:
    """Mark the best value of each ranked metric (all of them when tied)."""
    mask = pd.DataFrame(False, index=values.index, columns=values.columns)
    for metric in values.columns:
        higher = directions[metric]
        column = values[metric]
        if higher is None or column.isna().all():
            continue
        mask[metric] = column == (column.max() if higher else column.min())
    return mask


def bold_disagreements(best: pd.DataFrame, bold: pd.DataFrame) -> pd.DataFrame:
    """Mark cells where the report's bold and the computed best differ.

    Only metrics where the report bolds something are checked: a grid without bold says nothing.
    """
    checked = bold.any(axis=0)
    return (best != bold) & checked


@dataclass(frozen=True)
class Diffs:
    points: pd.DataFrame  # value - baseline value
    percent: pd.DataFrame  # points / |baseline| * 100, NaN where the baseline is 0
    verdict: pd.DataFrame  # "better", "worse", "level", or None (missing or unranked)


def diffs(
    values: pd.DataFrame, baseline: str, directions: dict[str, bool | None]
) -> Diffs:
    """Compare every row with the baseline row, metric by metric, direction-aware."""
    base = values.loc[baseline]
    points = values - base
    percent = points.div(base.abs().replace(0, np.nan)) * 100
    sign = np.sign(points)
    better_sign = pd.Series(
        {m: (1 if h else -1) if h is not None else np.nan for m, h in directions.items()},
        dtype="float64",
    )[values.columns]
    # As floats: with no metric at all the frame's dtype is object, which np.select refuses.
    judged = sign.mul(better_sign, axis=1).to_numpy(dtype="float64")
    labels = np.select([judged > 0, judged < 0, judged == 0],
                       np.array(["better", "worse", "level"], dtype=object),
                       np.array(None, dtype=object))
    verdict = pd.DataFrame(labels, index=values.index, columns=values.columns, dtype=object)
    return Diffs(points, percent, verdict)


def diff_summary(verdict: pd.DataFrame) -> pd.DataFrame:
    """Count per model: better on N, worse on M, level on K of the metrics both have."""
    return pd.DataFrame({
        "better": (verdict == "better").sum(axis=1),
        "worse": (verdict == "worse").sum(axis=1),
        "level": (verdict == "level").sum(axis=1),
    })


def normalise(values: pd.DataFrame, metrics: pd.DataFrame) -> pd.DataFrame:
    """Put each ranked metric on 0–100, best = 100.

    A metric with a fixed scale (percentages) uses it; others use min–max within `values`.
    Unranked metrics are dropped; missing stays missing.
    """
    out = {}
    for metric in values.columns:
        higher = metrics.at[metric, "higher_is_better"]
        if higher is None:
            continue
        column = values[metric]
        scale = metrics.at[metric, "scale"]
        low, high = scale if scale is not None else (column.min(), column.max())
        spread = high - low
        score = (column - low) / spread * 100 if spread else column.where(column.isna(), 100.0)
        out[metric] = score if higher else 100 - score
    return pd.DataFrame(out, index=values.index, dtype="float64")


def average(values: pd.DataFrame, metrics: pd.DataFrame) -> pd.DataFrame:
    """Average the normalised scores of the metrics each model has; say how many it covers."""
    return _mean(normalise(values, metrics))


def _mean(scores: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "average": scores.mean(axis=1, skipna=True),
        "covered": scores.notna().sum(axis=1),
        "of": scores.shape[1],
    })


def average_id(category: str | None) -> str:
    """The sort key of an average: 'average' over every category, 'average:math' over one."""
    if category is None:
        return AVERAGE
    return AVERAGE + ":" + _NOT_WORD.sub("-", category.casefold()).strip("-")


def average_groups(metrics: pd.DataFrame) -> dict[str, tuple[str | None, list[str]]]:
    """The averages of these metrics by sort key (average_id), each as (its category, the
    metrics it averages): every category's, then one per category when they span two or more.

    Only the metrics normalise scores (the ranked ones) count, as they do for the average of
    every category: a category of unranked metrics (sizes, dates) has no average.
    """
    ranked = [m for m in metrics.index if metrics.at[m, "higher_is_better"] is not None]
    groups: dict[str, tuple[str | None, list[str]]] = {AVERAGE: (None, ranked)}
    categories = dict.fromkeys(metrics.at[m, "category"] for m in ranked)
    if len(categories) > 1:
        for category in categories:
            id = average_id(category)
            while id in groups:  # 'Long context' and 'long-context' are two categories
                id += "-2"
            groups[id] = (category, [m for m in ranked if metrics.at[m, "category"] == category])
    return groups


def averages(values: pd.DataFrame, metrics: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each average of average_groups, as `average` does it, by sort key."""
    scores = normalise(values, metrics)
    return {id: _mean(scores[ids])
            for id, (_, ids) in average_groups(metrics.loc[values.columns]).items()}
