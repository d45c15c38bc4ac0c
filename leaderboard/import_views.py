"""The /import page: paste or upload a published table, see how it imports, download the files.

GET /import is the form. POST /import imports the input against the loaded data and shows each
table found as the leaderboard would show it, every label with its resolution. POST /import.zip
imports the same input again and answers the files `leaderboard import --out` writes, as a zip.
Nothing is stored: the review page's download form carries the input back (the pasted text, or
the uploaded file as base64).

Answers: 200 a review; 400 no input, an option or a source that cannot be read (the reader's
message), or more tables or cells than one page reviews; 413 a source over 2 MB (a request over
MAX_REQUEST is refused before its body is read); 422 a source with no table in it.
"""

from __future__ import annotations

import base64
import binascii
import io
import itertools
import re
import zipfile
from dataclasses import dataclass
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, make_response, render_template, request, url_for
from flask_babel import get_translations, lazy_gettext
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from . import importing
from .errors import said
from .importing.identity import MATCHED, slugify
from .importing.layout import Entry, Layout
from .importing.output import counts
from .importing.raw import RawTable
from .importing.values import NOT_REPORTED
from .views import dataset, download

bp = Blueprint("importer", __name__)

MAX_SOURCE = 2 * 1024 * 1024  # bytes of one pasted text or file
# The largest request: the download form carrying a 2 MB file as base64 (4/3 as long) and the
# options. create_app makes it MAX_CONTENT_LENGTH, so a larger body is refused unread.
MAX_REQUEST = 3 * 1024 * 1024
# One page reviews at most this much: reading, laying out and rendering 200 tables or 20,000
# cells takes about a second; a 2 MB source of 28,000 small tables would take over a minute.
MAX_TABLES = 200
MAX_CELLS = 20_000
TOO_LARGE = lazy_gettext(
    "The file or text sent is larger than 2 MB, the most this page imports at once (a PDF: at "
    "most 20 pages). Import a smaller file, or a part of it.")
PASTED = "pasted"  # the name a pasted text goes by (no suffix: its format is read from it)
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MODELS_AS = {"auto": None, "rows": "rows", "columns": "columns"}


class Refused(Exception):
    """Input this page cannot import, with the message to show and the status to answer."""

    def __init__(self, message: str, code: int = 400):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass(frozen=True)
class Source:
    """One import's input: the source's bytes and name, and the options."""

    data: bytes
    name: str
    pasted: bool
    report: str | None
    pages: tuple[int, int] | None
    mapping: dict[str, str]
    models_as: str | None
    everything: bool

    @property
    def described(self) -> str:
        return _("the pasted text") if self.pasted else self.name

    @property
    def subject(self) -> str:
        """How a sentence about it begins."""
        return _("The pasted text") if self.pasted else self.name

    @property
    def zip_name(self) -> str:
        return f"{self.report or slugify(Path(self.name).stem)}-import.zip"


@bp.before_request
def _limits() -> None:
    # The pasted text is a form field, not a file: let it be as large as a file may be.
    request.max_form_memory_size = MAX_REQUEST


@bp.get("/import")
def form():
    return render_template("import.html", form={}, reports=dataset().reports)


@bp.post("/import")
def review():
    """Import the input and show every table found, or say why nothing could be."""
    try:
        source = read_input()
        result = run(source)
    except Refused as e:
        return _refused(e)
    carried = None if source.pasted else {"b64": base64.b64encode(source.data).decode("ascii"),
                                          "name": source.name}
    return _page(result=result, source=source, counts=counts(result.layouts), carried=carried,
                 files=[name for name, _ in result.output_files()],
                 tables=[table_review(n, layout, result.slugs.get(n))
                         for n, layout in enumerate(result.layouts, start=1)])


@bp.post("/import.zip")
def archive():
    """The files of the import as a zip: exactly those `leaderboard import --out` writes."""
    try:
        source = read_input()
        result = run(source)
    except Refused as e:
        return _refused(e)
    response = download(zip_of(result.output_files()), source.zip_name, "application/zip")
    response.headers["Cache-Control"] = "no-store"
    return response


def _refused(e: Refused):
    """The form again, as sent, with the reason; a file the form carried is carried again."""
    upload = request.files.get("file")
    carried = None
    if request.form.get("file_b64") and not (upload and upload.filename):
        carried = {"b64": request.form["file_b64"], "name": request.form.get("file_name", "")}
    return _page(error=e.message, carried=carried, status=e.code)


def _page(status: int = 200, **context):
    response = make_response(render_template(
        "import.html", form=request.form, reports=dataset().reports, **context), status)
    response.headers["Cache-Control"] = "no-store"  # it holds the input
    return response


# --- Input ---------------------------------------------------------------------------------


def read_input() -> Source:
    """The source and options the form sent; a source over 2 MB is a 413."""
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        abort(413, description=TOO_LARGE)
    upload = files.get("file")
    if upload is not None and upload.filename:
        data, name, pasted = upload.stream.read(MAX_SOURCE + 1), upload.filename, False
    elif form.get("text", "").strip():
        # A browser sends a text field's line breaks as CRLF: the text as typed has LF.
        text = form["text"].replace("\r\n", "\n")
        data, name, pasted = text.encode("utf-8"), PASTED, True
    elif form.get("file_b64"):
        data, name, pasted = _carried(form["file_b64"]), form.get("file_name", ""), False
    else:
        raise Refused(_("Paste a table or choose a file."))
    if len(data) > MAX_SOURCE:
        abort(413, description=TOO_LARGE)
    try:
        return Source(data, _file_name(name), pasted, _report(form.get("report", "")),
                      importing.parse_pages(form.get("pages", "")), _mapping(form.get("map", "")),
                      _models_as(form.get("models_as", "auto")), form.get("all") == "yes")
    except importing.SourceError as e:
        raise Refused(str(e)) from e


def _carried(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as e:
        raise Refused(_("The file carried by the form is damaged: choose the file again.")) from e


def _file_name(name: str) -> str:
    """The file's own name, without any folders a browser sends with it."""
    return name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "upload"


def _report(text: str) -> str | None:
    report = text.strip()
    if report and not _ID.fullmatch(report):
        raise Refused(_("Report: %(report)s is not a report id, which is lower-case words "
                        "joined by hyphens, like galaxy-2025-02-deepseek.", report=repr(report)))
    return report or None


def _mapping(text: str) -> dict[str, str]:
    lines = [line for line in text.splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    return importing.parse_mapping(lines)


def _models_as(text: str) -> str | None:
    if text not in MODELS_AS:
        raise Refused(_("Models as: %(text)s is not one of rows, columns or auto.",
                        text=repr(text)))
    return MODELS_AS[text]


# --- Import --------------------------------------------------------------------------------


def run(source: Source) -> importing.Import:
    """Import the source against the loaded data, within one page's budget."""
    try:
        # The tables are counted as read, before any is laid out: once, whatever the format.
        result = importing.run([(source.data, source.name)], dataset(), source.report,
                               source.pages, source.mapping, source.models_as, None,
                               source.everything,
                               check=_within_budget)
    except importing.SourceError as e:
        raise Refused(_worded(str(e), source)) from e
    except Exception as e:
        # A parser that trips on a damaged file: the file's fault, said as such (and logged).
        current_app.logger.exception("import of %r failed", source.name)
        raise Refused(_("%(subject)s cannot be read as tables: it may be damaged, or not the "
                        "kind of file its name says.", subject=source.subject)) from e
    # A table has labels and values: at least two rows and two columns (a line of prose read as
    # a one-column table is none).
    if not any(min(layout.table.shape) > 1 for layout in result.layouts):
        raise Refused(_("No table found in %(source)s. A table is markdown pipe rows "
                        "(| Model | Score |), an HTML <table>, CSV or TSV lines, a sheet of an "
                        "XLSX workbook, or a table printed as text in a PDF.",
                        source=source.described), 422)
    return result


def _worded(message: str, source: Source) -> str:
    """A reader's message as the page says it: about the source (named once), and pages as
    the form's PDF pages field takes them."""
    message = re.sub(r"pages=\((\d+), (\d+)\)", r"pages \1-\2", message)
    message = message.replace("choose pages=(first, last)",
                              "choose the PDF pages to read, e.g. 13-15")
    return message if message.startswith(source.name) else _(
        "%(subject)s: %(message)s", subject=source.subject, message=message)


def _within_budget(tables: int, cells: int) -> None:
    """Refuse a source of more tables or cells than one review shows. Told as they are counted
    (a page of 150,000 tables is refused at its 201st), so it says "at least"."""
    if tables > MAX_TABLES or cells > MAX_CELLS:
        if tables > MAX_TABLES:
            held = _("it holds at least %(tables)s tables", tables=f"{tables:,}")
        else:
            held = _("it holds at least %(cells)s cells", cells=f"{cells:,}")
        raise importing.SourceError(
            _("%(held)s; this page reviews at most %(max_tables)s tables and %(max_cells)s cells "
              "at once: import a part of it (a PDF's pages, some of its tables)", held=held,
              max_tables=MAX_TABLES, max_cells=f"{MAX_CELLS:,}"))


def zip_of(files: list[tuple[str, str]]) -> bytes:
    """A zip of (name, text) files, UTF-8; the same files give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


# --- The review, as the page shows it ------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """A printed model or metric label and how it resolved, with links to the registries."""

    kind: str  # "model" or "metric"
    label: str
    status: str  # matched, ambiguous or proposed
    id: str | None
    href: str | None  # the registry entry's page, when matched
    how: str
    candidates: tuple[tuple[str, str], ...]  # (id, page)
    band: str | None = None
    band_start: bool = False


@dataclass(frozen=True)
class Shown:
    """A cell as the page shows it: the printed text (None: not reported) and what it parsed to."""

    printed: str | None
    bold: bool
    title: str


@dataclass(frozen=True)
class TableReview:
    n: int
    layout: Layout
    slug: str | None
    models: list[Label]
    metrics: list[Label]
    bands: list[tuple[str | None, int]]
    rows: list[tuple[Label, list[Shown]]]
    attributes: dict[str, list[tuple[str, str]]]  # model label -> (what, printed)

    @property
    def table(self) -> RawTable:
        return self.layout.table


def table_review(n: int, layout: Layout, slug: str | None) -> TableReview:
    """One table found: its models as rows and metrics as columns, whatever way it is printed."""
    models = [_label("model", e) for e in layout.models]
    metrics = [_label("metric", e, i > 0 and e.band != layout.metrics[i - 1].band)
               for i, e in enumerate(layout.metrics)]
    bands = [(band, len(list(group))) for band, group in
             itertools.groupby(layout.metrics, key=lambda e: e.band)]
    cells = {(c.model, c.metric): c for c in layout.cells}
    words = get_translations()  # looked up once a table, not once a cell
    rows = [(m, [_shown(cells.get((m.label, x.label)), words) for x in metrics]) for m in models]
    attributes: dict[str, list[tuple[str, str]]] = {}
    for a in layout.attributes:
        attributes.setdefault(a.model, []).append(
            (ATTRIBUTE_NAMES.get(a.field, a.field.replace("_", " ")), a.printed))
    return TableReview(n, layout, slug, models, metrics, bands, rows, attributes)


ATTRIBUTE_NAMES = {"active_params": lazy_gettext("active parameters"),
                   "total_params": lazy_gettext("total parameters")}


_ENDPOINTS = {"model": "pages.model", "metric": "pages.metric"}
_ARGS = {"model": "model_id", "metric": "metric_id"}


def _link(kind: str, entry_id: str) -> str:
    args: dict[str, Any] = {_ARGS[kind]: entry_id}  # not one of url_for's own typed options
    return url_for(_ENDPOINTS[kind], **args)


def _label(kind: str, entry: Entry, band_start: bool = False) -> Label:
    r = entry.resolution
    # The importer's reasons name the command's option; here the mapping is a form field.
    how = r.how.replace("given with --map", "given in the mappings").replace(
        "(--map)", "(a LABEL=ID line in the mappings)")
    return Label(kind, entry.label, r.status, r.id,
                 _link(kind, r.id) if r.status == MATCHED and r.id else None, said(how),
                 tuple((c, _link(kind, c)) for c in r.candidates), entry.band, band_start)


def _shown(cell, words: NullTranslations) -> Shown:
    if cell is None or cell.printed.strip() in NOT_REPORTED:
        return Shown(None, False, words.gettext("not reported"))
    value = cell.value
    if value is None:
        title = words.gettext("kept as printed: not a number")
    else:
        shown = f"{value:.12g}" if isinstance(value, float) else value
        title = words.gettext("value %(value)s") % {"value": shown}
    return Shown(cell.printed, cell.bold, title + (f" · {cell.note}" if cell.note else ""))
