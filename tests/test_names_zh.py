"""Models' and metrics' Chinese names (`name_zh` in the registries): shown wherever the Chinese
interface names the record (its page's <h1> and <title>, the lists, a grid's sort headers and
rows, compare, charts), never in the English interface; the English name where a record has
none; in the API as `name_zh`; a bad one refused with its file, row and field.

Expected names are read from the registries themselves, not from the code under test."""

import io
import re
from urllib.parse import quote

import pytest
import yaml
from conftest import DATA_DIR, soup

from leaderboard.data import DataError, load


def _registry(kind: str) -> dict[str, dict]:
    with open(DATA_DIR / f"{kind}.yaml", encoding="utf-8") as f:
        return {r["id"]: r for r in yaml.safe_load(f)}


MODELS, METRICS = _registry("models"), _registry("metrics")
NAMED = {kind: {i: r for i, r in records.items() if r.get("name_zh")}
         for kind, records in (("models", MODELS), ("metrics", METRICS))}
PLAIN = {kind: [i for i, r in records.items() if not r.get("name_zh")]
         for kind, records in (("models", MODELS), ("metrics", METRICS))}


def test_the_registries_give_chinese_names():
    """The issue's examples are in the data: the sweeps below test something."""
    assert METRICS["training-cost"]["name_zh"] == "训练成本"
    assert METRICS["api-output-price"]["name_zh"] == "API 输出价格"
    assert len(NAMED["models"]) >= 5 and len(NAMED["metrics"]) >= 10
    assert PLAIN["models"] and PLAIN["metrics"]


def _page(client, url: str, lang: str | None = None):
    """A page, its language from the URL, or with `lang` from the browser's Accept-Language
    (the lists and compare build their links from a prefix, which a ?lang= in the URL
    breaks)."""
    response = client.get(url, headers={"Accept-Language": "zh-CN" if lang == "zh" else "en"}
                          if lang else {})
    assert response.status_code == 200, url
    return soup(response)


@pytest.mark.parametrize("kind", ["models", "metrics"])
def test_a_records_own_page_is_headed_by_its_name_in_the_pages_language(client, kind):
    for record_id, record in {**NAMED[kind], **{i: MODELS.get(i) or METRICS[i]
                                                for i in PLAIN[kind]}}.items():
        zh = _page(client, f"/{kind}/{record_id}?lang=zh")
        en = _page(client, f"/{kind}/{record_id}?lang=en")
        chinese = record.get("name_zh") or record["name"]
        assert zh.h1.get_text() == chinese, record_id
        assert zh.title.get_text().startswith(f"{chinese} · "), record_id
        assert en.h1.get_text() == record["name"], record_id
        assert en.title.get_text().startswith(f"{record['name']} · "), record_id


@pytest.mark.parametrize("kind", ["models", "metrics"])
def test_the_lists_name_every_record_in_the_pages_language(client, kind):
    records = MODELS if kind == "models" else METRICS
    for lang in ("zh", "en"):
        page = _page(client, f"/{kind}?per_page=500", lang)
        shown = {a["href"].split("?")[0].rsplit("/", 1)[1]: a.get_text()
                 for a in page.select("tbody th.model a")}
        assert set(shown) == set(records), lang
        for record_id, record in records.items():
            want = record.get("name_zh") or record["name"] if lang == "zh" else record["name"]
            assert shown[record_id] == want, (lang, record_id)


@pytest.mark.parametrize("kind", ["models", "metrics"])
def test_a_search_finds_a_record_by_its_chinese_name(client, kind):
    for record_id, record in NAMED[kind].items():
        for lang in ("zh", "en"):
            page = _page(client, f"/{kind}?per_page=500&q={quote(record['name_zh'])}", lang)
            found = [a["href"].split("?")[0].rsplit("/", 1)[1]
                     for a in page.select("tbody th.model a")]
            assert record_id in found, (lang, record_id)


def _grid_records(dataset, slug: str, kind: str) -> list[str]:
    grid = dataset.grids[slug]
    return [e.id for e in (grid.metrics if kind == "metrics" else grid.models)]


def test_every_grids_sort_headers_name_the_metric_in_the_pages_language(client, dataset):
    checked = 0
    for slug in dataset.grids:
        pages = {lang: _page(client, f"/grids/{slug}?lang={lang}&per_page=500")
                 for lang in ("zh", "en")}
        for metric_id in _grid_records(dataset, slug, "metrics"):
            record = METRICS[metric_id]
            titles = {lang: page.select_one(f"a#sort-{metric_id}")["title"]
                      for lang, page in pages.items()}
            assert titles["zh"].startswith(f"{record.get('name_zh') or record['name']} · "), \
                (slug, metric_id)
            assert titles["en"].startswith(f"{record['name']} · "), (slug, metric_id)
            checked += "name_zh" in record
    assert checked


def test_every_grids_rows_name_the_model_in_the_pages_language(client, dataset):
    """A row shows the label as printed in both languages, and under it the model's name in
    the page's language where that differs from the label."""
    checked = 0
    for slug, grid in dataset.grids.items():
        labels = {e.id: e.label for e in grid.models}
        for lang in ("zh", "en"):
            page = _page(client, f"/grids/{slug}?lang={lang}&per_page=500")
            for th in page.select("table.grid tbody th.model"):
                model_id = th.select_one("a.add-compare")["href"].split("models=")[1] \
                    .split("&")[0]
                record = MODELS[model_id]
                want = record.get("name_zh") or record["name"] if lang == "zh" else record["name"]
                assert th.select_one("a").get_text().strip() == labels[model_id]
                small = th.select_one("small")
                if want == labels[model_id]:
                    assert small is None, (slug, model_id, lang)
                else:
                    assert small is not None and small.get_text() == want, (slug, model_id, lang)
                    checked += lang == "zh" and "name_zh" in record
    assert checked


def test_compare_names_the_models_and_metrics_in_the_pages_language(client, dataset):
    """Each model that has a Chinese name, compared with the first model of a grid it shares."""
    checked = 0
    for model_id in NAMED["models"]:
        slug = next(s for s, g in dataset.grids.items() if model_id in {m.id for m in g.models})
        other = next(m.id for m in dataset.grids[slug].models if m.id != model_id)
        for lang in ("zh", "en"):
            page = _page(client, f"/compare?models={model_id},{other}", lang)
            name = MODELS[model_id]["name_zh"] if lang == "zh" else MODELS[model_id]["name"]
            assert page.h1.get_text().endswith(f"{name} · {_name(MODELS[other], lang)}"), \
                (model_id, lang)
            metrics = {a["href"].split("?")[0].rsplit("/", 1)[1]: a.get_text()
                       for a in page.select("tbody th.model a")}
            for metric_id, text in metrics.items():
                assert text == _name(METRICS[metric_id], lang), (model_id, metric_id, lang)
                checked += lang == "zh" and "name_zh" in METRICS[metric_id]
    assert checked


def _name(record: dict, lang: str) -> str:
    return record.get("name_zh") or record["name"] if lang == "zh" else record["name"]


def _titles(node, key: str = "") -> list[str]:
    """Every title of a chart spec (its own, its axes' and legends'), but not its data."""
    if isinstance(node, dict):
        return [t for k, v in node.items() if k not in ("datasets", "data")
                for t in _titles(v, k)]
    if isinstance(node, list):
        return [t for v in node for t in _titles(v, key)]
    return [node] if isinstance(node, str) and key in ("title", "text") else []


def test_every_bar_chart_of_every_grid_names_its_metric_in_the_charts_language(
        client, dataset):
    """zh first, then en: a Chinese name drawn first cannot leak into the English chart."""
    checked = 0
    for slug in dataset.grids:
        for chart in client.get(f"/api/grids/{slug}?lang=zh").json["charts"]:
            metric_id = chart["id"].removeprefix("bar-")
            if not chart["id"].startswith("bar-") or metric_id not in METRICS:
                continue
            record = METRICS[metric_id]
            url = chart["urls"]["json"]
            for lang in ("zh", "en"):
                spec = client.get(url.replace("lang=zh", f"lang={lang}")).json
                titles = _titles(spec)
                name = _name(record, lang)
                assert spec["title"]["text"].endswith(name), (url, lang)
                parts = [p for p in re.split(r"\s*[(（]|[)）]", name) if p]  # name and aside
                assert any(t.startswith(parts[0]) and all(p in t for p in parts)
                           for t in titles), (url, lang, titles)  # the axis: name and unit
                if lang == "en" and "name_zh" in record:
                    assert not any(record["name_zh"] in t for t in titles), (url, titles)
            checked += "name_zh" in record
    assert checked


def test_every_metric_chart_names_its_metric_in_the_charts_language(client):
    for metric_id, record in METRICS.items():
        for lang in ("zh", "en"):
            spec = client.get(f"/charts/metrics/{metric_id}.json?lang={lang}").json
            assert spec["title"]["text"].startswith(_name(record, lang)), (metric_id, lang)


def test_a_model_chart_names_the_model_in_the_charts_language(client):
    for model_id, record in MODELS.items():
        for lang in ("zh", "en"):
            spec = client.get(f"/charts/models/{model_id}.json?lang={lang}").json
            assert spec["title"]["text"].startswith(_name(record, lang)), (model_id, lang)


@pytest.mark.parametrize("kind", ["models", "metrics"])
def test_the_api_carries_name_zh_and_keeps_name_english(client, kind):
    records = MODELS if kind == "models" else METRICS
    for lang in ("zh", "en"):
        listed = {r["id"]: r for r in client.get(f"/api/{kind}?lang={lang}&per_page=500").json}
        assert set(listed) == set(records)
        for record_id, record in records.items():
            one = client.get(f"/api/{kind}/{record_id}?lang={lang}").json
            for got in (listed[record_id], one):
                assert got["name"] == record["name"], (record_id, lang)
                assert got["name_zh"] == record.get("name_zh"), (record_id, lang)


def test_csv_names_stay_english(client, dataset):
    """The wide CSV (its baseline columns name the baseline) and the long one (model_name,
    metric_name), asked for in Chinese."""
    for slug, fmt in ((s, f) for s in dataset.grids for f in ("wide", "long")):
        baseline = next((m.id for m in dataset.grids[slug].models if m.id in NAMED["models"]),
                        dataset.grids[slug].models[0].id)
        response = client.get(f"/grids/{slug}.csv?format={fmt}&baseline={baseline}&lang=zh")
        assert response.status_code == 200 and response.mimetype == "text/csv", slug
        text = response.get_data(as_text=True)
        grid = dataset.grids[slug]
        printed = {e.label for e in (*grid.models, *grid.metrics)}  # labels stay as printed
        for record in (*NAMED["models"].values(), *NAMED["metrics"].values()):
            if not any(record["name_zh"] in label for label in printed):
                assert record["name_zh"] not in text, (slug, record["id"])


@pytest.mark.parametrize(("file", "good", "bad"), [
    ("models.yaml", "name_zh: 荣耀 MagicLM", 'name_zh: ""'),
    ("models.yaml", "name_zh: 荣耀 MagicLM", "name_zh: Honor MagicLM"),
    ("metrics.yaml", 'name_zh: "训练成本"', 'name_zh: "Training cost"'),
    ("metrics.yaml", 'name_zh: "训练成本"', 'name_zh: "（）"'),
])
def test_a_bad_name_zh_is_refused_with_file_row_and_field(data_copy, file, good, bad):
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    [line] = [n for n, ln in enumerate(text.splitlines(), 1) if good in ln]
    path.write_text(text.replace(good, bad), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load(data_copy)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:{line}: name_zh: must hold Chinese characters (it is the name the Chinese "
        "pages show); leave it out where the English name serves both"]


def test_a_grids_model_search_finds_a_model_by_its_chinese_name(client, dataset):
    checked = 0
    for slug, grid in dataset.grids.items():
        for entry in grid.models:
            if entry.id in NAMED["models"]:
                page = _page(client, f"/grids/{slug}?q={quote(MODELS[entry.id]['name_zh'])}",
                             "zh")
                rows = [a.get_text().strip() for a in page.select("table.grid tbody th.model a")
                        if "add-compare" not in a.get("class", [])]
                assert rows == [entry.label], (slug, entry.id)
                checked += 1
    assert checked


def _deck_text(data: bytes, first: int | None = None) -> str:
    """The text of a deck's first `first` slides (all by default): boxes and chart titles."""
    from pptx import Presentation

    texts = []
    for slide in list(Presentation(io.BytesIO(data)).slides)[:first]:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_chart and shape.chart.has_title:
                texts.append(shape.chart.chart_title.text_frame.text)
    return "\n".join(texts)


def test_a_grids_deck_names_its_baseline_and_bars_in_the_decks_language(client, dataset):
    """Every grid with a model that has a Chinese name, that model as the baseline: the title
    slide names it (the deck's own words), and so does the rest (the charts' words)."""
    checked = 0
    for slug, grid in dataset.grids.items():
        named = [m.id for m in grid.models if m.id in NAMED["models"]]
        if not named:
            continue
        url = f"/charts/{slug}/deck.pptx?style=native&baseline={named[0]}"
        for lang in ("zh", "en"):
            response = client.get(f"{url}&lang={lang}")
            assert response.status_code == 200, (url, lang)
            for text in (_deck_text(response.data, 1), _deck_text(response.data)):
                assert _name(MODELS[named[0]], lang) in text, (slug, lang)
                if lang == "en":
                    assert MODELS[named[0]]["name_zh"] not in text, slug
        checked += 1
    assert checked


@pytest.mark.parametrize("kind", ["models", "metrics"])
def test_the_importer_knows_a_record_by_its_chinese_name(dataset, kind):
    """A table that prints the registry's Chinese name is matched to that record, not proposed
    as a new one."""
    from leaderboard.importing.identity import MATCHED, Registry

    registry = Registry(dataset)
    chinese = {i: r["name_zh"] for i, r in _registry(kind).items() if r.get("name_zh")}
    assert chinese
    found = {i: registry.resolve(kind, label) for i, label in chinese.items()}
    assert {i: (r.status, r.id) for i, r in found.items()} == {
        i: (MATCHED, i) for i in chinese}
