"""Every chart × every format at the largest size the service allows, each drawn cold: how long
one request holds a worker (docs/performance.md, "Work budget").

    .venv/bin/python bench/budget.py [--limit 5] [--only heatmap,deck]

Each URL is asked for once on a fresh app (nothing cached) at width=2400&height=2400 and the
largest scale that is allowed for it (4, or the one a 400 names); decks at the same size.
Prints the slowest of each kind and format, and exits 1 if any request took over --limit s.
In-process (Flask's test client), single-threaded: the time is one worker's.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from leaderboard import ROOT, charts, create_app  # noqa: E402
from leaderboard.chart_views import warm_up  # noqa: E402

SIZE = "width=2400&height=2400"
FORMATS = ("json", "svg", "png", "html", "pptx")


def chart_urls(ds) -> list[tuple[str, str]]:
    """(kind, URL without format) for every chart the service offers."""
    urls = [(c["id"].split("-")[0], f"/charts/{slug}/{c['id']}")
            for slug, grid in ds.grids.items() for c in charts.grid_charts(ds, grid)]
    urls += [("metric", f"/charts/metrics/{m}") for m in ds.metrics.index]
    urls += [("model", f"/charts/models/{m}") for m in ds.models.index]
    urls += [("compare", "/charts/compare"), ("cost", "/charts/cost-vs-score")]
    return urls


def timed(client, url: str) -> tuple[float, int, bytes]:
    start = time.perf_counter()
    response = client.get(url)
    return time.perf_counter() - start, response.status_code, response.data


def largest(client, url: str) -> tuple[float, int, str]:
    """Ask at scale 4; when refused, at the largest scale the 400 names (timing both)."""
    spent, status, body = timed(client, f"{url}&scale=4")
    if status == 400:
        scale = re.search(rb"here scale (\d)", body)
        if scale is None:
            return spent, status, url
        more, status, _ = timed(client, f"{url}&scale={scale[1].decode()}")
        return spent + more, status, f"{url}&scale={scale[1].decode()}"
    return spent, status, f"{url}&scale=4"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=float, default=5.0, help="seconds one request may take")
    parser.add_argument("--only", default="", help="kinds to run, e.g. heatmap,deck")
    args = parser.parse_args()
    app = create_app({"DATA_DIR": str(ROOT / "data" / "benchmarks"), "RESPONSE_CACHE_BYTES": 0})
    ds = app.extensions["leaderboard"]
    warm_up()
    client = app.test_client()
    only = set(filter(None, args.only.split(",")))
    worst: dict[tuple[str, str], tuple[float, str]] = defaultdict(lambda: (0.0, ""))
    failures = []
    jobs = [(kind, fmt, f"{url}.{fmt}?{SIZE}" + ("&models=deepseek-r1,o1-mini,gpt-4o-0513"
                                                   if kind == "compare" else ""))
            for kind, url in chart_urls(ds) for fmt in FORMATS]
    jobs += [("deck", "pptx", f"/charts/{slug}/deck.pptx?{SIZE}") for slug in ds.grids]
    jobs = [j for j in jobs if not only or j[0] in only]
    started = time.perf_counter()
    for kind, fmt, url in jobs:
        if fmt == "png":
            spent, status, asked = largest(client, url)
        else:
            (spent, status, _), asked = timed(client, url), url
        if status != 200:
            failures.append(f"{status} {asked}")
        if spent > worst[kind, fmt][0]:
            worst[kind, fmt] = (spent, asked)
    print(f"{len(jobs)} requests in {time.perf_counter() - started:.0f} s, each cold, "
          f"at {SIZE} and the largest allowed scale\n")
    print(f"{'kind':<9}{'format':<7}{'slowest':>9}  URL")
    for (kind, fmt), (spent, url) in sorted(worst.items()):
        print(f"{kind:<9}{fmt:<7}{spent:>8.2f}s  {url}")
    over = [(k, s) for k, (s, _) in worst.items() if s > args.limit]
    for failure in failures:
        print("not 200:", failure)
    if over or failures:
        print(f"\nover {args.limit:g} s: {over}" if over else "")
        return 1
    print(f"\nevery request within {args.limit:g} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
