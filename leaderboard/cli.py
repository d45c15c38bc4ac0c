"""The `leaderboard` command: `leaderboard validate [DATA_DIR]`, `leaderboard import SOURCE...`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import BUNDLED_DATA
from .data import DataError, load

DEFAULT_DATA_DIR = os.environ.get("LEADERBOARD_DATA_DIR", str(BUNDLED_DATA))


@click.group()
def main() -> None:
    """Benchmark leaderboards from research reports."""


@main.command()
@click.argument("data_dir", default=DEFAULT_DATA_DIR, type=click.Path(file_okay=False))
@click.option("--downloads/--no-downloads", "with_downloads", default=True,
              help="Also write the whole-dataset downloads (all.csv, all.json, all.xlsx).")
def validate(data_dir: str, with_downloads: bool) -> None:
    """Check a data directory; print every problem as file:row: field: message.

    Valid data are compiled into DATA_DIR/.snapshot/, which the service then loads instead of
    validating every file again, for as long as the files and the code are these; the
    whole-dataset downloads are written there too, and sent as they are."""
    from . import snapshot

    try:
        ds, unwritten = snapshot.make(data_dir)
    except DataError as e:
        for problem in e.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(e.problems)} problem(s) in {data_dir}", err=True)
        sys.exit(1)
    click.echo(
        f"ok: {data_dir}: {len(ds.grids)} grids, {len(ds.models)} models, "
        f"{len(ds.metrics)} metrics, {len(ds.results)} cells, {len(ds.conflicts)} conflicts "
        f"(data version {ds.version})"
    )
    if unwritten is not None:
        click.echo(f"snapshot not written (start-up will validate every file): {unwritten}",
                   err=True)
    elif with_downloads:
        _write_downloads(ds)


def _write_downloads(ds) -> None:
    from flask import Flask

    from . import TEMPLATES, configure_json, downloads
    from .http import etag_of

    app = Flask("leaderboard")
    configure_json(app)
    try:
        where = downloads.write(ds, etag_of(ds.version, TEMPLATES), app.json.dumps)
    except OSError as e:
        click.echo(f"downloads not written (they will be built on request): {e}", err=True)
    else:
        click.echo(f"downloads written: {where}")


@main.command("import")
@click.argument("sources", nargs=-1, required=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write <slug>.yaml + <slug>.csv per table, models.yaml, metrics.yaml here.")
@click.option("--check", "check_slug", help="Compare with this grid of the data, cell by cell.")
@click.option("--pages", help="PDF pages to read, e.g. 13-15.")
@click.option("--report", help="The report id the tables belong to (reports.yaml).")
@click.option("--data", "data_dir", default=DEFAULT_DATA_DIR, type=click.Path(file_okay=False),
              help="The data directory whose registries the labels are resolved against.")
@click.option("--map", "maps", multiple=True, metavar="LABEL=ID",
              help="Settle a label: this printed label is this registry id (repeatable).")
@click.option("--map-file", type=click.File(encoding="utf-8"),
              help="A file of LABEL=ID lines, like --map.")
@click.option("--models-as", type=click.Choice(["rows", "columns"]),
              help="Where the models are, when the importer cannot tell.")
@click.option("--page", type=click.IntRange(min=1), help="The page the tables are printed on.")
@click.option("--all", "everything", is_flag=True,
              help="Import tables whose labels the registries do not know too.")
def import_(sources, out_dir, check_slug, pages, report, data_dir, maps, map_file, models_as,
            page, everything) -> None:
    """Turn the tables of published sources (markdown, HTML, CSV/TSV, XLSX, PDF, - for
    standard input) into grid files, every label resolved against the registries."""
    from . import importing

    try:
        ds = load(data_dir)
        lines = [line for line in (map_file.read().splitlines() if map_file else [])
                 if line.strip() and not line.lstrip().startswith("#")]
        mapping = importing.parse_mapping([*lines, *maps])
        if check_slug is not None:
            if check_slug not in ds.grids:
                raise importing.SourceError(f"check: there is no grid {check_slug!r}")
            report = ds.grids[check_slug].source.report
        result = importing.run(
            [_read(s) for s in sources], ds, report, importing.parse_pages(pages), mapping,
            models_as, page, everything)
    except (importing.SourceError, OSError) as e:
        raise click.ClickException(str(e)) from e
    except DataError as e:
        raise click.ClickException(f"{data_dir}: {e}") from e
    for line in result.review():
        click.echo(line)
    if check_slug is not None:
        sys.exit(_check(result, ds, check_slug))
    if out_dir is None:
        click.echo("(nothing written: give --out DIR)")
        return
    for path in _write(result, Path(out_dir)):
        click.echo(f"wrote {path}")


def _read(source: str) -> tuple[bytes, str]:
    if source == "-":
        return sys.stdin.buffer.read(), "-"  # click.get_binary_stream is deprecated
    return Path(source).read_bytes(), Path(source).name


def _check(result, ds, slug: str) -> int:
    """Compare the table printed under the grid's label with the grid; 1 if anything differs."""
    from .importing import output

    grid = ds.grids[slug]
    layouts = [layout for layout in result.grids
               if output.caption_label(layout.table.caption) == grid.source.label]
    if not layouts:
        click.echo(f"check: no table captioned {grid.source.label} in the source", err=True)
        return 1
    problems = output.check(layouts[0], ds, grid)
    for problem in problems:
        click.echo(f"differs: {problem}")
    cells = len(grid.models) * len(grid.metrics)
    click.echo(f"{slug}: {len(problems)} differing of {cells} cells "
               f"({grid.source.label}, {layouts[0].table.where})")
    return 1 if problems else 0


def _write(result, out: Path):
    out.mkdir(parents=True, exist_ok=True)
    for name, text in result.output_files():
        (out / name).write_text(text, encoding="utf-8")
        yield out / name


if __name__ == "__main__":
    main()
