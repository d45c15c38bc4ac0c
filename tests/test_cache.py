"""The response cache: one rendering per URL and data, bounded, never for errors."""

import runpy

from leaderboard import ROOT, create_app
from leaderboard.cache import Entry, ResponseCache


def fresh():
    app = create_app({"DATA_DIR": str(ROOT / "data" / "benchmarks")})
    return app, app.test_client()


def test_the_same_view_is_rendered_once_whatever_the_argument_order():
    app, client = fresh()
    cache = app.extensions["response_cache"]
    first = client.get("/grids/r1-distilled?sort=aime-2024-pass1&baseline=o1-mini")
    assert (cache.hits, cache.misses) == (0, 1)  # an app of its own: its first page is drawn
    again = client.get("/grids/r1-distilled?baseline=o1-mini&sort=aime-2024-pass1")
    assert again.data == first.data and (cache.hits, cache.misses) == (1, 1)
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers["ETag"] == first.headers["ETag"]
    other = client.get("/grids/r1-distilled?sort=-aime-2024-pass1")
    assert other.data != first.data and (cache.hits, cache.misses) == (1, 2)


def test_errors_are_not_cached():
    app, client = fresh()
    cache = app.extensions["response_cache"]
    for _ in range(2):
        assert client.get("/grids/r1-distilled?order=sideways").status_code == 400
        assert client.get("/grids/nope").status_code == 404
    assert (cache.hits, cache.misses, cache.size) == (0, 4, 0)  # each was looked up, none kept


def test_downloads_keep_their_headers_from_the_cache():
    app, client = fresh()
    cache = app.extensions["response_cache"]
    first = client.get("/grids/r1-vs-frontier.csv?sort=aime-2024-pass1")
    again = client.get("/grids/r1-vs-frontier.csv?sort=aime-2024-pass1")
    assert (cache.hits, cache.misses) == (1, 1)  # the second came from the cache
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert again.headers["X-Data-Version"] == first.headers["X-Data-Version"]


def test_size_is_bounded_least_recently_used_out_first():
    cache = ResponseCache(max_bytes=100)
    for key in "abcd":
        cache.put((key,), Entry(200, (), b"x" * 25))
    assert cache.get(("a",)) is not None  # a is now the most recently used
    cache.put(("e",), Entry(200, (), b"x" * 25))
    assert cache.size == 100
    assert cache.get(("b",)) is None and cache.get(("a",)) is not None
    cache.put(("huge",), Entry(200, (), b"x" * 60))  # over a quarter of the budget: not kept
    assert cache.get(("huge",)) is None


def test_the_benchmarks_ceiling_is_only_in_the_benchmarks_app():
    _, client = fresh()
    assert client.get("/_bench/constant?bytes=10").status_code == 404
    bench = runpy.run_path(str(ROOT / "bench" / "ceiling.py"))["create_app"]
    app = bench({"DATA_DIR": str(ROOT / "data" / "benchmarks")})
    for _ in range(2):  # never from the response cache: each request runs the view
        response = app.test_client().get("/_bench/constant?bytes=1234")
        assert response.status_code == 200 and response.data == b"x" * 1234
    assert app.extensions["response_cache"].hits == 0
