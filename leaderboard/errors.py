"""The two ways a request can ask for something the data cannot give, raised by the domain code
and answered once, by the app: a 400 for a malformed or inapplicable argument, a 404 for a thing
that does not exist. No Flask here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

V = TypeVar("V")


class QueryError(ValueError):
    """A query argument cannot be used: it is malformed, or names something this view lacks."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.errors: dict[str, list[str]] = {field: [message]}

    @classmethod
    def of(cls, messages: Mapping[str, Iterable[str]]) -> QueryError:
        """One error for several arguments, e.g. marshmallow's messages by field."""
        fields = {name: [str(m) for m in ms] for name, ms in messages.items()}
        first, *_ = fields
        error = cls(first, " ".join(fields[first]))
        error.errors = fields
        error.args = ("; ".join(f"{f}: {' '.join(m)}" for f, m in fields.items()),)
        return error


class UnknownError(LookupError):
    """A request names a grid, model, metric or chart that does not exist."""

    def __init__(self, kind: str, key: str, known: Iterable[str] | None = None, *,
                 message: str | None = None):
        text = message or f"There is no {kind} {key!r}."
        if known is not None:
            names = list(known)
            head, of, rest = kind.partition(" of ")  # 'kind of report': 'Kinds of report'
            text += f" {head[0].upper()}{head[1:]}s{of}{rest}: {', '.join(names[:50])}"
            text += f" … ({len(names)} in all)." if len(names) > 50 else "."
        super().__init__(text)
        self.kind, self.key = kind, key

    def __str__(self) -> str:
        return str(self.args[0])


def get_or_404(kind: str, key: str, known: Mapping[str, V], *, listed: bool = False) -> V:
    """Return `known[key]`, or raise UnknownError naming the missing `kind` (and, `listed`,
    the ones that exist)."""
    try:
        return known[key]
    except KeyError:
        raise UnknownError(kind, key, known if listed else None) from None
