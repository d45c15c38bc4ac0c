"""Slow clients against gunicorn as the Procfile starts it: is the service still answering?

Starts the Procfile's `web:` command (gunicorn.conf.py included) on a free loopback port with
LEADERBOARD_DATA_DIR=data/benchmarks, opens --sockets connections that send a request's headers
one byte every --every seconds and never finish them (one the server closes is opened again),
and meanwhile GETs /api/grids once a second. Prints each probe's latency, the maximum and how
many took over 1 s (a probe that times out after --probe-timeout counts as over). Bounded:
stops after --seconds, closes its sockets and stops the server. Loopback only.

    .venv/bin/python bench/slowclients.py                       # 200 sockets, 60 s
    .venv/bin/python bench/slowclients.py --worker-class sync   # the same with sync workers

Exits 1 if any probe took over 1 s or failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from live import Gunicorn, SlowClients, probe  # noqa: E402

LIMIT = 1.0  # seconds: a probe slower than this counts as the service not answering


def run(sockets: int, seconds: float, every: float, workers: int, worker_class: str | None,
        probe_timeout: float, quiet: bool, log: bool) -> int:
    args = ["--worker-class", worker_class] if worker_class else []
    live = Gunicorn(ROOT / "data" / "benchmarks", workers=workers, args=args).wait()
    print("command:", " ".join(live.command[2:]), flush=True)
    # The sockets stay until every probe has finished (stop() below); the bound is a safety net.
    slow = SlowClients(live.port, count=sockets, every=every,
                       seconds=seconds + probe_timeout + 10)
    try:
        slow.start()
        time.sleep(2)  # let the slow sockets connect and start trickling first
        print(f"{slow.open_now} slow sockets open; probing /api/grids every second "
              f"for {seconds:.0f} s", flush=True)
        results = probe(live.url + "/api/grids", seconds, every=1.0, timeout=probe_timeout)
    finally:
        try:
            slow.stop()
        finally:
            live.stop()
        if log:
            print(live.output())
    if not quiet:
        for offset, status, latency in results:
            print(f"  t={offset:5.1f} s  {status}  {latency * 1000:8.1f} ms")
    over = [r for r in results if r[1] != 200 or r[2] > LIMIT]
    latencies = [r[2] for r in results]
    print(f"worker class: {worker_class or 'as gunicorn.conf.py sets it'}; workers: {workers}; "
          f"slow sockets: {sockets}, a byte every {every:g} s, for {seconds:.0f} s")
    print(f"slow connections opened: {slow.opened}; closed by the server: "
          f"{slow.closed_by_server}; failed connects: {slow.failed_connects}")
    print(f"probes: {len(results)}; answered 200: {sum(r[1] == 200 for r in results)}; "
          f"max latency: {max(latencies) * 1000:.1f} ms; "
          f"median: {sorted(latencies)[len(latencies) // 2] * 1000:.1f} ms; "
          f"over {LIMIT:g} s or failed: {len(over)}")
    return 1 if over else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--every", type=float, default=2.0,
                        help="seconds between two bytes of a slow socket")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default=None,
                        help="override gunicorn.conf.py's worker class, e.g. sync or gthread")
    parser.add_argument("--probe-timeout", type=float, default=10)
    parser.add_argument("--quiet", action="store_true", help="print the summary only")
    parser.add_argument("--log", action="store_true", help="print gunicorn's log at the end")
    args = parser.parse_args()
    if not 1 <= args.sockets <= 2000 or not 0 < args.seconds <= 600:
        parser.error("bounded: 1 to 2000 sockets, at most 600 seconds")
    sys.exit(run(args.sockets, args.seconds, args.every, args.workers, args.worker_class,
                 args.probe_timeout, args.quiet, args.log))


if __name__ == "__main__":
    main()
