"""Averages on the grid view: the overall one and one per category, each sortable both ways.

The expected scores are computed here from the data files (metrics.yaml, grids/*.yaml and
*.csv) by the rule the README documents: each ranked metric on 0–100, best = 100 (a fixed
scale where metrics.yaml gives one, else min–max over the grid's rows; lower-is-better
inverted); a model's average is the mean over the metrics it has, with how many it has; none
when it has none of them, never 0. A category average is that over one category's metrics, one
per category of the ranked metrics when they span two or more.
"""

import csv
import re
from functools import cache
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import DATA_DIR, grid_rows, soup

MISSING = "—"


@cache
def registry():
    with (DATA_DIR / "metrics.yaml").open(encoding="utf-8") as f:
        return {m["id"]: m for m in yaml.safe_load(f)}


@cache
def grid_file(slug):
    path = DATA_DIR / "grids" / slug
    grid = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
    models = {m["label"]: m["id"] for m in grid["models"]}
    metrics = {m["label"]: m["id"] for m in grid["metrics"]}
    values = {}
    with path.with_suffix(".csv").open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if r["value"] != "":
                values[models[r["model"]], metrics[r["metric"]]] = r["value"]
    return grid, values


SLUGS = sorted(p.stem for p in (DATA_DIR / "grids").glob("*.yaml"))


def ranked(slug):
    """The grid's metrics with a direction, in its order: the ones an average counts."""
    grid, _ = grid_file(slug)
    return [m["id"] for m in grid["metrics"] if registry()[m["id"]]["higher_is_better"] is not None]


def groups(slug):
    """Each average's sort key and the metrics it averages, in the page's order."""
    metrics = ranked(slug)
    categories = list(dict.fromkeys(registry()[m]["category"] for m in metrics))
    out = {"average": metrics}
    if len(categories) > 1:
        for category in categories:
            out[f"average:{category.lower()}"] = [
                m for m in metrics if registry()[m]["category"] == category]
    return out


def score(slug, model, metric):
    """A model's 0–100 score on a metric, best = 100; None when it has no number."""
    grid, values = grid_file(slug)
    info = registry()[metric]
    assert info.get("type", "number") == "number", metric  # a ranked metric is a number
    if (model, metric) not in values:
        return None
    if "scale" in info:
        low, high = info["scale"]
    else:
        column = [float(values[m["id"], metric]) for m in grid["models"]
                  if (m["id"], metric) in values]
        low, high = min(column), max(column)
    found = 100.0 if high == low else (float(values[model, metric]) - low) / (high - low) * 100
    return found if info["higher_is_better"] else 100 - found


def expected(slug, model, metrics):
    """(mean score or None, covered, of) of a model over these metrics."""
    scores = [s for s in (score(slug, model, m) for m in metrics) if s is not None]
    return (sum(scores) / len(scores) if scores else None), len(scores), len(metrics)


SORTS = [pytest.param(slug, key, order, id=f"{slug}-{key}-{order}")
         for slug in SLUGS for key in groups(slug) for order in ("desc", "asc")]


@pytest.mark.parametrize(("slug", "key", "order"), SORTS)
def test_every_average_is_the_mean_of_the_data_files_scores(client, slug, key, order):
    doc = client.get(f"/grids/{slug}.json?sort={key}&order={order}").get_json()
    found = groups(slug)
    assert [a["id"] for a in doc["averages"]] == list(found)
    assert [a["metrics"] for a in doc["averages"]] == list(found.values())
    assert doc["ranked_by"] == key and doc["average"] is True
    shown = {}
    for row in doc["rows"]:
        averages = [row["average"], *row["category_averages"]]
        for (id, metrics), got in zip(found.items(), averages, strict=True):
            mean, covered, of = expected(slug, row["model"], metrics)
            assert (got["covered"], got["of"]) == (covered, of), (row["model"], id)
            if mean is None:
                assert got["score"] is None, (row["model"], id)  # missing, never 0
            else:
                assert got["score"] == pytest.approx(mean, abs=0.05 + 1e-9), (row["model"], id)
        shown[row["model"]] = expected(slug, row["model"], found[key])[0]
    # Best first (or worst, asc) by the score to the decimal shown, ties and then the models
    # without the average in the report's order, last both ways.
    grid, _ = grid_file(slug)
    report = [m["id"] for m in grid["models"]]
    known = [m for m in report if shown[m] is not None]
    want = sorted(known, key=lambda m: round(shown[m], 1), reverse=order == "desc")
    want += [m for m in report if shown[m] is None]
    assert [row["model"] for row in doc["rows"]] == want
    for row in doc["rows"]:
        mine = shown[row["model"]]
        assert row["rank"] == (None if mine is None else 1 + sum(
            round(shown[m], 1) > round(mine, 1) for m in known)), row["model"]


def test_the_sweep_meets_partial_and_missing_categories(client):
    """Some model has part of a category and some has none of one: the sweep above sees both."""
    partial, none = [], []
    for slug in SLUGS:
        grid, _ = grid_file(slug)
        for key, metrics in list(groups(slug).items())[1:]:
            for m in grid["models"]:
                _, covered, of = expected(slug, m["id"], metrics)
                (none if covered == 0 else partial if covered < of else []).append(
                    (slug, key, m["id"]))
    assert ("r1-vs-frontier", "average:math", "openai-o1-1217") in partial
    assert ("r1-vs-frontier", "average:chinese", "openai-o1-1217") in none
    # On the page: o1-1217 has 2 of the 3 Math numbers, no Chinese one ("—", not 0).
    for order in ("desc", "asc"):
        page = soup(client.get(f"/grids/r1-vs-frontier?sort=average:chinese&order={order}"))
        rows = grid_rows(page)
        rank, label, cells = rows[-1]  # missing sorts last, whichever the direction
        assert (rank, label) == (MISSING, "OpenAI o1-1217")
        texts = [(td.contents[0].strip(), td.small.get_text()) for td in cells[:5]]
        assert texts[3][1] == "2 of 3" and texts[3][0] != MISSING  # Math
        assert texts[4] == (MISSING, "0 of 3")  # Chinese
        assert "missing" in cells[4]["class"]


@pytest.mark.parametrize("slug", SLUGS)
def test_each_average_header_sorts_by_it(client, slug):
    """Each average's header links to its sort, best first, and flips when sorted by it; the
    sorted one carries aria-sort."""
    found = list(groups(slug))
    page = soup(client.get(f"/grids/{slug}?average=yes"))
    headers = page.select("table.grid thead th.average")
    assert len(headers) == len(found)
    for th, key in zip(headers, found, strict=True):
        assert not th.has_attr("aria-sort")
        args = parse_qs(urlsplit(th.a["href"]).query)
        assert (args["sort"], args["order"], args["average"]) == ([key], ["desc"], ["yes"])
    for key in found:
        for order, flipped in (("desc", "asc"), ("asc", "desc")):
            page = soup(client.get(f"/grids/{slug}?sort={key}&order={order}"))
            (th,) = page.select("table.grid thead th[aria-sort]")
            assert "average" in th["class"] and "sorted" in th["class"]
            assert th["aria-sort"] == ("descending" if order == "desc" else "ascending")
            assert parse_qs(urlsplit(th.a["href"]).query)["order"] == [flipped]
            assert page.select_one("#f-average").has_attr("checked")  # sorting shows them


def test_averages_follow_the_shown_columns(client):
    """With some columns hidden, the averages are over the shown ones: Math and Code only."""
    doc = client.get("/grids/r1-vs-frontier.json?average=yes&sort=-average:code"
                     "&metrics=aime-2024-pass1,livecodebench-pass1-cot,math-500-pass1").get_json()
    assert [(a["id"], a["metrics"]) for a in doc["averages"]] == [
        ("average", ["aime-2024-pass1", "livecodebench-pass1-cot", "math-500-pass1"]),
        ("average:math", ["aime-2024-pass1", "math-500-pass1"]),
        ("average:code", ["livecodebench-pass1-cot"])]
    scores = [row["category_averages"][1]["score"] for row in doc["rows"]]
    assert scores == sorted(scores, reverse=True)


def test_a_multi_key_sort_mixes_averages_metrics_and_names(client):
    doc = client.get("/grids/r1-distilled.json?sort=-average:english,%2Baverage:math,model"
                     ).get_json()
    assert [(k["column"], k["descending"]) for k in doc["sort"]] == [
        ("average:english", True), ("average:math", False), ("model", False)]
    keys = [(-row["category_averages"][1]["score"], row["category_averages"][0]["score"],
             row["name"].casefold()) for row in doc["rows"]]
    assert keys == sorted(keys)


@pytest.mark.parametrize(("url", "message"), [
    ("/grids/r1-vs-frontier?sort=average:nosuch",
     "sort: cannot sort by 'average:nosuch'; sort by a metric id of this grid, by 'model', or "
     "by an average of the shown metrics: average, average:english, average:code, "
     "average:math, average:chinese"),
    ("/grids/r1-vs-frontier?sort=average:Math", "cannot sort by 'average:Math'"),
    ("/grids/r1-vs-frontier?sort=average:&order=asc", "cannot sort by 'average:'"),
    # One category: its average would repeat the overall one, so there is none.
    ("/grids/api-pricing?sort=average:cost", "of the shown metrics: average"),
    ("/grids/r1-vs-frontier?sort=average:chinese&metrics=aime-2024-pass1,mmlu-pass1",
     "of the shown metrics: average, average:math, average:english"),
])
def test_an_average_that_is_not_there_is_a_400(client, url, message):
    for path in (url, url.replace("/grids/", "/api/grids/"),
                 url.replace("?", ".csv?", 1), url.replace("?", ".json?", 1)):
        response = client.get(path)
        assert response.status_code == 400, path
        body = response.get_data(as_text=True)
        text = (soup(response).select_one(".error-message").get_text(strip=True)
                if response.mimetype == "text/html" else response.get_json()["message"]
                if response.is_json else body)
        assert message in text, path


def test_a_download_sorted_by_a_category_average_is_named_for_it(client):
    response = client.get("/grids/r1-vs-frontier.csv?sort=average:math&order=asc")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="r1-vs-frontier_sorted-by-average-math-asc.csv"')


# --- In Chromium, against gunicorn --------------------------------------------------------


@pytest.fixture(scope="module")
def server():
    from live import Gunicorn

    from leaderboard import ROOT

    live = Gunicorn(ROOT / "data" / "benchmarks").wait()
    yield live.url
    live.stop()


def test_ticking_average_and_clicking_a_category_average_sorts_by_it(browser, server):
    from playwright.sync_api import expect

    from leaderboard import ROOT

    slug, key = "r1-vs-frontier", "average:chinese"
    metrics = groups(slug)[key]
    grid, _ = grid_file(slug)
    mean = {m["label"]: expected(slug, m["id"], metrics)[0] for m in grid["models"]}
    known = [m for m in mean if mean[m] is not None]
    none = [m for m in mean if mean[m] is None]
    assert none  # a model with no Chinese number: last both ways
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/grids/{slug}")
    page.get_by_label("Average").check()
    page.get_by_role("button", name="Apply").click()
    header = page.locator("table.grid thead th.average a", has_text="Chinese average")
    for order in ("desc", "asc"):
        header.click()
        expect(page).to_have_url(re.compile(rf"sort=average(:|%3A)chinese&order={order}"))
        models = page.locator("table.grid tbody th.model a:not(.add-compare)").all_inner_texts()
        assert models == sorted(known, key=mean.get, reverse=order == "desc") + none
        sorted_th = page.locator("table.grid thead th[aria-sort]")
        expect(sorted_th).to_have_attribute("aria-sort", f"{order}ending")
        expect(sorted_th).to_contain_text("Chinese average")
        page.screenshot(path=str(ROOT / "artifacts" / "screenshots" /
                                 f"averages-sorted-by-chinese-{order}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("reserved", ["average", "model"])
def test_a_metric_cannot_take_a_sort_keys_id(data_copy, reserved):
    """sort=average must mean the average: a metric with that id would make it ambiguous."""
    from leaderboard.data import DataError, load

    path = data_copy / "metrics.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "{id: mmlu-pass1,", f"{{id: {reserved},", 1), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load(data_copy)
    assert [(p.field, p.message) for p in info.value.problems if p.file.endswith("metrics.yaml")
            ][:1] == [("id", "is a sort key of its own (model, average): choose another id")]
