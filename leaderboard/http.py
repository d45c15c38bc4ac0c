"""HTTP behaviour shared by every route: the query arguments a view reads, conditional
requests on the data and code version, CORS, security headers, gzip."""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request
from marshmallow import Schema

from .i18n import asked_in_url, language

MAX_AGE = 300  # seconds browsers and proxies may reuse a response without asking
LISTED = ("metrics", "models")  # checkboxes send one argument per choice


def csp(frame_ancestors: str = "'none'") -> str:
    """The Content-Security-Policy: own files only, no inline code; who may frame the page."""
    return ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            f"object-src 'none'; base-uri 'none'; form-action 'self'; "
            f"frame-ancestors {frame_ancestors}")


CSP = csp()


# --- Query arguments -----------------------------------------------------------------


_View = TypeVar("_View", bound=Callable[..., Any])


def reads(schema: Schema) -> Callable[[_View], _View]:
    """Declare the query arguments a view reads: `schema`'s fields. Only they reach the view,
    its links and the response cache's key; any other argument is ignored."""
    names = frozenset(field.data_key or name for name, field in schema.fields.items())

    def mark(view: _View) -> _View:
        view.query_args = names  # type: ignore[attr-defined]  # mypy has no typed function attributes
        return view

    return mark


def query_args() -> dict[str, str]:
    """The arguments this request's view reads, by name; several `metrics` or `models`
    arguments are joined with commas, as a comma-separated list is their other spelling."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    names: frozenset[str] = getattr(view, "query_args", frozenset())
    args = {k: v for k, v in request.args.items() if k in names}
    for listed in LISTED:
        if len(request.args.getlist(listed)) > 1 and listed in names:
            args[listed] = ",".join(request.args.getlist(listed))
    return args


def cache_key() -> tuple:
    """The path, the language (and whether the URL names it: its links then carry it) and the
    arguments its view reads, in a normal order: ?b=1&a=2&utm=x is ?a=2&b=1."""
    return request.path, language(), asked_in_url(), tuple(sorted(query_args().items()))


# --- Versions --------------------------------------------------------------------------

# Libraries whose upgrade changes what a response holds (chart pictures, files, pages).
RENDERING_LIBRARIES = ("flask", "jinja2", "pandas", "altair", "vl-convert-python",
                       "python-pptx", "openpyxl", "pillow", "marshmallow", "flask-smorest")


def code_version(package: Path, templates: Path) -> str:
    """A digest of the code that makes responses: this package, its templates and static
    files, and the versions of the libraries that render them."""
    digest = hashlib.sha256()
    for root in (package, templates):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in
                           p.parts):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    for name in RENDERING_LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return digest.hexdigest()[:8]


# --- Every response ----------------------------------------------------------------------


def _public() -> bool:
    """The API and the downloads may be read from any origin."""
    path = request.path
    return path.startswith(("/api/", "/downloads/")) or path.endswith((".csv", ".json"))


def etag_of(version: str, templates: Path) -> str:
    """The ETag of every answer: the data's version and the code's."""
    return f"{version}-{code_version(Path(__file__).parent, templates)}"


# --- Compression -----------------------------------------------------------------------

# Text is sent gzipped to a client that accepts it: a page shrinks ~8x, vega.js 898 kB to 305.
COMPRESSIBLE = frozenset(("text/html", "text/css", "text/javascript", "application/javascript",
                          "application/json", "text/csv", "image/svg+xml"))
MIN_SIZE = 1024  # bytes: below this gzip saves less than it costs
# Files sent as they are, compressed too: this package's static files and Swagger UI's. A
# prebuilt download (its sha256 its ETag, ranges served from the file) goes out as it is.
FILE_ENDPOINTS = ("static", "api_docs.ui_file")
GZIP_CACHE_BYTES = 16 * 1024 * 1024  # per worker: the same body is compressed once


class _Gzipped:
    """Compressed bodies by their digest, least recently used out first."""

    def __init__(self, max_bytes: int):
        self.max_bytes, self.size = max_bytes, 0
        self._entries: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, body: bytes) -> bytes:
        key = hashlib.blake2b(body, digest_size=16).digest()
        with self._lock:
            if (done := self._entries.get(key)) is not None:
                self._entries.move_to_end(key)
                return done
        done = gzip.compress(body, compresslevel=6, mtime=0)
        with self._lock:
            if key not in self._entries and len(done) <= self.max_bytes // 4:
                self._entries[key] = done
                self.size += len(done)
                while self.size > self.max_bytes:
                    self.size -= len(self._entries.popitem(last=False)[1])
        return done


gzipped = _Gzipped(GZIP_CACHE_BYTES)


def compress(response: Response) -> Response:
    """Gzip a text answer for a client that accepts it. Every text answer varies on
    Accept-Encoding; a compressed one's ETag is weak (the same data, other bytes), so a cache
    revalidates either form with it. Ranges are of the plain bytes: the compressed form offers
    none, and an If-Range naming its weak tag never matches (whole_if_weak_if_range)."""
    if response.mimetype not in COMPRESSIBLE and response.status_code != 304:
        return response
    response.vary.add("Accept-Encoding")
    tag, weak = response.get_etag()
    if response.status_code == 304 and tag and request.if_none_match.is_weak(tag):
        response.set_etag(tag, weak=True)  # the validator of the compressed form it holds
    passthrough = response.direct_passthrough and request.endpoint in FILE_ENDPOINTS
    if (response.status_code != 200 or not request.accept_encodings["gzip"]
            or response.mimetype not in COMPRESSIBLE
            or "Content-Encoding" in response.headers
            or "no-transform" in response.headers.get("Cache-Control", "")
            or (response.is_streamed and not passthrough)
            or (response.direct_passthrough and not passthrough)):
        return response
    response.direct_passthrough = False  # a file: read it, it is one of this service's own
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzipped(body))
    response.headers["Content-Encoding"] = "gzip"
    response.headers.pop("Accept-Ranges", None)  # ranges are served of the plain bytes only
    if tag and not weak:
        response.set_etag(tag, weak=True)
    return response


def whole_if_weak_if_range() -> None:
    """A Range whose If-Range names a weak tag (the compressed form's) never matches
    (RFC 9110, 13.1.5): the whole answer is sent, never plain bytes to splice into gzip."""
    if request.headers.get("If-Range", "").lstrip().startswith("W/"):
        request.environ.pop("HTTP_RANGE", None)


def init_app(app: Flask, templates: Path) -> None:
    etag = etag_of(app.extensions["leaderboard"].version, templates)
    house = app.extensions["slide_template"].digest  # a deck is drawn on the house template
    etag = f"{etag}-{house[:8]}" if house else etag
    app.extensions["etag"] = etag
    app.after_request(compress)  # registered first, so it runs last: on the final answer
    app.before_request(whole_if_weak_if_range)

    @app.after_request
    def headers(response):
        """Validators and caching for what a route answered: a matched route's 200 carries the
        ETag of data and code, and becomes a 304 when the client holds it."""
        if (request.method in ("GET", "HEAD") and response.status_code == 200
                and request.url_rule is not None and request.endpoint != "static"):
            response.headers.setdefault("Cache-Control", f"public, max-age={MAX_AGE}")
            if "ETag" not in response.headers:  # a file sent as it is has its own, checked
                # One tag per language: a browser holding the Chinese page must not be told
                # that it holds the English one.
                response.set_etag(etag if language() == "en" else f"{etag}-{language()}")
                # A streamed download is sent as it is written: its length is not known (else
                # make_conditional would read it whole to set Content-Length).
                response.automatically_set_content_length = not response.is_streamed
                response.make_conditional(request)
            if response.status_code == 412:  # If-Match failed: the body is not the answer
                response.set_data(b"")
        if _public():
            response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        return response
