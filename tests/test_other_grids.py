"""表4, the stated prices, 图27, the efficiency comparison, and the conflicts between them."""

import math

import pytest


def cell(dataset, grid, model, metric, page=None):
    r = dataset.results
    rows = r[(r["grid"] == grid) & (r["model"] == model) & (r["metric"] == metric)]
    if page is not None:
        rows = rows[rows["page"] == page]
    assert len(rows) == 1, (grid, model, metric)
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("model", "metric", "printed", "raw"),
    [
        ("gpt-4", "release-date", "2023年3月", "2023-03"),
        ("deepseek-r1", "release-date", "2025年1月", "2025-01"),
        ("gpt-4", "params-total", "1.8 万亿", 1.8e12),
        ("deepseek-v3", "params-total", "6710 亿，每次激活 370 亿", 6.71e11),
        ("deepseek-r1", "params-total", "15 亿-70 亿（不同规模蒸馏版本）", None),
        ("llama-3-1-405b", "params-total", "4050 亿", 4.05e11),
        ("deepseek-v3", "training-tokens", "14.8 万亿", 1.48e13),
        ("deepseek-r1", "training-tokens", "-", None),
        ("gpt-4", "training-cost", "6300 万美元", 6.3e7),
        ("deepseek-v3", "training-cost", "557.6 万美元", 5.576e6),
        ("deepseek-v3", "training-gpu-hours", "278.8 万 GPU 小时", 2.788e6),
        ("llama-3-1-405b", "training-gpu-hours", "3080 万 GPU 小时", 3.08e7),
        ("deepseek-v3", "training-gpus", "2048 张 H800", 2048),
        ("llama-3-1-405b", "training-gpus", "1.6 万张 H100", 16000),
        ("gpt-4", "open-weights", "否", False),
        ("deepseek-r1", "open-weights", "是", True),
        # GPT-4 is printed per 1K tokens: 0.03 USD / 1K = 30 USD / 1M.
        ("gpt-4", "api-input-price", "输入端：0.03 美元/千 token", 30.0),
        ("gpt-4", "api-output-price", "输出端：0.06 美元/千 token", 60.0),
        ("deepseek-v3", "api-input-price", "输入端：0.14 美元/百万 token", 0.14),
        ("deepseek-r1", "api-output-price", "输出端：3.29 美元/百万 token", 3.29),
        ("llama-3-1-405b", "api-output-price", "-", None),
    ],
)
def test_cost_and_scale(dataset, model, metric, printed, raw):
    row = cell(dataset, "cost-and-scale", model, metric)
    assert row["printed"] == printed
    if isinstance(raw, float):
        assert math.isclose(row["raw"], raw, rel_tol=1e-12)
    else:
        assert row["raw"] == raw
    assert (row["label"], row["page"]) == ("表4", 27)


def test_cost_and_scale_is_complete(dataset):
    grid = dataset.grids["cost-and-scale"]
    assert [m.label for m in grid.models] == ["GPT-4", "DeepSeekV3", "DeepSeekR1", "Llama3.1405B"]
    r = dataset.results
    assert len(r[r["grid"] == "cost-and-scale"]) == 4 * 9


@pytest.mark.parametrize(
    ("model", "metric", "printed", "raw", "label", "page"),
    [
        # The report's text, p. 11: "…R1 模型，每百万 token 的输入（缓存未命中）/输出价格仅分别为
        # 0.55 美元/2.19 美元" and "o3-mini …输入（缓存未命中）/输出价格分别为 1.10 美元/4.40 美元".
        ("deepseek-r1", "api-input-price", "0.55 美元", 0.55, "正文", 11),
        ("deepseek-r1", "api-output-price", "2.19 美元", 2.19, "正文", 11),
        ("o3-mini", "api-input-price", "1.10 美元", 1.10, "正文", 11),
        ("o3-mini", "api-output-price", "4.40 美元", 4.40, "正文", 11),
        ("deepseek-r1", "inference-cost", "0.14 美元", 0.14, "正文", 5),
        ("openai-unnamed", "inference-cost", "7.5 美元", 7.5, "正文", 5),
    ],
)
def test_api_pricing(dataset, model, metric, printed, raw, label, page):
    row = cell(dataset, "api-pricing", model, metric)
    assert (row["printed"], row["raw"], row["label"], row["page"]) == (printed, raw, label, page)


def test_on_device_llms(dataset):
    r = dataset.results
    rows = r[r["grid"] == "on-device-llms"]
    table = {
        m: tuple(rows[(rows["model"] == m) & (rows["metric"] == x)]["raw"].item()
                 for x in ("release-year", "params-total", "runs-on-device", "runs-in-cloud"))
        for m in rows["model"].unique()
    }
    assert table == {
        "gemini-nano": (2023, 7e9, True, False),
        "oppo-andesgpt": (2023, 7e9, True, True),
        "honor-magiclm": (2024, 7e9, True, False),
        "vivo-bluelm": (2024, 7e9, True, True),
        "xiaomi-milm": (2024, 6e9, True, False),
        "apple-openelm": (2024, 1.1e9, True, True),
    }
    assert set(rows["label"]) == {"图27"} and set(rows["page"]) == {21}


def test_inference_efficiency(dataset):
    got = {
        (r["model"], r["metric"]): (r["printed"], r["raw"])
        for r in dataset.results[dataset.results["grid"] == "inference-efficiency"].to_dict("records")
    }
    assert got == {
        ("lpu-r1-distill-7b", "inference-latency"): ("50ms", 50.0),
        ("lpu-r1-distill-7b", "inference-power"): ("约 30W", 30.0),
        ("a100-gpt-3-175b", "inference-latency"): ("约 350ms", 350.0),
        ("a100-gpt-3-175b", "inference-power"): ("约 300W", 300.0),
    }
    lower = dataset.metrics.loc[["inference-latency", "inference-power"], "higher_is_better"]
    assert list(lower) == [False, False]


def test_r1_output_price_is_a_visible_conflict(dataset):
    conflicts = set(map(tuple, dataset.conflicts[["model", "metric"]].to_numpy()))
    assert ("deepseek-r1", "api-output-price") in conflicts
    assert cell(dataset, "cost-and-scale", "deepseek-r1", "api-output-price")["conflict"]
    assert cell(dataset, "api-pricing", "deepseek-r1", "api-output-price")["conflict"]
    # Agreeing places are no conflict: R1's input price is 0.55 in 表4 and in the text, p. 11.
    assert ("deepseek-r1", "api-input-price") not in conflicts


def test_text_and_table_disagreements_are_conflicts(dataset):
    report = dataset.results[dataset.results["report"] == "galaxy-2025-02-deepseek"]
    conflicts = set(map(tuple, dataset.conflicts[["model", "metric"]].to_numpy()))
    inside = {key for key in conflicts
              if len(report[(report["model"] == key[0]) & (report["metric"] == key[1])]) > 1}
    assert inside == {
        ("deepseek-r1", "api-output-price"),   # 3.29 (表4) vs 2.19 (text, p. 11)
        ("deepseek-v3", "training-cost"),      # 557.6 万 (表4) vs 557 万 (text, p. 8)
        ("deepseek-r1", "training-cost"),      # 600 万 (text, p. 4) vs 557.6 万 (text, p. 5)
        ("deepseek-r1", "training-gpus"),      # - (表4) vs 2048 H800 (text, p. 4)
    }
    v3 = cell(dataset, "text-figures", "deepseek-v3", "training-cost")
    assert (v3["printed"], v3["page"], v3["raw"]) == ("557 万美元", 8, 5.57e6)


@pytest.mark.parametrize(
    ("metric", "higher_is_better"),
    [("aime-2024-pass1", True), ("codeforces-rating", True), ("api-output-price", False),
     ("training-cost", False), ("inference-latency", False), ("inference-power", False),
     ("release-date", None), ("params-total", None)],
)
def test_metric_direction(dataset, metric, higher_is_better):
    assert dataset.metrics.at[metric, "higher_is_better"] is higher_is_better


def test_every_cell_has_provenance(dataset):
    r = dataset.results
    assert r[["report", "label"]].notna().all().all()
    readmes = r["report"].isin(["deepseek-r1-readme", "deepseek-v3-readme"])
    assert r.loc[~readmes, "page"].notna().all() and r.loc[readmes, "page"].isna().all()
    assert set(r["report"]) == {"galaxy-2025-02-deepseek", "deepseek-r1-readme",
                                "deepseek-r1-paper", "deepseek-v3-readme"}
    assert {s for s, g in dataset.grids.items() if g.source.report ==
            "galaxy-2025-02-deepseek"} == {
        "r1-distilled", "r1-vs-frontier", "cost-and-scale", "api-pricing",
        "on-device-llms", "inference-efficiency", "text-figures",
    }
