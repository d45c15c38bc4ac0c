"""Lighthouse (npm) on the service's pages, as a phone sees them.

    python bench/lighthouse.py [PATH ...]    (default: the largest grid page)

Starts the Procfile's server on the bundled data, runs node_modules' Lighthouse with Debian's
Chromium (mobile form factor: emulated slow CPU and network) three times per page and prints
the median scores and timings. `make lighthouse` installs it and runs this.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from live import CHROMIUM, Gunicorn  # noqa: E402

from leaderboard import ROOT  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
TIMINGS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index")
RUNS = 3


def largest_grid() -> str:
    grids = ROOT / "data" / "benchmarks" / "grids"
    biggest = max(grids.glob("*.csv"), key=lambda f: f.stat().st_size)
    return f"/grids/{biggest.stem}"


def audit(url: str) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "report.json"
        subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--form-factor=mobile",
             f"--only-categories={','.join(CATEGORIES)}", "--output=json",
             f"--output-path={out}",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
            check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
        report = json.loads(out.read_text())
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    timings = {t: report["audits"][t]["numericValue"] for t in TIMINGS}
    failed = [a for a in (r["id"] for r in report["categories"]["accessibility"]["auditRefs"])
              if report["audits"][a]["score"] not in (None, 1)]
    return {**scores, **timings, "failed": failed}


def main() -> None:
    paths = sys.argv[1:] or [largest_grid()]
    live = Gunicorn(ROOT / "data" / "benchmarks", workers=1).wait()
    try:
        for path in paths:
            runs = [audit(live.url + path) for _ in range(RUNS)]
            median = {k: statistics.median(r[k] for r in runs) for k in (*CATEGORIES, *TIMINGS)}
            print(f"{path} (median of {RUNS}, mobile)")
            for key in CATEGORIES:
                print(f"  {key:26} {median[key]:.0f}")
            for key in TIMINGS:
                unit = "" if key == "cumulative-layout-shift" else " ms"
                print(f"  {key:26} {median[key]:.{3 if not unit else 0}f}{unit}")
            failed = sorted({a for r in runs for a in r["failed"]})
            print(f"  accessibility audits failed: {', '.join(failed) or 'none'}")
    finally:
        live.stop()


if __name__ == "__main__":
    main()
