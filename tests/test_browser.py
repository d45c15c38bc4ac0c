"""What a person sees, in real Chromium (Debian's, driven by Playwright) against real gunicorn.

Each scenario saves a screenshot under artifacts/screenshots/. A missing browser is a failure.
"""

from __future__ import annotations

import csv
import http.server
import re
import threading

import pytest
from conftest import draw_charts
from hostile import make_hostile
from live import Gunicorn, free_port
from playwright.sync_api import Page, expect

from leaderboard import ROOT

DATA = ROOT / "data" / "benchmarks"
SHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def server():
    live = Gunicorn(DATA).wait()
    yield live.url
    live.stop()


class Watch:
    """Everything a page did that a person would call broken."""

    def __init__(self, page: Page, origins: tuple[str, ...]):
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        # A request the browser itself cancels because the person navigated on is not a fault.
        page.on("requestfailed", lambda r: r.failure == "net::ERR_ABORTED"
                or self.failed.append(f"{r.url}: {r.failure}"))
        page.on("request", lambda r: r.url.startswith(origins + ("data:", "blob:"))
                or self.outside.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def assert_clean(self) -> None:
        assert self.errors == [] and self.failed == [] and self.outside == [] \
            and self.dialogs == [], vars(self)


@pytest.fixture
def page(browser, server, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.watch = Watch(page, (server,))
    yield page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def models_on_screen(page: Page) -> list[str]:
    return page.locator("table.grid tbody th.model a:not(.add-compare)").all_inner_texts()


def column_on_screen(page: Page, index: int) -> list[str]:
    """The printed values of one metric column (0-based among the metric columns)."""
    rows = page.locator("table.grid tbody tr")
    out = []
    for i in range(rows.count()):
        cell = rows.nth(i).locator("td.num:not(.rank)").nth(index)
        out.append(cell.evaluate("td => (td.querySelector('strong') || td).firstChild.textContent.trim()"))
    return out


def test_sorting_by_clicking_headers(page, server):
    page.goto(server + "/")
    page.get_by_role("link", name="DeepSeek-R1 against other representative models").click()
    expect(page).to_have_url(re.compile(r"/grids/r1-vs-frontier$"))
    header = page.locator("thead th.num a", has_text="MMLU-Redux (EM)")
    header.click()
    expect(page).to_have_url(re.compile(r"sort=mmlu-redux-em&order=desc"))
    assert models_on_screen(page) == ["DeepSeek R1", "DeepSeek V3", "Claude-3.5-Sonnet-1022",
                                      "GPT-4o 0513", "OpenAI o1-mini", "OpenAI o1-1217"]
    assert page.locator("td.rank").all_inner_texts() == ["1", "2", "3", "4", "5", "—"]
    expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    page.locator("thead th.num a", has_text="MMLU-Redux (EM)").click()
    expect(page).to_have_url(re.compile(r"sort=mmlu-redux-em&order=asc"))
    assert models_on_screen(page)[0] == "OpenAI o1-mini"
    assert models_on_screen(page)[-1] == "OpenAI o1-1217"  # missing stays at the bottom
    assert column_on_screen(page, 1) == ["86.7", "88.0", "88.9", "89.1", "92.9", "—"]
    page.watch.assert_clean()


def test_choosing_a_baseline_shows_directional_diffs(page, server):
    page.goto(server + "/grids/r1-distilled")
    page.select_option("#f-baseline", "o1-mini")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"baseline=o1-mini"))
    better = page.locator("td .diff.better").first
    worse = page.locator("td .diff.worse").first
    expect(better).to_contain_text("✓")
    expect(better).to_contain_text("+")
    expect(worse).to_contain_text("✗")
    expect(worse).to_contain_text("−")
    green = better.evaluate("e => getComputedStyle(e).color")
    red = worse.evaluate("e => getComputedStyle(e).color")
    (gr, gg, _), (rr, rg, _) = (tuple(map(int, re.findall(r"\d+", c)[:3])) for c in (green, red))
    assert gg > gr and rr > rg  # colour says it too, but never alone
    summary = page.locator("tr", has_text="DeepSeek-R1-Distill-Llama-70B").locator("td.summary")
    expect(summary).to_have_text("5 better · 1 worse · 0 level")
    # Direction: on prices lower is better, so a cheaper model's negative difference is better.
    page.goto(server + "/grids/cost-and-scale")
    page.select_option("#f-baseline", "gpt-4")
    page.get_by_role("button", name="Apply").click()
    price = page.locator("table.grid tbody tr", has_text="DeepSeekV3").locator("td.num").nth(7)
    expect(price.locator(".diff")).to_have_class(re.compile("better"))
    expect(price.locator(".diff")).to_contain_text("✓")
    expect(price.locator(".diff")).to_contain_text("−29.86")
    page.watch.assert_clean()


def test_charts_render_from_the_server_alone(page, server):
    page.goto(server + "/grids/r1-distilled?baseline=o1-mini&sort=aime-2024-pass1")
    charts = page.locator(".vega-chart")
    expect(charts).to_have_count(3)
    draw_charts(page)
    for i in range(3):
        expect(charts.nth(i).locator("svg .mark-rect path, svg .mark-rect").first).to_be_attached()
    assert page.locator(".vega-chart svg .mark-rect path").count() > 60
    page.watch.assert_clean()


def test_metric_model_and_compare_pages_draw_charts(page, server):
    for url in ("/metrics/aime-2024-pass1", "/models/deepseek-r1",
                "/compare?models=deepseek-r1,openai-o1-1217"):
        page.goto(server + url)
        draw_charts(page)
        expect(page.locator(".vega-chart svg").first).to_be_visible()
    page.watch.assert_clean()


def test_api_reference_page_works_under_the_csp(page, server):
    """Swagger UI comes from our own files and runs without inline script or eval."""
    page.goto(server + "/api/docs")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    assert operations.count() >= 8
    expect(page.get_by_text("/api/grids/{slug}", exact=True).first).to_be_visible()
    # "Try it out" on /api/models calls the API from the page, as a reader would.
    operations.filter(has_text="/api/models").first.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    expect(page.locator(".live-responses-table .response-col_description pre").first).to_contain_text("deepseek-r1")
    page.watch.assert_clean()


def test_csv_download_equals_the_table_on_screen(page, server, tmp_path):
    page.goto(server + "/grids/r1-distilled?sort=aime-2024-pass1&distilled=yes")
    with page.expect_download() as info:
        page.get_by_role("link", name="this view (CSV)").click()
    download = info.value
    assert download.suggested_filename == "r1-distilled_sorted-by-aime-2024-pass1_filtered.csv"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    header, *rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert [r[1] for r in rows] == models_on_screen(page)
    assert [r[0] for r in rows] == page.locator("td.rank").all_inner_texts()
    for index in range(6):
        assert [float(r[2 + index]) for r in rows] == [float(v) for v in column_on_screen(page, index)]
    page.watch.assert_clean()


@pytest.fixture
def other_origin(tmp_path):
    """A static server on another port: the 'other site' that embeds a chart."""
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **k)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_embed_snippet_works_on_another_origin(browser, server, other_origin):
    site, origin = other_origin
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/grids/r1-distilled")
    page.locator(".chart-menu summary").first.click()
    snippet = page.locator("textarea.embed-code").first.input_value()
    assert snippet.startswith(f'<iframe src="{server}/charts/r1-distilled/heatmap.html')
    (site / "slides.html").write_text(f"<!doctype html><link rel=\"icon\" href=\"data:,\"><h1>My slide</h1>{snippet}", encoding="utf-8")
    watch = Watch(page, (server, origin))
    page.goto(origin + "/slides.html")
    frame = page.frame_locator("iframe")
    expect(frame.locator(".vega-chart svg .mark-rect path").first).to_be_attached()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "test_embed_snippet_works_on_another_origin.png"), full_page=True)
    watch.assert_clean()
    context.close()


def test_model_metric_and_compare_pages_link_to_each_other(page, server):
    page.goto(server + "/grids/r1-distilled")
    page.locator("table.grid th.model a:not(.add-compare)", has_text="o1-mini").click()
    expect(page).to_have_url(re.compile("/models/o1-mini$"))
    expect(page.locator("h1")).to_have_text("OpenAI o1-mini")
    page.get_by_role("link", name="AIME 2024 (pass@1)").first.click()
    expect(page).to_have_url(re.compile("/metrics/aime-2024-pass1$"))
    page.locator("table.list th a", has_text="DeepSeek-R1-Distill-Qwen-32B").click()
    expect(page).to_have_url(re.compile("/models/deepseek-r1-distill-qwen-32b$"))
    page.get_by_role("link", name="DeepSeek-R1", exact=True).click()  # its teacher
    expect(page).to_have_url(re.compile("/models/deepseek-r1$"))
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Compare").click()
    expect(page.locator("h1")).to_have_text("Compare models")  # the picker (test_finding_browser)
    page.goto(server + "/compare?models=deepseek-r1,openai-o1-1217")
    expect(page.locator("h1")).to_contain_text("Compare DeepSeek-R1")
    page.locator(".summary-table a", has_text="OpenAI o1 (2024-12-17)").click()
    expect(page).to_have_url(re.compile("/models/openai-o1-1217$"))
    page.watch.assert_clean()


def _tab_to(page: Page, matches, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(matches):
            return
    raise AssertionError("never reached by Tab")


def test_sort_and_baseline_by_keyboard_alone(page, server):
    page.goto(server + "/grids/r1-distilled")
    _tab_to(page, "document.activeElement.textContent.trim().startsWith('MATH-500')")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sort=math-500-pass1&order=desc"))
    assert models_on_screen(page)[0] == "DeepSeek-R1-Distill-Llama-70B"
    _tab_to(page, "document.activeElement.id === 'f-baseline'")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "document.activeElement.textContent.trim() === 'Apply'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"baseline=gpt-4o-0513"))
    expect(page.locator("td .diff.better").first).to_be_visible()
    assert models_on_screen(page)[0] == "DeepSeek-R1-Distill-Llama-70B"  # the sort stayed
    page.watch.assert_clean()


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    directory = make_hostile(DATA, tmp_path_factory.mktemp("hostile") / "benchmarks")
    live = Gunicorn(directory).wait()
    yield live.url
    live.stop()


def test_hostile_data_runs_no_script(browser, hostile_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    watch = Watch(page, (hostile_server,))
    for url in ("/", "/grids/r1-distilled?baseline=qwq-32b&average=yes", "/models/qwq-32b",
                "/models/gpt-4o-0513", "/metrics/aime-2024-pass1", "/compare?models=qwq-32b,o1-mini",
                "/charts/r1-distilled/heatmap.html", "/grids/nope"):
        page.goto(hostile_server + url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.querySelectorAll('img[src=x], iframe, svg[onload]').length") == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(hostile_server + "/grids/r1-distilled")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "test_hostile_data_runs_no_script.png"), full_page=True)
    # The 404 page is expected to be a failed load in the console; nothing else may be.
    watch.errors = [e for e in watch.errors if "404" not in e]
    watch.assert_clean()
    context.close()
