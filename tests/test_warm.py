"""The server indexes the data once, in the master before it forks: every per-dataset index the
pages read is built by gunicorn's when_ready hook, and none is built again by a request."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

from conftest import DATA_DIR

from leaderboard import catalog, conflicts, create_app, tables, views

ROOT = Path(__file__).resolve().parent.parent
INDEXES = (*catalog.INDEXES, *tables.INDEXES, conflicts.index, views.search_texts)


def _hook():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.when_ready


def test_the_preloading_master_builds_every_index_before_the_fork():
    app = create_app({"TESTING": True, "DATA_DIR": str(DATA_DIR)})
    ds = app.extensions["leaderboard"]
    server = SimpleNamespace(cfg=SimpleNamespace(preload_app=True),
                             app=SimpleNamespace(wsgi=lambda: app))
    misses = {f.__name__: f.cache_info().misses for f in INDEXES}
    _hook()(server)
    built = {f.__name__: f.cache_info().misses - misses[f.__name__] for f in INDEXES}
    assert built == {name: 1 for name in built}  # each index built once, for this dataset
    hits = {f.__name__: f.cache_info().hits for f in INDEXES}
    client = app.test_client()
    for url in ("/", "/?q=aime", "/grids/r1-vs-frontier", "/models/deepseek-r1",
                "/metrics/mmlu-pass1", "/compare?models=deepseek-r1,openai-o1-1217",
                "/conflicts", "/api/conflicts", "/api/models/deepseek-r1"):
        assert client.get(url).status_code == 200, url
    again = {f.__name__: f.cache_info().misses - misses[f.__name__] for f in INDEXES}
    assert again == built  # no request built an index again
    assert any(f.cache_info().hits > hits[f.__name__] for f in INDEXES)
    assert ds is app.extensions["leaderboard"]


def test_without_preload_the_master_builds_nothing():
    misses = {f.__name__: f.cache_info().misses for f in INDEXES}

    def no_app():
        raise AssertionError("the master loaded the app")

    _hook()(SimpleNamespace(cfg=SimpleNamespace(preload_app=False),
                            app=SimpleNamespace(wsgi=no_app)))
    assert {f.__name__: f.cache_info().misses for f in INDEXES} == misses
