"""Marshmallow schemas: the data files, and the JSON the API returns."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from .errors import N_

ID = validate.Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    error="must be lower-case letters and digits joined by hyphens, e.g. deepseek-r1",
)
DATE = validate.Regexp(
    r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$", error="must be YYYY, YYYY-MM or YYYY-MM-DD"
)
METRIC_TYPES = ("number", "date", "boolean")
MODEL_KINDS = ("model", "system")
LAYOUTS = ("models-as-rows", "metrics-as-rows")  # how the report prints the grid
MAX_PER_PAGE = 500
SCALES = (1, 2, 3, 4)  # a chart picture's few sizes: each is one rendering to cache
_SUFFIXES = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
_PARAMS = re.compile(r"^(\d+(?:\.\d+)?)\s*([KMBT])$")


class ParamCount(fields.Field):
    """A parameter count written as 671B, 1.5B or 1.8T, loaded as a number."""

    def _deserialize(self, value, attr, data, **kwargs):
        match = _PARAMS.match(str(value).strip())
        if match is None:
            raise ValidationError(_("%(value)s is not a parameter count like 671B, 1.5B or 1.8T",
                                    value=repr(value)))
        return float(match.group(1)) * _SUFFIXES[match.group(2)]


class _Text(fields.String):
    """A non-empty string."""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Length(min=1), **kwargs)


# A Chinese name holds at least one Han character: a name without one is the English name again,
# or the wrong field's text.
_HAN = re.compile(r"(?s).*?[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class _ChineseName(fields.String):
    """A name for the Chinese interface (`name_zh`): optional; when given, holding a Chinese
    character (so never empty)."""

    def __init__(self, **kwargs):
        super().__init__(load_default=None, allow_none=True, validate=validate.Regexp(
            _HAN, error="must hold Chinese characters (it is the name the Chinese pages show); "
                        "leave it out where the English name serves both"), **kwargs)


# --- Data files ------------------------------------------------------------------------

# Characters no XML document (SVG, XLSX) may hold, and no page shows: C0 controls but tab, line
# feed and carriage return; DEL; the non-characters U+FFFE and U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class _DataSchema(Schema):
    """A data file's record: no text in it holds a control character."""

    @pre_load
    def _no_control_characters(self, data, **kwargs):
        bad = {name: [f"holds the control character U+{ord(found[0]):04X}, which no page, "
                      "chart or spreadsheet can show: remove it"]
               for name, value in (data.items() if isinstance(data, dict) else ())
               if isinstance(value, str) and (found := _CONTROL.search(value))}
        if bad:
            raise ValidationError(bad)
        return data


REPORT_KINDS = ("broker-report", "readme", "paper")


class ReportSchema(_DataSchema):
    id = fields.String(required=True, validate=ID)
    # What kind of publication: a broker's report, a model maker's README, a paper.
    kind = fields.String(load_default="broker-report", validate=validate.OneOf(REPORT_KINDS))
    title = _Text(required=True)
    title_en = _Text(required=True)
    publisher = _Text(required=True)
    publisher_en = _Text(required=True)
    date = fields.String(required=True, validate=DATE)
    # Where a published file lives: repository (owner/name), file and commit; or a paper's URL.
    repository = fields.String(load_default=None, allow_none=True)
    file = fields.String(load_default=None, allow_none=True)
    commit = fields.String(load_default=None, allow_none=True,
                           validate=validate.Regexp(r"^[0-9a-f]{7,40}$"))
    url = fields.String(load_default=None, allow_none=True)


# Sort keys a metric id would shadow: the model's name and the averages (ranking.NAME, AVERAGE).
RESERVED_METRIC_IDS = ("model", "average")


class MetricSchema(_DataSchema):
    id = fields.String(required=True, validate=[ID, validate.NoneOf(
        RESERVED_METRIC_IDS, error="is a sort key of its own (model, average): choose another id")])
    name = _Text(required=True)
    name_zh = _ChineseName()
    benchmark = _Text(required=True)
    measure = _Text(required=True)
    unit = _Text(required=True)
    scale = fields.List(fields.Float(), validate=validate.Length(equal=2), load_default=None)
    # Required but nullable: null says on purpose that the metric is not ranked.
    higher_is_better = fields.Boolean(required=True, allow_none=True)
    category = _Text(required=True)
    type = fields.String(load_default="number", validate=validate.OneOf(METRIC_TYPES))
    note = fields.String(load_default=None, allow_none=True)  # what it measures, and why apart


class ModelSchema(_DataSchema):
    id = fields.String(required=True, validate=ID)
    name = _Text(required=True)
    name_zh = _ChineseName()
    organisation = _Text(required=True)
    kind = fields.String(load_default="model", validate=validate.OneOf(MODEL_KINDS))
    open_weights = fields.Boolean(load_default=None, allow_none=True)
    architecture = fields.String(load_default=None, allow_none=True)
    total_params = ParamCount(load_default=None, allow_none=True)
    active_params = ParamCount(load_default=None, allow_none=True)
    release_date = fields.String(load_default=None, allow_none=True, validate=DATE)
    base_model = fields.String(load_default=None, allow_none=True)
    teacher = fields.String(load_default=None, allow_none=True, validate=ID)
    hardware = fields.String(load_default=None, allow_none=True)
    note = fields.String(load_default=None, allow_none=True)


class SourceSchema(_DataSchema):
    report = fields.String(required=True, validate=ID)
    label = _Text(required=True)
    # The printed page; none for a file without pages (a README: its label says where).
    page = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=1))
    cited = fields.String(load_default=None, allow_none=True)


class GridModelSchema(_DataSchema):
    label = _Text(required=True)
    id = fields.String(required=True, validate=ID)


class GridMetricSchema(_DataSchema):
    label = _Text(required=True)
    id = fields.String(required=True, validate=ID)
    band = fields.String(load_default=None, allow_none=True)


class GridSchema(_DataSchema):
    title = _Text(required=True)
    title_en = _Text(required=True)
    caption = _Text(required=True)
    source = fields.Nested(SourceSchema, required=True)
    sparse = fields.Boolean(load_default=False)
    layout = fields.String(load_default="models-as-rows", validate=validate.OneOf(LAYOUTS))
    follows = fields.String(load_default=None, validate=ID)  # the grid this one reprints
    models = fields.List(
        fields.Nested(GridModelSchema), required=True, validate=validate.Length(min=1)
    )
    metrics = fields.List(
        fields.Nested(GridMetricSchema), required=True, validate=validate.Length(min=1)
    )


class CellSchema(_DataSchema):
    """One row of a grid's cells file; `value` is typed later, by its metric's type."""

    model = _Text(required=True)
    metric = _Text(required=True)
    printed = fields.String(required=True)
    value = fields.String(load_default=None)
    bold = fields.Boolean(load_default=False)
    label = fields.String(load_default=None)
    page = fields.Integer(load_default=None, validate=validate.Range(min=1))
    note = fields.String(load_default=None)

    @pre_load
    def _blank_is_missing(self, data, **kwargs):
        """Treat an empty CSV field as absent, except `printed` (a blank cell is printed "")."""
        return {k: v for k, v in data.items() if k == "printed" or v not in ("", None)}


# --- Query arguments -------------------------------------------------------------------

_yes_no = partial(fields.Boolean, truthy={"yes", "true", "1", "on"},
                  falsy={"no", "false", "0", "off"})


class ParamBound(fields.Field):
    """A parameter bound: 7B, 1.5B, 1.8T, or a plain number of billions."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = str(value).strip().upper()
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            return float(text) * 1e9
        return ParamCount()._deserialize(text, attr, data, **kwargs)


_PARAM_BOUND = {"type": "string",  # blank: no bound
                "pattern": r"^\s*([0-9]+(\.[0-9]+)?\s*[KMBTkmbt]?\s*)?$",
                "description": "A parameter count: 7B, 1.5B, 1.8T, or a number of billions"}


class _Query(Schema):
    """Query arguments: unknown ones are ignored, empty ones count as absent."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _blank_is_missing(self, data, **kwargs):
        return {k: v for k, v in data.items() if v.strip() != ""}


class GridQuery(_Query):
    sort = fields.String(validate=validate.Length(max=1000), metadata={
        "description": "Keys separated by commas, each a metric id, model, average or "
                       "average:<category> (e.g. average:math), signed - for descending"})
    order = fields.String(validate=validate.OneOf(("asc", "desc")))
    q = fields.String(validate=validate.Length(max=200))
    org = fields.String(validate=validate.Length(max=200))
    open = _yes_no()
    distilled = _yes_no()
    min_params = ParamBound(metadata=_PARAM_BOUND)
    max_params = ParamBound(metadata=_PARAM_BOUND)
    metrics = fields.String(validate=validate.Length(max=5000))
    baseline = fields.String(validate=validate.Length(max=200))
    average = _yes_no(load_default=False)
    format = fields.String(load_default="wide", validate=validate.OneOf(("wide", "long")))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class PageQuery(_Query):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000),
                          metadata={"description": "Which page, from 1"})
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_PER_PAGE),
                              metadata={"description": f"Rows a page, 1 to {MAX_PER_PAGE}"})


class IndexQuery(PageQuery):
    q = fields.String(validate=validate.Length(max=200))


class ModelQuery(PageQuery):
    # 50 a page: every model of the bundled reports fits one (41 metrics at most), and a model
    # printed in thousands of grids costs what one of a few dozen does.
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE),
                              metadata={"description": f"Rows a page (50), 1 to {MAX_PER_PAGE}"})
    metric = fields.String(validate=validate.Length(max=200), metadata={
        "description": "A metric id: every place that prints the model's number for it, a page "
                       "at a time (without it, the model's numbers, a page of metrics at a time)"})


TWO_MODELS = N_("name two or more model ids, e.g. models=deepseek-r1,o1-mini")


class CompareQuery(_Query):
    models = fields.String(
        required=True,
        validate=[
            validate.Length(max=2000),
            validate.Regexp(
                r"^ *[a-z0-9-]+ *(?:, *[a-z0-9-]+ *)+$",
                error=TWO_MODELS,
            ),
        ],
        error_messages={"required": TWO_MODELS},
        metadata={"description": "Two or more different model ids separated by commas; "
                                 "the first is the baseline"},
    )


class ComparePageQuery(CompareQuery, PageQuery):
    """The compare page's and answer's arguments: a page of the shared metrics and of the
    others (the chart, CompareQuery, draws every shared metric)."""


SCALE_CHOICES = N_("must be one of 1, 2, 3, 4 (pixels per point of the chart)")


class _ChartOptions(_Query):
    scale = fields.Integer(load_default=2, validate=validate.OneOf(
        SCALES, error=SCALE_CHOICES), error_messages={"invalid": SCALE_CHOICES})
    width = fields.Integer(validate=validate.Range(min=200, max=2400))
    height = fields.Integer(validate=validate.Range(min=100, max=2400))
    theme = fields.String(load_default="light", validate=validate.OneOf(("light", "dark")))
    background = fields.String(
        load_default="white", validate=validate.OneOf(("white", "transparent")))
    style = fields.String(load_default="native", validate=validate.OneOf(("native", "picture")),
                          metadata={"description": "Slides (pptx): native charts and tables to "
                                                   "edit, or pictures of the charts"})
    aspect = fields.String(validate=validate.OneOf(("16:9", "4:3")), metadata={
        "description": "Slides (pptx): the slide size; without it 16:9, or the house "
                       "template's"})


class GridChartQuery(GridQuery, _ChartOptions):
    pass


class CompareChartQuery(CompareQuery, _ChartOptions):
    pass


class ChartOptionsQuery(_ChartOptions):
    pass


class CostScoreQuery(_ChartOptions):
    metric = fields.String(load_default="aime-2024-pass1", validate=validate.Length(max=200))
    price = fields.String(load_default="api-input-price", validate=validate.Length(max=200))


CHART_OPTIONS = ("scale", "width", "height", "theme", "background", "style", "aspect",
                 "format", "page", "per_page")


VALUE_FIELDS: dict[str, fields.Field[Any]] = {
    "number": fields.Float(allow_nan=False),
    "date": fields.String(validate=DATE),
    "boolean": fields.Boolean(truthy={"true"}, falsy={"false"}),
}

# --- API responses ---------------------------------------------------------------------


class ApiSourceSchema(Schema):
    report = fields.String(metadata={"description": "Report id"})
    report_title = fields.String()
    publisher = fields.String()
    date = fields.String(metadata={"description": "Publication date, YYYY-MM-DD"})
    label = fields.String(metadata={"description": "Figure or table label as printed, e.g. 图4"})
    page = fields.Integer(allow_none=True, metadata={"description": "null for a README"})
    kind = fields.String(metadata={"description": "broker-report, readme or paper"})
    cited = fields.String(
        allow_none=True, metadata={"description": "The source line the report cites"}
    )


class GridSummarySchema(Schema):
    slug = fields.String()
    title = fields.String()
    title_en = fields.String()
    caption = fields.String(metadata={"description": "The report's caption, verbatim"})
    source = fields.Nested(ApiSourceSchema)
    n_models = fields.Integer()
    n_metrics = fields.Integer()


class GridModelOutSchema(Schema):
    id = fields.String()
    name = fields.String()
    label = fields.String(metadata={"description": "The name exactly as printed in this grid"})


class GridMetricOutSchema(Schema):
    id = fields.String()
    name = fields.String()
    label = fields.String(metadata={"description": "The name exactly as printed in this grid"})
    unit = fields.String()
    higher_is_better = fields.Boolean(allow_none=True)
    category = fields.String()
    band = fields.String(allow_none=True)
    type = fields.String()


class ResultSchema(Schema):
    model = fields.String()
    metric = fields.String()
    value = fields.Raw(
        allow_none=True,
        metadata={"description": "Number in the metric's unit (YYYY-MM for dates, boolean for "
                  "yes/no metrics); null when not reported"},
    )
    printed = fields.String(
        allow_none=True, metadata={"description": "Exactly as printed; '-' when not reported"}
    )
    bold = fields.Boolean()
    note = fields.String(allow_none=True)
    conflict = fields.Boolean(
        metadata={"description": "Another place in the reports gives a different value"}
    )
    source = fields.Nested(ApiSourceSchema)


class ConflictSchema(Schema):
    model = fields.String()
    metric = fields.String()
    n_places = fields.Integer(metadata={"description": "How many places print it"})
    observations = fields.List(fields.Nested("PlaceSchema"), metadata={
        "description": "The places that print it, the first 10 (every one in the downloads)"})


class ChartRefSchema(Schema):
    id = fields.String()
    title = fields.String()
    urls = fields.Dict(
        keys=fields.String(), values=fields.String(),
        metadata={"description": "format (json, svg, png, html, pptx) -> stable URL"},
    )


class GridSchemaOut(GridSummarySchema):
    charts = fields.List(fields.Nested(ChartRefSchema))
    models = fields.List(fields.Nested(GridModelOutSchema))
    metrics = fields.List(fields.Nested(GridMetricOutSchema))
    results = fields.List(fields.Nested(ResultSchema))
    conflicts = fields.List(fields.Nested(ConflictSchema))
    view = fields.Nested("ViewSchema", exclude=("rows",), metadata={
        "description": "The view the query arguments ask for, as the page /grids/<slug> shows"})
    rows = fields.List(fields.Nested("ViewRowSchema"), metadata={
        "description": "The view's rows on this page, in its order (as /grids/<slug>.json)"})


class ModelOutSchema(Schema):
    id = fields.String()
    name = fields.String()
    name_zh = fields.String(allow_none=True, metadata={
        "description": "The name the Chinese interface shows; null where the English name "
                       "serves both"})
    organisation = fields.String()
    kind = fields.String(metadata={"description": "model, or system (a model on named hardware)"})
    open_weights = fields.Boolean(allow_none=True)
    distilled = fields.Boolean()
    architecture = fields.String(allow_none=True)
    total_params = fields.Float(allow_none=True)
    active_params = fields.Float(allow_none=True)
    release_date = fields.String(allow_none=True)
    base_model = fields.String(allow_none=True)
    teacher = fields.String(allow_none=True)
    hardware = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    labels = fields.Dict(
        keys=fields.String(), values=fields.String(),
        metadata={"description": "grid slug -> the name printed there, grids in the reports' "
                                 "order: in the list /api/models the first 20 (n_labels says how "
                                 "many), in /api/models/<id> every one"},
    )
    n_labels = fields.Integer(metadata={"description": "How many grids print the model"})


class MetricOutSchema(Schema):
    id = fields.String()
    name = fields.String()
    name_zh = fields.String(allow_none=True, metadata={
        "description": "The name the Chinese interface shows; null where the English name "
                       "serves both"})
    benchmark = fields.String()
    measure = fields.String()
    unit = fields.String()
    scale = fields.List(fields.Float(), allow_none=True)
    higher_is_better = fields.Boolean(allow_none=True)
    category = fields.String()
    type = fields.String()
    note = fields.String(allow_none=True)
    grids = fields.List(fields.String(), metadata={
        "description": "The grids that have the metric, in the reports' order: in the list "
                       "/api/metrics the first 20 (n_grids says how many), in "
                       "/api/metrics/<id> every one"})
    n_grids = fields.Integer(metadata={"description": "How many grids have the metric"})


class PlaceSchema(Schema):
    grid = fields.String()
    value = fields.Raw(allow_none=True, data_key="value", attribute="raw")
    printed = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    source = fields.Nested(ApiSourceSchema)


class TallySchema(Schema):
    printed = fields.String(allow_none=True, metadata={"description": "A text as printed"})
    places = fields.Integer(metadata={"description": "How many places print it"})


class MergedSchema(Schema):
    model = fields.String()
    metric = fields.String()
    value = fields.Raw(
        allow_none=True, attribute="raw",
        metadata={"description": "The first place's value; see places and conflict"},
    )
    printed = fields.String(allow_none=True)
    conflict = fields.Boolean(metadata={"description": "The places give different values"})
    places = fields.List(fields.Nested(PlaceSchema), metadata={
        "description": "The first 10 places that print it, grids in the reports' order "
                       "(/api/models/<model>?metric=<metric> lists every one, a page at a time)"})
    n_places = fields.Integer(metadata={"description": "How many places print it, in all"})
    tally = fields.List(fields.Nested(TallySchema), metadata={
        "description": "Only when places leaves some out: each distinct text printed and in how "
                       "many places, first printed first"})


class RankedSchema(MergedSchema):
    rank = fields.Integer(allow_none=True)


class ModelDetailSchema(ModelOutSchema):
    results = fields.List(fields.Nested(MergedSchema), metadata={
        "description": "One page of the model's numbers, a metric each, in the registry's order "
                       "(X-Total-Count: how many in all). With `metric`, that metric's one "
                       "number, its `places` one page of every place (X-Total-Count: how many)"})


class MetricDetailSchema(MetricOutSchema):
    leaderboard = fields.List(fields.Nested(RankedSchema), metadata={
        "description": "One page of the leaderboard, best first; ranks are the whole "
                       "leaderboard's (X-Total-Count: how many models in all)"})


class CompareCellSchema(MergedSchema):
    diff = fields.Float(allow_none=True, metadata={"description": "value - first model's value"})
    pct = fields.Float(allow_none=True)
    verdict = fields.String(allow_none=True, metadata={"description": "better, worse or level"})


class CompareMetricSchema(Schema):
    id = fields.String()
    name = fields.String()
    unit = fields.String()
    higher_is_better = fields.Boolean(allow_none=True)
    cells = fields.List(fields.Nested(CompareCellSchema, allow_none=True))


class VerdictsSchema(Schema):
    better = fields.Integer()
    worse = fields.Integer()
    level = fields.Integer()


class CompareSummarySchema(VerdictsSchema):
    id = fields.String()


class CompareSchema(Schema):
    models = fields.List(fields.Dict())
    shared = fields.List(fields.Nested(CompareMetricSchema), metadata={
        "description": "One page of the metrics every model has, in the registry's order"})
    apart = fields.List(fields.Nested(CompareMetricSchema), metadata={
        "description": "The same page of the metrics only some of the models have"})
    summary = fields.List(fields.Nested(CompareSummarySchema), metadata={
        "description": "Better, worse and level over every shared metric, not one page"})
    note = fields.String(allow_none=True, metadata={
        "description": "Set when the models share no metric (shared is then empty)"})
    n_shared = fields.Integer(metadata={"description": "Shared metrics in all"})
    n_apart = fields.Integer(metadata={"description": "Metrics only some have, in all"})
    page = fields.Integer()
    pages = fields.Integer(metadata={"description": "Pages of the longer of shared and apart"})


class ErrorSchema(Schema):
    message = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


# --- A grid view (view.View), as /grids/<slug>.json and /api/grids/<slug> give it ----------


class DiffSchema(Schema):
    points = fields.Float(metadata={"description": "value − the baseline's value, in the unit"})
    percent = fields.Float(allow_none=True,
                           metadata={"description": "points in % of the baseline's value"})
    verdict = fields.String(allow_none=True, metadata={
        "description": "better, worse or level by the metric's direction; null if unranked"})
    decimals = fields.Integer(allow_none=True, metadata={
        "description": "The decimals points is rounded to (the printed numbers'); null: exact"})


class ViewCellSchema(Schema):
    metric = fields.String()
    value = fields.Raw(allow_none=True, metadata={
        "description": "Number in the metric's unit (YYYY-MM for dates, boolean for yes/no "
                       "metrics); null when not reported"})
    printed = fields.String(allow_none=True, metadata={
        "description": "Exactly as printed; '-' when not reported; null where nothing is"})
    bold = fields.Boolean(metadata={"description": "Printed bold"})
    best = fields.Boolean(metadata={"description": "The best value of its column in this view"})
    bold_mismatch = fields.Boolean(
        metadata={"description": "The report's bold and the computed best differ here"})
    conflict = fields.Boolean(
        metadata={"description": "Another place in the reports gives a different value"})
    note = fields.String(allow_none=True)
    where = fields.String(metadata={"description": "Where it is printed, e.g. 图4, p. 6"})
    citation = fields.String(metadata={"description": "That place in full"})
    diff = fields.Nested(DiffSchema, allow_none=True,
                         metadata={"description": "Against the baseline (null without one)"})


class AverageSchema(Schema):
    category = fields.String(allow_none=True, metadata={
        "description": "The metrics' category; null: every category"})
    score = fields.Float(allow_none=True, metadata={
        "description": "Mean 0–100 score over the metrics the model has, best = 100; null "
                       "when it has none of them (never 0)"})
    covered = fields.Integer(metadata={"description": "The metrics it has"})
    of = fields.Integer(metadata={"description": "The metrics averaged"})


class AverageColumnSchema(Schema):
    id = fields.String(metadata={"description": "Its sort key: average, average:<category>"})
    category = fields.String(allow_none=True, metadata={
        "description": "The category it averages; null: every category"})
    label = fields.String()
    metrics = fields.List(fields.String(), metadata={
        "description": "The shown ranked metrics it averages"})


class ViewRowSchema(Schema):
    model = fields.String()
    name = fields.String()
    label = fields.String(metadata={"description": "The name exactly as printed in this grid"})
    organisation = fields.String()
    rank = fields.Integer(allow_none=True)
    is_baseline = fields.Boolean()
    verdicts = fields.Nested(VerdictsSchema, allow_none=True)
    average = fields.Nested(AverageSchema, allow_none=True, metadata={
        "description": "Over every category (null without average=yes)"})
    category_averages = fields.List(fields.Nested(AverageSchema), metadata={
        "description": "One per category, in the order of the view's averages after the first"})
    cells = fields.List(fields.Nested(ViewCellSchema))


class SortKeySchema(Schema):
    column = fields.String(metadata={
        "description": "A metric id, model (the name), or an average's id (average:math)"})
    descending = fields.Boolean()


class BaselineSchema(Schema):
    id = fields.String()
    name = fields.String()
    label = fields.String()


class ViewSchema(Schema):
    grid = fields.Function(lambda view: view.grid.slug)
    columns = fields.List(fields.Nested(GridMetricOutSchema))  # a view's Column
    sort = fields.List(fields.Nested(SortKeySchema))
    ranked_by = fields.String(allow_none=True, metadata={
        "description": "The metric or average the ranks are of"})
    baseline = fields.Nested(BaselineSchema, allow_none=True)
    average = fields.Boolean()
    averages = fields.List(fields.Nested(AverageColumnSchema), metadata={
        "description": "The averages shown, in the rows' order: every category's, then one "
                       "per category when the shown ranked metrics span two or more"})
    n_visible = fields.Integer(metadata={"description": "Rows that pass the filters"})
    n_total = fields.Integer()
    page = fields.Integer()
    pages = fields.Integer()
    per_page = fields.Integer(allow_none=True)
    rows = fields.List(fields.Nested(ViewRowSchema), metadata={
        "description": "This page's rows, in the view's order"})
