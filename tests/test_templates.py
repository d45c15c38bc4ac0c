"""Templates receive display-ready values: no pandas object, no Dataset, no NaN to test with
`x == x`. Every page kind is rendered and everything handed to its template is walked."""

import dataclasses
import math
from collections.abc import Mapping
from functools import cached_property

import numpy as np
import pandas as pd
import pytest
from conftest import DATA_DIR
from flask import template_rendered
from jinja2 import meta

from leaderboard import create_app
from leaderboard.data import Dataset, load

_DS = load(DATA_DIR)
_PAIR = "deepseek-r1,openai-o1-1217"
PAGES = (
    ["/", "/?q=AIME", "/conflicts", "/conflicts?model=deepseek-r1&sort=-spread", f"/compare?models={_PAIR}",
     "/compare?models=gemini-nano,deepseek-r1", "/import", "/no-such-page", "/grids/r1-distilled?sort=nope",
     "/grids/r1-distilled/sources", "/charts/r1-distilled/heatmap.html", "/api/docs"]
    + [f"/grids/{slug}" for slug in _DS.grids]
    + [f"/grids/{slug}?baseline={grid.models[0].id}&average=yes&sort={grid.metrics[0].id}"
       for slug, grid in _DS.grids.items()]
    + [f"/models/{model}" for model in _DS.models.index]
    + [f"/metrics/{metric}" for metric in _DS.metrics.index]
)
ERRORS = {"/no-such-page": 404, "/grids/r1-distilled?sort=nope": 400}  # the error pages
# A Cell's sort key is NaN where nothing is reported: it is for sorting, never shown.
SORT_ONLY = {"sort_key"}


def _children(value, path: str):
    """The values inside a value, with their paths: fields, items, elements."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = [f.name for f in dataclasses.fields(value) if f.name not in SORT_ONLY]
        if isinstance(getattr(type(value), "rows", None), cached_property):
            names.append("rows")  # a view's rows are a cached property, not a field
        return [(getattr(value, n), f"{path}.{n}") for n in names]
    if isinstance(value, Mapping):
        return [(item, f"{path}[{key!r}]") for key, item in value.items()]
    if isinstance(value, list | tuple | set | frozenset):
        return [(item, f"{path}[{i}]") for i, item in enumerate(value)]
    return []


def _problems(value, path: str, seen: set[int], depth: int = 0):
    if depth > 12 or id(value) in seen or callable(value) and not dataclasses.is_dataclass(value):
        return
    seen.add(id(value))
    if isinstance(value, pd.DataFrame | pd.Series | pd.Index | np.ndarray | Dataset):
        yield f"{path}: {type(value).__name__}"
    elif isinstance(value, float) and math.isnan(value) or value is pd.NA or value is pd.NaT:
        yield f"{path}: NaN"
    else:
        for child, where in _children(value, path):
            yield from _problems(child, where, seen, depth + 1)


@pytest.fixture(scope="module")
def fresh():
    """An app of this module's own: its response cache has served none of these pages."""
    return create_app({"TESTING": True, "DATA_DIR": str(DATA_DIR)})


@pytest.mark.parametrize("url", PAGES)
def test_every_page_gets_plain_values(fresh, url):
    app = fresh
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append((template.name, context))

    with template_rendered.connected_to(record, app):
        response = app.test_client().get(url)
    assert response.status_code == ERRORS.get(url, 200), url
    assert rendered, f"{url} rendered no template"
    for name, context in rendered:
        values = {k: v for k, v in context.items()
                  if k not in ("g", "request", "session", "config") and not callable(v)}
        problems = list(_problems(values, name, set()))
        assert not problems, problems[:10]


def test_no_template_reads_the_dataset(app):
    """Nothing in a template names the Dataset (`ds`) or indexes a frame (`.at[`, `.loc[`)."""
    env = app.jinja_env
    for name in env.list_templates(extensions=["html"]):
        source = env.loader.get_source(env, name)[0]
        assert "ds" not in meta.find_undeclared_variables(env.parse(source)), name
        assert ".at[" not in source and ".loc[" not in source and "iloc" not in source, name


def test_the_walk_finds_what_it_looks_for():
    """The check above can fail: a frame, a Dataset and a NaN inside plain values are found."""
    found = list(_problems({"a": [pd.Series([1.0])], "b": (_DS,), "c": {"d": float("nan")}},
                           "ctx", set()))
    assert found == ["ctx['a'][0]: Series", "ctx['b'][0]: Dataset", "ctx['c']['d']: NaN"]
