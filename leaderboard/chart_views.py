"""Chart URLs: /charts/<grid>/<chart>.<json|svg|png|html|pptx>, decks, compare, cost vs score.

Rendered bytes are cached per (data version, chart, arguments): a warm chart costs a lookup.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import altair as alt
from cachetools import LRUCache, cached
from cachetools.keys import hashkey
from flask import Blueprint, abort, current_app, render_template, request, url_for
from werkzeug.exceptions import ServiceUnavailable

from . import charts, exports, http, tables
from .data import Dataset
from .http import query_args, reads
from .schemas import (
    CHART_OPTIONS,
    ChartOptionsQuery,
    CompareChartQuery,
    CostScoreQuery,
    GridChartQuery,
)
from .views import build, dataset, download, get_or_404, parse

bp = Blueprint("charts", __name__, url_prefix="/charts")

MIMETYPES = {
    "json": "application/json",
    "svg": "image/svg+xml",
    "png": "image/png",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
grid_chart_query = GridChartQuery()
compare_chart_query = CompareChartQuery()
options_query = ChartOptionsQuery()
cost_query = CostScoreQuery()


def _key(query: dict) -> tuple:
    """The arguments that change what a chart shows, as a hashable cache key (the models
    compared as the list of ids they name: 'a, b,a' is 'a,b')."""
    if "models" in query:
        query = {**query, "models": ",".join(tables.split_ids(query["models"]))}
    return tuple(sorted((k, v) for k, v in query.items() if k not in CHART_OPTIONS))


# A grid chart's cache key is the view it draws, not how its arguments are spelt: the rows that
# pass the filters (in their order), the columns, the sort, the baseline and the average.
# `max_params=100000` and `=100001`, `q=e` and `q=E` draw one picture, once. Each view keeps the
# arguments it was first asked with, to draw it from.
_VIEWS: LRUCache = LRUCache(maxsize=4096)


def _view_key(ds: Dataset, slug: str, query: dict) -> tuple:
    table = tables.grid_table(ds, ds.grids[slug], query, False)
    key = ("view", tuple(table.order), tuple(m["id"] for m in table.metrics),
           tuple(dict.fromkeys((k.column, k.descending) for k in table.sort)),
           table.baseline["id"] if table.baseline else None, table.average,
           "metrics" in query)  # the heatmap notes columns it leaves out unless chosen
    _VIEWS.setdefault(key, _key(query))
    return key


def _options(query: dict) -> tuple:
    return tuple(query.get(k) for k in ("scale", "width", "height", "theme", "background"))


def _figure(ds: Dataset, kind: str, name: str, key: tuple) -> alt.TopLevelMixin:
    query = dict(_VIEWS[key] if key[:1] == ("view",) else key)
    if kind == "grid":
        slug, chart_id = name.split("/")
        return charts.grid_chart(ds, ds.grids[slug], chart_id, query)
    if kind == "metric":
        return charts.metric_chart(ds, name)
    if kind == "model":
        return charts.model_chart(ds, name)
    if kind == "compare":
        return charts.compare_figure(ds, tables.compare(ds, query["models"]))
    return charts.cost_score_figure(ds, query["metric"], query["price"])


@lru_cache(maxsize=64)
def _spec(ds: Dataset, kind: str, name: str, key: tuple) -> str:
    # The builders' specs are validated against the Vega-Lite schema in the tests; here that
    # validation would only cost time.
    return json.dumps(_figure(ds, kind, name, key).to_dict(validate=False), ensure_ascii=False)


def _themed(ds, kind, name, key, options) -> dict:
    scale, width, height, theme, background = options
    spec = charts.themed(json.loads(_spec(ds, kind, name, key)), theme, background == "transparent")
    return exports.sized(spec, width, height)


# Rendered pictures, bounded by their size in bytes (per worker).
_RENDERED: LRUCache = LRUCache(maxsize=96 * 1024 * 1024, getsizeof=len)
_SLIDES: LRUCache = LRUCache(maxsize=64 * 1024 * 1024, getsizeof=lambda item: len(item[0]))


@cached(_RENDERED, lock=threading.Lock(), info=True)
def render(ds: Dataset, kind: str, name: str, key: tuple, fmt: str, options: tuple) -> bytes:
    """Render one chart to bytes; cached, so the cost is paid once per data version."""
    spec = _themed(ds, kind, name, key, options)
    if fmt == "json":
        return json.dumps(spec, ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "svg":
        return exports.chart_svg(spec)
    if fmt == "png":
        return exports.chart_png(spec, options[0])
    return exports.slides([slide_item(ds, kind, name, key, options[1:], SLIDE_PIXELS)])


# A slide's picture fills a 12.3 × 5.45 in box: 200 dpi there is as sharp as a slide needs. A
# deck's slides share DECK_PIXELS, and a deck has at most MAX_SLIDES: so no deck, however
# large its charts are laid out, takes more than a few seconds to draw.
SLIDE_PIXELS = 2_750_000
DECK_PIXELS = 8_000_000
MAX_SLIDES = 25


@cached(_SLIDES, lock=threading.Lock(), info=True)
def slide_item(ds: Dataset, kind: str, name: str, key: tuple, layout: tuple, pixels: int
               ) -> tuple[bytes, str, str]:
    """A chart for a slide, cached: the title goes on the slide, the source line at its foot,
    and the picture keeps the lines between (unit, direction, notes), drawn at 3× or as near
    as fits in `pixels`."""
    spec = _themed(ds, kind, name, key, (None, *layout))
    title = spec.get("title", {})
    lines = list(title.get("subtitle", []))
    source = lines.pop() if lines else ""
    picture = {**spec, "title": {**title, "text": "", "subtitle": lines}}
    png = exports.chart_png(picture, 3, compact=False, fit=pixels)
    return png, title.get("text", ""), source


def _send(kind: str, name: str, query: dict, fmt: str, filename: str):
    ds = dataset()
    if fmt not in charts.FORMATS:
        abort(404, description=f"No chart format {fmt!r}. Formats: {', '.join(charts.FORMATS)}.")
    if fmt == "html":
        return _embed_page(filename)
    try:
        key = _view_key(ds, name.split("/")[0], query) if kind == "grid" else _key(query)
        with _drawing(fmt in DRAWN and hashkey(ds, kind, name, key, fmt, _options(query))
                      not in _RENDERED):
            body = render(ds, kind, name, key, fmt, _options(query))
    except (tables.QueryError, exports.TooLarge) as e:
        abort(400, description=str(e))
    except tables.UnknownError as e:
        abort(404, description=str(e))
    if fmt == "pptx":
        return download(body, f"{filename}.pptx", MIMETYPES[fmt])
    response = current_app.response_class(body, mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    return response


def _embed_page(filename: str):
    """A standalone page with the interactive chart, for <iframe> embedding from any site."""
    spec_url = url_for(request.endpoint, **{**request.view_args, **query_args(), "fmt": "json"})
    response = current_app.make_response(
        render_template("chart_embed.html", spec_url=spec_url, title=filename))
    response.headers["Content-Security-Policy"] = http.csp(frame_ancestors="*")
    return response


@bp.route("/<slug>/<chart_id>.<fmt>")
@reads(grid_chart_query)
def grid_chart(slug: str, chart_id: str, fmt: str):
    ds = dataset()
    get_or_404("grid", slug, ds.grids)
    known = [c["id"] for c in charts.grid_charts(ds, ds.grids[slug])]
    if chart_id not in known:
        abort(404, description=f"There is no chart {chart_id!r} for grid {slug!r}. "
                               f"Charts: {', '.join(known)}.")
    query = parse(grid_chart_query)
    if fmt == "html":  # the page draws nothing itself: check the filters here
        build(tables.grid_table, ds, ds.grids[slug], query)
    return _send("grid", f"{slug}/{chart_id}", query, fmt, f"{slug}_{chart_id}")


@bp.route("/<slug>/deck.pptx")
@reads(grid_chart_query)
def deck(slug: str):
    """The heatmap and a ranked bar per shown metric, one slide each (no per-baseline diffs)."""
    ds = dataset()
    get_or_404("grid", slug, ds.grids)
    query = parse(grid_chart_query)
    table = build(tables.grid_table, ds, ds.grids[slug], query)
    shown = {f"bar-{m['id']}" for m in table.metrics}
    ids = [c["id"] for c in charts.grid_charts(ds, ds.grids[slug])
           if c["id"] == "heatmap" or c["id"] in shown]
    if len(ids) > MAX_SLIDES:
        abort(400, description=(
            f"metrics: this deck would have {len(ids)} slides (the heatmap and a bar chart per "
            f"metric); a deck has at most {MAX_SLIDES}: choose up to {MAX_SLIDES - 1} metrics "
            "with metrics=a,b,…"))
    key, layout = _view_key(ds, slug, query), _options(query)[1:]
    pixels = min(SLIDE_PIXELS, DECK_PIXELS // len(ids))
    cold = any(hashkey(ds, "grid", f"{slug}/{i}", key, layout, pixels) not in _SLIDES
               for i in ids)
    with _drawing(cold):
        items = [slide_item(ds, "grid", f"{slug}/{i}", key, layout, pixels) for i in ids]
    return download(exports.slides(items), f"{slug}_charts.pptx", MIMETYPES["pptx"])


@bp.route("/metrics/<metric_id>.<fmt>")
@reads(options_query)
def metric_chart(metric_id: str, fmt: str):
    ds = dataset()
    get_or_404("metric", metric_id, ds.metrics.index)
    return _send("metric", metric_id, parse(options_query), fmt, f"metric_{metric_id}")


@bp.route("/models/<model_id>.<fmt>")
@reads(options_query)
def model_chart(model_id: str, fmt: str):
    ds = dataset()
    get_or_404("model", model_id, ds.models.index)
    return _send("model", model_id, parse(options_query), fmt, f"model_{model_id}")


@bp.route("/compare.<fmt>")
@reads(compare_chart_query)
def compare_chart(fmt: str):
    query = parse(compare_chart_query)
    ids = "_".join(m.strip() for m in query["models"].split(","))
    return _send("compare", "compare", query, fmt, f"compare_{ids}"[:120])


@bp.route("/cost-vs-score.<fmt>")
@reads(cost_query)
def cost_score_chart(fmt: str):
    ds = dataset()
    query = parse(cost_query)
    for name in ("metric", "price"):
        if query[name] not in ds.metrics.index:
            abort(404, description=f"There is no metric {query[name]!r} ({name}).")
    return _send("cost", "cost-vs-score", query, fmt,
                 f"cost-vs-score_{query['price']}_{query['metric']}")


# A worker draws one picture at a time: drawing holds the worker (and, under gevent, every
# connection it serves) for up to a few seconds. A request for another picture that arrives
# meanwhile is told to come back, rather than queueing behind it, so a burst of drawings cannot
# keep a worker from answering everything else for a minute.
RETRY_AFTER = 5  # seconds
GATHER = 0.05  # seconds a drawing waits for its rivals before it starts
DRAWN = ("svg", "png", "pptx")  # formats drawn here; a spec (json) is drawn by the browser
_busy = 0


@contextmanager
def _drawing(cold: bool) -> Iterator[None]:
    """Draw now, or answer 503 Retry-After when this worker is already drawing."""
    global _busy
    if not cold:
        yield
        return
    if _busy:
        raise ServiceUnavailable("The service is drawing other charts; ask again in a few "
                                 "seconds.", retry_after=RETRY_AFTER)
    _busy += 1
    try:
        # Under gevent, let the requests that queued up while this worker was busy be read and
        # reach this point, and see it busy, before this drawing holds the worker again.
        time.sleep(GATHER)
        yield
    finally:
        _busy -= 1


def warm_up() -> None:
    """Start vl-convert's JavaScript engine now, so no visitor waits for it (~0.7 s)."""
    import vl_convert

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{}]}})


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed in one script, from vl-convert: served, never a CDN."""
    import vl_convert

    return vl_convert.javascript_bundle()


@bp.route("/assets/vega.js")
def vega_js():
    response = current_app.response_class(vega_bundle(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
