"""The `leaderboard` command: `leaderboard validate [DATA_DIR]`."""

from __future__ import annotations

import os
import sys

import click

from . import ROOT
from .data import DataError, load

DEFAULT_DATA_DIR = os.environ.get("LEADERBOARD_DATA_DIR", str(ROOT / "data" / "benchmarks"))


@click.group()
def main() -> None:
    """Benchmark leaderboards from research reports."""


@main.command()
@click.argument("data_dir", default=DEFAULT_DATA_DIR, type=click.Path(file_okay=False))
def validate(data_dir: str) -> None:
    """Check a data directory; print every problem as file:row: field: message."""
    try:
        ds = load(data_dir)
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


if __name__ == "__main__":
    main()
