"""Finding things: the /models and /metrics indexes, the search of grids, models and metrics,
and the compare picker. Every model, metric, grid and pair of the bundled data is swept; what
each page should say is read from the data files here, not through the code under test."""

from __future__ import annotations

import csv
import itertools
import re
from collections import defaultdict
from functools import cache
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import yaml
from conftest import DATA_DIR, soup

from leaderboard.tables import MAX_COMPARED

# --- The data files, read plainly -----------------------------------------------------------


@cache
def models_file() -> dict[str, dict]:
    return {m["id"]: m for m in yaml.safe_load((DATA_DIR / "models.yaml").read_text("utf-8"))}


@cache
def metrics_file() -> dict[str, dict]:
    return {m["id"]: m for m in yaml.safe_load((DATA_DIR / "metrics.yaml").read_text("utf-8"))}


@cache
def grid_files() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text("utf-8"))
            for p in sorted((DATA_DIR / "grids").glob("*.yaml"))}


@cache
def grids_listing() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The grids whose YAML lists each model, and each metric."""
    models, metrics = defaultdict(set), defaultdict(set)
    for slug, grid in grid_files().items():
        for m in grid["models"]:
            models[m["id"]].add(slug)
        for m in grid["metrics"]:
            metrics[m["id"]].add(slug)
    return models, metrics


@cache
def reported() -> dict[str, set[str]]:
    """The metrics each model has a value for in some cells file (a '-' is no value)."""
    found = defaultdict(set)
    for slug, grid in grid_files().items():
        models = {m["label"]: m["id"] for m in grid["models"]}
        metrics = {m["label"]: m["id"] for m in grid["metrics"]}
        with (DATA_DIR / "grids" / f"{slug}.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if (row.get("value") or "").strip():
                    found[models[row["model"]]].add(metrics[row["metric"]])
    return found


def _id(href: str) -> str:
    return href.rstrip("/").rsplit("/", 1)[1]


def _table(client, url: str) -> list[dict[str, str]]:
    """An index page's rows: the id its first cell links to, and each cell's text by class."""
    response = client.get(url)
    assert response.status_code == 200, url
    rows = []
    for tr in soup(response).select("table.index-table tbody tr"):
        row = {"id": _id(tr.select_one("th a")["href"]),
               "name": tr.select_one("th a").get_text(strip=True)}
        row |= {td["class"][-1]: td.get_text(" ", strip=True) for td in tr.select("td")}
        rows.append(row)
    return rows


# --- /models and /metrics: every one, with the right counts ---------------------------------

OPEN = {True: "open", False: "closed", None: "unknown"}


def test_the_models_index_lists_every_model_with_its_attributes_and_grid_count(client):
    rows = {r["id"]: r for r in _table(client, "/models?per_page=500")}
    grids = grids_listing()[0]
    assert set(rows) == set(models_file())
    for model_id, m in models_file().items():
        row = rows[model_id]
        assert row["name"] == m["name"]
        assert row["org"] == m["organisation"]
        assert row["open"] == OPEN[m.get("open_weights")]
        assert row["params"].split(" ")[0] == (m.get("total_params") or "—"), model_id
        assert int(row["grids"]) == len(grids[model_id]), model_id


DIRECTION = {True: "higher", False: "lower", None: "not ranked"}


def test_the_metrics_index_lists_every_metric_with_its_grid_count(client):
    rows = {r["id"]: r for r in _table(client, "/metrics?per_page=500")}
    grids = grids_listing()[1]
    assert set(rows) == set(metrics_file())
    for metric_id, m in metrics_file().items():
        row = rows[metric_id]
        assert row["name"] == m["name"]
        assert (row["benchmark"], row["measure"]) == (str(m["benchmark"]), str(m["measure"]))
        assert row["direction"] == DIRECTION[m["higher_is_better"]]
        assert int(row["grids"]) == len(grids[metric_id]), metric_id


def _params(text: str | None) -> float | None:
    if not text:
        return None
    number, suffix = float(text[:-1]), text[-1]
    return number * {"M": 1e6, "B": 1e9, "T": 1e12}[suffix]


# Each index's sort keys and each row's value for them, from the data files (None: missing).
SORT_VALUES = {
    "models": {
        "name": lambda m: m["name"].casefold(),
        "organisation": lambda m: m["organisation"].casefold(),
        "open": lambda m: m.get("open_weights"),
        "params": lambda m: _params(m.get("total_params")),
        "grids": lambda m: len(grids_listing()[0][m["id"]]),
    },
    "metrics": {
        "name": lambda m: m["name"].casefold(),
        "benchmark": lambda m: str(m["benchmark"]).casefold(),
        "measure": lambda m: str(m["measure"]).casefold(),
        "direction": lambda m: {True: 0, False: 1, None: 2}[m["higher_is_better"]],
        "grids": lambda m: len(grids_listing()[1][m["id"]]),
    },
}
FILES = {"models": models_file, "metrics": metrics_file}


@pytest.mark.parametrize(("kind", "key"), [(k, s) for k in SORT_VALUES for s in SORT_VALUES[k]])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_every_sort_key_orders_every_row_both_ways(client, kind, key, order):
    records = FILES[kind]()
    ids = [r["id"] for r in _table(client, f"/{kind}?sort={key}&order={order}&per_page=500")]
    assert sorted(ids) == sorted(records)
    values = [SORT_VALUES[kind][key](records[i]) for i in ids]
    given = [v for v in values if v is not None]
    assert values[:len(given)] == given, "missing values sort last, either way"
    assert given == sorted(given, reverse=order == "desc")
    for value, run in itertools.groupby(ids, key=lambda i: SORT_VALUES[kind][key](records[i])):
        names = [records[i]["name"].casefold() for i in run]
        assert names == sorted(names), f"ties by name: {value!r}"


@pytest.mark.parametrize("kind", ["models", "metrics"])
def test_a_header_sorts_by_its_column_and_flips_when_sorted_already(client, kind):
    for key in SORT_VALUES[kind]:
        page = soup(client.get(f"/{kind}?sort={key}&order=asc"))
        sorted_th = page.select("table.index-table thead th[aria-sort]")
        assert len(sorted_th) == 1 and sorted_th[0]["aria-sort"] == "ascending"
        args = parse_qs(urlsplit(sorted_th[0].a["href"]).query)
        assert (args["sort"], args["order"]) == ([key], ["desc"])
        for th in page.select("table.index-table thead th"):
            args = parse_qs(urlsplit(th.a["href"]).query)
            assert "page" not in args
        followed = client.get(sorted_th[0].a["href"])
        assert soup(followed).select_one("th[aria-sort]")["aria-sort"] == "descending"


@pytest.mark.parametrize("kind", ["models", "metrics"])
def test_the_pages_of_an_index_add_up_to_the_whole(client, kind):
    whole = [r["id"] for r in _table(client, f"/{kind}?sort=grids&per_page=500")]
    n = len(FILES[kind]())
    per = 7
    pages = [[r["id"] for r in _table(client, f"/{kind}?sort=grids&per_page={per}&page={p}")]
             for p in range(1, -(-n // per) + 1)]
    assert [i for p in pages for i in p] == whole
    last = soup(client.get(f"/{kind}?sort=grids&per_page={per}&page={len(pages)}"))
    assert f"Page {len(pages)} of {len(pages)}" in last.select_one("nav.pager").get_text(" ")
    past = client.get(f"/{kind}?per_page={per}&page={len(pages) + 1}")
    assert past.status_code == 400
    assert f"{len(pages) + 1} is past the last page" in past.get_data(as_text=True)


def _model_text(m: dict) -> str:
    labels = [g["label"] for grid in grid_files().values() for g in grid["models"]
              if g["id"] == m["id"]]
    return " ".join([m["id"], m["name"], m["organisation"], *labels]).casefold()


def _metric_text(m: dict) -> str:
    return " ".join(str(m[k]) for k in ("id", "name", "benchmark", "measure", "unit",
                                        "category")).casefold()


TEXTS = {"models": _model_text, "metrics": _metric_text}


@pytest.mark.parametrize("kind", ["models", "metrics"])
def test_the_filter_finds_each_row_by_id_and_keeps_only_what_matches(client, kind):
    records = FILES[kind]()
    needles = {*records, *(m.get("organisation", m.get("benchmark")) for m in records.values())}
    for needle in sorted(map(str, needles)):
        ids = [r["id"] for r in _table(client, f"/{kind}?q={needle}&per_page=500")]
        expected = {i for i, m in records.items() if needle.casefold() in TEXTS[kind](m)}
        assert set(ids) == expected, needle
    page = soup(client.get(f"/{kind}?q=no-such-thing-at-all"))
    assert not page.select("table.index-table")
    assert "No " + kind[:-1] + " matches" in page.get_text(" ")


def test_the_models_filter_finds_a_model_by_every_name_a_grid_prints(client):
    for grid in grid_files().values():
        for m in grid["models"]:
            ids = [r["id"] for r in _table(client, f"/models?q={quote(m['label'])}&per_page=500")]
            assert m["id"] in ids, m
            page = soup(client.get(f"/?q={quote(m['label'])}"))
            assert m["id"] in _found(page, "models") or len(_found(page, "models")) == 20, m


# --- Search: grids, models and metrics, grouped ---------------------------------------------


def _found(page, kind: str) -> list[str]:
    section = page.select_one(f"section[aria-labelledby=found-{kind}]")
    return [_id(a["href"]) for a in section.select("ul.found-list a")]


@pytest.mark.parametrize("kind", ["models", "metrics"])
def test_search_finds_every_model_and_metric_by_id_in_its_own_group(client, kind):
    for item_id in FILES[kind]():
        page = soup(client.get(f"/?q={item_id}"))
        assert item_id in _found(page, kind), item_id
        n = int(re.search(r"\((\d+)\)", page.select_one(f"#found-{kind}").text).group(1))
        expected = sum(item_id in TEXTS[kind](m) for m in FILES[kind]().values())
        assert n == expected, item_id


def test_search_groups_grids_models_and_metrics_with_counts(client):
    page = soup(client.get("/?q=qwen"))
    headings = [h.get_text(strip=True) for h in page.select("main > h2, main section > h2")]
    assert [re.sub(r" \(\d+\)$", "", h) for h in headings] == ["Grids", "Models", "Metrics"]
    n_models = sum("qwen" in _model_text(m) for m in models_file().values())
    assert headings[1] == f"Models ({n_models})"
    assert len(_found(page, "models")) == min(n_models, 20)
    assert page.select_one(".found-summary a[href='#found-models']").get_text() \
        == f"{n_models} models"
    slugs = {_id(a["href"]) for a in page.select("ul.cards h2 a")}
    assert "r1-distilled" in slugs  # the grids' search is as before


def test_search_lists_the_first_models_and_links_the_rest(client):
    page = soup(client.get("/?q=e"))
    n = sum("e" in _model_text(m) for m in models_file().values())
    assert n > 20
    assert len(_found(page, "models")) == 20
    more = page.select_one("section[aria-labelledby=found-models] p a")
    assert more["href"] == "/models?q=e" and f"All {n} models" in more.get_text()


def test_every_grid_is_still_found_by_its_slug(client):
    for slug in grid_files():
        page = soup(client.get(f"/?q={slug}"))
        assert slug in {_id(a["href"]) for a in page.select("ul.cards h2 a")}, slug


def test_the_header_links_the_indexes_and_the_picker_and_names_its_search(client):
    page = soup(client.get("/?q=aime"))
    nav = {a.get_text(strip=True): a["href"] for a in page.select("header.site nav a")}
    assert (nav["Models"], nav["Metrics"], nav["Compare"]) == ("/models", "/metrics", "/compare")
    searches = page.select("[role=search]")
    names = [s.get("aria-label") for s in searches]
    assert len(searches) == 2 and all(names) and len(set(names)) == 2
    header = page.select_one("header.site form[role=search]")
    assert header["action"] == "/" and header.select_one("input")["name"] == "q"


# --- Compare: the picker ----------------------------------------------------------------------


def _boxes(page) -> list[tuple[str, bool, str]]:
    """The picker's checkboxes: model id, checked, the group's legend."""
    return [(box["value"], box.has_attr("checked"),
             box.find_parent("fieldset").legend.get_text(strip=True))
            for box in page.select("form.picker input[type=checkbox][name=models]")]


def test_the_picker_lists_every_model_once_by_organisation(client):
    response = client.get("/compare")
    assert response.status_code == 200
    boxes = _boxes(soup(response))
    assert sorted(b[0] for b in boxes) == sorted(models_file())
    assert not any(checked for _, checked, _ in boxes)
    for model_id, _, legend in boxes:
        assert legend == models_file()[model_id]["organisation"]


@pytest.mark.parametrize("slug", sorted(grid_files()))
def test_from_a_grid_the_picker_lists_its_models_first(client, slug):
    grid_ids = list(dict.fromkeys(m["id"] for m in grid_files()[slug]["models"]))
    boxes = _boxes(soup(client.get(f"/compare?from={slug}")))
    assert [b[0] for b in boxes[:len(grid_ids)]] == grid_ids
    assert {b[2] for b in boxes[:len(grid_ids)]} == {f"In {grid_files()[slug]['title_en']}"}
    assert sorted(b[0] for b in boxes) == sorted(models_file())


@pytest.mark.parametrize("slug", sorted(grid_files()))
def test_every_grid_row_adds_its_model_to_the_picker(client, slug):
    page = soup(client.get(f"/grids/{slug}?per_page=500"))
    rows = page.select("table.grid tbody tr")
    links = [tr.select_one("th.model a.add-compare") for tr in rows]
    grid_ids = [m["id"] for m in grid_files()[slug]["models"]]
    assert sorted(parse_qs(urlsplit(a["href"]).query)["models"][0] for a in links) \
        == sorted(grid_ids)
    for a in links:
        args = parse_qs(urlsplit(a["href"]).query)
        assert urlsplit(a["href"]).path == "/compare" and args["from"] == [slug]
        picker = client.get(a["href"])
        assert picker.status_code == 200
        boxes = _boxes(soup(picker))
        model_id = args["models"][0]
        assert boxes[0] == (model_id, True, "Chosen (1)")  # chosen first: the baseline
        assert [b[0] for b in boxes].count(model_id) == 1
        note = soup(picker).select_one(".picker-note").get_text(" ", strip=True)
        assert "at least two models" in note and models_file()[model_id]["name"] in note


def test_one_model_is_explained_not_compared(client):
    for url in ("/compare?models=deepseek-r1", "/compare?models=deepseek-r1,"):
        page = soup(client.get(url))
        assert "A comparison needs at least two models" in page.select_one(".picker-note").text
        assert _boxes(page)[0] == ("deepseek-r1", True, "Chosen (1)")


def test_the_picker_form_lands_on_the_comparison(client):
    page = soup(client.get("/compare?models=deepseek-r1&pick=1&q=o1"))
    form = page.select_one("form.picker")
    assert form["method"] == "get" and form["action"] == "/compare"
    boxes = _boxes(page)
    assert all("o1" in _model_text(models_file()[i]) for i, checked, _ in boxes if not checked)
    comparison = client.get("/compare?models=deepseek-r1&models=o1-mini&q=o1")
    assert comparison.status_code == 200
    assert soup(comparison).h1.get_text(" ", strip=True).startswith("Compare DeepSeek-R1")
    change = soup(comparison).select_one(".change-models a")["href"]
    again = _boxes(soup(client.get(change)))
    assert [(b[0], b[1]) for b in again[:2]] == [("deepseek-r1", True), ("o1-mini", True)]


def test_the_pickers_pages_hold_every_model_once_and_its_pager_keeps_the_checks(client):
    per = 10
    first = soup(client.get(f"/compare?models=qwq-32b&per_page={per}"))
    n_pages = -(-len(models_file()) // per)
    assert first.select_one("form.picker nav.pager").get_text(" ", strip=True).startswith(
        f"Page 1 of {n_pages}")
    seen: list[str] = []
    for n in range(1, n_pages + 1):
        page = soup(client.get(f"/compare?models=qwq-32b&per_page={per}&pick={n}"))
        boxes = _boxes(page)
        assert boxes[0] == ("qwq-32b", True, "Chosen (1)")
        seen += [b[0] for b in boxes[1:]]
        seen += ["qwq-32b" for _ in page.select("form.picker .choice.taken")]
        buttons = page.select("form.picker nav.pager button[name=pick]")
        assert {int(b["value"]) for b in buttons} <= set(range(1, n_pages + 1))
        assert page.select_one("form.picker input[name=per_page]")["value"] == str(per)
    assert sorted(seen) == sorted(models_file())  # the chosen one keeps its place, marked
    past = client.get(f"/compare?models=qwq-32b&per_page={per}&pick={n_pages + 1}")
    assert past.status_code == 400


def test_a_chosen_model_of_the_grid_is_marked_in_its_list_not_offered_twice(client):
    page = soup(client.get("/compare?from=r1-distilled&models=qwq-32b"))
    taken = page.select("fieldset.from-grid .choice.taken")
    assert [t.get_text(" ", strip=True) for t in taken] == ["✓ QwQ-32B-Preview chosen above"]
    assert [b[0] for b in _boxes(page)].count("qwq-32b") == 1


def test_the_picker_says_how_many_models_at_most(client):
    text = soup(client.get("/compare")).select_one("p.lede").get_text(" ")
    assert f"two to {MAX_COMPARED} models" in text


def _no_shared(a: str, b: str) -> bool:
    return not (reported()[a] & reported()[b])


def test_every_pair_that_shares_no_metric_is_explained(client):
    pairs = list(itertools.combinations(sorted(models_file()), 2))
    explained = 0
    for a, b in pairs:
        response = client.get(f"/compare?models={a},{b}&per_page=1")
        assert response.status_code == 200, (a, b)
        section = soup(response).select_one("section.no-shared")
        if not _no_shared(a, b):
            assert section is None, (a, b)
            continue
        explained += 1
        assert section is not None, (a, b)
        items = section.select("ul.instead > li")
        assert [_id(li.a["href"]) for li in items] == [a, b]
        for model_id, li in zip((a, b), items, strict=True):
            metrics = reported()[model_id]
            linked = [_id(x["href"]) for x in li.select("a[href^='/metrics/']")]
            assert set(linked) <= metrics and len(linked) == min(len(metrics), 12), model_id
            text = li.get_text(" ", strip=True)
            if metrics:
                assert f"{len(metrics)} metric" in text
            else:
                assert "no number in any report" in text
    assert explained >= 1


# --- Bad arguments --------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "says"), [
    ("/models?sort=size", "sort: sort by one of name, organisation, open, params, grids"),
    ("/metrics?sort=unit", "sort: sort by one of name, benchmark, measure, direction, grids"),
    ("/models?order=up", "order: Must be one of: asc, desc."),
    ("/metrics?order=up", "order: Must be one of: asc, desc."),
    ("/models?page=0", "page: Must be greater than or equal to 1"),
    ("/metrics?per_page=501", "per_page: Must be greater than or equal to 1 and less than"),
    ("/models?q=" + "x" * 201, "q: Longer than maximum length 200."),
    ("/models?page=99", "page: 99 is past the last page, 1"),
    ("/compare?models=DeepSeek-R1", "models: name model ids separated by commas"),
    ("/compare?pick=maybe", "pick: Not a valid integer."),
    ("/compare?pick=2", "pick: 2 is past the last page of models, 1"),
    ("/compare?from=" + "x" * 201, "from: Longer than maximum length 200."),
    ("/compare?models=deepseek-r1,deepseek-r1", "(deepseek-r1 is named more than once)"),
    ("/compare?models=" + ",".join(sorted(models_file())[:MAX_COMPARED + 1]),
     f"compare at most {MAX_COMPARED} models at once"),
])
def test_bad_arguments_are_a_400_that_says_why(client, url, says):
    response = client.get(url)
    assert response.status_code == 400, url
    assert says in soup(response).select_one(".error-message").get_text(strip=True)


@pytest.mark.parametrize(("url", "says"), [
    ("/compare?from=no-such-grid", "There is no grid 'no-such-grid'."),
    ("/compare?models=no-such-model", "There is no model 'no-such-model'."),
    ("/compare?models=deepseek-r1,no-such-model", "There is no model 'no-such-model'."),
])
def test_what_names_nothing_is_a_404(client, url, says):
    response = client.get(url)
    assert response.status_code == 404
    assert soup(response).select_one(".error-message").get_text(strip=True) == says


def test_names_from_the_data_are_escaped_on_every_finding_page(data_copy):
    from leaderboard import create_app

    models = data_copy / "models.yaml"
    text = models.read_text(encoding="utf-8").replace(
        "name: QwQ-32B-Preview\n", "name: '<script>alert(1)</script>\"><img src=x>'\n")
    models.write_text(text, encoding="utf-8")
    client = create_app({"DATA_DIR": str(data_copy)}).test_client()
    for url in ("/models", "/models?q=qwq", "/?q=qwq", "/compare", "/compare?models=qwq-32b",
                "/compare?from=r1-distilled", "/grids/r1-distilled"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in body and "<img src=x" not in body, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url
