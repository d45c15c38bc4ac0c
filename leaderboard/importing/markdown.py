"""Pipe tables in markdown and plain text, as README files and PDF-to-markdown converters
write them; and the one function that reads any source."""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable, Iterator

from .raw import SUPERSCRIPT, Cell, RawTable, SourceError, budget, is_caption, is_cited, rectangular

# Every pattern here runs on text from uploads: each takes time in proportion to the text (no
# two repeats that can match the same characters; `*+` and `++` never give back, Python 3.11).
_ROW = re.compile(r"^\s*+\|")
_DELIMITER = re.compile(r"^\s*+\|?\s*+:?-{2,}+:?\s*+(?:\|\s*+:?-{2,}+:?\s*+)*+\|?\s*+$")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BOLD = re.compile(r"^(?:\*\*(.*)\*\*|__(.*)__|<(?:b|strong)>(.*)</(?:b|strong)>)$",
                   re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"\[([^\]\[]*+)\]\([^\]\[()]*+\)")  # [text](url): no bracket inside either
_TAG = re.compile(r"</?(?:span|em|i|code|sub|u|a)\b[^<>]*+>", re.IGNORECASE)
_SUP = re.compile(r"<sup>((?:[^<]|<(?!/?sup>))*+)</sup>", re.IGNORECASE)
_MARKUP = re.compile(r"[<\[*_&]")  # what a cell without markup (most of them) has none of
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)  # one left open runs to the end
NEAR = 3  # a caption counts within this many non-empty lines of its table


def _split(line: str) -> list[str]:
    """The cells of one pipe-table line; `\\|` is a literal bar."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [part.replace("\\|", "|") for part in re.split(r"(?<!\\)\|", body)]


def cell(text: str) -> Cell:
    """One markdown cell: markup off, line breaks kept, bold when the whole text is bold.

    A footnote marker in <sup> goes to the end of its line in superscript characters, so
    '**90.8**<sup>†</sup>' is a bold '90.8†' and '88.5<sup>1</sup>' is '88.5¹', not '88.51'."""
    if not _MARKUP.search(text):
        return Cell(text.strip())
    parts = [(_SUP.sub("", line).strip(), "".join(m.translate(SUPERSCRIPT)
                                                   for m in _SUP.findall(line)))
             for line in _BREAK.split(_LINK.sub(r"\1", text.strip()))]
    bold = any(p for p, _ in parts) and all(_BOLD.match(p) for p, _ in parts if p)
    if bold:
        parts = [(_unbold(p), mark) for p, mark in parts]
    lines = [html.unescape(_TAG.sub("", p)).strip() + mark for p, mark in parts]
    return Cell("\n".join(lines).strip("\n"), bold=bold)


def _unbold(text: str) -> str:
    """The text inside a line's bold markup (**…**, __…__, <b>…</b>); `text` when it has none."""
    m = _BOLD.match(text)
    return next(g for g in m.groups() if g is not None) if m else text


def _blocks(lines: list[str]) -> Iterator[tuple[int, int]]:
    """(first, last) line indexes of each run of pipe-table lines."""
    rows = [i for i, line in enumerate(lines) if line.count("|") >= 2 and _ROW.match(line)]
    for _, run in itertools.groupby(enumerate(rows), lambda pair: pair[1] - pair[0]):
        first, *rest = (i for _, i in run)
        yield first, rest[-1] if rest else first


def _nearby(lines: list[str], start: int, step: int) -> Iterator[str]:
    """The non-empty lines next to a table, going up (step -1) or down (+1)."""
    i, seen = start + step, 0
    while 0 <= i < len(lines) and seen < NEAR:
        text = lines[i].strip()
        if text:
            if _ROW.match(text):
                return
            seen += 1
            yield text
        i += step


_DESCRIBED = re.compile(r"^[ \t]*+table:[ \t]*+(.*\S)", re.MULTILINE)


def _width(line: str) -> int:
    """How many cells _split finds in a line, counted without splitting it."""
    body = line.strip()
    bars = body.count("|") - body.count("\\|")
    return bars + 1 - body.startswith("|") - (body.endswith("|") and not body.endswith("\\|"))


def _rows(lines: list[str]) -> list[str]:
    """The lines of a table but its delimiter row(s) (|---|:--:|)."""
    return [line for line in lines if "-" not in line or not _DELIMITER.match(line)]


def read_markdown(text: str, census: Callable[[int, int], None] | None = None
                  ) -> list[RawTable]:
    """Every pipe table in `text`, with the caption and source line printed next to it.

    A comment that describes the table (`table: README "4. Evaluation Results / Base Model"`,
    as a file of published tables has) is its caption when nothing printed is. Before any cell
    is read, `census` is told, table by table, how many tables and cells (rows made as long as
    the longest) there are so far, and may refuse them; `budget` refuses one table too large."""
    described = [m[1] for c in _COMMENT.findall(text) for m in _DESCRIBED.finditer(c)]
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    lines = text.splitlines()
    blocks, cells = [], 0
    for first, last in _blocks(lines):
        kept = _rows(lines[first:last + 1]) if last > first else []
        if len(kept) < 2:
            continue
        where = f"lines {first + 1}-{last + 1}"
        size = len(kept) * max(map(_width, kept))
        budget(size, f"the table at {where}")
        blocks.append((first, last, where, kept))
        cells += size
        if census is not None:
            census(len(blocks), cells)
    tables = []
    for first, last, where, kept in blocks:
        rows = [[cell(c) for c in _split(line)] for line in kept]
        before, after = list(_nearby(lines, first, -1)), list(_nearby(lines, last, 1))
        caption = next((t for t in before if is_caption(t)), None) or next(
            (t for t in after if is_caption(t)), None) or (
            described[0] if len(described) == 1 else None)
        cited = next((t for t in after if is_cited(t)), None)
        tables.append(RawTable(rectangular(rows, f"the table at {where}"), caption=caption,
                               cited=cited, where=where))
    return tables


# --- Any source ---------------------------------------------------------------------------

KINDS = {".md": "markdown", ".markdown": "markdown", ".txt": "markdown", ".html": "html",
         ".htm": "html", ".csv": "delimited", ".tsv": "delimited", ".xlsx": "xlsx",
         ".pdf": "pdf"}


def kind_of(data: bytes, name: str) -> str:
    """The format of a source: from its file name, else from its first bytes."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in KINDS:
        return KINDS[suffix]
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if b"<table" in data[:200_000].lower():
        return "html"
    if re.search(rb"^[ \t]*+\|[^\n]*\|", data[:200_000], re.MULTILINE):
        return "markdown"
    return "delimited"


def text_of(data: bytes) -> str:
    """Decode a text source: UTF-8 (with or without a byte-order mark)."""
    if b"\x00" in data[:4096]:
        raise SourceError("this is not a text file (it holds binary data); give a markdown, "
                          "HTML, CSV, TSV, XLSX or PDF file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SourceError(f"the text is not UTF-8 (byte {e.start} cannot be read)") from e


def read_source(data: bytes, name: str = "", pages: tuple[int, int] | None = None,
                census: Callable[[int, int], None] | None = None) -> list[RawTable]:
    """Every table in a source, whatever its format (`census`: see read_markdown)."""
    kind = kind_of(data, name)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, name, pages)
    if kind == "xlsx":
        from .readers import read_xlsx

        return read_xlsx(data, name)
    text = text_of(data)
    tables = read_markdown(text, census) if kind == "markdown" else []
    if kind in ("html", "delimited") or "<table" in text.lower():
        from .readers import read_delimited, read_html

        tables += (read_delimited if kind == "delimited" else read_html)(text, name)
    return tables
