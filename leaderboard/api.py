"""The JSON API: every number the pages show, with its provenance."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint, abort

from . import catalog
from .schemas import GridSchemaOut, GridSummarySchema

bp = Blueprint("api", __name__, url_prefix="/api", description="Benchmark grids, read-only")


def dataset():
    return current_app.extensions["leaderboard"]


def get_grid_or_404(slug: str):
    """Return the grid with this slug or abort with a 404 naming the grids that exist."""
    grid = dataset().grids.get(slug)
    if grid is None:
        abort(404, message=f"No grid {slug!r}. Grids: {', '.join(dataset().grids)}")
    return grid


@bp.route("/grids")
@bp.response(200, GridSummarySchema(many=True))
def grids():
    """List the grids, in the reports' order."""
    return [catalog.grid_summary(g) for g in dataset().grids.values()]


@bp.route("/grids/<slug>")
@bp.response(200, GridSchemaOut)
def grid(slug: str):
    """Return one grid: its models, metrics, every cell with provenance, and conflicts."""
    return catalog.grid_detail(dataset(), get_grid_or_404(slug))
