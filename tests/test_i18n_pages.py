"""The grid, index, search, models and metrics pages in Chinese: no English word of the interface
is left (every English word on the page is the data's), the grid's title is the report's own,
and the language switch sits on the search box's line, phone and desktop, light and dark."""

import re

import pytest
import yaml
from conftest import soup
from live import Gunicorn

from leaderboard import ROOT

DATA = ROOT / "data" / "benchmarks"
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
# Names of formats and products, the same in both languages.
NAMES = {"PNG", "SVG", "PPTX", "CSV", "XLSX", "JSON", "Excel", "API", "Vega-Lite", "PowerPoint",
         "Elo", "GPU", "token"}


def data_words() -> set[str]:
    """Every word the data files hold: a page may show any of them in either language."""
    return {w for path in DATA.rglob("*") if path.is_file()
            for w in WORD.findall(path.read_text(encoding="utf-8"))}


def page_urls(dataset) -> list[str]:
    """Every page kind, each grid with a baseline, the averages, two sort keys and pages."""
    urls = ["/", "/?q=DeepSeek", "/?q=AIME&per_page=2", "/?q=zzqx", "/?per_page=5&page=2",
            "/models", "/models?q=DeepSeek", "/models?q=zzqx", "/models?sort=params&per_page=5",
            "/metrics", "/metrics?q=AIME", "/metrics?q=zzqx",
            "/metrics?sort=direction&order=desc&per_page=5&page=2"]
    for slug, grid in dataset.grids.items():
        metrics = ",".join(m.id for m in grid.metrics[:2])
        per_page = max(1, len(grid.models) - 1)  # two pages
        urls += [f"/grids/{slug}?baseline={grid.models[0].id}&average=yes&sort={metrics}"
                 f"&per_page={per_page}&page=2", f"/grids/{slug}?q=zzqx"]
    return urls


def interface_words(html: str) -> set[str]:
    """The English words of a page's text and its attributes a person meets (title,
    aria-label, placeholder, alt), leaving out the charts (their titles are the charts')."""
    page = soup_of(html)
    for element in page.select("script, textarea, figure.chart, nav.languages"):
        element.decompose()
    texts = list(page.stripped_strings)
    texts += [element[name] for element in page.find_all(True)
              for name in ("title", "aria-label", "placeholder", "alt") if element.get(name)]
    return {w for text in texts for w in WORD.findall(text)}


def soup_of(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def test_no_english_interface_word_is_left(client, dataset):
    allowed = data_words() | NAMES | {"zzqx"} | set(WORD.findall(dataset.version))  # hex
    left = {}
    for url in page_urls(dataset):
        response = client.get(url + ("&" if "?" in url else "?") + "lang=zh")
        assert response.status_code == 200, url
        assert soup(response).html["lang"] == "zh-CN"
        if words := interface_words(response.get_data(as_text=True)) - allowed:
            left[url] = sorted(words)
    assert left == {}


def test_the_pages_still_speak_english(client, dataset):
    # The same sweep in English leaves English words outside the data: the check above can fail.
    allowed = data_words() | NAMES | {"zzqx"} | set(WORD.findall(dataset.version))  # hex
    for url in page_urls(dataset):
        html = client.get(url + ("&" if "?" in url else "?") + "lang=en").get_data(as_text=True)
        assert interface_words(html) - allowed, url


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_grids_title_is_the_reports_own_in_chinese(client, lang):
    for path in sorted((DATA / "grids").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        page = soup(client.get(f"/grids/{path.stem}?lang={lang}"))
        title = spec["title"] if lang == "zh" else spec["title_en"]
        assert page.h1.get_text() == title
        assert page.title.get_text().startswith(title)
        caption = page.select_one("p.orig")
        # English: the caption always; Chinese: only when it says more than the title.
        if lang == "en" or spec["title"] not in spec["caption"]:
            assert caption.get_text() == spec["caption"]
            assert not caption.has_attr("lang")  # its Chinese runs are marked, not all of it
        else:
            assert caption is None
        card = soup(client.get(f"/?lang={lang}")).find("a", href=re.compile(
            f"/grids/{path.stem}[?]"))
        assert card.get_text() == title


# --- The language switch, in a browser ------------------------------------------------------

@pytest.fixture(scope="module")
def server():
    live = Gunicorn(DATA).wait()
    yield live
    live.stop()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1400])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_switch_sits_beside_the_search_box(browser, server, width, scheme, lang):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    for path in ("/", "/grids/r1-vs-frontier", "/models", "/metrics"):
        page.goto(f"{server.url}{path}?lang={lang}")
        search = page.locator("header.site form.search").bounding_box()
        switch = page.locator("header.site nav.languages").bounding_box()
        assert search and switch
        # One line: the switch right of the box, their middles level, inside the screen.
        assert switch["x"] >= search["x"] + search["width"]
        middle = lambda box: box["y"] + box["height"] / 2  # noqa: E731
        assert abs(middle(switch) - middle(search)) <= 2
        assert switch["x"] + switch["width"] <= width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        current = page.locator("nav.languages [aria-current=page]")
        other = page.locator("nav.languages a")
        colours = [c.evaluate("e => getComputedStyle(e).backgroundColor") for c in (current, other)]
        assert colours[0] != colours[1]  # the page's language stands out
    context.close()
