"""A burst of expensive, all-different drawings while a probe asks for /api/grids every second.

    .venv/bin/python bench/burst.py [--requests 18] [--seconds 30]

Starts gunicorn as the Procfile does (loopback, a free port), sends --requests deck requests
at once, each a different view (a different `metrics=` choice of 图5's grid at 2400 × 2400, so
no cache helps), and probes /api/grids once a second meanwhile. Prints how the drawings were
answered (200 drawn, 503 come back later) and the probe's latencies. Bounded in count and time;
loopback only; stops the server.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from live import Gunicorn  # noqa: E402

from leaderboard import ROOT  # noqa: E402

METRICS = ["mmlu-pass1", "mmlu-redux-em", "mmlu-pro-em", "drop-3shot-f1", "ifeval-prompt-strict",
           "gpqa-diamond-pass1", "simpleqa-correct", "frames-acc"]


def fetch(url: str, timeout: float = 120) -> tuple[int, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError:
        status = 0
    return status, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=18)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    live = Gunicorn(ROOT / "data" / "benchmarks").wait()
    try:
        choices = itertools.islice(itertools.combinations(METRICS, 3), args.requests)
        urls = [f"{live.url}/charts/r1-vs-frontier/deck.pptx?width=2400&height=2400"
                f"&metrics={','.join(c)}" for c in choices]
        drawings: list[tuple[int, float]] = []
        threads = [threading.Thread(target=lambda u=u: drawings.append(fetch(u))) for u in urls]
        probes: list[tuple[int, float]] = []
        start = time.perf_counter()
        for t in threads:
            t.start()
        while time.perf_counter() - start < args.seconds:
            probes.append(fetch(f"{live.url}/api/grids", timeout=60))
            time.sleep(max(0.0, 1 - probes[-1][1]))
        for t in threads:
            t.join(timeout=120)
    finally:
        live.stop()
    statuses = sorted({s for s, _ in drawings})
    print(f"{len(urls)} different decks at once (2 workers): " + ", ".join(
        f"{sum(1 for s, _ in drawings if s == status)} answered {status}" for status in statuses))
    for status in statuses:
        times = sorted(t for s, t in drawings if s == status)
        print(f"  {status}: fastest {times[0]:.2f} s, slowest {times[-1]:.2f} s")
    latencies = sorted(t for _, t in probes)
    print(f"probe /api/grids: {len(probes)} in {args.seconds:g} s, "
          f"{sum(1 for s, _ in probes if s == 200)} answered 200; "
          f"median {latencies[len(latencies) // 2]:.2f} s, max {latencies[-1]:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
