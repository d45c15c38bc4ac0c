"""Chart URLs: /charts/<grid>/<chart>.<json|svg|png|html|pptx>, decks, compare, cost vs score.

Rendered bytes are cached per (data version, chart, arguments, language): a warm chart costs a
lookup. A chart's words (titles, axes, notes, source line) are in the request's language.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import altair as alt
from cachetools import LRUCache, cached
from cachetools.keys import hashkey
from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import ServiceUnavailable

from . import charts, exports, http, slides, tables
from .catalog import metric_records, model_records
from .data import Dataset, Grid
from .errors import QueryError, UnknownError, get_or_404
from .http import query_args, reads
from .i18n import language
from .schemas import (
    CHART_OPTIONS,
    ChartOptionsQuery,
    CompareChartQuery,
    CostScoreQuery,
    GridChartQuery,
)
from .view import View, grid_view, split_ids
from .views import dataset, download, parse

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


@dataclass(frozen=True)
class Figure:
    """What a chart URL draws, and its key in the cache: the kind of chart, what it is of, the
    arguments that change it (for a grid, the view it draws, however they are spelt), and the
    language of its words."""

    kind: str  # grid, metric, model, compare or cost
    name: str  # the grid's slug, the metric's or the model's id; '' for compare and cost
    chart: charts.ChartId | None = None
    args: tuple[Any, ...] = ()
    lang: str = "en"


def _figure(kind: str, name: str, query: dict, chart: charts.ChartId | None = None) -> Figure:
    """The figure of a chart that is not a grid's: its arguments as a key (the models compared
    as the list of ids they name: 'a, b,a' is 'a,b')."""
    if "models" in query:
        query = {**query, "models": ",".join(split_ids(query["models"]))}
    return Figure(kind, name, chart,
                  tuple(sorted((k, v) for k, v in query.items() if k not in CHART_OPTIONS)),
                  language())


def _plot(ds: Dataset, figure: Figure, view: View | None) -> charts.Plot:
    """What a figure shows: the numbers both its picture and its native slide draw."""
    if figure.kind == "grid":
        assert view is not None and figure.chart is not None
        return charts.grid_plot(ds, view, figure.chart, cut=figure.args[1])
    args = dict(figure.args)
    if figure.kind == "metric":
        return charts.metric_plot(ds, figure.name)
    if figure.kind == "model":
        return charts.model_plot(ds, figure.name)
    if figure.kind == "compare":
        return charts.compare_plot(ds, tables.compare(
            ds, args["models"], 1, charts.CHART_ROWS["compare"], places=False))
    return charts.cost_score_plot(ds, args["metric"], args["price"])


def _draw(ds: Dataset, figure: Figure, view: View | None) -> alt.TopLevelMixin:
    return charts.draw(_plot(ds, figure, view))


def _options(query: dict) -> tuple:
    return tuple(query.get(k) for k in ("scale", "width", "height", "theme", "background"))


# Every chart this worker drew, by figure and format: specs, pictures, slides. Bounded by the
# bytes they hold, least recently used out first. A grid chart's view is an argument of the
# functions below but not of the key: the figure names it.
def _size(item: str | bytes | tuple) -> int:
    return len(item[0]) if isinstance(item, tuple) else len(item)


_CHARTS: LRUCache = LRUCache(maxsize=160 * 1024 * 1024, getsizeof=_size)
_LOCK = threading.Lock()


def _without_view(ds: Dataset, figure: Figure, view: View | None, *rest: Any) -> tuple:
    return hashkey(ds, figure, *rest)


@cached(_CHARTS, key=lambda ds, figure, view: hashkey(ds, figure, "spec"), lock=_LOCK)
def _spec(ds: Dataset, figure: Figure, view: View | None) -> str:
    # The builders' specs are validated against the Vega-Lite schema in the tests; here that
    # validation would only cost time.
    spec = charts.described(_draw(ds, figure, view).to_dict(validate=False))
    return json.dumps(spec, ensure_ascii=False)


def _themed(ds: Dataset, figure: Figure, view: View | None, options: tuple) -> dict:
    scale, width, height, theme, background = options
    spec = charts.themed(json.loads(_spec(ds, figure, view)), theme,
                         background == "transparent")
    return exports.sized(spec, width, height)


@cached(_CHARTS, key=_without_view, lock=_LOCK, info=True)
def render(ds: Dataset, figure: Figure, view: View | None, fmt: str, options: tuple) -> bytes:
    """Render one chart to bytes; cached, so the cost is paid once per data version."""
    spec = _themed(ds, figure, view, options)
    if fmt == "json":
        return json.dumps(spec, ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "svg":
        return exports.chart_svg(spec)
    if fmt == "png":
        return exports.chart_png(spec, options[0])
    return exports.slides([slide_item(ds, figure, view, options[1:], SLIDE_PIXELS)])


@cached(_CHARTS, key=lambda ds, figure, view, aspect, template: hashkey(
    ds, figure, "native", aspect, template.digest), lock=_LOCK, info=True)
def native_slides(ds: Dataset, figure: Figure, view: View | None, aspect: str | None,
                  template: slides.Template) -> bytes:
    """A chart as a native, editable PowerPoint chart (or table, for a heatmap)."""
    return slides.plot_deck(_plot(ds, figure, view), template.data, aspect)


@cached(_CHARTS, key=lambda ds, view, figures, aspect, template: hashkey(
    ds, view.key, figures, "deck", aspect, template.digest), lock=_LOCK, info=True)
def native_deck(ds: Dataset, view: View, figures: tuple[tuple[Figure, View], ...],
                aspect: str | None, template: slides.Template) -> bytes:
    """A grid's deck of native slides: its title, its table, its charts."""
    return slides.grid_deck(view, [_plot(ds, f, v) for f, v in figures], ds.version,
                            template.data, aspect)


# A slide's picture fills a 12.3 × 5.45 in box: 200 dpi there is as sharp as a slide needs. A
# deck's slides share DECK_PIXELS, and a deck has at most MAX_SLIDES: so no deck, however
# large its charts are laid out, takes more than a few seconds to draw.
SLIDE_PIXELS = 2_750_000
DECK_PIXELS = 8_000_000
MAX_SLIDES = 25
MAX_NATIVE_CHARTS = 60  # native charts cost ~40 ms each: a deck takes at most ~3 s


@cached(_CHARTS, key=lambda ds, figure, view, layout, pixels: hashkey(
    ds, figure, "slide", layout, pixels), lock=_LOCK, info=True)
def slide_item(ds: Dataset, figure: Figure, view: View | None, layout: tuple, pixels: int
               ) -> tuple[bytes, str, str]:
    """A chart for a slide, cached: the title goes on the slide, the source line at its foot,
    and the picture keeps the lines between (unit, direction, notes), drawn at 3× or as near
    as fits in `pixels`."""
    spec = _themed(ds, figure, view, (None, *layout))
    title = spec.get("title", {})
    lines = list(title.get("subtitle", []))
    source = lines.pop() if lines else ""
    picture = {**spec, "title": {**title, "text": "", "subtitle": lines}}
    png = exports.chart_png(picture, 3, compact=False, fit=pixels)
    return png, title.get("text", ""), source


def _send(figure: Figure, view: View | None, query: dict, fmt: str, filename: str):
    ds = dataset()
    if fmt == "html":
        title = json.loads(_spec(ds, figure, view)).get("title") or {}
        return _embed_page(title.get("text") or filename)
    if fmt == "pptx" and query["style"] == "native":
        template, aspect = current_app.extensions["slide_template"], query.get("aspect")
        with _drawing(hashkey(ds, figure, "native", aspect, template.digest) not in _CHARTS):
            body = native_slides(ds, figure, view, aspect, template)
        return download(body, f"{filename}.pptx", MIMETYPES[fmt])
    options = _options(query)
    with _drawing(fmt in DRAWN and hashkey(ds, figure, fmt, options) not in _CHARTS):
        body = render(ds, figure, view, fmt, options)  # too large a scale: a QueryError
    if fmt == "pptx":
        return download(body, f"{filename}.pptx", MIMETYPES[fmt])
    response = current_app.response_class(body, mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    return response


def _embed_page(title: str):
    """A standalone page with the interactive chart, for <iframe> embedding from any site."""
    spec_url = url_for(request.endpoint or "", **{**(request.view_args or {}), **query_args(),
                                                  "fmt": "json"})
    response = current_app.make_response(
        render_template("chart_embed.html", spec_url=spec_url, title=title))
    response.headers["Content-Security-Policy"] = http.csp(frame_ancestors="*")
    return response


def _format(fmt: str) -> str:
    if fmt not in charts.FORMATS:
        raise UnknownError("chart format", fmt, charts.FORMATS)
    return fmt


def _grid_chart(ds: Dataset, grid: Grid, chart_id: str) -> charts.ChartId:
    """The chart a URL names, or UnknownError listing the grid's charts."""
    try:
        chart = charts.ChartId.parse(chart_id)
    except ValueError:
        chart = None
    if chart is None or charts.chart_title(ds, grid, chart) is None:
        known = [str(c) for c, _ in charts.grid_charts(ds, grid)]
        raise UnknownError("chart", chart_id, message=_(
            "There is no chart %(chart)s for grid %(grid)s. Charts: %(charts)s.",
            chart=repr(chart_id), grid=repr(grid.slug), charts=", ".join(known)))
    return chart


@bp.route("/<slug>/<chart_id>.<fmt>")
@reads(grid_chart_query)
def grid_chart(slug: str, chart_id: str, fmt: str):
    ds = dataset()
    grid = get_or_404("grid", slug, ds.grids)
    chart = _grid_chart(ds, grid, chart_id)
    fmt = _format(fmt)
    query = parse(grid_chart_query)
    view, cut = charts.chart_view(ds, grid, chart, query)
    return _send(Figure("grid", slug, chart, (view.key, cut), language()), view, query, fmt,
                 f"{slug}_{chart}")


@bp.route("/<slug>/deck.pptx")
@reads(grid_chart_query)
def deck(slug: str):
    """The page's charts as slides, following its filters, sort and metrics: the heatmap, a
    bar chart per shown metric, and the diffs against the baseline when one is chosen."""
    ds = dataset()
    grid = get_or_404("grid", slug, ds.grids)
    query = parse(grid_chart_query)
    view = grid_view(ds, grid, query)
    shown = {c.id for c in view.columns}
    baseline = view.baseline.id if view.baseline else None
    ids = [c for c, _ in charts.grid_charts(ds, grid)
           if c.kind == "heatmap" or (c.kind == "bar" and c.subject in shown)
           or (c.kind == "diff" and c.subject == baseline)]
    place = {c.id: i for i, c in enumerate(view.columns)}  # bars in the table's order
    ids.sort(key=lambda c: (c.kind != "heatmap", c.kind == "diff", place.get(c.subject or "", 0)))
    if query["style"] == "native":
        return _native_deck(ds, grid, view, ids, query)
    if len(ids) > MAX_SLIDES:
        fixed = 1 + (baseline is not None)
        diffs = _(", the diffs") if baseline else ""
        raise QueryError("metrics", _(
            "this deck would have %(n)s slides (the heatmap%(diffs)s and a bar chart per "
            "metric); a deck has at most %(most)s: choose up to %(up_to)s metrics with "
            "metrics=a,b,…", n=len(ids), diffs=diffs, most=MAX_SLIDES,
            up_to=MAX_SLIDES - fixed))
    layout = _options(query)[1:]
    pixels = min(SLIDE_PIXELS, DECK_PIXELS // len(ids))
    views = [charts.chart_view(ds, grid, chart, query) for chart in ids]
    figures = [Figure("grid", slug, chart, (view.key, cut), language())
               for chart, (view, cut) in zip(ids, views, strict=True)]
    cold = any(hashkey(ds, f, "slide", layout, pixels) not in _CHARTS for f in figures)
    with _drawing(cold):
        items = [slide_item(ds, f, view, layout, pixels)
                 for f, (view, _) in zip(figures, views, strict=True)]
    return download(exports.slides(items), f"{slug}_charts.pptx", MIMETYPES["pptx"])


def _native_deck(ds: Dataset, grid: Grid, view: View, ids: list[charts.ChartId], query: dict):
    if len(ids) > MAX_NATIVE_CHARTS:
        fixed = 1 + (view.baseline is not None)
        raise QueryError("metrics", _(
            "this deck would have %(n)s charts (the heatmap%(diffs)s and a bar chart per "
            "metric); a deck has at most %(most)s: choose up to %(up_to)s metrics with "
            "metrics=a,b,…", n=len(ids), diffs=_(", the diffs") if view.baseline else "",
            most=MAX_NATIVE_CHARTS, up_to=MAX_NATIVE_CHARTS - fixed))
    views = [charts.chart_view(ds, grid, chart, query) for chart in ids]
    figures = tuple((Figure("grid", grid.slug, chart, (v.key, cut), language()), v)
                    for chart, (v, cut) in zip(ids, views, strict=True))
    template, aspect = current_app.extensions["slide_template"], query.get("aspect")
    with _drawing(hashkey(ds, view.key, figures, "deck", aspect, template.digest)
                  not in _CHARTS):
        body = native_deck(ds, view, figures, aspect, template)
    return download(body, f"{grid.slug}_deck.pptx", MIMETYPES["pptx"])


@bp.route("/metrics/<metric_id>.<fmt>")
@reads(options_query)
def metric_chart(metric_id: str, fmt: str):
    get_or_404("metric", metric_id, metric_records(dataset()))
    fmt, query = _format(fmt), parse(options_query)
    return _send(_figure("metric", metric_id, query), None, query, fmt, f"metric_{metric_id}")


@bp.route("/models/<model_id>.<fmt>")
@reads(options_query)
def model_chart(model_id: str, fmt: str):
    get_or_404("model", model_id, model_records(dataset()))
    fmt, query = _format(fmt), parse(options_query)
    return _send(_figure("model", model_id, query), None, query, fmt, f"model_{model_id}")


@bp.route("/compare.<fmt>")
@reads(compare_chart_query)
def compare_chart(fmt: str):
    fmt, query = _format(fmt), parse(compare_chart_query)
    tables.compare(dataset(), query["models"])  # unknown models: 404 before anything is drawn
    ids = "_".join(split_ids(query["models"]))
    return _send(_figure("compare", "", query), None, query, fmt, f"compare_{ids}"[:120])


@bp.route("/cost-vs-score.<fmt>")
@reads(cost_query)
def cost_score_chart(fmt: str):
    fmt, query = _format(fmt), parse(cost_query)
    metrics = metric_records(dataset())
    for name in ("metric", "price"):
        if query[name] not in metrics:
            raise UnknownError("metric", query[name], message=_(
                "There is no metric %(metric)s (%(argument)s).", metric=repr(query[name]),
                argument=name))
    return _send(_figure("cost", "", query), None, query, fmt,
                 f"cost-vs-score_{query['price']}_{query['metric']}")


# A worker draws one picture at a time: drawing holds the worker (and, under gevent, every
# connection it serves) for up to a few seconds. A request for another picture that arrives
# meanwhile is told to come back, rather than queueing behind it, so a burst of drawings cannot
# keep a worker from answering everything else for a minute. A request waits a little for its
# turn first (under gevent the wait yields the worker): a page's pictures without script (its
# <noscript> images, three at once) are drawn one after another, not two of them refused.
RETRY_AFTER = 5  # seconds
TURN_WAIT = 3.0  # seconds a drawing waits for the one before it, then is told to come back
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
    waited = 0.0
    while _busy and waited < TURN_WAIT:
        time.sleep(GATHER)
        waited += GATHER
    if _busy:
        raise ServiceUnavailable(_("The service is drawing other charts; ask again in a few "
                                   "seconds."), retry_after=RETRY_AFTER)
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

    return vl_convert.javascript_bundle()  # type: ignore[call-arg]  # the stub omits its default


@bp.route("/assets/vega.js")
def vega_js():
    response = current_app.response_class(vega_bundle(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
