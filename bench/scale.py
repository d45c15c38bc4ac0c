"""How the service holds up as the data grow: 100, 1,000 and 10,000 models × 100 metrics.

For each size it writes a synthetic data directory (bench/synth.py: 4 grids of 25 metrics, every
model in each, 20 % not reported), starts gunicorn as the Procfile does, and reports start-up
time, peak memory per worker and the latency of the sorted grid page: the first (uncached)
request and then, with wrk, the cached page. Loopback only; bounded by the sizes.

    .venv/bin/python bench/scale.py [--sizes 100 1000 10000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from live import Gunicorn, get  # noqa: E402
from run import wrk  # noqa: E402
from synth import write  # noqa: E402

PAGE = "/grids/synthetic-1?sort=metric-000"


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def measure(models: int, workers: int, seconds: float) -> dict:
    tmp = Path(tempfile.mkdtemp())
    try:
        data = write(tmp / "benchmarks", models=models, metrics=100, grids=4)
        started = time.perf_counter()
        live = Gunicorn(data, workers=workers).wait(timeout=900)
        startup = time.perf_counter() - started
        try:
            timings = {}
            for name, url in (("sorted page, first request", PAGE),
                              ("baseline page, first request",
                               "/grids/synthetic-1?baseline=model-00001&sort=-metric-001"),
                              ("CSV of the sorted view, first request",
                               "/grids/synthetic-1.csv?sort=metric-000")):
                t = time.perf_counter()
                status, body = get(live.url + url, timeout=120)
                assert status == 200, (url, status)
                timings[name] = time.perf_counter() - t
            wrk(live.url + PAGE, 2, 1, 4)  # concurrent warm-up: every worker caches the page
            cached = wrk(live.url + PAGE, seconds, 1, 4)
            peaks = [peak_kib(pid) / 1024 for pid in live.workers()]
        finally:
            live.stop()
    finally:
        shutil.rmtree(tmp)
    return {"models": models, "startup": startup, "peak": max(peaks), "cached": cached,
            **timings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    results = [measure(n, args.workers, args.seconds) for n in args.sizes]
    print(f"machine: {os.cpu_count()} cores; {args.workers} gunicorn workers; 100 metrics in "
          f"4 grids; sorted page = {PAGE} (100 rows a page)\n")
    print(f"{'models':>7} {'start-up s':>10} {'peak MiB/worker':>15} {'first page ms':>13} "
          f"{'baseline ms':>11} {'CSV ms':>8} {'cached p50 ms':>13} {'p99 ms':>7} {'req/s':>6}")
    for r in results:
        print(f"{r['models']:>7} {r['startup']:>10.1f} {r['peak']:>15.0f} "
              f"{r['sorted page, first request'] * 1000:>13.0f} "
              f"{r['baseline page, first request'] * 1000:>11.0f} "
              f"{r['CSV of the sorted view, first request'] * 1000:>8.0f} "
              f"{r['cached']['p50']:>13.2f} {r['cached']['p99']:>7.2f} {r['cached']['rps']:>6.0f}")
    small, large = results[0], results[-1]
    ratio = large["cached"]["p50"] / small["cached"]["p50"]
    first = large["sorted page, first request"] / small["sorted page, first request"]
    print(f"\nsorted page at {large['models']:,} vs {small['models']:,} models: cached p50 "
          f"{ratio:.2f}× (target ≤ 5×: {'ok' if ratio <= 5 else 'MISSED'}); first request "
          f"{first:.2f}× ({'within' if first <= 5 else 'over'} 5×)")


if __name__ == "__main__":
    main()
