"""What an import produces: the grid files, the proposed registry entries, the review, and the
cell-by-cell comparison with a grid the data directory already holds."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from ..data import Dataset, Grid
from .identity import AMBIGUOUS, MATCHED, PROPOSED, slugify
from .layout import COLUMNS, Layout
from .values import NOT_REPORTED

_LABEL = re.compile(r"^\s*(图|表|Table|Tab\.|Figure|Fig\.)\s*(\d+)", re.IGNORECASE)
_KIND = {"图": "fig", "表": "table", "table": "table", "tab.": "table", "figure": "fig",
         "fig.": "fig"}


def caption_label(caption: str | None) -> str | None:
    """The figure or table label a caption begins with: '图4', '表4', 'Table 4'."""
    match = _LABEL.match(caption or "")
    return None if match is None else (match[1] + match[2] if match[1] in "图表"
                                       else f"{match[1]} {match[2]}")


def slug_for(layout: Layout, prefix: str, n: int) -> str:
    """A grid slug: the prefix and the caption's label (fig-4, table-4), else the table's number."""
    match = _LABEL.match(layout.table.caption or "")
    tail = f"{_KIND[match[1].casefold()]}-{match[2]}" if match else f"table-{n}"
    return "-".join(p for p in (slugify(prefix) if prefix else "", tail) if p)


@dataclass(frozen=True)
class GridFiles:
    slug: str
    yaml: str
    csv: str


# libyaml's emitter where PyYAML has it: several times faster, and every string it writes reads
# back the same (the pure-Python emitter's do not when they hold a NEL or a line separator).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def yaml_text(data: Any, width: int = 100) -> str:
    """`data` as a YAML file of the data directory: keys in order, text as written."""
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=width)


def grid_files(layout: Layout, slug: str, report: str, page: int) -> GridFiles:
    """The grid's YAML and cells CSV in data/benchmarks' format."""
    table = layout.table
    title = re.sub(r"^\s*\S+?\s*[:：|]\s*", "", table.caption) if table.caption else slug
    grid: dict[str, Any] = {
        "title": title, "title_en": title, "caption": table.caption or title,
        "source": {"report": report, "label": caption_label(table.caption) or table.where,
                   "page": page, "cited": table.cited},
    }
    if layout.models_as == COLUMNS:
        grid["layout"] = "metrics-as-rows"
    have = {(c.model, c.metric) for c in layout.cells}
    if len(have) < len(layout.models) * len(layout.metrics):
        grid["sparse"] = True
    grid["models"] = [{"label": m.label, "id": m.resolution.id or slugify(m.label)}
                      for m in layout.models]
    grid["metrics"] = [{"label": m.label, "id": m.resolution.id or slugify(m.label),
                        **({"band": m.band} if m.band else {})} for m in layout.metrics]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["model", "metric", "printed", "value", "bold", "note"])
    for c in layout.cells:
        writer.writerow([c.model, c.metric, c.printed, _value_text(c.value),
                         "true" if c.bold else "", c.note or ""])
    return GridFiles(slug, yaml_text(grid), out.getvalue())


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.12g}"
    return str(value)


# --- Proposed registry entries ----------------------------------------------------------

_ORGANISATIONS = (("deepseek", "DeepSeek"), ("gpt", "OpenAI"), ("openai", "OpenAI"),
                  ("o1", "OpenAI"), ("o3", "OpenAI"), ("claude", "Anthropic"),
                  ("llama", "Meta"), ("qwen", "Alibaba (Qwen)"), ("qwq", "Alibaba (Qwen)"),
                  ("gemini", "Google"), ("mistral", "Mistral AI"))


def proposed_models(layouts: list[Layout]) -> list[dict[str, Any]]:
    """Registry entries for the models the importer proposes (each once), with the attributes
    the tables print for them."""
    out: dict[str, dict[str, Any]] = {}
    for layout in layouts:
        attributes = {(a.model, a.field): a.printed for a in layout.attributes}
        for m in layout.models:
            entry_id = m.resolution.id  # None only before a Resolver proposes one
            if m.resolution.status == MATCHED or entry_id is None or entry_id in out:
                continue
            organisation = next((org for prefix, org in _ORGANISATIONS
                                 if m.label.casefold().startswith(prefix)), "unknown")
            entry = {"id": entry_id, "name": m.label, "organisation": organisation}
            for field in ("architecture", "active_params", "total_params"):
                if (m.label, field) in attributes:
                    entry[field] = attributes[(m.label, field)]
            entry["note"] = (f"Proposed on import from {layout.table.caption or layout.table.where}"
                             "; organisation guessed from the name: check it."
                             + _candidates(m.resolution))
            out[entry_id] = entry
    return list(out.values())


def _candidates(resolution) -> str:
    if resolution.status != AMBIGUOUS:
        return ""
    return (" Ambiguous: it may be " + " or ".join(resolution.candidates)
            + " — if so, import again with --map.")


def proposed_metrics(layouts: list[Layout]) -> list[dict[str, Any]]:
    """Registry entries for the metrics the importer proposes, with a guessed unit and scale."""
    out: dict[str, dict[str, Any]] = {}
    for layout in layouts:
        for m in layout.metrics:
            entry_id = m.resolution.id
            if m.resolution.status == MATCHED or entry_id is None or entry_id in out:
                continue
            numbers = [c.value for c in layout.cells if c.metric == m.label
                       and isinstance(c.value, float)]
            label, _, qualifier = m.label.partition("), ")  # 'MMLU (Acc.), 5-shot'
            benchmark, _, measure = (f"{label})" if qualifier else label).partition(" (")
            measure = ", ".join(filter(None, [measure.rstrip(")"), qualifier]))
            percent = bool(numbers) and all(0 <= v <= 100 for v in numbers)
            out[entry_id] = {
                "id": entry_id, "name": m.label, "benchmark": benchmark.strip() or m.label,
                "measure": measure or "score", "unit": "%" if percent else "score",
                **({"scale": [0, 100]} if percent else {}), "higher_is_better": True,
                "category": m.band or "Other",
            }
    return list(out.values())


# --- Review -------------------------------------------------------------------------------


def review(layouts: list[Layout], slugs: dict[int, str]) -> Iterator[str]:
    """The lines of the review: each table found, its shape, and every label's resolution."""
    for n, layout in enumerate(layouts, start=1):
        table = layout.table
        rows, columns = table.shape
        head = f"table {n}: {table.caption or '(no caption)'} — {table.where}, {rows} × {columns}"
        if not layout.is_grid:
            yield f"{head}: left out ({layout.why_not})"
            continue
        yield (f"{head} → {slugs[n]}: {len(layout.models)} models as {layout.models_as} × "
               f"{len(layout.metrics)} metrics, {len(layout.cells)} cells")
        for kind, entries in (("model", layout.models), ("metric", layout.metrics)):
            for e in entries:
                r = e.resolution
                target = r.id if r.status != AMBIGUOUS else (
                    f"{r.id} (new) — candidates: " + ", ".join(r.candidates))
                yield f"  {kind:<6} {r.status:<9} {e.label!r} → {target}: {r.how}"
        for a in layout.attributes:
            yield f"  attribute {a.model!r}: {a.field} = {a.printed!r}"
        for why in layout.left_out:
            yield f"  left out: {why}"


def counts(layouts: list[Layout]) -> dict[str, int]:
    statuses = [e.resolution.status for layout in layouts if layout.is_grid
                for e in layout.models + layout.metrics]
    return {s: statuses.count(s) for s in (MATCHED, AMBIGUOUS, PROPOSED)}


# --- Check against a grid the data already hold ----------------------------------------


def check(layout: Layout, ds: Dataset, grid: Grid) -> list[str]:
    """Every difference between an imported table and a grid: labels resolved to other ids,
    cells printed, valued or set in bold differently, cells only one of them has."""
    problems = []
    models = {m.label: m.resolution.id for m in layout.models}
    metrics = {m.label: m.resolution.id for m in layout.metrics}
    for kind, resolved, entries in (("model", models, grid.models),
                                    ("metric", metrics, grid.metrics)):
        expected = {e.label: e.id for e in entries}
        for label, found in resolved.items():
            if expected.get(label) != found:
                problems.append(f"{kind} {label!r}: resolved to {found}, the grid has "
                                f"{expected.get(label, 'no such label')}")
    frames = ds.frames[grid.slug]
    imported = {(models[c.model], metrics[c.metric]): c for c in layout.cells}
    for model in grid.models:
        for metric in grid.metrics:
            cell = imported.pop((model.id, metric.id), None)
            printed = frames.printed.at[model.id, metric.id]
            if cell is None:
                if printed is not None:
                    problems.append(f"{model.label} × {metric.label}: not in the table")
                continue
            problems += _cell_problems(cell, printed, frames.raw.at[model.id, metric.id],
                                       bool(frames.bold.at[model.id, metric.id]))
    problems += [f"{c.model} × {c.metric}: not in the grid" for c in imported.values()]
    return problems


def _cell_problems(cell, printed: str | None, raw: Any, bold: bool) -> list[str]:
    where = f"{cell.model} × {cell.metric}"
    out = []
    if cell.printed != (printed or "") and not (cell.printed in NOT_REPORTED and printed == "-"):
        out.append(f"{where}: printed {cell.printed!r}, the grid has {printed!r}")
    if not _same_value(cell.value, raw):
        out.append(f"{where}: value {cell.value!r}, the grid has {raw!r}")
    if cell.bold != bold:
        out.append(f"{where}: bold {cell.bold}, the grid has {bold}")
    return out


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, int | float) and not isinstance(b, bool):
        return abs(a - b) <= 1e-9 * max(1.0, abs(b))
    return a == b
