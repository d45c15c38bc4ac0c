"""The tables DeepSeek published (shared/sources), imported cell-exact.

Each expectation below is typed from the published table: the model labels as printed, then
one row per metric with its band and the printed cells in the models' order; a leading `*`
marks a cell the source sets in bold (**x**). Nothing here is copied from the importer.
"""

import pytest

from leaderboard import ROOT
from leaderboard.data import load
from leaderboard.importing import run
from leaderboard.importing.layout import COLUMNS, ROWS

SOURCES = ROOT.parent / "shared" / "sources"

R1_MAIN_MODELS = ["Claude-3.5-Sonnet-1022", "GPT-4o 0513", "DeepSeek V3", "OpenAI o1-mini",
                  "OpenAI o1-1217", "DeepSeek R1"]
R1_MAIN = [
    ("MMLU (Pass@1)", "English", "88.3 87.2 88.5 85.2 *91.8 90.8"),
    ("MMLU-Redux (EM)", "English", "88.9 88.0 89.1 86.7 - *92.9"),
    ("MMLU-Pro (EM)", "English", "78.0 72.6 75.9 80.3 - *84.0"),
    ("DROP (3-shot F1)", "English", "88.3 83.7 91.6 83.9 90.2 *92.2"),
    ("IF-Eval (Prompt Strict)", "English", "*86.5 84.3 86.1 84.8 - 83.3"),
    ("GPQA-Diamond (Pass@1)", "English", "65.0 49.9 59.1 60.0 *75.7 71.5"),
    ("SimpleQA (Correct)", "English", "28.4 38.2 24.9 7.0 *47.0 30.1"),
    ("FRAMES (Acc.)", "English", "72.5 80.5 73.3 76.9 - *82.5"),
    ("AlpacaEval2.0 (LC-winrate)", "English", "52.0 51.1 70.0 57.8 - *87.6"),
    ("ArenaHard (GPT-4-1106)", "English", "85.2 80.4 85.5 92.0 - *92.3"),
    ("LiveCodeBench (Pass@1-COT)", "Code", "33.8 34.2 - 53.8 63.4 *65.9"),
    ("Codeforces (Percentile)", "Code", "20.3 23.6 58.7 93.4 *96.6 96.3"),
    ("Codeforces (Rating)", "Code", "717 759 1134 1820 *2061 2029"),
    ("SWE Verified (Resolved)", "Code", "*50.8 38.8 42.0 41.6 48.9 49.2"),
    ("Aider-Polyglot (Acc.)", "Code", "45.3 16.0 49.6 32.9 *61.7 53.3"),
    ("AIME 2024 (Pass@1)", "Math", "16.0 9.3 39.2 63.6 79.2 *79.8"),
    ("MATH-500 (Pass@1)", "Math", "78.3 74.6 90.2 90.0 96.4 *97.3"),
    ("CNMO 2024 (Pass@1)", "Math", "13.1 10.8 43.2 67.6 - *78.8"),
    ("CLUEWSC (EM)", "Chinese", "85.4 87.9 90.9 89.9 - *92.8"),
    ("C-Eval (EM)", "Chinese", "76.7 76.0 86.5 68.9 - *91.8"),
    ("C-SimpleQA (Correct)", "Chinese", "55.4 58.7 *68.0 40.3 - 63.7"),
]
R1_MAIN_ATTRIBUTES = [("DeepSeek V3", "architecture", "MoE"), ("DeepSeek R1", "architecture", "MoE"),
                      ("DeepSeek V3", "active_params", "37B"), ("DeepSeek R1", "active_params", "37B"),
                      ("DeepSeek V3", "total_params", "671B"), ("DeepSeek R1", "total_params", "671B")]

R1_DISTILLED_METRICS = ["AIME 2024 pass@1", "AIME 2024 cons@64", "MATH-500 pass@1",
                        "GPQA Diamond pass@1", "LiveCodeBench pass@1", "CodeForces rating"]
R1_DISTILLED = [  # models as rows: (model, cells in the metrics' order)
    ("GPT-4o-0513", "9.3 13.4 74.6 49.9 32.9 759"),
    ("Claude-3.5-Sonnet-1022", "16.0 26.7 78.3 65.0 38.9 717"),
    ("o1-mini", "63.6 80.0 90.0 60.0 53.8 *1820"),
    ("QwQ-32B-Preview", "44.0 60.0 90.6 54.5 41.9 1316"),
    ("DeepSeek-R1-Distill-Qwen-1.5B", "28.9 52.7 83.9 33.8 16.9 954"),
    ("DeepSeek-R1-Distill-Qwen-7B", "55.5 83.3 92.8 49.1 37.6 1189"),
    ("DeepSeek-R1-Distill-Qwen-14B", "69.7 80.0 93.9 59.1 53.1 1481"),
    ("DeepSeek-R1-Distill-Qwen-32B", "*72.6 83.3 94.3 62.1 57.2 1691"),
    ("DeepSeek-R1-Distill-Llama-8B", "50.4 80.0 89.1 49.0 39.6 1205"),
    ("DeepSeek-R1-Distill-Llama-70B", "70.0 *86.7 *94.5 *65.2 *57.5 1633"),
]

V3_BASE_MODELS = ["DeepSeek-V2", "Qwen2.5 72B", "LLaMA3.1 405B", "DeepSeek-V3"]
V3_BASE = [  # the metric label joins the benchmark and its # Shots, when it has one
    ("Pile-test (BPB)", "English", "0.606 0.638 *0.542 0.548"),
    ("BBH (EM), 3-shot", "English", "78.8 79.8 82.9 *87.5"),
    ("MMLU (Acc.), 5-shot", "English", "78.4 85.0 84.4 *87.1"),
    ("MMLU-Redux (Acc.), 5-shot", "English", "75.6 83.2 81.3 *86.2"),
    ("MMLU-Pro (Acc.), 5-shot", "English", "51.4 58.3 52.8 *64.4"),
    ("DROP (F1), 3-shot", "English", "80.4 80.6 86.0 *89.0"),
    ("ARC-Easy (Acc.), 25-shot", "English", "97.6 98.4 98.4 *98.9"),
    ("ARC-Challenge (Acc.), 25-shot", "English", "92.2 94.5 *95.3 *95.3"),
    ("HellaSwag (Acc.), 10-shot", "English", "87.1 84.8 *89.2 88.9"),
    ("PIQA (Acc.), 0-shot", "English", "83.9 82.6 *85.9 84.7"),
    ("WinoGrande (Acc.), 5-shot", "English", "*86.3 82.3 85.2 84.9"),
    ("RACE-Middle (Acc.), 5-shot", "English", "73.1 68.1 *74.2 67.1"),
    ("RACE-High (Acc.), 5-shot", "English", "52.6 50.3 *56.8 51.3"),
    ("TriviaQA (EM), 5-shot", "English", "80.0 71.9 82.7 *82.9"),
    ("NaturalQuestions (EM), 5-shot", "English", "38.6 33.2 *41.5 40.0"),
    ("AGIEval (Acc.), 0-shot", "English", "57.5 75.8 60.6 *79.6"),
    ("HumanEval (Pass@1), 0-shot", "Code", "43.3 53.0 54.9 *65.2"),
    ("MBPP (Pass@1), 3-shot", "Code", "65.0 72.6 68.4 *75.4"),
    ("LiveCodeBench-Base (Pass@1), 3-shot", "Code", "11.6 12.9 15.5 *19.4"),
    ("CRUXEval-I (Acc.), 2-shot", "Code", "52.5 59.1 58.5 *67.3"),
    ("CRUXEval-O (Acc.), 2-shot", "Code", "49.8 59.9 59.9 *69.8"),
    ("GSM8K (EM), 8-shot", "Math", "81.6 88.3 83.5 *89.3"),
    ("MATH (EM), 4-shot", "Math", "43.4 54.4 49.0 *61.6"),
    ("MGSM (EM), 8-shot", "Math", "63.6 76.2 69.9 *79.8"),
    ("CMath (EM), 3-shot", "Math", "78.7 84.5 77.3 *90.7"),
    ("CLUEWSC (EM), 5-shot", "Chinese", "82.0 82.5 *83.0 82.7"),
    ("C-Eval (Acc.), 5-shot", "Chinese", "81.4 89.2 72.5 *90.1"),
    ("CMMLU (Acc.), 5-shot", "Chinese", "84.0 *89.5 73.7 88.8"),
    ("CMRC (EM), 1-shot", "Chinese", "*77.4 75.8 76.0 76.3"),
    ("C3 (Acc.), 0-shot", "Chinese", "77.4 76.7 *79.7 78.6"),
    ("CCPM (Acc.), 0-shot", "Chinese", "*93.0 88.5 78.6 92.0"),
    ("MMMLU-non-English (Acc.), 5-shot", "Multilingual", "64.0 74.8 73.8 *79.4"),
]

V3_CHAT_MODELS = ["DeepSeek V2-0506", "DeepSeek V2.5-0905", "Qwen2.5 72B-Inst.",
                  "Llama3.1 405B-Inst.", "Claude-3.5-Sonnet-1022", "GPT-4o 0513", "DeepSeek V3"]
V3_CHAT = [
    ("MMLU (EM)", "English", "78.2 80.6 85.3 *88.6 *88.3 87.2 *88.5"),
    ("MMLU-Redux (EM)", "English", "77.9 80.3 85.6 86.2 *88.9 88.0 *89.1"),
    ("MMLU-Pro (EM)", "English", "58.5 66.2 71.6 73.3 *78.0 72.6 75.9"),
    ("DROP (3-shot F1)", "English", "83.0 87.8 76.7 88.7 88.3 83.7 *91.6"),
    ("IF-Eval (Prompt Strict)", "English", "57.7 80.6 84.1 86.0 *86.5 84.3 86.1"),
    ("GPQA-Diamond (Pass@1)", "English", "35.3 41.3 49.0 51.1 *65.0 49.9 59.1"),
    ("SimpleQA (Correct)", "English", "9.0 10.2 9.1 17.1 28.4 *38.2 24.9"),
    ("FRAMES (Acc.)", "English", "66.9 65.4 69.8 70.0 72.5 *80.5 73.3"),
    ("LongBench v2 (Acc.)", "English", "31.6 35.4 39.4 36.1 41.0 48.1 *48.7"),
    ("HumanEval-Mul (Pass@1)", "Code", "69.3 77.4 77.3 77.2 81.7 80.5 *82.6"),
    ("LiveCodeBench (Pass@1-COT)", "Code", "18.8 29.2 31.1 28.4 36.3 33.4 *40.5"),
    ("LiveCodeBench (Pass@1)", "Code", "20.3 28.4 28.7 30.1 32.8 34.2 *37.6"),
    ("Codeforces (Percentile)", "Code", "17.5 35.6 24.8 25.3 20.3 23.6 *51.6"),
    ("SWE Verified (Resolved)", "Code", "- 22.6 23.8 24.5 *50.8 38.8 42.0"),
    ("Aider-Edit (Acc.)", "Code", "60.3 71.6 65.4 63.9 *84.2 72.9 79.7"),
    ("Aider-Polyglot (Acc.)", "Code", "- 18.2 7.6 5.8 45.3 16.0 *49.6"),
    ("AIME 2024 (Pass@1)", "Math", "4.6 16.7 23.3 23.3 16.0 9.3 *39.2"),
    ("MATH-500 (EM)", "Math", "56.3 74.7 80.0 73.8 78.3 74.6 *90.2"),
    ("CNMO 2024 (Pass@1)", "Math", "2.8 10.8 15.9 6.8 13.1 10.8 *43.2"),
    ("CLUEWSC (EM)", "Chinese", "89.9 90.4 *91.4 84.7 85.4 87.9 90.9"),
    ("C-Eval (EM)", "Chinese", "78.6 79.5 86.1 61.5 76.7 76.0 *86.5"),
    ("C-SimpleQA (Correct)", "Chinese", "48.5 54.1 48.4 50.4 51.3 59.3 *64.8"),
]

V3_OPEN_ENDED_METRICS = ["Arena-Hard", "AlpacaEval 2.0"]
V3_OPEN_ENDED = [
    ("DeepSeek-V2.5-0905", "76.2 50.5"), ("Qwen2.5-72B-Instruct", "81.2 49.1"),
    ("LLaMA-3.1 405B", "69.3 40.5"), ("GPT-4o-0513", "80.4 51.1"),
    ("Claude-Sonnet-3.5-1022", "85.2 52.0"), ("DeepSeek-V3", "*85.5 *70.0"),
]

DOWNLOADS = {  # model -> (#Total Params, #Activated Params, Context Length), none bold
    "deepseek-ai_DeepSeek-R1__3.md": {"DeepSeek-R1-Zero": ("671B", "37B", "128K"),
                                      "DeepSeek-R1": ("671B", "37B", "128K")},
    "deepseek-ai_DeepSeek-V3__4.md": {"DeepSeek-V3-Base": ("671B", "37B", "128K"),
                                      "DeepSeek-V3": ("671B", "37B", "128K")},
}


def by_metric(models, rows, with_band=True):
    """{(model, metric): (printed, bold)} and [(metric, band)] from rows typed above."""
    cells, metrics = {}, []
    for metric, band, texts in rows:
        metrics.append((metric, band) if with_band else metric)
        for model, text in zip(models, texts.split(), strict=True):
            cells[(model, metric)] = (text.lstrip("*"), text.startswith("*"))
    return cells, metrics


def by_model(metrics, rows):
    cells = {}
    for model, texts in rows:
        for metric, text in zip(metrics, texts.split(), strict=True):
            cells[(model, metric)] = (text.lstrip("*"), text.startswith("*"))
    return cells


def imported(name):
    source = SOURCES / name
    result = run([(source.read_bytes(), source.name)], load(ROOT / "data" / "benchmarks"))
    (layout,) = result.grids
    got = {(c.model, c.metric): (c.printed, c.bold) for c in layout.cells}
    for c in layout.cells:  # every value is the printed number, and '-' is not reported
        expected = None if c.printed == "-" else float(c.printed.rstrip("K")) * (
            1000 if c.printed.endswith("K") else 1)
        assert c.value == expected, (c.model, c.metric, c.printed, c.value)
    return layout, got


@pytest.mark.parametrize(("name", "models_as", "models", "rows"), [
    ("deepseek-ai_DeepSeek-R1__1.md", COLUMNS, R1_MAIN_MODELS, R1_MAIN),
    ("deepseek-ai_DeepSeek-V3__1.md", COLUMNS, V3_BASE_MODELS, V3_BASE),
    ("deepseek-ai_DeepSeek-V3__2.md", COLUMNS, V3_CHAT_MODELS, V3_CHAT),
])
def test_models_as_columns_tables_are_cell_exact(name, models_as, models, rows):
    layout, got = imported(name)
    expected, metrics = by_metric(models, rows)
    assert layout.models_as == models_as
    assert [m.label for m in layout.models] == models
    assert [(m.label, m.band) for m in layout.metrics] == metrics
    assert got == expected


def test_the_r1_main_table_gives_model_attributes():
    layout, _ = imported("deepseek-ai_DeepSeek-R1__1.md")
    assert [(a.model, a.field, a.printed) for a in layout.attributes] == R1_MAIN_ATTRIBUTES


@pytest.mark.parametrize(("name", "metrics", "rows"), [
    ("deepseek-ai_DeepSeek-R1__2.md", R1_DISTILLED_METRICS, R1_DISTILLED),
    ("deepseek-ai_DeepSeek-V3__3.md", V3_OPEN_ENDED_METRICS, V3_OPEN_ENDED),
])
def test_models_as_rows_tables_are_cell_exact(name, metrics, rows):
    layout, got = imported(name)
    assert layout.models_as == ROWS
    assert [m.label for m in layout.models] == [model for model, _ in rows]
    assert [m.label for m in layout.metrics] == metrics
    assert got == by_model(metrics, rows)


@pytest.mark.parametrize("name", list(DOWNLOADS))
def test_download_tables_give_parameter_counts_and_context_length(name):
    layout, got = imported(name)
    expected = DOWNLOADS[name]
    assert got == {(model, "Context Length"): (values[2], False)
                   for model, values in expected.items()}
    assert sorted((a.model, a.field, a.printed) for a in layout.attributes) == sorted(
        [(m, "total_params", v[0]) for m, v in expected.items()]
        + [(m, "active_params", v[1]) for m, v in expected.items()])
    assert layout.left_out == ["the column 'Download': text that is neither a label nor a value"]


# --- The same published tables in other formats -------------------------------------------

def _html_r1_main():
    """图5's source table as a model card would put it in HTML: bands by rowspan, bold by
    <strong>, names broken by <br>, the caption under the table."""
    bands = {}
    for _, band, _ in R1_MAIN:
        bands[band] = bands.get(band, 0) + 1
    head = "".join(f"<th>{m.replace('-', '-<br>', 1) if m.startswith('Claude') else m}</th>"
                   for m in R1_MAIN_MODELS)
    rows, seen = [], set()
    for metric, band, texts in R1_MAIN:
        first = "" if band in seen else f'<td rowspan="{bands[band]}">{band}</td>'
        seen.add(band)
        cells = "".join(f"<td><strong>{t[1:]}</strong></td>" if t.startswith("*") else f"<td>{t}"
                        for t in texts.split())  # unclosed <td>s, as real cards have them
        rows.append(f"<tr>{first}<td>{metric}{cells}</tr>")
    return (f"<table><thead><tr><th>Category</th><th>Benchmark (Metric)</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table><p>Table 4 | DeepSeek-R1 and others</p>")


def test_an_html_model_card_imports_cell_exact():
    result = run([(_html_r1_main().encode(), "card.html")], load(ROOT / "data" / "benchmarks"))
    (layout,) = result.grids
    assert layout.table.caption == "Table 4 | DeepSeek-R1 and others"
    assert layout.models_as == COLUMNS
    assert [m.label for m in layout.models] == R1_MAIN_MODELS
    expected, metrics = by_metric(R1_MAIN_MODELS, R1_MAIN)
    assert [(m.label, m.band) for m in layout.metrics] == metrics
    assert {(c.model, c.metric): (c.printed, c.bold) for c in layout.cells} == expected


def test_csv_and_xlsx_of_the_distilled_table_import_cell_exact(tmp_path):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header = ["Model", *R1_DISTILLED_METRICS]
    lines = [",".join(header)] + [
        ",".join([model, *(f"**{t[1:]}**" if t.startswith("*") else t for t in texts.split())])
        for model, texts in R1_DISTILLED]
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for model, texts in R1_DISTILLED:
        sheet.append([model, *(t.lstrip("*") for t in texts.split())])
        for cell, text in zip(sheet[sheet.max_row][1:], texts.split(), strict=True):
            cell.font = Font(bold=text.startswith("*"))
            cell.data_type = "s"  # typed as text, so 759 and 44.0 show as printed
    path = tmp_path / "distilled.xlsx"
    book.save(path)
    ds = load(ROOT / "data" / "benchmarks")
    for data, name in (("\n".join(lines).encode(), "distilled.csv"),
                       (path.read_bytes(), "distilled.xlsx")):
        (layout,) = run([(data, name)], ds).grids
        assert [m.label for m in layout.models] == [model for model, _ in R1_DISTILLED], name
        assert {(c.model, c.metric): (c.printed, c.bold) for c in layout.cells} == by_model(
            R1_DISTILLED_METRICS, R1_DISTILLED), name


def test_the_papers_tables_import_cell_exact():
    """Tables 4, 5 and 6 of the R1 paper (pages 13-15), as the PDF prints them: the cells
    typed from the rendered pages in tests/test_import_pdf.py, the labels joined as printed."""
    from test_import_pdf import TABLE_4, TABLE_5, TABLE_6

    def mark(text):
        return (text.lstrip("^*"), text.lstrip("^").startswith("*"))

    paper = SOURCES / "DeepSeek_R1.pdf"
    result = run([(paper.read_bytes(), paper.name)], load(ROOT / "data" / "benchmarks"),
                 pages=(13, 15))
    table4, table5, table6 = result.grids
    assert [f.slug for f in result.files] == ["deepseek-r1-table-4", "deepseek-r1-table-5",
                                             "deepseek-r1-table-6"]
    models4 = ["Claude-3.5-Sonnet-1022", "GPT-4o 0513", "DeepSeek V3", "OpenAI o1-mini",
               "OpenAI o1-1217", "DeepSeek R1"]
    assert [m.label for m in table4.models] == models4
    assert {(c.model, c.metric): (c.printed, c.bold) for c in table4.cells} == {
        (model, row[1]): mark(text) for row in TABLE_4[4:]
        for model, text in zip(models4, row[2:], strict=True)}
    assert [(m.label, m.band) for m in table4.metrics][:2] == [("MMLU (Pass@1)", "English"),
                                                               ("MMLU-Redux (EM)", "English")]
    metrics5 = ["AIME 2024 pass@1", "AIME 2024 cons@64", "MATH-500 pass@1",
                "GPQA Diamond pass@1", "LiveCode Bench pass@1", "CodeForces rating"]
    for layout, rows, metrics in ((table5, TABLE_5, metrics5), (table6, TABLE_6, [
            "AIME 2024 pass@1", "AIME 2024 cons@64", "MATH-500 pass@1", "GPQA Diamond pass@1",
            "LiveCodeBench pass@1"])):
        assert [m.label for m in layout.metrics] == metrics
        assert {(c.model, c.metric): (c.printed, c.bold) for c in layout.cells} == {
            (row[0].lstrip("^*"), metric): mark(text) for row in rows[2:]
            for metric, text in zip(metrics, row[1:], strict=True)}
    assert [m.resolution.id for m in table5.metrics] == [
        "aime-2024-pass1", "aime-2024-cons64", "math-500-pass1", "gpqa-diamond-pass1",
        "livecodebench-pass1", "codeforces-rating"]


# --- The bundled grids of these tables hold exactly what the sources print -------------------


def _bundled_cells(slug):
    ds = load(ROOT / "data" / "benchmarks")
    grid, frames = ds.grids[slug], ds.frames[slug]
    models = {m.id: m.label for m in grid.models}
    metrics = {m.id: m.label for m in grid.metrics}
    return {(models[mo], metrics[me]): (frames.printed.at[mo, me], bool(frames.bold.at[mo, me]))
            for mo in models for me in metrics if frames.printed.at[mo, me] is not None}


@pytest.mark.parametrize(("slug", "expected"), [
    ("r1-readme-main", by_metric(R1_MAIN_MODELS, R1_MAIN)[0]),
    ("r1-readme-distilled", by_model(R1_DISTILLED_METRICS, R1_DISTILLED)),
    ("v3-readme-chat", by_metric(V3_CHAT_MODELS, V3_CHAT)[0]),
    ("v3-readme-base", by_metric(V3_BASE_MODELS, V3_BASE)[0]),
    ("v3-readme-open-ended", by_model(V3_OPEN_ENDED_METRICS, V3_OPEN_ENDED)),
])
def test_the_bundled_source_grids_hold_the_published_cells(slug, expected):
    assert _bundled_cells(slug) == expected


def test_the_registry_knows_qwq_32b_preview_under_the_label_figure_4_prints():
    ds = load(ROOT / "data" / "benchmarks")
    assert ds.models.at["qwq-32b", "name"] == "QwQ-32B-Preview"
    assert ds.models.at["qwq-32b", "release_date"] == "2024-11"
    labels = ds.models.at["qwq-32b", "labels"]
    assert labels["r1-distilled"] == "QwQ-32B"
    assert labels["r1-readme-distilled"] == labels["r1-paper-table-5"] == "QwQ-32B-Preview"
    assert ds.models.at["deepseek-v3-base", "labels"] == {"v3-readme-base": "DeepSeek-V3",
                                                          "v3-readme-downloads": "DeepSeek-V3-Base"}
    assert {"o1-mini", "openai-o1-1217"} <= set(ds.models.index)
    assert "openai-o1" not in ds.models.index  # no table prints an unversioned o1
