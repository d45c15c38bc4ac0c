"""Screenshots of every kind of page at a phone's and a desktop's width, light and dark.

    python bench/screenshots.py OUT_DIR [--data DIR] [--pages /a /b ...] [--lang en zh]

Starts the Procfile's server on the data (bundled data by default), draws every chart, saves
OUT_DIR/<page>-<width>-<scheme>.png (whole page; <page>-zh-<width>-<scheme>.png in Chinese,
chosen by ?lang=zh in a browser set to Chinese) and prints each page's width against the
viewport's, so a page that scrolls sideways shows in the listing as well as in the picture.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from conftest import draw_charts  # noqa: E402
from live import CHROMIUM, FLAGS, Gunicorn  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from leaderboard import ROOT  # noqa: E402

PAGES = ["/", "/grids/r1-vs-frontier", "/grids/r1-vs-frontier?baseline=o1-mini&average=yes",
         "/grids/v3-readme-base", "/grids/on-device-llms", "/grids/cost-and-scale",
         "/grids/r1-distilled/sources", "/models/deepseek-r1", "/metrics/training-cost",
         "/compare", "/compare?models=deepseek-r1,openai-o1-1217,gpt-4o-0513", "/conflicts",
         "/import", "/api/docs", "/grids/nope", "/charts/r1-vs-frontier/heatmap.html",
         "/models", "/metrics", "/?q=deepseek", "/compare?models=deepseek-r1&from=r1-distilled"]
SIZES = {"390": (390, 844), "1400": (1400, 900)}
LOCALES = {"en": "en-US", "zh": "zh-CN"}


def name_of(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "index"


def in_language(path: str, lang: str) -> str:
    """The page's address in `lang`: English as it is, Chinese with ?lang=zh."""
    return path if lang == "en" else f"{path}{'&' if '?' in path else '?'}lang={lang}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "benchmarks")
    parser.add_argument("--pages", nargs="*", default=PAGES)
    parser.add_argument("--lang", nargs="+", choices=list(LOCALES), default=["en"],
                        help="the interface's languages to picture (default: en)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    live = Gunicorn(args.data).wait()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for lang, size, scheme in itertools.product(args.lang, SIZES, ("light", "dark")):
                width, height = SIZES[size]
                context = browser.new_context(viewport={"width": width, "height": height},
                                              color_scheme=scheme, locale=LOCALES[lang])
                page = context.new_page()
                for path in args.pages:
                    page.goto(live.url + in_language(path, lang))
                    page.wait_for_load_state("networkidle")
                    draw_charts(page)  # drawn as they come near: scroll past each
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    suffix = "" if lang == "en" else f"-{lang}"
                    shot = args.out / f"{name_of(path)}{suffix}-{size}-{scheme}.png"
                    page.screenshot(path=str(shot), full_page=True)
                    mark = "" if wide <= width else f"  WIDER: {wide} px"
                    print(f"{shot.name}{mark}")
                context.close()
            browser.close()
    finally:
        live.stop()


if __name__ == "__main__":
    main()
