"""The pure ranking functions on small frames where the answer is known by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from leaderboard import ranking
from leaderboard.ranking import SortKey

NAN = np.nan
DIRS = {"score": True, "price": False, "size": None}


@pytest.fixture
def frame():
    # Report order a, b, c, d, e.
    return pd.DataFrame(
        {
            "score": [50.0, NAN, 70.0, 50.0, 90.0],
            "price": [2.0, 1.0, NAN, 4.0, 1.0],
            "size": [7.0, 1.0, 2.0, NAN, 3.0],
        },
        index=list("abcde"),
    )


@pytest.fixture
def names():
    return pd.Series(["Beta", "alpha", "Delta", "gamma", "Epsilon"], index=list("abcde"))


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("score", None, [SortKey("score", True)]),   # higher is better: best first
        ("price", None, [SortKey("price", False)]),  # lower is better: cheapest first
        ("size", None, [SortKey("size", False)]),    # unranked: ascending
        ("model", None, [SortKey("model", False)]),
        ("score", "asc", [SortKey("score", False)]),
        ("price", "desc", [SortKey("price", True)]),
        ("score,-price", None, [SortKey("score", True), SortKey("price", True)]),
        ("-score,+price", "asc", [SortKey("score", True), SortKey("price", False)]),
        ("score,price", "asc", [SortKey("score", False), SortKey("price", False)]),
        ("", None, []),
    ],
)
def test_parse_sort(text, order, expected):
    assert ranking.parse_sort(text, order, DIRS) == expected


def test_parse_sort_rejects_unknown_keys():
    with pytest.raises(ValueError, match="cannot sort by 'nosuch'"):
        ranking.parse_sort("score,-nosuch", None, DIRS)


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ([SortKey("score", True)], list("ecadb")),    # ties a, d keep report order; NaN b last
        ([SortKey("score", False)], list("adceb")),   # NaN still last ascending
        ([SortKey("price", False)], list("beadc")),   # ties b, e in report order; NaN c last
        ([SortKey("price", True)], list("dabec")),
        ([SortKey("score", True), SortKey("price", True)], list("ecdab")),  # tie a/d broken by price
        ([SortKey("price", False), SortKey("score", True)], list("ebadc")),  # tie b/e broken by score
        ([SortKey("model", False)], list("baced")),   # case-insensitive by name
        ([SortKey("model", True)], list("decab")),
    ],
)
def test_sort_rows(frame, names, keys, expected):
    assert list(ranking.sort_rows(frame, names, keys)) == expected


def test_rank_shares_ties_and_skips():
    column = pd.Series([90.0, 80.0, 80.0, 70.0, NAN], index=list("abcde"))
    assert ranking.rank(column, True).tolist() == [1, 2, 2, 4, pd.NA]
    assert ranking.rank(column, False).tolist() == [4, 2, 2, 1, pd.NA]
    assert ranking.rank(column, None).isna().all()


def test_best_mask_is_direction_aware(frame):
    best = ranking.best_mask(frame, DIRS)
    assert best["score"].tolist() == [False, False, False, False, True]
    assert best["price"].tolist() == [False, True, False, False, True]  # tie: both best
    assert not best["size"].any()  # unranked metrics have no best


def test_bold_disagreements():
    best = pd.DataFrame({"x": [True, False, False], "y": [False, True, False],
                         "z": [True, False, False]})
    bold = pd.DataFrame({"x": [True, False, False], "y": [True, False, False],
                         "z": [False, False, False]})
    marked = ranking.bold_disagreements(best, bold)
    assert marked["x"].tolist() == [False, False, False]  # agree
    assert marked["y"].tolist() == [True, True, False]    # bold on a non-best, best not bold
    assert not marked["z"].any()                          # no bold in the column: not checked


def test_diffs_sign_percent_and_direction(frame):
    d = ranking.diffs(frame, "a", DIRS)
    assert d.points.loc["c", "score"] == 20.0
    assert math.isclose(d.percent.loc["c", "score"], 40.0)
    assert d.verdict.loc["c", "score"] == "better"
    assert d.verdict.loc["d", "score"] == "level"
    assert d.points.loc["b", "price"] == -1.0
    assert d.verdict.loc["b", "price"] == "better"   # cheaper is better
    assert d.verdict.loc["d", "price"] == "worse"    # dearer is worse
    assert math.isclose(d.percent.loc["d", "price"], 100.0)
    assert d.verdict.loc["b", "score"] is None       # missing on one side
    assert d.verdict.loc["c", "size"] is None        # unranked: a difference, no verdict
    assert d.points.loc["c", "size"] == -5.0


def test_diff_percent_of_a_zero_baseline_is_missing():
    frame = pd.DataFrame({"score": [0.0, 5.0]}, index=["a", "b"])
    d = ranking.diffs(frame, "a", {"score": True})
    assert d.points.loc["b", "score"] == 5.0
    assert math.isnan(d.percent.loc["b", "score"])


def test_diff_summary(frame):
    summary = ranking.diff_summary(ranking.diffs(frame, "a", DIRS).verdict)
    assert summary.loc["e"].to_dict() == {"better": 2, "worse": 0, "level": 0}
    assert summary.loc["d"].to_dict() == {"better": 0, "worse": 1, "level": 1}
    assert summary.loc["a"].to_dict() == {"better": 0, "worse": 0, "level": 2}


def test_average_normalises_and_never_counts_missing_as_zero(frame):
    metrics = pd.DataFrame(
        {"higher_is_better": [True, False, None], "scale": [(0.0, 100.0), None, None]},
        index=["score", "price", "size"],
    )
    avg = ranking.average(frame, metrics)
    # score on its 0–100 scale; price min–max 1..4 inverted (cheapest = 100).
    assert avg.loc["a"].tolist() == pytest.approx([(50 + 100 * (4 - 2) / 3) / 2, 2, 2])
    assert avg.loc["b"].tolist() == pytest.approx([100.0, 1, 2])   # no score: price only
    assert avg.loc["c"].tolist() == pytest.approx([70.0, 1, 2])    # no price: score only
    assert avg.loc["d", "average"] == pytest.approx(25.0)          # (50 + 0) / 2


def test_each_category_has_an_average_of_its_own():
    """One per category of the ranked metrics, when there are two or more: ids that a URL
    carries, distinct even where two categories' names differ only in spelling."""
    metrics = pd.DataFrame(
        {"higher_is_better": [True, True, False, None, True, True],
         "category": ["Math", "Code", "Math", "Scale", "数学", "ma th"]},
        index=["a", "b", "c", "size", "d", "e"])
    assert ranking.average_groups(metrics) == {
        "average": (None, ["a", "b", "c", "d", "e"]),
        "average:math": ("Math", ["a", "c"]), "average:code": ("Code", ["b"]),
        "average:数学": ("数学", ["d"]), "average:ma-th": ("ma th", ["e"])}
    assert ranking.average_groups(metrics.loc[["a", "c", "size"]]) == {
        "average": (None, ["a", "c"])}  # one category: its average would be the overall one
    twins = pd.DataFrame({"higher_is_better": [True, True], "category": ["Long context",
                                                                          "long-context"]})
    assert list(ranking.average_groups(twins)) == [
        "average", "average:long-context", "average:long-context-2"]
