"""How long the whole-dataset workbook (/downloads/all.xlsx) takes to write, and how large it is,
on synthetic data: many small grids (bench/synth.py --many-reports) and a few large ones.

    .venv/bin/python bench/workbook.py [--grids 1000] [--models 2000] [--repeat 3]

It times exports.all_xlsx of whichever `leaderboard` is first on the path, so a branch is
compared with main by running it twice:

    PYTHONPATH=/path/to/main .venv/bin/python bench/workbook.py   # before
    PYTHONPATH=$PWD .venv/bin/python bench/workbook.py            # after
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write, write_many  # noqa: E402

from leaderboard import exports  # noqa: E402
from leaderboard.data import load  # noqa: E402


def timed(directory: Path, repeat: int) -> tuple[float, int]:
    """The median seconds of all_xlsx over `repeat` runs, and the workbook's bytes."""
    ds = load(directory)
    exports.all_xlsx(ds)  # warm: views built, modules imported
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(exports.all_xlsx(ds))
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, default=1000, help="small grids (10 × 10)")
    parser.add_argument("--models", type=int, default=2000, help="models of 4 grids × 25 metrics")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"leaderboard from {exports.__file__}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, directory in (
            (f"{args.grids} grids of 10 × 10", write_many(Path(tmp) / "many", args.grids)),
            (f"4 grids of {args.models} × 25", write(Path(tmp) / "big", args.models, 100, 4)),
        ):
            seconds, size = timed(directory, args.repeat)
            print(f"{name:<28} all.xlsx {seconds:6.2f} s  {size / 1e6:6.2f} MB")


if __name__ == "__main__":
    main()
