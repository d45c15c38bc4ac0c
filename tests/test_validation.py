"""Broken data files are reported with file, row and field, and nothing is loaded."""

import csv
import re
import shutil

import pytest
from click.testing import CliRunner
from conftest import DATA_DIR
from marshmallow import ValidationError

from leaderboard import create_app, data
from leaderboard.cli import main
from leaderboard.data import DataError, load
from leaderboard.schemas import CellSchema


def replace(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def append(path, line):
    with path.open("a", encoding="utf-8") as f:
        f.write(line + "\n")


# Each case: how to break the data, then the file, row, field and a piece of the message.
CASES = {
    "unknown model label": (
        lambda d: replace(d / "grids/r1-distilled.csv", "QwQ-32B,AIME 2024 pass@1", "QwQ-33B,AIME 2024 pass@1"),
        "grids/r1-distilled.csv", 20, "model", "unknown model label 'QwQ-33B'",
    ),
    "unknown metric label": (
        lambda d: replace(d / "grids/r1-vs-frontier.csv", "DeepSeek R1,MMLU (Pass@1)", "DeepSeek R1,MMLU (Pass@2)"),
        "grids/r1-vs-frontier.csv", 7, "metric", "unknown metric label 'MMLU (Pass@2)'",
    ),
    "duplicate cell": (
        lambda d: append(d / "grids/r1-distilled.csv", "o1-mini,AIME 2024 pass@1,63.6,63.6"),
        "grids/r1-distilled.csv", 62, "model", "duplicate cell 'o1-mini' × 'AIME 2024 pass@1' (first at row 14)",
    ),
    "value not a number": (
        lambda d: replace(d / "grids/cost-and-scale.csv", "6300 万美元,6.3e7", "6300 万美元,6300万"),
        "grids/cost-and-scale.csv", 14, "value", "'6300万': Not a valid number.",
    ),
    "value disagrees with the printed number": (
        lambda d: replace(d / "grids/r1-distilled.csv", "44.0,44.0", "44.0,40.0"),
        "grids/r1-distilled.csv", 20, "value", "'40.0' does not match the printed '44.0'",
    ),
    "a value for a dash": (
        lambda d: replace(d / "grids/r1-vs-frontier.csv", "OpenAI o1-1217,MMLU-Redux (EM),-,,", "OpenAI o1-1217,MMLU-Redux (EM),-,0,"),
        "grids/r1-vs-frontier.csv", 12, "value", "printed '-' means not reported: leave value empty",
    ),
    "a boolean that is not one": (
        lambda d: replace(d / "grids/cost-and-scale.csv", "是,true", "是,yes"),
        "grids/cost-and-scale.csv", 27, "value", "'yes': Not a valid boolean.",
    ),
    "unit missing": (
        lambda d: replace(d / "metrics.yaml", 'measure: EM, unit: "%", scale: [0, 100], higher_is_better: true, category: Chinese}', "measure: EM, scale: [0, 100], higher_is_better: true, category: Chinese}"),
        "metrics.yaml", 43, "unit", "Missing data for required field.",
    ),
    "direction missing": (
        lambda d: replace(d / "metrics.yaml", "unit: Elo rating, higher_is_better: true, ", "unit: Elo rating, "),
        "metrics.yaml", 32, "higher_is_better", "Missing data for required field.",
    ),
    "unknown model in a grid": (
        lambda d: replace(d / "grids/r1-distilled.yaml", "id: qwq-32b}", "id: qwq-32b-preview}"),
        "grids/r1-distilled.yaml", 16, "models[3].id", "unknown model 'qwq-32b-preview'",
    ),
    "unknown metric in a grid": (
        lambda d: replace(d / "grids/r1-distilled.yaml", "id: aime-2024-cons64}", "id: aime-2024-cons32}"),
        "grids/r1-distilled.yaml", 25, "metrics[1].id", "unknown metric 'aime-2024-cons32'",
    ),
    "unknown report": (
        lambda d: replace(d / "grids/on-device-llms.yaml", "report: galaxy-2025-02-deepseek", "report: galaxy-2025"),
        "grids/on-device-llms.yaml", 5, "source.report", "unknown report 'galaxy-2025'",
    ),
    "unknown teacher": (
        lambda d: replace(d / "models.yaml", "  teacher: deepseek-r1\n", "  teacher: deepseek-r2\n"),
        "models.yaml", 103, "teacher", "unknown teacher model 'deepseek-r2'",
    ),
    "page not a number": (
        lambda d: replace(d / "grids/r1-distilled.yaml", "page: 6", "page: six"),
        "grids/r1-distilled.yaml", 7, "source.page", "Not a valid integer.",
    ),
    "bad parameter count": (
        lambda d: replace(d / "models.yaml", "total_params: 405B", "total_params: 405 billion"),
        "models.yaml", 74, "total_params", "'405 billion' is not a parameter count",
    ),
    "duplicate model id": (
        lambda d: replace(d / "models.yaml", "- id: o3-mini", "- id: o1-mini"),
        "models.yaml", 30, "id", "duplicate id 'o1-mini' (first at line 22)",
    ),
    "missing cell in a full grid": (
        lambda d: replace(d / "grids/r1-distilled.csv", "o1-mini,MATH-500 pass@1,90.0,90.0\n", ""),
        "grids/r1-distilled.csv", 0, "cells", "no cell for 'o1-mini' × 'MATH-500 pass@1'",
    ),
    "YAML syntax error": (
        lambda d: replace(d / "grids/api-pricing.yaml", "sparse: true", "sparse: [true"),
        "grids/api-pricing.yaml", 12, "yaml", "expected ',' or ']'",
    ),
    "cells file without its grid": (
        lambda d: (d / "grids/stray.csv").write_text("model,metric,printed\n", encoding="utf-8"),
        "grids/stray.csv", 0, "grid", "stray.yaml is missing beside it",
    ),
    "unknown cells column": (
        lambda d: replace(d / "grids/inference-efficiency.csv", "model,metric,printed,value", "model,metric,printed,valeu"),
        "grids/inference-efficiency.csv", 1, "header", "unknown column(s) ['valeu']",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_broken_data_names_file_row_and_field(data_copy, case):
    breaker, file, row, field, message = CASES[case]
    breaker(data_copy)
    with pytest.raises(DataError) as info:
        load(data_copy)
    found = [p for p in info.value.problems if p.file == str(data_copy / file)]
    assert found, info.value.problems
    problem = found[0]
    assert (problem.row, problem.field) == (row, field), problem
    assert message in problem.message
    assert str(problem) == f"{data_copy / file}:{row}: {field}: {problem.message}"


def test_every_problem_is_reported_at_once(data_copy):
    for case in ("unknown model label", "unit missing", "value not a number"):
        CASES[case][0](data_copy)
    with pytest.raises(DataError) as info:
        load(data_copy)
    assert {p.field for p in info.value.problems} >= {"model", "unit", "value"}


def test_the_app_refuses_to_start_on_broken_data(data_copy):
    CASES["unknown model label"][0](data_copy)
    with pytest.raises(DataError, match=r"r1-distilled\.csv:20: model: unknown model label"):
        create_app({"DATA_DIR": str(data_copy)})


def test_the_app_refuses_a_missing_directory(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        create_app({"DATA_DIR": str(tmp_path / "nowhere")})


def test_validate_command_passes_on_the_bundled_data():
    written = not (DATA_DIR / ".snapshot").exists()
    try:
        result = CliRunner().invoke(main, ["validate", "--no-downloads"])
    finally:
        if written:  # the run leaves the checkout as it found it
            shutil.rmtree(DATA_DIR / ".snapshot", ignore_errors=True)
    assert result.exit_code == 0, result.output
    assert re.match(r"ok: .*: 17 grids, \d+ models, \d+ metrics, 952 cells, 14 conflicts",
                    result.output)
    assert "downloads written" not in result.output


def test_validate_command_prints_problems_and_fails(data_copy):
    CASES["value not a number"][0](data_copy)
    CASES["direction missing"][0](data_copy)
    result = CliRunner().invoke(main, ["validate", str(data_copy)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{data_copy}/grids/cost-and-scale.csv:14: value: '6300万': Not a valid number." in lines
    assert f"{data_copy}/metrics.yaml:32: higher_is_better: Missing data for required field." in lines
    assert lines[-1] == f"2 problem(s) in {data_copy}"


def test_data_dir_from_the_environment(data_copy, monkeypatch):
    CASES["unit missing"][0](data_copy)
    monkeypatch.setenv("LEADERBOARD_DATA_DIR", str(data_copy))
    with pytest.raises(DataError, match="unit: Missing data"):
        create_app()


@pytest.mark.parametrize("memo_limit", [2, 50_000])
def test_cells_are_checked_row_by_row_as_the_schema_says(data_copy, monkeypatch, memo_limit):
    """Distinct texts are validated once and remembered: every row with a bad text is still
    reported, with CellSchema's own message, also when the memory is cleared as it fills."""
    monkeypatch.setattr(data, "_MEMO_LIMIT", memo_limit)
    path = data_copy / "grids/r1-distilled.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    extra = ["maybe,,", ",0,", "maybe,0,a note", ",,", "true,3,", ",x,"]
    lines = [lines[0] + ",bold,page,note"] + [
        f"{line},{extra[i % len(extra)]}" for i, line in enumerate(lines[1:])
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = {}
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        for raw in reader:
            try:
                CellSchema().load(raw)
            except ValidationError as e:
                expected[reader.line_num] = {
                    (name, message) for name, messages in e.messages.items() for message in messages
                }
    assert len(expected) == 40  # 4 of every 6 rows are broken

    with pytest.raises(DataError) as info:
        load(data_copy)
    found = {}
    for p in info.value.problems:
        assert p.file == str(path), p
        found.setdefault(p.row, set()).add((p.field, p.message))
    assert found == expected


# A cells file that is not a table of rows as wide as its header: one problem, at the row
# where it goes wrong, and no "no cell for" for the cells it hides.
BROKEN_ROWS = {
    "extra fields": (
        "GPT-4o-0513,LiveCodeBench pass@1,32.9,32.9\n", "GPT-4o-0513,LiveCodeBench pass@1,32.9,32.9,x,y\n",
        "6: cells: row has 6 fields, the header has 4",
    ),
    "missing field": (
        "o1-mini,MATH-500 pass@1,90.0,90.0\n", "o1-mini,MATH-500 pass@1,90.0\n",
        "16: cells: row has 3 fields, the header has 4",
    ),
    "unterminated quote": (
        "GPT-4o-0513,AIME 2024 cons@64,13.4,13.4\n", 'GPT-4o-0513,AIME 2024 cons@64,"13.4,13.4\n',
        "3: cells: a quote opened on this row is never closed",
    ),
    "unterminated quote on the last row": (
        "CodeForces rating,1633.0,1633.0\n", 'CodeForces rating,1633.0,"1633.0\n',
        "61: cells: a quote opened on this row is never closed",
    ),
    "quote closed on a later row": (
        "GPT-4o-0513,AIME 2024 cons@64,13.4,13.4\n", 'GPT-4o-0513,AIME 2024 cons@64,"13.4,13.4\n',
        "3: cells: a quote opened on this row is closed only on line 14: a row is one line",
    ),
    "text after a closing quote": (
        "GPT-4o-0513,AIME 2024 pass@1,9.3,9.3\n", 'GPT-4o-0513,AIME 2024 pass@1,"9.3"x,9.3\n',
        "2: cells: not valid CSV: ',' expected after '\"'",
    ),
}


@pytest.mark.parametrize("case", BROKEN_ROWS, ids=list(BROKEN_ROWS))
def test_validate_reports_a_broken_row_once_where_it_is(data_copy, case):
    old, new, line = BROKEN_ROWS[case]
    path = data_copy / "grids/r1-distilled.csv"
    replace(path, old, new)
    if case == "quote closed on a later row":
        replace(path, "o1-mini,AIME 2024 pass@1,63.6,63.6\n", 'o1-mini,AIME 2024 pass@1,63.6,63.6"\n')
    result = CliRunner().invoke(main, ["validate", str(data_copy)])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [f"{path}:{line}", f"1 problem(s) in {data_copy}"]
    with pytest.raises(DataError):  # nothing half-loaded
        load(data_copy)


def test_a_quoted_field_with_commas_and_quotes_is_one_field(data_copy):
    path = data_copy / "grids/r1-distilled.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",note", lines[1] + ',"a note, with ""quotes"", and commas"'] + [
        line + "," for line in lines[2:]]
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")  # a blank line at the end: fine
    ds = load(data_copy)
    notes = ds.results[ds.results["grid"] == "r1-distilled"]["note"].dropna().tolist()
    assert notes == ['a note, with "quotes", and commas']


@pytest.mark.parametrize(("file", "old", "new", "row", "field", "char"), [
    ("grids/r1-distilled.csv", "GPT-4o-0513,AIME 2024 pass@1,9.3,9.3",
     "GPT-4o-0513,AIME 2024 pass@1,9.3\x0b,9.3", 2, "printed", "U+000B"),
    ("grids/r1-distilled.csv", "GPT-4o-0513,AIME 2024 pass@1,9.3,9.3",
     "GPT-4o-0513,AIME 2024 pass@1,9.3\x00,9.3", 2, "printed", "U+0000"),
    ("models.yaml", "name: GPT-4\n", 'name: "GPT-4\\e"\n', 35, "name", "U+001B"),
    ("grids/r1-distilled.yaml", 'caption: "图4: DeepSeek', 'caption: "图4:\\x7f DeepSeek', 3,
     "caption", "U+007F"),
])
def test_control_characters_are_refused_where_they_are(data_copy, file, old, new, row, field,
                                                         char):
    """A vertical tab in one printed cell passed validation, then broke the XLSX (500) and
    crashed the chart renderer."""
    path = data_copy / file
    replace(path, old, new)
    with pytest.raises(DataError) as e:
        load(data_copy)
    assert [str(p) for p in e.value.problems] == [
        f"{path}:{row}: {field}: holds the control character {char}, which no page, chart or "
        "spreadsheet can show: remove it"]
