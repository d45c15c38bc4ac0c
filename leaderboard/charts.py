"""Altair chart builders: small functions returning `alt.Chart`. No Flask here but its
translations (flask_babel): a chart's words are in the request's language, English outside one.

Ranking and sorting happen before, in pandas (tables.py / ranking.py), so a chart, the table
and the CSV always agree; the charts only draw the order they are given.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import altair as alt
import pandas as pd
from flask_babel import gettext as _

from .data import Dataset, Grid, reference
from .i18n import chinese, unit_name, with_unit
from .i18n import name as name_of
from .i18n import names as names_of
from .tables import merged_of, with_places
from .view import HAN, Row, View, grid_view, pct

BAR_HEIGHT = 26
WIDTH = 560
COLORS = {
    "best": "#2e7d32",
    "baseline": "#c98a00",
    "other": "#4c78a8",
    "better": "#2e7d32",
    "worse": "#c62828",
    "level": "#8a939c",  # as good as the baseline
    "neutral": "#c9ced4",  # a metric with no direction: a difference, neither better nor worse
}
# Text on a heatmap cell: dark on a pale cell, light on a dark one, whatever the page's theme.
ON_LIGHT = "#111418"
ON_DARK = "#f7f9fa"
# Latin text in Liberation Sans (vl-convert lays it out twice as fast as a CJK font). A chart with
# Chinese in it (a source line's 《…》 is enough) is drawn in Noto Sans CJK (Debian's
# fonts-noto-cjk), Latin letters and all: vl-convert draws a text whose first font lacks a glyph
# in a serif CJK face, not bold (bench/fonts.py, docs/performance.md).
FONT = "Liberation Sans, Arial, Noto Sans CJK SC, sans-serif"
FONT_CJK = "Noto Sans CJK SC, Liberation Sans, Arial, sans-serif"
_HAN_TEXT = re.compile(HAN)


def grid_title(grid: Grid) -> str:
    """A grid's title in the interface's language: the report's own in Chinese."""
    return grid.title if chinese() else grid.title_en


def source_line(grid: Grid) -> str:
    """Name the report, the figure and the source it cites, as a chart's last subtitle line."""
    return _("Source: %(citation)s", citation=grid.source.citation())


def _title(text: str, lines: list[str]) -> alt.TitleParams:
    return alt.TitleParams(text=text, subtitle=[line for line in lines if line], anchor="start",
                           subtitleColor=LIGHT["muted"], fontSize=16, subtitleFontSize=11)


def _direction(higher_is_better: bool | None) -> str:
    if higher_is_better is None:
        return ""
    return _("higher is better") if higher_is_better else _("lower is better")


def no_data(title: str, lines: list[str], why: str) -> alt.Chart:
    """A chart that says plainly there is nothing to draw, instead of failing."""
    frame = pd.DataFrame({"text": [why]})
    return alt.Chart(frame, title=_title(title, lines)).mark_text(
        fontSize=14, color=LIGHT["muted"]
    ).encode(text="text:N").properties(width=WIDTH, height=80)


def diff_axis() -> str:
    return _("difference from the baseline (%(percent)s of its value)", percent="%")


def compare_axis() -> str:
    return _("relative to the best of these models (= 100)")


def verdicts() -> dict[str, str]:
    """The words for a difference's verdicts, in the interface's language."""
    return {"better": _("better"), "worse": _("worse"), "level": _("level"),
            "neutral": _("neutral")}


def _legend_labels(names: dict[str, str]) -> dict[str, Any]:
    """A legend's labels in the interface's language: its domain's words (better, worse) are
    data, each shown as its translation; nothing when they are the same (English)."""
    changed = {k: v for k, v in names.items() if k != v}
    if not changed:
        return {}
    expr = "datum.label"
    for key, text in changed.items():
        expr = f"datum.label === {key!r} ? {text!r} : {expr}"
    return {"labelExpr": expr}


@dataclass(frozen=True, eq=False)
class Plot:
    """What a chart shows, before it is drawn: its kind, title, the lines under the title (the
    source last) and its data, in the order drawn. Altair draws it (draw), and so do the slides
    (slides.py), from the same numbers."""

    kind: str  # bar, heatmap, diff, compare or cost; 'empty' when there is nothing to draw
    title: str
    lines: tuple[str, ...]  # under the title, the source last; empty ones are left out
    data: pd.DataFrame = field(default_factory=pd.DataFrame)
    axis: str = ""  # the value axis's title (cost: the price's)
    unit: str = ""  # the value axis's unit (cost: the price's)
    models: tuple[str, ...] = ()  # heatmap rows, diff panels, compare series, in order
    metrics: tuple[str, ...] = ()  # heatmap columns, diff and compare categories, in order
    score_axis: str = ""  # cost: the score axis's title
    missing: tuple[str, ...] = ()  # bar: the models with nothing reported, in the view's order
    scale: tuple[float, float] | None = None  # bar: the metric's fixed scale ([0, 100]), if any
    why: str = ""  # empty: why there is nothing to draw

    @property
    def source(self) -> str:
        return self.lines[-1] if self.lines else ""

    @property
    def notes(self) -> list[str]:
        """The lines between the title and the source."""
        return [line for line in self.lines[:-1] if line]


def _scale(scale: Any) -> tuple[float, float] | None:
    return None if scale is None else (float(scale[0]), float(scale[1]))


def draw(plot: Plot) -> alt.TopLevelMixin:
    """The Altair chart of a plot."""
    lines = list(plot.lines)
    if plot.kind == "empty":
        return no_data(plot.title, lines, plot.why)
    if plot.kind == "bar":
        return ranked_bar(plot.data, plot.title, lines, plot.axis, plot.unit)
    if plot.kind == "heatmap":
        return heatmap(plot.data, list(plot.models), list(plot.metrics), plot.title, lines)
    if plot.kind == "diff":
        return diff_chart(plot.data, list(plot.metrics), plot.title, lines)
    if plot.kind == "compare":
        return compare_chart(plot.data, list(plot.models), list(plot.metrics), plot.title, lines)
    return cost_score(plot.data, plot.score_axis, plot.axis, plot.title, lines, plot.unit)


# --- Value axes ----------------------------------------------------------------------

CALENDAR_UNITS = ("year",)  # a number with no meaningful zero: drawn as dots, not bars
MONEY_UNITS = ("USD",)
COUNT_UNITS = ("parameters", "tokens", "GPU hours", "GPUs")  # 400B, 14.8T: SI, B for billion
PRICE_UNITS = ("USD per 1M tokens",)
# Chinese magnitudes, largest first, for data printed in 万 and 亿 (6300 万美元, 4050 亿).
_CHINESE = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
_SUFFIX = {"USD": "美元"}


def prints_chinese_magnitudes(printed: Sequence[str | None]) -> bool:
    """Whether most of the printed values count in 万 or 亿 (as 表4 prints 6300 万美元)."""
    texts = [p for p in printed if p and p.strip() not in ("", "-", "—")]
    return bool(texts) and 2 * sum("万" in p or "亿" in p for p in texts) > len(texts)


def _si(prefix: str = "") -> str:
    """A label expression: SI prefixes with B (billion) for G, as 400B and $10M are written."""
    return f"'{prefix}' + replace(format(datum.value, '~s'), 'G', 'B')"


def value_axis(unit: str, printed: Sequence[str | None]) -> dict[str, Any]:
    """The value axis's label format for a unit, in the data's own way of writing it."""
    if prints_chinese_magnitudes(printed):
        suffix = _SUFFIX.get(unit, "")
        bare = f" {suffix}" if suffix else ""  # 5000 美元; a bare 0
        expr = f"format(datum.value, '~g') + (datum.value ? '{bare}' : '')"
        for size, name in reversed(_CHINESE):
            expr = (f"abs(datum.value) >= {size:.0e} ? "
                    f"format(datum.value / {size:.0e}, '~g') + ' {name}{suffix}' : {expr}")
        return {"labelExpr": expr}
    if unit in MONEY_UNITS:
        return {"labelExpr": _si("$")}
    if unit in COUNT_UNITS:
        return {"labelExpr": _si()}
    if unit in PRICE_UNITS:
        return {"format": "$~g"}
    if unit in CALENDAR_UNITS:
        return {"format": "d"}
    return {}


# --- Ranked bars ---------------------------------------------------------------------


def bar_data(view: View) -> pd.DataFrame:
    """One row per model that has the view's first metric, in the view's order."""
    rows = [
        {"model": row.label, "value": row.cells[0].sort_key, "printed": row.cells[0].printed,
         "role": "baseline" if row.is_baseline else "best" if row.cells[0].best else "other"}
        for row in view.rows if not math.isnan(row.cells[0].sort_key)
    ]
    return pd.DataFrame(rows, columns=["model", "value", "printed", "role"])


def ranked_bar(data: pd.DataFrame, title: str, lines: list[str], axis_title: str,
               unit: str = "") -> alt.Chart:
    """Horizontal bars in the given order, value labels, best and baseline coloured; the value
    axis labelled in the unit's way (value_axis). A year has no zero to grow a bar from: dots."""
    calendar = unit in CALENDAR_UNITS
    base = alt.Chart(data).encode(
        y=alt.Y("model:N", sort=list(data["model"]), title=None,
                axis=alt.Axis(labelLimit=260)),
        x=alt.X("value:Q", title=axis_title,
                axis=alt.Axis(grid=True, **value_axis(unit, list(data["printed"]))),
                scale=alt.Scale(zero=False, padding=12) if calendar else alt.Undefined),
        tooltip=[alt.Tooltip("model:N", title=_("model")),
                 alt.Tooltip("printed:N", title=_("printed"))],
    )
    mark = base.mark_circle(size=110, opacity=1) if calendar else base.mark_bar(cornerRadiusEnd=2)
    bars = mark.encode(
        color=alt.Color("role:N", legend=None, scale=alt.Scale(
            domain=["best", "baseline", "other"],
            range=[COLORS["best"], COLORS["baseline"], COLORS["other"]])),
    )
    labels = base.mark_text(align="left", baseline="middle", dx=4, fontSize=12).encode(
        text="printed:N")
    return (bars + labels).properties(
        title=_title(title, lines), width=WIDTH, height=BAR_HEIGHT * max(len(data), 1))


# --- Heatmap -------------------------------------------------------------------------


def heatmap_data(view: View, columns: int | None = None) -> pd.DataFrame:
    """Models × metrics (the first `columns` of them) with each cell's 0–100 score in the view
    (best = 100)."""
    rows = []
    for row in view.rows:
        for column, cell in zip(view.columns[:columns], row.cells[:columns], strict=True):
            kind = "missing" if cell.missing else "unranked" if cell.score is None else "scored"
            rows.append({
                "model": row.label, "metric": column.label,
                "printed": "—" if cell.missing else cell.printed,
                "score": cell.score if kind == "scored" else None, "kind": kind,
                "light": kind != "scored" or (cell.score or 0) < 60,
            })
    return pd.DataFrame(rows, columns=["model", "metric", "printed", "score", "kind", "light"])


def _text_width(text: str, size: int = 11) -> float:
    """Roughly how wide `text` is drawn at `size` px: CJK characters a full em, others ~0.6."""
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)
    return size * (wide + 0.6 * (len(text) - wide))


def heatmap(data: pd.DataFrame, models: list[str], metrics: list[str], title: str,
            lines: list[str]) -> alt.TopLevelMixin:
    """A grid of cells coloured per metric (best darkest), the printed value in each.

    Columns are as wide as the longest printed value needs, up to a bound; a longer value is
    cut with an ellipsis in its cell and shown whole in the tooltip.
    """
    cell = 34
    column = min(max(2 * cell, max(map(_text_width, data["printed"]), default=0) + 10), 160)
    base = alt.Chart(data).encode(
        x=alt.X("metric:N", sort=metrics, title=None,
                axis=alt.Axis(orient="top", labelAngle=-35, labelLimit=180)),
        y=alt.Y("model:N", sort=models, title=None, axis=alt.Axis(labelLimit=260)),
        tooltip=[alt.Tooltip("model:N", title=_("model")),
                 alt.Tooltip("metric:N", title=_("metric")),
                 alt.Tooltip("printed:N", title=_("printed"))],
    )
    background = base.mark_rect(stroke=LIGHT["line"], strokeWidth=1).encode(
        color=alt.Color("kind:N", legend=None, scale=alt.Scale(
            domain=["missing", "unranked", "scored"],
            range=[LIGHT["background"], LIGHT["empty"], LIGHT["background"]])),
    )
    colour = base.transform_filter("datum.kind === 'scored'").mark_rect().encode(
        color=alt.Color("score:Q", title=_("score in grid (best = 100)"),
                        scale=alt.Scale(scheme="greens", domain=[0, 100]),
                        legend=alt.Legend(orient="bottom", gradientLength=200)),
    )
    # Text on a coloured cell contrasts with the cell in any theme; on an empty one, the page's.
    text = base.mark_text(fontSize=11, limit=column - 6).encode(
        text="printed:N",
        color=alt.ColorValue(value=LIGHT["text"], condition=[
            {"test": "datum.kind === 'scored' && datum.light", "value": ON_LIGHT},
            {"test": "datum.kind === 'scored'", "value": ON_DARK}]),
    )
    # A grid of years and yes/no has nothing to colour: no colour layer, no legend of scores.
    layers = [background, colour, text] if (data["kind"] == "scored").any() \
        else [background, text]
    return alt.layer(*layers).properties(
        title=_title(title, lines), width=max(column * len(metrics), 200),
        height=cell * len(models))


# --- Diffs against a baseline ----------------------------------------------------------


def diff_data(view: View, rows: Sequence[Row]) -> pd.DataFrame:
    """Each model's difference from the baseline per metric, in % of the baseline's value."""
    data = [
        {"model": row.label, "metric": column.label, "pct": cell.diff.percent,
         "verdict": cell.diff.verdict or "neutral", "label": pct(cell.diff.percent)}
        for row in rows
        for column, cell in zip(view.columns, row.cells, strict=True)
        if cell.diff is not None and cell.diff.percent is not None
    ]
    return pd.DataFrame(data, columns=["model", "metric", "pct", "verdict", "label"])


def diff_chart(data: pd.DataFrame, metrics: list[str], title: str, lines: list[str]) -> alt.Chart:
    """Diverging bars per metric, one panel per model, coloured better / worse."""
    base = alt.Chart().encode(  # no data of its own: the facet hands each panel its rows
        y=alt.Y("metric:N", sort=metrics, title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X("pct:Q", title=diff_axis(),
                axis=alt.Axis(tickCount=6)),
        tooltip=[alt.Tooltip("model:N", title=_("model")),
                 alt.Tooltip("metric:N", title=_("metric")),
                 alt.Tooltip("label:N", title=_("difference"))],
    )
    bars = base.mark_bar().encode(color=alt.Color(
        "verdict:N", title=None, legend=alt.Legend(orient="top", **_legend_labels(verdicts())),
        scale=alt.Scale(domain=["better", "worse", "level", "neutral"],
                        range=[COLORS["better"], COLORS["worse"], COLORS["level"],
                               COLORS["neutral"]])))
    # The zero line is drawn for the eye; screen readers get the bars, each named.
    rule = alt.Chart().mark_rule(color=LIGHT["muted"], aria=False).encode(
        x=alt.datum(0), y=alt.value(0), y2=alt.value("height"))
    labels = base.mark_text(fontSize=10, dx=alt.expr(
        "datum.pct >= 0 ? 4 : -4"), align=alt.expr("datum.pct >= 0 ? 'left' : 'right'")).encode(
        text="label:N")
    panel = (bars + rule + labels).properties(width=300, height=20 * max(len(metrics), 1))
    models = list(dict.fromkeys(data["model"]))
    return panel.facet(
        facet=alt.Facet("model:N", sort=models, title=None,
                        header=alt.Header(labelFontSize=13, labelFontWeight="bold")),
        columns=min(3, max(len(models), 1)), data=data, title=_title(title, lines),
    )


# --- Compare -------------------------------------------------------------------------


def compare_data(comparison) -> pd.DataFrame:
    """Each model's value per shared metric as a share of the best of them (best = 100)."""
    rows = []
    for metric in comparison.shared:
        if metric["type"] not in CHARTABLE_TYPES:
            continue  # a yes/no or a date has no length to compare
        values = [c["value"] for c in metric["cells"]]
        higher = metric["higher_is_better"]
        best = max(values) if higher is not False else min(values)
        for model, cell in zip(comparison.models, metric["cells"], strict=True):
            value = cell["value"]
            relative = (value / best * 100 if higher is not False else best / value * 100) \
                if best and value else 0.0
            rows.append({"metric": name_of(metric), "model": name_of(model),
                         "relative": relative, "printed": cell["printed"]})
    return pd.DataFrame(rows, columns=["metric", "model", "relative", "printed"])


def compare_chart(data: pd.DataFrame, models: list[str], metrics: list[str], title: str,
                  lines: list[str]) -> alt.Chart:
    """Grouped bars per shared metric, relative to the best of the models, printed values."""
    base = alt.Chart(data).encode(
        y=alt.Y("metric:N", sort=metrics, title=None, axis=alt.Axis(labelLimit=220)),
        yOffset=alt.YOffset("model:N", sort=models),
        x=alt.X("relative:Q", title=compare_axis(),
                scale=alt.Scale(domain=[0, 112])),
        tooltip=[alt.Tooltip("model:N", title=_("model")),
                 alt.Tooltip("metric:N", title=_("metric")),
                 alt.Tooltip("printed:N", title=_("printed"))],
    )
    bars = base.mark_bar().encode(color=alt.Color(
        "model:N", sort=models, title=None, legend=alt.Legend(orient="top"),
        scale=alt.Scale(scheme="tableau10")))
    labels = base.mark_text(align="left", dx=3, fontSize=10).encode(text="printed:N")
    return (bars + labels).properties(
        title=_title(title, lines), width=WIDTH, height=18 * len(models) * max(len(metrics), 1))


# --- Cost vs score -------------------------------------------------------------------


def cost_score_data(ds: Dataset, metric: str, price: str) -> pd.DataFrame:
    """Models that have both a price and a score, with the values the pages show."""
    rows = pd.concat([merged_of(ds, metric=metric), merged_of(ds, metric=price)])
    rows = rows[rows["value"].notna()]
    entries = {(e["model"], e["metric"]): e for e in with_places(ds, rows)}
    both = [m for m in dict.fromkeys(rows["model"])
            if (m, metric) in entries and (m, price) in entries]
    shown = names_of(ds.models.loc[both])
    return pd.DataFrame({
        "model": shown.tolist(),
        "score": [float(entries[(m, metric)]["value"]) for m in both],
        "price": [float(entries[(m, price)]["value"]) for m in both],
        "label": [shown[m]
                  + _disagreement(entries[(m, metric)], entries[(m, price)]) for m in both],
    }, columns=["model", "score", "price", "label"])


def _disagreement(*entries) -> str:
    """Name the other values where sources disagree: ' ⚠ also 3.29 in 表4, p. 27'."""
    others = [
        _("%(value)s in %(where)s", value=format(p["value"], "g"), where=p["where"])
        for entry in entries if entry["conflict"]
        for p in entry["places"][1:] if p["value"] is not None and p["value"] != entry["value"]
    ]
    return " " + _("⚠ also %(values)s", values="; ".join(others)) if others else ""


def cost_score(data: pd.DataFrame, score_title: str, price_title: str, title: str,
               lines: list[str], price_unit: str = "") -> alt.Chart:
    """Price (log scale) against a benchmark score, one labelled point per model."""
    base = alt.Chart(data).encode(
        x=alt.X("price:Q", title=price_title, scale=alt.Scale(type="log", nice=True),
                axis=alt.Axis(**value_axis(price_unit, []))),
        y=alt.Y("score:Q", title=score_title, scale=alt.Scale(zero=False, padding=20)),
        tooltip=[alt.Tooltip("model:N", title=_("model")),
                 alt.Tooltip("price:Q", title=_("price")),
                 alt.Tooltip("score:Q", title=_("score"))],
    )
    points = base.mark_circle(size=120, color=COLORS["other"], opacity=0.9)
    labels = base.mark_text(align="left", dx=9, fontSize=12).encode(text="label:N")
    return (points + labels).properties(title=_title(title, lines), width=WIDTH, height=360)


# --- Themes --------------------------------------------------------------------------

# The builders draw in the light theme's colours; themed() swaps each for its theme's twin.
# 'background' and 'empty' fill cells with nothing to colour, 'line' their borders.
THEMES: dict[str, dict[str, str]] = {
    "light": {"text": "#1b1f24", "muted": "#5b6470", "grid": "#e3e7eb", "background": "#ffffff",
              "line": "#d8dde3", "empty": "#eef0f3"},
    "dark": {"text": "#e6e9ed", "muted": "#9aa4b0", "grid": "#2e353d", "background": "#14171b",
             "line": "#3a424b", "empty": "#1d2228"},
}

LIGHT = THEMES["light"]


def _recoloured(node: Any, swap: dict[str, str]) -> Any:
    """A copy of a spec's tree with every colour in `swap` replaced; the data left alone."""
    if isinstance(node, dict):
        return {k: v if k in ("datasets", "data") else _recoloured(v, swap)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_recoloured(v, swap) for v in node]
    return swap.get(node, node) if isinstance(node, str) else node


def themed(spec: dict, theme: str = "light", transparent: bool = False) -> dict:
    """Return a copy of a Vega-Lite spec with the theme's colours and the background."""
    colours = THEMES[theme]
    if theme != "light":
        spec = _recoloured(spec, {LIGHT[k]: colours[k] for k in LIGHT})
    spec = dict(spec)
    config = dict(spec.get("config", {}))
    config.update({
        "font": FONT_CJK if _HAN_TEXT.search(json.dumps(spec, ensure_ascii=False)) else FONT,
        "background": None if transparent else colours["background"],
        "title": {"color": colours["text"], "subtitleColor": colours["muted"]},
        "axis": {"labelColor": colours["text"], "titleColor": colours["text"],
                 "gridColor": colours["grid"], "domainColor": colours["muted"],
                 "tickColor": colours["muted"], "labelFontSize": 12, "titleFontSize": 12},
        "legend": {"labelColor": colours["text"], "titleColor": colours["text"]},
        "header": {"labelColor": colours["text"], "titleColor": colours["text"]},
        "text": {"color": colours["text"]},
        "view": {"stroke": None},
    })
    spec["config"] = config
    if transparent:
        spec["background"] = "transparent"
    return spec


def described(spec: dict) -> dict:
    """Return a spec with a description, its name for screen readers: its title and the lines
    under it (vega-embed names a chart without one 'Vega visualization')."""
    title = spec.get("title") or {}
    if not isinstance(title, dict):
        title = {"text": title}
    subtitle = title.get("subtitle") or []
    lines = [title.get("text") or "", *([subtitle] if isinstance(subtitle, str) else subtitle)]
    return {**spec, "description": ". ".join(line for line in lines if line)}


# --- The charts a grid offers ----------------------------------------------------------

CHARTABLE_TYPES = ("number",)
FORMATS = ("json", "svg", "png", "html", "pptx")  # every chart, at one URL per format
_PREFIXES = {"bar": "bar-", "diff": "diff-vs-"}


@dataclass(frozen=True)
class ChartId:
    """One of a grid's charts: the heatmap, a metric's ranked bars, the diffs against a model.

    Its text form is its URL's: 'heatmap', 'bar-<metric>', 'diff-vs-<model>'."""

    kind: str
    subject: str | None = None  # the metric of a bar chart, the baseline of a diff chart

    def __str__(self) -> str:
        return _PREFIXES[self.kind] + str(self.subject) if self.subject else self.kind

    @classmethod
    def parse(cls, text: str) -> ChartId:
        """Read a chart id from its text; raise ValueError for one of no kind."""
        if text == "heatmap":
            return cls("heatmap")
        for kind, prefix in _PREFIXES.items():
            if text.startswith(prefix) and len(text) > len(prefix):
                return cls(kind, text[len(prefix):])
        raise ValueError(f"no chart {text!r}")


def grid_charts(ds: Dataset, grid: Grid) -> list[tuple[ChartId, str]]:
    """List the charts of a grid and their titles: a heatmap, a ranked bar per metric, a diff
    per baseline."""
    charts = [(ChartId("heatmap"),
               _("%(grid)s: every model and metric", grid=grid_title(grid)))]
    for m in grid.metrics:
        if ds.metrics.at[m.id, "type"] in CHARTABLE_TYPES:
            name = name_of(ds.metrics.loc[m.id])
            charts.append((ChartId("bar", m.id), _("%(metric)s, ranked", metric=name)
                           if ds.metrics.at[m.id, "higher_is_better"] is not None
                           else _("%(metric)s, sorted", metric=name)))
    for model in grid.models:
        charts.append((ChartId("diff", model.id), _(
            "Difference from %(model)s, per metric", model=name_of(ds.models.loc[model.id]))))
    return charts


def default_bar(ds: Dataset, view: View) -> ChartId | None:
    """The metric a grid page ranks in bars: the one the page is sorted by, else the first
    score (a 0–100 metric with a direction), else the first ranked metric, else the first
    quantity. A year or a date is never a default: its bars would only measure from year 0."""
    bars = {c.subject for c, _ in grid_charts(ds, view.grid) if c.kind == "bar"}
    shown = [c for c in view.columns if c.id in bars]
    sorted_by = view.sort[0].column if view.sort else None
    quantities = [c for c in shown if c.unit not in CALENDAR_UNITS]
    choices = [
        [c for c in shown if c.id == sorted_by],
        [c for c in quantities if c.higher_is_better is not None
         and ds.metrics.at[c.id, "scale"] is not None],
        [c for c in quantities if c.higher_is_better is not None],
        quantities,
    ]
    return next((ChartId("bar", found[0].id) for found in choices if found), None)


def chart_title(ds: Dataset, grid: Grid, chart: ChartId) -> str | None:
    """The title of one of a grid's charts; None if the grid has no such chart."""
    return dict(grid_charts(ds, grid)).get(chart)


# A chart shows at most this many models (the first in the page's order) and heatmap columns;
# a note says so. Vega-Lite's row limits never come near.
CHART_ROWS = {"heatmap": 40, "bar": 30, "diff": 9, "compare": 20}
HEATMAP_COLUMNS = 30


def chart_view(ds: Dataset, grid: Grid, chart: ChartId, query: dict) -> tuple[View, bool]:
    """The view a grid chart draws, from the page's arguments: its first rows, the bar chart's
    metric ranked, the diff chart's baseline; and whether the heatmap leaves out columns.

    Raise QueryError for an argument the grid cannot honour."""
    query = {**query, "page": 1, "per_page": CHART_ROWS[chart.kind]}
    cut = False
    if chart.kind == "heatmap" and not query.get("metrics") and len(grid.metrics) > HEATMAP_COLUMNS:
        cut = True  # when drawn, not here: the view's averages, and a sort by one, are the page's
    elif chart.kind == "bar":
        query.update(sort=chart.subject, order=None, metrics=chart.subject)
    elif chart.kind == "diff":  # a row more: the baseline's own, which has no panel
        query.update(baseline=chart.subject, per_page=CHART_ROWS["diff"] + 1)
    return grid_view(ds, grid, query), cut


def _top_note(view: View) -> str:
    shown = len(view.rows)
    if shown >= view.n_visible:
        return ""
    return _("Top %(shown)s of %(total)s models shown, in the page's order",
             shown=shown, total=format(view.n_visible, ","))


def grid_plot(ds: Dataset, view: View, chart: ChartId, cut: bool = False) -> Plot:
    """What one of a grid's charts shows, from its view (chart_view): no ranking here."""
    grid = view.grid
    title = chart_title(ds, grid, chart) or str(chart)
    source = source_line(grid)
    if chart.kind == "heatmap":
        shown = HEATMAP_COLUMNS if cut else None
        data = heatmap_data(view, shown)
        lines = (_("Colour: each metric scaled within this grid, best darkest; — not reported"),
                 _top_note(view),
                 _("First %(shown)s of %(total)s metrics shown", shown=HEATMAP_COLUMNS,
                   total=len(grid.metrics)) if cut else "",
                 source)
        if data.empty:
            return Plot("empty", title, (source,), why=_("No model matches these filters."))
        return Plot("heatmap", title, lines, data, models=tuple(r.label for r in view.rows),
                    metrics=tuple(c.label for c in view.columns[:shown]))
    if chart.kind == "bar":
        column = view.columns[0]
        missing = [r.label for r in view.all_rows() if math.isnan(r.cells[0].sort_key)]
        named = ", ".join(missing[:8])
        direction = _direction(column.higher_is_better)
        lines = (
            unit_name(column.unit) + (f" · {direction}" if direction else ""),
            _top_note(view),
            "" if not missing else _("Not reported: %(models)s", models=named)
            if len(missing) <= 8 else _("Not reported: %(models)s and %(more)s more",
                                        models=named, more=format(len(missing) - 8, ",")),
            source,
        )
        data = bar_data(view)
        if data.empty:
            return Plot("empty", title, lines, why=_("No value reported in %(source)s.",
                                                     source=grid.source.label))
        return Plot("bar", _("%(grid)s: %(metric)s", grid=grid_title(grid),
                             metric=name_of(column)),
                    lines, data,
                    axis=with_unit(name_of(column), unit_name(column.unit)), unit=column.unit,
                    missing=tuple(missing), scale=_scale(ds.metrics.at[column.id, "scale"]))
    assert view.baseline is not None
    others = [r for r in view.rows if not r.is_baseline][:CHART_ROWS["diff"]]
    n_others = view.n_visible - (view.baseline.id in view.order)
    data = diff_data(view, others)
    drawn = set(data["model"])
    apart = [r.label for r in others if r.label not in drawn]
    lines = (_("Baseline: %(model)s · ✓ better / ✗ worse by each metric's direction",
               model=name_of(view.baseline)),
             _("Top %(shown)s of %(total)s other models shown, in the page's order",
               shown=len(others), total=format(n_others, ",")) if n_others > len(others) else "",
             _("No number to compare with the baseline's: %(models)s", models=", ".join(apart))
             if apart else "",
             source)
    if data.empty:
        return Plot("empty", title, lines, why=_("No metric to compare with the baseline."))
    return Plot("diff", title, lines, data, axis=diff_axis(),
                models=tuple(dict.fromkeys(data["model"])),
                metrics=tuple(c.label for c in view.columns))


def grid_chart(ds: Dataset, view: View, chart: ChartId, cut: bool = False) -> alt.TopLevelMixin:
    """Draw one of a grid's charts from its view (chart_view)."""
    return draw(grid_plot(ds, view, chart, cut))


def metric_chart(ds: Dataset, metric: str) -> alt.TopLevelMixin:
    return draw(metric_plot(ds, metric))


def metric_plot(ds: Dataset, metric: str) -> Plot:
    """One metric across every grid that has it, best first (the metric page's leaderboard)."""
    from .tables import metric_table

    info = ds.metrics.loc[metric]
    rows = metric_table(ds, metric, 1, CHART_ROWS["bar"])
    total = len(merged_of(ds, metric=metric))
    data = pd.DataFrame([
        {"model": name_of(r), "value": r["value"],
         "printed": r["printed"] + (" ⚠" if r["conflict"] else ""),
         "role": "best" if r["rank"] == 1 else "other"}
        for r in rows if r["value"] is not None
    ], columns=["model", "value", "printed", "role"])
    places = sorted({p["where"] for r in rows for p in r["places"]})
    lines = (f"{unit_name(info['unit'])} · {_direction(info['higher_is_better'])}".strip(" ·"),
             _("Printed in: %(places)s · ⚠ sources disagree, first shown",
               places="; ".join(places[:6]) + (" …" if len(places) > 6 else "")),
             _("Top %(shown)s of %(total)s models shown", shown=len(rows), total=format(total, ","))
             if total > len(rows) else "",
             _report_line(ds))
    title = _("%(metric)s: every grid", metric=name_of(info))
    if data.empty:
        return Plot("empty", title, lines, why=_("No model has a number for this metric."))
    return Plot("bar", title, lines, data, axis=with_unit(name_of(info), unit_name(info["unit"])),
                unit=info["unit"], scale=_scale(info["scale"]))


def _report_line(ds: Dataset) -> str:
    """'Source: ' and the reports that print the data: the first three, and how many more."""
    reports = _reports(ds)
    more = len(reports) - REPORTS_NAMED
    if more > 0:
        reports = (*reports[:REPORTS_NAMED],
                   _("and %(more)s more reports", more=format(more, ",")))
    return _("Source: %(citation)s", citation="; ".join(reports))


@lru_cache(maxsize=8)
def _reports(ds: Dataset) -> tuple[str, ...]:
    """The reports that print the data, cited (data: in no interface language)."""
    printing = set(ds.results["report"].unique())
    return tuple(reference(r["publisher"], r["title"], r["date"]) for r in ds.reports.values()
                 if r["id"] in printing)


REPORTS_NAMED = 3  # a chart's source line names this many reports, then counts the rest


def compare_figure(ds: Dataset, comparison) -> alt.TopLevelMixin:
    return draw(compare_plot(ds, comparison))


def compare_plot(ds: Dataset, comparison) -> Plot:
    """The compare page's chart: the models over their shared metrics."""
    names = [name_of(m) for m in comparison.models]
    title = " vs ".join(names)
    shown = len(comparison.shared)
    lines = (_("Each metric relative to the best of these models (= 100); labels as printed"),
             _("First %(shown)s of %(total)s shared metrics shown", shown=shown,
               total=format(comparison.n_shared, ",")) if comparison.n_shared > shown else "",
             _report_line(ds))
    data = compare_data(comparison)
    if data.empty:
        return Plot("empty", title, lines, why=_("These models share no metric.") if not
                    comparison.shared else _("These models share no metric with a number."))
    return Plot("compare", title, lines, data, axis=compare_axis(), models=tuple(names),
                metrics=tuple(dict.fromkeys(data["metric"])))


def cost_score_title() -> str:
    """The title a grid page gives its chart of price against AIME 2024."""
    return _("Price vs AIME 2024 (pass@1), every grid")


def cost_score_figure(ds: Dataset, metric: str, price: str) -> alt.TopLevelMixin:
    return draw(cost_score_plot(ds, metric, price))


def cost_score_plot(ds: Dataset, metric: str, price: str) -> Plot:
    """Price against a benchmark for the models that have both."""
    score_info, price_info = ds.metrics.loc[metric], ds.metrics.loc[price]
    title = _("%(price)s vs %(score)s", price=name_of(price_info),
              score=name_of(score_info))
    lines = (_("Models with both numbers, from every grid; price on a log scale"),
             _report_line(ds))
    data = cost_score_data(ds, metric, price)
    if data.empty:
        return Plot("empty", title, lines, why=_("No model has both numbers."))
    return Plot("cost", title, lines, data,
                axis=_("%(metric)s (%(unit)s, log scale)", metric=name_of(price_info),
                       unit=unit_name(price_info["unit"])),
                unit=price_info["unit"],
                score_axis=with_unit(name_of(score_info), unit_name(score_info["unit"])))


def model_chart(ds: Dataset, model: str) -> alt.TopLevelMixin:
    chart = draw(model_plot(ds, model))
    return chart.resolve_scale(x="shared").properties(width=WIDTH) \
        if isinstance(chart, alt.LayerChart) else chart


def model_plot(ds: Dataset, model: str) -> Plot:
    """One model's results on the 0–100 metrics, in the registry's order (not ranked)."""
    rows = merged_of(ds, model=model)
    rows = rows[rows["value"].notna()]
    metric_names = names_of(ds.metrics)
    data = pd.DataFrame([
        {"model": metric_names[metric], "value": float(rows.at[(model, metric), "value"]),
         "printed": rows.at[(model, metric), "printed"]
         + (" ⚠" if rows.at[(model, metric), "conflict"] else ""),
         "role": "other"}
        for metric in ds.metrics.index
        if (model, metric) in rows.index and ds.metrics.at[metric, "scale"] is not None
    ], columns=["model", "value", "printed", "role"])
    total, data = len(data), data.head(CHART_ROWS["bar"])
    name = name_of(ds.models.loc[model])
    title = _("%(model)s: results on 0–100 metrics", model=name)
    lines = (_("Each bar is one metric, as printed; ⚠ sources disagree, first shown"),
             _("First %(shown)s of %(total)s metrics shown", shown=len(data),
               total=format(total, ","))
             if total > len(data) else "",
             _report_line(ds))
    if data.empty:
        return Plot("empty", title, lines, why=_("No result on a 0–100 metric for this model."))
    return Plot("bar", title, lines, data, axis=_("score (0–100)"), scale=(0.0, 100.0))
