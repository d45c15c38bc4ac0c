"""The JSON API: every number the pages show, with its provenance."""

from __future__ import annotations

from dataclasses import asdict

import flask
from flask import current_app
from flask_smorest import Blueprint
from swagger_ui_bundle import swagger_ui_path
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import MultiDict

from . import catalog, charts, tables
from .catalog import metric_records, model_records
from .errors import QueryError, get_or_404
from .http import query_args, reads
from .schemas import (
    CompareQuery,
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
)
from .view import grid_view
from .views import ConflictFilters, chart_urls


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


@bp.route("/grids")
@bp.response(200, GridSummarySchema(many=True))
def grids():
    """List the grids, in the reports' order."""
    return [catalog.grid_summary(g) for g in dataset().grids.values()]


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
@bp.response(200, ModelOutSchema(many=True))
def models():
    """List the models with their attributes and the labels they are printed under."""
    return list(model_records(dataset()).values())


@bp.route("/models/<model_id>")
@bp.response(200, ModelDetailSchema)
@bp.alt_response(404, schema=ErrorSchema, description="Not found")
def model(model_id: str):
    """Return one model and its every number across all grids, with every place it is printed."""
    ds = dataset()
    record = get_or_404("model", model_id, model_records(ds), listed=True)
    results = [e for group in tables.model_table(ds, model_id) for e in group["entries"]]
    return {**record, "results": results}


@bp.route("/metrics")
@bp.response(200, MetricOutSchema(many=True))
def metrics():
    """List the metrics: unit, scale, direction, category, and the grids that have each."""
    return list(metric_records(dataset()).values())


@bp.route("/metrics/<metric_id>")
@bp.response(200, MetricDetailSchema)
@bp.alt_response(404, schema=ErrorSchema, description="Not found")
def metric(metric_id: str):
    """Return one metric's leaderboard across every grid that has it, best first."""
    ds = dataset()
    record = get_or_404("metric", metric_id, metric_records(ds), listed=True)
    return {**record, "leaderboard": tables.metric_table(ds, metric_id)}


@bp.route("/compare")
@bp.arguments(CompareQuery, location="query")
@bp.response(200, CompareSchema)
@bp.alt_response(404, schema=ErrorSchema, description="A model named does not exist")
@reads(CompareQuery())
def compare(args):
    """Compare models over the metrics they share, with diffs against the first."""
    return asdict(tables.compare(dataset(), args["models"]))


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
    the same. `page` and `per_page` (100) choose a page; X-Total-Count says how many match.
    """
    ds = dataset()
    for name, known in (("model", model_records(ds)), ("metric", metric_records(ds)),
                        ("kind", {k: k for k in catalog.report_kinds(ds)})):
        if name in args:
            get_or_404(name, args[name], known, listed=True)
    page, per_page = args.pop("page"), args.pop("per_page")
    found = catalog.filter_conflicts(ds, catalog.conflicts(ds), **args)
    start = (page - 1) * per_page  # past the last page: an empty list
    return found[start:start + per_page], {"X-Total-Count": str(len(found))}


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
