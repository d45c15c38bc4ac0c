"""Small fixes through the Flask client: gzip on every text answer, error pages without empty
headings, the copy buttons' hooks, Chinese text marked as Chinese, the page script on every page."""

from __future__ import annotations

import gzip
import re
import shutil

import pytest
import yaml
from click.testing import CliRunner
from conftest import DATA_DIR, soup
from flask import render_template
from markupsafe import Markup

from leaderboard import create_app
from leaderboard.catalog import model_records
from leaderboard.cli import main

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
HAN = re.compile(r"[\u3400-\u9fff]")


def text_urls(ds) -> list[str]:
    """One of every kind of text answer: pages, API, chart spec, CSV, the scripts and styles."""
    slug = next(iter(ds.grids))
    return ["/", f"/grids/{slug}", f"/models/{next(iter(model_records(ds)))}", "/conflicts",
            "/api/grids", f"/api/grids/{slug}", f"/charts/{slug}/heatmap.json",
            f"/charts/{slug}/heatmap.svg", f"/grids/{slug}.csv?format=long", "/conflicts.csv",
            "/charts/assets/vega.js",
            "/static/style.css", "/static/page.js", "/api/docs/ui/swagger-ui.css",
            "/api/docs/ui/swagger-ui-bundle.js", "/api/openapi.json"]


def test_every_text_answer_is_gzipped_for_a_client_that_accepts_it(client, dataset):
    for url in text_urls(dataset):
        with client.get(url) as plain, client.get(url, headers=GZIP) as packed:
            assert plain.status_code == packed.status_code == 200, url
            assert "Content-Encoding" not in plain.headers, url
            assert packed.headers["Content-Encoding"] == "gzip", url
            body = plain.get_data()
            assert gzip.decompress(packed.get_data()) == body, url
            assert int(packed.headers["Content-Length"]) == len(packed.get_data()), url
            assert len(packed.get_data()) < len(body) * 0.6, url
            for response in (plain, packed):  # a cache keeps the two forms apart
                assert "Accept-Encoding" in response.vary, url
            # The same data in other bytes: the same validator, weak.
            assert packed.headers["ETag"] == "W/" + plain.headers["ETag"], url


def test_the_chart_bundle_shrinks_to_under_two_fifths(client):
    plain = client.get("/charts/assets/vega.js").get_data()
    packed = client.get("/charts/assets/vega.js", headers=GZIP).get_data()
    assert len(plain) > 800_000 and len(packed) < len(plain) * 0.4  # 898 kB: 305 kB


@pytest.mark.parametrize("accept", ["", "identity", "gzip;q=0", "br"])
def test_no_gzip_for_a_client_that_does_not_accept_it(client, accept):
    response = client.get("/grids/r1-distilled", headers={"Accept-Encoding": accept})
    assert "Content-Encoding" not in response.headers
    assert not response.headers["ETag"].startswith("W/")
    assert "<table" in response.get_data(as_text=True)


def test_the_compressed_form_revalidates_with_its_etag(client):
    for url in ("/grids/r1-distilled", "/static/style.css", "/charts/assets/vega.js"):
        with client.get(url, headers=GZIP) as first:
            etag = first.headers["ETag"]
        with client.get(url, headers={**GZIP, "If-None-Match": etag}) as again:
            assert again.status_code == 304 and again.data == b"", url
            assert again.headers["ETag"] == etag and "Accept-Encoding" in again.vary, url


@pytest.mark.parametrize("url", ["/static/style.css", "/charts/assets/vega.js",
                                 "/api/docs/ui/swagger-ui-bundle.js"])
def test_a_range_is_of_the_plain_bytes_never_spliced_into_the_compressed_ones(client, url):
    with client.get(url) as plain, client.get(url, headers=GZIP) as packed:
        body, weak = plain.get_data(), packed.headers["ETag"]
        assert weak.startswith("W/") and "Accept-Ranges" not in packed.headers
    # A client resuming the compressed download with its tag gets the whole answer again.
    with client.get(url, headers={**GZIP, "Range": "bytes=0-99", "If-Range": weak}) as again:
        assert again.status_code == 200 and gzip.decompress(again.get_data()) == body
    with client.get(url, headers={"Range": "bytes=0-99"}) as part:  # plain: a range as asked
        assert part.status_code in (200, 206)
        if part.status_code == 206:
            assert part.get_data() == body[:100]


def test_errors_pictures_and_small_answers_are_sent_as_they_are(client):
    for url in ("/favicon.ico", "/charts/r1-distilled/heatmap.png", "/grids/r1-distilled.xlsx"):
        with client.get(url, headers=GZIP) as response:
            assert response.status_code == 200 and "Content-Encoding" not in response.headers


def test_a_prebuilt_download_keeps_its_bytes_and_sha256_etag(data_copy):
    shutil.rmtree(data_copy / ".snapshot", ignore_errors=True)
    assert CliRunner().invoke(main, ["validate", str(data_copy)]).exit_code == 0
    client = create_app({"TESTING": True, "DATA_DIR": str(data_copy)}).test_client()
    for url in ("/downloads/all.csv", "/downloads/all.json"):
        with client.get(url) as plain, client.get(url, headers=GZIP) as asked:
            assert "Content-Encoding" not in asked.headers, url
            assert asked.headers["ETag"] == plain.headers["ETag"], url
            assert re.fullmatch(r'"[0-9a-f]{64}"', plain.headers["ETag"]), url
            assert asked.get_data() == plain.get_data(), url
        with client.get(url, headers={**GZIP, "Range": "bytes=0-99"}) as ranged:
            assert ranged.status_code == 206 and len(ranged.get_data()) == 100, url


# --- Error pages -------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/grids/nope", "/models/nope", "/no/such/page",
                                 "/grids/r1-distilled?order=sideways"])
def test_every_heading_of_an_error_page_has_something_under_it(client, url):
    page = soup(client.get(url))
    for heading in page.select("main h2"):
        assert heading.find_next_sibling("h3"), (url, heading)
    for heading in page.select("main h3"):
        listed = heading.find_next_sibling()
        assert listed.name == "ul" and listed.select("li"), (url, heading)
    assert page.select("main h3"), url


def test_an_error_page_with_nothing_to_list_has_no_heading(app):
    with app.test_request_context("/grids/nope"):
        html = render_template("error.html", code=404, name="Not Found", message="Nothing here.",
                               links=[("Grids", [], 0, "/"), ("Models", [], 0, None)])
    assert "What exists" not in html and "<h3>" not in html
    with app.test_request_context("/grids/nope"):
        html = render_template("error.html", code=404, name="Not Found", message="x",
                               links=[("Grids", [], 0, "/"), ("Models", [("/m", "M")], 1, None)])
    assert "What exists" in html and "<h3>Models</h3>" in html and "<h3>Grids</h3>" not in html


# --- Hooks for page.js ---------------------------------------------------------------------


def test_every_grid_has_its_copy_hooks_and_citation(client, dataset):
    for slug in dataset.grids:
        source = yaml.safe_load((DATA_DIR / "grids" / f"{slug}.yaml").read_text("utf-8"))
        page = soup(client.get(f"/grids/{slug}"))
        figure = page.select_one("figure[data-copy-table]")
        assert figure is not None and figure.select_one("table.grid"), slug
        citation = figure.select_one("figcaption [data-copy=citation]").get_text()
        cited = source["source"].get("cited")
        assert cited is None or cited in citation, slug
        assert source["source"]["label"] in citation, slug
        assert page.select_one("a.skip")["href"] == "#grid-table", slug
        assert page.select_one("#grid-table table.grid"), slug


def test_every_page_kind_loads_the_page_script_and_starts_with_the_skip_link(client, dataset):
    for url in ("/", f"/grids/{next(iter(dataset.grids))}", "/conflicts", "/import",
                "/api/docs", "/grids/nope", f"/models/{next(iter(model_records(dataset)))}"):
        page = soup(client.get(url))
        assert page.select_one("script[src='/static/page.js']"), url
        first = page.select_one("body").find(["a", "button", "input", "select", "textarea"])
        assert "skip" in first["class"], url
        assert page.select_one(first["href"]) is not None, url  # its target exists
        assert page.select("main") and page.select("h1"), url


# --- Chinese text is marked as Chinese -------------------------------------------------------


def unmarked_chinese(page) -> list[str]:
    """Text with Chinese characters outside any lang="zh" element, where a screen reader would
    read it with the page's English voice. The table's model cells are another branch's."""
    return [str(t).strip() for t in page.select_one("main").find_all(string=HAN)
            if not t.find_parent(attrs={"lang": "zh"})
            and not t.find_parent("textarea")
            and not t.find_parent("th", class_="model")]


def test_chinese_text_from_the_data_is_marked_on_every_english_page(client, dataset):
    from test_i18n_pages import page_urls
    from test_zh_pages import pages

    urls = [f"/grids/{slug}" for slug in dataset.grids] + page_urls(dataset) + pages(dataset)
    found = {url: unmarked_chinese(soup(client.get(url))) for url in urls}
    assert {url: texts for url, texts in found.items() if texts} == {}


@pytest.mark.parametrize(("text", "marked"), [
    ('<b>图5</b> & "x"', '&lt;b&gt;<span lang="zh">图</span>5&lt;/b&gt; &amp; &#34;x&#34;'),
    ("训练时长 (GPU 数)", '<span lang="zh">训练时长</span> (GPU <span lang="zh">数</span>)'),
    ("6300 万美元", '6300 <span lang="zh">万美元</span>'),
    ("输出端：3.29 美元/百万 token", '<span lang="zh">输出端：3.29 美元/百万</span> token'),
    ("MMLU (Pass@1)", "MMLU (Pass@1)"),
    (None, ""),
    (Markup('<a title="中文">x</a>'), '<a title="中文">x</a>'),  # markup is left as it is
])
def test_the_marking_escapes_first_and_marks_only_chinese_runs(text, marked):
    from leaderboard.view import zh

    assert zh(text) == marked
