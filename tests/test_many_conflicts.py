"""Conflicts, the index and its search on many small grids whose cells recur (issue 14).

The expected conflicts are counted here from the grids' CSV files, not from the service.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from leaderboard import create_app, views

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from synth import write_many  # noqa: E402

GRIDS = 120


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    return write_many(tmp_path_factory.mktemp("many") / "benchmarks", GRIDS)


@pytest.fixture(scope="module")
def client(many):
    return create_app({"DATA_DIR": str(many), "TESTING": True}).test_client()


def _id(label: str) -> str:  # 'Model 00012' is model-00012, 'Metric 0003' metric-0003
    return label.lower().replace(" ", "-")


@pytest.fixture(scope="module")
def places(many) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(model, metric) → [(grid, printed)] in the grids' order, read from the CSV files."""
    found = defaultdict(list)
    for path in sorted((many / "grids").glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                found[_id(row["model"]), _id(row["metric"])].append((path.stem, row["printed"]))
    return found


@pytest.fixture(scope="module")
def expected(places) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """The cells two places give differently: two values, or a value and a '-'."""
    out = {}
    for key, printed in places.items():
        values = {float(p) for _, p in printed if p != "-"}
        if len(values) > 1 or (values and any(p == "-" for _, p in printed)):
            out[key] = printed
    return out


def test_the_api_counts_every_conflict_and_lists_the_first_places(client, expected):
    got, page = {}, 1
    while True:
        r = client.get(f"/api/conflicts?per_page=100&page={page}")
        assert r.status_code == 200
        assert int(r.headers["X-Total-Count"]) == len(expected)
        if not r.get_json():
            break
        got.update({(c["model"], c["metric"]): c for c in r.get_json()})
        page += 1
    assert page == -(-len(expected) // 100) + 1
    assert set(got) == set(expected)
    for key, printed in expected.items():
        conflict = got[key]
        assert conflict["n_places"] == len(printed)
        shown = [(o["grid"], o["printed"]) for o in conflict["observations"]]
        assert shown == printed[:10]
    assert max(len(p) for p in expected.values()) > 10  # the data reach the cut


def test_a_long_conflict_shows_its_first_places_and_links_every_one(client, expected):
    (model, metric), printed = max(expected.items(), key=lambda kv: len(kv[1]))
    page = BeautifulSoup(client.get(f"/conflicts?model={model}&metric={metric}").data,
                         "html.parser")
    group = page.select("tbody.conflict-group")
    assert len(group) == 1
    rows = group[0].select("tr")
    assert [r.select_one("td.printed").get_text(strip=True) for r in rows[:-1]] == [
        "—not reported" if p == "-" else p for _, p in printed[:10]]
    more = rows[-1].get_text(" ", strip=True)
    assert f"and {len(printed) - 10:,} more places" in more
    assert group[0].select_one("td.n-places").get_text(strip=True) == f"{len(printed):,}"
    assert group[0].select_one("th")["rowspan"] == "11"
    link = rows[-1].select_one("a")["href"]
    lines = client.get(link).data.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(printed)  # the header and every place
    assert [line.split(",")[5] for line in lines[1:]] == [g for g, _ in printed]


def test_a_conflicting_cell_names_its_first_places_and_how_many_more(client, expected):
    (model, metric), printed = max(expected.items(), key=lambda kv: len(kv[1]))
    grid = printed[0][0]
    page = BeautifulSoup(client.get(f"/grids/{grid}").data, "html.parser")
    row = next(tr for tr in page.select("tbody tr")
               if tr.select_one("th.model a")["href"].endswith(f"/models/{model}"))
    marks = [a["title"] for a in row.select("a.conflict-mark")
             if a["href"].endswith(f"/metrics/{metric}")]
    assert len(marks) == 1
    places = "; ".join(f"{p} (图{1 + (int(g[-5:]) - 1) % 4}, p. {1 + (int(g[-5:]) - 1) % 4})"
                       for g, p in printed[:10])
    assert marks[0] == f"Sources disagree: {places}; and {len(printed) - 10:,} more places"


def test_past_many_choices_the_filters_are_a_search(client, monkeypatch, expected):
    (model, _), _ = next(iter(expected.items()))
    page = BeautifulSoup(client.get("/conflicts").data, "html.parser")
    assert page.select_one("select#c-model") is not None  # few enough to list
    monkeypatch.setattr(views, "CONFLICT_CHOICES", 5)
    page = BeautifulSoup(client.get(f"/conflicts?model={model}&sort=-spread").data,
                         "html.parser")
    assert page.select_one("select#c-model") is None
    assert page.select_one("select#c-metric") is None
    chosen = page.select_one(".field.chosen")
    assert chosen.select_one("input[type=hidden]")["value"] == model
    assert chosen.select_one("strong").get_text() == f"Model {model[-5:]}"
    assert "model=" not in chosen.select_one("a")["href"]
    assert "sort=-spread" in chosen.select_one("a")["href"]


def test_the_index_pages_its_grids(client):
    pages = [BeautifulSoup(client.get(f"/?per_page=50&page={p}").data, "html.parser")
             for p in (1, 2, 3)]
    slugs = [a["href"].rsplit("/", 1)[1] for p in pages for a in p.select(".card h2 a")]
    assert slugs == [f"many-{g:05d}" for g in range(1, GRIDS + 1)]
    assert [len(p.select(".card")) for p in pages] == [50, 50, GRIDS - 100]
    assert "Page 2 of 3" in pages[1].select_one("nav.pager").get_text()
    r = client.get("/?per_page=50&page=4")
    assert r.status_code == 400
    assert "4 is past the last page, 3" in r.get_data(as_text=True)


def test_the_search_finds_a_model_in_every_grid_that_prints_it(client, many):
    printing = sorted(p.stem for p in (many / "grids").glob("*.yaml")
                      if "Model 00003" in p.read_text(encoding="utf-8"))
    page = BeautifulSoup(client.get("/?q=model+00003&per_page=500").data, "html.parser")
    assert [a["href"].rsplit("/", 1)[1] for a in page.select(".card h2 a")] == printing
    assert re.search(rf"\b{len(printing)} grids? match", page.get_text())


def _subtitle(spec: dict) -> list[str]:
    title = spec["title"]
    return title.get("subtitle", []) if isinstance(title, dict) else []


def test_charts_of_a_model_in_many_grids_draw_the_first_and_say_how_many(client, places):
    numbers = {metric for (model, metric), printed in places.items()
               if model == "model-00000" and any(p != "-" for _, p in printed)}
    assert len(numbers) > 30
    spec = client.get("/charts/models/model-00000.json").get_json()
    assert len(spec["data"]["values"] if "values" in spec.get("data", {}) else next(
        iter(spec["datasets"].values()))) == 30
    lines = _subtitle(spec)
    assert f"First 30 of {len(numbers):,} metrics shown" in lines
    reports = GRIDS // 4  # the synthetic data print 4 grids a report
    assert lines[-1].endswith(f"; and {reports - 3:,} more reports")
    assert lines[-1].count("《") == 3


def test_compare_chart_draws_the_first_shared_metrics(client, places):
    def measured(model):
        return {x for (m, x), printed in places.items()
                if m == model and any(p != "-" for _, p in printed)}

    shared = measured("model-00000") & measured("model-00001")
    assert len(shared) > 20
    spec = client.get("/charts/compare.json?models=model-00000,model-00001").get_json()
    assert f"First 20 of {len(shared):,} shared metrics shown" in _subtitle(spec)


def test_a_404_page_lists_the_first_of_each_kind_and_counts_the_rest(client, many):
    models = (many / "models.yaml").read_text(encoding="utf-8").count("- id: ")
    page = BeautifulSoup(client.get("/models/nope").data, "html.parser")
    lists = page.select("ul.inline-list")
    assert [len(ul.select("li")) for ul in lists] == [51, 51, 51]
    assert lists[1].select("li")[-1].get_text(strip=True) == f"and {models - 50:,} more"
    assert lists[0].select("li")[-1].select_one("a")["href"] == "/"


def test_a_model_page_holds_fifty_metrics(client, places):
    metrics = {x for (m, x) in places if m == "model-00000"}
    assert len(metrics) > 50
    r = client.get("/api/models/model-00000")
    assert int(r.headers["X-Total-Count"]) == len(metrics)
    assert len(r.get_json()["results"]) == 50
    page = BeautifulSoup(client.get("/models/model-00000").data, "html.parser")
    assert f"Page 1 of {-(-len(metrics) // 50)}" in page.select_one("nav.pager").get_text()
