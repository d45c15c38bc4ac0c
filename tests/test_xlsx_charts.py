"""The workbooks' native Excel charts, read back with openpyxl and drawn by LibreOffice: every
grid's view workbook (as printed, each first and last model as baseline, sorted, averaged) and
the whole dataset's. Expected numbers and labels are read from the data files themselves."""

from __future__ import annotations

import csv
import html
import io
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from typing import Any

import pdfplumber
import pytest
import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from test_xlsx_safety import soffice

from leaderboard import ROOT, create_app
from leaderboard.charts import COUNT_UNITS, MONEY_UNITS

DATA = ROOT / "data" / "benchmarks"
GRIDS = sorted(p.stem for p in (DATA / "grids").glob("*.yaml"))
METRICS = {m["id"]: m for m in yaml.safe_load((DATA / "metrics.yaml").read_text("utf-8"))}
MODELS = {m["id"]: m for m in yaml.safe_load((DATA / "models.yaml").read_text("utf-8"))}
PLAIN = re.compile(r"^-?\d+(?:\.\d+)?%?$")
BEST, BASELINE = "2E7D32", "C98A00"
VERDICTS = {"better": "2E7D32", "worse": "C62828", "level": "8A939C"}
ROWS = 30  # a chart draws a sheet's first 30 rows
VIEW_CHARTS = 12  # and a view's workbook its first 12 number metrics
HEADING = "Numbers for the charts (empty: not reported)"


@dataclass(frozen=True)
class Source:
    """A grid as its files give it: labels as printed, ids, each cell's number."""

    title_en: str
    layout: str
    models: list[tuple[str, str]]  # (label, id)
    metrics: list[tuple[str, str]]
    numbers: dict[tuple[str, str], float | None]  # (model label, metric label): its number

    def charted(self) -> list[tuple[str, str]]:
        """The number metrics a view's workbook charts: not a year (bars from year 0)."""
        return [(label, m) for label, m in self.metrics
                if kind(m) == "number" and METRICS[m]["unit"] != "year"][:VIEW_CHARTS]


def kind(metric: str) -> str:
    return METRICS[metric].get("type", "number")


def number(printed: str, value: str) -> float | None:
    """A cell's number: the printed one where it is a plain number, else the file's value;
    none where '-' (not reported) or where the file gives no number."""
    if printed == "-":
        return None
    if PLAIN.match(printed):
        return float(printed.rstrip("%"))
    return float(value) if value else None


@cache
def source(slug: str) -> Source:
    spec = yaml.safe_load((DATA / "grids" / f"{slug}.yaml").read_text("utf-8"))
    ids = {m["label"]: m["id"] for m in spec["metrics"]}
    numbers: dict[tuple[str, str], float | None] = {}
    with (DATA / "grids" / f"{slug}.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):  # a cell printed twice (in two places) is its first
            if kind(ids[r["metric"]]) == "number":
                numbers.setdefault((r["model"], r["metric"]),
                                   number(r["printed"], r.get("value") or ""))
    return Source(spec["title_en"], spec.get("layout", "models-as-rows"),
                  [(m["label"], m["id"]) for m in spec["models"]],
                  [(m["label"], m["id"]) for m in spec["metrics"]], numbers)


def default_metric(src: Source) -> str | None:
    """The metric a grid's page draws in bars: the first score with a direction, else the first
    ranked metric, else the first quantity (a year never)."""
    quantities = [m for _, m in src.metrics
                  if kind(m) == "number" and METRICS[m]["unit"] != "year"]
    for found in ([m for m in quantities if METRICS[m]["higher_is_better"] is not None
                   and METRICS[m].get("scale")],
                  [m for m in quantities if METRICS[m]["higher_is_better"] is not None],
                  quantities):
        if found:
            return found[0]
    return None


def text(title) -> str:
    return "".join(run.t for p in title.tx.rich.p for run in (p.r or []))


def column_range(sheet: str, column: int, first: int, last: int) -> str:
    letter = get_column_letter(column)
    return f"'{sheet}'!${letter}${first}:${letter}${last}"


def points(chart, colour: str) -> set[int]:
    return {p.idx for p in chart.series[0].dPt if p.spPr.solidFill.srgbClr == colour}


def best_of(values: list[float | None], metric: str) -> float | None:
    higher = METRICS[metric]["higher_is_better"]
    found = [v for v in values if v is not None]
    if higher is None or not found:
        return None
    return max(found) if higher else min(found)


def check_bars(chart, sheet: str, values_col: int, labels_col: int, first: int, rows: int):
    """The chart's common form: horizontal bars, top down, gaps for empty cells, value labels
    as the cells print them, over `rows` rows from `first`."""
    assert chart.tagname == "barChart" and chart.type == "bar"
    assert chart.display_blanks == "gap"
    assert chart.x_axis.scaling.orientation == "maxMin"
    assert chart.legend is None
    [series] = chart.series
    assert series.val.numRef.f == column_range(sheet, values_col, first, first + rows - 1)
    assert series.cat.strRef.f == column_range(sheet, labels_col, first, first + rows - 1)
    labels = series.dLbls
    assert labels.showVal and not labels.showSerName and not labels.showCatName


def disjoint(a, b) -> bool:
    """Whether two cell rectangles (col0, row0, col1, row1), ends excluded, do not meet."""
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def box(chart) -> tuple[int, int, int, int]:
    anchor = chart.anchor
    return anchor._from.col, anchor._from.row, anchor.to.col, anchor.to.row


# --- A view's workbook -----------------------------------------------------------------------


def queries(slug: str) -> list[dict[str, str]]:
    src = source(slug)
    found = [{}, {"baseline": src.models[0][1]}, {"baseline": src.models[-1][1]},
             {"average": "yes"}]
    if (metric := default_metric(src)) is not None:
        found.append({"sort": metric})
    return found


CASES = [(slug, q) for slug in GRIDS for q in queries(slug)]


@pytest.fixture(scope="module")
def web():
    return create_app({"TESTING": True, "DATA_DIR": str(DATA)}).test_client()


@pytest.mark.parametrize(("slug", "query"), CASES,
                         ids=[f"{s}-{'-'.join(f'{k}={v}' for k, v in q.items()) or 'as-printed'}"
                              for s, q in CASES])
def test_view_workbook_charts_each_number_metric_from_its_cells(web, slug, query):
    response = web.get(f"/grids/{slug}.xlsx", query_string=query)
    assert response.status_code == 200
    sheet = ViewSheet.read(load_workbook(io.BytesIO(response.data)).worksheets[0], query)
    src, header = source(slug), sheet.header
    assert sorted(sheet.models) == sorted(label for label, _ in src.models)
    averages = [h[:-len(" (0-100)")] for h in header if h.endswith(" (0-100)")]
    assert bool(averages) == ("average" in query)
    scores = {a: sheet.column(header.index(f"{a} (0-100)") + 1) for a in averages}
    # an average of metrics of which none has a direction has no score anywhere: no chart
    averages = [a for a in averages if any(s is not None for s in scores[a])]
    charted = src.charted()
    diff = []  # with a baseline, the first metric's difference in % of the baseline's
    if sheet.baseline is not None and charted:
        name = MODELS[query["baseline"]]["name"]
        diff = [f"{charted[0][0]} vs {name}: difference (% of {name})"]
    charts = sheet.ws._charts
    assert [text(c.title) for c in charts] == (averages + [label for label, _ in charted]
                                               + diff)
    for chart, name in zip(charts, averages, strict=False):
        sheet.check_average(chart, name, scores[name])
    for chart, (label, metric) in zip(charts[len(averages):], charted, strict=False):
        sheet.check_metric(chart, src, label, metric, query.get("sort") == metric)
    if diff:
        sheet.check_diff(charts[-1], src, *charted[0], diff[0])
    # Beside the table, apart from one another.
    boxes = [box(c) for c in charts]
    assert all(b[0] >= len(header) + 1 for b in boxes)
    assert all(disjoint(a, b) for a, b in combinations(boxes, 2))


@dataclass
class ViewSheet:
    """A view's sheet as read back: its header, its models in order, the baseline's row."""

    ws: Any
    header: list[str]
    model_col: int
    models: list[str]
    baseline: str | None  # its label
    base_row: int | None  # among the drawn rows

    @classmethod
    def read(cls, ws, query: dict[str, str]) -> ViewSheet:
        header = [c.value for c in ws[1]]
        model_col = header.index("Model") + 1
        models = []
        for (label,) in ws.iter_rows(min_row=2, min_col=model_col, max_col=model_col,
                                     values_only=True):
            if label is None:
                break
            models.append(label)
        label = {i: lbl for lbl, i in source(ws.title).models}.get(query.get("baseline", ""))
        base_row = models.index(label) if label in models[:ROWS] else None
        return cls(ws, header, model_col, models, label, base_row)

    @property
    def drawn(self) -> int:
        return min(len(self.models), ROWS)

    def column(self, column: int) -> list[Any]:
        return [self.ws.cell(2 + i, column).value for i in range(len(self.models))]

    def baseline_point(self) -> set[int]:
        return set() if self.base_row is None else {self.base_row}

    def check_average(self, chart, name: str, scores: list[float | None]) -> None:
        check_bars(chart, self.ws.title, self.header.index(f"{name} (0-100)") + 1,
                   self.model_col, 2, self.drawn)
        top = max(s for s in scores if s is not None)
        assert points(chart, BEST) == {i for i in range(self.drawn)
                                       if scores[i] == top and i != self.base_row}
        assert points(chart, BASELINE) == self.baseline_point()

    def check_metric(self, chart, src: Source, label: str, metric: str, ranked: bool) -> None:
        unit = METRICS[metric]["unit"]
        column = self.header.index(f"{label} ({unit})") + 1
        check_bars(chart, self.ws.title, column, self.model_col, 2, self.drawn)
        assert text(chart.y_axis.title).startswith(METRICS[metric]["name"].rsplit(" (", 1)[0])
        assert text(chart.y_axis.title).endswith(f"{unit})") and ") (" not in text(chart.y_axis.title)
        values = [src.numbers.get((model, label)) for model in self.models]
        # the cells it draws hold the file's numbers, empty where none
        assert self.column(column)[:self.drawn] == values[:self.drawn], label
        top = best_of(values, metric)
        assert points(chart, BEST) == {i for i in range(self.drawn) if top is not None
                                       and values[i] == top and i != self.base_row}, label
        assert points(chart, BASELINE) == self.baseline_point()
        if ranked:  # best first, not reported last
            shown = [v for v in values if v is not None]
            assert values[:len(shown)] == shown
            higher = METRICS[metric]["higher_is_better"] is True  # unranked: ascending
            assert shown == sorted(shown, reverse=higher)

    def check_diff(self, chart, src: Source, label: str, metric: str, title: str) -> None:
        column = self.header.index(title) + 1
        check_bars(chart, self.ws.title, column, self.model_col, 2, self.drawn)
        base = src.numbers.get((self.baseline, label))
        sign = {True: 1, False: -1, None: 0}[METRICS[metric]["higher_is_better"]]
        colours = {}
        for i, shown in enumerate(self.column(column)[:self.drawn]):
            value = src.numbers.get((self.models[i], label))
            if i == self.base_row or value is None or base is None:
                assert shown is None, (self.models[i], shown)
                continue
            if base:
                assert shown == pytest.approx((value - base) / abs(base) * 100, abs=0.05)
            if sign:
                judged = (value - base) * sign
                colours[i] = VERDICTS["better" if judged > 0 else "worse" if judged < 0
                                      else "level"]
        found = {p.idx: p.spPr.solidFill.srgbClr for p in chart.series[0].dPt}
        assert found == {**colours, **dict.fromkeys(self.baseline_point(), BASELINE)}


@pytest.mark.parametrize("slug", GRIDS)
def test_value_labels_print_as_their_cells_or_in_millions(web, slug):
    """A label shows its cell's number as the cell prints it (72.6, 16.0, 759.0); a count or sum
    of money of a million or more in M, B or T (1.8T, $63.0M), as the web's charts do."""
    src = source(slug)
    with zipfile.ZipFile(io.BytesIO(web.get(f"/grids/{slug}.xlsx").data)) as z:
        charts = [z.read(f"xl/charts/chart{i}.xml").decode()
                  for i in range(1, len(src.charted()) + 1)]
    for xml, (label, metric) in zip(charts, src.charted(), strict=True):
        found = re.search(r'<dLbls><numFmt formatCode="([^"]*)" sourceLinked="(\d)"/>', xml)
        assert found, label
        code, linked = html.unescape(found[1]), found[2] == "1"
        largest = max((abs(v) for (_, m), v in src.numbers.items() if m == label and v), default=0)
        if METRICS[metric]["unit"] in COUNT_UNITS + MONEY_UNITS and largest >= 1e6:
            assert not linked and re.search(r'"[MBT]"', code), (label, code)
            assert code.startswith('[>=') and ("$" in code) == (METRICS[metric]["unit"] == "USD")
        else:
            assert linked, (label, code)


@pytest.mark.parametrize("slug", GRIDS)
def test_a_view_of_no_model_has_no_chart(web, slug):
    response = web.get(f"/grids/{slug}.xlsx", query_string={"q": "no such model"})
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.data)).worksheets[0]._charts == []


# --- The whole dataset's workbook ------------------------------------------------------------


@pytest.fixture(scope="module")
def whole(web) -> bytes:
    response = web.get("/downloads/all.xlsx")
    assert response.status_code == 200
    return response.data


@pytest.fixture(scope="module")
def whole_book(whole):
    return load_workbook(io.BytesIO(whole))


@pytest.mark.parametrize("slug", GRIDS)
def test_whole_workbook_charts_each_grid_from_its_numbers_block(whole_book, slug):
    ws, src = whole_book[slug], source(slug)
    across = src.models if src.layout == "metrics-as-rows" else src.metrics
    heading = len(across) + 4  # the printed block, then two empty columns
    assert ws.cell(1, heading).value == HEADING
    for row in ws.iter_rows(min_col=heading - 2, max_col=heading - 1, values_only=True):
        assert row == (None, None)
    numbers = [(label, m) for label, m in src.metrics if kind(m) == "number"]
    assert [c.value for c in ws[2][heading - 1:]] == ["Model"] + [label for label, _ in numbers]
    for i, (model, _) in enumerate(src.models):  # the report's order
        line = [c.value for c in ws[3 + i][heading - 1:heading + len(numbers)]]
        assert line == [model] + [src.numbers.get((model, label)) for label, _ in numbers]

    metric = default_metric(src)
    if metric is None:
        assert ws._charts == []
        return
    [chart] = ws._charts
    name, unit = METRICS[metric]["name"], METRICS[metric]["unit"]
    assert text(chart.title) == f"{src.title_en}: {name}"
    assert text(chart.y_axis.title).startswith(name.rsplit(" (", 1)[0])
    assert text(chart.y_axis.title).endswith(f"{unit})") and ") (" not in text(chart.y_axis.title)
    label = next(label for label, m in numbers if m == metric)
    drawn = min(len(src.models), ROWS)
    check_bars(chart, slug, heading + 1 + [m for _, m in numbers].index(metric), heading, 3,
               drawn)
    values = [src.numbers.get((model, label)) for model, _ in src.models]
    top = best_of(values, metric)
    assert points(chart, BEST) == {i for i in range(drawn)
                                   if top is not None and values[i] == top}
    assert points(chart, BASELINE) == set()
    col0, row0, _, _ = box(chart)
    assert col0 >= heading - 1 and row0 >= 2 + len(src.models)  # below the numbers, not on them


def test_the_record_sheets_have_no_chart(whole_book):
    for name in ("models", "metrics", "sources", "conflicts"):
        assert whole_book[name]._charts == []


# --- More rows than a chart draws ------------------------------------------------------------


def test_a_chart_draws_the_first_30_rows_and_says_so(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import write

    directory = write(tmp_path / "benchmarks", models=45, metrics=3, grids=1)
    web = create_app({"TESTING": True, "DATA_DIR": str(directory)}).test_client()
    view = load_workbook(io.BytesIO(web.get("/grids/synthetic-1.xlsx").data)).worksheets[0]
    assert len(view._charts) == 3
    for chart in view._charts:
        assert text(chart.title).endswith(" (first 30 of 45 models)")
        assert re.search(r"\$2:\$[A-Z]+\$31$", chart.series[0].val.numRef.f)
    book = load_workbook(io.BytesIO(web.get("/downloads/all.xlsx").data))
    [chart] = book["synthetic-1"]._charts
    assert text(chart.title) == "Synthetic grid 1: Metric 000 (first 30 of 45 models)"
    assert re.search(r"\$3:\$[A-Z]+\$32$", chart.series[0].val.numRef.f)


# --- What a spreadsheet shows ----------------------------------------------------------------


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_libreoffice_draws_every_chart(web, whole, tmp_path):
    """LibreOffice opens each workbook and prints it to PDF with its charts' titles in it."""
    # Each workbook and the titles of its charts, from the data files.
    books = {"all": (whole, [f"{source(s).title_en}: {METRICS[m]['name']}" for s in GRIDS
                             if (m := default_metric(source(s))) is not None])}
    for slug in GRIDS:
        books[slug] = (web.get(f"/grids/{slug}.xlsx").data,
                       [label for label, _ in source(slug).charted()])
    for name, (data, _) in books.items():
        (tmp_path / f"{name}.xlsx").write_bytes(data)
    done = subprocess.run(
        [soffice(), "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
         *(str(tmp_path / f"{name}.xlsx") for name in books)],
        capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    for name, (data, expected) in books.items():
        book = load_workbook(io.BytesIO(data))
        cells = squeeze("".join(str(v) for ws in book for row in ws.iter_rows(values_only=True)
                                for v in row if v is not None))
        titles = [squeeze(title) for title in expected]
        printed, chinese = "", set()
        with pdfplumber.open(tmp_path / "pdf" / f"{name}.pdf") as pdf:
            for page in pdf.pages:  # the grids' sheets come first: read up to their last chart
                printed += squeeze("".join(c["text"] for c in page.chars))
                chinese |= {c["fontname"] for c in page.chars
                            if re.match(r"[\u4e00-\u9fff]", c["text"])}
                # drawn: more often than the sheet's cells hold it (a label is a header too)
                if all(printed.count(t) > cells.count(t) for t in titles):
                    break
        assert [t for t in titles if printed.count(t) <= cells.count(t)] == [], name
        assert all("CJK" in font for font in chinese), (name, chinese)  # not as empty boxes
        assert chinese or not re.search(r"[\u4e00-\u9fff]", "".join(titles)), name
