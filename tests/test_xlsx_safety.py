"""The XLSX holds hostile text as text: no cell is a formula, text a spreadsheet would run as one
carries the cell's quote prefix (not a ' added to the value), and LibreOffice shows it as written.
"""

import csv
import io
import re
import shutil
import subprocess

import pytest
from hostile import CAPTION, FORMULA, FORMULAS, NOTE, PUBLISHER, make_hostile
from openpyxl import load_workbook

from leaderboard import ROOT, create_app
from leaderboard.exports import runs_as_formula

DATA = ROOT / "data" / "benchmarks"
GRIDS = ["api-pricing", "r1-distilled", "r1-vs-frontier", "on-device-llms", "cost-and-scale",
         "text-figures", "inference-efficiency", "r1-readme-downloads", "r1-readme-main",
         "r1-readme-distilled", "r1-paper-table-4", "r1-paper-table-5", "r1-paper-table-6",
         "v3-readme-downloads", "v3-readme-base", "v3-readme-open-ended", "v3-readme-chat"]
SHEETS = [*GRIDS, "models", "metrics", "sources", "conflicts"]
# What each formula shows when a spreadsheet runs it ('ran: …', or 'click'), and the errors a
# spreadsheet shows for formulas it cannot run.
RAN = re.compile(r'HYPERLINK\("http://evil\.example","([^"]*)"\)')
SHOWN_WHEN_RUN = {RAN.search(text)[1] for text in [*FORMULAS.values(), FORMULA]}
ERRORS = re.compile(r"^(Err:\d+|#NAME\?|#VALUE!|#REF!|#N/A)$")


@pytest.fixture(scope="module")
def xlsx(tmp_path_factory) -> bytes:
    directory = make_hostile(DATA, tmp_path_factory.mktemp("hostile") / "benchmarks")
    response = create_app({"DATA_DIR": str(directory)}).test_client().get("/downloads/all.xlsx")
    assert response.status_code == 200
    return response.data


@pytest.fixture(scope="module")
def book(xlsx):
    return load_workbook(io.BytesIO(xlsx))


def every_cell(book):
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                yield sheet.title, cell


def test_no_cell_of_any_sheet_is_a_formula(book):
    assert book.sheetnames == SHEETS
    cells = list(every_cell(book))
    assert len(cells) > 5000
    formulas = [(s, c.coordinate, c.value) for s, c in cells if c.data_type == "f"]
    assert formulas == []
    assert {c.data_type for _, c in cells if c.value is not None} <= {"s", "n", "b"}


def test_formula_text_has_the_quote_prefix_and_no_added_quote(book):
    prefixed = 0
    for sheet, cell in every_cell(book):
        value = cell.value
        where = (sheet, cell.coordinate, value if not isinstance(value, str) else value[:80])
        if isinstance(value, str) and runs_as_formula(value):
            assert cell.quotePrefix, where
            prefixed += 1
        else:  # numbers, '-', '-1.5' and plain text as they were
            assert not cell.quotePrefix, where
        if isinstance(value, str):
            assert not re.match(r"'[=+\-@\t\r]", value), where  # no literal ' before a formula
    assert prefixed > 100


def test_hostile_text_is_in_the_workbook_verbatim(book):
    texts = {c.value for _, c in every_cell(book) if isinstance(c.value, str)}
    for name, text in FORMULAS.items():
        assert text in texts, name
    assert {NOTE, FORMULA, CAPTION} <= texts
    frontier = book["r1-vs-frontier"]
    assert frontier["A1"].value == FORMULAS["caption"]
    assert frontier["A1"].font.bold and frontier["A1"].data_type == "s"
    assert frontier["G2"].value == FORMULAS["model label"]  # models as columns
    assert frontier["A3"].value == FORMULAS["metric label"]
    lines = [row[0].value for row in frontier.iter_rows(min_row=frontier.max_row - 1)]
    assert lines == [None, f"{FORMULAS['label']}, p. 7, {PUBLISHER}《{FORMULAS['report title']}》"
                           f"(2025-02-03) · {FORMULAS['cited r1-vs-frontier']}"]
    for grid in GRIDS:
        caption = FORMULAS.get(f"caption {grid}", CAPTION if grid == "r1-distilled" else None)
        if caption is not None:
            assert book[grid]["A1"].value == caption, grid
    assert book["r1-distilled"].cell(book["r1-distilled"].max_row, 1).value.endswith(
        " · " + FORMULAS["cited"])


def test_error_codes_are_text(data_copy):
    path = data_copy / "grids/r1-vs-frontier.csv"
    text = path.read_text(encoding="utf-8")
    assert "OpenAI o1-1217,MMLU-Redux (EM),-,," in text
    path.write_text(text.replace("OpenAI o1-1217,MMLU-Redux (EM),-,,",
                                 "OpenAI o1-1217,MMLU-Redux (EM),#N/A,,"), encoding="utf-8")
    data = create_app({"DATA_DIR": str(data_copy)}).test_client().get("/downloads/all.xlsx").data
    book = load_workbook(io.BytesIO(data))
    cells = [c for _, c in every_cell(book) if c.value == "#N/A"]
    assert len(cells) == 2  # the grid sheet and the sources sheet
    assert all(c.data_type == "s" and not c.quotePrefix for c in cells)


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail("LibreOffice is needed to check what a spreadsheet shows: "
                    "apt-get install -y libreoffice-calc-nogui")
    return found


@pytest.fixture(scope="module")
def libreoffice_sheets(xlsx, tmp_path_factory) -> dict[str, list[list[str]]]:
    """Each sheet as LibreOffice shows it: converted to CSV, formulas exported as their results."""
    work = tmp_path_factory.mktemp("libreoffice")
    (work / "all.xlsx").write_bytes(xlsx)
    # CSV filter options: comma, ", UTF-8, from line 1, -, -, -, -, values (not as shown),
    # results (not formulas), -, every sheet to its own file (LibreOffice 7.2 and later).
    options = "44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run(
        [soffice(), "--headless", f"-env:UserInstallation=file://{work}/profile",
         "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}", "--outdir", str(work),
         str(work / "all.xlsx")],
        check=True, capture_output=True, timeout=300,
    )
    sheets = {}
    for name in SHEETS:
        path = work / f"all-{name}.csv"
        assert path.exists(), sorted(p.name for p in work.iterdir())
        with path.open(encoding="utf-8", newline="") as f:
            sheets[name] = list(csv.reader(f))
    return sheets


def test_libreoffice_shows_the_text_not_a_result(book, libreoffice_sheets):
    for sheet, cell in every_cell(book):
        if not isinstance(cell.value, str):
            continue
        rows = libreoffice_sheets[sheet]
        shown = rows[cell.row - 1][cell.column - 1]
        assert shown == cell.value, (sheet, cell.coordinate, shown[:80], cell.value[:80])
    shown = [v for rows in libreoffice_sheets.values() for row in rows for v in row]
    assert not [v for v in shown if v in SHOWN_WHEN_RUN or ERRORS.match(v)]
    assert libreoffice_sheets["r1-vs-frontier"][0][0] == FORMULAS["caption"]
