"""`leaderboard import`: layouts, identities, the report's own grids, the published sources.

Expected cells are written from the sources themselves (the report's transcription and the
tables DeepSeek published), never from the importer's output.
"""

import shutil
import subprocess
import sys

import pytest
import yaml

from leaderboard import ROOT
from leaderboard.data import load
from leaderboard.importing import SourceError, parse_mapping, parse_pages, run
from leaderboard.importing.identity import AMBIGUOUS, MATCHED, PROPOSED, Registry, Resolver
from leaderboard.importing.layout import COLUMNS, ROWS, lay_out
from leaderboard.importing.markdown import read_markdown

# The registries as they were with the report's grids alone (before DeepSeek's own tables were
# imported beside them): the tables below are new to them, as a new report's are.
DATA = ROOT / "tests" / "fixtures" / "report-data"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_c5f04168c3128190.txt"
SOURCES = SHARED / "sources"
GALAXY = "galaxy-2025-02-deepseek"


@pytest.fixture(scope="module")
def ds():
    return load(DATA)


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "leaderboard.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def layout_of(ds, text, report=None, mapping=None, models_as=None):
    (table,) = read_markdown(text)
    return lay_out(table, Resolver(Registry(ds), report, mapping), models_as)


def cells(layout):
    return {(c.model, c.metric): (c.printed, c.value, c.bold) for c in layout.cells}


# --- The report's own grids, from its transcription -----------------------------------------


@pytest.mark.parametrize(("slug", "label", "cells_compared"), [
    ("r1-distilled", "图4", 60), ("r1-vs-frontier", "图5", 126), ("cost-and-scale", "表4", 36),
    ("on-device-llms", "图27", 24)])
def test_check_shows_the_report_grids_cell_exact(slug, label, cells_compared):
    result = cli("import", SEED, "--check", slug)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith(
        f"{slug}: 0 differing of {cells_compared} cells ({label}, lines ")
    assert "differs:" not in result.stdout


def test_the_seed_gives_exactly_the_four_model_grids(ds):
    result = run([(SEED.read_bytes(), SEED.name)], ds, GALAXY)
    captions = [layout.table.caption.split(":")[0] for layout in result.grids]
    assert captions == ["图4", "图5", "图27", "表4"]
    assert all(e.resolution.status == MATCHED
               for layout in result.grids for e in layout.models + layout.metrics)
    assert result.models == [] and result.metrics == [] and result.report is None


def test_check_fails_and_names_each_difference(tmp_path):
    changed = tmp_path / "seed.txt"
    text = SEED.read_text(encoding="utf-8")
    changed.write_text(text.replace("| QwQ-32B                       | 44.0 ",
                                    "| QwQ-32B                       | 44.5 "), encoding="utf-8")
    result = cli("import", changed, "--check", "r1-distilled")
    assert result.returncode == 1
    assert "differs: QwQ-32B × AIME 2024 pass@1: printed '44.5', the grid has '44.0'" in result.stdout
    assert "differs: QwQ-32B × AIME 2024 pass@1: value 44.5, the grid has 44.0" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("r1-distilled: 2 differing of 60 cells")


def merge(out, data):
    """Copy an import's files into a data directory, its proposed entries into the registries."""
    for path in out.glob("*.csv"):
        shutil.copy(path, data / "grids")
        shutil.copy(path.with_suffix(".yaml"), data / "grids")
    for name in ("models", "metrics", "reports"):
        proposed = yaml.safe_load((out / f"{name}.yaml").read_text(encoding="utf-8"))
        if proposed:
            with (data / f"{name}.yaml").open("a", encoding="utf-8") as f:
                f.write("\n" + yaml.safe_dump(proposed, allow_unicode=True, sort_keys=False))


def test_written_files_validate_once_merged_and_equal_the_grids(tmp_path, ds):
    data, out = tmp_path / "benchmarks", tmp_path / "out"
    shutil.copytree(DATA, data)
    result = cli("import", SEED, "--report", GALAXY, "--data", data, "--out", out)
    assert result.returncode == 0, result.stderr
    merge(out, data)
    assert cli("validate", data).returncode == 0
    merged = load(data)
    assert len(merged.conflicts) == len(ds.conflicts)  # the same numbers again: no new conflict
    for old, new in (("r1-distilled", "fig-4"), ("r1-vs-frontier", "fig-5"),
                     ("cost-and-scale", "table-4"), ("on-device-llms", "fig-27")):
        a = ds.results[ds.results["grid"] == old].set_index(["model", "metric"])
        b = merged.results[merged.results["grid"] == f"{GALAXY}-{new}"].set_index(
            ["model", "metric"])
        assert sorted(a.index) == sorted(b.index)
        for key in a.index:
            assert (a.at[key, "printed"], a.at[key, "raw"], a.at[key, "bold"]) == (
                b.at[key, "printed"], b.at[key, "raw"], b.at[key, "bold"]), key


def test_proposed_entries_validate_once_merged(tmp_path):
    """A table of new models and metrics (DeepSeek-V3's chat-model table) and its report."""
    data, out = tmp_path / "benchmarks", tmp_path / "out"
    shutil.copytree(DATA, data)
    source = SOURCES / "deepseek-ai_DeepSeek-V3__2.md"
    result = cli("import", source, "--data", data, "--out", out)
    assert result.returncode == 0, result.stderr
    models = yaml.safe_load((out / "models.yaml").read_text(encoding="utf-8"))
    assert [m["name"] for m in models] == ["DeepSeek V2-0506", "DeepSeek V2.5-0905",
                                           "Qwen2.5 72B-Inst.", "Llama3.1 405B-Inst."]
    assert models[0]["architecture"] == "MoE" and models[0]["total_params"] == "236B"
    (report,) = yaml.safe_load((out / "reports.yaml").read_text(encoding="utf-8"))
    assert report["publisher"] == "deepseek-ai" and report["date"] == "2025-06-16"
    merge(out, data)
    check = cli("validate", data)
    assert check.returncode == 0, check.stderr


# --- Layouts --------------------------------------------------------------------------------


def test_models_as_rows_with_bold_and_a_two_level_header(ds):
    layout = layout_of(ds, """
| Model | AIME 2024 | AIME 2024 | MATH-500 |
| --- | --- | --- | --- |
| | pass@1 | cons@64 | pass@1 |
| o1-mini | 63.6 | 80.0 | **90.0** |
| DeepSeek-R1-Distill-Qwen-32B | **72.6** | 83.3 | - |
""")
    assert layout.models_as == ROWS
    assert [m.label for m in layout.metrics] == ["AIME 2024 pass@1", "AIME 2024 cons@64",
                                                 "MATH-500 pass@1"]
    assert [m.resolution.id for m in layout.metrics] == ["aime-2024-pass1", "aime-2024-cons64",
                                                         "math-500-pass1"]
    assert cells(layout)[("o1-mini", "MATH-500 pass@1")] == ("90.0", 90.0, True)
    assert cells(layout)[("DeepSeek-R1-Distill-Qwen-32B", "MATH-500 pass@1")] == ("-", None, False)


def test_models_as_columns_with_a_band_column_attributes_and_split_names(ds):
    layout = layout_of(ds, """
| Category | Benchmark (Metric) | Claude-3.5-<br>Sonnet-1022 | GPT-4o<br>0513 | DeepSeek<br>V3 |
|---|---|---|---|---|
| | Architecture | - | - | MoE |
| | # Total Params | - | - | 671B |
| English | MMLU (Pass@1) | 88.3 | 87.2 | **88.5** |
| | DROP (3-shot F1) | 88.3 | 83.7 | 91.6 |
| Math | AIME 2024 (Pass@1) | 16.0 | 9.3 | 39.2 |
""")
    assert layout.models_as == COLUMNS
    assert [(m.label, m.resolution.id) for m in layout.models] == [
        ("Claude-3.5-Sonnet-1022", "claude-3-5-sonnet-1022"), ("GPT-4o 0513", "gpt-4o-0513"),
        ("DeepSeek V3", "deepseek-v3")]
    assert [(m.label, m.band) for m in layout.metrics] == [
        ("MMLU (Pass@1)", "English"), ("DROP (3-shot F1)", "English"),
        ("AIME 2024 (Pass@1)", "Math")]
    assert [(a.model, a.field, a.printed) for a in layout.attributes] == [
        ("DeepSeek V3", "architecture", "MoE"), ("DeepSeek V3", "total_params", "671B")]
    assert cells(layout)[("DeepSeek V3", "MMLU (Pass@1)")] == ("88.5", 88.5, True)


def test_band_rows_and_a_total_row(ds):
    layout = layout_of(ds, """
| Benchmark (Metric) | OpenAI o1-mini | DeepSeek R1 |
|---|---|---|
| English | | |
| MMLU (Pass@1) | 85.2 | 90.8 |
| Math | | |
| MATH-500 (Pass@1) | 90.0 | 97.3 |
| Total | 175.2 | 188.1 |
""")
    assert [(m.label, m.band) for m in layout.metrics] == [("MMLU (Pass@1)", "English"),
                                                          ("MATH-500 (Pass@1)", "Math")]
    assert layout.left_out == ["the 'Total' row: a sum, not a model or a metric"]


def test_a_qualifier_column_goes_with_the_metric(ds):
    layout = layout_of(ds, """
| | Benchmark (Metric) | # Shots | DeepSeek-V2 | DeepSeek-V3 |
|---|---|---|---|---|
| English | BBH (EM) | 3-shot | 78.8 | **87.5** |
| | MMLU (Acc.) | 5-shot | 78.4 | **87.1** |
| | Pile-test (BPB) | - | 0.606 | 0.548 |
""")
    assert layout.models_as == COLUMNS
    assert [m.label for m in layout.metrics] == ["BBH (EM), 3-shot", "MMLU (Acc.), 5-shot",
                                                 "Pile-test (BPB)"]
    assert cells(layout)[("DeepSeek-V2", "Pile-test (BPB)")] == ("0.606", 0.606, False)


def test_footnote_markers_leave_the_label(ds):
    layout = layout_of(ds, """
| Model | AIME 2024 pass@1 |
|---|---|
| o1-mini* | 63.6 |
| GPT-4o-0513† | 9.3 |
""")
    assert [(m.label, m.resolution.id) for m in layout.models] == [
        ("o1-mini", "o1-mini"), ("GPT-4o-0513", "gpt-4o-0513")]


def test_models_as_can_be_given(ds):
    text = """
| | A | B |
|---|---|---|
| X | 1.0 | 2.0 |
"""
    assert layout_of(ds, text, models_as="columns").models_as == COLUMNS
    assert layout_of(ds, text, models_as="rows").models_as == ROWS


def test_a_cell_with_several_figures_is_one_metric_per_figure(ds):
    """表4's cells: 输入端/输出端 lines, and a figure with another in brackets."""
    layout = layout_of(ds, """
| | GPT-4 | DeepSeekV3 |
|---|---|---|
| 训练时长 | - | 278.8 万 GPU 小时（2048 张 H800） |
| API 价格 | 输入端：0.03 美元/千 token<br>输出端：0.06 美元/千 token<br>(8K 版本) | 输入端：0.14 美元/百万 token<br>输出端：0.28 美元/百万 token |
""", report=GALAXY)
    got = cells(layout)
    assert got[("DeepSeekV3", "训练时长")] == ("278.8 万 GPU 小时", 2.788e6, False)
    assert got[("DeepSeekV3", "训练时长 (GPU 数)")] == ("2048 张 H800", 2048.0, False)
    assert got[("GPT-4", "训练时长 (GPU 数)")] == ("-", None, False)
    assert got[("GPT-4", "API 价格 输入端")] == ("输入端：0.03 美元/千 token", 30.0, False)
    assert got[("DeepSeekV3", "API 价格 输出端")] == ("输出端：0.28 美元/百万 token", 0.28, False)
    notes = {(c.model, c.metric): c.note for c in layout.cells}
    assert notes[("GPT-4", "API 价格 输入端")] == "(8K 版本)"


def test_a_table_of_unknown_labels_is_left_out_unless_asked(ds):
    text = """
表9: 盈利预测

| 公司 | EPS 2023A | EPS 2024E |
|---|---|---|
| 甲 | 1.2 | 1.5 |
"""
    result = run([(text.encode(), "x.md")], ds)
    assert result.grids == []
    assert "left out (no label is a model or metric the registries know)" in result.review()[0]
    forced = run([(text.encode(), "x.md")], ds, everything=True)
    assert [f.slug for f in forced.files] == ["x-table-9"]


# --- Identity: the known traps ------------------------------------------------------------


def resolve(ds, label, kind="models", report=None, base=False, mapping=None):
    return Registry(ds).resolve(kind, label, report, base, mapping)


def test_a_later_model_printed_like_an_earlier_ones_alias_is_not_merged(ds, tmp_path):
    """QwQ-32B (March 2025) ≠ QwQ-32B-Preview (November 2024), which one report prints 'QwQ-32B'."""
    data = tmp_path / "benchmarks"
    shutil.copytree(DATA, data)
    models = data / "models.yaml"
    models.write_text(models.read_text(encoding="utf-8").replace(
        "name: QwQ-32B\n", "name: QwQ-32B-Preview\n"), encoding="utf-8")
    preview = load(data)
    assert resolve(preview, "QwQ-32B-Preview").id == "qwq-32b"
    assert resolve(preview, "QwQ-32B", report=GALAXY).id == "qwq-32b"  # the report's own label
    elsewhere = resolve(preview, "QwQ-32B", report="some-2025-06-report")
    assert elsewhere.status == AMBIGUOUS and elsewhere.candidates == ("qwq-32b",)


def test_a_base_model_printed_like_its_chat_model_is_not_merged(ds):
    chat = resolve(ds, "DeepSeek-V3")
    base = resolve(ds, "DeepSeek-V3", base=True)
    assert (chat.status, chat.id) == (MATCHED, "deepseek-v3")
    assert (base.status, base.id, base.candidates) == (AMBIGUOUS, "deepseek-v3-base",
                                                       ("deepseek-v3",))


def test_the_v3_base_model_table_proposes_base_models(ds):
    source = SOURCES / "deepseek-ai_DeepSeek-V3__1.md"
    (layout,) = run([(source.read_bytes(), source.name)], ds).grids
    found = {m.label: (m.resolution.status, m.resolution.id) for m in layout.models}
    assert found["DeepSeek-V3"] == (AMBIGUOUS, "deepseek-v3-base")
    mapped = run([(source.read_bytes(), source.name)], ds,
                 mapping={"DeepSeek-V3": "deepseek-v3-base"}).grids[0]
    assert {m.label: m.resolution.how for m in mapped.models}["DeepSeek-V3"] == "given with --map"


@pytest.mark.parametrize(("label", "status", "found"), [
    ("OpenAI o1", PROPOSED, "openai-o1"),  # no version: not o1-1217
    ("OpenAI o1-1217", MATCHED, "openai-o1-1217"),
    ("o1-1217", MATCHED, "openai-o1-1217"),
    ("GPT-4o 0513", MATCHED, "gpt-4o-0513"),
    ("GPT-4o-0513", MATCHED, "gpt-4o-0513"),
    ("OpenAI-o1-mini", MATCHED, "o1-mini"),
    ("Llama 3.1 405B", MATCHED, "llama-3-1-405b"),
    ("Claude-Sonnet-3.5-1022", AMBIGUOUS, None),  # the same words in another order
])
def test_model_labels(ds, label, status, found):
    r = resolve(ds, label)
    assert r.status == status
    if found:
        assert r.id == found


def test_instruct_spellings_are_one_new_model_apart_from_the_base(ds):
    resolver = Resolver(Registry(ds))
    a, b = resolver("models", "Llama3.1 405B-Inst."), resolver("models", "LLaMA-3.1 405B-Inst.")
    assert a.status == b.status == PROPOSED and a.id == b.id
    assert a.id != "llama-3-1-405b"


@pytest.mark.parametrize(("label", "status", "found"), [
    ("GPQA-Diamond (Pass@1)", MATCHED, "gpqa-diamond-pass1"),
    ("GPQA Diamond (Pass@1)", MATCHED, "gpqa-diamond-pass1"),
    ("AIME 2024 (Pass@1)", MATCHED, "aime-2024-pass1"),
    ("MMLU (EM)", PROPOSED, "mmlu-em"),  # not MMLU (Pass@1)
])
def test_metric_labels(ds, label, status, found):
    r = resolve(ds, label, kind="metrics")
    assert (r.status, r.id) == (status, found)


def test_livecodebench_cot_is_kept_apart_from_plain_pass1(ds):
    cot = resolve(ds, "LiveCodeBench (Pass@1-COT)", kind="metrics", report="elsewhere")
    plain = resolve(ds, "LiveCodeBench (Pass@1)", kind="metrics")
    assert (plain.status, plain.id) == (MATCHED, "livecodebench-pass1")
    assert (cot.status, cot.id) == (MATCHED, "livecodebench-pass1-cot")


def test_two_labels_of_one_table_never_share_an_entry(ds):
    """The second label that resolves to an entry the table already has is ambiguous."""
    layout = layout_of(ds, """
| Benchmark (Metric) | DeepSeek V3 |
|---|---|
| AIME 2024 (Pass@1) | 39.2 |
| AIME 2024 pass@1 | 39.2 |
""")
    first, second = (m.resolution for m in layout.metrics)
    assert (first.status, first.id) == (MATCHED, "aime-2024-pass1")
    assert second.status == AMBIGUOUS and second.candidates == ("aime-2024-pass1",)
    assert second.id != "aime-2024-pass1"


def test_map_settles_a_label(ds):
    r = resolve(ds, "Claude-Sonnet-3.5-1022", mapping={"Claude-Sonnet-3.5-1022":
                                                        "claude-3-5-sonnet-1022"})
    assert (r.status, r.id, r.how) == (MATCHED, "claude-3-5-sonnet-1022", "given with --map")


# --- Options and bad input ------------------------------------------------------------------


def test_options_are_checked():
    assert parse_pages("13-15") == (13, 15) and parse_pages("7") == (7, 7)
    for bad in ("15-13", "0", "x"):
        with pytest.raises(SourceError, match="pages"):
            parse_pages(bad)
    assert parse_mapping(["GPT-4o 0513=gpt-4o-0513"]) == {"GPT-4o 0513": "gpt-4o-0513"}
    with pytest.raises(SourceError, match="map"):
        parse_mapping(["nothing"])


@pytest.mark.parametrize(("args", "says"), [
    (["import", "/no/such/file.md"], "No such file"),
    (["import", SEED, "--check", "nope"], "check: there is no grid 'nope'"),
    (["import", SEED, "--map", "x"], "map: 'x' is not LABEL=ID"),
])
def test_bad_arguments_say_what_is_wrong(args, says):
    result = cli(*args)
    assert result.returncode != 0 and says in result.stderr
    assert "Traceback" not in result.stderr


def test_binary_junk_is_refused(tmp_path):
    junk = tmp_path / "junk.md"
    junk.write_bytes(b"\x00\xff" * 100)
    result = cli("import", junk)
    assert result.returncode == 1
    assert "not a text file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("text", "printed", "bold"), [
    ("88.5<sup>1</sup>", "88.5¹", False),  # not 88.51
    ("**90.8**<sup>†</sup>", "90.8†", True),
    ("Claude-3.5-<br>Sonnet-1022", "Claude-3.5-\nSonnet-1022", False),
    ("**x**<br>**y**", "x\ny", True),
    ("[🤗 HuggingFace](https://huggingface.co/x)", "🤗 HuggingFace", False),
    ("", "", False),
])
def test_markdown_cells_as_printed(text, printed, bold):
    from leaderboard.importing.markdown import cell

    assert (cell(text).text, cell(text).bold) == (printed, bold)


def test_a_proposed_metric_names_its_benchmark_and_measure(ds):
    source = SOURCES / "deepseek-ai_DeepSeek-V3__1.md"
    metrics = {m["name"]: m for m in run([(source.read_bytes(), source.name)], ds).metrics}
    assert (metrics["MMLU (Acc.), 5-shot"]["benchmark"],
            metrics["MMLU (Acc.), 5-shot"]["measure"]) == ("MMLU", "Acc., 5-shot")
    assert (metrics["Pile-test (BPB)"]["benchmark"], metrics["Pile-test (BPB)"]["measure"]) == (
        "Pile-test", "BPB")
