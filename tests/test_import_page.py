"""The /import page: paste or upload, review every table and label, download the zip.

Expected cells are written from the sources (the report's 图4, DeepSeek's published base-model
table), never from the importer's output; the zip is compared with what the command writes.
"""

import base64
import binascii
import datetime as dt
import io
import random
import re
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import soup
from test_import_pdf import _pdf as make_pdf
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from leaderboard import ROOT
from leaderboard.importing import pdf

SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_c5f04168c3128190.txt"
V3_BASE = SHARED / "sources" / "deepseek-ai_DeepSeek-V3__1.md"
PAPER = SHARED / "sources" / "DeepSeek_R1.pdf"
FIG4_MODELS = ["GPT-4o-0513", "Claude-3.5-Sonnet-1022", "o1-mini", "QwQ-32B",
               "DeepSeek-R1-Distill-Qwen-1.5B", "DeepSeek-R1-Distill-Qwen-7B",
               "DeepSeek-R1-Distill-Qwen-14B", "DeepSeek-R1-Distill-Qwen-32B",
               "DeepSeek-R1-Distill-Llama-8B", "DeepSeek-R1-Distill-Llama-70B"]
FIG4_METRICS = ["AIME 2024 pass@1", "AIME 2024 cons@64", "MATH-500 pass@1",
                "GPQA Diamond pass@1", "LiveCodeBench pass@1", "CodeForces rating"]
NEW_MODEL = """Table 2: Our model

| Model | AIME 2024 pass@1 | MATH-500 pass@1 |
|---|---|---|
| o1-mini | 63.6 | 90.0 |
| Zeta-9B-Think | 50.1 | **91.2** |
| QwQ-32B | - | 90.6 |
"""


# The registries as they were with the report's grids alone: the tables pasted here are new to
# them, as a new report's are (tests/test_import.py uses the same directory).
REPORT_DATA = ROOT / "tests" / "fixtures" / "report-data"


@pytest.fixture(scope="module")
def app():
    from leaderboard import create_app

    return create_app({"TESTING": True, "DATA_DIR": str(REPORT_DATA)})


def fig4() -> str:
    """The report's 图4 as printed: the caption line, the table, the source line."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("图4:"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("资料来源"))
    return "\n".join(lines[start:end + 1]) + "\n"


def post(client, path, data):
    """POST a multipart form, encoded in memory (the test client would spool a large body to a
    temporary file it never closes)."""
    boundary, body = encode_multipart(data)
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def paste(client, text, path="/import", **options):
    return post(client, path, {"text": text, **options})


def upload(client, data: bytes, name: str, path="/import", **options):
    return post(client, path, {"file": FileStorage(io.BytesIO(data), name), **options})


def textarea(page, name) -> str:
    """A textarea's text as a browser reads it: a line break right after the tag is not text."""
    text = page.select_one(f"form.import-form textarea[name={name}]").get_text()
    return text[1:] if text.startswith("\n") else text


def grid_of(page, n=1):
    """An imported table as shown: metric labels, and rows of (model label, badge, cells)."""
    table = page.select_one(f"section[aria-labelledby=table-{n}] table.import-grid")
    metrics = [th.contents[0].strip() for th in table.select("thead th.num")]
    rows = []
    for tr in table.select("tbody tr"):
        th = tr.select_one("th.model")
        rows.append((th.contents[0].strip(), th.select_one(".badge").get_text(),
                     [td.get_text(strip=True) for td in tr.select("td")]))
    return metrics, rows


def error_of(response) -> str:
    return soup(response).select_one(".import-error").get_text(strip=True)


def test_the_form(client):
    response = client.get("/import")
    assert response.status_code == 200
    page = soup(response)
    form = page.select_one("form.import-form")
    assert form["method"] == "post" and form["action"] == "/import"
    assert form["enctype"] == "multipart/form-data"
    assert form.select_one("textarea[name=text]") is not None
    assert form.select_one("input[type=file][name=file]")["accept"] == \
        ".md,.markdown,.txt,.html,.htm,.csv,.tsv,.xlsx,.pdf"
    for name in ("report", "pages", "map"):
        assert form.select_one(f"[name={name}]") is not None
    assert [o["value"] for o in form.select("select[name=models_as] option")] == \
        ["auto", "rows", "columns"]
    assert "galaxy-2025-02-deepseek" in [o["value"] for o in page.select("datalist option")]
    assert page.select_one("header nav a[href='/import']").get_text() == "Import"
    # The form works without script: the only one is every page's own enhancement file.
    assert [(s.get("src"), s.string) for s in page.select("script")] == [("/static/page.js", None)]
    assert page.select("[style]") == []


def test_the_reports_figure_4_pasted(client):
    response = paste(client, fig4())
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = soup(response)
    assert page.select_one("#summary").get_text() == "The pasted text: 1 table found, 1 imported"
    assert page.select_one("#table-1").get_text() == \
        "Table 1: 图4: DeepSeek 蒸馏小模型超越 OpenAI o1-mini"
    assert page.select_one("figcaption.source-line").get_text() == \
        "资料来源: DeepSeek 官网, 中国银河证券研究院"
    metrics, rows = grid_of(page)
    assert metrics == FIG4_METRICS
    assert [label for label, _, _ in rows] == FIG4_MODELS
    assert {badge for _, badge, _ in rows} == {"matched"}
    assert [b.get_text() for b in page.select("table.import-grid thead .badge")] == ["matched"] * 6
    assert rows[0][2] == ["9.3", "13.4", "74.6", "49.9", "32.9", "759.0"]
    assert rows[2][2][-1] == "1820.0"
    assert rows[-1][2] == ["70.0", "86.7", "94.5", "65.2", "57.5", "1633.0"]
    assert [t.get_text(" ", strip=True) for t in page.select(".import-summary .tally")] == \
        ["16 matched", "0 ambiguous", "0 proposed"]
    # Matched labels link to the registry entries.
    o1 = page.select("table.import-grid tbody th.model")[2]
    assert o1.select_one("small a")["href"] == "/models/o1-mini"


def test_a_new_model_is_proposed_and_bold_is_kept(client):
    page = soup(paste(client, NEW_MODEL, report="galaxy-2025-02-deepseek"))
    metrics, rows = grid_of(page)
    assert metrics == ["AIME 2024 pass@1", "MATH-500 pass@1"]
    assert rows == [("o1-mini", "matched", ["63.6", "90.0"]),
                    ("Zeta-9B-Think", "proposed", ["50.1", "91.2"]),
                    ("QwQ-32B", "matched", ["—", "90.6"])]
    zeta = page.select("table.import-grid tbody tr")[1]
    assert zeta.select_one("th.model small").get_text(strip=True) == "new:zeta-9b-think"
    assert zeta.select("td")[1].select_one("strong").get_text() == "91.2"
    assert zeta.select("td")[0].select_one("strong") is None
    assert "missing" in page.select("table.import-grid tbody tr")[2].select_one("td")["class"]
    assert page.select_one(".download-form small").get_text() == \
        "galaxy-2025-02-deepseek-table-2.yaml, galaxy-2025-02-deepseek-table-2.csv, " \
        "models.yaml, metrics.yaml, reports.yaml"


def test_an_ambiguous_label_shows_its_candidate_and_why(client):
    response = upload(client, V3_BASE.read_bytes(), V3_BASE.name)
    assert response.status_code == 200
    page = soup(response)
    _, rows = grid_of(page)
    assert [(label, badge) for label, badge, _ in rows] == [
        ("DeepSeek-V2", "proposed"), ("Qwen2.5 72B", "proposed"), ("LLaMA3.1 405B", "ambiguous"),
        ("DeepSeek-V3", "ambiguous")]
    # Printed as columns, shown as rows: DeepSeek-V3's BBH (EM), 3-shot is bold in the source.
    assert rows[3][2][:3] == ["0.548", "87.5", "87.1"]
    v3 = page.select("table.import-grid tbody tr")[3]
    assert v3.select("td")[1].select_one("strong").get_text() == "87.5"
    listed = next(tr for tr in page.select(".labels-list tbody tr")
                  if tr.th.contents[0].strip() == "DeepSeek-V3")
    assert "ambiguous" in listed["class"]
    assert listed.select_one("a[href='/models/deepseek-v3']").get_text() == "deepseek-v3"
    assert "new:deepseek-v3-base" in listed.get_text("", strip=True)
    assert "the table is about base models, and deepseek-v3 is not a base model" in \
        listed.select_one("td.how").get_text()
    assert page.select_one("details.labels").has_attr("open")
    assert [li.get_text(" ", strip=True) for li in page.select("ul.attributes li")][-1] == \
        "DeepSeek-V3 : architecture MoE · active parameters 37B · total parameters 671B"


def test_a_mapping_settles_a_label(client):
    page = soup(upload(client, V3_BASE.read_bytes(), V3_BASE.name,
                       map="# settled by hand\nDeepSeek-V3=deepseek-v3\n"))
    _, rows = grid_of(page)
    assert rows[3][:2] == ("DeepSeek-V3", "matched")
    listed = next(tr for tr in page.select(".labels-list tbody tr")
                  if tr.th.contents[0].strip() == "DeepSeek-V3")
    assert listed.select_one("td.how").get_text() == "given in the mappings"
    # The form keeps the mapping and carries the file for the next import.
    assert textarea(page, "map") == "# settled by hand\nDeepSeek-V3=deepseek-v3\n"
    assert page.select_one("form.import-form input[name=file_name]")["value"] == V3_BASE.name


def test_a_csv_file(client):
    data = "Model,AIME 2024 pass@1,MATH-500 pass@1\no1-mini,63.6,90.0\nQwQ-32B,44.0,90.6\n"
    response = upload(client, data.encode(), "scores.csv")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#summary").get_text() == "scores.csv: 1 table found, 1 imported"
    assert grid_of(page) == (["AIME 2024 pass@1", "MATH-500 pass@1"], [
        ("o1-mini", "matched", ["63.6", "90.0"]), ("QwQ-32B", "matched", ["44.0", "90.6"])])


def test_a_table_with_models_as_columns_is_shown_with_models_as_rows(client):
    text = ("| Benchmark | o1-mini | QwQ-32B |\n|---|---|---|\n"
            "| AIME 2024 pass@1 | 63.6 | 44.0 |\n| MATH-500 pass@1 | 90.0 | 90.6 |\n")
    page = soup(paste(client, text))
    assert grid_of(page) == (["AIME 2024 pass@1", "MATH-500 pass@1"], [
        ("o1-mini", "matched", ["63.6", "90.0"]), ("QwQ-32B", "matched", ["44.0", "90.6"])])
    assert "(printed as columns)" in page.select_one(".import-table .meta").get_text()


def test_tables_that_are_not_grids_are_listed_with_why(client):
    text = fig4() + "\n\n表9: 股价\n\n| 公司 | 代码 |\n|---|---|\n| 甲 | A股 |\n| 乙 | 港股 |\n"
    page = soup(paste(client, text))
    assert page.select_one("#summary").get_text() == "The pasted text: 2 tables found, 1 imported"
    assert page.select_one("#table-2").get_text() == "Table 2: 表9: 股价"
    assert page.select_one("section[aria-labelledby=table-2] p.left-out").get_text() == \
        "Not imported: most cells are not values."


def test_a_papers_pdf_pages(client):
    response, seconds = timed(lambda: upload(client, PAPER.read_bytes(), PAPER.name,
                                             pages="13-15"))
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#summary").get_text() == "DeepSeek_R1.pdf: 3 tables found, 3 imported"
    assert page.select_one("#table-2").get_text().startswith(
        "Table 2: Table 5 | Comparison of DeepSeek-R1 distilled models")
    assert page.select_one("section[aria-labelledby=table-2] .meta").get_text().startswith(
        "page 14")
    _, rows = grid_of(page, 2)
    assert rows[2] == ("OpenAI-o1-mini", "matched", ["63.6", "80.0", "90.0", "60.0", "53.8",
                                                     "1820"])
    assert rows[3][:2] == ("QwQ-32B-Preview", "proposed")
    assert seconds < 4


# --- The zip -----------------------------------------------------------------------------


def cli_files(tmp_path, source: Path, *options) -> dict[str, bytes]:
    """What `leaderboard import SOURCE --out` writes, by name, in the order it writes them."""
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "leaderboard.cli", "import", source.name,
                           "--out", out, "--data", REPORT_DATA, *options],
                          capture_output=True, text=True,
                          cwd=source.parent, timeout=120)
    assert done.returncode == 0, done.stderr
    names = [Path(line.split(" ", 1)[1]).name for line in done.stdout.splitlines()
             if line.startswith("wrote ")]
    return {name: (out / name).read_bytes() for name in names}


def zip_files(response) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_zip_holds_exactly_what_the_command_writes(client, tmp_path):
    source = tmp_path / "fig4.md"
    source.write_text(fig4() + "\n" + NEW_MODEL, encoding="utf-8")
    response = upload(client, source.read_bytes(), source.name, "/import.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == 'attachment; filename="fig4-import.zip"'
    files = zip_files(response)
    expected = cli_files(tmp_path, source)
    assert list(files) == list(expected) == [
        "fig4-fig-4.yaml", "fig4-fig-4.csv", "fig4-table-2.yaml", "fig4-table-2.csv",
        "models.yaml", "metrics.yaml", "reports.yaml"]
    assert files["fig4-fig-4.csv"] == expected["fig4-fig-4.csv"]
    assert files["fig4-fig-4.csv"].decode().splitlines()[1] == \
        "GPT-4o-0513,AIME 2024 pass@1,9.3,9.3,,"
    assert files == expected


def test_the_zip_with_options_equals_the_command_with_them(client, tmp_path):
    source = tmp_path / V3_BASE.name
    source.write_bytes(V3_BASE.read_bytes())
    response = upload(client, source.read_bytes(), source.name, "/import.zip",
                      report="deepseek-v3-readme", map="DeepSeek-V3=deepseek-v3",
                      models_as="columns")
    expected = cli_files(tmp_path, source, "--report", "deepseek-v3-readme", "--map",
                         "DeepSeek-V3=deepseek-v3", "--models-as", "columns")
    assert zip_files(response) == expected
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="deepseek-v3-readme-import.zip"'


@pytest.mark.parametrize("pasted", [True, False])
def test_the_download_form_carries_the_input(client, pasted):
    """Nothing is kept on the server: the review's download form sends the input again."""
    text = fig4() + "\n" + NEW_MODEL
    options = {"report": "galaxy-2025-02-deepseek", "map": "Zeta-9B-Think=zeta-9b"}
    if pasted:
        review = paste(client, text, **options)
    else:
        review = upload(client, text.encode(), "report.md", **options)
    form = soup(review).select_one("form.download-form")
    assert form["action"] == "/import.zip" and form["method"] == "post"
    fields = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert ("text" in fields) == pasted and ("file_b64" in fields) == (not pasted)
    again = post(client, "/import.zip", fields)
    direct = (paste(client, text, "/import.zip", **options) if pasted
              else upload(client, text.encode(), "report.md", "/import.zip", **options))
    assert again.status_code == 200
    assert zip_files(again) == zip_files(direct)
    grid = yaml.safe_load(zip_files(again)["galaxy-2025-02-deepseek-table-2.yaml"])
    assert grid["models"][1] == {"label": "Zeta-9B-Think", "id": "zeta-9b"}


def test_the_same_input_gives_the_same_zip(client):
    first = paste(client, fig4(), "/import.zip")
    assert paste(client, fig4(), "/import.zip").data == first.data


# --- Bad input ----------------------------------------------------------------------------


def test_nothing_sent(client):
    response = paste(client, "  \n ")
    assert response.status_code == 400
    assert error_of(response) == "Paste a table or choose a file."
    assert post(client, "/import.zip", {}).status_code == 400


def test_no_table_in_the_text(client):
    response = paste(client, "Just a sentence about DeepSeek-R1, and no table at all.")
    assert response.status_code == 422
    assert error_of(response).startswith("No table found in the pasted text.")
    # The form comes back with the text, to change it.
    assert textarea(soup(response), "text") == \
        "Just a sentence about DeepSeek-R1, and no table at all."


def test_binary_junk(client):
    response = upload(client, bytes(range(256)) * 64, "junk.bin")
    assert response.status_code == 400
    assert error_of(response) == ("junk.bin: this is not a text file (it holds binary data); "
                                  "give a markdown, HTML, CSV, TSV, XLSX or PDF file")


def test_text_that_is_not_utf8(client):
    response = upload(client, "模型,分数\nA,1\n".encode("gb18030"), "scores.csv")
    assert response.status_code == 400
    assert error_of(response).startswith("scores.csv: the text is not UTF-8")


@pytest.mark.parametrize("size", [2 * 1024 * 1024 + 1, 3 * 1024 * 1024])
def test_a_file_over_2_mb(client, size):
    response = upload(client, b"a" * size, "big.csv")
    assert response.status_code == 413
    message = soup(response).select_one(".error-message").get_text()
    assert "larger than 2 MB" in message


def test_a_paste_near_2_mb_is_read(client):
    """A pasted text is a form field: it may be as large as a file, not just 500 kB."""
    text = fig4() + "\n" + "A line of the report's running text, no table.\n" * 41_000
    assert 1_900_000 < len(text.encode()) < 2 * 1024 * 1024
    response = paste(client, text)
    assert response.status_code == 200
    assert soup(response).select_one("#summary").get_text().endswith("1 table found, 1 imported")


def test_not_a_pdf_named_pdf(client):
    response = upload(client, b"| Model | Score |\n|---|---|\n| a | 1 |\n", "paper.pdf")
    assert response.status_code == 400
    assert error_of(response).startswith("paper.pdf")


def test_a_pdf_of_more_than_20_pages(client):
    response = upload(client, PAPER.read_bytes(), PAPER.name)
    assert response.status_code == 400
    assert error_of(response) == (
        "DeepSeek_R1.pdf: pages 1-22 are 22 pages, and at most 20 pages are read at once: "
        "choose the PDF pages to read, e.g. 13-15")
    response = upload(client, PAPER.read_bytes(), PAPER.name, pages="20-30")
    assert response.status_code == 400
    assert error_of(response) == \
        "DeepSeek_R1.pdf has pages 1-22: pages 20-30 is not a range of them"


def test_pdf_bombs_are_refused_quickly(client):
    squeeze = zlib.compressobj(9)
    chunk = b"0 0 m " * 100_000
    inflates = b"".join(squeeze.compress(chunk) for _ in range(100)) + squeeze.flush()  # 60 MB
    for bomb, pages, says in [
            (make_pdf([inflates], deflated=True), "1",
             "bomb.pdf: page 1 holds drawing instructions of more than 1,000,000 bytes"),
            (make_pdf([b"BT /F1 9 Tf 72 72 Td (one page) Tj ET"], count=10**9), "",
             "bomb.pdf: pages 1-1000000000 are 1000000000 pages")]:
        response, seconds = timed(lambda: upload(client, bomb, "bomb.pdf", pages=pages))  # noqa: B023
        assert response.status_code == 400
        assert error_of(response).startswith(says)
        assert seconds < 2


def test_a_slow_pdf_is_stopped_by_its_time_budget(client, monkeypatch):
    monkeypatch.setattr(pdf, "TIME_BUDGET", 0.1)
    response, seconds = timed(lambda: upload(client, PAPER.read_bytes(), PAPER.name,
                                             pages="1-20"))
    assert response.status_code == 400
    assert error_of(response).startswith("DeepSeek_R1.pdf: reading took more than 0.1 s")
    assert seconds < 1


def test_not_an_xlsx_named_xlsx(client):
    response = upload(client, b"PK\x03\x04" + b"\x00" * 100, "book.xlsx")
    assert response.status_code == 400
    assert error_of(response).startswith("book.xlsx")


@pytest.mark.parametrize(("options", "says"), [
    ({"pages": "x-y"}, "pages: 'x-y' is not a page range like 13-15"),
    ({"map": "DeepSeek-V3"}, "map: 'DeepSeek-V3' is not LABEL=ID"),
    ({"map": "DeepSeek-V3=Not An Id"}, "map: 'DeepSeek-V3=Not An Id' is not LABEL=ID"),
    ({"report": "My Report"}, "Report: 'My Report' is not a report id"),
    ({"models_as": "diagonal"}, "Models as: 'diagonal' is not one of rows, columns or auto."),
])
def test_bad_options(client, options, says):
    response = paste(client, fig4(), **options)
    assert response.status_code == 400
    assert error_of(response).startswith(says)


def test_a_damaged_carried_file(client):
    response = post(client, "/import.zip", {"file_b64": "not base64!", "file_name": "a.md"})
    assert response.status_code == 400
    assert error_of(response) == "The file carried by the form is damaged: choose the file again."


def test_the_zip_is_post_only(client):
    assert client.get("/import.zip").status_code == 405


# --- Budgets: the largest inputs take at most a few seconds -------------------------------


def timed(call):
    began = time.perf_counter()
    response = call()
    return response, time.perf_counter() - began


def test_2_mb_of_many_tables_is_refused_quickly(client):
    small = "\nTable 1: x\n\n| Model | AIME 2024 pass@1 |\n|---|---|\n| o1-mini | 63.6 |\n"
    n = 2_000_000 // len(small)
    response, seconds = timed(lambda: upload(client, (small * n).encode(), "many.md"))
    assert response.status_code == 400
    assert error_of(response) == (
        "many.md: it holds at least 201 tables; this page reviews at most 200 tables and 20,000 "
        "cells at once: import a part of it (a PDF's pages, some of its tables)")
    assert seconds < 4


def test_tables_of_more_than_20000_cells_in_all_are_refused(client):
    """41 tables of 500 cells each (20,500): fewer than 200 tables, too many cells."""
    header = "| Model | " + " | ".join(f"B{i}" for i in range(99)) + " |\n|---|" + "---|" * 99
    rows = "".join(f"\n| M{r} | " + " | ".join(["88.5"] * 99) + " |" for r in range(4))
    response = upload(client, (f"{header}{rows}\n\n" * 41).encode(), "many.md")
    assert response.status_code == 400
    assert error_of(response) == (
        "many.md: it holds at least 20,500 cells; this page reviews at most 200 tables "
        "and 20,000 cells at once: import a part of it (a PDF's pages, some of its tables)")


def test_more_than_200_html_tables_are_refused(client):
    table = "<table><tr><td>Model</td><td>MMLU</td></tr><tr><td>GPT-4o</td><td>87.2</td></tr></table>"
    response = upload(client, (table * 201).encode(), "many.html")
    assert response.status_code == 400
    assert error_of(response).startswith("many.html: it holds at least 201 tables; ")


def test_200_tables_are_reviewed_within_seconds(client):
    data = ((fig4() + "\n") * 200).encode()
    response, seconds = timed(lambda: upload(client, data, "many.md"))
    assert response.status_code == 200
    assert soup(response).select_one("#summary").get_text() == \
        "many.md: 200 tables found, 200 imported"
    assert seconds < 4
    response, seconds = timed(lambda: upload(client, data, "many.md", "/import.zip"))
    assert response.status_code == 200 and len(zip_files(response)) == 403
    assert seconds < 4


def test_a_table_of_too_many_cells_is_refused(client):
    data = ("Model," + ",".join(f"B{j}" for j in range(100)) + "\n"
            + "".join(f"m{i}," + ",".join(["1.0"] * 100) + "\n" for i in range(300))).encode()
    response, seconds = timed(lambda: upload(client, data, "wide.csv"))
    assert response.status_code == 400
    assert "30,401 cells" in error_of(response)
    assert seconds < 4


# --- Hostile content ----------------------------------------------------------------------


def test_hostile_text_is_shown_as_text(client):
    text = ("| Model | AIME 2024 pass@1 | MATH-500 pass@1 |\n|---|---|---|\n"
            "| <script>alert(1)</script> | 1.0 | =HYPERLINK(\"http://evil.example\",\"x\") |\n"
            "| o1-mini | 63.6 | 90.0 |\n"
            "| \"><img src=x onerror=alert(2)> | 2.0 | 3.0 |\n")
    response = paste(client, text)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    page = soup(response)
    assert [(s.get("src"), s.string) for s in page.select("script")] == [("/static/page.js", None)]
    assert page.select("img") == []
    _, rows = grid_of(page)
    assert rows[0][0] == "<script>alert(1)</script>"
    assert rows[0][2] == ["1.0", '=HYPERLINK("http://evil.example","x")']
    assert rows[2][0] == '"><img src=x onerror=alert(2)>'
    # The download form carries the text back verbatim, as an attribute value.
    assert page.select_one("form.download-form input[name=text]")["value"] == text


@pytest.mark.parametrize(("sent", "shown"), [
    ("<img src=x onerror=alert(1)>.csv", "<img src=x onerror=alert(1)>.csv"),
    ("../../etc/scores.csv", "scores.csv"),
])
def test_a_file_name_is_shown_as_text_without_folders(client, sent, shown):
    response = upload(client, b"\x00junk", sent)
    assert response.status_code == 400
    assert "<img" not in response.get_data(as_text=True)
    assert error_of(response).startswith(f"{shown}: this is not a text file")


# --- Hostile inputs: each held a worker 13-40 s (or grew it past 1 GB) before -----------------


def _workbook(patch: dict[str, Callable[[bytes], bytes]], extra: dict[str, bytes] | None = None
              ) -> bytes:
    """A three-cell workbook saved by openpyxl, some of its parts rewritten, parts added (other
    than XML stored: random bytes keep the zip's ratio under the zip-bomb rule)."""
    book = openpyxl.Workbook()
    for row in (["Model", "MMLU"], ["GPT-4o", 88.7], ["DeepSeek-V3", 88.5]):
        book.active.append(row)
    saved = io.BytesIO()
    book.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved.getvalue())) as source, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, patch.get(info.filename, bytes)(source.read(info)))
        for name, data in (extra or {}).items():
            target.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED
                            if name.endswith(".xml") else zipfile.ZIP_STORED)
    return out.getvalue()


def _merged(ref: bytes) -> bytes:
    return _workbook({"xl/worksheets/sheet1.xml": lambda xml: xml.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="%s"/></mergeCells>'
        % ref)})


def _formats(n: int) -> bytes:
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    return _workbook({"xl/styles.xml": lambda xml: re.sub(
        rb'<cellXfs count="1">', b'<cellXfs count="%d">' % (n + 1) + xf * n, xml)},
        {"xl/media/pad.bin": random.Random(1).randbytes(700_000)})


def _strings(n: int) -> bytes:
    main = b"http://schemas.openxmlformats.org/"
    return _workbook({
        "[Content_Types].xml": lambda xml: xml.replace(b"</Types>", (
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlf'
            b'ormats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')),
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(b"</Relationships>", (
            b'<Relationship Id="rIdS" Type="%sofficeDocument/2006/relationships/sharedStrings" '
            b'Target="sharedStrings.xml"/></Relationships>' % main))},
        {"xl/sharedStrings.xml": b'<sst xmlns="%sspreadsheetml/2006/main" count="%d" '
                                 b'uniqueCount="%d">%s</sst>' % (main, n, n,
                                                                 b"<si><t>ab</t></si>" * n),
         "xl/media/pad.bin": random.Random(2).randbytes(700_000)})


def _object_stream_bomb(inflated: int, filters: bytes = b"/FlateDecode", more: bytes = b"",
                        keyword: bytes = b"stream\n",
                        encode: Callable[[bytes], bytes] = bytes) -> bytes:
    """A PDF with no cross-reference table whose one object stream inflates to `inflated`
    (its data deflated, then encoded as `filters` say; `more` said in its dictionary)."""
    squeeze, spaces = zlib.compressobj(9), b" " * (1 << 20)
    data = encode(b"".join(squeeze.compress(spaces) for _ in range(inflated >> 20))
                  + squeeze.flush())
    return (b"%%PDF-1.5\n1 0 obj\n<< /Type /ObjStm /N 1 /First 10 /Length %d /Filter %s %s >>\n"
            b"%s%s\nendstream\nendobj\n2 0 obj\n<< /Type /Catalog /Pages 3 0 R >>\n"
            b"endobj\ntrailer\n<< /Root 2 0 R >>\n%%%%EOF\n"
            % (len(data), filters, more, keyword, data))


def _sheet_xml(change: Callable[[bytes], bytes]) -> bytes:
    """The three-cell workbook, its sheet's XML rewritten (random bytes stored beside it keep
    the zip's ratio under the zip-bomb rule)."""
    return _workbook({"xl/worksheets/sheet1.xml": change},
                     {"xl/media/pad.bin": random.Random(3).randbytes(900_000)})


def _number_formats(code: str, rows: int = 1, dates: bool = False) -> bytes:
    """A workbook of `rows` models whose MMLU cells (numbers or dates) show under `code`."""
    book = openpyxl.Workbook()
    book.active.append(["Model", "MMLU"])
    for i in range(rows):
        book.active.append([f"Model {i}", dt.datetime(2024, 12, 26) if dates else 88.5])
        book.active.cell(i + 2, 2).number_format = code
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


_TABLE = "| Model | MMLU |\n|---|---|\n"


HOSTILE = {  # what is sent, and the words of the answer when it is refused
    "newlines before a bar": (lambda c: paste(c, "\n" * 200_000 + "x|"), None),
    "links left open": (lambda c: paste(c, "|a|" + "[x](" * 100_000 + "|\n|c|d|\n"), None),
    "superscripts left open": (lambda c: paste(c, "|" + "<sup>" * 20_000 + "|b|\n|c|d|\n"), None),
    "spaces before a table": (lambda c: paste(c, " " * 40_000 + "|a|b|\n|c|d|\n"), None),
    "a page of tags left open": (lambda c: upload(c, (("<" + "a" * 9_990) + "<table><tr><td>a"
                                                      "</td><td>b</td></tr><tr><td>1</td><td>2"
                                                      "</td></tr></table>").encode() * 199,
                                                  "page.html"), None),
    "a merged range of 1.4 million cells": (lambda c: upload(c, _merged(b"A1:ZZ2000"), "m.xlsx"),
                                            "too large to import"),
    "a merged range of the whole sheet": (lambda c: upload(c, _merged(b"A1:XFD1048576"),
                                                           "m.xlsx"), "too large to import"),
    "850,000 cell formats": (lambda c: upload(c, _formats(850_000), "f.xlsx"),
                             "850,002 cell formats"),  # and the two of the workbook
    "2.5 million shared strings": (lambda c: upload(c, _strings(2_500_000), "s.xlsx"),
                                   "and 5,000,"),  # elements: two a string
    "an object stream of 150 MB": (lambda c: upload(c, _object_stream_bomb(150 << 20), "b.pdf"),
                                   "refused as a possible PDF bomb"),
    # a second round: each held a worker 7-40 s, or until it was killed (but the 'stream' in a
    # string, which the first check already saw through: kept as a case the new one must too)
    "a number of 20,000 digits": (lambda c: paste(c, _TABLE + "| GPT-4o | " + "1" * 20_000 + "|"),
                                  None),
    "a number of 40,000 brackets": (lambda c: paste(c, _TABLE + "| GPT-4o | " + "1(" * 40_000
                                                    + "|"), None),
    "a label of 20,000 footnote marks": (lambda c: paste(c, _TABLE + "|" + "*" * 20_000
                                                         + "x | 88.5 |"), None),
    "a header of 40,000 brackets": (lambda c: paste(c, "| Model | " + "(" * 40_000
                                                    + "|\n|-|-|\n| GPT-4o | 88.5 |"), None),
    "a header of 40,000 digits": (lambda c: paste(c, "| Model | " + "1" * 40_000
                                                  + "|\n|-|-|\n| GPT-4o | 88.5 |"), None),
    "a wide row over 30,000 short ones": (lambda c: paste(c, "|" * 10_000 + "\n" + _TABLE
                                                          + "| x | 1 |\n" * 30_000),
                                          "the table at lines 1-30003 is too large to import"),
    "153,846 tables of four cells": (lambda c: upload(c, b"|a|b|\n|c|d|\n\n" * 153_846, "t.md"),
                                     "it holds at least 201 tables"),
    "2 MB of bars on one line": (lambda c: paste(c, "|" * 2_000_000), None),
    "2 MB of bars on two lines": (lambda c: paste(c, "|" * 1_000_000 + "\n" + "|" * 1_000_000),
                                  "the table at lines 1-2 is too large to import"),
    "a number format of 50,000 dots": (lambda c: upload(c, _number_formats("." * 50_000), "f.xlsx"),
                                       "a number format of more than 300 characters"),
    "a number format of 200,000 sections": (lambda c: upload(
        c, _number_formats("0" + ";" * 200_000), "f.xlsx"), "a number format of more than 300"),
    "3,000 dates under 140 date parts": (lambda c: upload(
        c, _number_formats("d," * 140, rows=3_000, dates=True), "f.xlsx"), None),
    "3,000 numbers under 290 dots": (lambda c: upload(
        c, _number_formats("." * 290, rows=3_000), "f.xlsx"), None),
    "16,000 ranges of hidden columns": (lambda c: upload(c, _sheet_xml(lambda xml: xml.replace(
        b"<sheetData", b"<cols>" + b"".join(b'<col min="%d" max="16384" hidden="1"/>' % i
                                            for i in range(3, 16_003)) + b"</cols><sheetData")),
        "h.xlsx"), None),
    "300,000 empty rows": (lambda c: upload(c, _sheet_xml(lambda xml: xml.replace(
        b"</sheetData>", b"".join(b'<row r="%d" hidden="1"/>' % i for i in range(9, 300_000))
        + b"</sheetData>")), "r.xlsx"), "the workbook is too large to import"),
    "an object stream named beside /Xobj": (lambda c: upload(c, _object_stream_bomb(
        150 << 20, more=b"/Foo /Xobj"), "b.pdf"), "refused as a possible PDF bomb"),
    "an object stream in hex": (lambda c: upload(c, _object_stream_bomb(
        150 << 20, b"[/AHx /Fl]", encode=lambda d: binascii.hexlify(d) + b">"), "b.pdf"),
        "refused as a possible PDF bomb"),
    "an object stream in ASCII85": (lambda c: upload(c, _object_stream_bomb(
        150 << 20, b"[/ASCII85Decode /FlateDecode]", encode=lambda d: base64.a85encode(d)
        + b"~>"), "b.pdf"), "refused as a possible PDF bomb"),
    "an object stream after 'stream  '": (lambda c: upload(c, _object_stream_bomb(
        150 << 20, keyword=b"stream  \n"), "b.pdf"), "refused as a possible PDF bomb"),
    "an object stream after 'stream\\r'": (lambda c: upload(c, _object_stream_bomb(
        150 << 20, keyword=b"stream\r"), "b.pdf"), "refused as a possible PDF bomb"),
    "an object stream after a 'stream' in a string": (lambda c: upload(c, _object_stream_bomb(
        150 << 20, more=b"/X (stream\n)"), "b.pdf"), "refused as a possible PDF bomb"),
    "200,000 streams after one object": (lambda c: upload(
        c, b"%PDF-1.5\n1 0 obj\n<< /Type /ObjStm " + b"x" * 60_000 + b">>" + b" stream\n" * 200_000,
        "b.pdf"), "tangled beyond reading"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_input_is_answered_within_seconds(client, kind):
    send, refused = HOSTILE[kind]
    response, seconds = timed(lambda: send(client))
    assert response.status_code in ((400,) if refused else (200, 400, 422))
    if refused:
        assert refused in error_of(response)
    assert seconds < 3
