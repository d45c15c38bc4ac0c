"""/conflicts, /conflicts.csv and /api/conflicts' filters: the conflicts the README lists."""

import csv
import io
import re
import shutil
import string
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import DATA_DIR, label_of, soup
from hostile import LIVE, PUBLISHER, make_hostile
from hypothesis import given
from hypothesis import strategies as st

from leaderboard import create_app

# The README's "Conflicts" section, place by place: (where, what is printed there).
R1_PRICE = ("DeepSeek-R1", "API output price", {("表4, p. 27", "3.29"), ("正文, p. 11", "2.19")})
V3_COST = ("DeepSeek-V3", "Training cost",
           {("表4, p. 27", "557.6 万美元"), ("正文, p. 8", "557 万美元")})
# 表4 prints '-' (not reported) for R1's training cost: a place too, shown as "—", no value.
R1_COST = ("DeepSeek-R1", "Training cost",
           {("正文, p. 4", "600 万美元"), ("正文, p. 5", "557.6 万美元"), ("表4, p. 27", "—")})
# Spreads in the metric's unit: 3.29 − 2.19; 557.6 − 557 万 USD; 600 − 557.6 万 USD.
SPREAD = {R1_PRICE[:2]: "1.1USD per 1M tokens", V3_COST[:2]: "6,000USD", R1_COST[:2]: "424,000USD"}

SPREAD_VALUE = {R1_PRICE[:2]: 1.1, V3_COST[:2]: 6000, R1_COST[:2]: 424000}

SORTS = {
    "model": [R1_PRICE, R1_COST, V3_COST],
    "-model": [V3_COST, R1_COST, R1_PRICE],
    "metric": [R1_PRICE, R1_COST, V3_COST],
    "-metric": [V3_COST, R1_COST, R1_PRICE],
    "spread": [R1_PRICE, V3_COST, R1_COST],
    "-spread": [R1_COST, V3_COST, R1_PRICE],
}
BROKER_REPORTS = {"galaxy-2025-02-deepseek", "tianfeng-2025-02-asic"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The bundled data as the two broker reports print it: grids from other sources (READMEs,
    papers, being added) left out, so the README's three conflicts are all there is."""
    target = tmp_path_factory.mktemp("reports") / "benchmarks"
    shutil.copytree(DATA_DIR, target)
    for path in (target / "grids").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if yaml.safe_load(text)["source"]["report"] not in BROKER_REPORTS:
            path.unlink()
            path.with_suffix(".csv").unlink()
        else:  # the grid a report reprints (a paper's table) is left out
            path.write_text(re.sub(r"^follows:.*\n", "", text, flags=re.MULTILINE),
                            encoding="utf-8")
    return create_app({"TESTING": True, "DATA_DIR": str(target)}).test_client()


def shown(td):
    """What a value cell shows: the printed text, or — for a place that does not report it."""
    return "—" if td.select_one(".missing") else " ".join(td.get_text().split())


def page_rows(response):
    """The conflicts a page lists: (model, metric, {(where, printed)}, spread, places)."""
    assert response.status_code == 200
    rows = []
    for group in soup(response).select("table.conflicts tbody.conflict-group"):
        places = {(tr.select_one("td.where a").get_text(strip=True),
                   shown(tr.select_one("td.printed"))) for tr in group.select("tr")}
        rows.append((group.select_one("th.model a").get_text(strip=True),
                     group.select_one("td.metric a").get_text(strip=True), places,
                     group.select_one("td.spread").get_text(strip=True),
                     int(group.select_one("td.n-places").get_text(strip=True))))
    return rows


def expected(*conflicts):
    """Page rows for README conflicts: each README figure is in what its place prints."""
    return [(model, metric, places, SPREAD[model, metric], len(places))
            for model, metric, places in conflicts]


README = {c[:2] for c in (R1_PRICE, V3_COST, R1_COST)}


def matches(rows, conflicts):
    """Whether page rows, those of the README's conflicts, are `conflicts` in this order: the
    same places, each README figure in what its place prints. Other conflicts (a value against
    a '-', once that counts) are left to the tests that filter and sort every row."""
    rows = [r for r in rows if r[:2] in README]
    want = expected(*conflicts)
    if len(rows) != len(want):
        return False
    for got, exp in zip(rows, want, strict=True):
        wheres = {w: p for w, p in got[2]}
        if got[:2] != exp[:2] or got[3:] != exp[3:] or set(wheres) != {w for w, _ in exp[2]}:
            return False
        if not all(figure in wheres[w] for w, figure in exp[2]):
            return False
    return True


def test_conflicts_page_lists_the_readme_conflicts(reports):
    response = reports.get("/conflicts")
    assert response.headers["Content-Type"].startswith("text/html")
    rows = page_rows(response)
    assert matches(rows, SORTS["model"]), rows
    page = soup(response)
    assert f"{len(rows)} of {len(rows)} conflicts" in page.select_one("p.count").get_text()
    first = page.select_one("tbody.conflict-group")
    assert first.select_one("th.model a")["href"] == "/models/deepseek-r1"
    assert first.select_one("td.metric a")["href"] == "/metrics/api-output-price"
    links = {a.get_text(strip=True): a["href"] for a in first.select("td.where a")}
    assert links == {"表4, p. 27": "/grids/cost-and-scale", "正文, p. 11": "/grids/api-pricing"}
    where = first.select_one("td.where")
    assert "中国银河证券研究院" in where["title"] and "2025-02-03" in where["title"]
    assert "DeepSeek：技术颠覆 or 创新共赢" in where.get_text()
    notes = [td.get_text(strip=True) for td in first.select("td.note")]
    assert any("3.29" in n for n in notes) and any("2.19" in n for n in notes)


def test_bundled_data_has_the_readme_conflicts(client):
    """Whatever else the data holds, the README's three are listed with their places."""
    rows = page_rows(client.get("/conflicts"))
    for model, metric, places in SORTS["model"]:
        row = next(r for r in rows if r[:2] == (model, metric))
        wheres = dict(row[2])
        assert all(figure in wheres[w] for w, figure in places), row


def spread_of(text):
    """The number a spread cell shows (its unit after it), or '—' for none."""
    number = re.match(r"[\d,.]+", text)
    return float(number[0].replace(",", "")) if number else text


@pytest.mark.parametrize("sort", list(SORTS))
def test_sorting(reports, sort):
    response = reports.get(f"/conflicts?sort={sort}")
    rows = page_rows(response)
    assert matches(rows, SORTS[sort])
    key = sort.lstrip("-")
    column = {"model": 0, "metric": 1, "spread": 3}[key]
    values = [spread_of(r[3]) if key == "spread" else r[column].casefold() for r in rows]
    assert [spread_of(SPREAD[k]) for k in SPREAD] == [SPREAD_VALUE[k] for k in SPREAD]
    known = [v for v in values if v != "—"]
    assert known == sorted(known, reverse=sort.startswith("-"))
    assert values == known + ["—"] * (len(values) - len(known))  # no spread: last either way
    header = soup(response).select_one("thead th[aria-sort]")
    assert header["aria-sort"] == ("descending" if sort.startswith("-") else "ascending")
    assert header.get_text(strip=True).lower().startswith(key)


@pytest.mark.parametrize(("sort", "links"), [
    ("model", {"Model": "-model", "Metric": "metric", "Spread": "-spread"}),
    ("-model", {"Model": "model", "Metric": "metric", "Spread": "-spread"}),
    ("-spread", {"Model": "model", "Metric": "metric", "Spread": "spread"}),
    ("metric", {"Model": "model", "Metric": "-metric", "Spread": "-spread"}),
])
def test_sort_links_flip_the_current_key(reports, sort, links):
    page = soup(reports.get(f"/conflicts?sort={sort}&model=deepseek-r1"))
    got = {label_of(a): urlsplit(a["href"])
           for a in page.select("thead th a")}
    assert {name: (url.path, parse_qs(url.query)) for name, url in got.items()} == {
        name: ("/conflicts", {"model": ["deepseek-r1"], "sort": [key]})
        for name, key in links.items()}


@pytest.mark.parametrize(("query", "conflicts"), [
    ("model=deepseek-r1", [R1_PRICE, R1_COST]),
    ("model=deepseek-v3", [V3_COST]),
    ("metric=training-cost", [R1_COST, V3_COST]),
    ("metric=api-output-price", [R1_PRICE]),
    ("model=deepseek-r1&metric=training-cost", [R1_COST]),
    ("kind=broker-report", [R1_PRICE, R1_COST, V3_COST]),
    ("q=v3", [V3_COST]),
    ("q=PRICE", [R1_PRICE]),
    ("q=training&sort=-spread", [R1_COST, V3_COST]),
    ("q=deepseek-r1", [R1_PRICE, R1_COST]),  # ids count too
    ("model=qwq-32b", []),  # a model with no conflict: none
    ("q=nothing-like-this", []),
    ("model=&metric=&kind=&q=", [R1_PRICE, R1_COST, V3_COST]),  # blank is absent
])
def test_filters(reports, query, conflicts):
    response = reports.get(f"/conflicts?{query}")
    rows = page_rows(response)
    assert matches(rows, conflicts)
    names = {"model=deepseek-r1": "DeepSeek-R1", "model=deepseek-v3": "DeepSeek-V3"}
    if query in names:
        assert {r[0] for r in rows} == {names[query]}
    if query.startswith("metric="):
        assert {r[1] for r in rows} == {c[1] for c in conflicts}
    if not rows:
        text = soup(response).select_one("table.conflicts").get_text(" ", strip=True)
        assert "No conflict matches these filters" in text


@pytest.mark.parametrize(("query", "message"), [
    ("model=nope", "There is no model 'nope'."),
    ("metric=nope", "There is no metric 'nope'."),
    ("kind=newspaper", "There is no kind of report 'newspaper'."),
])
@pytest.mark.parametrize("path", ["/conflicts", "/conflicts.csv"])
def test_unknown_filter_is_a_404_page(reports, path, query, message):
    response = reports.get(f"{path}?{query}")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert message in soup(response).get_text()


SORT_ERROR = "sort: sort by model, metric or spread, with - before it for descending, e.g. sort=-spread"


@pytest.mark.parametrize(("query", "message"), [
    ("sort=rank", SORT_ERROR),
    ("sort=--model", SORT_ERROR),
    ("q=" + "x" * 201, "q: Longer than maximum length 200."),
    ("model=" + "m" * 201, "model: Longer than maximum length 200."),
])
def test_bad_arguments_are_a_400_page(reports, query, message):
    response = reports.get(f"/conflicts?{query}")
    assert response.status_code == 400
    assert soup(response).select_one(".error-message").get_text(strip=True) == message


V3_CSV = (
    "\ufeffmodel,model_name,metric,metric_name,unit,grid,printed,value,report,report_title,"
    "publisher,date,label,page,where,note\r\n"
    "deepseek-v3,DeepSeek-V3,training-cost,Training cost,USD,cost-and-scale,557.6 万美元,5576000.0,"
    "galaxy-2025-02-deepseek,DeepSeek：技术颠覆 or 创新共赢,中国银河证券研究院,2025-02-03,表4,27,"
    '"表4, p. 27",\r\n'
    "deepseek-v3,DeepSeek-V3,training-cost,Training cost,USD,text-figures,557 万美元,5570000.0,"
    "galaxy-2025-02-deepseek,DeepSeek：技术颠覆 or 创新共赢,中国银河证券研究院,2025-02-03,正文,8,"
    '"正文, p. 8",训练成本仅为 557 万美元\r\n'
)


def test_csv_exact(reports):
    response = reports.get("/conflicts.csv?model=deepseek-v3&metric=training-cost")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="conflicts_deepseek-v3_training-cost.csv"')
    assert response.headers["X-Data-Version"]
    assert response.get_data().decode("utf-8") == V3_CSV


def csv_rows(response):
    """The CSV's places grouped as the page groups them: (model, metric, {(where, printed)})."""
    assert response.status_code == 200
    groups = []
    for r in csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))):
        key = (r["model_name"], r["metric_name"])
        if not groups or groups[-1][0] != key:
            groups.append((key, set()))
        groups[-1][1].add((r["where"], "—" if r["printed"] == "-" else r["printed"]))
    return [(*key, places) for key, places in groups]


@pytest.mark.parametrize("query", [
    "", "sort=-spread", "sort=metric", "sort=-model", "model=deepseek-r1", "metric=training-cost",
    "kind=broker-report&sort=spread", "q=v3", "q=nothing-like-this",
])
def test_csv_holds_the_pages_rows(reports, query):
    page = [row[:3] for row in page_rows(reports.get(f"/conflicts?{query}"))]
    assert csv_rows(reports.get(f"/conflicts.csv?{query}")) == page


@pytest.mark.parametrize(("query", "filename"), [
    ("", "conflicts.csv"),
    ("sort=-spread", "conflicts_sorted-by-spread-desc.csv"),
    ("sort=metric&model=deepseek-r1", "conflicts_deepseek-r1_sorted-by-metric.csv"),
    ("metric=training-cost&kind=broker-report&q=v3", "conflicts_training-cost_broker-report_filtered.csv"),
])
def test_csv_file_name_says_what_it_holds(reports, query, filename):
    response = reports.get(f"/conflicts.csv?{query}")
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_page_links_its_csv_and_json_with_its_arguments(reports):
    page = soup(reports.get("/conflicts?model=deepseek-r1&sort=-spread&q=cost&utm=x"))
    hrefs = [a["href"] for a in page.select("p.downloads a")]
    assert hrefs == ["/conflicts.csv?model=deepseek-r1&sort=-spread&q=cost",
                     "/api/conflicts?model=deepseek-r1"]


def test_nav_links_the_page(client):
    nav = soup(client.get("/")).select_one("header.site nav")
    assert "/conflicts" in [a["href"] for a in nav.select("a")]


KEYS = {("DeepSeek-R1", "API output price"): ("deepseek-r1", "api-output-price"),
        ("DeepSeek-R1", "Training cost"): ("deepseek-r1", "training-cost"),
        ("DeepSeek-V3", "Training cost"): ("deepseek-v3", "training-cost")}


def api_keys(response):
    """The README's conflicts the API lists, in its order."""
    assert response.status_code == 200
    readme = set(KEYS.values())
    return [(c["model"], c["metric"]) for c in response.json if (c["model"], c["metric"]) in readme]


@pytest.mark.parametrize(("query", "keys"), [
    ("", [("deepseek-r1", "api-output-price"), ("deepseek-r1", "training-cost"),
          ("deepseek-v3", "training-cost")]),
    ("model=deepseek-v3", [("deepseek-v3", "training-cost")]),
    ("metric=api-output-price", [("deepseek-r1", "api-output-price")]),
    ("model=deepseek-r1&metric=training-cost", [("deepseek-r1", "training-cost")]),
    ("kind=broker-report", [("deepseek-r1", "api-output-price"), ("deepseek-r1", "training-cost"),
                            ("deepseek-v3", "training-cost")]),
    ("model=qwq-32b", []),
    ("q=v3&sort=x", [("deepseek-r1", "api-output-price"), ("deepseek-r1", "training-cost"),
                     ("deepseek-v3", "training-cost")]),  # the API reads neither
])
def test_api_filters(reports, query, keys):
    response = reports.get(f"/api/conflicts?{query}")
    assert api_keys(response) == keys
    filters = dict(pair.split("=") for pair in query.split("&") if pair)
    for c in response.json:
        assert c["model"] == filters.get("model", c["model"])
        assert c["metric"] == filters.get("metric", c["metric"])
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_api_keeps_every_observation(reports):
    """The API lists every place the cell is printed, a '-' that gives no value included."""
    (r1_cost,) = reports.get("/api/conflicts?model=deepseek-r1&metric=training-cost").json
    assert sorted((o["source"]["label"], o["source"]["page"], o["printed"])
                  for o in r1_cost["observations"]) == [
        ("正文", 4, "600 万美元"), ("正文", 5, "557.6 万美元"), ("表4", 27, "-")]


@pytest.mark.parametrize(("query", "message"), [
    ("model=nope", "There is no model 'nope'. Models: "),
    ("metric=nope", "There is no metric 'nope'. Metrics: "),
    ("kind=newspaper", "There is no kind of report 'newspaper'. Kinds of report: broker-report"),
])
def test_api_unknown_filter_is_a_404(reports, query, message):
    response = reports.get(f"/api/conflicts?{query}")
    assert response.status_code == 404
    assert response.json["message"].startswith(message)


def test_api_documents_the_filters(reports):
    operation = reports.get("/api/openapi.json").json["paths"]["/api/conflicts"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert set(params) == {"model", "metric", "kind", "page", "per_page"}
    assert all(p["in"] == "query" and p["description"] for p in params.values())
    assert "404" in operation["responses"]


# --- Hostile data -------------------------------------------------------------------------

NOTE = "=cmd|' /C calc'!A0 <script>alert(9)</script>"
NAME = "@SUM(1+1)<img src=x onerror=alert(8)>"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """tests/hostile.py's data, and hostile text in a conflict's note and model name too."""
    target = make_hostile(DATA_DIR, tmp_path_factory.mktemp("hostile") / "benchmarks")
    cells = target / "grids" / "text-figures.csv"
    text = cells.read_text(encoding="utf-8")
    assert "训练成本仅为 557 万美元" in text
    cells.write_text(text.replace("训练成本仅为 557 万美元", '"' + NOTE.replace('"', '""') + '"'),
                     encoding="utf-8")
    models = target / "models.yaml"
    text = models.read_text(encoding="utf-8")
    models.write_text(text.replace("  name: DeepSeek-V3\n", f"  name: '{NAME}'\n", 1),
                      encoding="utf-8")
    return create_app({"DATA_DIR": str(target)}).test_client()


@pytest.mark.parametrize("url", ["/conflicts", "/conflicts?sort=-spread&q=%3Cscript%3E",
                                 "/conflicts?model=deepseek-v3"])
def test_hostile_text_is_inert_on_the_page(hostile, url):
    response = hostile.get(url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for live in [*LIVE, "<script>alert(9)", "<img src=x onerror=alert(8)"]:
        assert live not in body
    if "q=" not in url:
        assert "&lt;script&gt;alert(9)&lt;/script&gt;" in body
        page = soup(response)
        assert NAME in [a.get_text() for a in page.select("th.model a")]
        assert any(PUBLISHER in s.get_text() for s in page.select("td.where small"))


def test_hostile_csv_neutralises_formulas(hostile):
    rows = list(csv.DictReader(io.StringIO(
        hostile.get("/conflicts.csv").get_data().decode("utf-8-sig"))))
    assert rows
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value
    v3 = [r for r in rows if r["model"] == "deepseek-v3"]
    assert {r["model_name"] for r in v3} == {"'" + NAME}
    assert "'" + NOTE in [r["note"] for r in v3]
    galaxy = [r for r in rows if r["report"] == "galaxy-2025-02-deepseek"]  # its title is hostile
    assert galaxy and all(r["report_title"].startswith("'=HYPERLINK(") for r in galaxy)


# --- Fuzzed query strings -----------------------------------------------------------------

IDS = ["deepseek-r1", "deepseek-v3", "training-cost", "api-output-price", "broker-report",
       "readme", "paper", "nope"]
VALUES = st.one_of(
    st.sampled_from(IDS), st.just(""),
    st.tuples(st.sampled_from(["", "-", "+", "--"]),
              st.sampled_from(["model", "metric", "spread", "rank"])).map("".join),
    st.text(string.printable + "中—\u202e\x00", max_size=40),
)
NAMES = st.sampled_from(["model", "metric", "kind", "q", "sort", "sort[]", "unknown"])


@pytest.mark.parametrize("path", ["/conflicts", "/conflicts.csv", "/api/conflicts"])
@given(query=st.lists(st.tuples(NAMES, VALUES), max_size=6))
def test_fuzzed_query_strings_never_500(client, path, query):
    response = client.get(path, query_string=query)
    assert response.status_code in (200, 400, 404), (path, query)
    assert b"Traceback" not in response.data


def test_conflicts_come_a_page_at_a_time(client):
    """14 conflicts, 5 a page: three pages, in the page's order, and the API's pages alike."""
    whole = [(r["model"], r["metric"]) for r in client.get("/api/conflicts").json]
    assert len(whole) == 14
    paged, pages = [], []
    for page in (1, 2, 3):
        response = client.get(f"/api/conflicts?per_page=5&page={page}")
        assert response.headers["X-Total-Count"] == "14"
        paged += [(r["model"], r["metric"]) for r in response.json]
        html = soup(client.get(f"/conflicts?per_page=5&page={page}"))
        pages.append(len(html.select("table tbody th[scope=rowgroup]")))
        assert f"Page {page} of 3" in html.select_one(".pager").get_text()
    assert paged == whole and pages == [5, 5, 4]
    assert client.get("/api/conflicts?per_page=5&page=4").json == []
    assert client.get("/conflicts?per_page=5&page=4").status_code == 400
    assert "14 of 14 conflicts (rows 6–10 shown)" in soup(
        client.get("/conflicts?per_page=5&page=2")).select_one(".count").get_text()
