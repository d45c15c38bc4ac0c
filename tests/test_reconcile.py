"""/grids/<slug>/sources: 图4 (r1-distilled) beside the README table it reprints, cell by cell.

The test data are a copy of the bundled data with the README's distilled-model table
(/work/shared/sources/deepseek-ai_DeepSeek-R1__2.md, lines 141-152 of the README) added as a
grid of its own, which r1-distilled follows. The expectations below come from reading the two
tables (the report's 图4 and the README's), not from the code.
"""

import csv
import io
import re

import pytest
from conftest import DATA_DIR, soup
from hostile import LIVE, formula, make_hostile

from leaderboard import create_app, reconcile
from leaderboard.data import load

SOURCE = "test-readme-distilled"
REPORT = "test-deepseek-r1-readme"

# The README's table exactly as published (QwQ-32B-Preview is the registry's qwq-32b).
README_TABLE = """\
| Model                                    | AIME 2024 pass@1 | AIME 2024 cons@64 | MATH-500 pass@1 | GPQA Diamond pass@1 | LiveCodeBench pass@1 | CodeForces rating |
|------------------------------------------|------------------|-------------------|-----------------|----------------------|----------------------|-------------------|
| GPT-4o-0513                          | 9.3              | 13.4              | 74.6            | 49.9                 | 32.9                 | 759               |
| Claude-3.5-Sonnet-1022             | 16.0             | 26.7                 | 78.3            | 65.0                 | 38.9                 | 717               |
| o1-mini                              | 63.6             | 80.0              | 90.0            | 60.0                 | 53.8                 | **1820**          |
| QwQ-32B-Preview                              | 44.0             | 60.0                 | 90.6            | 54.5               | 41.9                 | 1316              |
| DeepSeek-R1-Distill-Qwen-1.5B       | 28.9             | 52.7              | 83.9            | 33.8                 | 16.9                 | 954               |
| DeepSeek-R1-Distill-Qwen-7B          | 55.5             | 83.3              | 92.8            | 49.1                 | 37.6                 | 1189              |
| DeepSeek-R1-Distill-Qwen-14B         | 69.7             | 80.0              | 93.9            | 59.1                 | 53.1                 | 1481              |
| DeepSeek-R1-Distill-Qwen-32B        | **72.6**         | 83.3              | 94.3            | 62.1                 | 57.2                 | 1691              |
| DeepSeek-R1-Distill-Llama-8B         | 50.4             | 80.0              | 89.1            | 49.0                 | 39.6                 | 1205              |
| DeepSeek-R1-Distill-Llama-70B        | 70.0             | **86.7**          | **94.5**        | **65.2**             | **57.5**             | 1633              |
"""
IDS = {
    "GPT-4o-0513": "gpt-4o-0513", "Claude-3.5-Sonnet-1022": "claude-3-5-sonnet-1022",
    "o1-mini": "o1-mini", "QwQ-32B-Preview": "qwq-32b",
    "DeepSeek-R1-Distill-Qwen-1.5B": "deepseek-r1-distill-qwen-1-5b",
    "DeepSeek-R1-Distill-Qwen-7B": "deepseek-r1-distill-qwen-7b",
    "DeepSeek-R1-Distill-Qwen-14B": "deepseek-r1-distill-qwen-14b",
    "DeepSeek-R1-Distill-Qwen-32B": "deepseek-r1-distill-qwen-32b",
    "DeepSeek-R1-Distill-Llama-8B": "deepseek-r1-distill-llama-8b",
    "DeepSeek-R1-Distill-Llama-70B": "deepseek-r1-distill-llama-70b",
    "DeepSeek-R1": "deepseek-r1",
    "AIME 2024 pass@1": "aime-2024-pass1", "AIME 2024 cons@64": "aime-2024-cons64",
    "MATH-500 pass@1": "math-500-pass1", "GPQA Diamond pass@1": "gpqa-diamond-pass1",
    "LiveCodeBench pass@1": "livecodebench-pass1", "CodeForces rating": "codeforces-rating",
    "Codeforces (Percentile)": "codeforces-percentile",
}
MODELS_4 = ["gpt-4o-0513", "claude-3-5-sonnet-1022", "o1-mini", "qwq-32b",
            "deepseek-r1-distill-qwen-1-5b", "deepseek-r1-distill-qwen-7b",
            "deepseek-r1-distill-qwen-14b", "deepseek-r1-distill-qwen-32b",
            "deepseek-r1-distill-llama-8b", "deepseek-r1-distill-llama-70b"]
METRICS_4 = ["aime-2024-pass1", "aime-2024-cons64", "math-500-pass1", "gpqa-diamond-pass1",
             "livecodebench-pass1", "codeforces-rating"]

# 图4 against the README, every one of the 60 cells read side by side: all 60 give the same
# value. 图4 prints every CodeForces rating with '.0' (759.0), the README without (759).
PRINTED_DIFFERENTLY = {
    "gpt-4o-0513": ("759.0", "759"),
    "claude-3-5-sonnet-1022": ("717.0", "717"),
    "o1-mini": ("1820.0", "1820"),
    "qwq-32b": ("1316.0", "1316"),
    "deepseek-r1-distill-qwen-1-5b": ("954.0", "954"),
    "deepseek-r1-distill-qwen-7b": ("1189.0", "1189"),
    "deepseek-r1-distill-qwen-14b": ("1481.0", "1481"),
    "deepseek-r1-distill-qwen-32b": ("1691.0", "1691"),
    "deepseek-r1-distill-llama-8b": ("1205.0", "1205"),
    "deepseek-r1-distill-llama-70b": ("1633.0", "1633"),
}
# The README bolds six cells; 图4 bolds none.
BOLD_IN_SOURCE_ONLY = {
    ("o1-mini", "codeforces-rating"),
    ("deepseek-r1-distill-qwen-32b", "aime-2024-pass1"),
    ("deepseek-r1-distill-llama-70b", "aime-2024-cons64"),
    ("deepseek-r1-distill-llama-70b", "math-500-pass1"),
    ("deepseek-r1-distill-llama-70b", "gpqa-diamond-pass1"),
    ("deepseek-r1-distill-llama-70b", "livecodebench-pass1"),
}


def _table(text: str) -> tuple[list[str], list[tuple[str, list[str]]]]:
    lines = [[c.strip() for c in line.strip().strip("|").split("|")]
             for line in text.splitlines() if line.strip()]
    header, body = lines[0], [ln for ln in lines[2:]]
    return header[1:], [(row[0], row[1:]) for row in body]


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def add_source(directory, table: str = README_TABLE):
    """Add `table` as the grid SOURCE (a README: no page), and make r1-distilled follow it."""
    metrics, rows = _table(table)
    grids = directory / "grids"
    yaml_lines = [
        "title: README, Distilled Model Evaluation",
        "title_en: DeepSeek-R1's distilled models (DeepSeek-R1 README)",
        'caption: "4. Evaluation Results / Distilled Model Evaluation"',
        "source:",
        f"  report: {REPORT}",
        "  label: 'README: Distilled Model Evaluation'",
        "models:",
        *(f"  - {{label: {label}, id: {IDS[label]}}}" for label, _ in rows),
        "metrics:",
        *(f"  - {{label: {_quoted(label)}, id: {IDS[label]}}}" for label in metrics),
    ]
    (grids / f"{SOURCE}.yaml").write_text("\n".join(yaml_lines) + "\n", encoding="utf-8")
    cells = ["model,metric,printed,value,bold"]
    for label, values in rows:
        for metric, text in zip(metrics, values, strict=True):
            bold = text.startswith("**")
            printed = text.strip("*")
            value = "" if printed == "-" else printed
            cells.append(f"{label},{metric},{printed},{value},{'true' if bold else ''}")
    (grids / f"{SOURCE}.csv").write_text("\n".join(cells) + "\n", encoding="utf-8")
    with (directory / "reports.yaml").open("a", encoding="utf-8") as f:
        f.write(f"\n- id: {REPORT}\n  kind: readme\n  title: DeepSeek-R1 README (test copy)\n"
                "  title_en: DeepSeek-R1 README (test copy)\n  publisher: DeepSeek\n"
                "  publisher_en: DeepSeek\n  date: 2025-04-09\n")
    follower = grids / "r1-distilled.yaml"
    text = re.sub(r"^follows:.*\n", "", follower.read_text(encoding="utf-8"), flags=re.M)
    follower.write_text(text + f"follows: {SOURCE}\n", encoding="utf-8")
    return directory


@pytest.fixture
def test_data(data_copy):
    return add_source(data_copy)


@pytest.fixture
def client(test_data):
    return create_app({"TESTING": True, "DATA_DIR": str(test_data)}).test_client()


def test_figure_4_against_the_readme(test_data):
    ds = load(test_data)
    rec = reconcile.reconcile(ds, ds.grids["r1-distilled"])
    assert rec.source.slug == SOURCE
    assert [m.id for m in rec.models] == MODELS_4
    assert [m.id for m in rec.metrics] == METRICS_4
    c = rec.counts
    assert (c.compared, c.same, c.different, c.not_reported, c.one_side_missing) == (60, 60, 0, 0, 0)
    assert (c.printed_differently, c.bold_differs) == (10, 6)
    assert c.sentence == "60 of 60 cells as in the source"
    qwq = next(m for m in rec.models if m.id == "qwq-32b")
    assert (qwq.here, qwq.source) == ("QwQ-32B", "QwQ-32B-Preview")
    for check in rec.checks():
        assert check.status == "same"
        expected = []
        if check.metric == "codeforces-rating":
            here, there = PRINTED_DIFFERENTLY[check.model]
            assert (check.here.printed, check.source.printed) == (here, there)
            expected.append(f"printed differently: {here} here, {there} in the source")
        if (check.model, check.metric) in BOLD_IN_SOURCE_ONLY:
            expected.append("bold in the source only")
        assert check.details == tuple(expected), (check.model, check.metric)


def test_places_of_both_sides(test_data):
    ds = load(test_data)
    cell = reconcile.reconcile(ds, ds.grids["r1-distilled"]).rows[0].cells[5]
    assert (cell.model, cell.metric) == ("gpt-4o-0513", "codeforces-rating")
    assert (cell.here.report, cell.here.label, cell.here.page) == ("galaxy-2025-02-deepseek", "图4", 6)
    assert (cell.source.report, cell.source.label, cell.source.page) == (
        REPORT, "README: Distilled Model Evaluation", None)
    assert cell.here.where == "图4, p. 6"
    assert cell.source.where == "README: Distilled Model Evaluation"


# A source that disagrees, written by hand from README_TABLE: Claude's GPQA 65.0 -> 65.3;
# o1-mini's LiveCodeBench '-'; no Llama-8B row; an extra model (DeepSeek-R1, from the README's
# main table) and an extra metric (Codeforces percentile) that only DeepSeek-R1 reports.
ALTERED = """\
| Model | AIME 2024 pass@1 | AIME 2024 cons@64 | MATH-500 pass@1 | GPQA Diamond pass@1 | LiveCodeBench pass@1 | CodeForces rating | Codeforces (Percentile) |
|---|---|---|---|---|---|---|---|
| GPT-4o-0513 | 9.3 | 13.4 | 74.6 | 49.9 | 32.9 | 759 | - |
| Claude-3.5-Sonnet-1022 | 16.0 | 26.7 | 78.3 | 65.3 | 38.9 | 717 | - |
| o1-mini | 63.6 | 80.0 | 90.0 | 60.0 | - | **1820** | - |
| QwQ-32B-Preview | 44.0 | 60.0 | 90.6 | 54.5 | 41.9 | 1316 | - |
| DeepSeek-R1-Distill-Qwen-1.5B | 28.9 | 52.7 | 83.9 | 33.8 | 16.9 | 954 | - |
| DeepSeek-R1-Distill-Qwen-7B | 55.5 | 83.3 | 92.8 | 49.1 | 37.6 | 1189 | - |
| DeepSeek-R1-Distill-Qwen-14B | 69.7 | 80.0 | 93.9 | 59.1 | 53.1 | 1481 | - |
| DeepSeek-R1-Distill-Qwen-32B | **72.6** | 83.3 | 94.3 | 62.1 | 57.2 | 1691 | - |
| DeepSeek-R1-Distill-Llama-70B | 70.0 | **86.7** | **94.5** | **65.2** | **57.5** | 1633 | - |
| DeepSeek-R1 | 79.8 | - | 97.3 | 71.5 | 65.9 | 2029 | 96.3 |
"""


def test_differences_of_every_kind(data_copy):
    ds = load(add_source(data_copy, ALTERED))
    rec = reconcile.reconcile(ds, ds.grids["r1-distilled"])
    assert [m.id for m in rec.models] == [*MODELS_4, "deepseek-r1"]
    assert [m.id for m in rec.metrics] == [*METRICS_4, "codeforces-percentile"]
    by = {(c.model, c.metric): c for c in rec.checks()}
    claude = by["claude-3-5-sonnet-1022", "gpqa-diamond-pass1"]
    assert claude.status == "different"
    assert (claude.here.printed, claude.source.printed) == ("65.0", "65.3")
    assert claude.difference == pytest.approx(-0.3)
    assert by["o1-mini", "livecodebench-pass1"].status == "not-reported"
    assert {by["deepseek-r1-distill-llama-8b", m].status for m in METRICS_4} == {"only-here"}
    assert {by["deepseek-r1", m].status for m in METRICS_4} == {"only-in-source"}
    assert by["deepseek-r1", "aime-2024-pass1"].source.printed == "79.8"
    assert {by[m, "codeforces-percentile"].status for m in MODELS_4
            if m != "deepseek-r1-distill-llama-8b"} == {"only-in-source"}
    assert by["o1-mini", "codeforces-rating"].details == (
        "printed differently: 1820.0 here, 1820 in the source", "bold in the source only")
    c = rec.counts
    # 60 cells of 图4: 6 only here (Llama-8B), 54 compared: 52 same, 1 different, 1 '-'.
    assert (c.cells, c.compared, c.same, c.different, c.not_reported) == (60, 54, 52, 1, 1)
    # Only in the source: DeepSeek-R1's 7 cells and the percentile of the 9 models both have.
    assert (c.only_here, c.only_in_source, c.one_side_missing) == (6, 16, 23)
    # Llama-8B's percentile is a cell of neither grid: counted nowhere.
    assert by["deepseek-r1-distill-llama-8b", "codeforces-percentile"].status == "in-neither"
    assert c.sentence == "52 of 60 cells as in the source"


@pytest.mark.parametrize(("a", "b", "same"), [
    ("759.0", "759", True), ("44.0", "44", True), ("44.0", "44.1", False),
    ("0.1", "0.10000000000001", True), ("-", "-", True),
])
def test_values_compare_typed(a, b, same):
    side = lambda p: reconcile.Side("g", p, None if p == "-" else float(p), False, "r", "l",  # noqa: E731
                                    None, "l")
    assert reconcile._equal(side(a), side(b)) is same


# --- The pages -------------------------------------------------------------------------


def page_cells(page) -> dict[tuple[str, str], str]:
    """The status of each cell the page shows, by (model id, metric id)."""
    metrics = [m for m in METRICS_4]
    out = {}
    for tr in page.select("table.reconcile tbody tr"):
        model = tr.select_one("th.model a")["href"].rsplit("/", 1)[1]
        for metric, td in zip(metrics, tr.select("td.rc"), strict=True):
            status = next(c[3:] for c in td["class"] if c.startswith("rc-"))
            out[model, metric] = status
    return out


def test_page(client):
    response = client.get("/grids/r1-distilled/sources")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    page = soup(response)
    assert page.select_one(".reconcile-sentence").get_text(strip=True) == \
        "60 of 60 cells as in the source"
    tally = page.select_one(".reconcile-tally").get_text(" ", strip=True)
    for text in ("60 compared", "60 same", "0 different", "0 on one side only",
                 "10 printed differently", "6 bold differently"):
        assert text in tally
    links = {a["href"] for a in page.select("p.lede a")}
    assert {"/grids/r1-distilled", f"/grids/{SOURCE}"} <= links
    cells = page_cells(page)
    assert len(cells) == 60 and set(cells.values()) == {"same"}
    rows = page.select("table.reconcile tbody tr")
    assert [r.select_one("th.model a").get_text(strip=True) for r in rows][3] == "QwQ-32B"
    assert "source: QwQ-32B-Preview" in rows[3].select_one("th.model").get_text(" ", strip=True)
    gpt_cf = rows[0].select("td.rc")[5]
    assert gpt_cf.select_one(".rc-here").get_text(strip=True) == "759.0"
    assert gpt_cf.select_one(".rc-source").get_text(strip=True) == "source:759"
    assert "printed differently: 759.0 here, 759 in the source" in gpt_cf["title"]
    assert "图4, p. 6" in gpt_cf["title"] and "README: Distilled Model Evaluation" in gpt_cf["title"]
    bold = rows[7].select("td.rc")[0]  # Qwen-32B's AIME pass@1: bold in the README only
    assert "bold in the source only" in bold["title"]
    assert bold.select_one(".rc-here strong") is None
    assert bold.select_one(".rc-source strong").get_text() == "72.6"
    assert rows[1].select("td.rc")[0].select_one(".rc-source") is None  # 16.0 and 16.0


def test_page_shows_differences(data_copy):
    client = create_app({"TESTING": True, "DATA_DIR": str(add_source(data_copy, ALTERED))}
                        ).test_client()
    page = soup(client.get("/grids/r1-distilled/sources"))
    assert page.select_one(".reconcile-sentence").get_text(strip=True) == \
        "52 of 60 cells as in the source"
    claude = page.select("table.reconcile tbody tr")[1].select("td.rc")[3]
    assert "rc-different" in claude["class"]
    assert claude.select_one(".rc-here").get_text(strip=True) == "65.0"
    assert claude.select_one(".rc-source").get_text(" ", strip=True) == "source: 65.3 (−0.3)"
    assert len(page.select("table.reconcile tbody tr")) == 11
    only = page.select("table.reconcile tbody tr")[-1]
    assert "only in the source" in only.select_one("th.model").get_text()
    differences = soup(client.get("/grids/r1-distilled/sources?show=differences"))
    shown = [r.select_one("th.model a").get_text(strip=True)
             for r in differences.select("table.reconcile tbody tr")]
    assert len(shown) == 11  # the percentile column, only in the source, touches every row
    # Cells as in the source stay in their rows for context, dimmed (and out of the CSV).
    assert len(differences.select("td.rc-same")) == 52
    assert differences.select("td.rc-same") == differences.select("td.rc-context")


def test_grid_page_links_to_its_source(client):
    page = soup(client.get("/grids/r1-distilled"))
    link = page.select_one("p.follows a")
    assert link["href"] == "/grids/r1-distilled/sources"
    assert link.get_text(strip=True) == "Compared with its source (60 of 60 cells as in the source)"
    assert soup(client.get("/grids/api-pricing")).select_one("p.follows") is None


@pytest.mark.parametrize("url", ["/grids/api-pricing/sources", "/grids/api-pricing/sources.csv"])
def test_grid_without_follows_is_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "does not name a grid it follows" in text
    assert f"r1-distilled (follows {SOURCE})" in text


def test_source_grid_names_its_followers(client):
    response = client.get(f"/grids/{SOURCE}/sources")
    assert response.status_code == 404
    assert "This grid is the source of: /grids/r1-distilled/sources" in response.get_data(
        as_text=True)


@pytest.mark.parametrize("url", ["/grids/nope/sources", "/grids/nope/sources.csv"])
def test_unknown_grid_is_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/grids/r1-distilled/sources?show=x",
                                 "/grids/r1-distilled/sources.csv?show=some"])
def test_bad_show_is_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "show" in response.get_data(as_text=True)


def csv_of(response) -> list[dict]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv(client):
    response = client.get("/grids/r1-distilled/sources.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="r1-distilled_vs_{SOURCE}.csv"'
    rows = csv_of(response)
    assert list(rows[0]) == reconcile.CSV_COLUMNS
    assert len(rows) == 60
    gpt = rows[5]
    assert {k: gpt[k] for k in ("model", "metric", "status", "printed", "value", "source_printed",
                                "source_value", "label", "page", "source_report", "source_label",
                                "source_page", "details")} == {
        "model": "gpt-4o-0513", "metric": "codeforces-rating", "status": "same",
        "printed": "759.0", "value": "759.0", "source_printed": "759", "source_value": "759.0",
        "label": "图4", "page": "6", "source_report": REPORT,
        "source_label": "README: Distilled Model Evaluation", "source_page": "",
        "details": "printed differently: 759.0 here, 759 in the source"}


@pytest.mark.parametrize("show", ["all", "differences"])
def test_csv_rows_are_the_page_cells(data_copy, show):
    client = create_app({"TESTING": True, "DATA_DIR": str(add_source(data_copy, ALTERED))}
                        ).test_client()
    page = soup(client.get(f"/grids/r1-distilled/sources?show={show}"))
    metrics = [*METRICS_4, "codeforces-percentile"]
    shown = {}
    for tr in page.select("table.reconcile tbody tr"):
        model = tr.select_one("th.model a")["href"].rsplit("/", 1)[1]
        for metric, td in zip(metrics, tr.select("td.rc"), strict=True):
            status = next(c[3:] for c in td["class"] if c.startswith("rc-"))
            if show == "all" or status != "same":
                shown[model, metric] = status
    rows = csv_of(client.get(f"/grids/r1-distilled/sources.csv?show={show}"))
    assert [(r["model"], r["metric"]) for r in rows] == list(shown)
    assert {(r["model"], r["metric"]): r["status"] for r in rows} == shown


def test_hostile_data_is_inert(tmp_path):
    directory = add_source(make_hostile(DATA_DIR, tmp_path / "benchmarks"))
    label = formula("source label")  # r1-distilled's: a column of its sources CSV
    grid = directory / "grids" / "r1-distilled.yaml"
    grid.write_text(grid.read_text(encoding="utf-8").replace("  label: 图4\n", f"  label: '{label}'\n"),
                    encoding="utf-8")
    client = create_app({"TESTING": True, "DATA_DIR": str(directory)}).test_client()
    for url in ("/grids/r1-distilled/sources", "/grids/r1-distilled"):
        response = client.get(url)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        for live in LIVE:
            assert live not in body, (url, live)
    rows = csv_of(client.get("/grids/r1-distilled/sources.csv"))
    assert {r["label"] for r in rows} == {"'" + label}  # the formula is there, as text
    assert all(not str(v).startswith("=") for r in rows for v in r.values())


# --- The bundled data: the report's figures against the tables DeepSeek published ----------
# Read by hand from the seed (图4, 图5) and the sources (the README's distilled table; the
# paper's Table 4 on page 13): every value the same. 图4 prints CodeForces ratings with '.0'
# (759.0) where the README prints 759; the README bolds six cells 图4 does not.


@pytest.fixture(scope="module")
def bundled():
    from leaderboard import ROOT, create_app

    return create_app({"TESTING": True,
                       "DATA_DIR": str(ROOT / "data" / "benchmarks")}).test_client()


@pytest.mark.parametrize(("slug", "source", "counts"), [
    ("r1-distilled", "r1-readme-distilled", "60 of 60 cells as in the source"),
    ("r1-vs-frontier", "r1-paper-table-4", "126 of 126 cells as in the source"),
])
def test_the_reports_figures_against_their_sources(bundled, slug, source, counts):
    from conftest import soup

    response = bundled.get(f"/grids/{slug}/sources")
    assert response.status_code == 200
    text = soup(response).get_text(" ", strip=True)
    assert counts in text and f"/grids/{source}" in response.get_data(as_text=True)


def test_figure_4_prints_ratings_and_bold_otherwise_than_the_readme(bundled):
    import csv as csv_module
    import io

    rows = list(csv_module.DictReader(io.StringIO(
        bundled.get("/grids/r1-distilled/sources.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 60 and {r["status"] for r in rows} == {"same"}
    printed_otherwise = {(r["model"], r["printed"], r["source_printed"]) for r in rows
                         if r["printed"] != r["source_printed"]}
    assert printed_otherwise == {
        ("gpt-4o-0513", "759.0", "759"), ("claude-3-5-sonnet-1022", "717.0", "717"),
        ("o1-mini", "1820.0", "1820"), ("qwq-32b", "1316.0", "1316"),
        ("deepseek-r1-distill-qwen-1-5b", "954.0", "954"),
        ("deepseek-r1-distill-qwen-7b", "1189.0", "1189"),
        ("deepseek-r1-distill-qwen-14b", "1481.0", "1481"),
        ("deepseek-r1-distill-qwen-32b", "1691.0", "1691"),
        ("deepseek-r1-distill-llama-8b", "1205.0", "1205"),
        ("deepseek-r1-distill-llama-70b", "1633.0", "1633")}
    bold_in_source = {(r["model"], r["metric"]) for r in rows
                      if r["source_bold"] == "true" and r["bold"] == "false"}
    assert bold_in_source == {
        ("o1-mini", "codeforces-rating"), ("deepseek-r1-distill-qwen-32b", "aime-2024-pass1"),
        ("deepseek-r1-distill-llama-70b", "aime-2024-cons64"),
        ("deepseek-r1-distill-llama-70b", "math-500-pass1"),
        ("deepseek-r1-distill-llama-70b", "gpqa-diamond-pass1"),
        ("deepseek-r1-distill-llama-70b", "livecodebench-pass1")}
