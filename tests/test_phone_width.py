"""Every page kind fits its screen, a phone's (390 × 844) and a desktop's (1400 × 900), light and
dark: wide tables and charts scroll inside their own box, the page never gets wider than the
screen (Chromium)."""

import pytest
from conftest import draw_charts
from live import Gunicorn

from leaderboard import ROOT

PAGES = ["/", "/grids/r1-distilled", "/grids/r1-vs-frontier?baseline=o1-mini&average=yes",
         "/grids/v3-readme-base", "/grids/r1-distilled/sources", "/models/deepseek-r1",
         "/metrics/aime-2024-pass1", "/compare?models=deepseek-r1,o1-mini,gpt-4o-0513",
         "/conflicts", "/import", "/api/docs", "/grids/nope",
         "/models/deepseek-r1?metric=aime-2024-pass1", "/grids/cost-and-scale",
         "/charts/r1-distilled/heatmap.html", "/models", "/metrics", "/?q=deepseek",
         "/compare", "/compare?models=deepseek-r1&from=r1-distilled",
         "/models?sort=grids&order=desc&q=deepseek"]
SCREENS = {"phone": (390, 844), "desktop": (1400, 900)}


@pytest.fixture(scope="module")
def server():
    live = Gunicorn(ROOT / "data" / "benchmarks").wait()
    yield live
    live.stop()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("screen", SCREENS)
def test_no_page_is_wider_than_its_screen(browser, server, screen, scheme):
    width, height = SCREENS[screen]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  color_scheme=scheme)
    page = context.new_page()
    wide = {}
    for path in PAGES:
        page.goto(server.url + path)
        draw_charts(page)  # with every chart drawn: a chart wider than its box would show
        scrolled = page.evaluate("document.documentElement.scrollWidth")
        if scrolled > width:
            wide[path] = scrolled
    context.close()
    assert wide == {}  # screen-reader text outside a scroll box widened five pages to 3369 px
