"""Every drawn chart fits its box, at a phone's width and a desktop's, light and dark (real
gunicorn, real Chromium).

Every grid page is seen at both widths in both schemes; a model of each organisation, a metric
of each kind, the compare page, every grid with a baseline (its diff chart) and every grid's
heatmap embed are seen once, the four (width, scheme) pairs taking
turns, so each pair sees every page kind. One Chromium, one context per pair.
"""

from __future__ import annotations

import itertools
import time

import pytest
from conftest import CHARTS_DRAWN, draw_charts
from live import Gunicorn

from leaderboard import ROOT

SIZES = {"phone": (390, 844), "desktop": (1400, 900)}
COMBOS = list(itertools.product(SIZES, ("light", "dark")))

# Per chart: its box, the drawn picture, what is drawn inside the picture, its background and
# its accessible name; and the page's own width.
MEASURE = """() => ({page: document.documentElement.scrollWidth, charts:
  [...document.querySelectorAll('.vega-chart')].map(box => {
    const svg = box.querySelector('svg');
    if (!svg) return {error: box.textContent};
    const inside = svg.getBBox();
    const snippet = box.closest('figure') && box.closest('figure').querySelector('.embed-code');
    return {
      box: box.getBoundingClientRect().width, left: box.getBoundingClientRect().left,
      svg: svg.getBoundingClientRect().width, drawnFrom: inside.x,
      drawnTo: inside.x + inside.width, svgWidth: svg.width.baseVal.value,
      background: getComputedStyle(svg).backgroundColor,
      scrolls: box.classList.contains('chart-scrolls'), tabindex: box.getAttribute('tabindex'),
      role: box.getAttribute('role'), name: box.getAttribute('aria-label') || '',
      imgAround: Boolean(box.parentElement.closest('[role=img]')),
      imgInside: box.querySelectorAll('[role=img]').length,
      unnamed: [...box.querySelectorAll('[role=graphics-symbol], [role=graphics-document]')]
        .filter(e => !e.getAttribute('aria-label') && !e.closest('[aria-hidden=true]'))
        .map(e => e.getAttribute('class')),
      snippet: snippet ? snippet.value : null,
    };
  })})"""


def luminance(css: str) -> float:
    """The relative luminance (0 black, 1 white) of a computed 'rgb(r, g, b)' colour."""
    r, g, b = (int(v) / 255 for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.fixture(scope="module")
def server():
    live = Gunicorn(ROOT / "data" / "benchmarks").wait()
    yield live
    live.stop()


def pages_to_see(dataset) -> dict[tuple[str, str], list[str]]:
    """The pages each (width, scheme) pair loads: every grid page (in two of the pairs with its
    first model as the baseline, so its diff chart is drawn too), and once each, taking turns:
    a model of each organisation, a metric of each kind (unit, direction, type), as the
    registries list them, every grid's heatmap on its embed page, the other embed kinds, and
    the compare page."""
    models = dataset.models.groupby("organisation").head(1).index
    metrics = dataset.metrics.groupby(["unit", "higher_is_better", "type"], dropna=False) \
        .head(1).index
    once = [
        *(f"/models/{m}" for m in models),
        *(f"/metrics/{m}" for m in metrics),
        *(f"/charts/{slug}/heatmap.html" for slug in dataset.grids),
        "/charts/metrics/training-cost.html", "/charts/models/deepseek-r1.html",
        "/charts/r1-distilled/diff-vs-o1-mini.html",
        "/compare?models=deepseek-r1,openai-o1-1217,o1-mini,gpt-4o-0513,claude-3-5-sonnet-1022",
        "/compare?models=deepseek-v3,gpt-4",
    ]
    pages = {}
    for i, (size, scheme) in enumerate(COMBOS):
        with_baseline = (size == "phone") == (scheme == "dark")
        grids = [f"/grids/{slug}?baseline={grid.models[0].id}" if with_baseline
                 else f"/grids/{slug}" for slug, grid in dataset.grids.items()]
        pages[(size, scheme)] = grids + once[i::len(COMBOS)]
    return pages


def chart_problems(c: dict, width: int, scheme: str) -> list[str]:
    """What is wrong with one drawn chart, in words."""
    if "error" in c:
        return [c["error"]]
    out = []
    if c["left"] + c["box"] > width + 1:
        out.append(f"its box ends at {c['left'] + c['box']:.0f} px")
    if c["svg"] > c["box"] + 1 and not (c["scrolls"] and c["tabindex"] == "0"):
        out.append(f"{c['svg']:.0f} px in a {c['box']:.0f} px box, no scroll box")
    if c["drawnFrom"] < -1 or c["drawnTo"] > c["svgWidth"] + 1:
        out.append(f"drawn from {c['drawnFrom']:.0f} to {c['drawnTo']:.0f} px, "
                   f"outside its {c['svgWidth']:.0f} px picture")
    if (scheme == "dark") != (luminance(c["background"]) < 0.2):
        out.append(f"background {c['background']} in the {scheme} scheme")
    if c["role"] != "graphics-document" or len(c["name"]) < 10 \
            or c["name"] == "Vega visualization" or c["imgAround"] or c["imgInside"]:
        out.append(f"named {c['name'][:40]!r} as {c['role']}, "
                   f"img around: {c['imgAround']}, inside: {c['imgInside']}")
    if c["unnamed"]:  # axe's svg-img-alt: a symbol or a picture without a name
        out.append(f"unnamed marks: {sorted(set(c['unnamed']))}")
    if c["snippet"] is not None:
        framed = int(c["snippet"].split('width="')[1].split('"')[0])
        if framed < c["svg"]:
            out.append(f"the embed snippet frames {framed} px of {c['svg']:.0f}")
    return out


def problems(path: str, width: int, scheme: str, seen: dict) -> list[str]:
    """What is wrong with one page's charts, in words."""
    out = [f"page is {seen['page']} px wide"] if seen["page"] > width else []
    if not seen["charts"]:
        out.append("no chart")
    out += [f"chart {i}: {p}" for i, c in enumerate(seen["charts"], start=1)
            for p in chart_problems(c, width, scheme)]
    return [f"{path} at {width} px, {scheme}: {p}" for p in out]


def test_every_chart_fits_its_box_in_both_schemes(browser, server, dataset):
    found: list[str] = []
    loads = 0
    for (size, scheme), paths in pages_to_see(dataset).items():
        width, height = SIZES[size]
        context = browser.new_context(viewport={"width": width, "height": height},
                                      color_scheme=scheme)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        for path in paths:
            page.goto(server.url + path, wait_until="domcontentloaded")
            draw_charts(page)
            found += problems(path, width, scheme, page.evaluate(MEASURE))
            loads += 1
        found += [f"{size} {scheme}: script error {e}" for e in errors]
        context.close()
    assert found == [], "\n".join(found)
    assert loads > 4 * len(dataset.grids), loads  # every grid in each of the four runs


def test_charts_follow_a_change_of_scheme(browser, server):
    """A reader who switches to dark mode gets dark charts without reloading, and back."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme="light")
    page = context.new_page()
    page.goto(server.url + "/grids/r1-distilled?baseline=o1-mini")
    draw_charts(page)
    every = ("() => [...document.querySelectorAll('.vega-chart svg')].every("
             "s => getComputedStyle(s).backgroundColor === '{}')")
    assert page.evaluate(every.format("rgb(255, 255, 255)"))
    page.emulate_media(color_scheme="dark")
    page.wait_for_function(every.format("rgb(20, 23, 27)"))  # the page's own dark background
    page.emulate_media(color_scheme="light")
    page.wait_for_function(every.format("rgb(255, 255, 255)"))
    context.close()


def test_a_heatmap_too_wide_for_a_phone_scrolls_in_a_box_the_keyboard_reaches(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server.url + "/grids/r1-vs-frontier")
    draw_charts(page)
    heatmap = page.locator(".vega-chart").first
    assert heatmap.get_attribute("tabindex") == "0"
    assert heatmap.get_attribute("aria-label").startswith(
        "DeepSeek-R1 against other representative models, benchmark by benchmark: every model")
    heatmap.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.vega-chart').scrollLeft > 0")
    context.close()


def test_charts_follow_a_change_of_width(browser, server):
    """A window narrowed (a tablet turned, a desktop window dragged) draws its charts again to
    fit: the title lines wrapped for 1400 px would run out of a 390 px picture."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(server.url + "/metrics/training-cost")
    draw_charts(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function("() => { const box = document.querySelector('.vega-chart');"
                           " const svg = box.querySelector('svg'), inside = svg.getBBox();"
                           " return box.clientWidth < 400 && svg.width.baseVal.value <="
                           " box.clientWidth && inside.x + inside.width <= svg.width.baseVal.value"
                           " + 1; }", timeout=5_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_charts_below_the_table_wait_until_the_reader_comes_near(browser, server):
    """On a phone a grid's charts are far below its table: the page shows the table without the
    chart library, which loads, once, when the first chart comes near the screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(server.url + "/grids/r1-vs-frontier")
    page.wait_for_load_state("networkidle")
    assert not [url for url in asked if "vega.js" in url or "/charts/" in url]
    assert page.locator(".vega-chart svg").count() == 0
    draw_charts(page)
    assert len([url for url in asked if "vega.js" in url]) == 1
    assert page.locator(".vega-chart svg").count() == page.locator(".vega-chart").count() > 0
    context.close()


def test_printing_draws_the_charts_still_waiting(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server.url + "/grids/r1-distilled?baseline=o1-mini")
    page.wait_for_load_state("networkidle")
    assert page.locator(".vega-chart svg").count() == 0  # below the table: not drawn yet
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function(CHARTS_DRAWN)  # all of them, without scrolling
    assert page.evaluate("window.scrollY") == 0
    context.close()


def test_the_last_scheme_chosen_wins_when_it_changes_during_drawing(browser, server):
    """Dark then light again before the dark drawings are done: the charts end up light."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme="light")
    page = context.new_page()
    page.goto(server.url + "/grids/r1-distilled?baseline=o1-mini")
    draw_charts(page)
    # The dark specs arrive late (a slow network); the light ones are at hand, fetched before.
    page.route("**/*theme=dark*", lambda route: (time.sleep(1.0), route.continue_()))
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(300)  # the dark drawings have started, their specs on the way
    page.emulate_media(color_scheme="light")
    page.wait_for_timeout(3000)  # the dark specs came, and any drawing of them finished
    backgrounds = page.evaluate("() => [...document.querySelectorAll('.vega-chart svg')]"
                                ".map(s => getComputedStyle(s).backgroundColor)")
    assert backgrounds and set(backgrounds) == {"rgb(255, 255, 255)"}
    context.close()
