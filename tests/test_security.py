"""Hostile data renders inertly everywhere; security headers; path tricks; fuzzed queries."""

import csv
import io
import string
import xml.etree.ElementTree as ET

import pytest
from hostile import CAPTION, FORMULA, LIVE, LONG, NOTE, PUBLISHER, SCRIPT, make_hostile
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation

from leaderboard import ROOT, charts, create_app
from leaderboard.data import load

DATA = ROOT / "data" / "benchmarks"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    directory = make_hostile(DATA, tmp_path_factory.mktemp("hostile") / "benchmarks")
    return create_app({"DATA_DIR": str(directory)}).test_client()


PAGES = [
    "/", "/?q=alert", "/grids/r1-distilled", "/grids/r1-distilled?baseline=qwq-32b&average=yes&sort=aime-2024-pass1",
    "/grids/r1-distilled?q=%3Cscript%3E", "/models/qwq-32b", "/models/gpt-4o-0513", "/models/o1-mini",
    "/metrics/aime-2024-pass1", "/compare?models=qwq-32b,o1-mini", "/grids/nope", "/models/%3Cscript%3E",
    "/charts/r1-distilled/heatmap.html", "/api/docs",
]


@pytest.mark.parametrize("url", PAGES)
def test_hostile_text_is_inert_on_every_page(hostile, url):
    response = hostile.get(url)
    assert response.status_code in (200, 404)
    body = response.get_data(as_text=True)
    for live in LIVE:
        assert live not in body, (url, live)


def test_hostile_text_is_shown_as_text(hostile):
    body = hostile.get("/grids/r1-distilled").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;caption&#39;)&lt;/script&gt;" in body
    assert "&#34;&gt;&lt;svg onload=alert(3)&gt;QwQ" in body
    model = hostile.get("/models/gpt-4o-0513").get_data(as_text=True)
    assert LONG in model and "\u202eevil\u202c" in model  # shown whole, as text


@pytest.mark.parametrize("chart", ["heatmap", "bar-aime-2024-pass1", "diff-vs-qwq-32b"])
def test_hostile_text_in_charts_is_inert(hostile, chart):
    spec = hostile.get(f"/charts/r1-distilled/{chart}.json").json
    assert spec["title"]["text"]
    svg = hostile.get(f"/charts/r1-distilled/{chart}.svg").data
    root = ET.fromstring(svg)  # well-formed: the text was escaped
    for element in root.iter():
        assert not element.tag.endswith(("script", "foreignObject", "iframe")), element.tag
        assert not [a for a in element.attrib if a.lower().startswith("on")], element.attrib
    png = hostile.get(f"/charts/r1-distilled/{chart}.png?scale=1").data
    assert Image.open(io.BytesIO(png)).format == "PNG"


def test_hostile_text_in_downloads_is_neutralised(hostile):
    text = hostile.get("/downloads/all.csv").get_data().decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'" + NOTE in cells and NOTE not in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    book = load_workbook(io.BytesIO(hostile.get("/downloads/all.xlsx").data))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str)]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # text, never a formula
    assert any(c.value == FORMULA and c.quotePrefix for c in cells)  # as written, quote-prefixed
    assert "'" + FORMULA not in [c.value for c in cells]  # no ' added (tests/test_xlsx_safety.py)


def test_hostile_text_in_slides_is_plain_text(hostile):
    deck = Presentation(io.BytesIO(hostile.get("/charts/r1-distilled/bar-aime-2024-pass1.pptx").data))
    texts = [s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame]
    # make_hostile puts markup before r1-distilled's title_en: the title is that, as text,
    # and the metric's name (the grid's hostile column label, METRIC, is not the slide's).
    assert texts[0] == ("<b onmouseover=alert(4)>DeepSeek's distilled small models beat "
                        "OpenAI o1-mini: AIME 2024 (pass@1)")
    assert PUBLISHER in texts[-1]  # literally, as text


def test_hostile_api_json_is_data(hostile):
    models = {m["id"]: m for m in hostile.get("/api/models").json}
    assert models["qwq-32b"]["name"] == SCRIPT
    grid = hostile.get("/api/grids/r1-distilled").json
    assert grid["caption"] == CAPTION


CSP_FORBIDDEN = ("'unsafe-inline'", "'unsafe-eval'")


@pytest.mark.parametrize(
    "url",
    ["/", "/grids/r1-distilled", "/grids/r1-distilled.csv", "/api/grids", "/api/docs",
     "/charts/r1-distilled/heatmap.json", "/charts/r1-distilled/bar-aime-2024-pass1.png?scale=1",
     "/static/style.css", "/grids/nope", "/api/nope", "/grids/r1-distilled?order=up",
     "/charts/r1-distilled/heatmap.html"],
)
def test_security_headers_on_every_response(client, url):
    with client.get(url) as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert not any(word in csp for word in CSP_FORBIDDEN)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    expected = "frame-ancestors *" if url.endswith(".html") else "frame-ancestors 'none'"
    assert expected in csp


def test_templates_have_no_inline_script_or_style():
    for template in (ROOT / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<script>" not in text and "<style" not in text, template
        assert " style=\"" not in text.replace('style="border:0;max-width:100%"', ""), template  # only inside the embed snippet text
        assert "onclick" not in text and "javascript:" not in text, template


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/grids/..%2f..%2fetc%2fpasswd", 404),
        ("/grids/../../etc/passwd", 404),
        ("/static/../leaderboard/__init__.py", 404),
        ("/static/..%2f..%2fpyproject.toml", 404),
        ("/charts/..%2f..%2fetc/passwd.png", 404),
        ("/api/docs/ui/..%2f..%2f__init__.py", 404),
        ("/api/docs/ui/../../../__init__.py", 404),
        ("/grids/%00", 404),
        ("/grids/%ff%fe", 404),
        ("/grids/" + "a" * 10_000, 404),
        ("/grids/r1-distilled?sort=" + "a" * 10_000, 400),
        ("/models/%E2%80%AE", 404),
    ],
)
def test_path_tricks(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert b"root:" not in response.data and b"[project]" not in response.data


# Routes with the real ids of the bundled data in their paths, so most cases get past the 404s
# to the code behind them; the arguments mostly name real ids too.
_DS = load(DATA)
GRIDS, MODELS, METRICS = list(_DS.grids), list(_DS.models.index), list(_DS.metrics.index)
CHARTS = [(g, str(c)) for g in GRIDS for c, _ in charts.grid_charts(_DS, _DS.grids[g])]
GRID_ARGS = ["sort", "order", "q", "org", "open", "distilled", "min_params", "max_params",
             "metrics", "baseline", "average", "page", "per_page"]
OPTIONS = ["scale", "width", "height", "theme", "background"]
ROUTES = {
    "/": (None, ["q"]),
    "/grids/{}": (st.sampled_from(GRIDS), GRID_ARGS),
    "/grids/{}.csv": (st.sampled_from(GRIDS), GRID_ARGS + ["format"]),
    "/models/{}": (st.sampled_from(MODELS), ["x"]),
    "/metrics/{}": (st.sampled_from(METRICS), ["page", "per_page"]),
    "/compare": (None, ["models"]),
    "/charts/{}/{}.json": (st.sampled_from(CHARTS), GRID_ARGS + OPTIONS),
    "/charts/{}/{}.html": (st.sampled_from(CHARTS), GRID_ARGS),
    "/charts/compare.json": (None, ["models", *OPTIONS]),
    "/charts/cost-vs-score.json": (None, ["metric", "price", "theme"]),
    "/charts/metrics/{}.json": (st.sampled_from(METRICS), OPTIONS),
    "/charts/models/{}.json": (st.sampled_from(MODELS), OPTIONS),
    "/api/compare": (None, ["models"]),
    "/api/grids": (None, ["x"]),
    "/api/grids/{}": (st.sampled_from(GRIDS), ["sort"]),
    "/api/models/{}": (st.sampled_from(MODELS), ["x"]),
    "/api/metrics/{}": (st.sampled_from(METRICS), ["x"]),
    "/api/conflicts": (None, ["x"]),
    "/downloads/all.json": (None, ["x"]),
}
_ids = st.sampled_from(MODELS + METRICS + GRIDS)
KNOWN = ["model", "asc", "desc", "yes", "no", "7B", "0", "gpt-4", "long", "dark", "4", "2400",
         "1.5", "transparent"]
values = st.one_of(
    st.sampled_from(KNOWN), _ids,
    st.lists(_ids, min_size=1, max_size=4).map(",".join),  # metrics=, models=
    st.tuples(st.sampled_from(["", "-", "+"]), st.sampled_from(METRICS)).map("".join),  # sort=
    st.text(string.printable + "中—\u202e\x00", max_size=40),
    st.integers(-10**6, 10**6).map(str), st.just(""))


def _path(route: str, ids) -> str:
    return route.format(*(ids if isinstance(ids, tuple) else (ids,) if ids else ()))


@pytest.mark.parametrize("route", list(ROUTES))
@given(data=st.data())
def test_fuzzed_query_strings_never_500(client, route, data):
    ids, arguments = ROUTES[route]
    path = _path(route, data.draw(ids) if ids is not None else None)
    names = st.sampled_from(arguments + ["unknown", "sort[]", "q"])
    query = data.draw(st.lists(st.tuples(names, values), max_size=6))
    response = client.get(path, query_string=query)
    assert response.status_code < 500, (path, query, response.get_data(as_text=True)[:300])
    assert response.status_code != 404 or "models" in arguments or "metric" in arguments, path
    assert b"Traceback" not in response.data


# The image renderings parse the same arguments as the .json routes above, but draw them: fewer
# examples, as each may take a second. The sizes are the ones that cost memory.
IMAGES = {
    "/charts/r1-distilled/heatmap.png": ["scale", "width", "height", "theme", "background", "q"],
    "/charts/r1-vs-frontier/bar-aime-2024-pass1.svg": ["width", "height", "theme", "sort", "baseline"],
    "/charts/compare.png": ["models", "scale", "width", "height"],
    "/charts/r1-distilled/diff-vs-o1-mini.pptx": ["scale", "width", "metrics", "style", "aspect"],
    "/charts/r1-vs-frontier/deck.pptx": ["metrics", "baseline", "sort", "style", "aspect", "q"],
}


# Each argument mostly valid (so charts get drawn, large ones included), sometimes anything.
VALID = {
    "scale": st.sampled_from(["1", "2", "3", "4"]),
    "width": st.integers(200, 2400).map(str),
    "height": st.integers(100, 2400).map(str),
    "theme": st.sampled_from(["light", "dark"]),
    "background": st.sampled_from(["white", "transparent"]),
    "q": st.sampled_from(["qwen", "llama", "r1", ""]),
    "sort": st.sampled_from(["aime-2024-pass1", "-mmlu-pass1", "model"]),
    "baseline": st.sampled_from(["gpt-4o-0513", "deepseek-r1"]),
    "models": st.sampled_from(["deepseek-r1,o1-mini", "qwq-32b,o1-mini,gpt-4o-0513"]),
    "metrics": st.sampled_from(["aime-2024-pass1", "aime-2024-pass1,math-500-pass1"]),
    "style": st.sampled_from(["native", "picture"]),
    "aspect": st.sampled_from(["16:9", "4:3"]),
}


@pytest.mark.parametrize("route", list(IMAGES))
@settings(max_examples=max(5, settings.default.max_examples // 5))
@given(data=st.data())
def test_fuzzed_image_queries_never_500(client, route, data):
    arguments = {name: st.one_of(VALID[name], VALID[name], values) for name in IMAGES[route]}
    query = data.draw(st.fixed_dictionaries({}, optional=arguments))
    response = client.get(route, query_string=query)
    assert response.status_code < 500, (route, query, response.get_data(as_text=True)[:300])


HOSTILE_SLIDES = ["/charts/compare.pptx?models=deepseek-r1,openai-o1-1217,claude-3-5-sonnet-1022",
                  "/charts/models/deepseek-r1.pptx", "/charts/metrics/mmlu-pass1.pptx",
                  "/charts/r1-vs-frontier/deck.pptx"]


@pytest.mark.parametrize("url", HOSTILE_SLIDES)
def test_a_charts_workbook_holds_text_as_text(hostile, url):
    """Edit Data opens the workbook inside each chart: text from the data that a spreadsheet
    would run (=HYPERLINK(…)) is stored there as text, never as a formula."""
    response = hostile.get(url)
    assert response.status_code == 200
    cells = [cell for slide in Presentation(io.BytesIO(response.data)).slides
             for shape in slide.shapes if shape.has_chart
             for sheet in load_workbook(io.BytesIO(
                 shape.chart.part.chart_workbook.xlsx_part.blob))
             for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells
    assert not [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert any(t.startswith("=HYPERLINK(") for t in texts), texts[:20]
