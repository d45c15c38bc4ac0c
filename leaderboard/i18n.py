"""The interface's language: English or Chinese (Flask-Babel).

A request's language is `?lang=` when it names one, else the best of the browser's
Accept-Language, else English. A language asked for in the URL is carried by every link the page
makes (permalinks, chart and download URLs keep it); one taken from the browser is not (the link
stays the same for everyone, and each visitor's browser chooses again). Every answer says its
language (Content-Language) and that it varies with Accept-Language, and the response cache keys
on the language, so no visitor is sent a page cached in another's.

The data keep the language they are printed in, whatever the interface's; only a model's or a
metric's registry name has a Chinese form (`name_zh`), which `name` alone chooses.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlencode

import pandas as pd
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_locale, gettext, lazy_gettext

LANGUAGES = ("en", "zh")
# What is the same in every language: its links never carry one (a browser caches it once).
SAME_IN_EVERY_LANGUAGE = frozenset(("static", "charts.vega_js"))
HTML_LANG = {"en": "en", "zh": "zh-CN"}  # the page's <html lang> and Content-Language


def language() -> str:
    """This request's language: 'en' or 'zh'; outside a request (the command line, loading
    the data), English."""
    if not has_request_context():
        return "en"
    if "language" not in g:
        asked = request.args.get("lang")
        g.language = asked if asked in LANGUAGES else (
            request.accept_languages.best_match(LANGUAGES, default="en"))
    return g.language


def asked_in_url() -> str | None:
    """The language the URL names, which the page's links carry on; None if it names none."""
    asked = request.args.get("lang")
    return asked if asked in LANGUAGES else None


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=language)

    @app.url_defaults
    def carry_language(endpoint: str, values: dict[str, Any]) -> None:
        asked = asked_in_url() if request else None
        if asked and endpoint not in SAME_IN_EVERY_LANGUAGE and "lang" not in values:
            values["lang"] = asked

    @app.after_request
    def say_language(response):
        response.headers["Content-Language"] = HTML_LANG[language()]
        response.vary.add("Accept-Language")
        return response

    app.add_template_filter(name)

    app.add_template_global(category_name)
    app.add_template_global(unit_name)
    app.add_template_global(average_name)

    @app.context_processor
    def page_language() -> dict[str, Any]:
        return {"lang": language(), "html_lang": HTML_LANG[language()],
                "lang_in_url": asked_in_url(), "in_language": in_language}


def in_language(target: str) -> str:
    """This page's address in another language: its path and the arguments its view reads
    (nothing else of the URL is repeated in a page), `lang` set."""
    from .http import query_args  # http imports this module

    args = {**query_args(), "lang": target}
    return f"{request.script_root}{quote(request.path)}?{urlencode(args, doseq=True)}"


def chinese() -> bool:
    """Whether the words are in Chinese: the request's language, or the one a chart or a deck
    is drawn in (Flask-Babel's locale); outside a request, no."""
    locale = get_locale()
    return locale is not None and locale.language == "zh"


def name(record: Any) -> str:
    """A model's or a metric's name in the words' language (the request's, or the one a chart or
    a deck is drawn in): its `name_zh` in Chinese where it has one, else its registry name.
    `record` is a registry record (a dict or a frame's row) or anything with `name` and
    `name_zh` attributes."""
    def field(key: str) -> Any:
        return record.get(key) if hasattr(record, "get") else getattr(record, key, None)

    own = field("name_zh") if chinese() else None
    return own if isinstance(own, str) and own else field("name")


# The registries' categories and units, as the interface says them (metrics.yaml's header lists
# them); one not listed is shown as written.
CATEGORIES = {"English": lazy_gettext("English"), "Chinese": lazy_gettext("Chinese"),
              "Code": lazy_gettext("Code"), "Math": lazy_gettext("Math"),
              "Multilingual": lazy_gettext("Multilingual"), "Cost": lazy_gettext("Cost"),
              "Scale": lazy_gettext("Scale"), "Efficiency": lazy_gettext("Efficiency"),
              "Deployment": lazy_gettext("Deployment")}
UNITS = {"USD per 1M tokens": lazy_gettext("USD per 1M tokens"), "USD": lazy_gettext("USD"),
         "Elo rating": lazy_gettext("Elo rating"), "GPU hours": lazy_gettext("GPU hours"),
         "GPUs": lazy_gettext("GPUs"), "W": lazy_gettext("W"),
         "bits per byte": lazy_gettext("bits per byte"), "date": lazy_gettext("date"),
         "year": lazy_gettext("year"), "ms": lazy_gettext("ms"),
         "parameters": lazy_gettext("parameters"), "percentile": lazy_gettext("percentile"),
         "tokens": lazy_gettext("tokens"), "yes/no": lazy_gettext("yes/no")}


def category_name(category: str | None) -> str:
    """A metric's category in the words' language."""
    return str(CATEGORIES.get(category or "", category or ""))


def unit_name(unit: str | None) -> str:
    """A metric's unit in the words' language."""
    return str(UNITS.get(unit or "", unit or ""))


_LAST_ASIDE = re.compile(r"(.*?)(\s+\(|\s*（)([^()（）]+)[)）]")


def with_unit(name: str, said: str) -> str:
    """A metric's name and its unit (as said) in one title, without saying a thing twice: "MMLU
    (pass@1, %)", "Codeforces (Elo rating)" — not "MMLU (pass@1) (%)", "Codeforces (rating) (Elo
    rating)". An aside is a bracket after a space (or a full-width one): "f(x)" is a name."""
    aside = _LAST_ASIDE.fullmatch(name)
    if not said:
        return name
    if aside is None:
        return f"{name} ({said})"
    head, bracket, measure = aside.groups()
    bracket = bracket.strip()
    inner = said if measure.casefold() in said.casefold() else (
        f"{measure}{'，' if bracket == '（' else ', '}{said}")
    return f"{head}（{inner}）" if bracket == "（" else f"{head} ({inner})"


def average_name(category: str | None) -> str:
    """An average's name: over every category shown, or over one."""
    return gettext("Average") if category is None else gettext(
        "%(category)s average", category=category_name(category))


def names(frame: pd.DataFrame) -> pd.Series:
    """`name` of every row of a models or metrics frame, by id."""
    columns = [c for c in ("name", "name_zh") if c in frame.columns]
    return pd.Series([name(r) for r in frame[columns].to_dict("records")], index=frame.index,
                     dtype=object)
