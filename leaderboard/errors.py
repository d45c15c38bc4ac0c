"""The two ways a request can ask for something the data cannot give, raised by the domain code
and answered once, by the app: a 400 for a malformed or inapplicable argument, a 404 for a thing
that does not exist. The code words its messages for the catalogue (gettext), so they are made
in the request's language; the libraries' own (marshmallow's, werkzeug's) and the notes the
domain also writes into English downloads are said again in it (`said`). No views here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import TypeVar

from flask import has_request_context
from flask_babel import get_locale, gettext

V = TypeVar("V")


def N_(message: str) -> str:
    """Mark a message for the catalogue (`make translations`), to be said later."""
    return message


# What a request may name that does not exist: the refusal, and the list of those that do
# (all of them, or the first LISTED and how many there are).
NO_SUCH = {
    "grid": (N_("There is no grid %(key)s."), N_("Grids: %(names)s."),
             N_("Grids: %(names)s … (%(n)s in all).")),
    "model": (N_("There is no model %(key)s."), N_("Models: %(names)s."),
              N_("Models: %(names)s … (%(n)s in all).")),
    "metric": (N_("There is no metric %(key)s."), N_("Metrics: %(names)s."),
               N_("Metrics: %(names)s … (%(n)s in all).")),
    "chart format": (N_("There is no chart format %(key)s."), N_("Chart formats: %(names)s."),
                     N_("Chart formats: %(names)s … (%(n)s in all).")),
    "kind of report": (N_("There is no kind of report %(key)s."), N_("Kinds of report: %(names)s."),
                       N_("Kinds of report: %(names)s … (%(n)s in all).")),
}
OTHER = (N_("There is no %(kind)s %(key)s."), N_("There are: %(names)s."),
         N_("There are: %(names)s … (%(n)s in all)."))  # a kind not named above
LISTED = 50

# Messages the code does not word: marshmallow's and werkzeug's, and the domain's notes that
# are written in English into downloads (a comparison's, an import's, a reconciliation's), in
# English as they are made, their values as %(name)s. `said` finds a text among them and says
# it in the request's language.
MESSAGES = (
    # marshmallow's own
    N_("Must be greater than or equal to %(min)s and less than or equal to %(max)s."),
    N_("Must be greater than or equal to %(min)s."),
    N_("Must be less than or equal to %(max)s."),
    N_("Longer than maximum length %(max)s."),
    N_("Shorter than minimum length %(min)s."),
    N_("Length must be between %(min)s and %(max)s."),
    N_("Must be one of: %(choices)s."),
    N_("Not a valid integer."),
    N_("Not a valid boolean."),
    N_("Not a valid number."),
    N_("Not a valid string."),
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("String does not match expected pattern."),
    # a query schema's, written with its values when the schema is made (views.py)
    N_("sort by one of %(names)s"),
    # werkzeug's, for a status no view words itself
    N_("The browser (or proxy) sent a request that this server could not understand."),
    N_("The requested URL was not found on the server. If you entered the URL manually please "
       "check your spelling and try again."),
    N_("The method is not allowed for the requested URL."),
    N_("The server encountered an internal error and was unable to complete your request. Either "
       "the server is overloaded or there is an error in the application."),
    N_("The data value transmitted exceeds the capacity limit."),
    # a comparison's note (tables.py: the API's `note` too)
    N_("These models share no metric: no number can be compared."),
    # the importer's reasons, places and notes (the /import page)
    N_("new: no registry entry has this name"),
    N_("printed so in %(where)s of this report"),
    N_("printed so in %(where)s"),
    N_("the registry name, written differently (%(key)s)"),
    N_("several registry entries have this name"),
    N_("another report prints this label for %(ids)s; this table may mean another entry"),
    N_("most cells are not values"),
    N_("no label is a model or metric the registries know"),
    N_("the column %(label)s: text that is neither a label nor a value"),
    N_("a row with no label: %(cells)s"),
    N_("the %(label)s row: a sum, not a model or a metric"),
    N_("lines %(lines)s"),
    N_("rows %(rows)s"),
    N_("page %(page)s"),
    N_("table %(table)s"),
    N_("sheet %(sheet)s"),
)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each message as a pattern that matches it said in English, its values as named groups."""
    out = []
    # The most literal text first: "Must be … %(min)s." must not take "Must be … and … %(max)s."
    for message in sorted(MESSAGES, key=lambda m: -len(re.sub(r"%\(\w+\)s", "", m))):
        parts, named = re.split(r"%\((\w+)\)s", message), set()
        pattern = ""
        for i, part in enumerate(parts):  # a value said twice is the same text twice
            pattern += (re.escape(part) if i % 2 == 0 else
                        f"(?P={part})" if part in named else f"(?P<{part}>.+?)")
            named |= {part} if i % 2 else set()
        out.append((re.compile(pattern + r"\Z", re.S), message))
    return tuple(out)


def said(text: str) -> str:
    """`text`, a message of MESSAGES made in English, in the request's language
    (the values in it as they are, or themselves said again); outside a request, as it is."""
    if not has_request_context() or getattr(get_locale(), "language", "en") == "en":
        return text  # as the code says it
    if (translated := gettext(text)) != text:
        return translated  # a message of the catalogue marked N_ where it is written
    for pattern, message in _patterns():
        if match := pattern.match(text):
            return gettext(message, **{k: said(v) for k, v in match.groupdict().items()})
    return text


class QueryError(ValueError):
    """A query argument cannot be used: it is malformed, or names something this view lacks."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.errors: dict[str, list[str]] = {field: [message]}

    @classmethod
    def of(cls, messages: Mapping[str, Iterable[str]]) -> QueryError:
        """One error for several arguments, e.g. marshmallow's messages by field."""
        fields = {name: [said(str(m)) for m in ms] for name, ms in messages.items()}
        first, *_ = fields
        error = cls(first, " ".join(fields[first]))
        error.errors = fields
        error.args = ("; ".join(f"{f}: {' '.join(m)}" for f, m in fields.items()),)
        return error


class UnknownError(LookupError):
    """A request names a grid, model, metric or chart that does not exist."""

    def __init__(self, kind: str, key: str, known: Iterable[str] | None = None, *,
                 message: str | None = None):
        no_such, listed, listed_first = NO_SUCH.get(kind, OTHER)
        text = message or gettext(no_such, kind=kind, key=repr(key))
        if known is not None:
            names = list(known)
            text += " " + (gettext(listed, names=", ".join(names)) if len(names) <= LISTED else
                           gettext(listed_first, names=", ".join(names[:LISTED]), n=len(names)))
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
