"""Leaderboard: benchmark grids from research reports, as pages, charts and downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from flask import Flask, jsonify, request
from flask.json.provider import DefaultJSONProvider
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from . import (
    api,
    cache,
    catalog,
    chart_views,
    conflicts,
    data,
    http,
    i18n,
    import_views,
    reconcile_views,
    slides,
    views,
)
from .errors import said
from .schemas import ErrorSchema

ROOT = Path(__file__).resolve().parent.parent  # the repository, in a source checkout


def _bundled(inside: str, *at_top: str) -> Path:
    """Find a folder that a wheel holds inside the package (pyproject's package-dir) and a
    source checkout or an editable install keeps at the top of the repository."""
    packaged = Path(__file__).resolve().parent / inside
    return packaged if packaged.is_dir() else ROOT.joinpath(*at_top)


TEMPLATES = _bundled("templates", "templates")
BUNDLED_DATA = _bundled("benchmarks", "data", "benchmarks")  # LEADERBOARD_DATA_DIR overrides


class _Api(Api):
    ERROR_SCHEMA = ErrorSchema  # document the errors as they are sent: message + errors


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app on a data directory; raise data.DataError if the data is invalid."""
    app = Flask(__name__, template_folder=str(TEMPLATES))
    # '//' in a path is a 404, not a redirect: werkzeug's redirect names the request's Host.
    app.url_map.merge_slashes = False
    app.config.from_mapping(
        DATA_DIR=str(BUNDLED_DATA),
        API_TITLE="Leaderboard API",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        JSON_SORT_KEYS=False,
        RESPONSE_CACHE_BYTES=64 * 1024 * 1024,  # per worker
        # The service's public address for embed snippets (https://example.org). Unset, the
        # page's script completes them from the browser's address: never from a request header,
        # which would reach every later visitor through the response cache.
        PUBLIC_URL="",
        MAX_CONTENT_LENGTH=import_views.MAX_REQUEST,  # larger bodies: 413, unread (/import)
        # A .pptx whose masters, layouts, theme colours and fonts every deck takes (a firm's
        # template); unset, decks have a clean built-in look.
        SLIDE_TEMPLATE="",
    )
    app.config.from_prefixed_env("LEADERBOARD")
    if test_config is not None:
        app.config.update(test_config)
    app.extensions["leaderboard"] = data.load(app.config["DATA_DIR"])
    app.extensions["slide_template"] = slides.load_template(app.config["SLIDE_TEMPLATE"])
    i18n.init_app(app)
    configure_json(app)

    rest = _Api(app)
    rest.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.docs)
    app.register_blueprint(chart_views.bp)
    app.register_blueprint(import_views.bp)
    app.register_blueprint(reconcile_views.bp)
    http.init_app(app, TEMPLATES)
    cache.init_app(app)

    @app.errorhandler(HTTPException)
    def _error(error: HTTPException):
        error.description = said(str(error.description))  # in the request's language
        if request.path.startswith("/api/") or request.path == "/api" or (
                request.path.endswith(".json")):  # a JSON resource's errors are JSON
            response = api_error(error)
        else:
            response = app.make_response(views.error_page(error))
        for key, value in error.get_headers():  # Allow, Retry-After, WWW-Authenticate
            if key.lower() != "content-type":
                response.headers[key] = value
        return response

    return app


def warm(app: Flask) -> None:
    """Build every per-dataset index the pages read. The server does it once, in the master
    before it forks the workers: they share the indexes, and no first request pays for them."""
    ds = app.extensions["leaderboard"]
    catalog.warm(ds)
    conflicts.index(ds)
    views.search_texts(ds)


def configure_json(app: Flask) -> None:
    """Write JSON as every answer and download does: keys in the order given, text as it is
    (not as \\u escapes)."""
    json = cast(DefaultJSONProvider, app.json)
    json.sort_keys = False
    json.ensure_ascii = False


def api_error(error: HTTPException):
    """Answer an error as JSON: {"message": ..., "errors": {field: [...]}}."""
    data = getattr(error, "data", None) or {}
    body = {"message": data.get("message") or error.description or error.name}
    errors = data.get("errors")
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = error.code or 500
    for key, value in (data.get("headers") or {}).items():
        response.headers[key] = value
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response

