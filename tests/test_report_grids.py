"""Every cell of 图4 and 图5, typed in from the report, against the loaded data."""

import pytest

# 图4 (page 6), as printed. Columns: AIME 2024 pass@1, AIME 2024 cons@64, MATH-500 pass@1,
# GPQA Diamond pass@1, LiveCodeBench pass@1, CodeForces rating.
FIG4 = """
gpt-4o-0513                    9.3  13.4  74.6  49.9  32.9   759.0
claude-3-5-sonnet-1022        16.0  26.7  78.3  65.0  38.9   717.0
o1-mini                       63.6  80.0  90.0  60.0  53.8  1820.0
qwq-32b                       44.0  60.0  90.6  54.5  41.9  1316.0
deepseek-r1-distill-qwen-1-5b 28.9  52.7  83.9  33.8  16.9   954.0
deepseek-r1-distill-qwen-7b   55.5  83.3  92.8  49.1  37.6  1189.0
deepseek-r1-distill-qwen-14b  69.7  80.0  93.9  59.1  53.1  1481.0
deepseek-r1-distill-qwen-32b  72.6  83.3  94.3  62.1  57.2  1691.0
deepseek-r1-distill-llama-8b  50.4  80.0  89.1  49.0  39.6  1205.0
deepseek-r1-distill-llama-70b 70.0  86.7  94.5  65.2  57.5  1633.0
"""
FIG4_METRICS = [
    "aime-2024-pass1", "aime-2024-cons64", "math-500-pass1",
    "gpqa-diamond-pass1", "livecodebench-pass1", "codeforces-rating",
]

# 图5 (page 7), as printed; * marks the report's bold. Columns: Claude-3.5-Sonnet-1022,
# GPT-4o 0513, DeepSeek V3, OpenAI o1-mini, OpenAI o1-1217, DeepSeek R1.
FIG5_MODELS = [
    "claude-3-5-sonnet-1022", "gpt-4o-0513", "deepseek-v3",
    "o1-mini", "openai-o1-1217", "deepseek-r1",
]
FIG5 = """
mmlu-pass1              88.3   87.2  88.5   85.2  *91.8   90.8
mmlu-redux-em           88.9   88.0  89.1   86.7   -     *92.9
mmlu-pro-em             78.0   72.6  75.9   80.3   -     *84.0
drop-3shot-f1           88.3   83.7  91.6   83.9  90.2   *92.2
ifeval-prompt-strict   *86.5   84.3  86.1   84.8   -      83.3
gpqa-diamond-pass1      65.0   49.9  59.1   60.0  *75.7   71.5
simpleqa-correct        28.4   38.2  24.9    7.0  *47.0   30.1
frames-acc              72.5   80.5  73.3   76.9   -     *82.5
alpacaeval2-lc-winrate  52.0   51.1  70.0   57.8   -     *87.6
arenahard-gpt4-1106     85.2   80.4  85.5   92.0   -     *92.3
livecodebench-pass1-cot 38.9   32.9  36.2   53.8  63.4   *65.9
codeforces-percentile   20.3   23.6  58.7   93.4  *96.6   96.3
codeforces-rating        717    759  1134   1820  *2061   2029
swe-verified-resolved  *50.8   38.8  42.0   41.6  48.9    49.2
aider-polyglot-acc      45.3   16.0  49.6   32.9  *61.7   53.3
aime-2024-pass1         16.0    9.3  39.2   63.6  79.2   *79.8
math-500-pass1          78.3   74.6  90.2   90.0  96.4   *97.3
cnmo-2024-pass1         13.1   10.8  43.2   67.6   -     *78.8
cluewsc-em              85.4   87.9  90.9   89.9   -     *92.8
c-eval-em               76.7   76.0  86.5   68.9   -     *91.8
c-simpleqa-correct      55.4   58.7 *68.0   40.3   -      63.7
"""


def _expected_fig4():
    for line in FIG4.strip().splitlines():
        model, *printed = line.split()
        for metric, text in zip(FIG4_METRICS, printed, strict=True):
            yield model, metric, text, False


def _expected_fig5():
    for line in FIG5.strip().splitlines():
        metric, *printed = line.split()
        for model, text in zip(FIG5_MODELS, printed, strict=True):
            yield model, metric, text.lstrip("*"), text.startswith("*")


def _cells(dataset, grid):
    rows = dataset.results[dataset.results["grid"] == grid]
    return {(r["model"], r["metric"]): r for r in rows.to_dict("records")}


@pytest.mark.parametrize(
    ("grid", "expected"),
    [("r1-distilled", list(_expected_fig4())), ("r1-vs-frontier", list(_expected_fig5()))],
)
def test_every_cell_matches_the_report(dataset, grid, expected):
    cells = _cells(dataset, grid)
    assert len(cells) == len(expected)
    for model, metric, printed, bold in expected:
        cell = cells[(model, metric)]
        assert cell["printed"] == printed, (model, metric)
        assert cell["bold"] is bold, (model, metric)
        if printed == "-":
            assert cell["raw"] is None
        else:
            assert cell["raw"] == float(printed), (model, metric)


def test_not_reported_is_null_never_zero(dataset):
    cells = _cells(dataset, "r1-vs-frontier")
    cell = cells[("openai-o1-1217", "mmlu-redux-em")]
    assert cell["printed"] == "-"
    assert cell["raw"] is None
    assert cell["value"] != cell["value"]  # NaN: sorts as missing, never as 0


def test_grids_keep_the_reports_order(dataset):
    grid = dataset.grids["r1-vs-frontier"]
    assert [m.label for m in grid.models] == [
        "Claude-3.5-Sonnet-1022", "GPT-4o 0513", "DeepSeek V3",
        "OpenAI o1-mini", "OpenAI o1-1217", "DeepSeek R1",
    ]
    assert [m.id for m in grid.metrics] == [line.split()[0] for line in FIG5.strip().splitlines()]
    assert [m.band for m in grid.metrics][:10] == ["English"] * 10
    assert {m.band for m in grid.metrics} == {"English", "Code", "Math", "Chinese"}
    assert [m.id for m in dataset.grids["r1-distilled"].metrics] == FIG4_METRICS


def test_one_model_under_its_printed_labels(dataset):
    labels = dataset.models.at["gpt-4o-0513", "labels"]
    assert (labels["r1-distilled"], labels["r1-vs-frontier"]) == ("GPT-4o-0513", "GPT-4o 0513")
    assert dataset.models.at["deepseek-r1", "labels"]["r1-vs-frontier"] == "DeepSeek R1"
    assert dataset.models.at["deepseek-r1", "labels"]["cost-and-scale"] == "DeepSeekR1"


def test_one_metric_across_grids(dataset):
    grids = dataset.grids
    label_4 = next(m.label for m in grids["r1-distilled"].metrics if m.id == "aime-2024-pass1")
    label_5 = next(m.label for m in grids["r1-vs-frontier"].metrics if m.id == "aime-2024-pass1")
    assert (label_4, label_5) == ("AIME 2024 pass@1", "AIME 2024 (Pass@1)")


def test_figure_5_architecture_rows_are_model_attributes(dataset):
    for model in ("deepseek-v3", "deepseek-r1"):
        row = dataset.models.loc[model]
        assert (row["architecture"], row["active_params"], row["total_params"]) == (
            "MoE", 37e9, 671e9)
    assert dataset.models.at["gpt-4o-0513", "architecture"] is None


def test_distilled_models_have_base_and_teacher(dataset):
    distilled = dataset.models[dataset.models["distilled"] & (dataset.models["kind"] == "model")]
    assert len(distilled) == 6
    assert set(distilled["teacher"]) == {"deepseek-r1"}
    assert all(b.startswith(("Qwen2.5", "Llama-3")) for b in distilled["base_model"])
