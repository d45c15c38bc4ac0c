"""Keyboard and screen-reader use in real Chromium against real gunicorn: the skip link, sorting
without losing one's place, focused headers clear of the sticky column, spoken sort cues, the
copy buttons, tidy filter addresses, print. Every grid, its labels and values from the data."""

from __future__ import annotations

import csv
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml
from conftest import DATA_DIR
from live import Gunicorn
from playwright.sync_api import expect

from leaderboard import ROOT
from leaderboard.catalog import metric_records, model_records


@pytest.fixture(scope="module")
def server():
    live = Gunicorn(ROOT / "data" / "benchmarks").wait()
    yield live
    live.stop()


@pytest.fixture(params=[(390, 844), (1400, 900)], ids=["phone", "desktop"])
def page(browser, request):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []


def grid_source(slug: str) -> tuple[dict, list[dict]]:
    """A grid's YAML and its CSV rows, as the data directory holds them."""
    spec = yaml.safe_load((DATA_DIR / "grids" / f"{slug}.yaml").read_text("utf-8"))
    with open(DATA_DIR / "grids" / f"{slug}.csv", encoding="utf-8", newline="") as f:
        return spec, list(csv.DictReader(f))


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        return {id: e.id, tag: e.tagName, cls: e.className}; }""")


def test_the_skip_link_is_the_first_tab_stop_of_every_page_kind(page, server, dataset):
    model, metric = next(iter(model_records(dataset))), next(iter(metric_records(dataset)))
    for path in ("/", f"/models/{model}", f"/metrics/{metric}", "/conflicts", "/import",
                 "/api/docs", "/grids/nope", f"/compare?models={model}"):
        page.goto(server.url + path)
        page.keyboard.press("Tab")
        assert focused(page)["cls"] == "skip", path
        expect(page.locator("a.skip")).to_be_visible()  # seen when it has the focus
        page.keyboard.press("Enter")
        assert focused(page)["id"] == "content", path
        page.keyboard.press("Tab")  # on from the content, not from the top of the page
        assert page.evaluate("document.querySelector('header.site')"
                             ".contains(document.activeElement)") is False, path


def test_on_a_grid_the_skip_link_moves_the_focus_to_the_table(page, server, dataset):
    for slug in dataset.grids:
        page.goto(f"{server.url}/grids/{slug}")
        page.keyboard.press("Tab")
        expect(page.locator("a.skip")).to_have_text("Skip to the table")
        page.keyboard.press("Enter")
        assert focused(page)["id"] == "grid-table", slug
        page.keyboard.press("Tab")  # the next stop is the first sort header
        assert focused(page)["id"] == "sort-model", slug


def sort_links(page) -> list[str]:
    return page.locator("thead a[id^=sort-]").evaluate_all("links => links.map(a => a.id)")


def test_sorting_by_keyboard_keeps_the_focus_on_the_header(page, server, dataset):
    for slug in dataset.grids:
        page.goto(f"{server.url}/grids/{slug}")
        ids = sort_links(page)
        for link in (ids[1], ids[-1]):  # the first metric and the one farthest right
            page.locator(f"#{link}").focus()
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert focused(page)["id"] == link, (slug, link)
            metric = link.removeprefix("sort-")
            assert dict(parse_qsl(urlsplit(page.url).query))["sort"] == metric
            box = page.locator(f"#{link}").bounding_box()
            size = page.viewport_size
            assert 0 <= box["y"] and box["y"] + box["height"] <= size["height"], (slug, link)


def test_a_focused_header_is_never_under_the_sticky_model_column(page, server, dataset):
    for slug in dataset.grids:
        page.goto(f"{server.url}/grids/{slug}")
        page.locator("#grid-table").evaluate("box => { box.scrollLeft = box.scrollWidth; }")
        page.locator("#sort-model").focus()
        covered = []
        for _ in sort_links(page)[1:]:  # Tab through every header, left to right
            page.keyboard.press("Tab")
            where = page.evaluate("""() => new Promise(done => requestAnimationFrame(() =>
                requestAnimationFrame(() => {  // once the page has scrolled to the focus
                const a = document.activeElement, box = a.closest('.scroll');
                const column = box.querySelector('thead th.model').getBoundingClientRect();
                const r = a.getBoundingClientRect(), b = box.getBoundingClientRect();
                done({id: a.id, left: r.left, right: r.right, column: column.right,
                      box: b.left + box.clientLeft + box.clientWidth});
            })))""")
            assert where["id"].startswith("sort-"), (slug, where)
            if where["left"] < where["column"] - 0.5 or where["right"] > where["box"] + 0.5:
                covered.append(where)
        assert covered == [], slug


def test_every_header_says_how_it_sorts(page, server, dataset):
    for slug in dataset.grids:
        spec, _ = grid_source(slug)
        page.goto(f"{server.url}/grids/{slug}")
        expect(page.locator("#sort-model")).to_have_accessible_name(
            re.compile(r"^Model\s*, sort ascending$"))
        for metric in spec["metrics"]:
            link = page.locator(f"#sort-{metric['id']}")
            expect(link).to_have_accessible_name(
                re.compile(rf"^{re.escape(metric['label'])}\s*, sort (ascending|descending)$"))
            expect(link.locator(".sort-cue.unsorted")).to_have_text("↕")
    # Sorted: the arrow shows the order, the name the next click's, aria-sort the state.
    slug = next(iter(dataset.grids))
    metric = grid_source(slug)[0]["metrics"][0]["id"]
    page.goto(f"{server.url}/grids/{slug}?sort={metric}&order=desc")
    link = page.locator(f"#sort-{metric}")
    expect(link.locator(".sort-cue")).to_have_text("▼")
    expect(link).to_have_accessible_name(re.compile(r", sort ascending$"))
    expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")


@pytest.fixture
def clipboard(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page = context.new_page()
    yield page
    context.close()


def test_copy_table_gives_the_grid_as_tab_separated_text(clipboard, server, dataset):
    page = clipboard
    for slug in dataset.grids:
        spec, rows = grid_source(slug)
        # As printed (a cell printed twice in the report: its first place); not reported (no
        # row, "-", or neither text nor value) shows as "—".
        printed: dict[tuple[str, str], str] = {}
        for r in rows:
            printed.setdefault((r["model"], r["metric"]), r["printed"] if r["printed"] != "-"
                               and (r["printed"] or r["value"]) else "—")
        page.goto(f"{server.url}/grids/{slug}")
        page.get_by_role("button", name="Copy table (tab-separated, for a spreadsheet)").click()
        expect(page.locator("figure.table-wrap [role=status]").last).to_have_text("Copied")
        lines = page.evaluate("navigator.clipboard.readText()").rstrip("\n").split("\n")
        table = [line.split("\t") for line in lines]
        assert table[0] == ["Model"] + [m["label"] for m in spec["metrics"]], slug
        assert len(table) == 1 + len(spec["models"]), slug
        for model, line in zip(spec["models"], table[1:], strict=True):
            expected = [printed.get((model["label"], m["label"]), "—") for m in spec["metrics"]]
            assert line[1:] == expected, (slug, model["label"])


def test_copy_citation_and_embed_code(clipboard, server, dataset):
    page = clipboard
    slug = next(iter(dataset.grids))
    spec, _ = grid_source(slug)
    page.goto(f"{server.url}/grids/{slug}")
    page.get_by_role("button", name="Copy citation").click()
    citation = page.evaluate("navigator.clipboard.readText()")
    assert spec["source"]["label"] in citation and spec["source"].get("cited", "") in citation
    expect(page.get_by_role("status").filter(has_text="Copied")).to_have_count(1)
    menus = page.locator("details.chart-menu")
    assert menus.count() == page.locator("textarea.embed-code").count() > 0
    for i in range(menus.count()):
        menus.nth(i).locator("summary").click()
        menus.nth(i).get_by_role("button", name="Copy embed code").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == menus.nth(i).locator("textarea.embed-code").input_value()
        assert copied.startswith(f'<iframe src="{server.url}/charts/')


def test_a_filter_address_carries_only_the_fields_filled_in(page, server):
    page.goto(f"{server.url}/grids/r1-distilled")
    page.locator("#f-q").fill("Qwen")
    with page.expect_navigation():
        page.locator("#f-q").press("Enter")
    assert parse_qsl(urlsplit(page.url).query, keep_blank_values=True) == [("q", "Qwen")]
    shown = page.locator("table.grid tbody tr").count()
    page.go_back()
    expect(page.locator("#f-open")).to_be_enabled()  # usable again, back from the history
    # The server still reads empty fields as absent (a page without the script sends them).
    page.goto(f"{server.url}/grids/r1-distilled?q=Qwen&open=&distilled=&min_params=&baseline=")
    expect(page.locator("table.grid tbody tr")).to_have_count(shown)
    assert 0 < shown < len(grid_source("r1-distilled")[0]["models"])


def test_the_model_page_shows_every_row_without_an_inner_scroll(page, server, dataset):
    for model in model_records(dataset):
        page.goto(f"{server.url}/models/{model}")
        inner = page.locator(".scroll").evaluate_all(
            "boxes => boxes.filter(b => b.scrollHeight > b.clientHeight + 1).length")
        assert inner == 0, model


def test_print_leaves_out_the_controls_and_cuts_no_table(browser, server, dataset):
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    page.emulate_media(media="print")
    for slug in dataset.grids:
        page.goto(f"{server.url}/grids/{slug}")
        hidden = page.evaluate("""() => ['header.site', 'form.controls', 'details.columns',
            '.copy-tools', 'a.skip'].filter(s => document.querySelector(s))
            .map(s => getComputedStyle(document.querySelector(s)).display)""")
        assert set(hidden) == {"none"}, slug
        box = page.locator("#grid-table")
        assert box.evaluate("b => b.scrollHeight <= b.clientHeight + 1"), slug  # every row
        assert box.evaluate("b => getComputedStyle(b).overflow") == "visible", slug
        assert page.evaluate("getComputedStyle(document.querySelector('main a'), '::after')"
                             ".content") in ("none", "normal")  # no URL printed after links
    context.close()
