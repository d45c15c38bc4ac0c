"""The model, metric, compare, conflicts, sources, import and error pages in Chinese: no sentence,
heading, label or attribute of their templates is left in English; the refusals (pages and API)
are said in the request's language, the API's field names staying English."""

import re
from itertools import islice

import pytest
import yaml
from conftest import DATA_DIR, load, soup
from markupsafe import Markup

from leaderboard import ROOT, errors
from leaderboard.catalog import metric_records, model_records

HAN = re.compile(r"[\u4e00-\u9fff]")


def pages(ds) -> list[str]:
    """Every model and metric page, every grid's comparison with its source, the compare page
    and its picker, the conflicts, the import form, and an error page of each kind."""
    models, metrics = list(model_records(ds)), list(metric_records(ds))
    urls = [f"/models/{m}" for m in models] + [f"/metrics/{m}" for m in metrics]
    urls += [f"/grids/{g.slug}/sources" for g in ds.grids.values() if g.follows is not None]
    first = next(iter(ds.grids.values()))
    pair = ",".join(m.id for m in islice(first.models, 2))
    urls += [f"/compare?models={pair}", f"/compare?models={pair}&per_page=1",
             f"/compare?models={','.join(models[:2])}", "/compare", "/compare?pick=1&q=无此模型",
             f"/compare?models={models[0]}&from={first.slug}", "/compare?pick=1&per_page=3",
             "/conflicts", "/conflicts?per_page=2&sort=-spread", "/conflicts?q=无此冲突", "/import",
             "/api/docs", "/no-such-page", "/models/no-such-model", "/conflicts?per_page=0"]
    return urls


def data_text() -> str:
    """Every text of the data files, spaces collapsed: what a page may print in any language."""
    texts = []

    def strings(value):
        if isinstance(value, dict):
            for v in value.values():
                strings(v)
        elif isinstance(value, list):
            for v in value:
                strings(v)
        elif value is not None:
            texts.append(str(value))

    for path in sorted((ROOT / "data" / "benchmarks").rglob("*")):
        if path.suffix in (".yaml", ".yml"):
            strings(yaml.safe_load(path.read_text(encoding="utf-8")))
        elif path.is_file():
            texts.append(path.read_text(encoding="utf-8", errors="ignore"))
    return " ".join(" ".join(t.split()) for t in texts)


DATA = data_text()
# Parts of these pages that other templates and modules word (macros.html's pager, chart menu,
# sort links and diff marks; the importer's reasons and places): not these templates' words.
ELSEWHERE = ("nav.pager", "details.chart-menu", "span.diff", "th a[id^=sort-] .sr", "td.how",
             "p.meta")


# Names of formats and things that a Chinese page writes in Latin letters too.
TECHNICAL = ("JSON", "CSV", "TSV", "YAML", "XLSX", "PDF", "HTML", "PNG", "SVG", "zip", "markdown",
             "JavaScript", "API", "ID", "LABEL", "ETag", "README", "md", "txt", "html", "csv",
             "tsv", "xlsx", "pdf", "yaml", "reports.yaml", "Model", "Score")  # the last: a sample


def said_in_english(page, also: str = "") -> list[str]:
    """The words of the page's main part that are neither Chinese nor the data's."""
    main = page.select_one("main")
    for part in main.select(", ".join(ELSEWHERE)):
        part.decompose()
    texts = [" ".join(s.split()) for s in main.find_all(string=True)
             if s.parent.name not in ("code", "textarea", "option")]
    texts += [" ".join(element[a].split()) for element in main.find_all(True)
              for a in ("aria-label", "placeholder", "alt") if element.get(a)]
    return [t for t in texts if not from_data(t, also)]


def from_data(text: str, also: str = "") -> bool:
    """Whether every run of Latin letters in `text` is a word of the data (or of a citation)."""
    text = re.sub(r"\bp\. \d+", "", text)  # a citation's page
    text = re.sub(r"\S*[/=_]\S*|\S+\.(?:yaml|csv)\b|\b[a-z0-9]+(?:-[a-z0-9]+)+\b", "", text)  # addresses, ids, files
    text = re.sub(rf"\b(?:{'|'.join(TECHNICAL)})\b", "", text)
    return all(run in DATA or run in also for run in re.findall(r"[A-Za-z][A-Za-z0-9'.@+-]*(?: [A-Za-z0-9'.@+-]+)*", text)
               if re.search(r"[A-Za-z]{3}", run))


def test_no_interface_word_is_left_in_english(client, dataset):
    left = {}
    for url in pages(dataset):
        response = client.get(url + ("&" if "?" in url else "?") + "lang=zh")
        page = soup(response)
        assert page.html["lang"] == "zh-CN", url
        if words := said_in_english(page):
            left[url] = words
        # The same page in English says them: the sweep can see a word left over.
        if url == "/conflicts":
            assert said_in_english(soup(client.get(url)))
    assert left == {}


def test_an_import_is_reviewed_in_chinese(client):
    text = "| Model | AIME 2024 pass@1 |\n|---|---|\n| o1-mini | 63.6 |\n| NewModel-9B | 12.0 |"
    for form, status in (({"text": text}, 200), ({"text": ""}, 400), ({"text": "hello"}, 422),
                         ({"text": "x", "report": "Bad Id"}, 400)):
        response = client.post("/import?lang=zh", data=form)
        assert response.status_code == status
        page = soup(response)
        assert said_in_english(page, also=str(form)) == []
        if status != 200:
            assert HAN.search(page.select_one(".import-error").get_text())


def test_the_embedded_chart_says_its_language(client):
    page = soup(client.get("/charts/models/deepseek-r1.html?lang=zh"))
    assert page.html["lang"] == "zh-CN" and "排行榜" in page.title.get_text()


def example(message: str) -> str:
    return re.sub(r"%\((\w+)\)s", "'x'", message)


@pytest.mark.parametrize("message", errors.MESSAGES)
def test_every_refusal_is_said_in_both_languages(app, message):
    english = example(message)
    with app.test_request_context("/?lang=zh"):
        chinese = errors.said(english)
    with app.test_request_context("/?lang=en"):
        assert errors.said(english) == english
    assert chinese != english and HAN.search(chinese)
    assert chinese.count("'x'") == english.count("'x'")  # every value said


BAD = ["/api/grids/r1-distilled?per_page=0", "/api/grids/r1-distilled?per_page=abc",
       "/api/grids/r1-distilled?open=maybe", "/api/grids/r1-distilled?format=x",
       "/api/grids/r1-distilled?q=" + "x" * 201, "/api/grids/r1-distilled?min_params=lots",
       "/api/grids/r1-distilled?sort=nope", "/api/grids/r1-distilled?baseline=nope",
       "/api/grids/r1-distilled?metrics=nope", "/api/grids/r1-distilled?page=99",
       "/api/compare", "/api/compare?models=x", "/api/compare?models=deepseek-r1,deepseek-r1",
       "/api/compare?models=deepseek-r1,nope", "/api/models/nope", "/api/metrics/nope",
       "/api/grids/nope", "/api/conflicts?kind=nope", "/conflicts?sort=sideways",
       "/api/no-such-thing", "/charts/r1-distilled/heatmap.gif", "/charts/r1-distilled/nope.svg",
       "/charts/r1-distilled/heatmap.svg?scale=9", "/grids/nope/sources",
       "/grids/api-pricing/sources", "/grids/r1-distilled?per_page=0", "/models/nope",
       "/compare?pick=99", "/compare?models=deepseek-r1,o1-mini&page=99",
       "/api/compare?models=" + ",".join(list(model_records(load(DATA_DIR)))[:13]),
       "/api/models/deepseek-r1?metric=inference-power", "/api/models/deepseek-r1?metric=nope",
       "/models/deepseek-r1?metric=inference-power", "/charts/cost-vs-score.svg?metric=nope",
       "/grids/r1-distilled?sort=nope&average=yes", "/grids/r1-distilled?baseline=gpt-4",
       "/charts/nope.svg", "/compare?models=Deepseek", "/models?sort=zz", "/metrics?sort=zz",
       "/charts/r1-vs-frontier/heatmap.png?width=2400&height=2400&scale=4"]


@pytest.mark.parametrize("url", BAD)
def test_refusals_follow_the_requests_language(client, url):
    sep = "&" if "?" in url else "?"
    en, zh = client.get(url + sep + "lang=en"), client.get(url + sep + "lang=zh")
    assert en.status_code == zh.status_code and en.status_code in (400, 404)
    if en.is_json:
        assert not HAN.search(en.json["message"]) and HAN.search(zh.json["message"])
        assert list(en.json.get("errors", {})) == list(zh.json.get("errors", {}))  # field names
        for messages in zh.json.get("errors", {}).values():
            assert all(HAN.search(m) for m in messages)
    else:
        said = soup(zh).select_one(".error-message").get_text()
        assert HAN.search(said) and not HAN.search(soup(en).select_one(".error-message").get_text())
        assert HAN.search(soup(zh).h1.get_text())


# --- English text from the data is marked as English on a Chinese page ------------------------

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
# Words of the Chinese interface itself written in Latin letters: names of formats and products.
INTERFACE_LATIN = {*TECHNICAL, "PNG", "SVG", "PPTX", "Excel", "PowerPoint", "Vega-Lite", "Vega",
                   "Lite", "Altair", "Elo", "GPU", "token", "pptx", "png", "svg", "json", "id",
                   "gz", "zh", "en", "lang", "English", "sha", "MB"}


def unmarked_english(page) -> list[str]:
    """Text of a Chinese page's main part with English words that no lang="en" element holds,
    where a screen reader would read English with its Chinese voice (ids and code left out)."""
    main = page.select_one("main")
    return [" ".join(t.split()) for t in main.find_all(string=LATIN_WORD)
            if not t.find_parent(attrs={"lang": re.compile("^en")})
            and not t.find_parent(["textarea", "code", "script", "style", "pre"])
            and not (t.find_parent("option") and HAN.search(t))  # mixed: no run can be marked
            and set(LATIN_WORD.findall(IDS.sub("", t))) - INTERFACE_LATIN]


# Addresses, argument names and ids: written the same in any language.
IDS = re.compile(r"\S*[/=_]\S*|\b[a-z0-9]+(?:-[a-z0-9]+)+\b")


def test_english_text_from_the_data_is_marked_on_every_chinese_page(client, dataset):
    from test_i18n_pages import page_urls

    found = {}
    for url in page_urls(dataset) + pages(dataset):
        page = soup(client.get(url + ("&" if "?" in url else "?") + "lang=zh"))
        if texts := unmarked_english(page):
            found[url] = texts[:8]
    assert found == {}


@pytest.mark.parametrize(("text", "marked"), [
    ("图4: DeepSeek-R1 distilled (1.5B)", '图4: <span lang="en">DeepSeek-R1 distilled (1.5B)</span>'),
    ("输出端：3.29 美元/百万 token", '输出端：3.29 美元/百万 <span lang="en">token</span>'),
    ('<b>x</b> & "y" 中', "&lt;b&gt;x&lt;/b&gt; &amp; &#34;y&#34; 中"),  # no English word
    ("As printed. 图5", '<span lang="en">As printed.</span> 图5'),
    ("6300 万美元", "6300 万美元"),
    (Markup("GPT-4 &amp; o1：百分制结果"), '<span lang="en">GPT-4 &amp; o1</span>：百分制结果'),
    (Markup('<a title="x">MMLU</a>'), '<a title="x">MMLU</a>'),  # markup is left as it is
])
def test_on_a_chinese_page_the_marking_escapes_and_marks_english_runs(app, text, marked):
    from leaderboard.view import zh

    with app.test_request_context("/?lang=zh"):
        assert zh(text) == marked


def _catalogue() -> dict[str, str]:
    from babel.messages.pofile import read_po

    with open(ROOT / "leaderboard/translations/zh/LC_MESSAGES/messages.po", "rb") as f:
        return {m.id: m.string for m in read_po(f) if isinstance(m.id, str) and m.id}


def test_every_metrics_unit_and_category_are_said_in_chinese(client, dataset):
    """The registry's units and categories, in the catalogue's words, on every metric page."""
    words = _catalogue()
    wrong = {}
    for metric_id, record in metric_records(dataset).items():
        lede = soup(client.get(f"/metrics/{metric_id}?lang=zh")).select_one("p.lede").get_text()
        for english in (record["unit"], record["category"]):
            if english in words and words[english] not in lede:
                wrong[metric_id] = lede
    assert wrong == {}


def test_averages_and_sort_keys_are_said_in_chinese_in_decks_and_workbooks(client):
    import io

    from openpyxl import load_workbook
    from pptx import Presentation

    words = _catalogue()
    url = "/charts/r1-vs-frontier/deck.pptx?lang=zh&average=yes&sort=-average"
    deck = Presentation(io.BytesIO(client.get(url).data))
    text = " ".join(run.text for slide in deck.slides for shape in slide.shapes
                    if shape.has_text_frame for p in shape.text_frame.paragraphs
                    for run in p.runs)
    text += " ".join(cell.text for slide in deck.slides for shape in slide.shapes
                     if shape.has_table for row in shape.table.rows for cell in row.cells)
    assert words["Average"] in text and words["average"] in text
    assert not re.search(r"\b(?:Average|average|model name)\b", text)
    sheet = load_workbook(io.BytesIO(client.get(
        "/grids/r1-vs-frontier.xlsx?lang=zh&average=yes").data)).active
    headers = " ".join(str(c.value) for row in sheet.iter_rows(max_row=4) for c in row if c.value)
    assert words["Average"] in headers and "Average" not in headers


def test_conflicts_are_found_by_a_chinese_name(client, dataset):
    """Searching the conflicts by a model's or metric's Chinese name finds the same rows as by
    its English one."""
    from test_names_zh import _registry

    def rows(q):
        page = soup(client.get(f"/conflicts?lang=zh&per_page=500&q={q}"))
        return [tr.select_one("th.model a")["href"].split("?")[0]
                + tr.select_one("td.metric a")["href"].split("?")[0]
                for tr in page.select("tbody.conflict-group tr:first-child")]

    named = [r for kind in ("models", "metrics") for r in _registry(kind).values()
             if r.get("name_zh")]
    found = {r["id"]: (rows(r["name_zh"]), rows(r["name"])) for r in named}
    assert any(english for _, english in found.values())  # some conflict names one of them
    assert {i: chinese for i, (chinese, _) in found.items()} == {
        i: english for i, (_, english) in found.items()}


def test_the_chart_library_is_one_file_in_every_language(client):
    page = soup(client.get("/grids/r1-distilled?lang=zh"))
    script = page.select_one("script[data-vega]")
    assert script["data-vega"] == "/charts/assets/vega.js"
