"""The Chinese interface in a real browser (Debian's Chromium driven by Playwright, real gunicorn):
the browser's language chooses the first page's, the switch on every kind of page changes it
and keeps the page's arguments, a chosen language is carried by every link, form, embed code and
download, and the scripts, the charts drawn in the page, a chart's PNG and a deck speak it.

The expected words are read from the catalogue (messages.po), not written here."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from babel.messages.pofile import read_po
from conftest import draw_charts
from live import Gunicorn
from playwright.sync_api import Locator, Page, expect
from pptx import Presentation

from leaderboard import ROOT
from leaderboard.catalog import metric_records, model_records
from leaderboard.reconcile import summary

PO = ROOT / "leaderboard" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
HAN = re.compile(r"[\u4e00-\u9fff]")
LOCALES = {"zh": ("zh-CN", "zh-CN"), "en": ("en-US", "en")}  # lang: (browser locale, <html lang>)


@pytest.fixture(scope="module")
def catalogue() -> dict[str, str]:
    with PO.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str)}


def words(catalogue: dict[str, str], lang: str, msgid: str) -> str:
    """The interface's words for `msgid` in `lang`: the catalogue's Chinese, or the msgid."""
    return catalogue[msgid] if lang == "zh" else msgid


def before_argument(text: str) -> str:
    """A message's words before its first %(argument)s."""
    return text.split("%(")[0]


@pytest.fixture(scope="module")
def server():
    live = Gunicorn(ROOT / "data" / "benchmarks").wait()
    yield live.url
    live.stop()


def context_in(browser, lang: str, **options):
    """A browser context whose language (Accept-Language, navigator.language) is `lang`'s."""
    return browser.new_context(locale=LOCALES[lang][0], viewport={"width": 1400, "height": 900},
                               **options)


def html_lang(page: Page) -> str:
    return page.locator("html").get_attribute("lang") or ""


def follow(page: Page, link: Locator) -> None:
    """Click a link or a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        link.click()


def args_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


# --- The first visit: the browser's language ---

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_first_visit_speaks_the_browsers_language(browser, server, dataset, catalogue, lang):
    context = context_in(browser, lang)
    page = context.new_page()
    page.goto(server + "/")
    assert "lang=" not in page.url  # chosen by the browser, not the address
    assert html_lang(page) == LOCALES[lang][1]
    expect(page.locator("h1")).to_have_text(words(catalogue, lang, "Benchmark grids"))
    expect(page.locator("nav.languages [aria-current=page]")).to_have_text(
        {"zh": "中文", "en": "English"}[lang])
    for slug in dataset.grids:
        page.goto(f"{server}/grids/{slug}")
        assert html_lang(page) == LOCALES[lang][1], slug
        headings = page.locator("main h2").all_inner_texts()
        assert words(catalogue, lang, "Charts") in headings, (slug, headings)
    context.close()


# --- The switch on every kind of page ---

def switch_pages(ds) -> dict[str, list[str]]:
    """A page of every kind, with the arguments its view reads; every grid."""
    grids, models, metrics = list(ds.grids), list(model_records(ds)), list(metric_records(ds))
    sources = next(slug for slug in grids if summary(ds, slug))
    return {
        "index": ["/?q=deepseek"],
        "grid": [f"/grids/{slug}?baseline={ds.grids[slug].models[0].id}"
                 f"&sort={ds.grids[slug].metrics[0].id}&order=desc" for slug in grids],
        "model": [f"/models/{models[0]}"],
        "metric": [f"/metrics/{metrics[0]}"],
        "models-index": ["/models?sort=grids&order=desc"],
        "metrics-index": ["/metrics?q=price"],
        "compare": [f"/compare?models={','.join(models[:3])}"],
        "conflicts": ["/conflicts?per_page=2&sort=-spread"],
        "sources": [f"/grids/{sources}/sources"],
        "import": ["/import"],
        "api-docs": ["/api/docs"],
        "error": ["/grids/no-such-grid"],
    }


SWITCH_KINDS = ["index", "grid", "model", "metric", "models-index", "metrics-index", "compare",
                "conflicts", "sources", "import", "api-docs", "error"]


def test_every_kind_has_its_switch_checked(dataset):
    assert list(switch_pages(dataset)) == SWITCH_KINDS


def tab_to(page: Page, selector: str, most: int = 40) -> None:
    """Press Tab from the top of the page until `selector` has the focus."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with {most} Tabs on {page.url}")


def switch_by_keyboard(page: Page, to: str) -> int:
    """Choose language `to` with the keyboard; the new page's status."""
    link = page.locator(f"nav.languages a[hreflang={LOCALES[to][1]}]")
    expect(link).to_be_visible()
    tab_to(page, f"nav.languages a[hreflang='{LOCALES[to][1]}']")
    with page.expect_navigation(url=lambda url: args_of(url).get("lang") == to) as navigation:
        page.keyboard.press("Enter")
    return navigation.value.status


@pytest.mark.parametrize("kind", SWITCH_KINDS)
def test_the_switch_is_on_every_page_and_keeps_its_arguments(browser, server, dataset, kind):
    context = context_in(browser, "en")
    page = context.new_page()
    for path in switch_pages(dataset)[kind]:
        status = page.goto(server + path).status
        expected = 404 if kind == "error" else 200
        assert status == expected and html_lang(page) == "en", path
        asked = args_of(page.url)
        assert switch_by_keyboard(page, "zh") == expected, path
        assert html_lang(page) == "zh-CN", path
        assert urlsplit(page.url).path == urlsplit(server + path).path
        assert args_of(page.url) == {**asked, "lang": "zh"}, path
        expect(page.locator("nav.languages [aria-current=page]")).to_have_text("中文")
        assert switch_by_keyboard(page, "en") == expected, path
        assert html_lang(page) == "en" and args_of(page.url) == {**asked, "lang": "en"}, path
    context.close()


# --- A chosen language is carried by every link ---

def first_grid_with_baseline(ds) -> str:
    slug = next(iter(ds.grids))
    return f"/grids/{slug}?baseline={ds.grids[slug].models[0].id}"


def test_a_chosen_language_is_carried_by_every_link(browser, server, dataset):
    """An English browser chooses 中文 on a grid page: every link, form, embed code and chart of
    the page names lang=zh, and what each link leads to is in Chinese."""
    context = context_in(browser, "en")
    page = context.new_page()
    page.goto(server + first_grid_with_baseline(dataset))
    follow(page, page.locator("nav.languages a[hreflang=zh-CN]"))
    assert html_lang(page) == "zh-CN"
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
    links = set()
    for href in hrefs:
        url = urljoin(page.url, href)
        if href.startswith("#") or not url.startswith(server):
            continue
        want = "en" if href == page.locator("nav.languages a").get_attribute("href") else "zh"
        assert args_of(url).get("lang") == want, href
        if want == "zh":
            links.add(url.split("#")[0])
    assert len(links) > 20
    forms = page.locator("form[method=get]")
    for i in range(forms.count()):
        assert forms.nth(i).locator("input[name=lang]").get_attribute("value") == "zh"
    for code in page.locator("textarea.embed-code").all():
        src = re.search(r'src="([^"]+)"', code.input_value()).group(1)
        assert src.startswith(server) and args_of(src)["lang"] == "zh", src
        links.add(src)
    for spec in page.locator(".vega-chart").all():
        url = urljoin(page.url, spec.get_attribute("data-spec"))
        assert args_of(url)["lang"] == "zh", url
    # What every link gives an English browser: Chinese.
    for url in sorted(links):
        response = context.request.get(url, headers={"Accept-Language": "en-US,en;q=0.9"})
        assert response.status == 200, url
        assert response.headers["content-language"] == "zh-CN", url
        if response.headers["content-type"].startswith("text/html"):
            assert '<html lang="zh-CN">' in response.text(), url
    # Followed in the browser: a model's page, then its own links stay Chinese.
    follow(page, page.locator("table.grid tbody th.model a:not(.add-compare)").first)
    assert html_lang(page) == "zh-CN" and args_of(page.url)["lang"] == "zh"
    follow(page, page.locator("header nav a").nth(1))
    assert html_lang(page) == "zh-CN" and args_of(page.url)["lang"] == "zh"
    context.close()


def test_a_form_keeps_the_chosen_language(browser, server, dataset):
    """Choosing a baseline (a GET form) on a page the reader switched to Chinese stays Chinese."""
    context = context_in(browser, "en")
    page = context.new_page()
    slug = next(iter(dataset.grids))
    page.goto(f"{server}/grids/{slug}?lang=zh")
    page.select_option("#f-baseline", dataset.grids[slug].models[1].id)
    follow(page, page.locator("form.controls button[type=submit]").first)
    assert args_of(page.url)["baseline"] == dataset.grids[slug].models[1].id
    assert html_lang(page) == "zh-CN" and args_of(page.url)["lang"] == "zh"
    context.close()


# --- The scripts speak the page's language ---

COPY_WORDS = ("Copy citation", "Copy table (tab-separated, for a spreadsheet)", "Copy embed code")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_copy_buttons_speak_the_pages_language(browser, server, dataset, catalogue, lang):
    context = context_in(browser, "en", permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{server}{first_grid_with_baseline(dataset)}&lang={lang}")
    buttons = page.locator("button.copy")
    expect(buttons.first).to_be_visible()
    assert set(buttons.all_text_contents()) == {words(catalogue, lang, w) for w in COPY_WORDS}
    for details in page.locator("details.chart-menu").all():
        details.locator("summary").click()
    for i in range(buttons.count()):
        button = buttons.nth(i)
        button.scroll_into_view_if_needed()
        button.click()
        status = button.locator("xpath=following-sibling::span[@role='status'][1]")
        expect(status).to_have_text(words(catalogue, lang, "Copied"))
    citation = page.locator("[data-copy=citation]").first.inner_text().strip()
    page.locator("button.copy", has_text=words(catalogue, lang, COPY_WORDS[0])).first.click()
    assert page.evaluate("navigator.clipboard.readText()") == citation
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_chart_that_cannot_be_drawn_says_so_in_the_pages_language(browser, server, dataset,
                                                                   catalogue, lang):
    context = context_in(browser, "en")
    page = context.new_page()
    page.route("**/charts/assets/vega.js*", lambda route: route.abort())
    page.goto(f"{server}/grids/{next(iter(dataset.grids))}?lang={lang}")
    draw_charts(page)
    said = words(catalogue, lang, "This chart could not be drawn (%(reason)s).") % {
        "reason": words(catalogue, lang, "the chart library did not load")}
    errors = page.locator(".vega-chart.chart-error")
    assert errors.count() == page.locator(".vega-chart").count() > 0
    assert set(errors.all_inner_texts()) == {said}
    context.close()


# --- Charts, a chart's PNG and a deck in Chinese ---

def chart_words(node) -> list[str]:
    """A chart spec's title and subtitle lines."""
    title = node["title"]
    return [*([title["text"]] if isinstance(title["text"], str) else title["text"]),
            *title.get("subtitle", [])]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_charts_drawn_in_a_chinese_page_have_chinese_titles(browser, server, dataset, catalogue):
    source = before_argument(catalogue["Source: %(citation)s"])
    context = context_in(browser, "en")
    page = context.new_page()
    for slug in dataset.grids:
        page.goto(f"{server}/grids/{slug}?lang=zh")
        draw_charts(page)
        charts = page.locator(".vega-chart")
        assert charts.count() > 0, slug
        for chart in charts.all():
            spec = context.request.get(urljoin(page.url, chart.get_attribute("data-spec"))).json()
            drawn = squeeze("".join(chart.locator("svg text").all_text_contents()))
            for line in chart_words(spec):
                assert squeeze(line) in drawn, (slug, line)
            assert source in drawn and "Source:" not in drawn, slug
            assert HAN.search(spec["title"]["subtitle"][0] + "".join(chart_words(spec)))
    context.close()


def test_a_chart_png_and_a_deck_from_a_chinese_page(browser, server, dataset, catalogue):
    """The PNG links of a Chinese grid page give pictures drawn from the Chinese charts (their
    SVG twins hold the Chinese titles); its deck's slides have Chinese titles and sources."""
    source = before_argument(catalogue["Source: %(citation)s"])
    context = context_in(browser, "en")
    page = context.new_page()
    page.goto(f"{server}{first_grid_with_baseline(dataset)}&lang=zh")
    pngs = page.eval_on_selector_all(
        "details.chart-menu a[href*='.png']:not([href*='scale='])", "as => as.map(a => a.href)")
    assert pngs
    for png in pngs:
        zh = context.request.get(png)
        assert zh.status == 200 and zh.body()[:8] == b"\x89PNG\r\n\x1a\n", png
        assert zh.body() != context.request.get(png.replace("lang=zh", "lang=en")).body(), png
        svg = context.request.get(png.replace(".png", ".svg")).text()
        spec = context.request.get(png.replace(".png", ".json")).json()
        for line in chart_words(spec):
            assert squeeze(line.replace("&", "&amp;")) in squeeze(re.sub(r"<[^>]+>", "", svg))
    deck = page.locator("a[href*='deck.pptx']:not([href*='style='])").get_attribute("href")
    response = context.request.get(urljoin(page.url, deck))
    assert response.status == 200
    slides = list(Presentation(io.BytesIO(response.body())).slides)
    assert len(slides) > len(pngs)
    slide_titles = [squeeze(s.shapes.title.text) for s in slides]
    for slide, title in zip(slides, slide_titles, strict=True):
        assert HAN.search(title), title
        lines = [line for shape in slide.shapes if shape.has_text_frame
                 for line in shape.text_frame.text.splitlines()]
        assert any(line.startswith(source) for line in lines), lines
        assert not any(line.startswith("Source:") for line in lines), lines
    english = context.request.get(urljoin(page.url, deck.replace("lang=zh", "lang=en")))
    english_titles = [squeeze(s.shapes.title.text)
                      for s in Presentation(io.BytesIO(english.body())).slides]
    assert len(english_titles) == len(slide_titles)
    assert any(zh != en for zh, en in zip(slide_titles, english_titles, strict=True))
    context.close()


TITLE_OVERFLOW = """n => {
    const right = n.getBoundingClientRect().right;
    return [...n.querySelectorAll('svg .role-title text tspan')]
        .filter(t => t.getBoundingClientRect().right > right + 1)
        .map(t => t.textContent);
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_titles_fit_a_phone(browser, server, dataset, lang):
    """On a phone, every line of every chart's title and notes is inside the chart's box: a run
    of Chinese (no spaces) is broken where it must be, not inside a Latin word."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=LOCALES[lang][0])
    page = context.new_page()
    for slug in dataset.grids:
        page.goto(f"{server}/grids/{slug}?lang={lang}")
        draw_charts(page)
        for chart in page.locator(".vega-chart").all():
            assert chart.evaluate(TITLE_OVERFLOW) == [], slug
            spec = context.request.get(urljoin(page.url, chart.get_attribute("data-spec"))).json()
            words = " ".join(chart_words(spec))
            lines = [line for line in chart.locator("svg .role-title text tspan")
                     .all_text_contents() if line.strip()]
            for before, after in zip(lines, lines[1:], strict=False):  # not "MML" and "U"
                last, first = before.split()[-1], after.split()[0]
                assert not (re.search(r"[A-Za-z0-9]$", last) and re.match(r"[A-Za-z0-9]", first)
                            and last + first in words and f"{last} {first}" not in words), \
                    (slug, before, after)
    context.close()
