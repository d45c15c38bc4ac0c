"""Every page kind fits a phone: wide tables scroll inside their box, the page never gets wider
than the screen (Chromium at 390 px)."""

import pytest
from live import Gunicorn

from leaderboard import ROOT

PAGES = ["/", "/grids/r1-distilled", "/grids/r1-vs-frontier?baseline=o1-mini&average=yes",
         "/grids/v3-readme-base", "/grids/r1-distilled/sources", "/models/deepseek-r1",
         "/metrics/aime-2024-pass1", "/compare?models=deepseek-r1,o1-mini,gpt-4o-0513",
         "/conflicts", "/import", "/api/docs", "/grids/nope",
         "/models/deepseek-r1?metric=aime-2024-pass1", "/grids/cost-and-scale",
         "/charts/r1-distilled/heatmap.html"]


@pytest.fixture(scope="module")
def server():
    live = Gunicorn(ROOT / "data" / "benchmarks").wait()
    yield live
    live.stop()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_is_wider_than_a_phone(browser, server, scheme):
    context = browser.new_context(viewport={"width": 390, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    wide = {}
    for path in PAGES:
        page.goto(server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    context.close()
    assert wide == {}  # screen-reader text outside a scroll box widened five pages to 3369 px
