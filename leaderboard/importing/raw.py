"""A table as a source prints it: rows of cells, text exactly as printed, bold kept.

Every reader (markdown, HTML, CSV/TSV, XLSX, PDF) turns a source into RawTables; nothing after
the reader knows which format a table came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class SourceError(ValueError):
    """The source cannot be read as tables (not a table, an unknown format, too large)."""


MAX_CELLS = 200_000  # cells of one CSV/TSV, or places of one HTML or sheet table once spans expand


def budget(cells: int, what: str, limit: int = MAX_CELLS) -> None:
    """Refuse a table whose cells would exceed `limit`."""
    if cells > limit:
        raise SourceError(f"{what} is too large to import: more than {limit:,} cells "
                          "(a benchmark table has far fewer)")


@dataclass(frozen=True)
class Cell:
    """One printed cell. `text` is exactly as printed, each printed line break a "\\n" (markup
    such as `**`, `<b>` and `<br>` removed); `spanned` marks a copy of a cell that spans into
    this place (rowspan/colspan, a merged range, a band label centred over several rows)."""

    text: str
    bold: bool = False
    spanned: bool = False


@dataclass(frozen=True)
class RawTable:
    """A rectangular table: every row has the same number of cells."""

    rows: tuple[tuple[Cell, ...], ...]
    caption: str | None = None  # the 图N / 表N / Table N line next to the table, verbatim
    where: str = ""  # where in the source: "lines 106-131", "page 13", "sheet Results"
    cited: str | None = None  # the source line printed under it: 资料来源: …, Source: …

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.rows[0]) if self.rows else 0


def rectangular(rows: list[list[Cell]], what: str = "the table") -> tuple[tuple[Cell, ...], ...]:
    """Pad short rows with empty cells so every row is as long as the longest (refused when
    that would make too many cells: one wide row over many short ones)."""
    width = max((len(r) for r in rows), default=0)
    budget(len(rows) * width, what)
    return tuple(tuple(r) + (Cell(""),) * (width - len(r)) for r in rows)


# A footnote marker printed in superscript (<sup>1</sup>) is kept as its superscript characters,
# so it never runs into the number before it ('88.5<sup>1</sup>' is '88.5¹', not '88.51').
SUPERSCRIPT = str.maketrans("0123456789+-=()abcdefghijklmnoprstuvwxyz",
                            "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ")


# A caption line: 图4: …, 表4：…, Table 4 | …, Table4 | … (PDF text loses spaces), Figure 2. …
CAPTION = re.compile(r"^\s*(?:图|表|Table|Tab\.|Figure|Fig\.)\s*\d+\s*(?:[:：|.．]|\s|$)",
                     re.IGNORECASE)


def is_caption(line: str) -> bool:
    """Whether a line of text is a figure or table caption such as '图4: …' or 'Table 4 | …'."""
    return bool(CAPTION.match(line))


CITED = re.compile(r"^\s*(?:资料来源|数据来源|来源|Sources?)\s*[:：]", re.IGNORECASE)


def is_cited(line: str) -> bool:
    """Whether a line is a table's source line, such as '资料来源: DeepSeek 官网, …'."""
    return bool(CITED.match(line))
