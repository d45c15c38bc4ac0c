"""Sweeps over the real ids: every pair of models, every grid × every baseline.

The expected numbers are read straight from the data files (the report's cells), not from the
code under test: a model pair shares a metric when both have a number for it in some grid; a
diff is the cell's number minus the baseline's, and its verdict follows the metric's direction.
"""

import csv
import io
import itertools
import math
import re

import pytest
import yaml

from leaderboard import ROOT

DATA = ROOT / "data" / "benchmarks"
GRIDS = sorted(p.stem for p in (DATA / "grids").glob("*.yaml"))
MODELS = [m["id"] for m in yaml.safe_load((DATA / "models.yaml").read_text(encoding="utf-8"))]
METRICS = {m["id"]: m for m in yaml.safe_load((DATA / "metrics.yaml").read_text(encoding="utf-8"))}
PAIRS = list(itertools.combinations(MODELS, 2))


def grid_file(slug):
    return yaml.safe_load((DATA / "grids" / f"{slug}.yaml").read_text(encoding="utf-8"))


def grid_cells(slug, column="value"):
    """{(model id, metric id): value text} of one grid's cells file, values only; a cell given
    twice (text figures from two pages) shows its first row. `column="printed"`: as printed."""
    grid = grid_file(slug)
    models = {m["label"]: m["id"] for m in grid["models"]}
    metrics = {m["label"]: m["id"] for m in grid["metrics"]}
    out = {}
    with (DATA / "grids" / f"{slug}.csv").open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault((models[r["model"]], metrics[r["metric"]]), r[column])
    return {key: value for key, value in out.items() if value}


def _decimals(printed):
    """The decimals of a plainly printed number: '72.6' → 1, '1691' → 0, '96.3%' → 1; None for
    text such as '1.8 万亿', whose digits do not say the value's precision."""
    number = re.fullmatch(r"-?\d+(?:\.(\d+))?%?", printed)
    return None if number is None else len(number[1] or "")


def having():
    """model id -> the metric ids it has a number for, in any grid."""
    out = {m: set() for m in MODELS}
    for slug in GRIDS:
        for model, metric in grid_cells(slug):
            out[model].add(metric)
    return out


HAVE = having()


def test_most_pairs_share_nothing():
    """The defect this guards against hit 204 of the report's 325 pairs: those sharing no
    metric. With DeepSeek's own tables beside the report: 35 models, 595 pairs."""
    assert len(PAIRS) == 595
    assert sum(1 for a, b in PAIRS if not HAVE[a] & HAVE[b]) > 200


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a},{b}" for a, b in PAIRS])
def test_every_pair_compares(client, a, b):
    expected = HAVE[a] & HAVE[b]
    api = client.get(f"/api/compare?models={a},{b}")
    assert api.status_code == 200, api.json
    assert {m["id"] for m in api.json["shared"]} == expected
    assert [m["id"] for m in api.json["models"]] == [a, b]
    page = client.get(f"/compare?models={a},{b}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    chart = client.get(f"/charts/compare.json?models={a},{b}")
    assert chart.status_code == 200
    if expected:
        assert api.json["note"] is None
        assert "compare.svg" in text  # the chart is offered
    else:
        assert api.json["note"] == "These models share no metric: no number can be compared."
        assert api.json["summary"][1] == {"id": b, "better": 0, "worse": 0, "level": 0}
        assert "These models share no metric" in text and "compare.svg" not in text
        assert "These models share no metric." in chart.get_data(as_text=True)


BASELINES = [(slug, m["id"]) for slug in GRIDS for m in grid_file(slug)["models"]]


def _number(text):
    return float(text) if text not in ("", None) else None


@pytest.mark.parametrize(("slug", "baseline"), BASELINES, ids=[f"{s}-{b}" for s, b in BASELINES])
def test_every_grid_with_every_baseline(client, slug, baseline):
    grid = grid_file(slug)
    cells, printed = grid_cells(slug), grid_cells(slug, "printed")
    labels = {m["id"]: m["label"] for m in grid["models"]}
    page = client.get(f"/grids/{slug}?baseline={baseline}")
    assert page.status_code == 200
    assert f"diff-vs-{baseline}" in page.get_data(as_text=True)
    chart = client.get(f"/charts/{slug}/diff-vs-{baseline}.json")
    assert chart.status_code == 200

    response = client.get(f"/grids/{slug}.csv?baseline={baseline}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, body = rows[0], {row[0]: row for row in rows[1:]}
    assert set(body) == set(labels.values())
    for metric in grid["metrics"]:
        info = METRICS[metric["id"]]
        if info.get("type", "number") != "number":
            continue
        column = header.index(f"{metric['label']} ({info['unit']})")
        base = _number(cells.get((baseline, metric["id"])))
        for model, label in labels.items():
            value = _number(cells.get((model, metric["id"])))
            if value is not None:
                assert float(body[label][column]) == pytest.approx(value)
            diff = body[label][column + 1]
            if model == baseline or value is None or base is None:
                assert diff == ""
            else:  # rounded once to the printed precision: 72.6 − 63.6 is 9.0, no float noise
                places = [_decimals(printed[(m, metric["id"])]) for m in (model, baseline)]
                if None in places:  # text: only the float noise goes
                    assert float(diff) == pytest.approx(value - base)
                    assert float(diff) == float(f"{float(diff):.12g}"), diff
                else:
                    assert float(diff) == pytest.approx(round(value - base, max(places)), abs=1e-9)
                    assert len(diff.partition(".")[2]) <= max(*places, 1), diff
                if base:
                    percent = body[label][column + 2]
                    assert float(percent) == pytest.approx(
                        round((value - base) / abs(base) * 100, 1), abs=1e-9)
                    assert len(percent.partition(".")[2]) <= 1, percent


def _verdict(value, base, higher):
    if higher is None or math.isclose(value, base):
        return None if higher is None else "level"
    return "better" if (value > base) == higher else "worse"


@pytest.mark.parametrize(("slug", "baseline"), BASELINES, ids=[f"{s}-{b}" for s, b in BASELINES])
def test_every_baseline_counts_better_and_worse(client, slug, baseline):
    """The API-free check of the page's verdicts: better/worse/level per model, by direction."""
    grid = grid_file(slug)
    cells = grid_cells(slug)
    page = client.get(f"/grids/{slug}.csv?baseline={baseline}")
    rows = list(csv.reader(io.StringIO(page.get_data(as_text=True).lstrip("\ufeff"))))
    header = rows[0]
    counts = {row[0]: row[1:4] for row in rows[1:]}
    for m in grid["models"]:
        verdicts = []
        for metric in grid["metrics"]:
            info = METRICS[metric["id"]]
            value, base = (cells.get((x, metric["id"])) for x in (m["id"], baseline))
            if info.get("type", "number") != "number" or value is None or base is None:
                continue
            verdicts.append(_verdict(float(value), float(base), info["higher_is_better"]))
        expected = ["", "", ""] if m["id"] == baseline else [
            str(verdicts.count(v)) for v in ("better", "worse", "level")]
        assert counts[m["label"]] == expected, (header[:4], m["label"])
