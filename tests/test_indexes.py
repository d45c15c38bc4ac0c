"""The per-dataset indexes (catalog.INDEXES, tables.INDEXES): catalog.warm builds every one,
and they say what a scan of the results says."""

import inspect

import pandas as pd
import pytest
from conftest import DATA_DIR

from leaderboard import catalog, tables
from leaderboard.data import load


@pytest.fixture(scope="module")
def fresh():
    """A dataset of its own, loaded here: no index built for it yet."""
    return load(DATA_DIR)


def _per_dataset_caches(module):
    return {f for f in vars(module).values()
            if hasattr(f, "cache_info") and getattr(f, "__module__", None) == module.__name__
            and list(inspect.signature(f).parameters) == ["ds"]}


def test_every_per_dataset_cache_is_listed():
    for module in (catalog, tables):
        assert _per_dataset_caches(module) == set(module.INDEXES), module.__name__


def test_warm_builds_every_listed_index(fresh):
    before = {f: f.cache_info() for f in (*catalog.INDEXES, *tables.INDEXES)}
    catalog.warm(fresh)
    for f, info in before.items():
        after = f.cache_info()
        assert after.currsize >= 1 and after.misses == info.misses + 1, f.__name__
        f(fresh)  # built: a hit, not a new build
        assert f.cache_info().misses == after.misses, f.__name__


def test_merged_agrees_with_a_scan_of_the_results(fresh):
    results = fresh.results
    order = {slug: i for i, slug in enumerate(fresh.grids)}
    ordered = results.assign(_o=results["grid"].map(order)).sort_values(["_o", "row"],
                                                                         kind="stable")
    merged = tables.merged(fresh)
    assert len(merged) == len(ordered.groupby(["model", "metric"]))
    for (model, metric), rows in ordered.groupby(["model", "metric"], sort=False):
        row = merged.loc[(model, metric)]
        given = rows[rows["value"].notna()]
        first = (given if len(given) else rows).iloc[0]
        assert (row["printed"], row["raw"]) == (first["printed"], first["raw"])
        assert bool(row["conflict"]) == bool(rows["conflict"].any())
        assert tables._indexes(fresh)[2][(model, metric)].tolist() == rows.index.tolist()
        assert catalog._cells_of(fresh)[(model, metric)].tolist() == sorted(rows.index)


def test_a_pair_with_no_number_is_not_found(fresh):
    cells = catalog._cells_of(fresh)
    assert ("deepseek-r1", "no-such-metric") not in cells
    assert ("deepseek-r1", "aime-2024-pass1") in cells
    with pytest.raises(KeyError):
        cells[("no-such-model", "aime-2024-pass1")]
    assert len(list(cells)) == len(cells) == len(tables.merged(fresh))
    assert isinstance(tables.merged(fresh).index, pd.MultiIndex)
