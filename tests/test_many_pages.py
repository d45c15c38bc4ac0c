"""The model, metric and compare pages and answers with many reports (issue 14): each number in
short form (its first places, the rest counted and a page away), long lists paginated, and the
per-dataset indexes they read agree with the data files."""

import collections
import csv
import sys

import pytest
from conftest import ROOT, soup

from leaderboard import create_app
from leaderboard.catalog import metric_records
from leaderboard.tables import PLACES_SHOWN

sys.path.insert(0, str(ROOT / "bench"))
from synth import write_many  # noqa: E402

# From the data files: the grids whose YAML lists the metric, grids in the reports' order
# (reports.yaml's; in a report, figures by page, then README sections by label, the running
# text last).
AIME_GRIDS = [
    "r1-distilled", "r1-vs-frontier", "text-figures",  # galaxy-2025-02-deepseek: p. 6, 7, text
    "r1-readme-main", "r1-readme-distilled",  # deepseek-r1-readme: "DeepSeek-R1-…" < "Distilled"
    "r1-paper-table-4", "r1-paper-table-5", "r1-paper-table-6",  # deepseek-r1-paper
    "v3-readme-chat",  # deepseek-v3-readme
]
# The grids whose cells give GPT-4o 0513 an AIME 2024 pass@1, each printing 9.3, in that order.
GPT4O_AIME = ["r1-distilled", "r1-vs-frontier", "r1-readme-main", "r1-readme-distilled",
              "r1-paper-table-4", "r1-paper-table-5", "v3-readme-chat"]
GPT4O_AIME_URL = "/models/gpt-4o-0513?metric=aime-2024-pass1"


@pytest.mark.parametrize(("metric", "grids"), [
    ("aime-2024-pass1", AIME_GRIDS),
    ("api-input-price", ["api-pricing", "cost-and-scale"]),  # 图3 p. 5, then 表4 p. 27
    ("release-date", ["cost-and-scale"]),
])
def test_a_metrics_grids_are_those_whose_files_list_it(dataset, metric, grids):
    assert metric_records(dataset)[metric]["grids"] == grids


def test_every_metrics_grids_match_a_scan_of_the_grid_files(dataset):
    import yaml

    listed = collections.defaultdict(set)
    for path in (ROOT / "data" / "benchmarks" / "grids").glob("*.yaml"):
        for m in yaml.safe_load(path.read_text(encoding="utf-8"))["metrics"]:
            listed[m["id"]].add(path.stem)
    records = metric_records(dataset)
    assert {m: set(r["grids"]) for m, r in records.items() if r["grids"]} == dict(listed)
    assert all(not r["grids"] for m, r in records.items() if m not in listed)


def _place_links(page):
    return [a["href"].rsplit("/", 1)[1] for a in page.select("table.list tbody td a")
            if "/grids/" in a["href"]]


def test_a_models_places_for_one_metric_one_page_at_a_time(client):
    first = client.get(GPT4O_AIME_URL)
    assert first.status_code == 200
    assert _place_links(soup(first)) == GPT4O_AIME
    assert "printed in 7 places" in soup(first).select_one("p.lede").get_text(" ", strip=True)

    second = client.get(GPT4O_AIME_URL + "&per_page=3&page=2")
    assert second.status_code == 200
    page = soup(second)
    assert _place_links(page) == GPT4O_AIME[3:6]
    assert [td.get_text(strip=True) for td in page.select("table.list tbody td.num")] == ["9.3"] * 3
    assert "Page 2 of 3" in page.select_one("nav.pager").get_text(" ", strip=True)
    assert "Places 4–6 of 7" in page.get_text(" ", strip=True)


@pytest.mark.parametrize(("query", "field", "message"), [
    ("page=99&per_page=3", "page", "99 is past the last page"),
    ("page=2", "page", "2 is past the last page, 1"),
    ("per_page=0", "per_page", "greater than or equal to 1"),
    ("per_page=501", "per_page", "less than or equal to 500"),
    ("page=0", "page", "greater than or equal to 1"),
    ("per_page=many", "per_page", "Not a valid integer"),
])
@pytest.mark.parametrize("url", [GPT4O_AIME_URL, "/models/gpt-4o-0513?x=1",
                                 "/compare?models=deepseek-r1,o1-mini"])
def test_a_page_past_the_last_or_a_bad_page_size_is_a_400_that_says_so(client, url, query,
                                                                       field, message):
    response = client.get(f"{url}&{query}")
    assert response.status_code == 400
    text = soup(response).get_text(" ", strip=True)
    assert field in text and message in text

    api = client.get(f"/api{url}&{query}")
    if field == "page" and "past" in message:  # the API answers an empty page, as /api/conflicts
        assert api.status_code == 200
    else:
        assert api.status_code == 400
        assert message in " ".join(api.get_json()["errors"][field])


def test_a_metric_the_model_has_no_number_for_is_a_404(client):
    for url in ("/models/gpt-4o-0513?metric=api-input-price",
                "/api/models/gpt-4o-0513?metric=api-input-price"):
        response = client.get(url)
        assert response.status_code == 404
        assert "has no number for" in response.get_data(as_text=True)
    assert client.get("/models/gpt-4o-0513?metric=no-such-metric").status_code == 404


def test_the_api_pages_a_models_places_with_a_total(client):
    response = client.get("/api" + GPT4O_AIME_URL + "&per_page=3&page=3")
    assert response.status_code == 200
    assert response.headers["X-Total-Count"] == "7"
    [result] = response.get_json()["results"]
    assert [p["grid"] for p in result["places"]] == GPT4O_AIME[6:]
    assert result["n_places"] == 7 and result["printed"] == "9.3"

    past = client.get("/api" + GPT4O_AIME_URL + "&per_page=3&page=4")
    assert past.status_code == 200 and past.headers["X-Total-Count"] == "7"
    assert past.get_json()["results"][0]["places"] == []


@pytest.mark.parametrize("url", ["/api/models/deepseek-r1", "/api/metrics/aime-2024-pass1"])
def test_the_api_pages_long_lists_and_every_page_adds_up_to_the_whole(client, url):
    key = "results" if "/models/" in url else "leaderboard"
    whole = client.get(url)
    total = int(whole.headers["X-Total-Count"])
    rows = whole.get_json()[key]
    assert len(rows) == total > 5  # the bundled data fits on one page
    pages = [client.get(f"{url}?per_page=5&page={n}") for n in range(1, -(-total // 5) + 2)]
    assert all(p.status_code == 200 and p.headers["X-Total-Count"] == str(total) for p in pages)
    assert [r for p in pages for r in p.get_json()[key]] == rows
    assert pages[-1].get_json()[key] == []  # past the last page: empty


def _models_with(metric):
    """The models any cells file gives a cell (a '-' too) for `metric`: a plain scan of the
    grid files, labels mapped to ids by each grid's YAML."""
    import yaml

    found = set()
    for path in (ROOT / "data" / "benchmarks" / "grids").glob("*.yaml"):
        grid = yaml.safe_load(path.read_text(encoding="utf-8"))
        models = {m["label"]: m["id"] for m in grid["models"]}
        metrics = {m["label"]: m["id"] for m in grid["metrics"]}
        with path.with_suffix(".csv").open(encoding="utf-8") as f:
            found |= {models[r["model"]] for r in csv.DictReader(f)
                      if metrics[r["metric"]] == metric}
    return found


def test_a_leaderboard_page_counts_every_model_that_reports_the_metric(client):
    response = client.get("/api/metrics/aime-2024-pass1?per_page=2")
    assert len(response.get_json()["leaderboard"]) == 2
    assert response.headers["X-Total-Count"] == str(len(_models_with("aime-2024-pass1")))
    page = soup(client.get("/metrics/aime-2024-pass1?per_page=2"))
    assert f"{len(_models_with('aime-2024-pass1'))} models report it" in page.get_text(" ")


def test_compare_pages_shared_and_other_metrics_alike(client):
    url = "/compare?models=deepseek-r1,o1-mini"
    whole = client.get("/api" + url).get_json()
    total = whole["n_shared"] + whole["n_apart"]
    assert (whole["n_shared"], whole["pages"]) == (len(whole["shared"]), 1)
    second = client.get(f"/api{url}&per_page=5&page=2")
    assert second.headers["X-Total-Count"] == str(total)
    body = second.get_json()
    assert [m["id"] for m in body["shared"]] == [m["id"] for m in whole["shared"][5:10]]
    assert [m["id"] for m in body["apart"]] == [m["id"] for m in whole["apart"][5:10]]
    assert body["summary"] == whole["summary"]  # every shared metric, whatever the page

    page = soup(client.get(f"{url}&per_page=5&page=2"))
    names = [a.get_text(strip=True) for a in page.select("table.grid tbody th a")]
    assert names == [m["name"] for m in body["shared"] + body["apart"]]
    assert f"Shared metrics ({whole['n_shared']})" in page.get_text(" ", strip=True)
    assert page.select_one("nav.pager a[rel=next]")["href"].endswith("page=3")


# --- Many reports: a number printed in more places than a page lists ----------------------


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    directory = write_many(tmp_path_factory.mktemp("many") / "benchmarks", grids=40)
    return directory, create_app({"TESTING": True, "DATA_DIR": str(directory)}).test_client()


def _printed(directory, model, metric):
    """What the cells files print for one model and metric, grids in file (= report) order."""
    out = []
    for path in sorted((directory / "grids").glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            out += [(path.stem, r["printed"]) for r in csv.DictReader(f)
                    if (r["model"], r["metric"]) == (model, metric)]
    return out


def test_a_number_printed_in_many_places_shows_its_first_places_and_a_count(many):
    directory, client = many
    printed = _printed(directory, "Model 00000", "Metric 0000")
    assert len(printed) > PLACES_SHOWN
    page = soup(client.get("/models/model-00000"))
    row = next(tr for tr in page.select("table.list tbody tr")
               if tr.select_one("a[href='/metrics/metric-0000']"))
    more = row.select_one("a.more-places")
    assert more.get_text(strip=True) == f"{len(printed) - PLACES_SHOWN} more places"
    assert more["href"] == "/models/model-00000?metric=metric-0000"
    links = [a["href"].rsplit("/", 1)[1] for a in row.select("a[href^='/grids/']")]
    assert links == [grid for grid, _ in printed[:PLACES_SHOWN]]

    api = client.get("/api/models/model-00000").get_json()["results"]
    result = next(r for r in api if r["metric"] == "metric-0000")
    assert result["n_places"] == len(printed)
    assert [p["grid"] for p in result["places"]] == [g for g, _ in printed[:PLACES_SHOWN]]
    counts = collections.Counter(text for _, text in printed)
    assert {t["printed"]: t["places"] for t in result["tally"]} == counts
    assert result["conflict"] == (len({t for t in counts if t != "-"}) > 1)

    every = client.get("/models/model-00000?metric=metric-0000&per_page=500")
    assert _place_links(soup(every)) == [g for g, _ in printed]


def test_a_metric_page_row_links_to_the_rest_of_its_places(many):
    directory, client = many
    printed = _printed(directory, "Model 00000", "Metric 0000")
    page = soup(client.get("/metrics/metric-0000"))
    row = next(tr for tr in page.select("table.list tbody tr")
               if tr.select_one("th a[href='/models/model-00000']"))
    assert row.select_one("a.more-places")["href"] == "/models/model-00000?metric=metric-0000"
    assert len(row.select("a[href^='/grids/']")) == PLACES_SHOWN < len(printed)


def test_compare_counts_a_number_printed_in_more_places_than_a_page_lists(many):
    directory, client = many
    printed = _printed(directory, "Model 00000", "Metric 0000")
    assert len(printed) > PLACES_SHOWN
    body = client.get("/api/compare?models=model-00000,model-00001").get_json()
    cell = next(m for m in body["shared"] if m["id"] == "metric-0000")["cells"][0]
    # More places than a page lists: none listed, every one counted and summed up.
    assert (cell["places"], cell["n_places"]) == ([], len(printed))
    counts = collections.Counter(text for _, text in printed)
    assert {t["printed"]: t["places"] for t in cell["tally"]} == counts
    # A number printed in few places lists every one of them.
    few = [c for m in body["shared"] + body["apart"] for c in m["cells"]
           if c and c["n_places"] <= PLACES_SHOWN]
    assert few and all(len(c["places"]) == c["n_places"] and "tally" not in c for c in few)

    page = soup(client.get("/compare?models=model-00000,model-00001"))
    row = next(tr for tr in page.select("table.grid tbody tr")
               if tr.select_one("th a[href='/metrics/metric-0000']"))
    first = row.select("td")[0]
    assert cell["conflict"] == (len({t for t in counts if t != "-"}) > 1) is True
    link = first.select_one("a.more-places")
    assert link["href"] == "/models/model-00000?metric=metric-0000"
    assert link.get_text(strip=True) == f"every place ({len(printed)})"
    assert not first.select("a[href^='/grids/']")
