"""The PDF reader: the DeepSeek-R1 paper's Tables 4, 5 and 6 read cell by cell, and its limits.

The expected cells are typed from the paper's pages 13-15 as rendered (pdftoppm), not from the
reader and not from the README (which prints other figures: Table 5's QwQ-32B-Preview AIME
pass@1 is 50.0 in the paper, 44.0 in the README). In a row, a leading `*` marks a bold cell and a
leading `^` a spanned copy (a band label repeated into its group's rows, a heading repeated
across the columns or header rows it covers); "\\n" is a printed line break inside a cell.
"""

from __future__ import annotations

import time
import tracemalloc
import zlib
from typing import Any

import pytest

from leaderboard import ROOT
from leaderboard.importing import pdf
from leaderboard.importing.pdf import read_pdf
from leaderboard.importing.raw import Cell, RawTable, SourceError

PAPER = ROOT.parent / "shared" / "sources" / "DeepSeek_R1.pdf"

TABLE_4 = [
    ("", "*Benchmark (Metric)", "*Claude-3.5-\nSonnet-1022", "*GPT-4o\n0513", "*DeepSeek\nV3", "*OpenAI\no1-mini", "*OpenAI\no1-1217", "*DeepSeek\nR1"),
    ("", "Architecture", "-", "-", "MoE", "-", "-", "MoE"),
    ("", "# Activated Params", "-", "-", "37B", "-", "-", "37B"),
    ("", "# Total Params", "-", "-", "671B", "-", "-", "671B"),
    ("English", "MMLU (Pass@1)", "88.3", "87.2", "88.5", "85.2", "*91.8", "90.8"),
    ("^English", "MMLU-Redux (EM)", "88.9", "88.0", "89.1", "86.7", "-", "*92.9"),
    ("^English", "MMLU-Pro (EM)", "78.0", "72.6", "75.9", "80.3", "-", "*84.0"),
    ("^English", "DROP (3-shot F1)", "88.3", "83.7", "91.6", "83.9", "90.2", "*92.2"),
    ("^English", "IF-Eval (Prompt Strict)", "*86.5", "84.3", "86.1", "84.8", "-", "83.3"),
    ("^English", "GPQA Diamond (Pass@1)", "65.0", "49.9", "59.1", "60.0", "*75.7", "71.5"),
    ("^English", "SimpleQA (Correct)", "28.4", "38.2", "24.9", "7.0", "*47.0", "30.1"),
    ("^English", "FRAMES (Acc.)", "72.5", "80.5", "73.3", "76.9", "-", "*82.5"),
    ("^English", "AlpacaEval2.0 (LC-winrate)", "52.0", "51.1", "70.0", "57.8", "-", "*87.6"),
    ("^English", "ArenaHard (GPT-4-1106)", "85.2", "80.4", "85.5", "92.0", "-", "*92.3"),
    ("Code", "LiveCodeBench (Pass@1-COT)", "38.9", "32.9", "36.2", "53.8", "63.4", "*65.9"),
    ("^Code", "Codeforces (Percentile)", "20.3", "23.6", "58.7", "93.4", "*96.6", "96.3"),
    ("^Code", "Codeforces (Rating)", "717", "759", "1134", "1820", "*2061", "2029"),
    ("^Code", "SWE Verified (Resolved)", "*50.8", "38.8", "42.0", "41.6", "48.9", "49.2"),
    ("^Code", "Aider-Polyglot (Acc.)", "45.3", "16.0", "49.6", "32.9", "*61.7", "53.3"),
    ("Math", "AIME 2024 (Pass@1)", "16.0", "9.3", "39.2", "63.6", "79.2", "*79.8"),
    ("^Math", "MATH-500 (Pass@1)", "78.3", "74.6", "90.2", "90.0", "96.4", "*97.3"),
    ("^Math", "CNMO 2024 (Pass@1)", "13.1", "10.8", "43.2", "67.6", "-", "*78.8"),
    ("Chinese", "CLUEWSC (EM)", "85.4", "87.9", "90.9", "89.9", "-", "*92.8"),
    ("^Chinese", "C-Eval (EM)", "76.7", "76.0", "86.5", "68.9", "-", "*91.8"),
    ("^Chinese", "C-SimpleQA (Correct)", "55.4", "58.7", "*68.0", "40.3", "-", "63.7"),
]

TABLE_5 = [
    ("*Model", "*AIME 2024", "^*AIME 2024", "*MATH-500", "*GPQA\nDiamond", "*LiveCode\nBench", "*CodeForces"),
    ("^*Model", "pass@1", "cons@64", "pass@1", "pass@1", "pass@1", "rating"),
    ("*GPT-4o-0513", "9.3", "13.4", "74.6", "49.9", "32.9", "759"),
    ("*Claude-3.5-Sonnet-1022", "16.0", "26.7", "78.3", "65.0", "38.9", "717"),
    ("*OpenAI-o1-mini", "63.6", "80.0", "90.0", "60.0", "53.8", "*1820"),
    ("*QwQ-32B-Preview", "50.0", "60.0", "90.6", "54.5", "41.9", "1316"),
    ("*DeepSeek-R1-Distill-Qwen-1.5B", "28.9", "52.7", "83.9", "33.8", "16.9", "954"),
    ("*DeepSeek-R1-Distill-Qwen-7B", "55.5", "83.3", "92.8", "49.1", "37.6", "1189"),
    ("*DeepSeek-R1-Distill-Qwen-14B", "69.7", "80.0", "93.9", "59.1", "53.1", "1481"),
    ("*DeepSeek-R1-Distill-Qwen-32B", "*72.6", "83.3", "94.3", "62.1", "57.2", "1691"),
    ("*DeepSeek-R1-Distill-Llama-8B", "50.4", "80.0", "89.1", "49.0", "39.6", "1205"),
    ("*DeepSeek-R1-Distill-Llama-70B", "70.0", "*86.7", "*94.5", "*65.2", "*57.5", "1633"),
]

TABLE_6 = [
    ("*Model", "*AIME 2024", "^*AIME 2024", "*MATH-500", "*GPQA Diamond", "*LiveCodeBench"),
    ("^*Model", "pass@1", "cons@64", "pass@1", "pass@1", "pass@1"),
    ("*QwQ-32B-Preview", "50.0", "60.0", "90.6", "54.5", "41.9"),
    ("*DeepSeek-R1-Zero-Qwen-32B", "47.0", "60.0", "91.6", "55.0", "40.2"),
    ("*DeepSeek-R1-Distill-Qwen-32B", "*72.6", "*83.3", "*94.3", "*62.1", "*57.2"),
]

CAPTIONS = [
    "Table 4 | Comparison between DeepSeek-R1 and other representative models.",
    "Table 5 | Comparison of DeepSeek-R1 distilled models and other comparable models on "
    "reasoning-related benchmarks.",
    "Table 6 | Comparison of distilled and RL Models on Reasoning-Related Benchmarks.",
]


def _cell(spec: str) -> Cell:
    """A cell from its spec: `^` a spanned copy, then `*` bold, then the text."""
    spanned = spec.startswith("^")
    spec = spec.removeprefix("^")
    return Cell(spec.removeprefix("*"), bold=spec.startswith("*"), spanned=spanned)


def _rows(table: list[tuple[str, ...]]) -> list[list[Cell]]:
    return [[_cell(spec) for spec in row] for row in table]


@pytest.fixture(scope="module")
def paper() -> bytes:
    return PAPER.read_bytes()


@pytest.fixture(scope="module")
def tables(paper: bytes) -> list[RawTable]:
    return read_pdf(paper, "DeepSeek_R1.pdf", pages=(13, 15))


def test_pages_13_to_15_hold_tables_4_5_6(tables: list[RawTable]) -> None:
    assert [t.caption for t in tables] == CAPTIONS
    assert [t.where for t in tables] == ["page 13", "page 14", "page 15"]
    assert [t.shape for t in tables] == [(25, 8), (12, 7), (5, 6)]
    assert [t.cited for t in tables] == [None, None, None]


@pytest.mark.parametrize(("index", "expected"), [(0, TABLE_4), (1, TABLE_5), (2, TABLE_6)],
                         ids=["table-4", "table-5", "table-6"])
def test_every_cell_as_printed(tables: list[RawTable], index: int,
                               expected: list[tuple[str, ...]]) -> None:
    got = [list(row) for row in tables[index].rows]
    assert len(got) == len(expected)
    for i, (row, want) in enumerate(zip(got, _rows(expected), strict=True)):
        assert row == want, f"row {i}"


def test_the_paper_not_the_readme(tables: list[RawTable]) -> None:
    # The README prints 44.0 for QwQ-32B-Preview and 33.8/34.2/- for LiveCodeBench's first three.
    assert tables[1].rows[5][1] == Cell("50.0")
    assert [c.text for c in tables[0].rows[14][2:5]] == ["38.9", "32.9", "36.2"]


def test_pages_13_to_15_read_in_about_a_second(paper: bytes) -> None:
    started = time.perf_counter()
    read_pdf(paper, pages=(13, 15))
    assert time.perf_counter() - started < 2.5  # measured 0.3-0.7 s


def test_a_page_of_prose_and_a_box_of_text_hold_no_table(paper: bytes) -> None:
    assert read_pdf(paper, pages=(2, 2)) == []
    assert read_pdf(paper, pages=(9, 9)) == []  # Table 3, the "aha moment", is a box of text


def test_pages_1_to_12_hold_table_2_only(paper: bytes) -> None:
    found = read_pdf(paper, pages=(1, 12))
    assert [(t.where, t.caption[:8], t.shape) for t in found] == [("page 7", "Table 2 ", (5, 7))]


@pytest.mark.parametrize(("pages", "message"), [
    ((0, 2), "has pages 1-22: pages=(0, 2) is not a range of them"),
    ((3, 2), "has pages 1-22"),
    ((22, 23), "has pages 1-22"),
    ((1, 21), "pages 1-21 are 21 pages, and at most 20 pages are read at once"),
    ((13,), "pages must be"),
    ("13", "pages must be"),
    ((1.0, 2.0), "pages must be"),
])
def test_pages_out_of_range_or_over_the_limit(paper: bytes, pages: object, message: str) -> None:
    with pytest.raises(SourceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_pdf(paper, "DeepSeek_R1.pdf", pages=pages)  # type: ignore[arg-type]


def test_all_22_pages_are_over_the_limit(paper: bytes) -> None:
    with pytest.raises(SourceError, match="at most 20 pages are read at once"):
        read_pdf(paper, "DeepSeek_R1.pdf")


# ----------------------------------------------------------------------------- hostile files


def _pdf(pages: list[bytes], count: int | None = None, trailer: bytes = b"",
         deflated: bool = False) -> bytes:
    """A small PDF: one page for each content stream (Flate-compressed here unless `deflated`
    already), Helvetica as /F1; `count` is the page count it declares, `trailer` added there."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for content in pages:
        data = content if deflated else zlib.compress(content)
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
                       % (len(data), data))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % len(objects))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(kids), len(kids) if count is None else count)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer, xref)
    return bytes(out)


def _text(*placed: tuple[float, float, str]) -> bytes:
    """Drawing instructions printing each text at (x, top) in 9 pt Helvetica."""
    return b"".join(b"BT /F1 9 Tf %g %g Td (%s) Tj ET\n" % (x, 842 - top - 9, s.encode())
                    for x, top, s in placed)


def test_a_generated_pdf_reads() -> None:
    assert read_pdf(_pdf([_text((72, 72, "Hello"))])) == []


@pytest.mark.parametrize("data", [b"", b"hello, world", b"<html><table></table></html>",
                                  b"PK\x03\x04 a zip file"])
def test_not_a_pdf(data: bytes) -> None:
    with pytest.raises(SourceError, match="upload.bin is not a PDF"):
        read_pdf(data, "upload.bin")


def test_a_corrupt_pdf(paper: bytes) -> None:
    with pytest.raises(SourceError, match="cannot be opened as a PDF"):
        read_pdf(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    with pytest.raises(SourceError, match="cannot be opened as a PDF"):
        read_pdf(paper[: len(paper) // 2], pages=(1, 1))


def test_a_pdf_that_needs_a_password() -> None:
    security = (b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >> "
                b"/ID [<%s> <%s>]" % (b"ab" * 32, b"cd" * 32, b"00" * 16, b"00" * 16))
    with pytest.raises(SourceError, match="encrypted and needs a password"):
        read_pdf(_pdf([_text((72, 72, "secret"))], trailer=security))
    with pytest.raises(SourceError, match="encrypted in a way that cannot be read"):
        read_pdf(_pdf([_text((72, 72, "secret"))],
                      trailer=security.replace(b"/Standard", b"/Unknown")))


def test_a_huge_page_count_is_refused_before_reading() -> None:
    bomb = _pdf([_text((72, 72, "one page"))], count=10**9)
    started = time.perf_counter()
    with pytest.raises(SourceError, match="pages 1-1000000000 are 1000000000 pages"):
        read_pdf(bomb)
    with pytest.raises(SourceError, match="has no page 2"):
        read_pdf(bomb, pages=(2, 2))
    assert read_pdf(bomb, pages=(1, 1)) == []
    assert time.perf_counter() - started < 1


def test_a_decompression_bomb_is_refused_before_it_is_inflated() -> None:
    squeeze = zlib.compressobj(9)
    chunk = b"0 0 m " * 100_000
    data = b"".join(squeeze.compress(chunk) for _ in range(100)) + squeeze.flush()  # 60 MB
    bomb = _pdf([data], deflated=True)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(SourceError, match="drawing instructions of more than 1,000,000 bytes"):
        read_pdf(bomb, pages=(1, 1))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 2
    assert peak < 4 * len(bomb) + 20_000_000


def test_a_flood_of_characters_is_cut_off() -> None:
    flood = b"BT /F1 1 Tf 10 10 Td (" + b"a" * 100_000 + b") Tj ET"
    started = time.perf_counter()
    with pytest.raises(SourceError, match="draws more than 50,000 characters and shapes"):
        read_pdf(_pdf([flood]))
    assert time.perf_counter() - started < 3


# Pages that take long to read, each within the page limits: characters pdfminer draws one by
# one; thin rules and words to weigh against each other; rules alone; a caption over a grid of
# tiny numbers. Read to the end, the rules take minutes.
SLOW_PAGES = {
    "characters": b"BT /F1 1 Tf 10 10 Td (" + b"a" * 45_000 + b") Tj ET",
    "rules and words": b"".join(b"%d %d 50 0.5 re f\n" % (10 + i % 10 * 55, 10 + i // 10 % 800)
                                for i in range(12_000))
    + b"".join(b"BT /F1 2 Tf %d %d Td (a) Tj ET\n" % (10 + i % 60 * 9, 10 + i // 60 * 4 % 800)
               for i in range(12_000)),
    "rules": b"".join(b"%d %d 30 0.5 re f\n" % (10 + i % 18 * 32, 10 + i // 18 % 800)
                      for i in range(40_000)),
    "a grid of numbers": _text((10, 3, "Table 1: numbers"))
    + b"".join(b"BT /F1 3 Tf %g %g Td (%d) Tj ET\n" % (10 + i % 100 * 5.8, 820 - i // 100 * 3.5,
                                                     i % 10) for i in range(20_000)),
}


@pytest.mark.parametrize("kind", SLOW_PAGES)
def test_the_time_budget_stops_a_slow_page(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "TIME_BUDGET", 0.3)
    started = time.perf_counter()
    with pytest.raises(SourceError, match=r"reading took more than 0.3 s \(stopped at page 1\)"):
        read_pdf(_pdf([SLOW_PAGES[kind]]))
    assert time.perf_counter() - started < 3  # stopped on the way: 0.3 s and a step


@pytest.mark.parametrize("kind", ["rules and words", "rules"])
def test_the_time_budget_holds_while_tables_are_found(kind: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The time runs out once the page is drawn and its words read: finding its tables (minutes
    for these pages) stops too."""
    words = pdf._words

    def words_then_out_of_time(page: Any) -> Any:
        found = words(page)
        pdf._DEADLINE.set(0.0)
        return found

    monkeypatch.setattr(pdf, "_words", words_then_out_of_time)
    started = time.perf_counter()
    with pytest.raises(SourceError, match=r"reading took more than 5 s \(stopped at page 1\)"):
        read_pdf(_pdf([SLOW_PAGES[kind]]))
    assert time.perf_counter() - started < 10  # drawing the page takes ~1 s


def test_the_time_budget_counts_the_whole_reading(paper: bytes,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "TIME_BUDGET", 0.15)
    with pytest.raises(SourceError, match="reading took more than 0.15 s"):
        read_pdf(paper, pages=(1, 20))


# ----------------------------------------------------------------------------- layouts


def test_a_table_without_rules_is_the_block_above_its_caption() -> None:
    page = _text(
        (72, 72, "Some running text of the paper, set as one long line across the page width."),
        (72, 120, "Model"), (200, 120, "AIME"), (260, 120, "MATH"),
        (72, 132, "Alpha"), (202, 132, "10.0"), (262, 132, "20.0"),
        (72, 144, "Beta-2"), (202, 144, "30.5"), (262, 144, "41.0"),
        (72, 170, "Table 1: Scores of two models."),
    )
    (table,) = read_pdf(_pdf([page]), pages=(1, 1))
    assert table.caption == "Table 1: Scores of two models."
    assert table.where == "page 1"
    assert [[c.text for c in row] for row in table.rows] == [
        ["Model", "AIME", "MATH"], ["Alpha", "10.0", "20.0"], ["Beta-2", "30.5", "41.0"]]
