"""Downloads: the CSV of a view equals the page, long form carries sources, files are safe."""

import csv
import io
import json
import math

import pandas as pd
import pytest
from conftest import grid_rows, printed, soup
from openpyxl import load_workbook

from leaderboard import create_app
from leaderboard.exports import safe


def read_csv(response):
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")  # BOM: Excel reads the Chinese text as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


VIEW = "sort=aime-2024-pass1&distilled=yes&min_params=7B&baseline=deepseek-r1-distill-qwen-7b&average=yes"


def test_view_csv_equals_the_page_cell_for_cell(client):
    page = soup(client.get(f"/grids/r1-distilled?{VIEW}"))
    response = client.get(f"/grids/r1-distilled.csv?{VIEW}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    header, *rows = read_csv(response)
    page_rows = grid_rows(page)
    assert len(rows) == len(page_rows) == 5
    metric_headers = ["".join(s for s in th.a.find_all(string=True)  # the label, not the sort cue
                              if not s.find_parent(class_=["sr", "sort-cue"])).strip()
                      for th in page.select("thead tr:not(.bands) th.num:not(.average)") if th.a]
    # The average of every category, then Math's, English's and Code's (the grid's order).
    averages = ["Average", "Math average", "English average", "Code average"]
    assert header[:13] == ["Rank", "Model", "Better than DeepSeek-R1-Distill-Qwen-7B", "Worse", "Level",
                           *[f"{a} {what}" for a in averages
                             for what in ("(0-100)", "covers (metrics)")]]
    assert [h for h in header[13::3]] == [f"{label} ({unit})" for label, unit in zip(
        [h.replace("▼", "").strip() for h in metric_headers],
        ["%", "%", "%", "%", "%", "Elo rating"], strict=True)]
    summaries = [td.get_text(" ", strip=True) for td in page.select("td.summary")]
    for row, (rank, label, cells), summary in zip(rows, page_rows, summaries, strict=True):
        assert row[0] == rank and row[1] == label
        if summary:
            assert summary == f"{row[2]} better · {row[3]} worse · {row[4]} level"
        for average, (score, covered), of in zip(
                cells[:4], zip(row[5:13:2], row[6:13:2], strict=True), (6, 3, 1, 2), strict=True):
            assert (f"{float(score):.1f}" if score else "—") == average.contents[0].strip()
            assert average.small.get_text() == f"{covered} of {of}"
        for i, cell in enumerate(cells[4:]):
            value, diff, pct = row[13 + 3 * i: 16 + 3 * i]
            assert float(value) == float(printed(cell))
            shown = cell.select_one(".diff")
            if shown is None:  # the baseline's own row
                assert label == "DeepSeek-R1-Distill-Qwen-7B" and diff == pct == ""
                continue
            text = shown.get_text(" ", strip=True).replace("\u2212", "-")
            assert ("±0" if float(diff) == 0 else f"{round(float(diff), 2):+g}") in text


def test_view_csv_filename_and_version(client, dataset):
    response = client.get("/grids/r1-vs-frontier.csv?sort=aime-2024-pass1")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="r1-vs-frontier_sorted-by-aime-2024-pass1.csv"')
    assert response.headers["X-Data-Version"] == dataset.version
    response = client.get("/grids/r1-vs-frontier.csv?sort=aime-2024-pass1&order=asc&baseline=o1-mini&q=deepseek")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="r1-vs-frontier_sorted-by-aime-2024-pass1-asc_vs-o1-mini_filtered.csv"')


def test_missing_values_are_empty_cells_and_numbers_round_trip(client, dataset):
    response = client.get("/grids/r1-vs-frontier.csv")
    frame = pd.read_csv(io.BytesIO(response.get_data()), encoding="utf-8-sig")
    assert list(frame["Model"]) == ["Claude-3.5-Sonnet-1022", "GPT-4o 0513", "DeepSeek V3",
                                    "OpenAI o1-mini", "OpenAI o1-1217", "DeepSeek R1"]
    o1 = frame.set_index("Model").loc["OpenAI o1-1217"]
    assert math.isnan(o1["MMLU-Redux (EM) (%)"])
    assert o1["MMLU (Pass@1) (%)"] == 91.8
    values = dataset.frames["r1-vs-frontier"].values
    assert (frame.iloc[:, 1:].to_numpy() == values.to_numpy()).sum() == values.notna().sum().sum()


def test_long_form_carries_provenance(client):
    response = client.get("/grids/cost-and-scale.csv?format=long&metrics=api-output-price&sort=api-output-price")
    header, *rows = read_csv(response)
    assert header == ["grid", "model", "model_name", "model_label", "metric", "metric_name",
                      "metric_label", "unit", "value", "printed", "bold", "conflict", "note",
                      "report", "report_title", "publisher", "date", "label", "page", "cited",
                      "citation"]
    records = [dict(zip(header, r, strict=True)) for r in rows]
    assert [r["model"] for r in records] == ["deepseek-v3", "deepseek-r1", "gpt-4", "llama-3-1-405b"]
    r1 = records[1]
    assert (r1["value"], r1["printed"], r1["conflict"], r1["label"], r1["page"]) == (
        "3.29", "输出端：3.29 美元/百万 token", "true", "表4", "27")
    assert r1["cited"] == "资料来源：DeepSeek、CSDN、OpenAI，中国银河证券研究院"
    assert r1["citation"] == ("表4, p. 27, 中国银河证券研究院《DeepSeek：技术颠覆 or 创新共赢》(2025-02-03)"
                              " · 资料来源：DeepSeek、CSDN、OpenAI，中国银河证券研究院")
    assert r1["report_title"] == "DeepSeek：技术颠覆 or 创新共赢"
    assert records[3]["value"] == "" and records[3]["printed"] == "-"
    assert response.headers["Content-Disposition"].endswith('_long.csv"')


def test_all_csv_has_every_cell(client, dataset):
    response = client.get("/downloads/all.csv")
    frame = pd.read_csv(io.BytesIO(response.get_data()), encoding="utf-8-sig", dtype={"value": str})
    assert len(frame) == len(dataset.results)
    assert set(frame["grid"]) == set(dataset.grids)
    gpt = frame[(frame["model"] == "gpt-4") & (frame["metric"] == "api-input-price")].iloc[0]
    assert float(gpt["value"]) == 30.0 and gpt["printed"] == "输入端：0.03 美元/千 token"


def test_all_json(client, dataset):
    body = json.loads(client.get("/downloads/all.json").get_data())
    assert body["version"] == dataset.version
    assert [g["slug"] for g in body["grids"]] == list(dataset.grids)
    assert sum(len(g["results"]) for g in body["grids"]) == len(dataset.results)
    assert len(body["conflicts"]) == 14  # tests/test_api.py: DISAGREEMENTS
    # Each conflict once, at the end: a grid's cells flag theirs (a conflict repeated in every
    # grid that prints it made the file grow as grids × places).
    assert all("conflicts" not in g for g in body["grids"])
    flagged = {(r["model"], r["metric"]) for g in body["grids"] for r in g["results"] if r["conflict"]}
    assert flagged == {(c["model"], c["metric"]) for c in body["conflicts"]}


def test_all_xlsx_sheets_hold_the_reports_layout(client):
    response = client.get("/downloads/all.xlsx")
    assert response.headers["Content-Disposition"] == 'attachment; filename="leaderboard-all.xlsx"'
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == [
        "api-pricing", "r1-distilled", "r1-vs-frontier", "on-device-llms", "cost-and-scale",
        "text-figures", "inference-efficiency", "r1-readme-downloads", "r1-readme-main",
        "r1-readme-distilled", "r1-paper-table-4", "r1-paper-table-5", "r1-paper-table-6",
        "v3-readme-downloads", "v3-readme-base", "v3-readme-open-ended", "v3-readme-chat",
        "models", "metrics", "sources", "conflicts",
    ]
    fig5 = book["r1-vs-frontier"]  # printed with models as columns, as in the report
    assert fig5["A1"].value == "图5: DeepSeek-R1 与其他代表性模型在各个维度性能上的对比"
    # The report's block, then two empty columns and the numbers the chart beside it draws
    # (tests/test_xlsx_charts.py).
    assert [c.value for c in fig5[2]][:10] == [None, "Claude-3.5-Sonnet-1022", "GPT-4o 0513",
                                               "DeepSeek V3", "OpenAI o1-mini", "OpenAI o1-1217",
                                               "DeepSeek R1", None, None, "Model"]
    assert [c.value for c in fig5[3]][:10] == ["MMLU (Pass@1)", 88.3, 87.2, 88.5, 85.2, 91.8, 90.8,
                                               None, None, "Claude-3.5-Sonnet-1022"]
    assert fig5["F3"].font.bold and not fig5["G3"].font.bold
    assert fig5["F4"].value == "-"
    fig4 = book["r1-distilled"]  # models as rows
    assert [c.value for c in fig4[3]][:9] == ["GPT-4o-0513", 9.3, 13.4, 74.6, 49.9, 32.9, 759.0,
                                              None, None]
    table4 = book["cost-and-scale"]
    assert table4["D4"].value == "15 亿-70 亿（不同规模蒸馏版本）"
    conflicts = [[c.value for c in row] for row in book["conflicts"].iter_rows(min_row=2)]
    assert ["deepseek-r1", "api-output-price", "cost-and-scale", 3.29, "输出端：3.29 美元/百万 token",
            "表4, p. 27"] in conflicts
    assert book["sources"].max_row == 953


@pytest.mark.parametrize(
    ("text", "expected"),
    [("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1+2", "'+1+2"), ("@SUM(A1)", "'@SUM(A1)"),
     ("-2+3", "'-2+3"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("-", "-"), ("-1.5", "-1.5"), ("plain", "plain"),
     (-3.0, -3.0)],
)
def test_safe_neutralises_formulas_only(text, expected):
    assert safe(text) == expected


HOSTILE = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def hostile_client(data_copy):
    models = data_copy / "models.yaml"
    models.write_text(models.read_text(encoding="utf-8").replace(
        "name: QwQ-32B-Preview\n", f"name: '{HOSTILE}'\n"), encoding="utf-8")
    grid = data_copy / "grids/r1-distilled.csv"
    grid.write_text(grid.read_text(encoding="utf-8").replace("QwQ-32B,", "@SUM(1+1),"), encoding="utf-8")
    yaml = data_copy / "grids/r1-distilled.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("label: QwQ-32B,", "label: '@SUM(1+1)',"),
                    encoding="utf-8")
    return create_app({"DATA_DIR": str(data_copy)}).test_client()


def test_hostile_names_come_out_neutralised(hostile_client):
    header, *rows = read_csv(hostile_client.get("/grids/r1-distilled.csv?baseline=o1-mini"))
    assert header[:2] == ["Model", "Better than OpenAI o1-mini"]
    labels = [r[0] for r in rows]
    assert "'@SUM(1+1)" in labels and "@SUM(1+1)" not in labels
    negative = [float(r[5]) for r in rows if r[5] and float(r[5]) < 0]
    assert negative  # negative diffs stay numbers, not neutralised text
    all_rows = read_csv(hostile_client.get("/downloads/all.csv"))
    assert any(f"'{HOSTILE}" in row for row in all_rows)
    assert not any(HOSTILE in row for row in all_rows)
    book = load_workbook(io.BytesIO(hostile_client.get("/downloads/all.xlsx").get_data()))
    names = {c.value: c for c in book["models"]["B"]}
    assert names[HOSTILE].quotePrefix and names[HOSTILE].data_type == "s"
    assert f"'{HOSTILE}" not in names  # the quote prefix, not a ' added to the value
    label = book["r1-distilled"]["A6"]
    assert (label.value, label.quotePrefix, label.data_type) == ("@SUM(1+1)", True, "s")
