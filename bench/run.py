"""The benchmark: our hot endpoints against the ceiling of the stack and against Datasette.

One run, loopback only, bounded in time. It starts
- the service under gunicorn (fixed worker count), with the ceiling endpoint of
  bench/ceiling.py added: a constant body of the sorted grid page's size, through the same
  gunicorn + Flask stack;
- Datasette (with datasette-gunicorn, the same worker count) on a SQLite copy of the same grid;
then measures each URL with wrk and prints requests/s, p50/p99 and the ratios, all from the
same run because the machine is noisy. It also times cold chart renders.

    .venv/bin/python bench/run.py            # or: make bench
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from live import Gunicorn, free_port, get  # noqa: E402

from leaderboard.data import load  # noqa: E402

GRID = "r1-vs-frontier"
SORT = "aime-2024-pass1"


def wrk(url: str, seconds: float, threads: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"errors from {url}:\n{out}")

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {"rps": rps, "p50": ms("50%"), "p99": ms("99%")}


def grid_database(path: Path) -> str:
    """The grid as one SQLite table, one row per model, one column per metric."""
    ds = load(ROOT / "data" / "benchmarks")
    frames = ds.frames[GRID]
    grid = ds.grids[GRID]
    columns = [m.id.replace("-", "_") for m in grid.metrics]
    with sqlite3.connect(path) as db:
        typed = ", ".join(c + " real" for c in columns)
        db.execute(f"create table grid (model text primary key, {typed})")
        for entry in grid.models:
            values = [None if v != v else v for v in frames.values.loc[entry.id]]
            db.execute(f"insert into grid values ({', '.join('?' * (len(columns) + 1))})",
                       [entry.label, *values])
    return SORT.replace("-", "_")


class Datasette:
    def __init__(self, database: Path, workers: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "datasette"), "gunicorn", "-i", str(database),
             "--workers", str(workers), "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.url + "/-/versions.json", timeout=2)[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError("datasette did not start")

    def stop(self) -> None:
        os.killpg(self.process.pid, 15)
        self.process.wait(timeout=15)


def cold_png(url: str) -> list[float]:
    """Seconds for charts no worker has drawn yet (each URL is new), after warm-up."""
    times = []
    for metric in ("mmlu-pass1", "drop-3shot-f1", "gpqa-diamond-pass1", "frames-acc",
                   "codeforces-rating"):
        started = time.perf_counter()
        status, _ = get(f"{url}/charts/{GRID}/bar-{metric}.png", timeout=30)
        assert status == 200
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/run.py needs wrk: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp())
    column = grid_database(tmp / "grids.db")
    # The Procfile's command serving bench/ceiling.py's app: gunicorn serves the first app its
    # command line names, and `args` come before the Procfile's.
    ours = Gunicorn(ROOT / "data" / "benchmarks", workers=args.workers,
                    args=["--pythonpath", str(ROOT / "bench"), "ceiling:create_app()"]).wait()
    peer = Datasette(tmp / "grids.db", args.workers)
    try:
        page = f"/grids/{GRID}?sort={SORT}"
        size = len(get(ours.url + page)[1])
        urls = {
            "sorted grid page": ours.url + page,
            "grid page with a baseline": ours.url + f"/grids/{GRID}?baseline=deepseek-v3",
            "CSV of the sorted view": ours.url + f"/grids/{GRID}.csv?sort={SORT}",
            "JSON API": ours.url + f"/api/grids/{GRID}",
            "warm chart PNG": ours.url + f"/charts/{GRID}/bar-{SORT}.png",
            "ceiling (constant body)": ours.url + f"/_bench/constant?bytes={size}",
            "Datasette sorted table page": peer.url + f"/grids/grid?_sort_desc={column}",
            "Datasette CSV": peer.url + f"/grids/grid.csv?_sort_desc={column}",
        }
        for url in urls.values():  # warm every worker of both services
            for _ in range(20 * args.workers):
                assert get(url)[0] == 200, url
        cold = cold_png(ours.url)
        # Rounds interleave the endpoints so a noisy moment hits all of them alike; each
        # figure is the median of its rounds.
        rounds = [{name: wrk(url, args.seconds, args.threads, args.connections)
                   for name, url in urls.items()} for _ in range(args.rounds)]
        results = {
            name: {k: sorted(r[name][k] for r in rounds)[len(rounds) // 2]
                   for k in ("rps", "p50", "p99")}
            for name in urls
        }
    finally:
        ours.stop()
        peer.stop()
        shutil.rmtree(tmp)

    print(f"machine: {os.cpu_count()} cores; {args.workers} gunicorn workers each; wrk "
          f"-t{args.threads} -c{args.connections} -d{args.seconds:g}s, median of {args.rounds} "
          f"interleaved rounds; grid page {size} bytes\n")
    print(f"{'endpoint':30} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for name, r in results.items():
        print(f"{name:30} {r['rps']:9.0f} {r['p50']:8.2f} {r['p99']:8.2f}")
    ceiling = results["ceiling (constant body)"]["rps"]
    print("\nratio                                   measured  target")
    checks = [
        (f"{name} / ceiling", results[name]["rps"] / ceiling, 0.7)
        for name in ("sorted grid page", "grid page with a baseline", "CSV of the sorted view",
                     "JSON API", "warm chart PNG")
    ] + [
        ("sorted grid page / Datasette page",
         results["sorted grid page"]["rps"] / results["Datasette sorted table page"]["rps"], 10),
        ("CSV / Datasette CSV",
         results["CSV of the sorted view"]["rps"] / results["Datasette CSV"]["rps"], 2),
    ]
    for label, value, target in checks:
        print(f"{label:38} {value:8.2f}  ≥ {target:<4g} {'ok' if value >= target else 'MISSED'}")
    print(f"\ncold chart PNG (5 charts never drawn before, after warm-up): "
          f"median {sorted(cold)[2]:.2f} s, max {max(cold):.2f} s (target ≤ 0.5 s) "
          f"{'ok' if max(cold) <= 0.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
