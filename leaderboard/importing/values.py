"""The value of a printed cell: the number in its metric's unit, a date, yes/no, or nothing.

`-` and an empty cell are not reported: None, never 0. Text that is not a value (a range, a
remark) is None too; the printed text is always kept beside the value.
"""

from __future__ import annotations

import math
import re
from typing import Any

NOT_REPORTED = ("", "-", "–", "—", "N/A", "n/a", "NA")
_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_MULTIPLIERS = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百万": 1e6, "K": 1e3, "k": 1e3,
                "M": 1e6, "B": 1e9, "T": 1e12}
_QUANTITY = re.compile(
    rf"^(?P<prefix>(?:[^\d:：]*[:：])?)\s*\$?\s*(?P<number>{_NUMBER})\s*"
    rf"(?P<mult>万亿|百万|亿|万|千|[KkMBT](?![a-z]))?\s*(?P<unit>.*)$", re.DOTALL)
_PER_TOKENS = re.compile(r"/\s*(千|百万|1K|1M|K|M)\s*tokens?", re.IGNORECASE)
_PER_TOKENS_SCALE = {"千": 1e3, "1k": 1e3, "k": 1e3, "百万": 1.0, "1m": 1.0, "m": 1.0}
_DATE = re.compile(r"^(\d{4})\s*(?:年\s*(\d{1,2})\s*月?|[-/.](\d{1,2}))?$")
_SETTING = re.compile(r"^\d+-shot$", re.IGNORECASE)  # a setting ("5-shot"), not a value
YES = ("是", "✓", "✔", "√", "yes", "Yes", "Y", "true", "True")
NO = ("否", "✗", "✘", "×", "no", "No", "N", "false", "False")


def quantity(text: str) -> tuple[float, str] | None:
    """The first figure of a printed quantity and the unit text after it: '557.6 万美元' is
    (5.576e6, '美元'); '0.03 美元/千 token' is (30.0, '美元/百万 token') — prices per
    thousand tokens become prices per million; '65.2%' is (65.2, '%'); '1.8T' is (1.8e12, '')."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    match = _QUANTITY.match(line)
    if match is None or _SETTING.match(line):
        return None
    value = float(match["number"].replace(",", ""))
    if match["mult"]:
        value *= _MULTIPLIERS[match["mult"]]
    if not math.isfinite(value):  # more digits than a number holds: text, not a value
        return None
    unit = match["unit"].strip()
    per = _PER_TOKENS.search(unit)
    if per:
        value *= _PER_TOKENS_SCALE[per.group(1).lower()]
        unit = _PER_TOKENS.sub("/百万 token", unit)
    return _clean(value), unit


def _clean(value: float) -> float:
    """Drop the float noise of a multiplication: 557.6 × 1e4 is 5576000.0, not 5576000.000001."""
    return float(f"{value:.12g}")


def is_number_text(text: str) -> bool:
    """Whether a cell prints a plain number (with %, a multiplier or a unit after it)."""
    return quantity(text) is not None


def parse(text: str, kind: str = "number") -> Any:
    """The value of a printed cell for a metric of `kind` (number, date or boolean)."""
    text = text.strip()
    if text in NOT_REPORTED:
        return None
    if kind == "boolean":
        return True if text in YES else False if text in NO else None
    if kind == "date":
        match = _DATE.match(text)
        if match is None:
            return None
        month = match[2] or match[3]
        return f"{match[1]}-{int(month):02d}" if month else match[1]
    found = quantity(text)
    if found is None or _is_range(text):
        return None
    return found[0]


def _is_range(text: str) -> bool:
    """A range such as '15 亿-70 亿' is no single value."""
    return len(re.findall(_NUMBER, text.replace(",", ""))) >= 2 and bool(
        re.search(r"\d\s*[万亿KMBT]?\s*[-~至–]\s*\d", text))


def kind_of(texts: list[str]) -> str:
    """Guess a column's kind from its printed cells: boolean, date or number."""
    shown = [t.strip() for t in texts if t.strip() not in NOT_REPORTED]
    if shown and all(t in YES or t in NO for t in shown):
        return "boolean"
    if shown and all(_DATE.match(t) and ("年" in t or "-" in t) for t in shown):
        return "date"
    return "number"
