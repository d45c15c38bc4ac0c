"""A per-process cache of rendered responses: the same URL on the same data is rendered once.

The data never change while a process runs (a new data version is a new deploy), so the key is
the path and the query arguments its view reads, in a normal order (any other argument is
ignored, so it cannot make a new entry); the size is bounded in bytes, least recently used out
first. Nothing else of the request (no header) goes into a page, so nothing else goes into the key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import NamedTuple

from flask import Flask, Response, g, request

from .http import cache_key

KEPT_HEADERS = ("Content-Type", "Content-Disposition", "X-Data-Version", "X-Total-Count",
                "Content-Security-Policy", "Cache-Control")


class Entry(NamedTuple):
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class ResponseCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        if len(entry.body) > self.max_bytes // 4:
            return  # one huge body would push out everything else
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self._entries[key] = entry
            self.size += len(entry.body)
            while self.size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self.size -= len(dropped.body)


def init_app(app: Flask) -> None:
    cache = ResponseCache(app.config["RESPONSE_CACHE_BYTES"])
    app.extensions["response_cache"] = cache

    def cacheable() -> bool:
        return request.method in ("GET", "HEAD") and request.endpoint not in (None, "static")

    @app.before_request
    def from_cache():
        if not cacheable():
            return None
        entry = cache.get(cache_key())
        if entry is None:
            return None
        g.from_cache = True
        return Response(entry.body, status=entry.status, headers=list(entry.headers))

    @app.after_request
    def to_cache(response: Response) -> Response:
        if (cacheable() and request.method == "GET" and response.status_code == 200
                and not g.get("from_cache")
                and not response.is_streamed
                and not response.direct_passthrough
                and "no-store" not in response.headers.get("Cache-Control", "")):
            headers = tuple((k, v) for k, v in response.headers.items() if k in KEPT_HEADERS)
            cache.put(cache_key(), Entry(200, headers, response.get_data()))
        return response
