"""Charts, slides and workbooks in the request's language: every chart of every grid, metric
and model drawn with Chinese words at ?lang=zh and the same English ones as before at ?lang=en;
never served from a cache in another language; the CSV's columns stay English (data names)."""

import io
import zipfile

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from leaderboard import create_app

# Words of the charts' English interface: none may be left in a chart drawn in Chinese.
ENGLISH = ("Source:", "higher is better", "lower is better", "Top ", " shown", "Not reported",
           "Colour:", "Baseline:", "difference from the baseline", "score in grid",
           "every model and metric", ", ranked", ", sorted", "Difference from", "every grid",
           "results on 0–100", "relative to the best", "log scale", "Printed in",
           "No model", "No value", "No metric", "as printed")
TOOLTIPS = ("printed", "model", "metric", "score", "price", "difference")
WORDS = ("title", "text", "subtitle", "description", "labelExpr")


def _words(node, key: str = "") -> list[str]:
    """A spec's words but its data's: titles, notes, axes, legends, tooltips."""
    if isinstance(node, dict):
        return [w for k, v in node.items() if k not in ("datasets", "data", "encoding")
                or k == "encoding" for w in _words(v, k)]
    if isinstance(node, list):
        return [w for v in node for w in _words(v, key)]
    return [node] if isinstance(node, str) and key in WORDS else []


def _chart_urls(client, dataset) -> list[str]:
    """Every chart's spec URL at ?lang=zh: each grid's, as its API lists them, each metric's,
    each model's, a compare and a cost-vs-score chart."""
    urls = []
    for slug in dataset.grids:
        for chart in client.get(f"/api/grids/{slug}?lang=zh").json["charts"]:
            if chart["id"] != "deck":
                urls.append(chart["urls"]["json"])
    urls += [f"/charts/metrics/{m}.json?lang=zh" for m in dataset.metrics.index]
    urls += [f"/charts/models/{m}.json?lang=zh" for m in dataset.models.index]
    models = ",".join(dataset.models.index[:3])
    urls += [f"/charts/compare.json?models={models}&lang=zh", "/charts/cost-vs-score.json?lang=zh"]
    return urls


def test_every_chart_speaks_the_requests_language(client, dataset):
    for url in _chart_urls(client, dataset):
        assert "lang=zh" in url  # the API's chart links carry the language it was asked in
        zh = client.get(url)
        en = client.get(url.replace("lang=zh", "lang=en"))
        assert zh.status_code == en.status_code == 200, url
        zh_title, en_title = zh.json["title"], en.json["title"]
        assert zh_title["subtitle"][-1].startswith("资料来源："), url
        assert en_title["subtitle"][-1].startswith("Source: "), url
        if "/compare." not in url:  # a compare chart's title is its models' names alone
            assert zh_title["text"] != en_title["text"], url
        words = _words(zh.json)
        assert words and not [w for w in words if w in TOOLTIPS
                              or any(e in w for e in ENGLISH)], (url, words)


def test_the_charts_on_a_chinese_page_are_drawn_in_chinese(client):
    from conftest import soup

    page = soup(client.get("/grids/r1-vs-frontier?lang=zh&baseline=deepseek-r1"))
    links = [a["href"] for a in page.select("a[href^='/charts/']")]
    assert links and all("lang=zh" in link for link in links)
    spec = client.get(next(link for link in links if ".json" in link)).json
    assert spec["title"]["subtitle"][-1].startswith("资料来源：")
    # A page's chart titles too, the price chart's among them.
    text = soup(client.get("/grids/api-pricing?lang=zh")).get_text()
    assert "全部模型与指标" in text and "价格对比 AIME 2024" in text
    assert "every model and metric" not in text and "Price vs" not in text


def _content(data: bytes) -> bytes | dict[str, bytes]:
    """A picture's bytes, or an office file's parts: a picture deck is zipped again for each
    answer, and a zip's entries carry the second they were written."""
    if not data.startswith(b"PK"):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_no_chart_slide_or_deck_is_served_from_the_cache_in_another_language(dataset):
    from conftest import DATA_DIR

    # An app of its own: a new Dataset, so nothing of it is drawn or cached yet.
    client = create_app({"TESTING": True, "DATA_DIR": str(DATA_DIR)}).test_client()
    grid = "/charts/r1-vs-frontier"
    for url in (f"{grid}/bar-aime-2024-pass1.png", f"{grid}/heatmap.svg",
                f"{grid}/diff-vs-deepseek-r1.pptx", f"{grid}/bar-aime-2024-pass1.pptx?style=native",
                f"{grid}/deck.pptx?style=native&metrics=aime-2024-pass1",
                f"{grid}/deck.pptx?style=picture&metrics=aime-2024-pass1",
                "/charts/metrics/aime-2024-pass1.png", "/charts/models/deepseek-r1.svg"):
        joined = "&" if "?" in url else "?"
        en = client.get(f"{url}{joined}lang=en").data
        # The browser's language, not the URL's: the same URL, another language.
        zh = client.get(url, headers={"Accept-Language": "zh-CN"}).data
        again = client.get(url, headers={"Accept-Language": "en"}).data
        assert _content(zh) != _content(en) and _content(again) == _content(en), url
        if url.endswith(".svg"):
            assert "资料来源" in zh.decode() and "Source:" in en.decode()


def _deck_text(data: bytes) -> list[str]:
    texts = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [c.text for row in shape.table.rows for c in row.cells]
            if shape.has_chart and shape.chart.has_legend is False:
                chart = shape.chart
                for axis in (chart.value_axis,):
                    if axis.has_title:
                        texts.append(axis.axis_title.text_frame.text)
    return texts


@pytest.mark.parametrize("slug", ["r1-vs-frontier", "r1-distilled"])
def test_a_native_deck_in_chinese(client, dataset, slug):
    baseline = dataset.grids[slug].models[0].id
    url = f"/charts/{slug}/deck.pptx?style=native&baseline={baseline}"
    zh = _deck_text(client.get(url + "&lang=zh").data)
    en = _deck_text(client.get(url + "&lang=en").data)
    assert dataset.grids[slug].title in zh[0]  # the title slide: the report's own title
    assert any(t.startswith("资料来源：") for t in zh) and any(t == "模型" for t in zh)
    assert any(t.startswith("Source: ") for t in en) and any(t == "Model" for t in en)
    # The report's English title is data, shown under its own on the title slide.
    zh = [t.replace(dataset.grids[slug].title_en, "") for t in zh]
    words = [w for w in ("Source:", "Model", "Rank", "vs baseline", " better · ",
                         "best in column", "Report date", "models, ", " of ", "baseline")
             if any(w in t for t in zh)]
    assert not words, words


def test_a_workbook_speaks_the_requests_language_and_the_csv_stays_english(client, dataset):
    name = dataset.models.at["deepseek-r1", "name"]
    url = "/grids/r1-vs-frontier.xlsx?baseline=deepseek-r1&sort=aime-2024-pass1"
    zh = load_workbook(io.BytesIO(client.get(url + "&lang=zh").data))
    en = load_workbook(io.BytesIO(client.get(url + "&lang=en").data))
    zh_head = [c.value for c in next(zh.active.iter_rows(max_row=1))]
    en_head = [c.value for c in next(en.active.iter_rows(max_row=1))]
    assert zh_head[:5] == ["排名", "模型", f"优于 {name}", "劣于", "持平"]
    assert en_head[:5] == ["Rank", "Model", f"Better than {name}", "Worse", "Level"]
    titles = [str(c.title.tx.rich.p[0].r[0].t) for c in zh.active._charts]
    assert titles and any("对比" in t for t in titles)
    csv = client.get(url.replace(".xlsx", ".csv") + "&lang=zh").data.decode("utf-8-sig")
    assert csv.startswith("Rank,Model,Better than")


def test_a_chart_with_chinese_in_it_is_drawn_in_a_cjk_font_first(client, dataset):
    """vl-convert draws a text whose first font lacks a glyph in a serif face: a spec holding a
    Chinese character names Noto Sans CJK first; one without, Liberation Sans."""
    import json
    import re

    from leaderboard.charts import themed

    han = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    for slug in dataset.grids:
        for lang in ("en", "zh"):
            spec = client.get(f"/charts/{slug}/heatmap.json?lang={lang}").get_json()
            assert han.search(json.dumps(spec, ensure_ascii=False)), (slug, lang)
            assert spec["config"]["font"].startswith("Noto Sans CJK SC"), (slug, lang)
    plain = themed({"title": "MMLU", "data": {"values": [{"model": "GPT-4"}]}})
    assert plain["config"]["font"].startswith("Liberation Sans")
