"""The benchmark's ceiling: the service plus `/_bench/constant`, a constant body through the same
gunicorn, Flask and request hooks — nothing can be faster through this stack. bench/run.py serves
`ceiling:create_app()` in place of the Procfile's app; the service itself has no such route.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request

import leaderboard


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the service's app and add the ceiling route to it."""
    app = leaderboard.create_app(test_config)
    bodies: dict[int, bytes] = {}

    @app.route("/_bench/constant")
    def ceiling():
        size = min(request.args.get("bytes", 1000, type=int), 10_000_000)
        body = bodies.setdefault(size, b"x" * size)
        # no-store: the response cache keeps none of these, so each is made through the stack
        return app.response_class(body, mimetype="text/html",
                                  headers={"Cache-Control": "no-store"})

    return app
