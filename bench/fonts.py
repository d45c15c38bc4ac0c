"""What drawing a chart in the CJK font costs: every grid's heatmap, in English and in Chinese,
drawn to PNG by vl-convert with Liberation Sans first (charts.FONT) and with Noto Sans CJK SC
first (charts.FONT_CJK, what a chart with Chinese in it is drawn in), alternately, median of 3.

    python bench/fonts.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import vl_convert as vlc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from leaderboard import BUNDLED_DATA, charts, create_app  # noqa: E402


def main() -> None:
    app = create_app({"DATA_DIR": str(BUNDLED_DATA)})
    client = app.test_client()
    specs = [client.get(f"/charts/{slug}/heatmap.json?lang={lang}").get_json()
             for lang in ("en", "zh") for slug in app.extensions["leaderboard"].grids]

    def draw(font: str) -> float:
        started = time.perf_counter()
        for spec in specs:
            vlc.vegalite_to_png(json.dumps({**spec, "config": {**spec["config"], "font": font}}))
        return time.perf_counter() - started

    times: dict[str, list[float]] = {charts.FONT: [], charts.FONT_CJK: []}
    for _ in range(3):
        for font, runs in times.items():
            runs.append(draw(font))
    medians = {font: statistics.median(runs) for font, runs in times.items()}
    for font, median in medians.items():
        print(f"{len(specs)} heatmaps, {font}: {median:.2f} s")
    print(f"ratio CJK first / Latin first: {medians[charts.FONT_CJK] / medians[charts.FONT]:.2f}")


if __name__ == "__main__":
    main()
