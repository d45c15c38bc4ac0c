"""A bounded load run on loopback: a mix of pages, CSVs, API calls and warm chart PNGs.

Starts gunicorn (as the Procfile does) on a free loopback port, sends a fixed number of
requests from a few client threads, and reports errors, throughput, latency and the workers'
memory after warm-up and at the end. Stops by itself: --requests and --max-seconds bound it.

    .venv/bin/python bench/load.py --requests 50000
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from live import Gunicorn  # noqa: E402

MIX = [
    "/",
    "/grids/r1-vs-frontier?sort=aime-2024-pass1",
    "/grids/r1-distilled?baseline=o1-mini&sort=-codeforces-rating",
    "/grids/cost-and-scale?average=yes",
    "/grids/r1-vs-frontier.csv?sort=aime-2024-pass1&baseline=deepseek-v3",
    "/grids/cost-and-scale.csv?format=long",
    "/api/grids/r1-vs-frontier",
    "/api/models/deepseek-r1",
    "/api/compare?models=deepseek-r1,o1-mini",
    "/models/deepseek-r1",
    "/metrics/aime-2024-pass1",
    "/compare?models=deepseek-r1,openai-o1-1217,o1-mini",
    "/charts/r1-distilled/bar-aime-2024-pass1.png",
    "/charts/r1-vs-frontier/heatmap.png",
    "/charts/cost-vs-score.png",
    "/downloads/all.csv",
]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Client(threading.Thread):
    def __init__(self, port: int, urls, count: int, deadline: float):
        super().__init__(daemon=True)
        self.port, self.urls, self.count, self.deadline = port, urls, count, deadline
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def run(self) -> None:
        for _ in range(self.count):
            if time.monotonic() > self.deadline:
                self.errors.append("time limit reached")
                return
            url = next(self.urls)
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("GET", url)
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status != 200:
                    self.errors.append(f"{response.status} {url}")
            except OSError as e:
                self.errors.append(f"{type(e).__name__} {url}")
            self.latencies.append(time.perf_counter() - started)


def run(requests: int, concurrency: int, workers: int, max_seconds: float) -> int:
    live = Gunicorn(ROOT / "data" / "benchmarks", workers=workers).wait()
    lock = threading.Lock()
    cycle = itertools.cycle(MIX)

    class Urls:
        def __next__(self):
            with lock:
                return next(cycle)

    try:
        port = live.port
        deadline = time.monotonic() + max_seconds
        warm = [Client(port, Urls(), 50 * len(MIX) // concurrency, deadline)
                for _ in range(concurrency)]
        for c in warm:
            c.start()
        for c in warm:
            c.join()
        pids = sorted(live.workers())
        before = {pid: rss_kib(pid) for pid in pids}
        clients = [Client(port, Urls(), requests // concurrency, deadline)
                   for _ in range(concurrency)]
        started = time.perf_counter()
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        elapsed = time.perf_counter() - started
        after = {pid: rss_kib(pid) for pid in pids if Path(f"/proc/{pid}").exists()}
        latencies = sorted(x for c in clients for x in c.latencies)
        errors = [e for c in clients for e in c.errors]
        done = len(latencies)
        print(f"machine: {os.cpu_count()} cores; gunicorn workers: {workers}; "
              f"client threads: {concurrency}")
        print(f"requests: {done} in {elapsed:.1f} s = {done / elapsed:.0f} req/s; "
              f"errors: {len(errors)}")
        print(f"latency: p50 {statistics.median(latencies) * 1000:.1f} ms, "
              f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} ms")
        for pid in pids:
            grew = (after.get(pid, 0) - before[pid]) / before[pid] * 100
            print(f"worker {pid}: RSS after warm-up {before[pid] / 1024:.1f} MiB, "
                  f"after the run {after.get(pid, 0) / 1024:.1f} MiB ({grew:+.1f} %)")
        if errors:
            print("first errors:", errors[:5])
        restarted = set(pids) != live.workers()
        if restarted:
            print("a worker was restarted during the run")
        return 1 if errors or restarted else 0
    finally:
        live.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=600)
    args = parser.parse_args()
    sys.exit(run(args.requests, args.concurrency, args.workers, args.max_seconds))


if __name__ == "__main__":
    main()
