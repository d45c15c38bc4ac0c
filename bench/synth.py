"""Write a synthetic data directory that passes the same validation as the real one.

    .venv/bin/python bench/synth.py /tmp/synth-1000 --models 1000 --metrics 100 --grids 4

N models × M metrics split over G grids (each grid has every model and M/G metrics), about
20 % of the cells not reported ('-'), one report, scores on 0–100 scales, a few metrics where
lower is better. Seeded, so the same arguments write the same files.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

import yaml


def write(directory: Path, models: int, metrics: int, grids: int, missing: float = 0.2,
          seed: int = 7) -> Path:
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "grids").mkdir(exist_ok=True)
    (directory / "reports.yaml").write_text(yaml.safe_dump([{
        "id": "synthetic", "title": "合成报告", "title_en": "Synthetic report",
        "publisher": "基准", "publisher_en": "Benchmark", "date": "2026-01-01",
    }], allow_unicode=True), encoding="utf-8")
    model_ids = [f"model-{i:05d}" for i in range(models)]
    (directory / "models.yaml").write_text(yaml.safe_dump([
        {"id": m, "name": f"Model {i:05d}", "organisation": f"Org {i % 37}",
         "open_weights": i % 3 == 0, "total_params": f"{1 + i % 400}B"}
        for i, m in enumerate(model_ids)
    ], sort_keys=False), encoding="utf-8")
    metric_ids = [f"metric-{j:03d}" for j in range(metrics)]
    (directory / "metrics.yaml").write_text(yaml.safe_dump([
        {"id": x, "name": f"Metric {j:03d}", "benchmark": f"Bench {j // 2}", "measure": "pass@1",
         "unit": "%", "scale": [0, 100], "higher_is_better": j % 10 != 9,
         "category": ["English", "Code", "Math", "Chinese"][j % 4]}
        for j, x in enumerate(metric_ids)
    ], sort_keys=False), encoding="utf-8")
    per_grid = max(1, metrics // grids)
    for g in range(grids):
        chosen = metric_ids[g * per_grid:(g + 1) * per_grid]
        slug = f"synthetic-{g + 1}"
        (directory / "grids" / f"{slug}.yaml").write_text(yaml.safe_dump({
            "title": f"合成表 {g + 1}", "title_en": f"Synthetic grid {g + 1}",
            "caption": f"图{g + 1}: 合成表 {g + 1}",
            "source": {"report": "synthetic", "label": f"图{g + 1}", "page": g + 1,
                       "cited": "资料来源: 基准"},
            "models": [{"label": f"Model {i:05d}", "id": m} for i, m in enumerate(model_ids)],
            "metrics": [{"label": f"Metric {x[-3:]}", "id": x} for x in chosen],
        }, allow_unicode=True, sort_keys=False), encoding="utf-8")
        with (directory / "grids" / f"{slug}.csv").open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(["model", "metric", "printed", "value"])
            for i in range(models):
                for x in chosen:
                    if rng.random() < missing:
                        out.writerow([f"Model {i:05d}", f"Metric {x[-3:]}", "-", ""])
                    else:
                        value = f"{rng.uniform(0, 100):.1f}"
                        out.writerow([f"Model {i:05d}", f"Metric {x[-3:]}", value, value])
    return directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--metrics", type=int, default=100)
    parser.add_argument("--grids", type=int, default=4)
    args = parser.parse_args()
    write(args.directory, args.models, args.metrics, args.grids)


if __name__ == "__main__":
    main()
