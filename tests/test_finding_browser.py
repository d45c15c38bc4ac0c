"""Finding things in real Chromium against real gunicorn: the header search, the compare picker
(from the header and from a grid's row, with and without JavaScript) and every finding page at
phone width. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from live import Gunicorn
from playwright.sync_api import Page, expect

from leaderboard import ROOT

SHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def server():
    live = Gunicorn(ROOT / "data" / "benchmarks").wait()
    yield live.url
    live.stop()


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  java_script_enabled=request.param)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert errors == []


def test_pick_two_models_from_the_header_and_land_on_their_comparison(page: Page, server):
    page.goto(server + "/")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Compare").click()
    expect(page).to_have_url(server + "/compare")
    expect(page.locator("h1")).to_have_text("Compare models")
    page.get_by_label("QwQ-32B-Preview").check()
    page.get_by_label("OpenAI o1-mini").check()
    page.get_by_role("button", name="Compare the chosen models").first.click()
    expect(page).to_have_url(re.compile(r"/compare\?.*models=qwq-32b&models=o1-mini"))
    expect(page.locator("h1")).to_have_text("Compare QwQ-32B-Preview · OpenAI o1-mini")
    expect(page.locator("table.grid tbody tr").first).to_be_visible()


def test_add_to_compare_from_a_grid_row(page: Page, server):
    page.goto(server + "/grids/r1-distilled")
    page.get_by_role("link", name="Compare QwQ-32B", exact=True).click()
    expect(page).to_have_url(re.compile(r"/compare\?.*models=qwq-32b"))
    expect(page.locator(".picker-note")).to_contain_text("at least two models")
    chosen = page.locator("fieldset.chosen input[type=checkbox]")
    expect(chosen).to_have_count(1)
    expect(chosen).to_be_checked()
    in_grid = page.locator("fieldset.from-grid")
    expect(in_grid.locator("legend")).to_have_text(
        "In DeepSeek's distilled small models beat OpenAI o1-mini")
    in_grid.get_by_label("DeepSeek-R1-Distill-Qwen-32B").check()
    page.get_by_role("button", name="Compare the chosen models").last.click()
    expect(page.locator("h1")).to_have_text(
        "Compare QwQ-32B-Preview · DeepSeek-R1-Distill-Qwen-32B")
    page.get_by_role("link", name="Change the models").click()
    expect(page.locator("fieldset.chosen input:checked")).to_have_count(2)


def test_the_pickers_pager_keeps_what_is_checked(page: Page, server):
    page.goto(server + "/compare?per_page=10")
    page.get_by_label("Apple OpenELM").check()
    page.get_by_role("button", name="Next ›").click()
    expect(page).to_have_url(re.compile(r"pick=2"))
    expect(page.locator("fieldset.chosen")).to_contain_text("Apple OpenELM")
    other = page.locator("fieldset.choices:not(.chosen) input[type=checkbox]").first
    name = other.get_attribute("value")
    other.check()
    page.get_by_role("button", name="Compare the chosen models").first.click()
    expect(page).to_have_url(re.compile(rf"models=apple-openelm&models={name}"))
    expect(page.locator("h1")).to_contain_text("Compare Apple OpenELM · ")


def test_the_header_search_finds_models_and_metrics(page: Page, server):
    page.goto(server + "/models")
    box = page.get_by_role("search", name="Site").get_by_role("searchbox")
    box.fill("aime")
    box.press("Enter")
    expect(page).to_have_url(server + "/?q=aime")
    expect(page.locator("#found-metrics")).to_have_text(re.compile(r"^Metrics \(\d+\)$"))
    page.locator("section.found").get_by_role("link", name="AIME 2024 (pass@1)").click()
    expect(page).to_have_url(server + "/metrics/aime-2024-pass1")


def test_an_index_sorts_by_a_header_and_filters(page: Page, server):
    page.goto(server + "/models")
    page.get_by_role("link", name="Parameters").click()
    expect(page).to_have_url(re.compile(r"sort=params&order=desc"))
    expect(page.locator("tbody tr").first.locator("th")).to_have_text("GPT-4")  # 1.8T
    page.get_by_role("searchbox", name="Filter").fill("qwen")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("p.count")).to_contain_text("match “qwen”, sorted by parameters ↓")


PHONE_PAGES = ["/models", "/metrics?sort=direction", "/?q=qwen", "/compare",
               "/compare?from=r1-distilled&models=qwq-32b",
               "/compare?models=gpt-4o-0513,o3-mini", "/grids/r1-distilled"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_finding_page_is_wider_than_a_phone(browser, server, scheme):
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    wide = {}
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path in PHONE_PAGES:
        page.goto(server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
        name = re.sub(r"\W+", "-", path).strip("-") or "index"
        page.screenshot(path=str(SHOTS / f"finding-390-{scheme}-{name}.png"))
    context.close()
    assert wide == {}
