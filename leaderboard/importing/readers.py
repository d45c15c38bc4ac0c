"""Readers of HTML, CSV/TSV and XLSX sources: each turns a source into RawTables, cells as printed.

Readers do not interpret a table (headers, orientation, bands are decided later); they only say
what is printed where, which text is bold, and which places a spanning cell covers.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from html import unescape

import openpyxl
from bs4 import BeautifulSoup, CData, NavigableString, Tag
from openpyxl.cell.cell import Cell as StoredCell
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from .raw import SUPERSCRIPT, Cell, RawTable, SourceError, budget, is_caption, is_cited

# Budgets that keep every reader well under a second on a 2 MB source: a benchmark table has
# hundreds of cells, a large leaderboard some thousands.
MAX_HTML_TAGS = 15_000  # elements in the tables of a page (~25 µs each to parse and read)
MAX_XLSX_CELLS = 30_000  # cells stored in a workbook (openpyxl loads ~12 µs a cell)
MAX_XLSX_PARTS = 200_000  # elements of a workbook's other parts: strings, styles (~20 µs each)
MAX_XLSX_FORMATS = 64_000  # cell formats (<xf>) of a workbook: Excel's own limit
MAX_FORMAT_CODE = 300  # characters of a number format as stored (Excel's are 255 at most)
MAX_DATE_PARTS = 24  # date and time parts of a format followed (more: the date shown as ISO)
MAX_UNZIPPED = 50_000_000  # bytes of a workbook once unzipped
MAX_RATIO = 100  # unzipped : zipped, above which a workbook is a zip bomb
MAX_COLSPAN, MAX_ROWSPAN = 1000, 65534  # what browsers clamp spans to
NEAR = 3  # a caption counts within this many lines of text of its table
WINDOW = 5_000  # characters of a page read on each side of a table to find those lines


_BLANK = Cell("")


def _empty(row: Sequence[Cell]) -> bool:
    return not any(c.text for c in row)


def _single(row: Sequence[Cell]) -> str | None:
    """The text of a row that prints one thing only (one cell, or one cell merged across)."""
    texts = {c.text for c in row if c.text}
    originals = [c for c in row if c.text and not c.spanned]
    return texts.pop() if len(texts) == 1 and len(originals) == 1 else None


# --- HTML ---------------------------------------------------------------------------------

_UNSEEN = re.compile(r"<!--.*?(?:-->|\Z)"  # comments, and elements whose text is not shown
                     r"|<(script|style|template|textarea|title)\b.*?(?:</\1\s*>|\Z)",
                     re.IGNORECASE | re.DOTALL)
_TABLE_TAG = re.compile(r"<(/?)table(?=[\s/>])", re.IGNORECASE)
_START_TAG = re.compile(r"<[A-Za-z]")
_TABLE_START = re.compile(r"<table(?=[\s/>])", re.IGNORECASE)
_BLOCKS = frozenset("""address article aside blockquote caption dd details div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary
    tbody td tfoot th thead tr ul""".split())
_SKIPPED = frozenset({"script", "style", "template", "svg", "head", "title", "button", "select"})
_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.IGNORECASE)
_BOLD_CLASS = re.compile(r"(?:^|[-_])bold$", re.IGNORECASE)  # ltx_font_bold, fw-bold, font-bold
_SPACE = re.compile(r"\s+")
_PAGE_TOKEN = re.compile(r"<(/?)([a-zA-Z][\w:-]*+)[^<>]*+>|<[!?/][^<>]*+>|([^<]++|<)")
_SPAN = re.compile(r"\s*\+?(\d{1,9})")  # a longer number is past any limit anyway
_SUPERSCRIPT = SUPERSCRIPT


def _regions(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of each outermost <table> … </table> of a page."""
    regions, depth, start = [], 0, 0
    for m in _TABLE_TAG.finditer(text):
        if not m.group(1):
            start = m.start() if depth == 0 else start
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                end = text.find(">", m.end())
                regions.append((start, len(text) if end < 0 else end + 1))
    if depth:
        regions.append((start, len(text)))
    return regions


def _soup(html: str) -> BeautifulSoup:
    """Parse HTML leniently, as browsers do with broken markup (unclosed cells, stray tags)."""
    with warnings.catch_warnings():  # e.g. MarkupResemblesLocatorWarning for a short fragment
        warnings.simplefilter("ignore")
        return BeautifulSoup(html, "html.parser")


def _attr(tag: Tag, name: str) -> str:
    """An attribute's text, '' when absent; a class's words (html.parser splits them) joined."""
    value = tag.get(name)
    return value if isinstance(value, str) else " ".join(value or ())


def _hidden(tag: Tag) -> bool:
    return tag.name in _SKIPPED or bool(tag.attrs) and (tag.has_attr("hidden") or bool(
        _HIDDEN.search(_attr(tag, "style"))))


def _is_bold(tag: Tag) -> bool:
    """Whether a tag makes its text bold: <b>, <strong>, a bold style or class."""
    if tag.name in ("b", "strong"):
        return True
    if not tag.attrs:
        return False
    return bool(_BOLD_STYLE.search(_attr(tag, "style"))) or any(
        _BOLD_CLASS.search(c) for c in _attr(tag, "class").split())


def _events(root: Tag, stop: frozenset[str] = frozenset()) -> Iterator[tuple[str, Tag | str]]:
    """("open", tag), ("close", tag) and ("text", str) under `root`, in document order; hidden
    tags are left out, and a tag named in `stop` gives its "open" alone."""
    stack = [iter(root.contents)]
    opened: list[Tag] = []
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            if opened:
                yield "close", opened.pop()
        elif isinstance(node, Tag):
            if _hidden(node):
                continue
            yield "open", node
            if node.name not in stop:
                stack.append(iter(node.contents))
                opened.append(node)
        elif type(node) in (NavigableString, CData):  # not comments, doctypes, declarations
            yield "text", str(node)


@dataclass
class _Text:
    """Printed lines being gathered: whitespace collapses within a line, <br> and blocks break."""

    lines: list[str] = field(default_factory=list)
    line: list[str] = field(default_factory=list)
    bold: bool = True  # every piece of text so far (outside <sup>) was bold
    seen: bool = False  # some text outside <sup> was seen

    def add(self, text: str, bold: bool, sup: bool) -> None:
        self.line.append(text.translate(_SUPERSCRIPT) if sup else text)
        if not sup and text and not text.isspace():
            self.seen, self.bold = True, self.bold and bold

    def end_line(self, hard: bool = True) -> None:
        """End the current line; a soft end (a block's edge) makes no empty line."""
        line = _SPACE.sub(" ", "".join(self.line)).strip()
        if line or hard:
            self.lines.append(line)
        self.line = []

    def text(self) -> str:
        self.end_line(hard=False)
        return "\n".join(self.lines).strip("\n")

    def cell(self) -> Cell:
        text = self.text()
        return Cell(text, bold=bool(text) and self.seen and self.bold)


def _text_of(tag: Tag) -> str:
    """The printed text of an element, its lines joined by spaces."""
    return " ".join(line for line in _printed(_events(tag)).text().split("\n") if line)


def _printed(events: Iterable[tuple[str, Tag | str]]) -> _Text:
    """Gather the printed text of a run of events."""
    text, sup = _Text(), 0
    for kind, node in events:
        if isinstance(node, str):  # a "text" event
            text.add(node, False, sup > 0)
        elif node.name == "sup":
            sup += 1 if kind == "open" else -1
        elif node.name == "br" and kind == "open":
            text.end_line()
        elif node.name in _BLOCKS:
            text.end_line(hard=False)
    return text


def _span(value: object, limit: int) -> int:
    m = _SPAN.match(value if isinstance(value, str) else "")
    return min(int(m.group(1)), limit) if m else 1


@dataclass
class _TableRows:
    """The rows of one <table> as its markup gives them: (cell, rowspan, colspan) each."""

    rows: list[list[tuple[Cell, int, int]]] = field(default_factory=list)
    caption: str | None = None
    open: tuple[_Text, int, int] | None = None  # the cell being read
    row_open: bool = False  # a cell after </tr> starts a new row, as in a browser

    def start_row(self) -> None:
        self.end_row()
        self.rows.append([])
        self.row_open = True

    def end_row(self) -> None:
        self.end_cell()
        self.row_open = False

    def end_cell(self) -> None:
        if self.open is not None:
            text, rowspan, colspan = self.open
            self.rows[-1].append((text.cell(), rowspan, colspan))
            self.open = None

    def start_cell(self, tag: Tag) -> None:
        self.end_cell()
        if not self.row_open:
            self.start_row()
        colspan = _span(tag.get("colspan"), MAX_COLSPAN) or 1
        self.open = _Text(), _span(tag.get("rowspan"), MAX_ROWSPAN), colspan


def _table_rows(table: Tag) -> _TableRows:
    """Read a <table>'s rows and <caption>, leaving nested tables to be read on their own."""
    found, bold, sup = _TableRows(), 0, 0
    for kind, node in _events(table, stop=frozenset({"table", "caption"})):
        if isinstance(node, str):  # a "text" event
            if found.open is not None:
                found.open[0].add(node, bold > 0, sup > 0)
            continue
        name, step = node.name, 1 if kind == "open" else -1
        if name not in ("table", "caption"):  # these two are skipped whole: no "close" comes
            bold += step if _is_bold(node) else 0
            sup += step if name == "sup" else 0
        if name == "caption":
            found.caption = found.caption or _text_of(node) or None
        elif name == "tr":
            found.end_row() if kind == "close" else found.start_row()
        elif name in ("td", "th"):
            found.start_cell(node) if kind == "open" else found.end_cell()
        elif found.open is not None and (name == "br" or name in _BLOCKS or name == "table"):
            found.open[0].end_line(hard=name == "br" and kind == "open")
    found.end_cell()
    return found


def _place(rows: list[list[tuple[Cell, int, int]]], what: str) -> RawTable | None:
    """Lay cells out as a browser does: each spanning cell repeated into the places it covers
    (copies marked spanned); spans stop at the table's last row; rows and columns where no cell
    starts (made only by spans) are dropped."""
    grid: list[dict[int, Cell]] = [{} for _ in rows]
    starts, placed = set(), 0
    for r, row in enumerate(rows):
        col = 0
        for cell, rowspan, colspan in row:
            while col in grid[r]:
                col += 1
            starts.add(col)
            rowspan = len(rows) - r if rowspan == 0 else min(rowspan, len(rows) - r)
            placed += rowspan * colspan
            budget(placed, what)
            copy = replace(cell, spanned=True) if rowspan * colspan > 1 else cell
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[r + dr].setdefault(col + dc, copy if dr or dc else cell)
            col += colspan
    kept = [g for g, row in zip(grid, rows, strict=True) if row]
    columns = sorted(starts)
    budget(len(kept) * len(columns), what)
    out = tuple(tuple(g.get(c, _BLANK) for c in columns) for g in kept)
    return RawTable(out) if any(c.text for row in out for c in row) else None


def _lines(html: str, cut_start: bool, cut_end: bool) -> list[str]:
    """The non-empty printed lines of a stretch of page between tables, read quickly by tags
    alone: blocks and <br> break lines, and so does a line break in text outside any block
    (markdown around an HTML table); a line cut by the stretch's edge is left out."""
    text, block, skip = _Text(), 0, 0
    for m in _PAGE_TOKEN.finditer(html):
        closing, name, data = m.groups()
        if data is not None:
            pieces = [] if skip else data.split("\n") if block == 0 else [data]
            for i, piece in enumerate(pieces):
                if i:
                    text.end_line(hard=False)
                text.add(unescape(piece), False, False)
            continue
        name, step = (name or "").lower(), 0 if m.group(0).endswith("/>") else -1 if closing else 1
        if name in _SKIPPED:
            skip = max(0, skip + step)
        elif name == "br":
            text.end_line()
        elif name in _BLOCKS:
            block = max(0, block + step)
            text.end_line(hard=False)
    lines = text.text().split("\n")
    lines = lines[1:] if cut_start else lines
    lines = lines[:-1] if cut_end else lines
    return [line for line in lines if line]


def _gaps(text: str, regions: list[tuple[int, int]]) -> list[list[str]]:
    """The lines between tables: gap i is the text just before table region i (the last gap
    is after the last table), read up to WINDOW characters from each table."""
    edges = [0] + [e for _, e in regions], [s for s, _ in regions] + [len(text)]
    gaps = []
    for after, before in zip(*edges, strict=True):
        if before - after <= 2 * WINDOW:
            gaps.append(_lines(text[after:before], False, False))
        else:  # only the ends of a long gap can hold a caption
            head = _lines(text[after:after + WINDOW], False, True)[:NEAR]
            gaps.append(head + _lines(text[before - WINDOW:before], True, False)[-NEAR:])
    return gaps


def _candidates(gaps: list[list[str]], i: int, below: bool) -> list[tuple[int, int]]:
    """(gap, line) of the caption lines near region i, above it or below, nearest first."""
    if below:
        lines = gaps[i + 1]
        return [(i + 1, k) for k in range(min(NEAR, len(lines))) if is_caption(lines[k])]
    lines = gaps[i]
    return [(i, k) for k in range(len(lines) - 1, max(-1, len(lines) - 1 - NEAR), -1)
            if is_caption(lines[k])]


def _captions_below(gaps: list[list[str]]) -> bool:
    """Whether the page prints captions under its tables: more caption lines are near a table
    above them only than near a table below them only."""
    votes = 0
    for g, lines in enumerate(gaps):
        for k, line in enumerate(lines):
            under = 0 < g and k < NEAR  # g > 0: a table ends just before this gap
            over = g < len(gaps) - 1 and k >= len(lines) - NEAR
            votes += (under and not over) - (over and not under) if is_caption(line) else 0
    return votes > 0


def _page_captions(gaps: list[list[str]], named: list[bool]) -> list[str | None]:
    """A caption for each outermost table from the lines around it (none for a table `named` by
    its <caption>), each line used once: first on the side the page puts captions (above,
    unless the page shows otherwise), then on the other."""
    found: list[str | None] = [None] * len(named)
    used: set[tuple[int, int]] = set()
    below = _captions_below(gaps)
    for side in (below, not below):
        for i in [i for i, caption in enumerate(found) if caption is None and not named[i]]:
            spot = next((c for c in _candidates(gaps, i, side) if c not in used), None)
            if spot is not None:
                used.add(spot)
                found[i] = gaps[spot[0]][spot[1]]
    return found


def _parsed_tables(text: str, regions: list[tuple[int, int]]) -> list[list[Tag]]:
    """The <table> elements of each region, its outermost first, from one parse of all the
    regions together (or of each alone, where the parser closes a table elsewhere)."""
    soup = _soup("".join(text[s:e] for s, e in regions))
    outer = soup.find_all("table", recursive=False)
    if len(outer) != len(regions):  # e.g. a "<table" inside an attribute's value
        return [_soup(text[s:e]).find_all("table") for s, e in regions]
    return [[table, *table.find_all("table")] for table in outer]


def read_html(text: str, name: str = "") -> list[RawTable]:
    """Every <table> of an HTML page (nested tables each on their own), cells as printed."""
    text = _UNSEEN.sub(lambda m: "\n" if m.group(0).count("\n") else "", text)
    regions = _regions(text)
    tags = sum(len(_START_TAG.findall(text, s, e)) for s, e in regions)
    count = sum(len(_TABLE_START.findall(text, s, e)) for s, e in regions)
    if tags + 3 * count > MAX_HTML_TAGS:  # a table costs as much to read as four cells
        raise SourceError(f"the page's tables are too large to import: {tags:,} HTML elements "
                          f"in {count:,} tables, more than {MAX_HTML_TAGS:,} counting each table "
                          "as 4 (a benchmark table has far fewer)")
    parsed: list[list[tuple[int, _TableRows]]] = []
    number = 0
    for group in _parsed_tables(text, regions) if regions else []:
        parsed.append([(number + k, _table_rows(table)) for k, table in enumerate(group, 1)])
        number += len(group)
    gaps = _gaps(text, regions) if regions else []
    captions = _page_captions(gaps, [bool(p and p[0][1].caption) for p in parsed])
    tables = []
    for i, region in enumerate(parsed):
        for k, (number, found) in enumerate(region):
            raw = _place(found.rows, f"table {number}")
            if raw is None:
                continue
            outer = k == 0  # lines of the page name the outermost table, not the ones inside
            caption = found.caption or (captions[i] if outer else None)
            cited = next((t for t in gaps[i + 1][:NEAR] if is_cited(t)), None) if outer else None
            tables.append(replace(raw, caption=caption, cited=cited, where=f"table {number}"))
    return tables


# --- CSV / TSV ----------------------------------------------------------------------------

_STARS = re.compile(r"^\*\*((?:(?!\*\*).)+)\*\*$", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
SAMPLE = 50_000  # characters of a CSV that choose its delimiter


def _delimited_cell(text: str) -> Cell:
    """A CSV field as printed: line breaks kept, ends of lines trimmed, `**bold**` made bold."""
    if "\n" not in text and "\r" not in text and "*" not in text:
        return Cell(text.strip())
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(lines).strip("\n")
    if whole := _STARS.match(text):  # **Claude-3.5-\nSonnet-1022**
        return Cell(whole.group(1).strip(), bold=True)
    marks = [_STARS.match(line) for line in text.split("\n")]
    if text and all(m or not line for m, line in zip(marks, text.split("\n"), strict=True)):
        return Cell("\n".join(m.group(1).strip() if m else "" for m in marks), bold=True)
    return Cell(text)


def _score(sample: str, delimiter: str) -> tuple[bool, float, int]:
    """How well a delimiter splits a sample: (it splits, share of rows of the usual width, that
    width)."""
    try:
        widths = [len(r) for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
                  if any(f.strip() for f in r)]
    except csv.Error:
        return False, 0.0, 0
    usual = max(set(widths), key=lambda w: (widths.count(w), w), default=0)
    return usual > 1, widths.count(usual) / max(len(widths), 1), usual


def _delimiter(text: str) -> str:
    """Tab when the text has tabs, else whichever of ',' and ';' splits its rows evenly."""
    if "\t" in text:
        return "\t"
    lines = text[:SAMPLE].splitlines()
    lines = [line for line in (lines[:-1] if len(text) > SAMPLE else lines) if line.strip()]
    lines = lines[1:] if lines and is_caption(lines[0]) else lines
    sample = "\n".join(lines[:50])
    scores = {d: _score(sample, d) for d in (",", ";")}
    best = max(scores, key=scores.__getitem__)  # the first of equals: ','
    return best if scores[best][0] else ","


def _records(text: str, delimiter: str) -> list[list[str]]:
    """The rows of a CSV/TSV text as fields."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as e:
        what = "TSV" if delimiter == "\t" else "CSV"
        raise SourceError(f"the {what} cannot be read at line {reader.line_num}: {e} "
                          "(an unclosed quote?)") from e


def _bounds(rows: list[list[Cell]], lo: int, hi: int) -> tuple[int, int]:
    """Narrow rows[lo:hi] to leave out blank rows at both ends."""
    while lo < hi and _empty(rows[lo]):
        lo += 1
    while hi > lo and _empty(rows[hi - 1]):
        hi -= 1
    return lo, hi


def _line(row: list[Cell], test: Callable[[str], bool]) -> str | None:
    """The row's text when it prints one thing only and passes `test`."""
    line = _single(row)
    return line if line and test(line) else None


def _width(rows: list[list[Cell]]) -> int:
    """The number of columns up to the last one that holds some text."""
    width = max(map(len, rows))
    while width and not any(len(r) >= width and r[width - 1].text for r in rows):
        width -= 1
    return width


def read_delimited(text: str, name: str = "") -> list[RawTable]:
    """The one table of a CSV or TSV text (as pasted from a spreadsheet), cells as printed."""
    head = text[:SAMPLE]
    if "\x00" in text or len(_CONTROL.findall(head)) > 0.01 * len(head):
        raise SourceError("this is not CSV or TSV text: it holds binary data")
    records = _records(text, _delimiter(text))
    budget(sum(map(len, records)) + len(records), "the table")
    rows = [[_delimited_cell(f) for f in r] for r in records]
    lo, hi = _bounds(rows, 0, len(rows))
    caption = _line(rows[lo], is_caption) if hi - lo > 1 else None
    lo, hi = _bounds(rows, lo + 1, hi) if caption else (lo, hi)
    cited = _line(rows[hi - 1], is_cited) if hi - lo > 1 else None
    lo, hi = _bounds(rows, lo, hi - 1) if cited else (lo, hi)
    if lo == hi:
        return []
    width = _width(rows[lo:hi])
    grid = tuple(tuple(r[:width]) if len(r) >= width else tuple(r) + (_BLANK,) * (width - len(r))
                 for r in rows[lo:hi])
    return [RawTable(grid, caption=caption, cited=cited, where=f"rows {lo + 1}-{hi}")]


# --- XLSX ---------------------------------------------------------------------------------

_XML_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:c|row|col)[\s/>]")  # each one loaded
_XML_FORMAT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?xf[\s/>]")
_XML_LONG_CODE = re.compile(rb"\bformatCode\s*=\s*(?:\"[^\"]{%d}|'[^']{%d})"
                            % (MAX_FORMAT_CODE, MAX_FORMAT_CODE))
# ranges openpyxl makes a cell for, place by place: merged cells, a hyperlink over a range
_XML_RANGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:mergeCell|hyperlink)\s[^<>]*?\bref=\"\$?"
                        rb"([A-Za-z]{1,3})\$?(\d{1,7}):\$?([A-Za-z]{1,3})\$?(\d{1,7})\"")


def _xml_cells(archive: zipfile.ZipFile) -> int:
    """The cells a workbook's sheets make when loaded (stored, merged, linked over a range);
    refuse XML that declares entities, and strings or styles too many to load in a moment."""
    cells = parts = formats = 0
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels", ".vml")):
            xml = archive.read(info)
            if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
                raise SourceError("the workbook's XML declares entities; refused")
            if info.filename.startswith("xl/worksheets/"):
                cells += len(_XML_CELL.findall(xml)) + sum(
                    _places(*m) for m in _XML_RANGE.findall(xml))
            else:
                parts += _elements(xml)
                formats += len(_XML_FORMAT.findall(xml))
                if _XML_LONG_CODE.search(xml):
                    raise SourceError(f"the workbook has a number format of more than "
                                      f"{MAX_FORMAT_CODE} characters (Excel writes at most 255)")
    if formats > MAX_XLSX_FORMATS or parts > MAX_XLSX_PARTS:
        raise SourceError(f"the workbook is too large to import: {formats:,} cell formats and "
                          f"{parts:,} elements besides its sheets (at most {MAX_XLSX_FORMATS:,} "
                          f"and {MAX_XLSX_PARTS:,}; a benchmark table has far fewer)")
    return cells


def _elements(xml: bytes) -> int:
    """How many elements an XML part holds, about: its start tags, counted by bytes."""
    return xml.count(b"<") - xml.count(b"</") - xml.count(b"<?") - xml.count(b"<!")


def _places(col0: bytes, row0: bytes, col1: bytes, row1: bytes) -> int:
    """The cells of a range A1:C3 (9)."""
    def column(letters: bytes) -> int:
        return functools.reduce(lambda n, c: n * 26 + c - 64, letters.upper(), 0)
    return (abs(column(col1) - column(col0)) + 1) * (abs(int(row1) - int(row0)) + 1)


def _check_workbook(data: bytes) -> None:
    """Refuse what is not a workbook, a zip bomb, XML with entities, or too many cells."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise SourceError("this is an old .xls workbook or a password-protected one; "
                          "save it as an unprotected .xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if "[Content_Types].xml" not in {i.filename for i in infos}:
                raise SourceError("this zip archive is not an XLSX workbook")
            size = sum(i.file_size for i in infos)
            if size > MAX_UNZIPPED or (size > 1_000_000 and size > MAX_RATIO * len(data)):
                raise SourceError(f"the workbook unzips to {size:,} bytes from {len(data):,}: "
                                  "refused as a possible zip bomb")
            cells = _xml_cells(archive)
    except SourceError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
            RuntimeError) as e:  # RuntimeError: an encrypted member
        raise SourceError(f"this is not a readable XLSX workbook ({_one_line(e)})") from e
    budget(cells, "the workbook", MAX_XLSX_CELLS)


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split())[:200]
    return text or type(error).__name__


def _workbook(data: bytes) -> openpyxl.Workbook:
    """Load a workbook: merged ranges kept, each formula's cached value instead of the formula."""
    with warnings.catch_warnings():  # openpyxl warns of extensions it drops
        warnings.simplefilter("ignore")
        try:
            return openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True,
                                          keep_links=False, rich_text=False)
        except Exception as e:  # a damaged workbook fails in openpyxl in many ways
            raise SourceError(f"the workbook cannot be read: {_one_line(e)}") from e


# Excel number formats: "0.0", "#,##0.00", "0.0%", "0.00E+00", '0.0" pts"', "pos;neg;zero".
# Groups: 1 quoted text, 2 escaped char, 3 _x (a space), 4 *x (fill: nothing), 5 [bracket],
# 6 General, 7 digit placeholders, 8 any other character (printed as is).
# Each pattern reads a format once (a block of placeholders starts at the start of its run).
_FORMAT_TOKEN = re.compile(r'"([^"]*+)"?|\\(.)|_(.)?|\*(.)?|\[([^\]]*+)\]?|(General)'
                           r"|((?<![.,])[.,]*+[#0?][#0?.,]*+(?:[Ee][+-][#0?]++)?)|(.)",
                           re.IGNORECASE | re.DOTALL)
_SECTION = re.compile(r'(?:"[^"]*+"?|[^";])*+')  # up to a ';' outside quotes


def _general(value: float | int | Decimal) -> str:
    """A number as Excel's General format shows it: 759 for 759.0, 65.2, 1E+20."""
    if isinstance(value, int):
        return str(value)
    return f"{float(value):.15g}".replace("e", "E")


def _digits(value: Decimal, block: str) -> str:
    """A non-negative number laid out by digit placeholders such as #,##0.00 or 0.00E+00."""
    if m := re.search(r"[Ee][+-]", block):
        places = sum(ch in "0#?" for ch in block[:m.start()].partition(".")[2])
        return f"{float(value):.{places}E}"
    scale = len(block) - len(block.rstrip(","))  # each trailing comma divides by 1000
    whole, point, fraction = block.rstrip(",").partition(".")
    places = sum(ch in "0#?" for ch in fraction)
    with localcontext() as context:
        context.prec = 100
        value = (value / 1000 ** scale).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    head, _, tail = f"{value:f}".partition(".")
    while len(tail) > fraction.count("0") and tail.endswith("0"):  # '#' places show no 0
        tail = tail[:-1]
    head = head.zfill(whole.count("0"))
    head = "" if head == "0" and "0" not in whole else head
    head = f"{int(head):,}" if head and "," in whole else head
    return head + point + tail


@dataclass(frozen=True)
class _Layout:
    """One section of a number format, read once: text printed as is, and where the number goes
    (a block of digit placeholders, or General)."""

    pieces: tuple[str | tuple[str], ...]  # text, or (block,) ('' for General)
    percents: int  # each % multiplies by 100
    fraction: bool  # # ?/? and such: shown as General


@functools.lru_cache(maxsize=1024)
def _layout(section: str) -> _Layout:
    pieces: list[str | tuple[str]] = []
    percents, fraction, placed = 0, False, False
    for t in _FORMAT_TOKEN.finditer(section):
        quoted, escaped, pad, _, bracket, general, block, other = t.groups()
        percents += other == "%"
        fraction |= other == "/"
        if general or (block and not placed):
            pieces.append(("" if general else block,))
            placed = True
            continue
        if bracket is not None:  # [$€-407] prints €; [Red], [>=100] print nothing
            text = bracket[1:].split("-")[0] if bracket.startswith("$") else ""
        else:
            text = quoted or escaped or (" " if pad else "") or block or other or ""
        if pieces and isinstance(pieces[-1], str):
            pieces[-1] += text
        else:
            pieces.append(text)
    return _Layout(tuple(pieces), percents, fraction)


def _format_section(value: float | int, section: str, signed: bool) -> str:
    """A number under one section of a number format."""
    layout = _layout(section)
    if layout.fraction:
        return _general(value)
    number = abs(Decimal(repr(value) if isinstance(value, float) else value))
    number *= 100 ** layout.percents
    out = [piece if isinstance(piece, str) else _digits(number, piece[0]) if piece[0]
           else _general(number) for piece in layout.pieces]
    placed = any(not isinstance(piece, str) for piece in layout.pieces)
    sign = "-" if signed and value < 0 and placed else ""
    return sign + "".join(out).strip()


@functools.lru_cache(maxsize=1024)
def _sections(fmt: str) -> tuple[str, ...]:
    """A number format's sections: positive;negative;zero;text."""
    sections, at = [], 0
    while True:
        section = _SECTION.match(fmt, at)
        assert section is not None  # it matches the empty string
        sections.append(section.group())
        if section.end() >= len(fmt):
            return tuple(sections)
        at = section.end() + 1


def _number(value: float | int, fmt: str) -> str:
    """A number as Excel displays it under its cell's number format."""
    if fmt.lower() in ("general", "@", "") or not abs(value) < 1e15:
        return _general(value)
    sections = _sections(fmt)
    if value < 0 and len(sections) > 1:
        return _format_section(value, sections[1], signed=False)
    if value == 0 and len(sections) > 2:
        return _format_section(value, sections[2], signed=False)
    return _format_section(value, sections[0], signed=True)


_DATE_TOKEN = re.compile(r'"([^"]*)"?|\\(.)|\[[^\]]*\]?|_.?|\*.?|(yyyy|yy|mmmmm|mmmm|mmm|mm|m|'
                         r"dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|\.0+)|(.)",
                         re.IGNORECASE | re.DOTALL)


def _date_parts(value: dt.datetime, twelve: bool) -> dict[str, str]:
    """What each date or time token (yyyy, mmm, d, hh, ss, AM/PM, …) prints of a datetime."""
    hour = (value.hour % 12 or 12) if twelve else value.hour
    return {"yyyy": f"{value.year:04d}", "yy": f"{value.year % 100:02d}",
            "mmmmm": value.strftime("%B")[0], "mmmm": value.strftime("%B"),
            "mmm": value.strftime("%b"), "mm": f"{value.month:02d}", "m": str(value.month),
            "dddd": value.strftime("%A"), "ddd": value.strftime("%a"), "dd": f"{value.day:02d}",
            "d": str(value.day), "hh": f"{hour:02d}", "h": str(hour), "ss": f"{value.second:02d}",
            "s": str(value.second), "am/pm": "AM" if value.hour < 12 else "PM",
            "a/p": "A" if value.hour < 12 else "P",
            "minutes mm": f"{value.minute:02d}", "minutes m": str(value.minute)}


@functools.lru_cache(maxsize=1024)
def _date_layout(fmt: str) -> tuple[tuple[str | tuple[str], ...], bool]:
    """A date format read once: its pieces (text printed as is, or a token as (token,)), and
    whether it counts hours to 12."""
    tokens = list(_DATE_TOKEN.finditer(_sections(fmt)[0]))
    kinds = [(t.group(3) or "").lower()[:1] for t in tokens]  # y m d h s a . or ""
    # The date or time part before each token and after it: m after an hour or before seconds
    # is minutes.
    before, after, last = [], [], ""
    for kind in kinds:
        before.append(last)
        last = kind if kind and kind in "ymdhs" else last
    last = ""
    for kind in reversed(kinds):
        after.append(last)
        last = kind if kind and kind in "ymdhs" else last
    after.reverse()
    pieces: list[str | tuple[str]] = []
    if sum(map(bool, kinds)) > MAX_DATE_PARTS:
        return (), False
    for i, t in enumerate(tokens):
        quoted, escaped, part, other = t.groups()
        if part:
            part = part.lower()
            minutes = part in ("mm", "m") and (before[i] == "h" or after[i] == "s")
            pieces.append((f"minutes {part}" if minutes else part,))
        elif pieces and isinstance(pieces[-1], str):
            pieces[-1] += quoted or escaped or other or ""
        else:
            pieces.append(quoted or escaped or other or "")
    return tuple(pieces), "a" in kinds


def _date(value: dt.datetime | dt.date | dt.time, fmt: str) -> str:
    """A date or time as Excel displays it under a date format such as yyyy-mm-dd."""
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1899, 12, 30), value)
    elif not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    pieces, twelve = _date_layout(fmt)
    if not pieces:
        return value.isoformat(sep=" ")
    parts = _date_parts(value, twelve)
    out = [piece if isinstance(piece, str) else parts.get(piece[0]) or
           f"{value.microsecond / 1e6:.{len(piece[0]) - 1}f}"[1:] for piece in pieces]
    return "".join(out).strip() or value.isoformat(sep=" ")


def _shown(cell: StoredCell) -> str:
    """A worksheet cell's value as Excel displays it."""
    value, fmt = cell.value, cell.number_format or "General"
    if value is None:
        return ""
    try:
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, int | float):
            return _number(value, fmt)
        if isinstance(value, dt.datetime | dt.date | dt.time):
            return _date(value, fmt)
    except (ArithmeticError, ValueError, KeyError):  # a format we cannot follow
        return str(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


@dataclass
class _Sheet:
    """A sheet's printed cells by (row, column), and the rows and columns Excel hides."""

    cells: dict[tuple[int, int], Cell]
    hidden_rows: set[int]
    hidden_columns: set[int]
    title: str


def _hidden_columns(ws: Worksheet) -> set[int]:
    """The hidden columns among those a stored cell is in (however many ranges hide them)."""
    if not ws._cells:
        return set()
    left = min(c for _, c in ws._cells)
    right = max(c for _, c in ws._cells)
    hidden: set[int] = set()
    reached = left - 1  # ranges in order of their first column: each column added once
    for first, last in sorted((d.min, d.max) for d in ws.column_dimensions.values()
                              if d.hidden and d.min and d.max):
        hidden.update(range(max(first, reached + 1), min(last, right) + 1))
        reached = max(reached, last)
    return hidden


def _sheet(ws: Worksheet) -> _Sheet:
    """Read a sheet's shown cells, each merged range repeated as spanned copies."""
    hidden_rows = {r for r, d in ws.row_dimensions.items() if d.hidden}
    hidden_columns = _hidden_columns(ws)
    cells = {}
    for (r, c), source in ws._cells.items():  # the stored cells only, not the whole rectangle
        text = "" if isinstance(source, MergedCell) else _shown(source)
        if text and r not in hidden_rows and c not in hidden_columns:
            cells[r, c] = Cell(text, bold=bool(source.font and source.font.b))
    sheet = _Sheet(cells, hidden_rows, hidden_columns, ws.title)
    if cells:
        _merge(sheet, [(m.min_row, m.min_col, m.max_row, m.max_col)
                       for m in ws.merged_cells.ranges])
    return sheet


def _merge(sheet: _Sheet, ranges: list[tuple[int, int, int, int]]) -> None:
    """Repeat the first cell of each merged range into the range's other shown places (clipped
    to the sheet's printed cells)."""
    cells = sheet.cells
    top, bottom = min(r for r, _ in cells), max(r for r, _ in cells)
    left, right = min(c for _, c in cells), max(c for _, c in cells)
    placed = 0
    for r0, c0, r1, c1 in ranges:
        origin = cells.get((r0, c0))
        if origin is None:
            continue
        rows = [r for r in range(max(r0, top), min(r1, bottom) + 1) if r not in sheet.hidden_rows]
        placed += len(rows) * (min(c1, right) - max(c0, left) + 1)
        budget(placed, f"sheet {sheet.title}")
        copy = replace(origin, spanned=True)
        for r in rows:
            for c in range(max(c0, left), min(c1, right) + 1):
                if c not in sheet.hidden_columns:
                    cells.setdefault((r, c), copy)


def _blocks(sheet: _Sheet) -> list[list[int]]:
    """The printed rows of a sheet, in runs that a shown empty row separates."""
    blocks: list[list[int]] = []
    for r in sorted({r for r, _ in sheet.cells}):
        between = r - blocks[-1][-1] - 1 if blocks else 1
        joined = between == 0 or between <= len(sheet.hidden_rows) and all(
            x in sheet.hidden_rows for x in range(r - between, r))
        if blocks and joined:
            blocks[-1].append(r)
        else:
            blocks.append([r])
    return blocks


def _grids(sheet: _Sheet) -> Iterator[tuple[list[int], list[list[Cell]]]]:
    """Each run of rows with its cells, from the run's first printed column to its last."""
    columns: dict[int, list[int]] = {}
    for r, c in sheet.cells:
        columns.setdefault(r, []).append(c)
    for rows in _blocks(sheet):
        first = min(min(columns[r]) for r in rows)
        last = max(max(columns[r]) for r in rows)
        span = [c for c in range(first, last + 1) if c not in sheet.hidden_columns]
        budget(len(rows) * len(span), f"sheet {sheet.title}")
        yield rows, [[sheet.cells.get((r, c), _BLANK) for c in span] for r in rows]


def _sheet_tables(sheet: _Sheet) -> list[RawTable]:
    """The tables of a sheet: runs of rows an empty row apart, a caption line above each."""
    title = sheet.title if is_caption(sheet.title) else None
    tables, caption = [], None
    for rows, grid in _grids(sheet):
        line = _single(grid[0])
        line = line if line and is_caption(line) else None
        if line and len(grid) == 1:  # a caption alone: it names the table below
            caption = line
            continue
        if line:
            caption, rows, grid = line, rows[1:], grid[1:]
        last = _single(grid[-1]) if len(grid) > 1 else None
        cited = last if last and is_cited(last) else None
        rows, grid = (rows[:-1], grid[:-1]) if cited else (rows, grid)
        tables.append(RawTable(tuple(map(tuple, grid)), caption=caption or title, cited=cited,
                               where=f"sheet {sheet.title}, rows {rows[0]}-{rows[-1]}"))
        caption = None
    if len(tables) == 1:
        tables[0] = replace(tables[0], where=f"sheet {sheet.title}")
    return tables


def read_xlsx(data: bytes, name: str = "") -> list[RawTable]:
    """Every table of every shown sheet of an XLSX workbook, cells as Excel displays them."""
    _check_workbook(data)
    workbook = _workbook(data)
    tables = []
    for ws in workbook.worksheets:
        if ws.sheet_state == "visible":
            tables += _sheet_tables(_sheet(ws))
    return tables
