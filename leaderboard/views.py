"""The HTML pages: index, grid leaderboard (and its CSV, JSON and XLSX), model, metric and
compare; the error pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache, partial
from itertools import islice
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, urlencode

from flask import Blueprint, current_app, render_template, request, send_file, url_for
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.exceptions import BadRequest, HTTPException, NotFound

from . import catalog, charts, conflicts, downloads, exports, schemas, tables
from .catalog import metric_records, model_records
from .data import Dataset
from .errors import N_, QueryError, UnknownError, get_or_404
from .http import MAX_AGE, query_args, reads
from .i18n import name as name_of
from .schemas import (
    MAX_PER_PAGE,
    GridQuery,
    IndexQuery,
    PageQuery,
    ViewSchema,
    _Query,
)
from .view import (
    View,
    grid_view,
    lang_of,
    page_count,
    page_of,
    params,
    pct,
    signed,
    split_ids,
    zh,
)

bp = Blueprint("pages", __name__)

grid_query = GridQuery()
page_query = PageQuery()
index_query = IndexQuery()
view_schema = ViewSchema()


def dataset() -> Dataset:
    return current_app.extensions["leaderboard"]


def parse(schema: Schema) -> dict:
    """Validate the query string with `schema`; raise QueryError saying what is wrong."""
    try:
        return schema.load(query_args())
    except ValidationError as e:
        raise QueryError.of(e.normalized_messages()) from e


@bp.app_errorhandler(QueryError)
@bp.app_errorhandler(UnknownError)
def _domain_error(error: QueryError | UnknownError):
    """Answer what the domain refuses as the app answers any HTTP error: a 400 or a 404, as a
    page or, under /api/, as JSON naming the arguments at fault."""
    http: HTTPException
    if isinstance(error, QueryError):
        http = BadRequest(description=str(error))
        http.data = {"message": str(error), "errors": error.errors}  # type: ignore[attr-defined]
    else:
        http = NotFound(description=str(error))
    return current_app.handle_http_exception(http)


@bp.app_context_processor
def common() -> dict[str, Any]:
    return {"sort_url": sort_url, "args": query_args, "data_version": dataset().version}


@bp.app_template_global()
def url_with(endpoint: str | None = None, **changes) -> str:
    """Return this page's URL, or `endpoint`'s with the same arguments, with some changed.

    A change to None removes that argument; arguments the view does not read are left out.
    """
    args: dict[str, Any] = dict(query_args())
    args.update(changes)
    args = {k: v for k, v in args.items() if v not in (None, "")}
    return url_for(endpoint or request.endpoint or "pages.index", **(request.view_args or {}),
                   **args)


def sort_url(view: View, column: str) -> str:
    """Return the URL that sorts by `column`: best first, or flipped when already sorted by it."""
    current = view.sort[0] if view.sort else None
    if current is not None and current.column == column:
        descending = not current.descending
    else:
        descending = view.default_descending(column)
    return url_with(sort=column, order="desc" if descending else "asc")


# The page arguments a chart follows, so the table, the chart and the CSV agree.
CHART_ARGS = ("q", "org", "open", "distilled", "min_params", "max_params", "metrics", "sort",
              "order")


def chart_urls(endpoint: str, **values) -> dict[str, str]:
    """The stable URL of a chart in every format."""
    return {fmt: url_for(endpoint, fmt=fmt, **values) for fmt in charts.FORMATS}


def figure_urls(endpoint: str, **values) -> dict[str, str]:
    """A chart's URLs in every format, plus a 4× PNG, for the page's download menu."""
    return {**chart_urls(endpoint, **values),
            "png4": url_for(endpoint, fmt="png", **values, scale=4)}


bp.add_app_template_global(charts.grid_title, "grid_title")


class IdUrl:
    """`url_for(endpoint, <key>=id)` for many ids, made once a page (each url_for costs ~15 µs):
    the URL with a stand-in for the id, split around it; the arguments the page's links carry
    (its language) kept after it. Ids are URL-safe, quoted all the same."""

    STAND_IN = "--id--"

    def __init__(self, endpoint: str, key: str):
        values: dict[str, Any] = {key: self.STAND_IN}
        self.head, _, self.tail = url_for(endpoint, **values).partition(self.STAND_IN)

    def __call__(self, id: str, **args: str) -> str:
        url = f"{self.head}{quote(id, safe='')}{self.tail}"
        return f"{url}{'&' if '?' in url else '?'}{urlencode(args)}" if args else url


bp.add_app_template_global(IdUrl, "id_url")


@bp.app_template_global()
def embed_origin() -> str:
    """The configured public address for embed snippets, or '' (the page's script adds it)."""
    return current_app.config["PUBLIC_URL"].rstrip("/")


@bp.route("/favicon.ico")
def favicon():
    return current_app.send_static_file("favicon.svg")


SEARCH_SHOWN = 20  # the models (metrics) a search lists; the index lists them all


@bp.route("/")
@reads(index_query)
def index():
    query = parse(index_query)
    ds = dataset()
    slugs: Sequence[str] = list(ds.grids)
    found: dict[str, list] = {}  # models and metrics: how many match, the first few
    if needle := (query.get("q") or "").casefold():
        slugs = [s for s, text in search_texts(ds).items() if needle in text]
        for kind, texts, records in (("models", catalog.model_texts(ds), model_records(ds)),
                                     ("metrics", catalog.metric_texts(ds), metric_records(ds))):
            ids = catalog.find(texts, query["q"])
            found[kind] = [len(ids), [records[i] for i in ids[:SEARCH_SHOWN]]]
    cards = [{**catalog.grid_summary(ds.grids[s]), "citation": ds.grids[s].source.citation()}
             for s in page_of(slugs, query["page"], query["per_page"])]
    return render_template("index.html", cards=cards, n_cards=len(slugs), q=query.get("q", ""),
                           page=query["page"], pages=page_count(len(slugs), query["per_page"]),
                           first=(query["page"] - 1) * query["per_page"] + 1, found=found)


@lru_cache(maxsize=8)
def search_texts(ds: Dataset) -> Mapping[str, str]:
    """What the index's search looks in, per grid, casefolded once per dataset: titles,
    caption, slug, the models' names (English and Chinese) and the models' and metrics' labels."""
    models = model_records(ds)
    return MappingProxyType({slug: " ".join([
        grid.title, grid.title_en, grid.caption, grid.slug,
        *(models[m.id]["name"] for m in grid.models),
        *(models[m.id]["name_zh"] or "" for m in grid.models),
        *(m.label for m in grid.models), *(m.label for m in grid.metrics)]).casefold()
        for slug, grid in ds.grids.items()})


def _view(slug: str, **fixed: Any) -> tuple[View, dict]:
    """The view of a grid the query asks for (with `fixed` arguments set), and the query."""
    ds = dataset()
    grid = get_or_404("grid", slug, ds.grids)
    query = parse(grid_query)
    return grid_view(ds, grid, {**query, **fixed}), query


@bp.route("/grids/<slug>")
@reads(grid_query)
def grid(slug: str):
    view, query = _view(slug)
    return render_template("grid.html", view=view, grid=view.grid, query=query,
                           charts=_page_charts(view), deck_url=deck_url(view))


def deck_url(view: View) -> str:
    """The deck of the page's charts: its filters, sort, metrics and baseline."""
    args: dict[str, Any] = {k: v for k, v in query_args().items()
                            if k in (*CHART_ARGS, "baseline")}
    return url_for("charts.deck", slug=view.grid.slug, **args)


def _page_charts(view: View) -> list[dict]:
    """The charts a grid page shows: the heatmap, a metric in bars (charts.default_bar), and
    the diffs when a baseline is chosen."""
    offered = dict(charts.grid_charts(dataset(), view.grid))
    ids = [charts.ChartId("heatmap"), charts.default_bar(dataset(), view)]
    if view.baseline:
        ids.append(charts.ChartId("diff", view.baseline.id))
    args = {k: v for k, v in query_args().items() if k in CHART_ARGS}
    shown = [
        {"id": str(c), "title": offered[c],
         "urls": figure_urls("charts.grid_chart", slug=view.grid.slug, chart_id=str(c), **args)}
        for c in ids if c in offered
    ]
    if any(c.unit == "USD per 1M tokens" for c in view.columns):
        shown.append({"title": charts.cost_score_title(),
                      "urls": figure_urls("charts.cost_score_chart")})
    return shown


PRINTED_AS_SHOWN = 20  # grids a model page names it was printed in; the rest are counted
model_query = schemas.ModelQuery()


@bp.route("/models/<model_id>")
@reads(model_query)
def model(model_id: str):
    """A model's attributes and its numbers, a page of metrics at a time, each with its first
    places; with `metric`, every place that prints that one number, a page at a time."""
    ds = dataset()
    models = model_records(ds)
    record = get_or_404("model", model_id, models)
    query = parse(model_query)
    labels = list(islice(record["labels"].items(), PRINTED_AS_SHOWN))
    printed_as = [(slug, label, ds.grids[slug].source.label) for slug, label in labels]
    teacher = name_of(models[record["teacher"]]) if record["teacher"] else None
    page, per_page = query["page"], query["per_page"]
    if "metric" in query:
        cell = _model_cell(ds, record, query["metric"], page, per_page)
        groups, total, shown = [], cell["n_places"], len(cell["places"])
    else:
        cell, total = None, len(tables.merged_of(ds, model=model_id))
        groups = tables.model_table(ds, model_id, page, per_page)
        shown = sum(len(g["entries"]) for g in groups)
    first = (page - 1) * per_page + 1
    return render_template(
        "model.html", model=record, teacher=teacher, printed_as=printed_as,
        n_grids=len(record["labels"]), groups=groups, cell=cell, page=page, total=total,
        pages=page_count(total, per_page), first=first, last=first + shown - 1,
        chart=figure_urls("charts.model_chart", model_id=model_id),
    )


def _model_cell(ds: Dataset, record: dict, metric_id: str, page: int, per_page: int) -> dict:
    """One number of a model with one page of the places that print it."""
    info = get_or_404("metric", metric_id, metric_records(ds))
    rows = tables.merged_of(ds, model=record["id"], metric=metric_id)
    if rows.empty:
        raise UnknownError("number", metric_id, message=_(
            "%(model)s has no number for %(metric)s.", model=name_of(record),
            metric=name_of(info)))
    [cell] = tables.with_places(ds, rows, 0)
    shown = tables.bounds(cell["n_places"], page, per_page)
    cell["places"] = tables.cell_places(ds, record["id"], metric_id, shown.start, shown.stop)[0]
    return {**cell, "metric_info": info}


@bp.route("/metrics/<metric_id>")
@reads(page_query)
def metric(metric_id: str):
    ds = dataset()
    info = get_or_404("metric", metric_id, metric_records(ds))
    query = parse(page_query)
    total = len(tables.merged_of(ds, metric=metric_id))
    rows = tables.metric_table(ds, metric_id, query["page"], query["per_page"])
    return render_template(
        "metric.html", metric=info, page=query["page"], total=total, rows=rows,
        pages=page_count(total, query["per_page"]),
        chart=figure_urls("charts.metric_chart", metric_id=metric_id),
    )


class ComparePickQuery(PageQuery):
    """The compare page's arguments: with two or more models, their comparison; else (or with
    `pick`, the picker's page) the picker, the models named already chosen."""

    models = fields.String(validate=[
        validate.Length(max=2000),
        validate.Regexp(r"^[a-z0-9, -]*$", error=N_(
            "name model ids separated by commas, e.g. models=deepseek-r1,o1-mini"))])
    q = fields.String(validate=validate.Length(max=200),
                      metadata={"description": "The picker: only the models that match"})
    from_grid = fields.String(data_key="from", validate=validate.Length(max=200), metadata={
        "description": "The picker: a grid's slug, whose models are listed first"})
    # The picker's page is its own argument, so its pager's buttons submit the checked models.
    pick = fields.Integer(validate=validate.Range(min=1, max=1_000_000), metadata={
        "description": "The picker, at this page of its models (with the models chosen)"})


compare_pick_query = ComparePickQuery()
SHOWN_INSTEAD = 12  # the metrics a model of a comparison without a shared one is reported on


@bp.route("/compare")
@reads(compare_pick_query)
def compare():
    """Models side by side; without two of them, the picker to choose them."""
    query = parse(compare_pick_query)
    named = [p for p in (query.get("models") or "").split(",") if p.strip()]
    if "pick" in query or len(named) < 2:
        return _picker(dataset(), query, split_ids(query.get("models")))
    ds = dataset()
    comparison = tables.compare(ds, query["models"], query["page"], query["per_page"],
                                places=False)
    if query["page"] > comparison.pages:
        raise QueryError("page", _("%(page)s is past the last page, %(last)s",
                                   page=query["page"], last=comparison.pages))
    instead = [] if comparison.n_shared else [
        _reported_on(ds, m["id"]) for m in comparison.models]
    return render_template("compare.html", c=comparison, per_page=query["per_page"],
                           instead=instead, max_compared=tables.MAX_COMPARED,
                           chart=figure_urls("charts.compare_chart", models=query["models"]))


def _reported_on(ds: Dataset, model_id: str) -> dict:
    """The metrics a model has a number for: how many, and the first few."""
    rows = tables.merged_of(ds, model=model_id)
    metrics = list(dict.fromkeys(rows.loc[rows["value"].notna(), "metric"].tolist()))
    records = metric_records(ds)
    record = model_records(ds)[model_id]
    return {"id": model_id, "name": record["name"], "name_zh": record["name_zh"], "n": len(metrics),
            "metrics": [records[m] for m in metrics[:SHOWN_INSTEAD]]}


def _picker(ds: Dataset, query: dict, chosen: list[str]):
    """The models to choose from: those chosen, the grid's (`from`), then every other by
    organisation, a page at a time; all but the chosen filtered by `q`. A chosen model keeps
    its place in the lists (marked, without a second checkbox), so the pages never shift as
    models are chosen."""
    records = model_records(ds)
    for model_id in chosen:
        get_or_404("model", model_id, records)
    grid = get_or_404("grid", query["from_grid"], ds.grids) if "from_grid" in query else None
    matching = set(catalog.find(catalog.model_texts(ds), query.get("q")))
    in_grid = [i for i in dict.fromkeys(m.id for m in grid.models) if i in matching] if grid \
        else []
    rest = catalog.models_ordered(ds, list(matching.difference(in_grid)), "organisation", False)
    page, pages = query.get("pick", 1), page_count(len(rest), query["per_page"])
    if page > pages:
        raise QueryError("pick", _("%(page)s is past the last page of models, %(last)s",
                                   page=page, last=pages))
    shown = page_of(rest, page, query["per_page"])
    by_org: dict[str, list[dict]] = {}
    for model_id in shown:
        by_org.setdefault(records[model_id]["organisation"], []).append(records[model_id])
    return render_template(
        "compare_picker.html", chosen=[records[i] for i in chosen], chosen_ids=set(chosen),
        grid=grid, in_grid=[records[i] for i in in_grid], by_org=by_org, n_rest=len(rest),
        n_models=len(records), q=query.get("q", ""), page=page, pages=pages,
        max_compared=tables.MAX_COMPARED)


# --- Finding: the models' and metrics' indexes ------------------------------------------


def _sorts_query(sorts: Mapping[str, bool]) -> type[Schema]:
    names = ", ".join(sorts)

    class IndexPageQuery(PageQuery):
        q = fields.String(validate=validate.Length(max=200),
                          metadata={"description": "Only the rows whose text holds this"})
        sort = fields.String(load_default="name", validate=validate.OneOf(
            tuple(sorts), error=f"sort by one of {names}"))  # errors.MESSAGES says it again
        order = fields.String(validate=validate.OneOf(("asc", "desc")))

    return IndexPageQuery


models_query = _sorts_query(catalog.MODEL_SORTS)()
metrics_query = _sorts_query(catalog.METRIC_SORTS)()


def _listing(query: dict, found: list[str], sorts: Mapping[str, bool],
             ordered: Callable[[list[str], str, bool], list[str]]) -> dict:
    """One page of an index's rows (ids) in the query's order, and what its template shows
    around them: the count, the sort and the header links."""
    key = query["sort"]
    descending = query["order"] == "desc" if "order" in query else sorts[key]
    rows = list(page_of(ordered(found, key, descending), query["page"], query["per_page"]))
    flipped = {column: not descending if column == key else first
               for column, first in sorts.items()}  # a header's link: flip the sorted one
    sort_urls = {column: url_with(sort=column, page=None, order="desc" if down else "asc")
                 for column, down in flipped.items()}
    return {"ids": rows, "n_found": len(found), "key": key, "descending": descending,
            "sort_urls": sort_urls, "clicks_descending": flipped, "q": query.get("q", ""),
            "page": query["page"],
            "pages": page_count(len(found), query["per_page"]),
            "first": (query["page"] - 1) * query["per_page"] + 1}


@bp.route("/models", endpoint="models")
@reads(models_query)
def models_index():
    """Every model: its organisation, weights, size and how many grids print it."""
    ds = dataset()
    query = parse(models_query)
    records = model_records(ds)
    found = catalog.find(catalog.model_texts(ds), query.get("q"))
    listing = _listing(query, found, catalog.MODEL_SORTS, partial(catalog.models_ordered, ds))
    return render_template("models.html", rows=[records[i] for i in listing["ids"]],
                           total=len(records), **listing)


@bp.route("/metrics", endpoint="metrics")
@reads(metrics_query)
def metrics_index():
    """Every metric: its benchmark, measure, better direction and how many grids have it."""
    ds = dataset()
    query = parse(metrics_query)
    records = metric_records(ds)
    found = catalog.find(catalog.metric_texts(ds), query.get("q"))
    listing = _listing(query, found, catalog.METRIC_SORTS, partial(catalog.metrics_ordered, ds))
    return render_template("metrics.html", rows=[records[i] for i in listing["ids"]],
                           total=len(records), **listing)


# --- Conflicts -------------------------------------------------------------------------


class ConflictFilters(_Query):
    """Which conflicts to list; each names something that exists, or the answer is a 404."""

    model = fields.String(validate=validate.Length(max=200),
                          metadata={"description": "A model id: only that model's conflicts"})
    metric = fields.String(validate=validate.Length(max=200),
                           metadata={"description": "A metric id: only that metric's conflicts"})
    kind = fields.String(
        validate=validate.Length(max=100),
        metadata={"description": "A kind of report (broker-report, readme, paper): only the "
                                 "conflicts with a place printed in a report of that kind"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000),
                          metadata={"description": "Which page of the conflicts, from 1"})
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_PER_PAGE),
                              metadata={"description": "Conflicts a page"})


class ConflictsQuery(ConflictFilters):
    q = fields.String(validate=validate.Length(max=200))
    sort = fields.String(
        load_default="model",
        validate=validate.Regexp(r"^[-+]?(model|metric|spread)$",
                                 error=N_("sort by model, metric or spread, with - before it "
                                          "for descending, e.g. sort=-spread")))


conflicts_query = ConflictsQuery()
conflicts_csv_query = ConflictsQuery(exclude=("page", "per_page"))  # the CSV lists them all
# The first direction of a header's sort link: names A to Z, the widest disagreement first.
CONFLICT_DESCENDING = {"model": False, "metric": False, "spread": True}


def conflict_filters(ds: Dataset, query: dict, *, listed: bool = False) -> dict:
    """The filters of a conflicts query, after a 404 for any that names nothing (`listed`:
    naming the ones that exist, as the API does)."""
    for name, kind, known in (("model", "model", model_records(ds)),
                              ("metric", "metric", metric_records(ds)),
                              ("kind", "kind of report", {k: k for k in catalog.report_kinds(ds)})):
        if name in query:
            get_or_404(kind, query[name], known, listed=listed)
    return {k: query.get(k) for k in ("model", "metric", "kind", "q")}


def _conflicts_found(ds: Dataset, schema: Schema = conflicts_query
                     ) -> tuple[dict, str, bool, list[int]]:
    """The conflicts a /conflicts query asks for, in its order (indices of the index)."""
    query = parse(schema)
    key, descending = query["sort"].lstrip("+-"), query["sort"].startswith("-")
    every = conflicts.index(ds)
    found = every.ordered(every.find(**conflict_filters(ds, query)), key, descending)
    return query, key, descending, found


# Past this many models (metrics) with conflicts, the filters are a search, not a list.
CONFLICT_CHOICES = 300


def _choices(found: list[tuple[str, str]], records: Mapping[str, dict]
             ) -> list[tuple[str, str]] | None:
    """A conflicts filter's (name, id) choices in the page's language; None if too many."""
    return [(name_of(records[i]), i) for _, i in found] if len(found) <= CONFLICT_CHOICES \
        else None


@bp.route("/conflicts", endpoint="conflicts")
@reads(conflicts_query)
def conflicts_page():
    """Every model × metric that two places give differently, filtered and sorted."""
    ds = dataset()
    query, key, descending, found = _conflicts_found(ds)
    every = conflicts.index(ds)
    shown = [every.row(i) for i in page_of(found, query["page"], query["per_page"])]
    sort_urls = {
        column: url_with(sort=("-" if (not descending if column == key
                                       else CONFLICT_DESCENDING[column]) else "") + column)
        for column in conflicts.SORTS
    }
    names = {"model": model_records(ds), "metric": metric_records(ds)}
    chosen = {k: name_of(names[k][query[k]]) for k in names if k in query}
    return render_template(
        "conflicts.html", rows=shown, n_rows=len(found), query=query, key=key,
        descending=descending, chosen=chosen, total=len(every), page=query["page"],
        pages=page_count(len(found), query["per_page"]),
        first=(query["page"] - 1) * query["per_page"] + 1, sort_urls=sort_urls,
        kinds=catalog.report_kinds(ds),
        models=_choices(every.models, names["model"]),
        metrics=_choices(every.metrics, names["metric"]),
    )


@bp.route("/conflicts.csv")
@reads(conflicts_csv_query)
def conflicts_csv():
    """The CSV of exactly the conflicts /conflicts shows, one row per place."""
    ds = dataset()
    query, key, descending, found = _conflicts_found(ds, conflicts_csv_query)
    parts = ["conflicts", *(query[k] for k in ("model", "metric", "kind") if k in query)]
    if query.get("q"):
        parts.append("filtered")
    if (key, descending) != ("model", False):
        parts.append(f"sorted-by-{key}" + ("-desc" if descending else ""))
    every = conflicts.index(ds)
    rows = (every.row(i, limit=None) for i in found)
    chunks = exports.csv_chunks(conflicts.COLUMNS, conflicts.place_rows(rows))
    return _chunked_download(chunks, "_".join(parts) + ".csv", CSV,
                             sum(len(every.rows[i]) for i in found) * len(conflicts.COLUMNS))


# --- Formatting at the edge ----------------------------------------------------------

for _format in (signed, pct, params, zh):
    bp.add_app_template_filter(_format)
bp.add_app_template_global(lang_of)


ERROR_LINKS = 50  # what a 404 page lists of each kind: the grids, models and metrics there are


def error_page(error: HTTPException):
    """Render an HTML error page that says what went wrong and links to what exists."""
    ds = dataset()
    links = []
    if error.code == 404:  # the first few of each, and how many there are
        grids, models, metrics = ds.grids, model_records(ds), metric_records(ds)
        links = [
            (_("Grids"), [(url_for("pages.grid", slug=s), charts.grid_title(grids[s]))
                       for s in islice(grids, ERROR_LINKS)], len(grids), url_for("pages.index")),
            (_("Models"), [(url_for("pages.model", model_id=i), name_of(models[i]))
                           for i in islice(models, ERROR_LINKS)], len(models), None),
            (_("Metrics"), [(url_for("pages.metric", metric_id=i), name_of(metrics[i]))
                            for i in islice(metrics, ERROR_LINKS)], len(metrics), None),
        ]
    elif error.code == 400 and request.endpoint:
        links = [(_("Start again"), [(url_for(request.endpoint, **(request.view_args or {})),
                                      _("this page without its query"))], 1, None)]
    return render_template(
        "error.html", code=error.code, name=error.name, message=error.description, links=links,
    ), error.code


# --- Downloads -----------------------------------------------------------------------


def download(body: bytes | Iterator[bytes], filename: str, mimetype: str):
    """Send bytes as an attachment; the data version goes in a header."""
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Data-Version"] = dataset().version
    return response


CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/grids/<slug>.csv")
@reads(grid_query)
def grid_csv(slug: str):
    """The CSV of exactly what /grids/<slug> shows with the same arguments, every page."""
    view, query = _view(slug, page=1, per_page=None)
    if query["format"] == "long":
        chunks = exports.csv_chunks(exports.LONG_COLUMNS,
                                    exports.long_rows(dataset(), view.grid, view))
        name = exports.view_filename(view, "_long.csv")
    else:
        chunks, name = exports.view_csv(view), exports.view_filename(view)
    return _chunked_download(chunks, name, CSV, view.n_visible * len(view.columns))


@bp.route("/grids/<slug>.json")
@reads(grid_query)
def grid_json(slug: str):
    """The view /grids/<slug> shows, as JSON: its columns, and its rows in order with their
    ranks, cells, marks, diffs and where each number is printed."""
    response = current_app.json.response(view_schema.dump(_view(slug)[0]))
    response.headers["X-Data-Version"] = dataset().version
    return response


@bp.route("/grids/<slug>.xlsx")
@reads(grid_query)
def grid_xlsx(slug: str):
    """The workbook of exactly what /grids/<slug> shows with the same arguments, every page."""
    view = _view(slug, page=1, per_page=None)[0]
    return download(exports.view_xlsx(view), exports.view_filename(view, ".xlsx"), XLSX)


STREAM_CELLS = 50_000  # downloads of more cells than this stream instead of being built whole


def _chunked_download(chunks: Iterator[bytes], name: str, mimetype: str, cells: int):
    if cells <= STREAM_CELLS:
        return download(b"".join(chunks), name, mimetype)  # small: one body, cached by URL
    return download(chunks, name, mimetype)  # large: streamed as it is written


DOWNLOADS = {  # the whole dataset: its file name and type
    "all.csv": ("leaderboard-all.csv", CSV),
    "all.xlsx": ("leaderboard-all.xlsx", XLSX),
    "all.json": ("leaderboard-all.json", "application/json"),
}


@bp.route("/downloads/all.csv")
def all_csv():
    return _whole("all.csv")


@bp.route("/downloads/all.xlsx")
def all_xlsx():
    return _whole("all.xlsx")


@bp.route("/downloads/all.json")
def all_json():
    return _whole("all.json")


def _whole(name: str):
    """The whole dataset: the file `leaderboard validate` wrote for these data and this code,
    else built now."""
    ds = dataset()
    filename, mimetype = DOWNLOADS[name]
    etag = current_app.extensions["etag"]
    written = downloads.prebuilt(ds, etag, name)
    if written is not None:  # its own ETag, its sha256: a workbook's bytes differ each time
        path, sha256 = written  # it is written (the time inside), so a range must name them
        try:
            response = send_file(path, mimetype=mimetype, etag=sha256, conditional=True,
                                 max_age=MAX_AGE)
        except OSError:  # removed since it was checked: build it
            downloads.forget(ds, etag)
        else:
            response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
            response.headers["X-Data-Version"] = ds.version
            return response
    chunks = downloads.built(ds, name, current_app.json.dumps)
    if name == "all.xlsx":
        return download(b"".join(chunks), filename, mimetype)
    return _chunked_download(chunks, filename, mimetype, len(ds.results))
