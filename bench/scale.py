"""How the service holds up as the data grow: 100, 1,000 and 10,000 models × 100 metrics, then
100 and 1,000 small grids (many reports).

For each size it writes a synthetic data directory (bench/synth.py: 4 grids of 25 metrics, every
model in each, 20 % not reported), starts gunicorn as the Procfile does, and reports start-up
time, peak memory per worker and the latency of the sorted grid page: the first (uncached)
request and then, with wrk, the cached page. Loopback only; bounded by the sizes.

The second table (issue 14) does the same for many small grids (bench/synth.py --many-reports:
10 models × 10 metrics a grid from shared pools, 4 grids a report): start-up, peak memory per
worker, the median of a few distinct uncached requests (each URL asked once, so the response
cache never answers) for each page the issue names, and the whole-dataset downloads. A request
has `--timeout` seconds in all ("timeout"); past gunicorn's 30 s worker timeout the worker is
killed and the connection closes ("cut"). Either way the page's other requests are skipped, so a
size stays bounded (a replaced worker's peak memory is lost with it). Each size is first validated
as a release would (`leaderboard validate` writes the snapshot start-up reads); 5,000 grids takes
a few minutes, so it is asked for, not default:

    .venv/bin/python bench/scale.py [--sizes 100 1000 10000] [--grids 100 1000 5000]
    .venv/bin/python bench/scale.py --sizes --grids 100 1000 5000   # only the many-reports table
"""

from __future__ import annotations

import argparse
import collections
import csv
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from live import Gunicorn, get  # noqa: E402
from run import wrk  # noqa: E402
from synth import write, write_many  # noqa: E402

PAGE = "/grids/synthetic-1?sort=metric-000"


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def pss_kib(pid: int) -> int:
    """A worker's proportional share of memory: its own pages, and its part of the pages it
    shares with the master and the other workers (the loaded data, after the fork). The
    workers' and the master's PSS add up to what the service takes."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
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


def timed(url: str, timeout: float) -> tuple[float | str, int]:
    """Seconds to a full 200 answer and its bytes; "timeout" past `timeout` seconds (in all),
    "cut" when the connection closed before the end (a worker killed at its 30 s timeout)."""
    started = time.perf_counter()
    size = 0
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            while chunk := response.read(1 << 20):
                size += len(chunk)
                if time.perf_counter() - started > timeout:
                    return "timeout", size
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{url}: {e.code}") from e
    except TimeoutError:
        return "timeout", size
    except urllib.error.URLError as e:
        return ("timeout" if isinstance(e.reason, TimeoutError) else "cut"), size
    except (OSError, http.client.HTTPException):  # reset, or closed in the middle of a stream
        return "cut", size
    return time.perf_counter() - started, size


def popular(data: Path) -> tuple[list[str], list[str]]:
    """The model ids by the number of grids printing them, most first; the metric ids alike."""
    models: collections.Counter[str] = collections.Counter()
    metrics: collections.Counter[str] = collections.Counter()
    for path in (data / "grids").glob("*.csv"):
        with path.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        # Labels are "Model 00012" / "Metric 0003" for the ids model-00012 / metric-0003.
        models.update({r["model"].lower().replace(" ", "-") for r in rows})
        metrics.update({r["metric"].lower().replace(" ", "-") for r in rows})
    return [m for m, _ in models.most_common()], [x for x, _ in metrics.most_common()]


def many_urls(grids: int, models: list[str], metrics: list[str], samples: int) -> dict:
    """Distinct URLs for each page measured: the response cache answers none of them."""
    pairs = [(a, b) for b in range(1, samples + 1) for a in range(b)][:samples]
    sorts = ["model", "metric", "-spread", "-model", "-metric", "spread"]
    return {
        "grid page": [f"/grids/many-{1 + g * grids // samples:05d}" for g in range(samples)],
        "model page (most printed)": [f"/models/{m}" for m in models[:samples]],
        # One metric, so the first page under several page sizes: as much work, other URLs.
        "metric page (most used)": [f"/metrics/{metrics[0]}?per_page={100 - p}"
                                    for p in range(samples)],
        "compare (two popular)": [f"/compare?models={models[a]},{models[b]}" for a, b in pairs],
        "search /?q=": [f"/?q=Model+{m[-5:]}" for m in models[:samples]],
        "/conflicts (first page)": [f"/conflicts?sort={x}" for x in sorts[:samples]],
        "/api/conflicts": ["/api/conflicts", *(f"/api/conflicts?model={m}" for m in models),
                           ][:samples],
        "/api/grids/<slug>": [f"/api/grids/many-{2 + g * grids // samples:05d}"
                              for g in range(samples)],
        "/api/models/<most printed>": [f"/api/models/{m}" for m in models[:samples]],
        "/ (the index, first page)": [f"/?per_page={100 - p}" for p in range(samples)],
    }


DOWNLOADS = ["/downloads/all.csv", "/downloads/all.json", "/downloads/all.xlsx"]
PER_GRID = ["grid page", "model page (most printed)", "metric page (most used)",
            "compare (two popular)", "/api/grids/<slug>", "/api/models/<most printed>"]


def measure_many(grids: int, workers: int, samples: int, timeout: float) -> dict:
    tmp = Path(tempfile.mkdtemp())
    try:
        data = write_many(tmp / "benchmarks", grids)
        models, metrics = popular(data)
        # The release step: validate every cell once and write the snapshot start-up reads.
        started = time.perf_counter()
        subprocess.run([str(ROOT / ".venv/bin/leaderboard"), "validate", str(data)], check=True,
                       capture_output=True)
        validate = time.perf_counter() - started
        started = time.perf_counter()
        live = Gunicorn(data, workers=workers).wait(timeout=1800)
        startup = time.perf_counter() - started
        try:
            pages = {}
            for name, urls in many_urls(grids, models, metrics, samples).items():
                times = []
                for url in urls:
                    times.append(timed(live.url + url, timeout)[0])
                    if isinstance(times[-1], str):
                        break
                pages[name] = times
            downloads = {url: timed(live.url + url, timeout) for url in DOWNLOADS}
            peaks = [peak_kib(pid) / 1024 for pid in live.workers()]
            shares = [pss_kib(pid) / 1024 for pid in live.workers()]
        finally:
            live.stop()
    finally:
        shutil.rmtree(tmp)
    return {"grids": grids, "validate": validate, "startup": startup, "peak": max(peaks),
            "pss": max(shares), "pages": pages, "downloads": downloads}


def failed(times: list[float | str]) -> str | None:
    return next((t for t in times if isinstance(t, str)), None)


def cell(times: list[float | str]) -> str:
    """The median and the slowest, in ms; "timeout" or "cut" when one did not answer."""
    if failed(times):
        return failed(times)
    return f"{statistics.median(times) * 1000:.0f} ({max(times) * 1000:.0f})"


def print_many(results: list[dict], workers: int, samples: int, timeout: float) -> None:
    print(f"\nmany reports: 10 models × 10 metrics a grid from shared pools (2G models, G/2 "
          f"metrics, long tail), 4 grids a report, 10 % of repeated cells disagreeing; "
          f"{workers} gunicorn workers; uncached ms = median (slowest) of {samples} distinct "
          f"requests; timeout = no answer in {timeout:.0f} s; cut = the connection closed before "
          "the end (the worker killed at its 30 s timeout); downloads: seconds (MB received)\n")
    small, large = results[0], results[-1]

    def row(label: str, cells: list[str], ratio: str = "") -> None:
        print(f"{label:<34}" + "".join(c.rjust(16) for c in cells) + ratio.rjust(8))

    row("", [f"{r['grids']:,} grids" for r in results], "ratio")

    def ratio(a: float | None, b: float | None) -> str:
        return f"{b / a:.1f}×" if a and b and len(results) > 1 else ""

    row("leaderboard validate s", [f"{r['validate']:.1f}" for r in results],
        ratio(small["validate"], large["validate"]))
    row("start-up s", [f"{r['startup']:.1f}" for r in results],
        ratio(small["startup"], large["startup"]))
    row("peak MiB/worker (VmHWM)", [f"{r['peak']:.0f}" for r in results],
        ratio(small["peak"], large["peak"]))
    row("MiB/worker at the end (PSS)", [f"{r['pss']:.0f}" for r in results],
        ratio(small["pss"], large["pss"]))
    for name in small["pages"]:
        med = [None if failed(r["pages"][name]) else statistics.median(r["pages"][name])
               for r in (small, large)]
        row(name + " ms", [cell(r["pages"][name]) for r in results], ratio(*med))
    for url in DOWNLOADS:
        took = [r["downloads"][url] for r in results]
        row(url + " s (MB)", [t if isinstance(t, str) else f"{t:.1f} ({size / 1e6:.1f})"
                              for t, size in took],
            ratio(*(t if isinstance(t, float) else None for t, _ in (took[0], took[-1]))))
    if len(results) > 1:
        print(f"\ncost from {small['grids']:,} to {large['grids']:,} grids (median, target ≤ 2× "
              "for a per-grid or per-model page):")
        for name in PER_GRID:
            a, b = (r["pages"][name] for r in (small, large))
            if failed(a) or failed(b):
                print(f"  {name}: {failed(a) or failed(b)}")
                continue
            x = statistics.median(b) / statistics.median(a)
            print(f"  {name}: {x:.2f}× ({'ok' if x <= 2 else 'MISSED'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000],
                        help="models in the large-grids table (none: skip it)")
    parser.add_argument("--grids", type=int, nargs="*", default=[100, 1000],
                        help="grids in the many-reports table (none: skip it); add 5000 for "
                             "the issue's target size")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--samples", type=int, default=5,
                        help="distinct uncached requests a page (many-reports table)")
    parser.add_argument("--timeout", type=float, default=60,
                        help="seconds a request of the many-reports table may take")
    args = parser.parse_args()
    if args.sizes:
        print_models(args)
    if args.grids:
        results = [measure_many(g, args.workers, args.samples, args.timeout) for g in args.grids]
        print_many(results, args.workers, args.samples, args.timeout)


def print_models(args: argparse.Namespace) -> None:
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
