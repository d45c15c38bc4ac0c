"""The whole-dataset downloads, written once by `leaderboard validate` and sent as files.

Built on request, all.xlsx of 5,000 grids takes minutes and all.csv close to one: longer than a
worker may hold a request. So the release step writes them beside the snapshot, into a folder
named by the data's version and the code's (the app's ETag), with a manifest of their sha256;
a worker sends a file only after checking it against the manifest (once per process), and
builds the download itself when there is none for these data and this code.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from . import exports
from .data import SNAPSHOT_DIR, Dataset

MANIFEST = "manifest.json"


def _builders(ds: Dataset, dumps: Callable[[Any], str]) -> dict[str, Callable[[], Iterable[bytes]]]:
    return {
        "all.csv": lambda: exports.all_long_csv(ds),
        "all.json": lambda: exports.all_json(ds, dumps),
        "all.xlsx": lambda: [exports.all_xlsx(ds)],
    }


NAMES = ("all.csv", "all.json", "all.xlsx")


def folder(ds: Dataset, etag: str) -> Path:
    """Where the downloads of these data, made by this code, are kept."""
    return ds.directory / SNAPSHOT_DIR / "downloads" / etag


def write(ds: Dataset, etag: str, dumps: Callable[[Any], str]) -> Path:
    """Write every download of the dataset, and a manifest of their sha256, last: a folder
    without a manifest (a write cut short) is never sent."""
    where = folder(ds, etag)
    where.mkdir(parents=True, exist_ok=True)
    (where / MANIFEST).unlink(missing_ok=True)
    digests = {}
    for name, build in _builders(ds, dumps).items():
        digests[name] = _write(where / name, build())
    _write(where / MANIFEST, [json.dumps({"etag": etag, "files": digests}, indent=1).encode()])
    _prune(where)
    return where


KEPT = 2  # download folders kept: this release's, and the one a server still running may send


def _prune(current: Path) -> None:
    """Remove the download folders of older releases but the newest one before this."""
    others = sorted((p for p in current.parent.iterdir() if p.is_dir() and p != current),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEPT - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def forget(ds: Dataset, etag: str) -> None:
    """Check the folder again next time: one of its files was not there to send."""
    _CHECKED.pop(folder(ds, etag), None)


def _write(path: Path, chunks: Iterable[bytes]) -> str:
    """Write a file whole or not at all; return its sha256."""
    digest = hashlib.sha256()
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    with part.open("wb") as f:
        for chunk in chunks:
            digest.update(chunk)
            f.write(chunk)
    os.replace(part, path)
    return digest.hexdigest()


def prebuilt(ds: Dataset, etag: str, name: str) -> tuple[Path, str] | None:
    """The written download `name` of these data and this code and its sha256, if its bytes
    are those the manifest names; None otherwise (build it instead)."""
    where = folder(ds, etag)
    if where not in _CHECKED:
        found = _check(where)
        if found is None:
            return None  # no manifest yet: look again next time (a validate may write one)
        _CHECKED[where] = found
    return _CHECKED[where].get(name)


_CHECKED: dict[Path, dict[str, tuple[Path, str]]] = {}  # a folder's files that match


def _check(where: Path) -> dict[str, tuple[Path, str]] | None:
    """The files of a downloads folder whose sha256 is the one its manifest names, with it;
    None when there is no manifest to read."""
    try:
        manifest = json.loads((where / MANIFEST).read_bytes())
        files = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    found = {}
    for name, expected in files.items() if isinstance(files, dict) else ():
        try:
            if name in NAMES and _sha256(where / name) == expected:
                found[name] = (where / name, expected)
        except OSError:
            continue
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def built(ds: Dataset, name: str, dumps: Callable[[Any], str]) -> Iterator[bytes]:
    """Build download `name` now."""
    return iter(_builders(ds, dumps)[name]())
