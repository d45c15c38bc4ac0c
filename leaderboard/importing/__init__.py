"""Import published tables: read a source into raw tables, lay each out as a grid, tie its
labels to the registries, and write the files of data/benchmarks/."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data import Dataset
from . import output
from .identity import Registry, Resolver, slugify
from .layout import Layout, lay_out
from .markdown import read_source
from .raw import SourceError

__all__ = ["Import", "SourceError", "run", "parse_pages", "parse_mapping"]

_COMMENT_SOURCE = re.compile(r"source:\s*(?P<repo>[^,\n]+),\s*(?P<file>\S+) at commit\s+"
                             r"(?P<commit>[0-9a-f]{7,40})(?:.*?(?P<date>\d{4}-\d{2}-\d{2}))?")


@dataclass
class Import:
    """Everything one import found and proposes."""

    layouts: list[Layout]
    slugs: dict[int, str] = field(default_factory=dict)  # table number -> grid slug
    files: list[output.GridFiles] = field(default_factory=list)
    models: list[dict[str, Any]] = field(default_factory=list)
    metrics: list[dict[str, Any]] = field(default_factory=list)
    report: dict[str, Any] | None = None  # a proposed report entry, when the data lack it

    @property
    def grids(self) -> list[Layout]:
        return [layout for layout in self.layouts if layout.is_grid]

    def output_files(self) -> list[tuple[str, str]]:
        """Name and text of every file the import writes, in order: `<slug>.yaml` and
        `<slug>.csv` per grid, then `models.yaml`, `metrics.yaml` and `reports.yaml` (the
        command's --out and the /import page's zip)."""
        files = []
        for grid in self.files:
            files += [(f"{grid.slug}.yaml", grid.yaml), (f"{grid.slug}.csv", grid.csv)]
        for name, entries in (("models", self.models), ("metrics", self.metrics),
                              ("reports", [self.report] if self.report else [])):
            files.append((f"{name}.yaml",
                          output.yaml_text(entries, width=80)))
        return files

    def review(self) -> list[str]:
        lines = list(output.review(self.layouts, self.slugs))
        counts = output.counts(self.layouts)
        lines.append(f"{len(self.layouts)} table(s) found, {len(self.grids)} imported; labels: "
                     + ", ".join(f"{n} {status}" for status, n in counts.items()))
        return lines


def parse_pages(text: str | None) -> tuple[int, int] | None:
    """'13-15' or '13' as a 1-based inclusive page range."""
    if not text:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", text)
    if match is None or int(match[1]) < 1 or int(match[2] or match[1]) < int(match[1]):
        raise SourceError(f"pages: {text!r} is not a page range like 13-15")
    return int(match[1]), int(match[2] or match[1])


def parse_mapping(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`LABEL=ID` settlements, from --map options or a mapping file's lines."""
    out = {}
    for item in items:
        label, sep, target = item.rpartition("=")
        if not sep or not label.strip() or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*",
                                                            target.strip()):
            raise SourceError(f"map: {item!r} is not LABEL=ID (an id like deepseek-v3-base)")
        out[label.strip()] = target.strip()
    return out


def run(sources: list[tuple[bytes, str]], ds: Dataset | None, report: str | None = None,
        pages: tuple[int, int] | None = None, mapping: dict[str, str] | None = None,
        models_as: str | None = None, page: int | None = None, everything: bool = False,
        check: Callable[[int, int], None] | None = None) -> Import:
    """Import every table of `sources` ((bytes, name) pairs) against the data `ds`; `check`
    sees how many tables and cells each source holds before they are laid out (and may refuse
    them): a markdown source's are counted before its cells are read."""
    resolver = Resolver(Registry(ds), report, mapping)
    found = []
    for data, name in sources:
        tables = read_source(data, name, pages, check)
        if check is not None:
            check(len(tables), sum(rows * columns for rows, columns in (t.shape for t in tables)))
        for table in tables:
            layout = lay_out(table, resolver, models_as)
            if everything and not layout.is_grid and layout.cells:
                layout.is_grid = True
            found.append(layout)
    result = Import(found)
    report_id = report or slugify(Path(sources[0][1]).stem if sources else "imported")
    if ds is None or report_id not in ds.reports:
        result.report = _proposed_report(report_id, sources)
    taken = set(ds.grids) if ds is not None else set()
    for n, layout in enumerate(found, start=1):
        if not layout.is_grid:
            continue
        slug = _unique(output.slug_for(layout, report_id, n), taken)
        result.slugs[n] = slug
        result.files.append(output.grid_files(layout, slug, report_id, _page(layout, page)))
    result.models = output.proposed_models(result.grids)
    result.metrics = output.proposed_metrics(result.grids)
    return result


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _page(layout: Layout, page: int | None) -> int:
    match = re.match(r"page (\d+)", layout.table.where)
    return int(match[1]) if match else page or 1


def _proposed_report(report_id: str, sources: list[tuple[bytes, str]]) -> dict[str, Any]:
    """A report entry for the sources: from a `source: repo, file at commit …` comment when
    the file has one (as the published tables in shared sources do), else placeholders."""
    text = sources[0][0][:4000].decode("utf-8", "replace") if sources else ""
    found = _COMMENT_SOURCE.search(text)
    if found:
        title = f"{found['repo'].strip()} {found['file']} at {found['commit'][:7]}"
        publisher = found["repo"].split("/")[0].strip()
        date = found["date"] or str(datetime.date.today())
    else:
        title = sources[0][1] if sources else report_id
        publisher, date = "unknown", str(datetime.date.today().year)
    return {"id": report_id, "title": title, "title_en": title, "publisher": publisher,
            "publisher_en": publisher, "date": date}
