"""Every renderer of one grid view shows the same rows, in the same order, with the same numbers.

For every bundled grid and a set of its views (the report's order; sorted by up to three ranked
metrics; each model as the baseline, with averages and a sort; sorted by each average, the
overall one both ways; a text filter that keeps some rows; a subset of the columns in another
order; a second page), the page, its CSV, XLSX and
JSON, the API and the chart specs are fetched and held to one another: row order and ranks,
every cell's printed text and value, diffs, verdict counts, averages. The view's `.json` is the
reference the other formats are compared with. Where a number must not come from the code under
test, it is computed from the data files (test_a_diff_is_the_printed_numbers_difference).
"""

import csv
import io
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from urllib.parse import urlencode

import pytest
import yaml
from conftest import DATA_DIR, grid_rows, printed, soup
from openpyxl import load_workbook

from leaderboard.data import load

DS = load(DATA_DIR)
GRIDS = list(DS.grids)
MINUS = "\u2212"
NOT_REPORTED = "-"  # printed in a report's cell for "not reported"
MISSING = "—"  # what the page shows for it, and where the report prints nothing
# The rows and columns each chart draws (the first of the view's order): charts.CHART_ROWS.
HEATMAP_ROWS, HEATMAP_COLUMNS, BAR_ROWS, DIFF_ROWS = 40, 30, 30, 9
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")  # as the XLSX writes a number (exports._NUMBER)
WORD = re.compile(r"[^\W_]{2,}")


def data_cells(slug):
    """A grid's cells as its data files give them: (model id, metric id, printed, value text)."""
    path = DATA_DIR / "grids" / slug
    grid = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
    models = {m["label"]: m["id"] for m in grid["models"]}
    metrics = {m["label"]: m["id"] for m in grid["metrics"]}
    with path.with_suffix(".csv").open(encoding="utf-8-sig", newline="") as f:
        return [(models[r["model"]], metrics[r["metric"]], r["printed"], r["value"])
                for r in csv.DictReader(f)]


def valueless():
    """Cells printed with words but no number the data could read (a range, '15 亿-70 亿'):
    stated, not "not reported", and without a value. (grid, metric) -> {model: printed}."""
    out: dict = {}
    for slug in DS.grids:
        for model, metric, shown_there, value in data_cells(slug):
            if shown_there not in ("", NOT_REPORTED) and value == "":
                out.setdefault((slug, metric), {})[model] = shown_there
    return out


VALUELESS = valueless()


def metric_type(metric):
    return DS.metrics.at[metric, "type"]


def ranked(grid):
    """The grid's metrics with a rank: numbers with a direction."""
    return [m.id for m in grid.metrics
            if metric_type(m.id) == "number" and DS.metrics.at[m.id, "higher_is_better"] is not None]


def average_ids(grid):
    """The sort keys of a grid's averages, from metrics.yaml: 'average' over its ranked metrics,
    then 'average:<category>' for each of their categories when there are two or more."""
    categories = dict.fromkeys(DS.metrics.at[m.id, "category"] for m in grid.metrics
                               if DS.metrics.at[m.id, "higher_is_better"] is not None)
    if not categories:
        return ["average"]
    return ["average"] + ([f"average:{c.lower()}" for c in categories] if len(categories) > 1
                          else [])


def model_text(grid, model):
    """What the text filter `q` searches: the model's name, its label here, its organisation."""
    label = next(m.label for m in grid.models if m.id == model)
    return f"{DS.models.at[model, 'name']} {label} {DS.models.at[model, 'organisation']}".casefold()


def keeps(grid, q, model):
    return q.casefold() in model_text(grid, model)


def some_rows(grid):
    """A word of a model's label that the text filter keeps some of the grid's rows for."""
    models = [m.id for m in grid.models]
    for m in grid.models:
        for word in WORD.findall(m.label):
            if 0 < sum(keeps(grid, word, model) for model in models) < len(models):
                return word
    raise AssertionError(f"no word of a label of {grid.slug} filters its rows")


def views(slug):
    """The views of one grid the sweep renders, each a (name, query) pair."""
    grid = DS.grids[slug]
    models, metrics, sorts = [m.id for m in grid.models], [m.id for m in grid.metrics], ranked(grid)
    out = [("default", {})]
    for i, (metric, order) in enumerate(zip(sorts[:3], ({}, {"order": "asc"}, {}), strict=False)):
        out.append((f"sort-{i}", {"sort": "-" + metric if i == 2 else metric, **order}))
    keys = sorts or ["model"]
    for i, model in enumerate(models):
        order = {"order": "asc"} if i % 2 else {}
        out.append((f"baseline-{i}", {"baseline": model, "average": "yes",
                                      "sort": keys[i % len(keys)], **order}))
    for i, average in enumerate(average_ids(grid)):
        out.append((f"by-{average}", {"sort": average, **({"order": "asc"} if i % 2 else {})}))
    out.append(("by-average-asc", {"sort": "average", "order": "asc", "q": some_rows(grid)}))
    out.append(("q", {"q": some_rows(grid)}))
    out.append(("metrics", {"metrics": ",".join(reversed(metrics[:3])), "baseline": models[-1]}))
    if len(models) > 2:
        out.append(("page-2", {"sort": keys[0], "per_page": 2, "page": 2}))
    return [(name, tuple(query.items())) for name, query in out]


VIEWS = [pytest.param(slug, query, id=f"{slug}-{name}") for slug in GRIDS
         for name, query in views(slug)]
BASELINES = [p for p in VIEWS if "baseline" in dict(p.values[1])]
# The heatmap draws neither diffs nor averages (a baseline changes nothing in it) and always its
# first page: the views without a baseline that differ in what it draws.
HEATMAPS = list({
    (p.values[0], tuple((k, v) for k, v in p.values[1] if k in ("sort", "order", "q", "metrics"))): p
    for p in VIEWS if p not in BASELINES}.values())


def bars(slug):
    """The bar charts the sweep reads: each of up to 3 ranked metrics and the first number
    column, each for the whole grid and with the text filter (the bar chart sorts by its metric
    and shows it alone, whatever the view's sort and columns)."""
    grid = DS.grids[slug]
    numbers = [m.id for m in grid.metrics if metric_type(m.id) == "number"]
    q = some_rows(grid)
    for metric in dict.fromkeys(ranked(grid)[:3] + numbers[:1]):
        for query in ((), (("q", q),)):
            yield pytest.param(slug, query, metric,
                               id=f"{slug}-bar-{metric}{'-q' if query else ''}")


BARS = [p for slug in GRIDS for p in bars(slug)]


# --- Fetching and reading every format, once per view ----------------------------------


@pytest.fixture(scope="module")
def get(app):
    """GET a URL with a query (a tuple of pairs) once per module, asserting a 200."""
    client = app.test_client()

    @cache
    def fetch(path, query=()):
        response = client.get(f"{path}?{urlencode(query)}")
        assert response.status_code == 200, (path, query, response.get_data(as_text=True)[:300])
        return response

    return fetch


def read_csv(response):
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response):
    book = load_workbook(io.BytesIO(response.get_data()))
    assert len(book.worksheets) == 1
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def page_rows(page):
    """The page's rows: (rank, label, the vs-baseline summary, the metric cells and average)."""
    summaries = [tr.select_one("td.summary") for tr in page.select("table.grid tbody tr")]
    return [(rank, label, None if summary is None else summary.get_text(" ", strip=True), cells)
            for (rank, label, cells), summary in zip(grid_rows(page), summaries, strict=True)]


@pytest.fixture(scope="module")
def renders(get):
    """Every format of one view, read: page, CSV, XLSX (header, rows, the two lines below), the
    view's JSON and the API's answer."""

    @cache
    def read(slug, query):
        page = soup(get(f"/grids/{slug}", query))
        csv_header, *csv_lines = read_csv(get(f"/grids/{slug}.csv", query))
        xlsx = read_xlsx(get(f"/grids/{slug}.xlsx", query))
        return {
            "page": page_rows(page),
            "aria_sort": [(th.a.get_text(" ", strip=True), th["aria-sort"])
                          for th in page.select("table.grid thead th[aria-sort]")],
            "citation": page.select_one("figcaption.source-line").get_text().strip(),
            "csv": (csv_header, csv_lines),
            "xlsx": (xlsx[0], xlsx[1:-2], xlsx[-2:]),
            "json": get(f"/grids/{slug}.json", query).json,
            "api": get(f"/api/grids/{slug}", query).json,
        }

    return read


def unpaged(query, **changes):
    """The same view on one page, with some arguments changed (None removes one)."""
    args = {k: v for k, v in query if k not in ("page", "per_page")}
    args.update(changes)
    return tuple((k, v) for k, v in args.items() if v is not None)


# --- What each format should show, from the view's JSON --------------------------------


def header(doc):
    """The CSV and XLSX columns of a view (exports.view_header), from its JSON."""
    out = ["Rank"] if doc["ranked_by"] else []
    out.append("Model")
    base = doc["baseline"] and doc["baseline"]["name"]
    if base:
        out += [f"Better than {base}", "Worse", "Level"]
    for average in doc["averages"]:
        out += [f"{average['label']} (0-100)", f"{average['label']} covers (metrics)"]
    for c in doc["columns"]:
        out.append(f"{c['label']} ({c['unit']})")
        if base:
            out += [f"{c['label']} vs {base}: difference ({c['unit']})",
                    f"{c['label']} vs {base}: difference (% of {base})"]
    return out


def entries(doc, row):
    """A JSON row in the CSV's columns: (what the column holds, its value, the cell or None)."""
    out = [("rank", row["rank"], None)] if doc["ranked_by"] else []
    out.append(("model", row["label"], None))
    if doc["baseline"]:
        verdicts = row["verdicts"] or {}
        out += [(k, verdicts.get(k), None) for k in ("better", "worse", "level")]
    for average in averages_of(doc, row):
        out += [("average", average["score"], None), ("covered", average["covered"], None)]
    for cell in row["cells"]:
        out.append(("value", cell["value"], cell))
        if doc["baseline"]:
            diff = cell["diff"] or {}
            out += [("points", diff.get("points"), cell), ("percent", diff.get("percent"), cell)]
    return out


def averages_of(doc, row):
    """A JSON row's averages: every category's, then each one's (none without averages)."""
    if not doc["average"]:
        return []
    found = [row["average"], *row["category_averages"]]
    assert [a["category"] for a in found] == [a["category"] for a in doc["averages"]]
    return found


def csv_text(value):
    """How the CSV writes a JSON value: numbers as Python prints them, no noise added."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def xlsx_plain(cell):
    """Whether the XLSX writes this cell's value itself: a number printed as a plain number, or
    nothing stated. (Elsewhere it writes the printed text: test_xlsx_holds_the_values.)"""
    value, shown = cell["value"], cell["printed"]
    if shown is None:
        return value is None
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and PLAIN_NUMBER.fullmatch(shown) is not None)


def blank(value):
    return None if value == "" else value


def columns_of(lines, doc, kinds, xlsx=False):
    """(what a download shows, what the JSON says) in the columns holding `kinds`, for the
    download's lines of the page the JSON holds (the CSV and XLSX are every page)."""
    start = first_line(doc)
    lines = lines[start:start + len(doc["rows"])]
    got, want = [], []
    for line, row in zip(lines, doc["rows"], strict=True):
        for text, (kind, value, cell) in zip(line, entries(doc, row), strict=True):
            if kind not in kinds or (xlsx and kind == "value" and not xlsx_plain(cell)):
                continue
            got.append(blank(text) if xlsx else text)
            want.append(value if xlsx else csv_text(value))
    return got, want


def first_line(doc):
    """The line of the CSV and XLSX (every page) that the JSON's first row is on."""
    return (doc["page"] - 1) * doc["per_page"] if doc["per_page"] else 0


def page_lines(lines, doc):
    """A download's lines for the page the JSON holds."""
    start = first_line(doc)
    return lines[start:start + len(doc["rows"])]


def signed(value, places=None):
    """The page's signed number: to `places` decimals, else at most two with trailing zeros
    cut; U+2212 for minus; ±0."""
    if value == 0:
        return "±0"
    text = f"{abs(value):,.2f}".rstrip("0").rstrip(".") if places is None else f"{abs(value):,.{places}f}"
    return ("+" if value > 0 else MINUS) + text


def diff_text(diff):
    """The page's diff: the points to the decimals they are rounded to, the percentage to one."""
    points = signed(diff["points"], diff["decimals"])
    return points if diff["percent"] is None else f"{points} ({signed(diff['percent'], 1)}%)"


def shown(cell):
    """What the page shows for a JSON cell."""
    return MISSING if cell["printed"] in (None, NOT_REPORTED) else cell["printed"]


def spec_data(spec):
    """The rows of a Vega-Lite spec's one dataset; none for a chart that says it has no data
    (charts.no_data: one row of text)."""
    (data,) = spec["datasets"].values()
    return [] if [list(d) for d in data] == [["text"]] else data


# --- The sweep -------------------------------------------------------------------------


@pytest.mark.parametrize(("slug", "query"), VIEWS)
def test_row_order_and_ranks_agree(renders, slug, query):
    r = renders(slug, query)
    doc = r["json"]
    (csv_header, csv_lines), (xlsx_header, xlsx_lines, below) = r["csv"], r["xlsx"]
    assert csv_header == xlsx_header == header(doc)
    model = csv_header.index("Model")
    labels = [line[model] for line in csv_lines]
    assert labels == [line[model] for line in xlsx_lines]
    assert len(labels) == doc["n_visible"] > 0
    here = page_lines(labels, doc)
    assert here and [row["label"] for row in doc["rows"]] == here
    assert [label for _, label, _, _ in r["page"]] == here
    assert [row["label"] for row in r["api"]["rows"]] == here
    ranks = [row["rank"] for row in doc["rows"]]
    if doc["ranked_by"]:
        assert [rank for rank, _, _, _ in r["page"]] == [
            MISSING if rank is None else str(rank) for rank in ranks]
        assert page_lines([line[0] for line in csv_lines], doc) == [csv_text(k) for k in ranks]
        assert page_lines([line[0] for line in xlsx_lines], doc) == ranks
    else:
        assert ranks == [None] * len(ranks)
        assert {rank for rank, _, _, _ in r["page"]} == {None}
    assert below == [[None] * len(xlsx_header), [r["citation"]] + [None] * (len(xlsx_header) - 1)]


@pytest.mark.parametrize(("slug", "query"), VIEWS)
def test_cells_agree(renders, slug, query):
    r = renders(slug, query)
    doc = r["json"]
    cut = len(doc["averages"])  # the page's averages come before the metrics
    for (_, label, _, tds), row in zip(r["page"], doc["rows"], strict=True):
        assert len(tds) == cut + len(row["cells"]) == cut + len(doc["columns"]), label
        for td, cell in zip(tds[cut:], row["cells"], strict=True):
            where = (label, cell["metric"])
            assert printed(td) == shown(cell), where
            assert (td.find("strong") is not None) == cell["bold"], where
            assert (td.select_one(".best-mark") is not None) == cell["best"], where
    got, want = columns_of(r["csv"][1], doc, {"value"})
    assert got == want
    got, want = columns_of(r["xlsx"][1], doc, {"value"}, xlsx=True)
    assert got == want


@pytest.mark.parametrize(("slug", "query"), VIEWS)
def test_diffs_agree(renders, slug, query):
    r = renders(slug, query)
    doc = r["json"]
    got, want = columns_of(r["csv"][1], doc, {"points", "percent"})
    assert got == want
    got, want = columns_of(r["xlsx"][1], doc, {"points", "percent"}, xlsx=True)
    assert got == want
    cut = len(doc["averages"])
    for (_, label, _, tds), row in zip(r["page"], doc["rows"], strict=True):
        for td, cell in zip(tds[cut:], row["cells"], strict=True):
            span, diff = td.select_one(".diff"), cell["diff"]
            if diff is None:
                assert span is None, (label, cell["metric"])
                continue
            text = "".join(span.find_all(string=True, recursive=False)).strip()
            assert text == diff_text(diff), (label, cell["metric"])
            assert span["class"] == ["diff", diff["verdict"] or "neutral"], (label, cell["metric"])


@pytest.mark.parametrize(("slug", "query"), VIEWS)
def test_verdicts_and_averages_agree(renders, slug, query):
    r = renders(slug, query)
    doc = r["json"]
    summaries = [summary for _, _, summary, _ in r["page"]]
    if doc["baseline"]:
        assert summaries == [
            "" if v is None else f"{v['better']} better · {v['worse']} worse · {v['level']} level"
            for v in (row["verdicts"] for row in doc["rows"])]
    else:
        assert summaries == [None] * len(doc["rows"])
    kinds = {"better", "worse", "level", "average", "covered"}
    got, want = columns_of(r["csv"][1], doc, kinds)
    assert got == want
    got, want = columns_of(r["xlsx"][1], doc, kinds, xlsx=True)
    assert got == want
    if not doc["average"]:
        assert doc["averages"] == []
        assert {row["average"] for row in doc["rows"]} == {None}
        assert {len(row["category_averages"]) for row in doc["rows"]} <= {0}
        return
    assert [a["id"] for a in doc["averages"]] == average_ids(DS.grids[slug])
    for (_, label, _, tds), row in zip(r["page"], doc["rows"], strict=True):
        for td, average in zip(tds, averages_of(doc, row), strict=False):
            score = MISSING if average["score"] is None else f"{average['score']:.1f}"
            assert (td.contents[0].strip(), td.small.get_text()) == (
                score, f"{average['covered']} of {average['of']}"), (label, average["category"])


@pytest.mark.parametrize(("slug", "query"), [p for p in VIEWS if "sort=average" in
                                             urlencode(p.values[1])])
def test_sorted_by_an_average(renders, slug, query):
    """The page's header links, marks and aria-sorts the average it is sorted by, and the ranks
    are that average's (1 for the best, shared when tied, none where it is missing)."""
    r = renders(slug, query)
    doc = r["json"]
    key = doc["sort"][0]
    assert doc["ranked_by"] == key["column"] and doc["average"]
    place = [a["id"] for a in doc["averages"]].index(key["column"])
    scores = [averages_of(doc, row)[place]["score"] for row in doc["rows"]]
    known = [s for s in scores if s is not None]
    assert known == sorted(known, reverse=key["descending"])
    assert scores == known + [None] * (len(scores) - len(known))  # missing last, both ways
    for row, score in zip(doc["rows"], scores, strict=True):
        assert row["rank"] == (None if score is None else 1 + sum(
            s > score for s in known))  # within the page; the sweep's averages views are unpaged
    ((link, aria_sort),) = r["aria_sort"]
    assert link.startswith(doc["averages"][place]["label"])
    assert aria_sort == ("descending" if key["descending"] else "ascending")


@pytest.mark.parametrize(("slug", "query"), VIEWS)
def test_api_rows_are_the_json_rows(renders, slug, query):
    r = renders(slug, query)
    assert r["api"]["rows"] == r["json"]["rows"]
    assert r["api"]["view"] == {k: v for k, v in r["json"].items() if k != "rows"}


# --- Charts ----------------------------------------------------------------------------


@pytest.mark.parametrize(("slug", "query"), HEATMAPS)
def test_heatmap_draws_the_views_first_rows(get, slug, query):
    doc = get(f"/grids/{slug}.json", unpaged(query)).json
    spec = get(f"/charts/{slug}/heatmap.json", query).json
    rows = doc["rows"][:HEATMAP_ROWS]
    columns = doc["columns"][:HEATMAP_COLUMNS]
    assert spec["layer"][0]["encoding"]["y"]["sort"] == [row["label"] for row in rows]
    assert spec["layer"][0]["encoding"]["x"]["sort"] == [c["label"] for c in columns]
    assert [(d["model"], d["metric"], d["printed"]) for d in spec_data(spec)] == [
        (row["label"], column["label"], shown(cell))
        for row in rows for column, cell in zip(columns, row["cells"], strict=False)]


@pytest.mark.parametrize(("slug", "query", "metric"), BARS)
def test_bar_chart_is_the_view_sorted_by_its_metric(get, slug, query, metric):
    doc = get(f"/grids/{slug}.json", (*query, ("sort", metric))).json
    spec = get(f"/charts/{slug}/bar-{metric}.json", query).json
    cells = [(row["label"], next(c for c in row["cells"] if c["metric"] == metric))
             for row in doc["rows"][:BAR_ROWS]]
    want = [(label, cell["value"], cell["printed"]) for label, cell in cells
            if cell["value"] is not None]
    assert [(d["model"], d["value"], d["printed"]) for d in spec_data(spec)] == want
    if want:
        assert spec["layer"][0]["encoding"]["y"]["sort"] == [label for label, _, _ in want]


@pytest.mark.parametrize(("slug", "query"), BASELINES)
def test_diff_chart_draws_the_json_percentages(get, slug, query):
    baseline = dict(query)["baseline"]
    doc = get(f"/grids/{slug}.json", unpaged(query)).json
    spec = get(f"/charts/{slug}/diff-vs-{baseline}.json", query).json
    want = [(row["label"], column["label"], cell["diff"]["percent"])
            for row in [r for r in doc["rows"] if not r["is_baseline"]][:DIFF_ROWS]
            for column, cell in zip(doc["columns"], row["cells"], strict=True)
            if cell["diff"] is not None and cell["diff"]["percent"] is not None]
    assert [(d["model"], d["metric"], d["pct"]) for d in spec_data(spec)] == want
    if want:
        assert spec["facet"]["sort"] == list(dict.fromkeys(label for label, _, _ in want))


# --- What the sweep leaves out of the XLSX, and a number from the data files -------------


@pytest.mark.parametrize("slug", GRIDS)
def test_xlsx_holds_the_values(renders, slug):
    """Every metric column of the XLSX holds the cell's value, as the CSV and JSON do."""
    r = renders(slug, ())
    doc = r["json"]
    got, want = [], []
    for line, row in zip(r["xlsx"][1], doc["rows"], strict=True):
        for shown_here, (kind, value, _) in zip(line, entries(doc, row), strict=True):
            if kind == "value":
                got.append(blank(shown_here))
                want.append(value)
    assert got == want


def test_a_diff_is_the_printed_numbers_difference(get):
    """72.6 − 63.6 as printed in r1-distilled.csv is 9.0, 14.2 % of 63.6, in every format."""
    printed_here = {(model, metric): text for model, metric, text, _ in data_cells("r1-distilled")}
    ours = Decimal(printed_here["deepseek-r1-distill-qwen-32b", "aime-2024-pass1"])
    base = Decimal(printed_here["o1-mini", "aime-2024-pass1"])
    points = ours - base
    percent = (points / base * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert (ours, base, points, percent) == (Decimal("72.6"), Decimal("63.6"), Decimal("9.0"),
                                             Decimal("14.2"))
    query = (("baseline", "o1-mini"),)
    label, name = "DeepSeek-R1-Distill-Qwen-32B", "OpenAI o1-mini"
    columns = [f"AIME 2024 pass@1 vs {name}: difference (%)",
               f"AIME 2024 pass@1 vs {name}: difference (% of {name})"]

    header_csv, *lines = read_csv(get("/grids/r1-distilled.csv", query))
    line = next(line for line in lines if line[0] == label)
    assert [line[header_csv.index(c)] for c in columns] == [str(points), str(percent)]

    header_xlsx, *lines = read_xlsx(get("/grids/r1-distilled.xlsx", query))
    line = next(line for line in lines if line[0] == label)
    assert [line[header_xlsx.index(c)] for c in columns] == [float(points), float(percent)]

    want = {"points": float(points), "percent": float(percent), "verdict": "better",
            "decimals": -points.as_tuple().exponent}
    for url in ("/grids/r1-distilled.json", "/api/grids/r1-distilled"):
        row = next(row for row in get(url, query).json["rows"] if row["label"] == label)
        assert row["cells"][0]["metric"] == "aime-2024-pass1"
        assert row["cells"][0]["diff"] == want, url
    for url in ("/grids/r1-distilled.csv", "/grids/r1-distilled.json", "/api/grids/r1-distilled",
                "/charts/r1-distilled/diff-vs-o1-mini.json"):
        body = get(url, query).get_data(as_text=True)
        assert "8.99999" not in body and "9.00000" not in body and "14.15" not in body, url

    page = soup(get("/grids/r1-distilled", query))
    tr = next(tr for tr in page.select("table.grid tbody tr")
              if tr.select_one("th.model a").get_text(strip=True) == label)
    span = tr.select("td.num")[0].select_one(".diff")
    assert "".join(span.find_all(string=True, recursive=False)).strip() == f"+{points} (+{percent}%)"

    chart = spec_data(get("/charts/r1-distilled/diff-vs-o1-mini.json", query).json)
    assert [(d["pct"], d["label"]) for d in chart
            if (d["model"], d["metric"]) == (label, "AIME 2024 pass@1")] == [(14.2, "+14.2%")]


@pytest.mark.parametrize(("slug", "metric"), sorted(
    key for key in VALUELESS if metric_type(key[1]) == "number"))
def test_a_cell_printed_without_a_number_has_no_bar(get, slug, metric):
    """A cell printed in words with no number the data read ('15 亿-70 亿（…）') draws no bar:
    the chart's notes name it, as they name the '-' cells."""
    spec = get(f"/charts/{slug}/bar-{metric}.json", ()).json
    labels = {m.id: m.label for m in DS.grids[slug].models}
    drawn = {row["model"] for row in spec["datasets"][spec["data"]["name"]]}
    note = next(line for line in spec["title"]["subtitle"] if line.startswith("Not reported: "))
    for model in VALUELESS[(slug, metric)]:
        assert labels[model] not in drawn
        assert labels[model] in note.removeprefix("Not reported: ").split(", ")
