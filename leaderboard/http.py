"""HTTP behaviour shared by every route: caching by data version, CORS, security headers."""

from __future__ import annotations

from flask import Flask, current_app, request

MAX_AGE = 300  # seconds browsers and proxies may reuse a response without asking
def csp(frame_ancestors: str = "'none'") -> str:
    """The Content-Security-Policy: own files only, no inline code; who may frame the page."""
    return ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            f"object-src 'none'; base-uri 'none'; form-action 'self'; "
            f"frame-ancestors {frame_ancestors}")


CSP = csp()


def _etag() -> str:
    return current_app.extensions["leaderboard"].version


def _public() -> bool:
    """The API and the downloads may be read from any origin."""
    path = request.path
    return path.startswith(("/api/", "/downloads/")) or path.endswith((".csv", ".json"))


def init_app(app: Flask) -> None:
    @app.before_request
    def not_modified():
        """Answer 304 at once when the client holds this data version: no work is done."""
        if request.method in ("GET", "HEAD") and request.if_none_match.contains(_etag()):
            return app.response_class(status=304)
        return None

    @app.after_request
    def headers(response):
        if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
            if request.endpoint != "static":
                response.set_etag(_etag())
                response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
        if _public():
            response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        return response
