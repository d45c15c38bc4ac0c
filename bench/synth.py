"""Write a synthetic data directory that passes the same validation as the real one.

    .venv/bin/python bench/synth.py /tmp/synth-1000 --models 1000 --metrics 100 --grids 4
    .venv/bin/python bench/synth.py /tmp/many-1000 --many-reports --grids 1000

N models × M metrics split over G grids (each grid has every model and M/G metrics), about
20 % of the cells not reported ('-'), one report, scores on 0–100 scales, a few metrics where
lower is better.

--many-reports: G small grids (about 10 models × 10 metrics each) drawn from shared pools
(2G models, G/2 metrics) with a long tail, so a few models and metrics recur in hundreds of
grids; 4 grids a report (G/4 reports); about 10 % of the cells a grid repeats from an earlier
one printed with another value. Seeded, so the same arguments write the same files.
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


def _long_tail(rng: random.Random, weights: list[float], k: int) -> list[int]:
    """Draw k distinct indices, index i with a weight falling as 1/(i+1) (a Zipf-like tail)."""
    chosen: dict[int, None] = {}
    while len(chosen) < min(k, len(weights)):
        chosen.update(dict.fromkeys(rng.choices(range(len(weights)), cum_weights=weights,
                                                k=k - len(chosen))))
    return sorted(chosen)


def _cumulative(n: int, exponent: float) -> list[float]:
    total, out = 0.0, []
    for i in range(n):
        total += 1 / (i + 1) ** exponent
        out.append(total)
    return out


def write_many(directory: Path, grids: int, models: int = 10, metrics: int = 10,
               per_report: int = 4, disagree: float = 0.1, missing: float = 0.05,
               seed: int = 7) -> Path:
    """Write G small grids from shared pools of models and metrics (the 'many reports' shape)."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "grids").mkdir(exist_ok=True)
    model_pool = _cumulative(max(models, 2 * grids), 1.0)
    metric_pool = _cumulative(max(metrics, grids // 2), 1.1)
    printed: dict[tuple[int, int], str] = {}  # the first value each repeated cell was printed as
    used_models: set[int] = set()
    used_metrics: set[int] = set()
    for g in range(grids):
        rows = _long_tail(rng, model_pool, models)
        columns = _long_tail(rng, metric_pool, metrics)
        used_models.update(rows)
        used_metrics.update(columns)
        slug = f"many-{g + 1:05d}"
        (directory / "grids" / f"{slug}.yaml").write_text(yaml.safe_dump({
            "title": f"合成表 {g + 1}", "title_en": f"Synthetic grid {g + 1}",
            "caption": f"图{g % per_report + 1}: 合成表 {g + 1}",
            "source": {"report": f"report-{g // per_report:05d}",
                       "label": f"图{g % per_report + 1}", "page": g % per_report + 1,
                       "cited": "资料来源: 基准"},
            "models": [{"label": f"Model {i:05d}", "id": f"model-{i:05d}"} for i in rows],
            "metrics": [{"label": f"Metric {j:04d}", "id": f"metric-{j:04d}"} for j in columns],
        }, allow_unicode=True, sort_keys=False), encoding="utf-8")
        with (directory / "grids" / f"{slug}.csv").open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(["model", "metric", "printed", "value"])
            for i in rows:
                for j in columns:
                    if rng.random() < missing:
                        out.writerow([f"Model {i:05d}", f"Metric {j:04d}", "-", ""])
                        continue
                    if (i, j) not in printed:
                        value = printed[(i, j)] = f"{rng.uniform(0, 97):.1f}"
                    elif rng.random() < disagree:
                        value = f"{float(printed[(i, j)]) + rng.choice([0.1, 0.5, 1.0, 2.3]):.1f}"
                    else:
                        value = printed[(i, j)]
                    out.writerow([f"Model {i:05d}", f"Metric {j:04d}", value, value])
    (directory / "reports.yaml").write_text(yaml.safe_dump([
        {"id": f"report-{r:05d}", "title": f"合成报告 {r + 1}",
         "title_en": f"Synthetic report {r + 1}",
         "publisher": f"基准 {r % 17}", "publisher_en": f"Benchmark {r % 17}",
         "date": f"{2024 + r % 2}-{1 + r % 12:02d}-{1 + r % 28:02d}"}
        for r in range((grids + per_report - 1) // per_report)
    ], allow_unicode=True, sort_keys=False), encoding="utf-8")
    (directory / "models.yaml").write_text(yaml.safe_dump([
        {"id": f"model-{i:05d}", "name": f"Model {i:05d}", "organisation": f"Org {i % 37}",
         "open_weights": i % 3 == 0, "total_params": f"{1 + i % 400}B"}
        for i in sorted(used_models)
    ], sort_keys=False), encoding="utf-8")
    (directory / "metrics.yaml").write_text(yaml.safe_dump([
        {"id": f"metric-{j:04d}", "name": f"Metric {j:04d}", "benchmark": f"Bench {j // 2}",
         "measure": "pass@1", "unit": "%", "scale": [0, 100], "higher_is_better": j % 10 != 9,
         "category": ["English", "Code", "Math", "Chinese"][j % 4]}
        for j in sorted(used_metrics)
    ], sort_keys=False), encoding="utf-8")
    return directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--models", type=int, default=None,
                        help="models a grid has (default 1000; with --many-reports 10)")
    parser.add_argument("--metrics", type=int, default=None,
                        help="metrics in all (default 100; with --many-reports 10 a grid)")
    parser.add_argument("--grids", type=int, default=4)
    parser.add_argument("--many-reports", action="store_true",
                        help="many small grids from shared pools (see above)")
    args = parser.parse_args()
    if args.many_reports:
        write_many(args.directory, args.grids, models=args.models or 10,
                   metrics=args.metrics or 10)
    else:
        write(args.directory, args.models or 1000, args.metrics or 100, args.grids)


if __name__ == "__main__":
    main()
