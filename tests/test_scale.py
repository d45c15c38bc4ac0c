"""Many models: pages, whole-grid sorting, streamed CSV, charts of the top N (synthetic data)."""

import csv
import io
import json
import sys

import pytest
from conftest import grid_rows, printed, soup

from leaderboard import ROOT, create_app, exports, views
from leaderboard.data import load

sys.path.insert(0, str(ROOT / "bench"))
from synth import write  # noqa: E402

MODELS = 250


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return write(tmp_path_factory.mktemp("synth") / "benchmarks", models=MODELS, metrics=8, grids=2)


@pytest.fixture(scope="module")
def big(synthetic):
    return create_app({"DATA_DIR": str(synthetic)}).test_client()


def test_synthetic_data_passes_the_same_validation(synthetic):
    ds = load(synthetic)
    assert len(ds.models) == MODELS and len(ds.grids) == 2
    assert len(ds.results) == MODELS * 8
    missing = ds.results["value"].isna().mean()
    assert 0.15 < missing < 0.25
    assert ds.metrics.at["metric-000", "higher_is_better"] is True  # Python bools, always


def test_pages_sort_the_whole_grid(big):
    first = soup(big.get("/grids/synthetic-1?sort=metric-000&per_page=100"))
    third = soup(big.get("/grids/synthetic-1?sort=metric-000&per_page=100&page=3"))
    rows_1, rows_3 = grid_rows(first), grid_rows(third)
    assert len(rows_1) == 100 and len(rows_3) == 50
    values = [printed(cells[0]) for _, _, cells in rows_1 + rows_3]
    numbers = [float(v) for v in values if v != "—"]
    assert numbers[:100] == sorted(numbers[:100], reverse=True)
    assert rows_1[0][0] == "1" and rows_3[-1][0] == "—"  # missing ranks last, on the last page
    assert values[-1] == "—"
    assert "250 of 250 models (rows 201–250 shown)" in third.select_one(".count").get_text()
    assert third.select_one('.pager a[rel="prev"]')["href"] == (
        "/grids/synthetic-1?sort=metric-000&per_page=100&page=2")


def test_ranks_continue_across_pages(big):
    page = soup(big.get("/grids/synthetic-1?sort=metric-001&per_page=10&page=2"))
    ranks = [int(r) for r, _, _ in grid_rows(page)]
    assert ranks[0] >= 11 and ranks == sorted(ranks)


def test_default_page_size_and_bounds(big):
    assert len(grid_rows(soup(big.get("/grids/synthetic-1")))) == 100
    assert big.get("/grids/synthetic-1?per_page=501").status_code == 400
    response = big.get("/grids/synthetic-1?page=4")
    assert response.status_code == 400
    assert "page: 4 is past the last page, 3" in soup(response).select_one(".error-message").get_text()


def test_csv_holds_every_page(big):
    response = big.get("/grids/synthetic-1.csv?sort=metric-000&per_page=10&page=2")
    header, *rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == MODELS
    assert header[:2] == ["Rank", "Model"] and rows[0][0] == "1"


def sent(synthetic, url):
    """GET `url` from an app of its own, so the view runs (no response is cached yet); return
    the chunks as the app sent them and whether the response cache kept the response."""
    app = create_app({"TESTING": True, "DATA_DIR": str(synthetic)})
    cache = app.extensions["response_cache"]
    response = app.test_client().get(url, buffered=False)
    chunks = list(response.response)
    response.close()
    assert response.status_code == 200 and (cache.hits, cache.misses) == (0, 1)
    return chunks, cache.size > 0


@pytest.mark.parametrize(("url", "lines", "several"), [("/grids/synthetic-2.csv", MODELS + 1, False),
                                                       ("/downloads/all.csv", MODELS * 8 + 1, True)])
def test_large_csv_streams(synthetic, monkeypatch, url, lines, several):
    """Under STREAM_CELLS a download is one body, kept by the response cache; over it, it is
    sent as written (500 rows a chunk), and a streamed response is never cached."""
    whole, kept = sent(synthetic, url)
    assert len(whole) == 1 and kept
    monkeypatch.setattr(views, "STREAM_CELLS", 100)
    streamed, kept = sent(synthetic, url)
    assert not kept
    assert len(streamed) > 1 if several else len(streamed) == 1  # 250 rows fit in one chunk
    body = b"".join(streamed)
    assert body.decode("utf-8-sig").count("\r\n") == lines
    assert body == whole[0]  # streamed or whole, the same file


def test_charts_show_the_top_n_with_a_note(big):
    spec = big.get("/charts/synthetic-1/bar-metric-000.json").json
    rows = spec["datasets"][spec["layer"][0]["data"]["name"] if "data" in spec["layer"][0] else spec["data"]["name"]]
    assert len(rows) == 30
    assert f"Top 30 of {MODELS} models shown, in the page's order" in spec["title"]["subtitle"]
    heat = big.get("/charts/synthetic-1/heatmap.json").json
    assert f"Top 40 of {MODELS} models shown, in the page's order" in heat["title"]["subtitle"]
    assert big.get("/charts/synthetic-1/bar-metric-000.png?scale=1").status_code == 200


def test_metric_page_paginates(big):
    page = soup(big.get("/metrics/metric-000?per_page=50&page=2"))
    rows = page.select("table.list tbody tr")
    assert len(rows) == 50
    assert rows[0].select_one("td.rank").get_text(strip=True) not in ("1", "—")
    assert "Page 2 of" in page.select_one(".pager").get_text()


@pytest.mark.parametrize("url", ["/api/grids/synthetic-1", "/downloads/all.json",
                                 "/api/metrics/metric-000", "/api/models/model-00001"])
def test_not_reported_is_null_in_json_when_every_cell_is_a_number(big, url):
    """With no date or yes/no cells the raw values are all numbers: '-' must still be null,
    never NaN (which is not JSON)."""
    text = big.get(url).get_data(as_text=True)
    assert "NaN" not in text
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{url} holds {name}"))


@pytest.mark.parametrize("url", ["/downloads/all.csv", "/grids/synthetic-1.csv?format=long"])
def test_not_reported_is_empty_in_long_csv(big, url):
    rows = list(csv.DictReader(io.StringIO(big.get(url).get_data(as_text=True).lstrip("\ufeff"))))
    dashes = [r for r in rows if r["printed"] == "-"]
    assert dashes and all(r["value"] == "" for r in dashes)


def test_large_json_download_streams_the_same_document(synthetic, monkeypatch):
    whole, kept = sent(synthetic, "/downloads/all.json")
    assert len(whole) == 1 and kept
    monkeypatch.setattr(views, "STREAM_CELLS", 100)
    chunks, kept = sent(synthetic, "/downloads/all.json")
    assert len(chunks) > 1 and not kept
    streamed = json.loads(b"".join(chunks))
    assert streamed == json.loads(whole[0])
    assert sum(len(g["results"]) for g in streamed["grids"]) == MODELS * 8


@pytest.mark.parametrize(("url", "writer"), [("/downloads/all.csv", "all_long_csv"),
                                             ("/downloads/all.json", "all_json")])
def test_a_streamed_download_is_sent_as_it_is_written(synthetic, monkeypatch, url, writer):
    """A streamed download is never held whole: the client reads a chunk as it is written."""
    written, write = [], getattr(exports, writer)

    def counted(*args):
        for chunk in write(*args):
            written.append(chunk)
            yield chunk

    monkeypatch.setattr(exports, writer, counted)
    monkeypatch.setattr(views, "STREAM_CELLS", 100)
    app = create_app({"TESTING": True, "DATA_DIR": str(synthetic)})
    response = app.test_client().get(url, buffered=False)
    ahead = len(written)  # chunks written before the client has read a byte
    read = list(response.response)
    response.close()
    assert ahead <= 1 < len(read) == len(written)
