"""The JSON API: every number the pages show, with its provenance."""

from __future__ import annotations

from dataclasses import fields
from itertools import islice

import flask
from flask import current_app
from flask_babel import gettext as _
from flask_smorest import Blueprint
from swagger_ui_bundle import swagger_ui_path
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import MultiDict

from . import catalog, charts, tables
from .catalog import metric_records, model_records
from .conflicts import index as conflicts_index
from .errors import QueryError, UnknownError, get_or_404
from .http import query_args, reads
from .schemas import (
    ComparePageQuery,
    CompareSchema,
    ConflictSchema,
    ErrorSchema,
    GridQuery,
    GridSchemaOut,
    GridSummarySchema,
    MetricDetailSchema,
    MetricOutSchema,
    ModelDetailSchema,
    ModelOutSchema,
    ModelQuery,
    PageQuery,
)
from .view import grid_view, page_count
from .views import ConflictFilters, chart_urls, conflict_filters


class _Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400  # a malformed query is the client's error, said plainly

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        """Refuse malformed arguments as the pages do: a QueryError, answered by the app."""
        raise QueryError.of({field: messages for fields in error.messages.values()
                             for field, messages in fields.items()})

    def load_querystring(self, req, schema):
        """The arguments the view reads, as the pages and the response cache see them
        (repeated `models` joined), so a cached answer is the answer to its key."""
        return self._makeproxy(MultiDict(query_args()), schema)


class _Blueprint(Blueprint):
    ARGUMENTS_PARSER = _Parser()


bp = _Blueprint("api", __name__, url_prefix="/api", description="Benchmark grids, read-only")


def dataset():
    return current_app.extensions["leaderboard"]


def _total(description: str) -> dict:
    return {"X-Total-Count": {"description": description, "schema": {"type": "integer"}}}


def _page(args: dict, total: int) -> tuple[int, int | None]:
    """The rows of the page the arguments ask for, start and stop (past the last: none)."""
    start = (args["page"] - 1) * args["per_page"]
    return min(start, total), min(start + args["per_page"], total)


# The grids a list item names (a model's labels, a metric's grids); the item's own answer names
# every one. A model of thousands of reports is printed in thousands of grids.
LISTED = 20


@bp.route("/grids")
@bp.arguments(PageQuery, location="query")
@bp.response(200, GridSummarySchema(many=True), headers=_total("How many grids there are"))
@reads(PageQuery())
def grids(args):
    """List the grids, in the reports' order, a page at a time (`page`, `per_page`: 100; past
    the last page, none); X-Total-Count says how many there are."""
    every = dataset().grids
    start, stop = _page(args, len(every))
    return ([catalog.grid_summary(g) for g in islice(every.values(), start, stop)],
            {"X-Total-Count": str(len(every))})


@bp.route("/grids/<slug>")
@bp.arguments(GridQuery, location="query")
@bp.response(200, GridSchemaOut)
@bp.alt_response(404, schema=ErrorSchema, description="Not found")
@reads(GridQuery())
def grid(args, slug: str):
    """Return one grid: its models, metrics, every cell with provenance, and conflicts; and the
    view the arguments ask for (as the page /grids/<slug> takes them), its rows in order."""
    ds = dataset()
    grid = get_or_404("grid", slug, ds.grids, listed=True)
    view = grid_view(ds, grid, args)
    return {
        **catalog.grid_detail(ds, grid),
        "charts": [
            {"id": str(chart), "title": title,
             "urls": chart_urls("charts.grid_chart", slug=slug, chart_id=str(chart))}
            for chart, title in charts.grid_charts(ds, grid)
        ] + [{"id": "deck", "title": "Every chart of this grid, as slides",
              "urls": {"pptx": flask.url_for("charts.deck", slug=slug)}}],
        "view": view,
        "rows": view.rows,
    }


@bp.route("/models")
@bp.arguments(PageQuery, location="query")
@bp.response(200, ModelOutSchema(many=True), headers=_total("How many models there are"))
@reads(PageQuery())
def models(args):
    """List the models with their attributes and the labels they are printed under, a page at
    a time (`page`, `per_page`: 100; past the last page, none); X-Total-Count says how many
    there are. Each lists the first 20 grids that print it and how many do (`n_labels`);
    /api/models/<id> lists every one."""
    records = list(model_records(dataset()).values())
    start, stop = _page(args, len(records))
    return ([_model_in_list(r) for r in records[start:stop]],
            {"X-Total-Count": str(len(records))})


def _model_in_list(record: dict) -> dict:
    labels = record["labels"]
    return {**record, "labels": dict(islice(labels.items(), LISTED)), "n_labels": len(labels)}


@bp.route("/models/<model_id>")
@bp.arguments(ModelQuery, location="query")
@bp.response(200, ModelDetailSchema, headers=_total(
    "How many numbers the model has (with `metric`: how many places print that one)"))
@bp.alt_response(404, schema=ErrorSchema,
                 description="No such model, or (`metric`) no number of it for that metric")
@reads(ModelQuery())
def model(args, model_id: str):
    """Return one model and its numbers across all grids, a page of metrics at a time (`page`,
    `per_page`: 50), each with the first 10 places that print it and how many do.

    With `metric`, that metric's number alone, and every place that prints it, a page at a time.
    X-Total-Count says how many numbers (or places) there are.
    """
    ds = dataset()
    record = get_or_404("model", model_id, model_records(ds), listed=True)
    if "metric" in args:
        return _cell(ds, record, args)
    rows = tables.model_rows(ds, model_id)
    start, stop = _page(args, len(rows))
    results = tables.with_places(ds, rows.iloc[start:stop], tables.PLACES_SHOWN)
    return ({**record, "n_labels": len(record["labels"]), "results": results},
            {"X-Total-Count": str(len(rows))})


def _cell(ds, record: dict, args: dict):
    get_or_404("metric", args["metric"], metric_records(ds), listed=True)
    row = tables.merged_of(ds, model=record["id"], metric=args["metric"])
    if row.empty:
        raise UnknownError("number", args["metric"], message=_(
            "%(model)s has no number for the metric %(metric)s.", model=record["name"],
            metric=repr(args["metric"])))
    [result] = tables.with_places(ds, row, 0)
    n_places = result["n_places"]
    start, stop = _page(args, n_places)
    result["places"] = tables.cell_places(ds, record["id"], args["metric"], start, stop)[0]
    result.pop("tally", None)
    return ({**record, "n_labels": len(record["labels"]), "results": [result]},
            {"X-Total-Count": str(n_places)})


@bp.route("/metrics")
@bp.arguments(PageQuery, location="query")
@bp.response(200, MetricOutSchema(many=True), headers=_total("How many metrics there are"))
@reads(PageQuery())
def metrics(args):
    """List the metrics: unit, scale, direction, category, and the grids that have each, a
    page at a time (`page`, `per_page`: 100; past the last page, none); X-Total-Count says how
    many there are. Each lists the first 20 grids that have it and how many do (`n_grids`);
    /api/metrics/<id> lists every one."""
    records = list(metric_records(dataset()).values())
    start, stop = _page(args, len(records))
    return ([{**r, "grids": r["grids"][:LISTED], "n_grids": len(r["grids"])}
             for r in records[start:stop]], {"X-Total-Count": str(len(records))})


@bp.route("/metrics/<metric_id>")
@bp.arguments(PageQuery, location="query")
@bp.response(200, MetricDetailSchema, headers=_total("How many models report the metric"))
@bp.alt_response(404, schema=ErrorSchema, description="Not found")
@reads(PageQuery())
def metric(args, metric_id: str):
    """Return one metric's leaderboard across every grid that has it, best first, a page at a
    time (`page`, `per_page`: 100; ranks are the whole leaderboard's); X-Total-Count says how
    many models report it. Each row lists the first 10 places that print it, and how many do."""
    ds = dataset()
    record = get_or_404("metric", metric_id, metric_records(ds), listed=True)
    total = len(tables.merged_of(ds, metric=metric_id))
    past = args["page"] > page_count(total, args["per_page"])
    rows = [] if past else tables.metric_table(ds, metric_id, args["page"], args["per_page"])
    return ({**record, "n_grids": len(record["grids"]), "leaderboard": rows},
            {"X-Total-Count": str(total)})


@bp.route("/compare")
@bp.arguments(ComparePageQuery, location="query")
@bp.response(200, CompareSchema, headers=_total(
    "How many metrics any of the models has: n_shared + n_apart"))
@bp.alt_response(404, schema=ErrorSchema, description="A model named does not exist")
@reads(ComparePageQuery())
def compare(args):
    """Compare models over the metrics they share, with diffs against the first: a page of the
    shared metrics and the same page of the others (`page`, `per_page`: 100); the summary
    counts every shared metric."""
    c = tables.compare(dataset(), args["models"], args["page"], args["per_page"])
    # Its fields as they are (asdict would deep-copy every cell and place: ~0.3 s a page).
    return {f.name: getattr(c, f.name) for f in fields(c)}, {
        "X-Total-Count": str(c.n_shared + c.n_apart)}


@bp.route("/conflicts")
@bp.arguments(ConflictFilters, location="query")
@bp.response(200, ConflictSchema(many=True), headers={"X-Total-Count": {
    "description": "How many conflicts match, on every page", "schema": {"type": "integer"}}})
@bp.alt_response(404, schema=ErrorSchema,
                 description="The model, metric or kind of report named does not exist")
@reads(ConflictFilters())
def conflicts(args):
    """List every model and metric that two places give different values for.

    `model`, `metric` and `kind` keep the conflicts of one model, one metric, or with a place
    printed in a report of one kind (broker-report, readme, paper); the page /conflicts lists
    the same conflicts (here in the data's order, there sorted). `page` and `per_page` (100)
    choose a page; X-Total-Count says how many match.
    Each conflict lists the first 10 places that print it and `n_places`, how many do in all;
    /conflicts.csv?model=…&metric=… lists every place.
    """
    ds = dataset()
    filters = conflict_filters(ds, args, listed=True)
    page, per_page = args["page"], args["per_page"]
    every = conflicts_index(ds)
    found = every.find(**filters)
    start = (page - 1) * per_page  # past the last page: an empty list
    return ([every.summary(i) for i in found[start:start + per_page]],
            {"X-Total-Count": str(len(found))})


# --- The API reference page, served from swagger-ui-bundle's files (no CDN) -------------

docs = flask.Blueprint("api_docs", __name__, url_prefix="/api/docs")


@docs.route("")
def reference():
    """The API reference: Swagger UI on /api/openapi.json."""
    return flask.render_template("api_docs.html")


# The files the reference page loads; the rest of the distribution (a demo index.html pointing
# at the petstore, an inline-script OAuth page, source maps) is not served.
UI_FILES = ("swagger-ui-bundle.js", "swagger-ui.css")


@docs.route("/ui/<filename>")
def ui_file(filename: str):
    if filename not in UI_FILES:
        flask.abort(404, description="No such file; the reference page uses "
                                     + ", ".join(UI_FILES) + ".")
    return flask.send_from_directory(str(swagger_ui_path), filename)
