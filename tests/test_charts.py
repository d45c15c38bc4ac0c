"""Charts: specs checked through to_dict(), exports checked as real files."""

import csv
import io
import json
import re
import threading
import time
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
import yaml
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from leaderboard import ROOT, chart_views, charts
from leaderboard.charts import ChartId
from leaderboard.view import grid_view


def draw(ds, grid, chart, query):
    """Draw a grid chart as its URL does: the chart's view, then the chart of it."""
    chart = ChartId.parse(chart)
    view, cut = charts.chart_view(ds, grid, chart, query)
    return charts.grid_chart(ds, view, chart, cut)


def layers(spec):
    return spec["layer"] if "layer" in spec else [spec]


def test_ranked_bar_follows_the_table_order_and_direction(dataset):
    grid = dataset.grids["cost-and-scale"]
    spec = draw(dataset, grid, "bar-api-input-price", {}).to_dict()
    bars = layers(spec)[0]
    # Lowest price first: the same order as /grids/cost-and-scale?sort=api-input-price.
    assert bars["encoding"]["y"]["sort"] == ["DeepSeekV3", "DeepSeekR1", "GPT-4"]
    assert bars["encoding"]["x"]["field"] == "value" and bars["encoding"]["x"]["type"] == "quantitative"
    assert bars["encoding"]["color"]["scale"]["domain"] == ["best", "baseline", "other"]
    values = spec["datasets"][spec["data"]["name"]] if "datasets" in spec else None
    assert [(v["model"], v["role"]) for v in values] == [
        ("DeepSeekV3", "best"), ("DeepSeekR1", "other"), ("GPT-4", "other")]
    labels = layers(spec)[1]
    assert labels["mark"]["type"] == "text" and labels["encoding"]["text"]["field"] == "printed"
    assert spec["title"]["subtitle"] == [
        "USD per 1M tokens · lower is better",
        "Not reported: Llama3.1405B",  # missing is left out and said, never drawn as 0
        "Source: 表4, p. 27, 中国银河证券研究院《DeepSeek：技术颠覆 or 创新共赢》(2025-02-03) · "
        "资料来源：DeepSeek、CSDN、OpenAI，中国银河证券研究院",
    ]


def test_ranked_bar_marks_the_baseline(dataset):
    grid = dataset.grids["r1-distilled"]
    spec = draw(dataset, grid, "bar-aime-2024-pass1", {"baseline": "o1-mini"}).to_dict()
    values = spec["datasets"][spec["data"]["name"]]
    assert values[0] == {"model": "DeepSeek-R1-Distill-Qwen-32B", "value": 72.6, "printed": "72.6",
                         "role": "best"}
    assert {"model": "o1-mini", "value": 63.6, "printed": "63.6", "role": "baseline"} in values


def test_heatmap_is_direction_aware_and_keeps_missing_empty(dataset):
    grid = dataset.grids["r1-vs-frontier"]
    table = grid_view(dataset, grid, {})
    data = charts.heatmap_data(table)
    cell = data[(data["model"] == "OpenAI o1-1217") & (data["metric"] == "MMLU-Redux (EM)")].iloc[0]
    assert (cell["kind"], cell["printed"]) == ("missing", "—") and pd.isna(cell["score"])
    best = data[(data["model"] == "OpenAI o1-1217") & (data["metric"] == "MMLU (Pass@1)")].iloc[0]
    assert best["score"] == 100.0
    prices = charts.heatmap_data(grid_view(dataset, dataset.grids["cost-and-scale"], {}))
    cheapest = prices[(prices["model"] == "DeepSeekV3") & (prices["metric"] == "API 价格 输入端")].iloc[0]
    dearest = prices[(prices["model"] == "GPT-4") & (prices["metric"] == "API 价格 输入端")].iloc[0]
    assert (cheapest["score"], dearest["score"]) == (100.0, 0.0)  # lower price is better
    date = prices[prices["metric"] == "发布时间"].iloc[0]
    assert date["kind"] == "unranked"  # release date has no direction: not coloured
    spec = draw(dataset, grid, "heatmap", {}).to_dict()
    coloured = layers(spec)[1]
    assert coloured["transform"] == [{"filter": "datum.kind === 'scored'"}]
    assert coloured["encoding"]["color"]["scale"]["domain"] == [0, 100]
    assert layers(spec)[0]["encoding"]["y"]["sort"] == [m.label for m in grid.models]


def test_heatmap_columns_fit_their_printed_values(client):
    """Short numbers keep narrow columns; 表4's long printed texts widen theirs, up to a bound
    past which the text is cut in the cell (the tooltip keeps it whole)."""
    numbers = client.get("/charts/r1-vs-frontier/heatmap.json").json
    assert numbers["width"] == 68 * 21
    texts = client.get("/charts/cost-and-scale/heatmap.json").json
    assert 68 * 9 < texts["width"] <= 160 * 9
    (text,) = [layer for layer in layers(texts) if layer["mark"]["type"] == "text"]
    assert text["mark"]["limit"] == texts["width"] / 9 - 6
    root = ET.fromstring(client.get("/charts/cost-and-scale/heatmap.svg").data)
    shown = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "输入端：0.55 美元/百万 token" in shown  # whole, no longer over its neighbour
    assert any(t.endswith("…") and t.startswith("15 亿-70 亿") for t in shown)


def test_heatmap_follows_the_page_sort(dataset):
    grid = dataset.grids["r1-distilled"]
    spec = draw(dataset, grid, "heatmap", {"sort": "codeforces-rating"}).to_dict()
    order = layers(spec)[0]["encoding"]["y"]["sort"]
    assert order[0] == "o1-mini" and order[-1] == "Claude-3.5-Sonnet-1022"


def test_diff_chart_colours_better_and_worse_by_direction(dataset):
    table = grid_view(dataset, dataset.grids["cost-and-scale"], {"baseline": "gpt-4"})
    data = charts.diff_data(table, table.rows)
    assert "GPT-4" not in set(data["model"])
    v3_price = data[(data["model"] == "DeepSeekV3") & (data["metric"] == "API 价格 输入端")].iloc[0]
    assert v3_price["verdict"] == "better" and v3_price["pct"] < 0  # cheaper is better
    spec = draw(dataset, dataset.grids["cost-and-scale"], "diff-vs-gpt-4", {}).to_dict()
    assert spec["facet"]["field"] == "model"
    scale = spec["spec"]["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["better", "worse", "level", "neutral"]
    assert len(set(scale["range"])) == 4  # four verdicts, four colours


def test_the_diff_chart_draws_as_many_models_as_it_says(dataset):
    """r1-distilled has 10 models: against o1-mini, 9 others — every one drawn, none counted
    and left out (the cap once counted the baseline: 'Top 9 of 10', 8 panels)."""
    grid = dataset.grids["r1-distilled"]
    spec = draw(dataset, grid, "diff-vs-o1-mini", {}).to_dict()
    others = [m.label for m in grid.models if m.id != "o1-mini"]
    assert len(others) == 9
    drawn = list(dict.fromkeys(d["model"] for d in next(iter(spec["datasets"].values()))))
    assert drawn == others
    assert not any("shown" in line for line in spec["title"]["subtitle"])


def test_compare_chart(dataset):
    from leaderboard.tables import compare

    comparison = compare(dataset, "deepseek-r1,openai-o1-1217")
    data = charts.compare_data(comparison)
    mmlu = data[data["metric"] == "MMLU (pass@1)"].set_index("model")["relative"]
    assert mmlu["OpenAI o1 (2024-12-17)"] == 100.0
    assert mmlu["DeepSeek-R1"] == pytest.approx(90.8 / 91.8 * 100)
    spec = charts.compare_figure(dataset, comparison).to_dict()
    assert layers(spec)[0]["encoding"]["yOffset"]["field"] == "model"


def test_cost_vs_score_uses_models_with_both(dataset):
    data = charts.cost_score_data(dataset, "aime-2024-pass1", "api-output-price")
    assert sorted(data["model"]) == ["DeepSeek-R1", "DeepSeek-V3"]
    r1 = data[data["model"] == "DeepSeek-R1"].iloc[0]
    assert r1["label"] == "DeepSeek-R1 ⚠ also 3.29 in 表4, p. 27"  # the conflict stays visible
    spec = charts.cost_score_figure(dataset, "aime-2024-pass1", "api-output-price").to_dict()
    assert layers(spec)[0]["encoding"]["x"]["scale"]["type"] == "log"


@pytest.mark.parametrize(
    ("figure", "why"),
    [
        (lambda ds: draw(ds, ds.grids["r1-distilled"], "heatmap", {"q": "nomatch"}),
         "No model matches these filters."),
        (lambda ds: draw(ds, ds.grids["r1-vs-frontier"], "bar-mmlu-redux-em",
                                      {"q": "o1-1217"}), "No value reported in 图5."),
        (lambda ds: charts.cost_score_figure(ds, "simpleqa-correct", "inference-power"),
         "No model has both numbers."),
    ],
)
def test_no_data_is_an_explicit_chart(dataset, figure, why):
    spec = figure(dataset).to_dict()
    assert spec["mark"]["type"] == "text"
    assert spec["datasets"][spec["data"]["name"]] == [{"text": why}]


def test_every_chart_of_every_grid_builds(client, dataset):
    for slug in dataset.grids:
        for chart in client.get(f"/api/grids/{slug}").json["charts"]:
            if chart["id"] == "deck":
                continue
            response = client.get(chart["urls"]["json"])
            assert response.status_code == 200, chart
            spec = response.json
            assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
            assert spec["title"]["text"] and spec["title"]["subtitle"][-1].startswith("Source:")


def test_png_size_follows_scale(client):
    sizes = {}
    for scale in (1, 2):
        response = client.get(f"/charts/r1-distilled/bar-aime-2024-pass1.png?scale={scale}")
        assert response.status_code == 200 and response.mimetype == "image/png"
        sizes[scale] = Image.open(io.BytesIO(response.data)).size
    assert sizes[2] == (sizes[1][0] * 2, sizes[1][1] * 2)


def test_png_width_theme_and_background(client):
    narrow = Image.open(io.BytesIO(client.get(
        "/charts/r1-distilled/bar-aime-2024-pass1.png?scale=1&width=300").data))
    wide = Image.open(io.BytesIO(client.get(
        "/charts/r1-distilled/bar-aime-2024-pass1.png?scale=1&width=900").data))
    assert wide.size[0] - narrow.size[0] > 350  # labels and axis keep their room either way
    assert wide.size[1] == narrow.size[1]
    dark = Image.open(io.BytesIO(client.get(
        "/charts/r1-distilled/bar-aime-2024-pass1.png?scale=1&theme=dark").data)).convert("RGBA")
    assert dark.getpixel((1, 1))[:3] == (0x14, 0x17, 0x1B)
    clear = Image.open(io.BytesIO(client.get(
        "/charts/r1-distilled/bar-aime-2024-pass1.png?scale=1&background=transparent").data))
    assert clear.convert("RGBA").getpixel((1, 1))[3] == 0


def test_svg_parses_and_holds_the_chinese_source_line(client):
    response = client.get("/charts/r1-vs-frontier/heatmap.svg")
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    assert "资料来源: DeepSeek 官网, 中国银河证券研究院" in text


def test_pptx_slide_has_picture_title_and_source(client):
    response = client.get("/charts/r1-vs-frontier/bar-aime-2024-pass1.pptx?style=picture")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="r1-vs-frontier_bar-aime-2024-pass1.pptx"')
    deck = Presentation(io.BytesIO(response.data))
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    (slide,) = deck.slides
    pictures = [s for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1
    texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    assert texts[0] == "DeepSeek-R1 against other representative models, benchmark by benchmark: AIME 2024 (pass@1)"
    assert "资料来源: DeepSeek 官网, 中国银河证券研究院" in texts[-1] and "图5, p. 7" in texts[-1]
    picture = Image.open(io.BytesIO(pictures[0].image.blob))
    assert picture.size[0] >= 1500  # drawn at 3× for a crisp slide


def _blobs(response) -> list[bytes]:
    """A deck's pictures (its zip also holds the time it was written)."""
    return [shape.image.blob for slide in Presentation(io.BytesIO(response.data)).slides
            for shape in slide.shapes if shape.shape_type == 13]


def _pictures(response) -> list[tuple[int, int]]:
    deck = Presentation(io.BytesIO(response.data))
    return [Image.open(io.BytesIO(shape.image.blob)).size
            for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13]


def test_a_large_chart_is_drawn_as_large_as_a_slide_needs(client):
    """The PNG route refuses a picture over the pixel budget; a slide draws it as large as its
    picture box needs (200 dpi), whatever scale was asked for."""
    url = "/charts/r1-vs-frontier/heatmap.{}?width=2400&height=2400&scale=4&style=picture"
    assert client.get(url.format("png")).status_code == 400
    ((width, height),) = _pictures(client.get(url.format("pptx")))
    assert 0.95 * chart_views.SLIDE_PIXELS <= width * height <= chart_views.SLIDE_PIXELS


def test_deck_has_a_slide_per_chart(client, dataset):
    deck = Presentation(io.BytesIO(client.get("/charts/r1-distilled/deck.pptx?style=picture").data))
    expected = [c for c, _ in charts.grid_charts(dataset, dataset.grids["r1-distilled"])
                if c.kind != "diff"]
    assert len(deck.slides) == len(expected) == 7


def test_a_deck_shares_one_pixel_budget(client):
    """The largest deck there is (图5: 22 slides) laid out at the largest size: its pictures
    together stay within DECK_PIXELS (it was 22 × 24 million pixels, 31 s of one worker)."""
    sizes = _pictures(client.get("/charts/r1-vs-frontier/deck.pptx?width=2400&height=2400&style=picture"))
    assert len(sizes) == 22
    assert sum(w * h for w, h in sizes) <= chart_views.DECK_PIXELS
    assert min(w * h for w, h in sizes) >= 0.9 * chart_views.DECK_PIXELS / 22


def test_a_deck_follows_the_chosen_metrics(client):
    response = client.get("/charts/r1-vs-frontier/deck.pptx?metrics=aime-2024-pass1,mmlu-pass1&style=picture")
    titles = [s.shapes[0].text_frame.text for s in Presentation(io.BytesIO(response.data)).slides]
    assert len(titles) == 3 and titles[0].endswith("every model and metric")
    # In the order the table shows them: the order asked for.
    assert [t.split(": ")[-1] for t in titles[1:]] == ["AIME 2024 (pass@1)", "MMLU (pass@1)"]


def test_a_deck_over_the_slide_limit_is_refused_with_the_limit(client, monkeypatch):
    from conftest import soup

    monkeypatch.setattr(chart_views, "MAX_SLIDES", 10)
    response = client.get("/charts/r1-vs-frontier/deck.pptx?style=picture")
    assert response.status_code == 400
    assert soup(response).select_one(".error-message").get_text(strip=True) == (
        "metrics: this deck would have 22 slides (the heatmap and a bar chart per metric); a "
        "deck has at most 10: choose up to 9 metrics with metrics=a,b,…")
    assert client.get("/charts/r1-vs-frontier/deck.pptx?metrics=mmlu-pass1&style=picture").status_code == 200


def test_decks_are_drawn_from_cached_slides():
    """Another spelling of the same deck (an unknown argument, another scale) draws nothing."""
    from conftest import DATA_DIR

    from leaderboard import create_app

    # An app of its own: its data are a new Dataset, so no slide of it is drawn yet and no
    # response cached. slide_item's counters are the module's, shared: only deltas are this test's.
    app = create_app({"TESTING": True, "DATA_DIR": str(DATA_DIR)})
    client, responses = app.test_client(), app.extensions["response_cache"]
    before = chart_views.slide_item.cache_info()
    deck = ("/charts/r1-distilled/deck.pptx?theme=dark&metrics=aime-2024-pass1,math-500-pass1"
            "&style=picture")
    first = client.get(deck)
    drawn = chart_views.slide_item.cache_info()
    slides = len(_blobs(first))
    assert slides == 3 and (drawn.misses - before.misses, drawn.hits - before.hits) == (slides, 0)
    for extra in ("z=1", "z=2", "scale=1", "scale=4", "utm_source=x"):
        again = client.get(f"{deck}&{extra}")
        assert again.status_code == 200 and _blobs(again) == _blobs(first)
    after = chart_views.slide_item.cache_info()
    assert after.misses == drawn.misses  # nothing drawn again
    # z=1, z=2 and utm_source=x were the first response; scale=1 and scale=4 reached the view,
    # which took every slide from the cache.
    assert (responses.hits, responses.misses) == (3, 3)
    assert after.hits - drawn.hits == 2 * slides


def test_embed_page_may_be_framed_by_any_site_and_pages_may_not(client):
    page = client.get("/charts/r1-distilled/heatmap.html?q=qwen")
    assert page.status_code == 200
    assert "frame-ancestors *" in page.headers["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    assert 'data-spec="/charts/r1-distilled/heatmap.json?q=qwen"' in html
    assert "/charts/assets/vega.js" in html and "https://" not in html
    grid = client.get("/grids/r1-distilled")
    assert "frame-ancestors 'none'" in grid.headers["Content-Security-Policy"]


def test_grid_page_shows_charts_with_a_download_menu(client):
    from conftest import soup

    page = soup(client.get("/grids/r1-distilled?q=qwen&sort=codeforces-rating&baseline=o1-mini"))
    specs = [div["data-spec"] for div in page.select(".vega-chart")]
    assert specs == [
        "/charts/r1-distilled/heatmap.json?q=qwen&sort=codeforces-rating",
        "/charts/r1-distilled/bar-codeforces-rating.json?q=qwen&sort=codeforces-rating",
        "/charts/r1-distilled/diff-vs-o1-mini.json?q=qwen&sort=codeforces-rating",
    ]
    menu = page.select(".chart-menu")[0]
    links = [a.get_text() for a in menu.select("a")]
    assert links == ["PNG", "4×", "SVG", "Slide (PPTX)", "Vega-Lite spec", "Standalone page"]
    assert "<iframe src=" in menu.textarea.get_text()


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/charts/r1-distilled/pie.png", 404, "no chart 'pie'"),
        ("/charts/r1-distilled/heatmap.gif", 404, "There is no chart format 'gif'. Chart formats: json, svg"),
        ("/charts/nope/heatmap.png", 404, "no grid 'nope'"),
        ("/charts/r1-distilled/heatmap.png?scale=9", 400, "scale: must be one of 1, 2, 3, 4"),
        ("/charts/r1-distilled/heatmap.png?width=10", 400, "width: Must be greater than or equal to 200"),
        ("/charts/r1-distilled/heatmap.png?theme=purple", 400, "theme: Must be one of: light, dark."),
        ("/charts/r1-distilled/heatmap.png?background=plaid", 400, "background: Must be one of: white, transparent."),
        ("/charts/r1-distilled/bar-release-date.png", 404, "no chart 'bar-release-date'"),
        ("/charts/cost-vs-score.png?metric=nope", 404, "There is no metric 'nope'"),
        ("/charts/compare.png?models=deepseek-r1", 400, "models: name two or more model ids"),
        ("/charts/r1-vs-frontier/heatmap.png?width=2400&height=2400&scale=4", 400,
         "px image; the most is 24 million pixels (here scale 1)."),  # its size: the fonts
        ("/charts/r1-distilled/heatmap.png?scale=1.5", 400, "scale: must be one of 1, 2, 3, 4"),
        ("/charts/r1-distilled/heatmap.png?scale=2.0001", 400, "scale: must be one of 1, 2, 3, 4"),
    ],
)
def test_bad_chart_requests(client, url, status, says):
    from conftest import soup

    response = client.get(url)
    assert response.status_code == status
    assert says in soup(response).select_one(".error-message").get_text()


def test_rendered_bytes_are_cached_and_validated(dataset):
    from conftest import DATA_DIR

    from leaderboard import create_app

    # An app of its own, so nothing of it is cached yet; render's counters are the module's.
    app = create_app({"TESTING": True, "DATA_DIR": str(DATA_DIR)})
    client, responses = app.test_client(), app.extensions["response_cache"]
    url = "/charts/r1-distilled/bar-math-500-pass1.png?scale=1"
    before = chart_views.render.cache_info()
    first = client.get(url)
    drawn = chart_views.render.cache_info()
    second = client.get("/charts/r1-distilled/bar-math-500-pass1.png?scale=1&")
    assert first.data == second.data
    assert (drawn.misses - before.misses, drawn.hits - before.hits) == (1, 0)  # rendered once
    assert chart_views.render.cache_info() == drawn  # the repeat never reached render:
    assert (responses.hits, responses.misses) == (1, 1)  # it came from the response cache
    # Other options are another picture, drawn from the same cached spec.
    assert client.get(url + "&theme=dark").data != first.data
    assert first.headers["ETag"].startswith(f'"{dataset.version}-')
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize("spellings", [
    ["max_params=100000", "max_params=100001", "max_params=2000", "min_params=1"],
    ["q=e", "q=E"],
    ["org=DeepSeek", "org=deepseek", "org=DEEPSEEK"],
    ["sort=aime-2024-pass1", "sort=aime-2024-pass1,aime-2024-pass1",
     "sort=aime-2024-pass1&order=desc"],
])
def test_spellings_of_one_view_draw_one_picture(spellings):
    """Each spelling used to cost a full render (a deck at 2400 × 2400: ~4 s each)."""
    from conftest import DATA_DIR

    from leaderboard import create_app

    # An app of its own, so its first spelling is drawn here; the counters are the module's.
    app = create_app({"TESTING": True, "DATA_DIR": str(DATA_DIR)})
    client, responses = app.test_client(), app.extensions["response_cache"]
    urls = [f"/charts/r1-vs-frontier/{chart}?width=2400&height=2400&scale=1&style=picture&{s}"
            for s in spellings for chart in ("bar-mmlu-pass1.png", "deck.pptx")]
    def picture(response):
        return response.data if response.mimetype == "image/png" else _blobs(response)

    before = chart_views.render.cache_info().misses, chart_views.slide_item.cache_info().misses
    first = {u.split("?")[0]: picture(client.get(u)) for u in urls[:2]}
    rendered = chart_views.render.cache_info().misses
    drawn = chart_views.slide_item.cache_info().misses
    slides = len(first["/charts/r1-vs-frontier/deck.pptx"])
    assert rendered - before[0] == 1 and drawn - before[1] == slides  # drawn here, once
    for url in urls[2:]:
        response = client.get(url)
        assert response.status_code == 200 and picture(response) == first[url.split("?")[0]]
    assert responses.hits == 0  # every spelling reached its view
    assert chart_views.render.cache_info().misses == rendered
    assert chart_views.slide_item.cache_info().misses == drawn


def test_a_worker_drawing_a_picture_answers_other_drawings_503_retry_after(client, monkeypatch):
    """One cold drawing at a time per worker: a burst of drawings is told to come back instead
    of holding the worker (18 at once held /api/grids for 53 s)."""
    chart_views._CHARTS.clear()  # a worker that has drawn nothing yet (other tests drew these)
    monkeypatch.setattr(chart_views, "_busy", 1)  # as while another request draws
    monkeypatch.setattr(chart_views, "TURN_WAIT", 0.2)
    cold = client.get("/charts/r1-distilled/heatmap.png?theme=dark&width=777")
    assert cold.status_code == 503 and cold.headers["Retry-After"] == "5"
    assert "ask again in a few seconds" in cold.get_data(as_text=True)
    assert client.get("/charts/r1-distilled/deck.pptx?width=777").status_code == 503
    assert client.get("/api/grids").status_code == 200  # nothing else is refused
    monkeypatch.setattr(chart_views, "_busy", 0)
    assert client.get("/charts/r1-distilled/heatmap.png?theme=dark&width=777").status_code == 200
    monkeypatch.setattr(chart_views, "_busy", 1)  # drawn once, it is served while busy
    assert client.get("/charts/r1-distilled/heatmap.png?theme=dark&width=777").status_code == 200


def test_a_drawing_that_ends_soon_lets_the_next_one_draw(client, monkeypatch):
    """Pictures asked at once (a page's <noscript> images) wait their turn for a few seconds
    rather than being refused while another is drawn."""
    monkeypatch.setattr(chart_views, "_busy", 1)
    ends = threading.Timer(0.5, lambda: setattr(chart_views, "_busy", 0))
    ends.start()
    started = time.monotonic()
    response = client.get("/charts/r1-distilled/heatmap.svg?theme=dark&width=778")
    assert response.status_code == 200 and time.monotonic() - started >= 0.5
    ends.join()


def test_specs_are_never_refused_while_drawing(client, monkeypatch):
    """A page's charts are drawn by the browser from their specs, several at once."""
    monkeypatch.setattr(chart_views, "_busy", 1)
    for chart in ("heatmap", "bar-aime-2024-pass1", "diff-vs-o1-mini"):
        assert client.get(f"/charts/r1-distilled/{chart}.json?width=555").status_code == 200


# --- Default charts, value axes, dark specs, names: expected values from the data files ----

DATA = ROOT / "data" / "benchmarks"
SLUGS = sorted(p.stem for p in (DATA / "grids").glob("*.yaml"))
METRICS = {m["id"]: m for m in yaml.safe_load((DATA / "metrics.yaml").read_text("utf-8"))}
SVG = "{http://www.w3.org/2000/svg}"


def grid_file(slug):
    return yaml.safe_load((DATA / "grids" / f"{slug}.yaml").read_text(encoding="utf-8"))


def printed_cells(slug) -> dict[str, list[str]]:
    """metric id -> the texts a grid's cells file prints for it, numbers only (a value given)."""
    ids = {m["label"]: m["id"] for m in grid_file(slug)["metrics"]}
    out: dict[str, list[str]] = {}
    with (DATA / "grids" / f"{slug}.csv").open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["value"]:
                out.setdefault(ids[row["metric"]], []).append(row["printed"])
    return out


def expected_default_bar(slug) -> str | None:
    """The metric a grid page should rank in bars, from metrics.yaml: the first 0–100 score
    with a direction, else the first with a direction, else the first number that is not a
    year; a grid of years and yes/no has none."""
    numbers = [METRICS[m["id"]] for m in grid_file(slug)["metrics"]
               if METRICS[m["id"]].get("type", "number") == "number"]
    quantities = [m for m in numbers if m["unit"] != "year"]
    for pool in ([m for m in quantities if m["higher_is_better"] is not None and m.get("scale")],
                 [m for m in quantities if m["higher_is_better"] is not None], quantities):
        if pool:
            return pool[0]["id"]
    return None


@pytest.mark.parametrize("slug", SLUGS)
def test_a_grid_page_ranks_a_meaningful_metric_by_default(client, slug):
    from conftest import soup

    specs = [div["data-spec"] for div in soup(client.get(f"/grids/{slug}")).select(".vega-chart")]
    bars = [s.split("/bar-")[1].split(".json")[0] for s in specs if "/bar-" in s]
    expected = expected_default_bar(slug)
    assert bars == ([expected] if expected else [])


@pytest.mark.parametrize(("slug", "bar"), [
    ("cost-and-scale", "training-cost"), ("on-device-llms", "params-total"),
    ("v3-readme-base", "bbh-em-3-shot"),  # a score, not bits per byte
])
def test_the_defaults_named_in_the_issue(client, slug, bar):
    """Not release year (bars from year 0) nor parameters (no direction) when a ranked metric
    is there; on-device-llms has only undirected metrics: its sizes, never its years."""
    from conftest import soup

    assert expected_default_bar(slug) == bar
    specs = [div["data-spec"] for div in soup(client.get(f"/grids/{slug}")).select(".vega-chart")]
    assert [s for s in specs if "/bar-" in s] == [f"/charts/{slug}/bar-{bar}.json"]


def label_pattern(unit: str, printed: list[str]) -> str:
    """How the value axis writes its ticks, from the unit and the way the data prints it."""
    texts = [p for p in printed if p.strip() not in ("", "-", "—")]
    if 2 * sum("万" in p or "亿" in p for p in texts) > len(texts):
        return r"0|[\d.]+ (万亿|亿|万)?美元" if unit == "USD" else r"0|[\d.]+( (万亿|亿|万))?"
    return {
        "USD": r"\$[\d.]+[kMB]?",
        "parameters": r"[\d.]+[kMBT]?", "tokens": r"[\d.]+[kMBT]?",
        "GPU hours": r"[\d.]+[kMBT]?", "GPUs": r"[\d.]+[kMBT]?",
        "USD per 1M tokens": r"\$[\d.]+",
        "year": r"\d{4}",
    }.get(unit, r"-?\d{1,3}(,\d{3})*(\.\d+)?")


def x_labels(svg: bytes) -> list[str]:
    """The value axis's tick labels a picture shows (the ones not hidden as overlapping)."""
    root = ET.fromstring(svg)
    axis = next(g for g in root.iter(f"{SVG}g")
                if (g.get("aria-label") or "").startswith("X-axis"))
    labels = next(g for g in axis.iter(f"{SVG}g") if "role-axis-label" in g.get("class", ""))
    return [t.text or "" for t in labels.iter(f"{SVG}text") if t.get("opacity") != "0"]


def _axis_cases():
    for slug in SLUGS:
        metric = expected_default_bar(slug)
        if metric:
            yield f"/charts/{slug}/bar-{metric}.svg", metric, printed_cells(slug)[metric]
    every: dict[str, list[str]] = {}
    for slug in SLUGS:
        for metric, texts in printed_cells(slug).items():
            every.setdefault(metric, []).extend(texts)
    for metric, texts in every.items():
        if METRICS[metric].get("type", "number") == "number":
            yield f"/charts/metrics/{metric}.svg", metric, texts


@pytest.mark.parametrize(("url", "metric", "printed"), list(_axis_cases()),
                         ids=lambda v: v if isinstance(v, str) and v.startswith("/") else "")
def test_value_axes_speak_the_datas_units(client, url, metric, printed):
    """400B, $10M, 6000 万美元 where the cells print 万美元, 2024 not 2,024: drawn by the real
    renderer and read back from the SVG."""
    labels = x_labels(client.get(url).data)
    pattern = label_pattern(METRICS[metric]["unit"], printed)
    assert len(labels) >= 2 and all(re.fullmatch(pattern, label) for label in labels), \
        (pattern, labels)


def test_the_axes_named_in_the_issue(client):
    cost = x_labels(client.get("/charts/metrics/training-cost.svg").data)
    assert "6000 万美元" in cost and not any("," in label for label in cost)
    sizes = x_labels(client.get("/charts/cost-and-scale/bar-params-total.svg").data)
    assert sizes[-1].endswith("万亿")  # as 表4 prints 1.8 万亿 and 4050 亿
    sizes = x_labels(client.get("/charts/on-device-llms/bar-params-total.svg").data)
    assert sizes[-1] == "7B"  # as 图27 prints 7B
    years = x_labels(client.get("/charts/on-device-llms/bar-release-year.svg").data)
    assert years and all(re.fullmatch(r"20\d\d", y) for y in years)


def test_a_dark_spec_draws_nothing_in_the_light_themes_colours(client):
    """Every grid chart's dark spec: none of the light theme's page colours left, and the
    heatmap's text on a coloured cell contrasts with the cell, not the page."""
    light = set(charts.THEMES["light"].values())
    for slug in SLUGS:
        for chart in client.get(f"/api/grids/{slug}").json["charts"]:
            if chart["id"] in ("deck",):
                continue
            url = chart["urls"]["json"]
            spec = client.get(url + ("&" if "?" in url else "?") + "theme=dark").json
            drawn = json.dumps({k: v for k, v in spec.items() if k != "datasets"})
            assert not [c for c in light if c in drawn], url
            assert spec["config"]["background"] == charts.THEMES["dark"]["background"]


def test_every_spec_is_described_by_its_title_and_lines(client):
    """vega-embed names a chart after its description: never 'Vega visualization'."""
    urls = [c["urls"]["json"] for slug in SLUGS
            for c in client.get(f"/api/grids/{slug}").json["charts"] if c["id"] != "deck"]
    urls += ["/charts/metrics/training-cost.json", "/charts/models/deepseek-r1.json",
             "/charts/compare.json?models=deepseek-r1,o1-mini", "/charts/cost-vs-score.json"]
    for url in urls:
        spec = client.get(url).json
        lines = [spec["title"]["text"], *spec["title"]["subtitle"]]
        assert spec["description"] == ". ".join(lines), url


@pytest.mark.parametrize("url", ["/charts/r1-vs-frontier/heatmap.html",
                                 "/charts/metrics/training-cost.html",
                                 "/charts/models/deepseek-r1.html",
                                 "/charts/compare.html?models=deepseek-r1,o1-mini"])
def test_embed_pages_have_a_main_landmark_and_the_charts_title(client, url):
    from conftest import soup

    page = soup(client.get(url))
    title = client.get(url.replace(".html", ".json")).json["title"]["text"]
    assert page.select_one("main h1").get_text() == title
    assert page.select_one("main .vega-chart")["data-spec"].startswith(url.split(".html")[0])
    assert not page.select("[role=img]")  # Vega names the drawn chart; no second img around it


def test_the_deck_link_carries_the_pages_view(client):
    from conftest import soup

    query = "q=qwen&sort=codeforces-rating&order=asc&baseline=o1-mini&metrics=aime-2024-pass1"
    page = soup(client.get(f"/grids/r1-distilled?{query}"))
    link = page.find("a", string="deck (PPTX)")["href"]
    assert link.startswith("/charts/r1-distilled/deck.pptx?")
    assert dict(pair.split("=") for pair in link.split("?")[1].split("&")) == \
        dict(pair.split("=") for pair in query.split("&"))


def test_a_deck_with_a_baseline_has_its_diff_chart(client):
    deck = Presentation(io.BytesIO(client.get(
        "/charts/r1-distilled/deck.pptx?baseline=o1-mini&metrics=aime-2024-pass1&style=picture"
    ).data))
    texts = [[s.text_frame.text for s in slide.shapes if s.has_text_frame] for slide in deck.slides]
    assert len(texts) == 3 and texts[2][0] == "Difference from OpenAI o1-mini, per metric", texts
    plain = Presentation(io.BytesIO(client.get(
        "/charts/r1-distilled/deck.pptx?metrics=aime-2024-pass1&style=picture").data))
    assert len(plain.slides) == 2
