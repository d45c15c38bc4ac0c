"""Read the tables a PDF prints: papers' text tables, columns by alignment, booktabs rules.

A table is the stretch of a page between horizontal rules that holds no prose and no caption
(or, with no rules, the block of lines beside a "Table N" caption). Its columns are the x-ranges
the body's text occupies; the lines stacked above its first inner rule are its header, split into
rows where a heading spans several columns ("AIME 2024" over "pass@1" and "cons@64"); a label
sitting alone in the leftmost column of a rule-bounded group of rows ("English" beside its
benchmarks) is a band label, placed in the group's first row and repeated, marked spanned, in
the others. Each printed line of the body is one row.

Pages are read under budgets, for uploads: at most MAX_PAGES pages, TIME_BUDGET seconds
(checked while each page is parsed and while its tables are found: a page of many rules or
words would otherwise take minutes), MAX_OBJECTS characters and shapes a page, and a page whose
streams would decompress beyond MAX_CONTENT (drawing instructions) or MAX_DECODED (with fonts and
CMaps) is refused before pdfminer decodes them.
"""

from __future__ import annotations

import io
import itertools
import re
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import pdfplumber
from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSLiteral
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException

from .raw import Cell, RawTable, SourceError, is_caption, is_cited, rectangular

MAX_PAGES = 20  # pages read in one call
TIME_BUDGET = 5.0  # seconds for the whole reading (a paper's table page takes ~0.1 s)
# pdfminer parses ~0.5 MB of drawing instructions a second where it draws nothing (the clock is
# checked at every character, shape and operand, not at bare operators such as "n" or "BT")
MAX_CONTENT = 1_000_000  # decoded bytes of one page's drawing instructions (papers: ~5-50 KB)
MAX_DECODED = 30_000_000  # decoded bytes of all the streams a page uses (fonts, CMaps)
MAX_OBJECTS = 50_000  # characters and shapes kept for one page (a dense page has ~5,000)
MAX_INFLATED = 100_000_000  # bytes a document's object streams may inflate to (~0.3 s)
MAX_WALK = 100_000  # PDF objects visited to find the streams a page uses

SPACE = 0.12  # a gap wider than this many ems between letters is a printed space
PHRASE = 0.38  # a gap wider than this (ems) separates cells: wider than a space (0.25-0.33 em)
GUTTER = 1.0  # a gap this wide (ems) is a column gutter, never a space in prose
MARGIN = 6.0  # points a table's text may stand out beyond its rules
BOLD = re.compile(r"bold|black|heavy|demi|medi|cmbx|cmb\d|bx\d", re.IGNORECASE)
TABLE_CAPTION = re.compile(r"^\s*(?:表|Table|Tab\.)", re.IGNORECASE)


class _OutOfTime(Exception):
    """The reading's time budget ran out while a page was parsed."""


class _TooMuch(Exception):
    """A page draws more characters and shapes than MAX_OBJECTS."""


_DEADLINE: ContextVar[float] = ContextVar("pdf_deadline", default=float("inf"))


def _on_time() -> None:
    """Stop the reading once its time budget is spent (the clock of the reading under way)."""
    if time.monotonic() > _DEADLINE.get():
        raise _OutOfTime


# ----------------------------------------------------------------------------- reading


def read_pdf(data: bytes, name: str = "", pages: tuple[int, int] | None = None
             ) -> list[RawTable]:
    """Read the tables printed on a PDF's pages (1-based, inclusive; default all pages)."""
    label = name or "the file"
    clock = _DEADLINE.set(time.monotonic() + TIME_BUDGET)
    try:
        pdf = _open(data, label)
    except SourceError:
        _DEADLINE.reset(clock)
        raise
    try:
        first, last = _page_range(_page_count(pdf, label), pages, label)
        tables: list[RawTable] = []
        for number, page_obj in _page_objects(pdf, first, last, label):
            tables += _read_page(pdf, page_obj, number, label)
        return tables
    finally:
        pdf.close()
        _DEADLINE.reset(clock)


def _open(data: bytes, label: str) -> pdfplumber.PDF:
    """Open a document: its cross-reference table and catalog only, no page is read yet."""
    if not isinstance(data, bytes | bytearray) or b"%PDF-" not in bytes(data[:1024]):
        raise SourceError(f"{label} is not a PDF: it does not start with %PDF-")
    _check_inflated(bytes(data), label)
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfminer raises many kinds on a damaged file
        raise SourceError(f"{label} cannot be opened as a PDF: {_reason(e)}") from e


# One pass over the file: object headers ("12 0 obj"), the name /ObjStm, and each "stream"
# keyword with the rest of its line (a stream's data starts on the next line).
_PDF_TOKEN = re.compile(rb"(?<![0-9])[0-9]++\s++[0-9]++\s++obj(?![A-Za-z0-9])"
                        rb"|/ObjStm(?![A-Za-z0-9])|(?<![A-Za-z0-9])stream(?![A-Za-z0-9])[^\r\n]{0,1024}+(?:\r\n|\r|\n)")
_TEXT_FILTER = re.compile(rb"/(?:ASCIIHexDecode|AHx|ASCII85Decode|A85)(?![A-Za-z0-9])")
WINDOW_BYTES = 65_536  # bytes of an object read before its stream, for its dictionary


def _check_inflated(data: bytes, label: str) -> None:
    """Refuse a document whose object streams (/Type /ObjStm: objects packed together, not
    pictures) inflate beyond MAX_INFLATED, before pdfminer opens it: with its cross-reference
    table damaged, pdfminer inflates each of them whole while looking for objects (1.5 GB from a
    file of 1.5 MB). Every stream after an object's /ObjStm is tried (a "stream" inside one of its
    strings cannot hide the real one), hex and ASCII85 text decoded first; the bytes read for
    dictionaries are counted too, so that no file makes this check slow."""
    total, read, header, packed = 0, 0, -1, -1
    for m in _PDF_TOKEN.finditer(data):
        if m[0][:1].isdigit():
            header = m.start()
        elif m[0].startswith(b"/"):
            packed = m.start()
        elif header < packed:
            start = max(header, m.start() - WINDOW_BYTES, 0)
            texts = _TEXT_FILTER.findall(data, start, m.start())
            size, more = _inflated(data, m.end(), texts, MAX_INFLATED - total)
            total, read = total + size, read + m.start() - start + more
            if total > MAX_INFLATED:
                raise SourceError(f"{label}: its streams inflate to more than "
                                  f"{MAX_INFLATED:,} bytes; refused as a possible PDF bomb")
            if read > 8 * len(data) + 1_000_000:
                raise SourceError(f"{label} cannot be opened as a PDF: its objects and streams "
                                  "are tangled beyond reading")


def _inflated(data: bytes, at: int, texts: list[bytes], limit: int) -> tuple[int, int]:
    """How many bytes the deflated data at `at` inflates to, counted no further than limit + 1
    (what it inflates to before it is found damaged, or 0 when it is not deflated: pdfminer says
    so if a page needs it); and how many bytes of text were read to decode it."""
    inflate, size, view = zlib.decompressobj(), 0, memoryview(data)
    if texts:  # hex or ASCII85 text first, up to the stream's end
        end = data.find(b"endstream", at)
        raw = text = data[at:end if end >= 0 else len(data)]
        try:
            for name in texts:
                raw = asciihexdecode(raw) if b"H" in name else ascii85decode(raw)
            return len(inflate.decompress(raw, limit + 1)), len(text)
        except (zlib.error, ValueError):
            return 0, len(text)
    try:
        while at < len(data) and not inflate.eof and size <= limit:  # 16 KB in: ~16 MB out
            size += len(inflate.decompress(view[at:at + 16_384], limit + 1 - size))
            at += 16_384
    except zlib.error:
        pass
    return size, 0


def _reason(error: Exception) -> str:
    """Say why pdfminer could not read something, in a few words."""
    inner = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    if isinstance(inner, PDFPasswordIncorrect):
        return "it is encrypted and needs a password"
    if isinstance(inner, PDFEncryptionError):
        return "it is encrypted in a way that cannot be read"
    return f"{type(inner).__name__}: {inner}"[:200]


def _page_count(pdf: pdfplumber.PDF, label: str) -> int:
    """The number of pages the document declares, read without walking its pages."""
    try:
        tree = resolve1(pdf.doc.catalog.get("Pages"))
        count = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
            return count
        walk = PDFPage.create_pages(pdf.doc)
        return sum(1 for _ in itertools.islice(walk, MAX_PAGES + 1))
    except Exception as e:
        raise SourceError(f"{label}: its pages cannot be found: {_reason(e)}") from e


def _page_range(count: int, pages: object, label: str) -> tuple[int, int]:
    """Check the requested pages against the document and the page limit."""
    if count == 0:
        raise SourceError(f"{label} has no pages")
    first, last = (1, count) if pages is None else _pair(pages)
    if not 1 <= first <= last <= count:
        raise SourceError(f"{label} has pages 1-{count}: pages={pages!r} is not a range of them")
    if last - first + 1 > MAX_PAGES:
        raise SourceError(f"{label}: pages {first}-{last} are {last - first + 1} pages, and at "
                          f"most {MAX_PAGES} pages are read at once: choose pages=(first, last)")
    return first, last


def _pair(pages: object) -> tuple[int, int]:
    """A (first, last) pair of page numbers, or SourceError."""
    ok = (isinstance(pages, tuple | list) and len(pages) == 2
          and all(isinstance(p, int) and not isinstance(p, bool) for p in pages))
    if not ok:
        raise SourceError(f"pages must be (first, last), 1-based: not {pages!r}")
    return pages[0], pages[1]  # type: ignore[index]


def _page_objects(pdf: pdfplumber.PDF, first: int, last: int, label: str
                  ) -> Iterator[tuple[int, PDFPage]]:
    """The pages first..last, walking the page tree no further than the last."""
    number = first - 1
    try:
        for number, page_obj in enumerate(
                itertools.islice(PDFPage.create_pages(pdf.doc), first - 1, last), first):
            yield number, page_obj
    except Exception as e:
        raise SourceError(f"{label}: page {number + 1} cannot be found: {_reason(e)}") from e
    if number < last:
        raise SourceError(f"{label} has no page {number + 1} (it declares more pages than it has)")


def _read_page(pdf: pdfplumber.PDF, page_obj: PDFPage, number: int, label: str
               ) -> list[RawTable]:
    """The tables on one page, read within the budgets."""
    try:
        _on_time()
        _check_streams(page_obj, label, number)
        return _tables_on_page(_TimedPage(pdf, page_obj, number), number)
    except SourceError:
        raise
    except _OutOfTime as e:
        raise _out_of_time(label, number) from e
    except _TooMuch as e:
        raise SourceError(f"{label}: page {number} draws more than {MAX_OBJECTS:,} "
                          "characters and shapes") from e
    except Exception as e:  # pdfminer raises many kinds on a damaged page
        raise SourceError(f"{label}: page {number} cannot be read: {_reason(e)}") from e


def _out_of_time(label: str, number: int) -> SourceError:
    return SourceError(f"{label}: reading took more than {TIME_BUDGET:g} s (stopped at page "
                       f"{number}); choose fewer pages")


# ----------------------------------------------------------------------------- budgets


def _check_streams(page_obj: PDFPage, label: str, number: int) -> None:
    """Refuse a page whose streams would decompress beyond the budgets (a PDF bomb)."""
    drawing = total = 0
    for stream, draws in _streams(page_obj, label, number):
        limit = MAX_DECODED - total
        size = _decoded_size(stream, min(limit, MAX_CONTENT - drawing) if draws else limit)
        total, drawing = total + size, drawing + (size if draws else 0)
        if drawing > MAX_CONTENT or total > MAX_DECODED:
            what, most = (("drawing instructions", MAX_CONTENT) if drawing > MAX_CONTENT
                          else ("streams", MAX_DECODED))
            raise SourceError(f"{label}: page {number} holds {what} of more than {most:,} "
                              "bytes once decompressed")


def _streams(page_obj: PDFPage, label: str, number: int) -> Iterator[tuple[PDFStream, bool]]:
    """The streams a page uses, each with whether it holds drawing instructions (the page's
    contents, a form); images are left out, as pdfminer does not decode them."""
    stack: list[tuple[object, bool]] = [(page_obj.attrs.get("Resources"), False),
                                        (page_obj.attrs.get("Contents"), True)]
    seen: set[int] = set()
    for _ in range(MAX_WALK):
        if not stack:
            return
        obj, draws = stack.pop()
        if isinstance(obj, PDFObjRef):
            if obj.objid in seen:
                continue
            seen.add(obj.objid)
            obj = obj.resolve()
        if isinstance(obj, PDFStream):
            kind = _name(obj.attrs.get("Subtype"))
            if kind != "Image":
                yield obj, draws or kind == "Form"
                stack += [(v, False) for k, v in obj.attrs.items() if _follow(k, v)]
        elif isinstance(obj, dict):
            stack += [(v, False) for k, v in obj.items() if _follow(k, v)]
        elif isinstance(obj, list):
            stack += [(v, draws) for v in obj if isinstance(v, _CONTAINERS)]
    raise SourceError(f"{label}: page {number} uses more than {MAX_WALK:,} objects")


_CONTAINERS = (PDFObjRef, PDFStream, dict, list)


def _follow(key: object, value: object) -> bool:
    """Whether a walk follows a value: a container, not the link up to the page tree."""
    return key != "Parent" and isinstance(value, _CONTAINERS)


def _name(value: object) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral) and isinstance(value.name, str):
        return value.name
    return str(value)  # a name pdfminer kept as bytes (not UTF-8) is none of those we look for


def _decoded_size(stream: PDFStream, limit: int) -> int:
    """How many bytes a stream decodes to, counted no further than limit + 1."""
    if stream.data is not None:
        return len(stream.data)
    data = stream.rawdata or b""
    if stream.decipher:
        # The parser numbers every stream it gives a decipher (pdfminer's decode asserts so too).
        assert stream.objid is not None and stream.genno is not None
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    for name, _params in stream.get_filters():
        name = _name(name)
        if name in ("FlateDecode", "Fl"):
            try:
                return len(zlib.decompressobj().decompress(data, limit + 1))
            except zlib.error:
                return len(data)  # pdfminer keeps what it can, no more than this
        if name in ("ASCII85Decode", "A85"):
            data = ascii85decode(data)
        elif name in ("ASCIIHexDecode", "AHx"):
            data = asciihexdecode(data)
        elif name not in ("Crypt",):
            return len(data) * 1000  # LZW, run-length: may expand a thousandfold
    return len(data)


class _Budgeted(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's page aggregator, stopping once the time or object budget is spent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ticks, self.objects = 0, 0

    def tick(self) -> None:
        """Count one step of the page's instructions; check the clock every 512."""
        self.ticks += 1
        if not self.ticks % 512:
            _on_time()

    def drawn(self) -> None:
        """Count one character or shape kept in memory."""
        self.objects += 1
        if self.objects > MAX_OBJECTS:
            raise _TooMuch
        self.tick()

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        self.drawn()
        return super().render_char(*args, **kwargs)

    def paint_path(self, *args: Any, **kwargs: Any) -> None:
        self.drawn()
        super().paint_path(*args, **kwargs)

    def set_ctm(self, *args: Any, **kwargs: Any) -> None:
        self.tick()
        super().set_ctm(*args, **kwargs)


class _Interpreter(PDFPageInterpreter):
    """pdfminer's interpreter, counting every operand against the time budget."""

    def push(self, obj: Any) -> None:
        self.device.tick()  # type: ignore[attr-defined]
        super().push(obj)


class _TimedPage(Page):
    """A pdfplumber page whose layout is parsed, and its objects listed, under the reading's
    budgets."""

    def __init__(self, pdf: pdfplumber.PDF, page_obj: PDFPage, number: int) -> None:
        super().__init__(pdf, page_obj, page_number=number)
        self.listed = 0

    @property
    def layout(self) -> Any:
        if not hasattr(self, "_budgeted_layout"):
            device = _Budgeted(self.pdf.rsrcmgr, pageno=self.page_number,
                               laparams=self.pdf.laparams)
            _Interpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
            self._budgeted_layout = device.get_result()
        return self._budgeted_layout

    def process_object(self, obj: Any) -> Any:
        """One drawn object as pdfplumber lists it (slower than drawing it: the clock is
        checked every 512)."""
        self.listed += 1
        if not self.listed % 512:
            _on_time()
        return super().process_object(obj)


# ----------------------------------------------------------------------------- page text


@dataclass(frozen=True)
class _Word:
    """A word as printed: no space inside, one font."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class _Run:
    """Words printed side by side on one line: a line, a phrase, a cell's line."""

    words: tuple[_Word, ...]

    @cached_property
    def x0(self) -> float:
        return self.words[0].x0

    @cached_property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @cached_property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @cached_property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @cached_property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @cached_property
    def size(self) -> float:
        return max(w.size for w in self.words)

    @cached_property
    def text(self) -> str:
        return _joined(self.words)


@dataclass(frozen=True)
class _Rule:
    """A horizontal rule: a line or a thin filled rectangle."""

    x0: float
    x1: float
    y: float


def _words(page: Page) -> list[_Word]:
    """The page's words, split at every printed space (the default tolerance glues words)."""
    found = page.extract_words(x_tolerance_ratio=SPACE, keep_blank_chars=False,
                               extra_attrs=["fontname", "size"])
    return [_Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w["size"],
                  bool(BOLD.search(w["fontname"].partition("+")[2] or w["fontname"])))
            for w in found]


def _rules(page: Page, words: list[_Word]) -> list[_Rule]:
    """The page's horizontal rules, top to bottom; a line drawn through or over words (the bar
    of a square root, an underline) is none."""
    found = [_Rule(o["x0"], o["x1"], (o["top"] + o["bottom"]) / 2)
             for o in (*page.lines, *page.rects)
             if o["bottom"] - o["top"] <= 2 and o["x1"] - o["x0"] >= 10]
    kept = []
    for r in found:
        _on_time()
        if not any(w.top + 1 < r.y < w.bottom - 1 and _overlap(w.x0, w.x1, r.x0, r.x1) > 0
                   for w in words):
            kept.append(r)
    return sorted(kept, key=lambda r: r.y)


def _joined(words: Sequence[_Word]) -> str:
    """Words as printed: a space where the gap between two is wider than a kern."""
    text = words[0].text if words else ""
    for a, b in itertools.pairwise(words):
        text += (" " if b.x0 - a.x1 > SPACE * min(a.size, b.size) else "") + b.text
    return text


def _lines(words: Iterable[_Word]) -> list[_Run]:
    """Group words into printed lines: a word whose middle lies within a line's height."""
    groups: list[list[_Word]] = []
    top = bottom = 0.0
    for word in sorted(words, key=lambda w: w.middle):
        if groups and top <= word.middle <= bottom:
            groups[-1].append(word)
            top, bottom = min(top, word.top), max(bottom, word.bottom)
        else:
            groups.append([word])
            top, bottom = word.top, word.bottom
    return [_Run(tuple(sorted(g, key=lambda w: w.x0))) for g in groups]


def _split(line: _Run, ems: float) -> list[_Run]:
    """Split a line where the gap between words is wider than `ems` of their size."""
    runs: list[list[_Word]] = []
    for word in line.words:
        last = runs[-1][-1] if runs else None
        if last and word.x0 - last.x1 <= ems * min(last.size, word.size):
            runs[-1].append(word)
        else:
            runs.append([word])
    return [_Run(tuple(r)) for r in runs]


def _is_prose(line: _Run, width: float) -> bool:
    """A line of running text: no gutter in it, and about as wide as the table (a table's line
    without gutters, "Claude-3.5- GPT-4o DeepSeek" over tight columns, is narrower)."""
    pieces = _split(line, GUTTER)
    return len(pieces) == 1 and line.x1 - line.x0 >= 0.9 * width


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


# ----------------------------------------------------------------------------- finding tables


@dataclass(frozen=True)
class _Caption:
    """A caption paragraph: its first line is_caption(), the lines below continue it."""

    lines: tuple[_Run, ...]

    @property
    def text(self) -> str:
        text = ""
        for line in self.lines:
            part = line.text
            text += part if not text or text.endswith("-") else " " + part
        return text

    @property
    def top(self) -> float:
        return self.lines[0].top

    @property
    def bottom(self) -> float:
        return self.lines[-1].bottom

    @property
    def x0(self) -> float:
        return min(ln.x0 for ln in self.lines)

    @property
    def x1(self) -> float:
        return max(ln.x1 for ln in self.lines)

    @property
    def of_table(self) -> bool:
        return bool(TABLE_CAPTION.match(self.text))


@dataclass(frozen=True)
class _Region:
    """Where a table is printed: its lines and the rules among them."""

    lines: tuple[_Run, ...]
    rules: tuple[_Rule, ...]
    x0: float
    x1: float


def _tables_on_page(page: Page, number: int) -> list[RawTable]:
    """The tables printed on one page, in reading order."""
    words = _words(page)
    _on_time()
    rules = _rules(page, words)
    pieces = [p for line in _lines(words) for p in _split(line, 1.5)]
    captions = _captions(pieces)
    found: list[tuple[float, RawTable]] = []
    for group in _rule_groups(rules, pieces):
        region = _ruled_region(group, words, pieces)
        caption = _nearest_caption(region, captions)
        if caption is not None and not caption.of_table:
            continue  # rules around a figure (a chart's grid lines)
        table = _table(region, caption, pieces, number)
        if table is not None:
            found.append((group[0].y, table))
            captions = [c for c in captions if c is not caption]
    for caption in (c for c in captions if c.of_table):
        unruled = _unruled_region(caption, pieces)
        table = None if unruled is None else _table(unruled, caption, pieces, number)
        if unruled is not None and table is not None:
            found.append((unruled.lines[0].top, table))
    return [table for _, table in sorted(found, key=lambda f: f[0])]


def _captions(pieces: list[_Run]) -> list[_Caption]:
    """The page's caption paragraphs: a caption line and the lines that continue it."""
    ordered = sorted(pieces, key=lambda p: p.top)
    found = []
    for i, piece in enumerate(ordered):
        _on_time()
        if not is_caption(piece.text):
            continue
        lines = [piece]
        for nxt in ordered[i + 1:]:
            last = lines[-1]
            if nxt.top - last.bottom > 0.5 * last.size:
                break
            if (_overlap(nxt.x0, nxt.x1, last.x0, last.x1) > 0 and not is_caption(nxt.text)
                    and abs(nxt.size - last.size) < 0.6 and nxt.top > last.middle):
                lines.append(nxt)
        found.append(_Caption(tuple(lines)))
    return found


def _rule_groups(rules: list[_Rule], pieces: list[_Run]) -> list[list[_Rule]]:
    """Rules of one table: rules one under another with no caption or prose between them."""
    groups: list[list[_Rule]] = []
    for rule in rules:
        group = next((g for g in reversed(groups) if _same_table(g, rule, pieces)), None)
        if group is None:
            groups.append([rule])
        else:
            group.append(rule)
    return [g for g in groups if len(g) >= 2]


def _same_table(group: list[_Rule], rule: _Rule, pieces: list[_Run]) -> bool:
    """Whether a rule continues a group: it lies under the group, no caption or prose between."""
    _on_time()
    x0, x1 = min(r.x0 for r in group), max(r.x1 for r in group)
    if _overlap(x0, x1, rule.x0, rule.x1) < 0.5 * min(x1 - x0, rule.x1 - rule.x0):
        return False
    between = [p for p in pieces if group[-1].y < p.middle < rule.y
               and _overlap(p.x0, p.x1, x0, x1) > 0]
    return not any(is_caption(p.text) or _is_prose(p, x1 - x0) for p in between)


def _ruled_region(group: list[_Rule], words: list[_Word], pieces: list[_Run]) -> _Region:
    """The lines between a table's first and last rule, and a header set above its first rule
    when it has no top rule."""
    _on_time()
    x0, x1 = min(r.x0 for r in group), max(r.x1 for r in group)
    inside = [w for w in words if x0 - MARGIN <= (w.x0 + w.x1) / 2 <= x1 + MARGIN]
    lines = _lines(w for w in inside if group[0].y < w.middle < group[-1].y)
    above = _lines(w for w in inside if w.middle < group[0].y)
    edge = group[0].y
    header: list[_Run] = []
    for line in reversed(above):
        if edge - line.bottom > 0.5 * line.size or is_caption(line.text) or _is_prose(
                line, x1 - x0):
            break
        header.insert(0, line)
        edge = line.top
    return _Region(tuple(header + lines), tuple(group), x0, x1)


def _unruled_region(caption: _Caption, pieces: list[_Run]) -> _Region | None:
    """The block of table-like lines just above a caption (or else just below it)."""
    _on_time()
    lines = _lines(w for p in pieces for w in p.words)
    width = max(ln.x1 - ln.x0 for ln in lines)
    for block in (_block(caption, lines, width, up=True), _block(caption, lines, width, up=False)):
        if sum(len(_split(line, GUTTER)) >= 2 for line in block) >= 2:
            x0, x1 = min(ln.x0 for ln in block), max(ln.x1 for ln in block)
            return _Region(tuple(sorted(block, key=lambda ln: ln.middle)), (), x0, x1)
    return None


def _block(caption: _Caption, lines: list[_Run], width: float, up: bool) -> list[_Run]:
    """Lines stacked closely above (or below) a caption, stopping at prose and captions."""
    side = [ln for ln in lines if (ln.bottom <= caption.top if up else ln.top >= caption.bottom)]
    side.sort(key=lambda ln: -ln.bottom if up else ln.top)
    edge, gap, block = (caption.top if up else caption.bottom), 3.0, []
    for line in side:
        _on_time()
        distance = edge - line.bottom if up else line.top - edge
        if distance > gap * line.size or is_caption(line.text) or _is_prose(line, width):
            break
        block.append(line)
        edge, gap = (line.top if up else line.bottom), 1.0
    return block


def _nearest_caption(region: _Region, captions: list[_Caption]) -> _Caption | None:
    """The caption right above or below a table (a table's caption before a figure's)."""
    top, bottom = region.rules[0].y, region.rules[-1].y
    if region.lines:
        top = min(top, region.lines[0].top)
    near = []
    for caption in captions:
        gap = max(caption.top - bottom, top - caption.bottom)
        if _overlap(caption.x0, caption.x1, region.x0, region.x1) > 0 and (
                0 <= gap <= 3 * caption.lines[0].size):
            near.append((not caption.of_table, gap, caption))
    return min(near, key=lambda n: n[:2])[2] if near else None


# ----------------------------------------------------------------------------- one table


def _table(region: _Region, caption: _Caption | None, pieces: list[_Run], number: int
           ) -> RawTable | None:
    """Lay a region's lines out as rows and columns: header rows, then one row a body line."""
    header, sections = _parts(region)
    body = [[_split(line, PHRASE) for line in section] for section in sections]
    columns = _columns([p for section in body for p in section])
    rows = [[_row(phrases, columns) for phrases in section] for section in body]
    if _has_band_column(rows):
        rows = [_band(section) for section in rows]
    flat = [r for section in rows for r in section]
    if sum(sum(bool(c.text) for c in r) >= 2 for r in flat) < max(2, len(flat) / 2):
        return None  # a box of text (most lines one phrase), not a grid
    grid = _header(header, columns) + flat
    return RawTable(rectangular(grid, f"the table on page {number}"),
                    caption.text if caption else None, f"page {number}",
                    _cited(region, caption, pieces))


def _parts(region: _Region) -> tuple[list[_Run], list[list[_Run]]]:
    """Split a table's lines at its full-width rules: the header (lines above the first rule
    that has lines above it, if another rule follows) and the body's groups of rows."""
    width = region.x1 - region.x0
    cuts = [r.y for r in region.rules if r.x1 - r.x0 >= 0.8 * width]
    lines = list(region.lines)
    header: list[_Run] = []
    for y in cuts[:-1]:
        above = [ln for ln in lines if ln.middle < y]
        if above:
            header, lines = above, lines[len(above):]
            break
    sections: list[list[_Run]] = [[]]
    for line in lines:
        _on_time()
        if any(sections[-1] and sections[-1][-1].middle < y < line.middle for y in cuts):
            sections.append([])
        sections[-1].append(line)
    return header, [s for s in sections if s]


def _columns(lines: list[list[_Run]]) -> list[tuple[float, float]]:
    """The body's columns: the x-ranges its lines of several phrases cover, split where none
    prints anything, and a lone phrase's range (a band label) where no other text is."""
    spans = _merged([(p.x0, p.x1) for line in lines if len(line) >= 2 for p in line])
    lone = [(p.x0, p.x1) for line in lines if len(line) == 1 for p in line]
    extra = [s for s in lone if not any(_overlap(*s, *c) > 0 for c in spans)]
    return sorted(spans + _merged(extra))


def _merged(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Merge overlapping x-ranges."""
    out: list[tuple[float, float]] = []
    for x0, x1 in sorted(spans):
        if out and x0 < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], x1))
        else:
            out.append((x0, x1))
    return out


def _covered(phrase: _Run, columns: list[tuple[float, float]], share: float) -> list[int]:
    """The columns a phrase covers: those it overlaps by `share` of the narrower of the two,
    else the nearest one."""
    hit = [j for j, (x0, x1) in enumerate(columns)
           if _overlap(phrase.x0, phrase.x1, x0, x1) > share * min(x1 - x0, phrase.x1 - phrase.x0)]
    if hit:
        return hit
    middle = (phrase.x0 + phrase.x1) / 2
    return [min(range(len(columns)), key=lambda j: abs((columns[j][0] + columns[j][1]) / 2
                                                        - middle))]


def _cell(lines: list[list[_Run]]) -> Cell:
    """A cell from its printed lines (each a list of phrases): lines joined by a line break,
    bold when most of its letters are."""
    words = [w for line in lines for phrase in line for w in phrase.words]
    bold = sum(len(w.text) for w in words if w.bold)
    text = "\n".join(" ".join(p.text for p in line) for line in lines if line)
    return Cell(text, bold > sum(len(w.text) for w in words) / 2)


def _row(phrases: list[_Run], columns: list[tuple[float, float]]) -> list[Cell]:
    """One body line as a row; a phrase spanning columns is repeated, marked spanned."""
    _on_time()
    placed: list[list[_Run]] = [[] for _ in columns]
    spans = []
    for phrase in phrases:
        hit = _covered(phrase, columns, 0.0)
        placed[hit[0]].append(phrase)
        spans += [(j, hit[0]) for j in hit[1:]]
    row = [_cell([p]) if p else Cell("") for p in placed]
    for j, origin in spans:
        if not placed[j]:
            row[j] = replace(row[origin], spanned=True)
    return row


def _has_band_column(sections: list[list[list[Cell]]]) -> bool:
    """Whether the leftmost column names groups: one label at most in each rule-bounded group,
    in a group of several rows."""
    counts = [sum(bool(r[0].text) for r in s) for s in sections if s and len(s[0]) >= 2]
    return bool(counts) and max(counts) == 1 and any(
        sum(bool(r[0].text) for r in s) == 1 and len(s) >= 3 for s in sections)


def _band(section: list[list[Cell]]) -> list[list[Cell]]:
    """Put a group's band label in its first row and spanned copies in the others; a line that
    printed only the label (set between two rows) is no row."""
    labelled = [r for r in section if r[0].text]
    if len(labelled) != 1:
        return section
    label = labelled[0][0]
    rows = [r for r in section if r is not labelled[0] or any(c.text for c in r[1:])]
    if not rows:
        return section
    return [[label if i == 0 else replace(label, spanned=True), *r[1:]]
            for i, r in enumerate(rows)]


def _cited(region: _Region, caption: _Caption | None, pieces: list[_Run]) -> str | None:
    """The source line printed under a table or its caption (资料来源: …, Source: …)."""
    _on_time()
    bottom = max([region.lines[-1].bottom if region.lines else 0.0,
                  *[r.y for r in region.rules], caption.bottom if caption else 0.0])
    below = [p for p in pieces if p.top >= bottom and p.top - bottom <= 2 * p.size
             and _overlap(p.x0, p.x1, region.x0, region.x1) > 0]
    first = min(below, key=lambda p: p.top, default=None)
    return first.text if first is not None and is_cited(first.text) else None


# ----------------------------------------------------------------------------- header


def _header(lines: list[_Run], columns: list[tuple[float, float]]) -> list[list[Cell]]:
    """The header rows: the lines above the first rule, stacked within each column; a heading
    over several columns starts a new header row below it ("AIME 2024" over "pass@1")."""
    if not lines:
        return []
    placed = [(i, phrase, _covered(phrase, columns, 1 / 3))
              for i, line in enumerate(lines) for phrase in _split(line, PHRASE)]
    level = _levels(lines, [i for i, _, hit in placed if len(hit) > 1])
    height = max(level) + 1
    stacks: list[list[dict[int, list[_Run]]]] = [[{} for _ in columns] for _ in range(height)]
    for i, phrase, hit in placed:
        stacks[level[i]][hit[0]].setdefault(i, []).append(phrase)
    rows = [[_cell(list(stack.values())) if stack else Cell("") for stack in row]
            for row in stacks]
    for i, _, hit in placed:
        for j in hit[1:]:
            rows[level[i]][j] = replace(rows[level[i]][hit[0]], spanned=True)
    return _spread_lone(rows, {(level[i], j) for i, _, hit in placed if len(hit) > 1
                               for j in hit})


def _levels(lines: list[_Run], spanning: list[int]) -> list[int]:
    """Each header line's header row: lines are stacked into blocks (lines that overlap
    vertically), and a new row starts after each block holding a spanning heading."""
    level, row, block_bottom, ends_row = [], 0, lines[0].bottom, False
    for i, line in enumerate(lines):
        if line.top > block_bottom:
            row += ends_row
            ends_row = False
        block_bottom = max(block_bottom, line.bottom) if line.top <= block_bottom else line.bottom
        ends_row = ends_row or i in spanning
        level.append(row)
    return level


def _spread_lone(rows: list[list[Cell]], spanning: set[tuple[int, int]]) -> list[list[Cell]]:
    """A column whose one heading stands alone across several header rows ("Model" beside
    "AIME 2024" and "pass@1") covers them all: the heading in the first, copies below."""
    for j in range(len(rows[0]) if len(rows) >= 2 else 0):
        filled = [i for i, row in enumerate(rows) if row[j].text]
        if len(filled) == 1 and (filled[0], j) not in spanning:
            cell = rows[filled[0]][j]
            for i, row in enumerate(rows):
                row[j] = cell if i == 0 else replace(cell, spanned=True)
    return rows
