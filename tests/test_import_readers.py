"""The HTML, CSV/TSV and XLSX readers: cells as printed, spans repeated, bad input refused.

Expected rows are typed from the inputs: each cell as "text", with a leading "*" when it is bold
and a "^" when it is the copy of a cell spanning into that place (so "*^English" is a copy of a
bold "English").
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time
import zipfile

import openpyxl
import pytest
from openpyxl.styles import Font

from leaderboard import ROOT
from leaderboard.importing import read_source
from leaderboard.importing.raw import RawTable, SourceError
from leaderboard.importing.readers import read_delimited, read_html, read_xlsx

SOURCES = ROOT.parent / "shared" / "sources"


def printed(table: RawTable) -> list[list[str]]:
    """A table's cells in the notation of the expectations: "*" bold, "^" a spanned copy."""
    return [[("*" if c.bold else "") + ("^" if c.spanned else "") + c.text for c in row]
            for row in table.rows]


# --- HTML: a model card's table -----------------------------------------------------------

def markdown_rows(name: str) -> list[list[str]]:
    """The cells of a published markdown table, as typed in the source file."""
    lines = (SOURCES / name).read_text(encoding="utf-8").split("-->", 1)[1].splitlines()
    return [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in lines if line.startswith("|") and not line.startswith("|--")]


def html_cell(text: str, tag: str = "td", attrs: str = "") -> str:
    """A markdown cell as a model card's HTML writes it: **x** as <strong>."""
    if text.startswith("**"):
        text = f"<strong>{text[2:-2]}</strong>"
    return f"<{tag}{attrs}>{text}</{tag}>"


def model_card() -> str:
    """DeepSeek-V3's chat-model table as an HTML model card prints it: the band column one
    cell spanning each band's rows, a line break in a long model name."""
    header, *body = markdown_rows("deepseek-ai_DeepSeek-V3__2.md")
    header = [h.replace("Claude-3.5-Sonnet-1022", "Claude-3.5-<br>Sonnet-1022") for h in header]
    rows = []
    for i, (band, *rest) in enumerate(body):
        if band:
            size = next((k for k in range(i + 1, len(body)) if body[k][0]), len(body)) - i
            first = html_cell(band, attrs=f' rowspan="{size}"')
        else:
            first = "" if any(b[0] for b in body[:i]) else "<td></td>"
        rows.append("<tr>" + first + "".join(html_cell(c) for c in rest) + "</tr>")
    return ("<h2>Chat Model</h2>\n<h4>Standard Benchmarks (Models larger than 67B)</h4>\n"
            '<div align="center">\n<table>\n<thead><tr>'
            + "".join(html_cell(h, "th") for h in header) + "</tr></thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody>\n</table>\n</div>\n"
            "<p>Note: All models are evaluated in a configuration that limits the output "
            "length to 8K.</p>\n")


def test_html_model_card_table_with_a_band_column():
    [table] = read_html(model_card(), "README.html")
    rows = printed(table)
    assert table.shape == (26, 9)
    assert (table.caption, table.cited, table.where) == (None, None, "table 1")
    assert rows[0] == ["", "*Benchmark (Metric)", "*DeepSeek V2-0506", "*DeepSeek V2.5-0905",
                       "*Qwen2.5 72B-Inst.", "*Llama3.1 405B-Inst.", "*Claude-3.5-\nSonnet-1022",
                       "*GPT-4o 0513", "*DeepSeek V3"]
    assert rows[1] == ["", "Architecture", "MoE", "MoE", "Dense", "Dense", "-", "-", "MoE"]
    assert rows[4] == ["English", "MMLU (EM)", "78.2", "80.6", "85.3", "*88.6", "*88.3", "87.2", "*88.5"]
    assert rows[5] == ["^English", "MMLU-Redux (EM)", "77.9", "80.3", "85.6", "86.2", "*88.9", "88.0", "*89.1"]
    assert rows[12] == ["^English", "LongBench v2 (Acc.)", "31.6", "35.4", "39.4", "36.1", "41.0", "48.1", "*48.7"]
    assert rows[13] == ["Code", "HumanEval-Mul (Pass@1)", "69.3", "77.4", "77.3", "77.2", "81.7", "80.5", "*82.6"]
    assert rows[17] == ["^Code", "SWE Verified (Resolved)", "-", "22.6", "23.8", "24.5", "*50.8", "38.8", "42.0"]
    assert rows[25] == ["^Chinese", "C-SimpleQA (Correct)", "48.5", "54.1", "48.4", "50.4", "51.3", "59.3", "*64.8"]
    assert [row[0] for row in rows] == (["", "", "", ""] + ["English"] + ["^English"] * 8
                                        + ["Code"] + ["^Code"] * 6 + ["Math"] + ["^Math"] * 2
                                        + ["Chinese"] + ["^Chinese"] * 2)


def test_html_two_level_header_with_colspan_and_rowspan():
    page = """<table>
      <tr><th rowspan="2">Model</th><th colspan="2">AIME 2024</th><th>MATH-500</th>
          <th>GPQA Diamond</th><th>LiveCodeBench</th><th>CodeForces</th></tr>
      <tr><th>pass@1</th><th>cons@64</th><th>pass@1</th><th>pass@1</th><th>pass@1</th><th>rating</th></tr>
      <tr><td>GPT-4o-0513</td><td>9.3</td><td>13.4</td><td>74.6</td><td>49.9</td><td>32.9</td><td>759</td></tr>
      <tr><td>o1-mini</td><td>63.6</td><td>80.0</td><td>90.0</td><td>60.0</td><td>53.8</td><td><b>1820</b></td></tr>
    </table>"""
    [table] = read_html(page)
    assert printed(table) == [
        ["Model", "AIME 2024", "^AIME 2024", "MATH-500", "GPQA Diamond", "LiveCodeBench", "CodeForces"],
        ["^Model", "pass@1", "cons@64", "pass@1", "pass@1", "pass@1", "rating"],
        ["GPT-4o-0513", "9.3", "13.4", "74.6", "49.9", "32.9", "759"],
        ["o1-mini", "63.6", "80.0", "90.0", "60.0", "53.8", "*1820"],
    ]


@pytest.mark.parametrize(("cell", "expected"), [
    ("Claude-3.5-<br>Sonnet-1022", "Claude-3.5-\nSonnet-1022"),
    ("  Claude-3.5-<br/>  Sonnet-1022 ", "Claude-3.5-\nSonnet-1022"),
    ("<p>MMLU</p><p>(EM)</p>", "MMLU\n(EM)"),
    ("DeepSeek&nbsp;V3", "DeepSeek V3"),
    ("\n   Llama3.1\n   405B-Inst.  \n", "Llama3.1 405B-Inst."),
    ("a<br><br>b", "a\n\nb"),
    ("<br>88.5<br>", "88.5"),
    ("88.5<sup>1</sup>", "88.5¹"),
    ("88.5<sup><a href='#fn-a'>a</a></sup>", "88.5ᵃ"),
    ("90.8<sup>†</sup>", "90.8†"),
    ("<strong>88.5</strong>", "*88.5"),
    ("<b>88.5</b> ", "*88.5"),
    ("<a href='#'><strong>LiveCodeBench</strong></a>", "*LiveCodeBench"),
    ("<strong>90.8</strong><sup>†</sup>", "*90.8†"),
    ("<b>91</b>.8", "91.8"),
    ("<b>Claude-3.5-</b><br><b>Sonnet</b>", "*Claude-3.5-\nSonnet"),
    ("<span style='font-weight: 700'>92.2</span>", "*92.2"),
    ("<span class='ltx_text ltx_font_bold'>92.2</span>", "*92.2"),
    ("<b></b>", ""),
    ("88.5<span style='display:none'>hidden</span>", "88.5"),
    ("37B<!-- activated -->", "37B"),
    ("<em>MoE</em>", "MoE"),
])
def test_html_cell_text_as_printed(cell, expected):
    [table] = read_html(f"<table><tr><th>Model</th><td>{cell}</td><td>x</td></tr></table>")
    assert printed(table) == [["Model", expected, "x"]]  # <th> alone is not bold


def test_html_broken_markup_as_real_model_cards_have_it():
    page = """
    <table>
    <tr><th>Model<th>AIME 2024<th>MATH-500
    <tr><td>DeepSeek-R1-Distill-Qwen-32B<td><b>72.6</b><td>94.3</span>
    <tr><td>DeepSeek-R1-Distill-Llama-70B<td>70.0<td><strong>94.5</div>
    </td></td>
    <tr><td>o1-mini<td>63.6<td>90.0</tr></tr><p>stray</p>
    </table>
    """
    [table] = read_html(page)
    assert printed(table) == [
        ["Model", "AIME 2024", "MATH-500"],
        ["DeepSeek-R1-Distill-Qwen-32B", "*72.6", "94.3"],
        ["DeepSeek-R1-Distill-Llama-70B", "70.0", "*94.5"],
        ["o1-mini", "63.6", "90.0"],
    ]


@pytest.mark.parametrize("page", [
    "<table><td>Model<td>MMLU</td></table>",  # no <tr>
    "<table><tr><td>Model<td>MMLU</td></tr>\n</table>",
])
def test_html_cells_outside_rows_make_a_row(page):
    [table] = read_html(page)
    assert printed(table) == [["Model", "MMLU"]]


def test_html_cells_after_a_closed_row_start_the_next_row():
    page = "<table><tr><td>Model<td>MMLU</tr><td>DeepSeek V3<td>88.5</table>"
    [table] = read_html(page)
    assert printed(table) == [["Model", "MMLU"], ["DeepSeek V3", "88.5"]]


def test_html_rowspan_running_past_the_end_invents_no_rows():
    page = """<table>
      <tr><td rowspan="4">Math</td><td>AIME 2024 (Pass@1)</td><td>39.2</td></tr>
      <tr><td>MATH-500 (EM)</td><td>90.2</td></tr>
    </table>"""
    [table] = read_html(page)
    assert printed(table) == [["Math", "AIME 2024 (Pass@1)", "39.2"],
                              ["^Math", "MATH-500 (EM)", "90.2"]]


def test_html_rowspan_zero_spans_to_the_end():
    page = """<table><tr><td rowspan="0">Chinese</td><td>CLUEWSC (EM)</td></tr>
      <tr><td>C-Eval (EM)</td></tr><tr><td>C-SimpleQA (Correct)</td></tr></table>"""
    [table] = read_html(page)
    assert printed(table) == [["Chinese", "CLUEWSC (EM)"], ["^Chinese", "C-Eval (EM)"],
                              ["^Chinese", "C-SimpleQA (Correct)"]]


@pytest.mark.parametrize("span", ['colspan="2147483647"', 'colspan="99999999999999999999"',
                                  'colspan="1001"', 'colspan="2"'])
def test_html_absurd_colspan_is_clamped_to_the_table(span):
    page = f"""<table><tr><td>Model</td><td>MMLU</td></tr>
      <tr><td>DeepSeek V3</td><td>88.5</td></tr>
      <tr><td {span}>Note: evaluated with 8K output length</td></tr></table>"""
    [table] = read_html(page)
    note = "Note: evaluated with 8K output length"
    assert printed(table) == [["Model", "MMLU"], ["DeepSeek V3", "88.5"], [note, "^" + note]]


@pytest.mark.parametrize("attrs", ['colspan="0"', 'colspan="-3"', 'colspan="two"',
                                  'rowspan="x"', 'rowspan="-1"', 'colspan=""'])
def test_html_invalid_span_counts_as_one(attrs):
    [table] = read_html(f"<table><tr><td {attrs}>Model</td><td>MMLU</td></tr></table>")
    assert printed(table) == [["Model", "MMLU"]]


def test_html_nested_tables_are_tables_of_their_own():
    page = """<table>
      <tr><th>Model</th><th>Scores</th></tr>
      <tr><td>DeepSeek V3</td><td>see below<table><tr><td>MMLU</td><td>88.5</td></tr></table></td></tr>
    </table>
    <table><tr><td>GPT-4o 0513</td></tr></table>"""
    tables = read_html(page)
    assert [printed(t) for t in tables] == [
        [["Model", "Scores"], ["DeepSeek V3", "see below"]],
        [["MMLU", "88.5"]],
        [["GPT-4o 0513"]],
    ]
    assert [t.where for t in tables] == ["table 1", "table 2", "table 3"]


def test_html_tables_numbered_in_document_order_empty_ones_skipped():
    page = ("<table></table><table><tr><td> </td></tr></table>"
            "<table><tr><td>DeepSeek R1</td></tr></table>")
    [table] = read_html(page)
    assert table.where == "table 3"


def test_html_commented_and_scripted_tables_are_not_read():
    page = """<!-- <table><tr><td>commented</td></tr></table> -->
    <script>document.write("<table><tr><td>scripted</td></tr></table>")</script>
    <style>table { border: 1px }</style>
    <table><tr><td>DeepSeek V3<!-- </table> --></td></tr></table>"""
    [table] = read_html(page)
    assert printed(table) == [["DeepSeek V3"]]
    assert table.where == "table 1"


TABLE = "<table><tr><td>Model</td><td>MMLU</td></tr><tr><td>DeepSeek V3</td><td>88.5</td></tr></table>"


@pytest.mark.parametrize(("page", "captions"), [
    # a <caption>, caption-like or not
    ("<table><caption>Table 4 | Comparison between DeepSeek-R1 and other representative models."
     "</caption><tr><td>x</td></tr></table>",
     ["Table 4 | Comparison between DeepSeek-R1 and other representative models."]),
    ("<table><caption> Chat <b>models</b> </caption><tr><td>x</td></tr></table>", ["Chat models"]),
    # the nearest line above, within three lines of text
    ("<h4>Table 2: Chat models</h4><p>All models are evaluated with 8K output length.</p>" + TABLE,
     ["Table 2: Chat models"]),
    ("<p>Table 1: old</p><p>Table 2: Chat models</p>" + TABLE, ["Table 2: Chat models"]),
    ("<p>Table 2: Chat models</p><p>one</p><p>two</p><p>three</p>" + TABLE, [None]),
    # else the nearest line below
    (TABLE + "<p>Table 3 | Open-ended generation</p>", ["Table 3 | Open-ended generation"]),
    ("<p>Table 2: above</p>" + TABLE + "<p>Table 3: below</p>", ["Table 2: above"]),
    ("<p>Results for the chat models</p>" + TABLE + "<p>More text</p>", [None]),
    # a page that puts captions under its tables: each caption names the table above it
    (TABLE + "<p>Table 1: base models</p>" + TABLE + "<p>Table 2: chat models</p>",
     ["Table 1: base models", "Table 2: chat models"]),
    # a page with captions above: a table without one does not take the next table's
    (TABLE + "<p>Table 2: chat models</p>" + TABLE, [None, "Table 2: chat models"]),
    ("<p>Table 1: base models</p>" + TABLE + "<p>Table 2: chat models</p>" + TABLE,
     ["Table 1: base models", "Table 2: chat models"]),
    # a <caption> wins, and leaves the lines around it to the other tables
    ("<p>Table 1: base models</p>" + TABLE.replace("<tr>", "<caption>Table 7: own</caption><tr>", 1)
     + "<p>Table 2: chat models</p>" + TABLE, ["Table 7: own", "Table 2: chat models"]),
    # markdown around an HTML table, as in a README
    ("## Distilled models\n\nTable 5: Distilled models\n\n" + TABLE + "\n\nMore text", ["Table 5: Distilled models"]),
    ("Table 5: Distilled models, evaluated\nwith 32K tokens\n\n" + TABLE, ["Table 5: Distilled models, evaluated"]),
    # HTML puts a paragraph's source line breaks on one line
    ("<p>Table 5: Distilled models,\nevaluated with 32K tokens</p>" + TABLE,
     ["Table 5: Distilled models, evaluated with 32K tokens"]),
    ("<figure>" + TABLE + "<figcaption>Table 6: Open-ended <em>generation</em></figcaption></figure>",
     ["Table 6: Open-ended generation"]),
])
def test_html_captions(page, captions):
    assert [t.caption for t in read_html(page)] == captions


def test_html_caption_far_up_a_long_page_is_found_within_its_lines():
    filler = ("<div class='x'><span>" + "x" * 80 + "</span></div>\n") * 200
    page = filler + "<h3>Table 2: Chat models</h3>" + filler[:6000] + TABLE + filler
    assert [t.caption for t in read_html(page)] == [None]
    page = filler + "<h3>Table 2: Chat models</h3>\n" + TABLE + filler
    assert [t.caption for t in read_html(page)] == ["Table 2: Chat models"]


def test_html_source_line_under_a_table_is_cited():
    [table] = read_html(TABLE + "<p>Source: DeepSeek-V3 technical report</p>")
    assert table.cited == "Source: DeepSeek-V3 technical report"


@pytest.mark.parametrize("page", [
    "",
    "<html><body><h1>DeepSeek-V3</h1><p>No table here.</p></body></html>",
    "<p>a <table-wrapper> is not a table</p>",
    bytes(range(256)).decode("latin-1") * 50,
    "\udcff\udcfe surrogates from a bad decode",
])
def test_html_without_a_table_gives_no_table(page):
    assert read_html(page) == []


def test_html_binary_junk_with_a_table_tag_does_not_raise():
    junk = bytes(range(256)).decode("latin-1")
    assert isinstance(read_html(junk + "<table><tr><td>" + junk + "</td></tr></table>" + junk), list)


def test_html_too_many_cells_is_refused():
    page = "<table>" + "<tr><td>88.5</td><td>91.6</td></tr>" * 6000 + "</table>"
    with pytest.raises(SourceError, match="too large"):
        read_html(page)


def test_html_spans_that_would_make_millions_of_places_are_refused():
    page = "<table>" + '<tr><td colspan="1000" rowspan="1000">x</td><td>y</td></tr>' * 500 + "</table>"
    with pytest.raises(SourceError, match="too large"):
        read_html(page)


# --- CSV / TSV ----------------------------------------------------------------------------

def test_csv_caption_line_quoted_line_breaks_and_bold():
    text = ("\n"
            "Table 5 | Distilled models,,,,\n"
            "Model,AIME 2024 pass@1,AIME 2024 cons@64,CodeForces rating,\n"
            "GPT-4o-0513,9.3,13.4,759,\n"
            "o1-mini,63.6,80.0,**1820**,\n"
            '"DeepSeek-R1-Distill-\nQwen-32B",**72.6**,83.3,1691,\n'
            ",,,,\n")
    [table] = read_delimited(text, "distilled.csv")
    assert table.caption == "Table 5 | Distilled models"
    assert table.where == "rows 3-6"
    assert printed(table) == [
        ["Model", "AIME 2024 pass@1", "AIME 2024 cons@64", "CodeForces rating"],
        ["GPT-4o-0513", "9.3", "13.4", "759"],
        ["o1-mini", "63.6", "80.0", "*1820"],
        ["DeepSeek-R1-Distill-\nQwen-32B", "*72.6", "83.3", "1691"],
    ]


def test_tsv_pasted_from_a_spreadsheet():
    text = ("Table 2: Chat models\r\n"
            "Benchmark (Metric)\tClaude-3.5-Sonnet-1022\tGPT-4o 0513\tDeepSeek V3\r\n"
            "MMLU (EM)\t**88.3**\t87.2\t**88.5**\r\n"
            '"Aider-Polyglot\r\n(Acc.)"\t45.3\t16.0\t**49.6**\r\n'
            "Architecture, params\t-\t-\tMoE, 671B\r\n")
    [table] = read_delimited(text, "chat.tsv")
    assert (table.caption, table.where) == ("Table 2: Chat models", "rows 2-5")
    assert printed(table) == [
        ["Benchmark (Metric)", "Claude-3.5-Sonnet-1022", "GPT-4o 0513", "DeepSeek V3"],
        ["MMLU (EM)", "*88.3", "87.2", "*88.5"],
        ["Aider-Polyglot\n(Acc.)", "45.3", "16.0", "*49.6"],
        ["Architecture, params", "-", "-", "MoE, 671B"],
    ]


@pytest.mark.parametrize(("text", "rows"), [
    ("Model,MMLU,DROP\nDeepSeek V3,88.5,91.6\n", [["Model", "MMLU", "DROP"], ["DeepSeek V3", "88.5", "91.6"]]),
    ("Model;MMLU;DROP\nDeepSeek V3;88,5;91,6\n", [["Model", "MMLU", "DROP"], ["DeepSeek V3", "88,5", "91,6"]]),
    ("Model\tMMLU\nDeepSeek V3\t88.5\n", [["Model", "MMLU"], ["DeepSeek V3", "88.5"]]),
    ("Model;Note,MMLU\nDeepSeek;V3,88.5\n", [["Model;Note", "MMLU"], ["DeepSeek;V3", "88.5"]]),
    ('Model,Note\nDeepSeek V3,"MoE; 671B total"\n', [["Model", "Note"], ["DeepSeek V3", "MoE; 671B total"]]),
    ("Model\nDeepSeek V3\n", [["Model"], ["DeepSeek V3"]]),
    (" Model , MMLU \n DeepSeek V3 , 88.5 ", [["Model", "MMLU"], ["DeepSeek V3", "88.5"]]),
    ("Model,MMLU,,\n,,,\nDeepSeek V3,88.5,,\n\n\n", [["Model", "MMLU"], ["", ""], ["DeepSeek V3", "88.5"]]),
    ("Model,MMLU\nDeepSeek V3\n", [["Model", "MMLU"], ["DeepSeek V3", ""]]),
    ('Model,Score\n"**Claude-3.5-\nSonnet**",**88.3** \n', [["Model", "Score"], ["*Claude-3.5-\nSonnet", "*88.3"]]),
    ("Model,Score\n**a** and **b**,2**3\n", [["Model", "Score"], ["**a** and **b**", "2**3"]]),
])
def test_delimited_rows(text, rows):
    [table] = read_delimited(text)
    assert printed(table) == rows


def test_csv_caption_in_quotes_with_commas_and_a_source_line():
    text = ('"Table 3: Open-ended generation, English"\n'
            "Model,Arena-Hard,AlpacaEval 2.0\n"
            "DeepSeek-V3,85.5,70.0\n"
            "Source: DeepSeek-V3 README,,\n")
    [table] = read_delimited(text)
    assert (table.caption, table.cited, table.where) == (
        "Table 3: Open-ended generation, English", "Source: DeepSeek-V3 README", "rows 2-3")
    assert printed(table) == [["Model", "Arena-Hard", "AlpacaEval 2.0"], ["DeepSeek-V3", "85.5", "70.0"]]


def test_csv_first_line_not_a_caption_stays_a_row():
    [table] = read_delimited("Results\nModel,MMLU\nDeepSeek V3,88.5\n")
    assert table.caption is None
    assert printed(table) == [["Results", ""], ["Model", "MMLU"], ["DeepSeek V3", "88.5"]]


@pytest.mark.parametrize("text", ["", "\n\n", ",,,\n,,\n", "\r\n \r\n"])
def test_empty_delimited_text_gives_no_table(text):
    assert read_delimited(text) == []


@pytest.mark.parametrize(("text", "message"), [
    ("Model,MMLU\x00\x00\x01\x02", "binary"),
    (bytes(range(256)).decode("latin-1") * 20, "binary"),
    ('Model,MMLU\n"DeepSeek V3,' + "x" * 200_000 + "\n", "cannot be read at line"),
    ("1,2\n" * 100_000, "too large"),
])
def test_bad_delimited_text_is_refused(text, message):
    with pytest.raises(SourceError, match=message):
        read_delimited(text)


# --- XLSX ---------------------------------------------------------------------------------

def xlsx(workbook: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def results_workbook() -> bytes:
    """Two sheets as a paper's supplementary workbook holds them: merged header cells, a
    merged band column, bold best scores, numbers with their formats, a caption line."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Distilled"
    ws.append(["Table 5: Distilled models"])
    ws.append(["Model", "AIME 2024", None, "MATH-500", "CodeForces"])
    ws.append([None, "pass@1", "cons@64", "pass@1", "rating"])
    ws.append(["GPT-4o-0513", 9.3, 13.4, 74.6, 759.0])
    ws.append(["o1-mini", 63.6, 80.0, 90.0, 1820.0])
    ws.append(["DeepSeek-R1-Distill-Qwen-32B", 72.6, 83.3, 94.3, 1691])
    for merged in ("A1:E1", "A2:A3", "B2:C2"):
        ws.merge_cells(merged)
    for row in ws["B4:D6"]:
        for cell in row:
            cell.number_format = "0.0"
    ws["E5"].font = ws["B6"].font = Font(bold=True)

    ws = wb.create_sheet("Table 3")
    ws.append(["Category", "Benchmark", "DeepSeek V3"])
    ws.append(["English", "GPQA-Diamond (Pass@1)", 0.591])
    ws.append([None, "SimpleQA (Correct)", 0.249])
    ws.append(["Code", "Codeforces (Percentile)", 0.516])
    ws.append([])
    ws.append([])
    ws.append(["Table 6: Open-ended generation"])
    ws.append(["Model", "Arena-Hard", "AlpacaEval 2.0"])
    ws.append(["DeepSeek-V3", 85.5, 70.0])
    ws.merge_cells("A2:A3")
    ws["A2"].font = Font(bold=True)
    for cell in ("C2", "C3", "C4"):
        ws[cell].number_format = "0.0%"
    ws["C9"].number_format = "0.0"

    hidden = wb.create_sheet("Scratch")
    hidden.append(["not", "printed"])
    hidden.sheet_state = "hidden"
    return xlsx(wb)


def test_xlsx_sheets_merged_cells_bold_and_number_formats():
    tables = read_xlsx(results_workbook(), "results.xlsx")
    assert [(t.caption, t.where) for t in tables] == [
        ("Table 5: Distilled models", "sheet Distilled"),
        ("Table 3", "sheet Table 3, rows 1-4"),
        ("Table 6: Open-ended generation", "sheet Table 3, rows 8-9"),
    ]
    assert [printed(t) for t in tables] == [
        [["Model", "AIME 2024", "^AIME 2024", "MATH-500", "CodeForces"],
         ["^Model", "pass@1", "cons@64", "pass@1", "rating"],
         ["GPT-4o-0513", "9.3", "13.4", "74.6", "759"],
         ["o1-mini", "63.6", "80.0", "90.0", "*1820"],
         ["DeepSeek-R1-Distill-Qwen-32B", "*72.6", "83.3", "94.3", "1691"]],
        [["Category", "Benchmark", "DeepSeek V3"],
         ["*English", "GPQA-Diamond (Pass@1)", "59.1%"],
         ["*^English", "SimpleQA (Correct)", "24.9%"],
         ["Code", "Codeforces (Percentile)", "51.6%"]],
        [["Model", "Arena-Hard", "AlpacaEval 2.0"],
         ["DeepSeek-V3", "85.5", "70.0"]],
    ]


DISPLAYED = [  # (value, number format, what Excel shows)
    (759.0, "General", "759"),
    (759.0, "0.0", "759.0"),
    (65.2, "General", "65.2"),
    (0.1 + 0.2, "General", "0.3"),
    (0.652, "0.0%", "65.2%"),
    (0.5, "0%", "50%"),
    (0.125, "0.00", "0.13"),
    (88.5, "0.00", "88.50"),
    (1234567.891, "#,##0.00", "1,234,567.89"),
    (1820, "0", "1820"),
    (12, "000", "012"),
    (0.5, "#.00", ".50"),
    (88.5, "0.0#", "88.5"),
    (88.55, "0.0#", "88.55"),
    (-3.5, "0.0", "-3.5"),
    (-3.5, "0.0;(0.0)", "(3.5)"),
    (0, '0.0;-0.0;"–"', "–"),
    (37, '0"B"', "37B"),
    (671, '0" B activated"', "671 B activated"),
    (128000, '0,"K"', "128K"),
    (123456, "0.00E+00", "1.23E+05"),
    (5, "[$€-407] #,##0.00", "€ 5.00"),
    (12.5, "0.0_);[Red](0.0)", "12.5"),
    (True, "General", "TRUE"),
    (dt.datetime(2025, 1, 20), "yyyy-mm-dd", "2025-01-20"),
    (dt.datetime(2024, 12, 26), "mmm d, yyyy", "Dec 26, 2024"),
    (dt.datetime(2025, 1, 20, 14, 5), "yyyy-mm-dd hh:mm", "2025-01-20 14:05"),
    (dt.datetime(2025, 1, 20, 14, 5), "d/m/yy h:mm AM/PM", "20/1/25 2:05 PM"),
    ("  DeepSeek V3  ", "General", "DeepSeek V3"),
    ("Claude-3.5-\nSonnet-1022", "General", "Claude-3.5-\nSonnet-1022"),
    ("0.0", "@", "0.0"),
]


def test_xlsx_cells_as_excel_displays_them():
    wb = openpyxl.Workbook()
    for value, fmt, _ in DISPLAYED:
        wb.active.append(["x", value])
        wb.active.cell(wb.active.max_row, 2).number_format = fmt
    [table] = read_xlsx(xlsx(wb))
    assert [row[1].text for row in table.rows] == [shown for _, _, shown in DISPLAYED]


def test_xlsx_formula_gives_its_cached_value():
    wb = openpyxl.Workbook()
    wb.active.append(["Model", "Mean"])
    wb.active.append(["DeepSeek V3", "=AVERAGE(88.5, 91.6)"])
    data = xlsx(wb)
    # openpyxl stores no cached value; give the cell the one Excel would have saved
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        "<f>AVERAGE(88.5, 91.6)</f><v></v>", "<f>AVERAGE(88.5, 91.6)</f><v>90.05</v>").replace(
        "<f>AVERAGE(88.5, 91.6)</f><v/>", "<f>AVERAGE(88.5, 91.6)</f><v>90.05</v>").encode()
    assert b"<v>90.05</v>" in parts["xl/worksheets/sheet1.xml"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    [table] = read_xlsx(out.getvalue())
    assert printed(table) == [["Model", "Mean"], ["DeepSeek V3", "90.05"]]


def test_xlsx_hidden_rows_and_columns_are_not_printed():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Model", "internal id", "MMLU"])
    ws.append(["DeepSeek V3", 17, 88.5])
    ws.append(["draft row", 0, 0])
    ws.append(["GPT-4o 0513", 18, 87.2])
    ws.column_dimensions["B"].hidden = True
    ws.row_dimensions[3].hidden = True
    [table] = read_xlsx(xlsx(wb))
    assert printed(table) == [["Model", "MMLU"], ["DeepSeek V3", "88.5"], ["GPT-4o 0513", "87.2"]]
    assert table.where == "sheet Sheet"


def test_xlsx_empty_workbook_gives_no_table():
    assert read_xlsx(xlsx(openpyxl.Workbook())) == []


def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def with_sheet(xml: bytes) -> bytes:
    """A valid workbook whose first sheet's XML is replaced."""
    with zipfile.ZipFile(io.BytesIO(xlsx(openpyxl.Workbook()))) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    parts["xl/worksheets/sheet1.xml"] = xml
    return zipped(parts)


def many_cells() -> bytes:
    wb = openpyxl.Workbook()
    for r in range(3100):
        wb.active.append([f"model {r}"] + [r / 7] * 9)
    return xlsx(wb)


CONTENT_TYPES = {"[Content_Types].xml": b"<Types/>"}


@pytest.mark.parametrize(("make", "message"), [
    (lambda: b"", "not a readable XLSX"),
    (lambda: b"Model,MMLU\nDeepSeek V3,88.5\n", "not a readable XLSX"),
    (lambda: bytes(range(256)) * 40, "not a readable XLSX"),
    (lambda: b"PK\x03\x04" + bytes(range(256)) * 4, "not a readable XLSX"),
    (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old .xls"),
    (lambda: zipped({"hello.txt": b"hi"}), "not an XLSX workbook"),
    (lambda: zipped({**CONTENT_TYPES, "xl/worksheets/sheet1.xml": bytes(60_000_000)}), "zip bomb"),
    (lambda: zipped({**CONTENT_TYPES, "xl/worksheets/sheet1.xml": bytes(5_000_000)}), "zip bomb"),
    (lambda: with_sheet(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa">]><worksheet/>'),
     "entities"),
    (lambda: with_sheet(b"<worksheet><sheetData><row><c r='A1'"), "cannot be read"),
    (lambda: with_sheet(b"not xml at all"), "cannot be read"),
    (many_cells, "too large"),
])
def test_bad_workbooks_are_refused(make, message):
    with pytest.raises(SourceError, match=message):
        read_xlsx(make())


def test_truncated_workbook_is_refused():
    data = results_workbook()
    for size in (len(data) // 2, len(data) - 30, 100):
        with pytest.raises(SourceError):
            read_xlsx(data[:size])


# --- Through read_source, which decodes text and picks the reader -------------------------

@pytest.mark.parametrize(("data", "name"), [
    ("<table><tr><td>Modèle</td></tr></table>".encode("latin-1"), "page.html"),
    ("Modèle,MMLU\nDeepSeek V3,88.5\n".encode("cp1252"), "scores.csv"),
    (b"\xff\xfe" + "Model\tMMLU\n".encode("utf-16-le"), "scores.tsv"),
    (bytes(range(256)) * 10, "scores.csv"),
    (bytes(range(256)) * 10, "page.html"),
    (bytes(range(256)) * 10, "results.xlsx"),
    (b"PK\x03\x04 not really a zip", "upload"),
])
def test_undecodable_or_junk_sources_are_refused(data, name):
    with pytest.raises(SourceError):
        read_source(data, name)


def test_read_source_hands_each_format_to_its_reader():
    assert printed(read_source(TABLE.encode(), "page.html")[0])[1] == ["DeepSeek V3", "88.5"]
    assert printed(read_source(b"Model;MMLU\nDeepSeek V3;88,5\n", "scores.csv")[0]) == [
        ["Model", "MMLU"], ["DeepSeek V3", "88,5"]]
    [table] = read_source(results_workbook(), "results.xlsx")[:1]
    assert table.caption == "Table 5: Distilled models"


# --- Speed ----------------------------------------------------------------------------------

def big_page() -> str:
    """A 2 MB page: five model-card tables amid markup and scripts."""
    filler = ('<div class="markdown-body"><p>Some <a href="#x">text</a> with <span>words</span>'
              "</p></div>\n") * 2600
    script = "<script>" + "var x = '<table>';" * 10 + "x" * 150_000 + "</script>"
    return "<html><body>" + (filler + model_card() + script) * 5 + "</body></html>"


def big_csv() -> str:
    header = "Model," + ",".join(f"Benchmark {i} (Pass@1)" for i in range(9))
    rows = (f"DeepSeek-R1-Distill-Qwen-{r}B," + ",".join(f"{(r * k) % 1000 / 10:.1f} ± 0.{k}" for k in range(9))
            for r in range(16_000))
    return "\n".join([header, *rows])


def big_workbook() -> bytes:
    """A 2 MB workbook of 350,000 numbers."""
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>{r * k / 7:.4f}</v></c>'
                                              for k, col in enumerate("ABCDEFGHIJ")) + "</row>"
                   for r in range(1, 35_001))
    return with_sheet(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                      b"<sheetData>" + rows.encode() + b"</sheetData></worksheet>")


def pictured_workbook() -> bytes:
    """A 2 MB workbook: the chat-model table, and a picture that takes up the bytes."""
    wb = openpyxl.Workbook()
    for row in markdown_rows("deepseek-ai_DeepSeek-V3__2.md"):
        wb.active.append(row)
    with zipfile.ZipFile(io.BytesIO(xlsx(wb))) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    parts["xl/media/image1.png"] = random.Random(0).randbytes(2_000_000)
    return zipped(parts)


@pytest.mark.parametrize(("read", "make"), [
    (read_html, big_page),
    (read_html, lambda: "<table>" + "<tr><td>88.5</td><td>91.6</td></tr>" * 60_000 + "</table>"),
    (read_delimited, big_csv),
    (read_delimited, lambda: big_csv().replace(",", "\t")),
    (read_xlsx, big_workbook),
    (read_xlsx, pictured_workbook),
])
def test_two_megabytes_are_read_or_refused_quickly(read, make):
    source = make()
    assert len(source) > 1_500_000
    start = time.perf_counter()
    try:
        read(source)
    except SourceError as e:
        assert "too large" in str(e)
    assert time.perf_counter() - start < 2.0  # about 0.5 s at most here; 2 s is for slow CI


def test_a_number_beyond_a_floats_range_is_text_not_a_value():
    """400 digits overflow to infinity, which no grid, chart or JSON answer can hold."""
    from leaderboard.importing import values

    assert values.parse("1" * 400) is None
    assert values.parse("1" * 309 + " 万") is None  # finite, times 10,000: beyond
    assert values.parse("1" * 12) == 111_111_111_111.0
