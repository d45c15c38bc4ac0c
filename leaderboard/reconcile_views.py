"""/grids/<slug>/sources: a grid beside the grid it follows, cell by cell; also as CSV."""

from __future__ import annotations

from flask import Blueprint, render_template
from marshmallow import fields, validate

from . import exports, reconcile
from .errors import get_or_404, said
from .http import reads
from .schemas import _Query
from .views import CSV, dataset, download, parse

bp = Blueprint("sources", __name__)


class SourcesQuery(_Query):
    show = fields.String(
        load_default="all", validate=validate.OneOf(reconcile.SHOWS),
        metadata={"description": "all cells, or only those not as in the source"})


sources_query = SourcesQuery()


# What the domain says in English (a comparison's note), said in the page's language.
bp.add_app_template_filter(said)


@bp.app_template_global()
def source_counts(slug: str) -> reconcile.Counts | None:
    """A grid's counts against the grid it follows (cached per dataset), or None."""
    return reconcile.summary(dataset(), slug)


def _reconciled(slug: str) -> tuple[reconcile.Reconciliation, str]:
    ds = dataset()
    grid = get_or_404("grid", slug, ds.grids)
    show = parse(sources_query)["show"]
    return reconcile.reconcile(ds, grid), show


@bp.route("/grids/<slug>/sources")
@reads(sources_query)
def sources(slug: str):
    """The grid beside the grid it follows: counts, then every cell with both values."""
    rec, show = _reconciled(slug)
    ds = dataset()
    followers = [(f, ds.grids[f].source.label) for f in reconcile.followed_by(ds, slug)]
    return render_template("sources.html", r=rec, show=show, rows=rec.shown_rows(show),
                           followers=followers)


@bp.route("/grids/<slug>/sources.csv")
@reads(sources_query)
def sources_csv(slug: str):
    """The cells /grids/<slug>/sources shows, one row each, with both places."""
    rec, show = _reconciled(slug)
    chunks = exports.csv_chunks(reconcile.CSV_COLUMNS, reconcile.csv_rows(rec, show))
    name = f"{slug}_vs_{rec.source.slug}" + ("_differences" if show != "all" else "") + ".csv"
    return download(b"".join(chunks), name, CSV)
