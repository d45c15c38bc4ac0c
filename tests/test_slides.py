"""Native slides: the decks and chart slides are read back with python-pptx and checked against
the data files (grids/*.yaml and *.csv, metrics.yaml, models.yaml), every grid, every chart.

The expected numbers, labels, orders, best cells and diff signs are computed here from the files,
not from the service's own view.
"""

import csv
import io
import itertools
import json
import math
import re
from collections import defaultdict
from functools import cache

import pytest
import yaml
from conftest import DATA_DIR
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from pptx.util import Inches
from test_averages import score  # a cell's 0–100 score, from the data files

from leaderboard import charts

SLUGS = sorted(p.stem for p in (DATA_DIR / "grids").glob("*.yaml"))
MISSING = "—"
GREEN, AMBER = "2E7D32", "C98A00"
DARKEST, PALEST = "00441B", "F7FCF5"  # the ends of the heatmap's greens (scores 100, 0)
PLAIN = re.compile(r"^-?\d+(\.\d+)?%?$")
VERDICTS = {"✓": "better", "✗": "worse", "=": "level"}


@cache
def registry(kind: str) -> dict:
    with (DATA_DIR / f"{kind}.yaml").open(encoding="utf-8") as f:
        return {m["id"]: m for m in yaml.safe_load(f)}


@cache
def grid_file(slug: str):
    """The grid's YAML, and each cell's first row in its CSV: {(model id, metric id): row}."""
    path = DATA_DIR / "grids" / slug
    grid = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
    models = {m["label"]: m["id"] for m in grid["models"]}
    metrics = {m["label"]: m["id"] for m in grid["metrics"]}
    cells: dict = {}
    with path.with_suffix(".csv").open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            cells.setdefault((models[row["model"]], metrics[row["metric"]]), row)
    return grid, cells


def number(slug: str, model: str, metric: str) -> float | None:
    """A cell's number; None where not reported, or for a date or a yes/no."""
    row = grid_file(slug)[1].get((model, metric))
    if kind(metric) != "number":
        return None
    return float(row["value"]) if row and row["value"] not in ("", None) else None


def printed(slug: str, model: str, metric: str) -> str:
    row = grid_file(slug)[1].get((model, metric))
    return MISSING if row is None or row["printed"] == "-" else row["printed"]  # "" is blank


def kind(metric: str) -> str:
    return registry("metrics")[metric].get("type", "number")


def direction(metric: str) -> bool | None:
    return registry("metrics")[metric]["higher_is_better"]


def best(slug: str, metric: str) -> set[str]:
    """The models with the best number of a ranked metric in the grid."""
    grid, _ = grid_file(slug)
    values = {m["id"]: number(slug, m["id"], metric) for m in grid["models"]}
    values = {m: v for m, v in values.items() if v is not None}
    if not values or direction(metric) is None:
        return set()
    top = (max if direction(metric) else min)(values.values())
    return {m for m, v in values.items() if v == top}


def deck(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    assert response.mimetype == ("application/vnd.openxmlformats-officedocument."
                                 "presentationml.presentation")
    return Presentation(io.BytesIO(response.data))


def title(slide) -> str:
    return slide.shapes.title.text_frame.text


def texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def charts_of(slide) -> list:
    return [s.chart for s in slide.shapes if s.has_chart]


def tables_of(slide) -> list:
    return [s.table for s in slide.shapes if s.has_table]


def fill(fmt) -> str | None:
    """A shape's or point's solid fill colour, None when it has none of its own."""
    return str(fmt.fill.fore_color.rgb) if fmt.fill.type == 1 else None


def blanks(chart) -> str:
    return chart._chartSpace.chart.find(qn("c:dispBlanksAs")).get("val")


def inside(prs, slide) -> None:
    """Every shape of a slide lies on it."""
    for shape in slide.shapes:
        assert shape.left >= 0 and shape.top >= 0, (title(slide), shape.name)
        assert shape.left + shape.width <= prs.slide_width + 1, (title(slide), shape.name)
        assert shape.top + shape.height <= prs.slide_height + 1, (title(slide), shape.name)


# --- Bar charts ----------------------------------------------------------------------------

BARS = [(slug, m["id"]) for slug in SLUGS for m in grid_file(slug)[0]["metrics"]
        if kind(m["id"]) == "number"]


def says_name_and_unit(axis: str, info: dict) -> None:
    """An axis title names the metric and its unit once: no second aside."""
    assert axis.startswith(info["name"].rsplit(" (", 1)[0]) and axis.endswith(f"{info['unit']})")
    assert ") (" not in axis


@pytest.mark.parametrize(("slug", "metric", "axis"), [
    ("r1-distilled", "codeforces-rating", "Codeforces (Elo rating)"),  # not (rating) (Elo rating)
    ("r1-vs-frontier", "codeforces-percentile", "Codeforces (percentile)"),
    ("r1-vs-frontier", "mmlu-pass1", "MMLU (pass@1, %)"),
    ("cost-and-scale", "training-cost", "Training cost (USD)"),
    ("v3-readme-base", "bbh-em-3-shot", "BBH (EM), 3-shot (%)"),
])
def test_an_axis_names_the_metric_and_its_unit_once(client, slug, metric, axis):
    prs = deck(client, f"/charts/{slug}/bar-{metric}.pptx")
    (chart,) = charts_of(prs.slides[0])
    assert chart.value_axis.axis_title.text_frame.text == axis
    picture = client.get(f"/charts/{slug}/bar-{metric}.json").get_json()
    assert axis in json.dumps(picture, ensure_ascii=False)


@pytest.mark.parametrize(("slug", "metric"), BARS)
def test_every_bar_chart_is_native_with_the_grids_numbers(client, slug, metric):
    grid, _ = grid_file(slug)
    prs = deck(client, f"/charts/{slug}/bar-{metric}.pptx")
    (slide,) = prs.slides
    inside(prs, slide)
    (chart,) = charts_of(slide)
    info = registry("metrics")[metric]
    years = info["unit"] == "year"  # no zero to grow a bar from: dots
    assert chart.chart_type == (XL_CHART_TYPE.LINE_MARKERS if years
                                else XL_CHART_TYPE.BAR_CLUSTERED)
    assert blanks(chart) == "gap"  # an empty point is nothing, never 0
    says_name_and_unit(chart.value_axis.axis_title.text_frame.text, info)
    assert texts(slide)[-1].startswith(f"Source: {grid['source']['label']}")

    labels = {m["id"]: m["label"] for m in grid["models"]}
    have = [m for m in labels if number(slug, m, metric) is not None]
    lacking = [m for m in labels if number(slug, m, metric) is None]
    plot = chart.plots[0]
    (series,) = plot.series
    categories, values = list(plot.categories), list(series.values)
    shown = len(have)
    assert sorted(categories[:shown]) == sorted(labels[m] for m in have)
    by_label = {labels[m]: number(slug, m, metric) for m in have}
    assert values[:shown] == [by_label[c] for c in categories[:shown]]
    descending = direction(metric) is True  # best first; an unranked metric ascending
    assert values[:shown] == sorted(values[:shown], reverse=descending)  # ranked, best first
    # Models with nothing reported: after the ranked ones, each an empty point.
    assert set(categories[shown:]) == {labels[m] for m in lacking}
    assert values[shown:] == [None] * len(lacking)

    # Each bar's label shows the number as printed: a number format that prints it so, or the
    # printed text itself.
    text_of = {labels[m]: printed(slug, m, metric) for m in have}
    if plot.has_data_labels and plot.data_labels.number_format != "General":
        decimals = len(plot.data_labels.number_format.partition(".")[2])
        assert [f"{v:.{decimals}f}" for v in values[:shown]] == \
            [text_of[c] for c in categories[:shown]]
    else:
        assert [series.points[i].data_label.text_frame.text for i in range(shown)] == \
            [text_of[c] for c in categories[:shown]]
    # The best bar green, the others the theme's colour.
    winners = {labels[m] for m in best(slug, metric)}
    colours = [fill(series.points[i].format) for i in range(shown)]
    assert {c for c, colour in zip(categories, colours, strict=False) if colour == GREEN} == winners
    assert {colour for c, colour in zip(categories, colours, strict=False)
            if c not in winners} <= {None}


def test_a_baseline_bar_is_amber(client):
    prs = deck(client, "/charts/r1-distilled/bar-aime-2024-pass1.pptx?baseline=o1-mini")
    (chart,) = charts_of(prs.slides[0])
    series = chart.plots[0].series[0]
    colours = dict(zip(chart.plots[0].categories,
                       (fill(series.points[i].format) for i in range(len(series.values))),
                       strict=True))
    assert colours["o1-mini"] == AMBER and colours["DeepSeek-R1-Distill-Qwen-32B"] == GREEN


# --- Decks ---------------------------------------------------------------------------------

def baselines(slug: str) -> list[str | None]:
    models = [m["id"] for m in grid_file(slug)[0]["models"]]
    return [None, models[0], models[-1]]


DECKS = [(slug, b) for slug in SLUGS for b in baselines(slug)]


def table_cells(prs, heading: str) -> dict:
    """Every cell of the deck's leaderboard tables: {(model label, column heading): paragraphs},
    each paragraph as (text, bold of its first run)."""
    out: dict = {}
    for slide in prs.slides:
        name = title(slide)
        if not tables_of(slide) or (name != heading and not (
                name.startswith(heading + " (") and name.endswith(")"))):
            continue  # the title slide, or the heatmap's tables
        (table,) = tables_of(slide)
        header = [table.cell(0, j).text_frame.paragraphs[0].text
                  for j in range(len(table.columns))]
        column = header.index("Model")
        for i in range(1, len(table.rows)):
            label = table.cell(i, column).text_frame.paragraphs[0].text
            for j, head in enumerate(header):
                paragraphs = table.cell(i, j).text_frame.paragraphs
                out[label, head] = [(p.text, bool(p.runs and p.runs[0].font.bold))
                                    for p in paragraphs]
    return out


@pytest.mark.parametrize(("slug", "baseline"), DECKS)
def test_every_grids_deck(client, slug, baseline):
    """Title slide, the leaderboard as tables (every model, every metric as printed, bold as
    printed, ★ on the best, the diff under each value), the heatmap, a bar chart per number
    metric, the diffs: every slide with its source line, nothing off the slide."""
    grid, cells = grid_file(slug)
    url = f"/charts/{slug}/deck.pptx" + (f"?baseline={baseline}" if baseline else "")
    prs = deck(client, url)
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    first, *rest = prs.slides
    assert title(first) == grid["title_en"]
    lines = "\n".join(texts(first))
    for part in (grid["caption"], grid["source"]["label"], "data version"):
        assert part in lines
    for slide in rest:
        inside(prs, slide)
        assert texts(slide)[-1].startswith(f"Source: {grid['source']['label']}"), title(slide)

    # The tables: every model and metric, as printed.
    labels = {m["id"]: m["label"] for m in grid["models"]}
    found = table_cells(prs, grid["title_en"])
    assert {label for label, _ in found} == set(labels.values())
    unit = {m["id"]: registry("metrics")[m["id"]]["unit"] for m in grid["metrics"]}
    for m in grid["metrics"]:
        winners = best(slug, m["id"])
        heading = m["label"]
        for model, label in labels.items():
            paragraphs = found[label, heading]
            text, bold = paragraphs[0]
            expected = printed(slug, model, m["id"])
            assert text == expected or text.startswith(expected + " "), (label, heading, text)
            marks = text[len(expected):].split()
            assert ("★" in marks) == (model in winners), (label, heading, text)
            row = cells.get((model, m["id"]))
            if expected != MISSING:
                assert bold == (row.get("bold") == "true"), (label, heading)
            if baseline is None or model == baseline:
                assert len(paragraphs) == 1
                continue
            mine, theirs = number(slug, model, m["id"]), number(slug, baseline, m["id"])
            if mine is None or theirs is None or kind(m["id"]) != "number":
                assert len(paragraphs) == 1, (label, heading, paragraphs)
                continue
            diff = paragraphs[1][0]
            sign = diff.lstrip("✓✗= ")[0]
            assert sign == ("+" if mine > theirs else "−" if mine < theirs else "±"), diff
            if direction(m["id"]) is None:
                assert diff[0] in "+−±"
            else:
                better = mine > theirs if direction(m["id"]) else mine < theirs
                expected_verdict = "level" if mine == theirs else "better" if better else "worse"
                assert VERDICTS[diff[0]] == expected_verdict, (label, heading, diff)
        assert any(head.startswith(heading + "\n" + unit[m["id"]]) or head == heading
                   for head in _headers(prs, grid["title_en"]))

    # The charts: the heatmap's tables, a bar chart per number metric, the diffs.
    titles = [title(s) for s in rest]
    heat = [t for t in titles if t.startswith(f"{grid['title_en']}: every model and metric")]
    assert heat
    numbers = [registry("metrics")[m["id"]]["name"] for m in grid["metrics"]
               if kind(m["id"]) == "number"]
    bars = [s for s in rest if charts_of(s) and title(s) in
            {f"{grid['title_en']}: {name}" for name in numbers}]
    assert len(bars) == len(numbers)
    diffs = [s for s in rest if title(s).startswith("Difference from ")]
    if baseline is None:
        assert not diffs
    else:
        name = registry("models")[baseline]["name"]
        assert all(title(s).startswith(f"Difference from {name}, per metric") for s in diffs)
        panels = [c for s in diffs for c in charts_of(s)]
        others = [m for m in labels if m != baseline and any(
            number(slug, m, x["id"]) is not None and number(slug, baseline, x["id"]) is not None
            and kind(x["id"]) == "number" for x in grid["metrics"])]
        assert sorted(c.chart_title.text_frame.text for c in panels) == \
            sorted(labels[m] for m in others)[:charts.CHART_ROWS["diff"]] or \
            len(panels) == min(len(others), charts.CHART_ROWS["diff"])


def _headers(prs, heading: str) -> list[str]:
    out = []
    for slide in prs.slides:
        if title(slide).startswith(heading) and tables_of(slide):
            table = tables_of(slide)[0]
            out += [table.cell(0, j).text_frame.text for j in range(len(table.columns))]
    return out


@pytest.mark.parametrize("slug", SLUGS)
def test_every_diff_panel_against_the_first_model(client, slug):
    """Each model's panel: a bar per metric, its value the difference in % of the baseline's,
    green where better by the metric's direction, red where worse, empty where either has no
    number."""
    grid, _ = grid_file(slug)
    baseline = grid["models"][0]["id"]
    prs = deck(client, f"/charts/{slug}/diff-vs-{baseline}.pptx")
    labels = {m["label"]: m["id"] for m in grid["models"]}
    names = {m["id"]: registry("metrics")[m["id"]]["name"] for m in grid["metrics"]}
    by_label = {m["label"]: m["id"] for m in grid["metrics"]}
    panels = [c for s in prs.slides for c in charts_of(s)]
    if not panels:
        assert "No metric to compare" in "\n".join(texts(prs.slides[0]))
        return
    for chart in panels:
        model = labels[chart.chart_title.text_frame.text]
        assert blanks(chart) == "gap"
        series = chart.plots[0].series[0]
        for i, (category, value) in enumerate(zip(chart.plots[0].categories, series.values,
                                                  strict=True)):
            metric = by_label.get(category) or next(m for m, n in names.items()
                                                    if n == category)
            mine, theirs = number(slug, model, metric), number(slug, baseline, metric)
            if mine is None or theirs is None or theirs == 0 or kind(metric) != "number":
                assert value is None, (model, category)
                continue
            assert value == pytest.approx((mine - theirs) / abs(theirs) * 100, abs=0.051)
            colour = fill(series.points[i].format)
            if direction(metric) is None:
                assert colour == charts.COLORS["neutral"].lstrip("#").upper()
            elif mine != theirs:
                better = (mine > theirs) == direction(metric)
                assert colour == (GREEN if better else "C62828"), (model, category)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_heatmap_is_a_native_table_filled_by_score(client, slug):
    grid, _ = grid_file(slug)
    prs = deck(client, f"/charts/{slug}/heatmap.pptx")
    labels = {m["label"]: m["id"] for m in grid["models"]}
    metrics = {m["label"]: m["id"] for m in grid["metrics"]}
    seen = set()
    scored: dict = defaultdict(list)
    for slide in prs.slides:
        inside(prs, slide)
        (table,) = tables_of(slide)
        header = [table.cell(0, j).text_frame.text for j in range(len(table.columns))]
        for i in range(1, len(table.rows)):
            model = labels[table.cell(i, 0).text_frame.text]
            for j in range(1, len(header)):
                metric = metrics[header[j]]
                cell = table.cell(i, j)
                assert cell.text_frame.text == printed(slug, model, metric)
                seen.add((model, metric))
                colour = fill(cell)
                if direction(metric) is None or number(slug, model, metric) is None:
                    assert colour in ("FFFFFF", charts.LIGHT["empty"].lstrip("#").upper())
                else:
                    scored[metric].append((score(slug, model, metric), darkness(colour)))
    shown = min(len(metrics), charts.HEATMAP_COLUMNS)
    assert len(seen) == len(labels) * shown
    # Within a column, a higher score is a darker green; 100 the darkest, 0 the palest.
    for metric, pairs in scored.items():
        pairs.sort()
        assert [d for _, d in pairs] == sorted(d for _, d in pairs), metric
        for value, d in pairs:
            if value in (0, 100):
                assert d == darkness(DARKEST if value else PALEST), (metric, value)


def darkness(colour: str) -> int:
    return -sum(int(colour[i:i + 2], 16) for i in (0, 2, 4))


# --- Compare and cost vs score -------------------------------------------------------------

PAIRS = list(itertools.combinations(sorted(registry("models")), 2))


def test_every_pairs_compare_slide(client):
    """Every pair of models: clustered bars, a series per model, each cluster's best at 100,
    every bar labelled with a number that, over the best's, gives its length."""
    drawn = 0
    for a, b in PAIRS:
        prs = deck(client, f"/charts/compare.pptx?models={a},{b}")
        names = [registry("models")[m]["name"] for m in (a, b)]
        plotted = [c for s in prs.slides for c in charts_of(s)]
        if not plotted:
            assert "These models share no metric" in "\n".join(texts(prs.slides[0]))
            continue
        drawn += 1
        for chart in plotted:
            assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
            plot = chart.plots[0]
            assert [s.name for s in plot.series] == names
            for k, _ in enumerate(plot.categories):
                values = [s.values[k] for s in plot.series]
                labels = [s.points[k].data_label.text_frame.text for s in plot.series]
                assert all(labels) and max(values) == pytest.approx(100)
                if not all(PLAIN.match(label) for label in labels):
                    continue  # '约 500 万美元': the label as printed, its number elsewhere
                shown = [float(label.rstrip("%")) for label in labels]
                top = shown[values.index(max(values))]
                for value, number_shown in zip(values, shown, strict=True):
                    assert value == pytest.approx(number_shown / top * 100, rel=1e-6) or \
                        value == pytest.approx(top / number_shown * 100, rel=1e-6)
    assert drawn > 100


def test_cost_vs_score_is_a_scatter_on_a_log_scale(client):
    prs = deck(client, "/charts/cost-vs-score.pptx?metric=aime-2024-pass1&price=api-output-price")
    (chart,) = charts_of(prs.slides[0])
    assert chart.chart_type == XL_CHART_TYPE.XY_SCATTER
    scaling = chart.category_axis._element.find(qn("c:scaling"))
    assert scaling.find(qn("c:logBase")).get("val") == "10"
    series = chart.plots[0].series[0]
    labels = [series.points[i].data_label.text_frame.text for i in range(len(series.values))]
    assert {label.split(" ⚠")[0] for label in labels} == {"DeepSeek-R1", "DeepSeek-V3"}
    r1 = labels.index(next(x for x in labels if x.startswith("DeepSeek-R1")))
    assert series.values[r1] == 79.8  # AIME 2024 pass@1 as 图5 prints it
    assert "also 3.29" in labels[r1]  # the other printed price, 表4


# --- Sizes, pictures, templates ------------------------------------------------------------


def test_4_3_slides_keep_everything_on_the_slide(client):
    prs = deck(client, "/charts/v3-readme-chat/deck.pptx?aspect=4:3&baseline=deepseek-v3")
    assert (prs.slide_width, prs.slide_height) == (Inches(10), Inches(7.5))
    for slide in prs.slides:
        inside(prs, slide)


def test_picture_slides_stay_available(client):
    prs = deck(client, "/charts/r1-distilled/bar-aime-2024-pass1.pptx?style=picture")
    (slide,) = prs.slides
    assert not charts_of(slide) and [s for s in slide.shapes if s.shape_type == 13]


@pytest.mark.parametrize("url", ["/charts/r1-distilled/deck.pptx?aspect=4:3&baseline=o1-mini",
                                 "/charts/v3-readme-chat/deck.pptx?aspect=4:3"])
def test_a_long_table_is_split_across_slides_with_every_cell(client, url):
    """Columns that do not fit the slide's width go on to the next slide with the model column
    again; rows that do not fit its height likewise: every model × metric is on one slide."""
    slug = url.split("/")[2]
    grid, _ = grid_file(slug)
    prs = deck(client, url)
    found = table_cells(prs, grid["title_en"])
    assert len([s for s in prs.slides if title(s).startswith(grid["title_en"] + " (")]) >= 2
    pairs = {(label, head.split("\n")[0]) for label, head in found}
    assert pairs >= {(m["label"], x["label"]) for m in grid["models"] for x in grid["metrics"]}


def test_unknown_style_and_aspect_are_refused(client):
    for query in ("style=video", "aspect=21:9"):
        response = client.get(f"/charts/r1-distilled/deck.pptx?{query}")
        assert response.status_code == 400, query
        assert query.split("=")[0] in response.get_data(as_text=True)


def test_a_deck_over_the_chart_limit_is_refused(client, monkeypatch):
    from leaderboard import chart_views

    monkeypatch.setattr(chart_views, "MAX_NATIVE_CHARTS", 5)
    response = client.get("/charts/r1-distilled/deck.pptx?sort=math-500-pass1")  # not cached
    assert response.status_code == 400
    assert "at most 5: choose up to 4 metrics" in response.get_data(as_text=True)


def test_values_and_charts_are_empty_never_zero_where_not_reported(client):
    """图5 prints '-' for OpenAI o1-1217 on MMLU-Redux: its bar is an empty point, its table
    cell '—'."""
    prs = deck(client, "/charts/r1-vs-frontier/bar-mmlu-redux-em.pptx")
    (chart,) = charts_of(prs.slides[0])
    values = dict(zip(chart.plots[0].categories, chart.plots[0].series[0].values, strict=True))
    assert values["OpenAI o1-1217"] is None
    assert not math.isnan(values["DeepSeek R1"]) and values["DeepSeek R1"] == 92.9


RANKED = [(slug, m["id"]) for slug in SLUGS for m in grid_file(slug)[0]["metrics"]
          if kind(m["id"]) == "number" and direction(m["id"]) is not None]


@pytest.mark.parametrize(("slug", "metric"), RANKED)
def test_a_sorted_decks_table_has_the_ranks(client, slug, metric):
    """Sorted by a ranked metric, the table's first column is each model's rank: one more than
    the models with a better number (ties share a rank), '—' for none."""
    grid, _ = grid_file(slug)
    prs = deck(client, f"/charts/{slug}/deck.pptx?sort={metric}&metrics={metric}")
    found = table_cells(prs, grid["title_en"])
    higher = direction(metric)
    for m in grid["models"]:
        mine = number(slug, m["id"], metric)
        rank = found[m["label"], "Rank"][0][0]
        if mine is None:
            assert rank == MISSING
            continue
        others = [number(slug, o["id"], metric) for o in grid["models"]]
        better = [v for v in others if v is not None and (v > mine if higher else v < mine)]
        assert rank == str(len(better) + 1), (m["label"], rank)
