"""The snapshot of a validated data directory, in `<data dir>/.snapshot/`.

`leaderboard validate` writes it; `data.load` builds the Dataset from it without validating
again, but only when its key is that of these very data files and this code, and its files are
those its manifest names, byte for byte. The frames are Parquet, the rest JSON.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
from contextlib import contextmanager
from dataclasses import asdict
from dataclasses import fields as dataclass_fields
from functools import cache
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow has no stubs
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from . import data
from .data import SNAPSHOT_DIR, DataError, Dataset, Grid, GridEntry, Problem, Source, Validated

SNAPSHOT_FORMAT = 1  # raise it when what a snapshot holds, or how it is read, changes
MANIFEST = "manifest.json"
FILES = ("results.parquet", "conflicts.parquet", "rows.parquet", "dataset.json")
CODE = ("data.py", "schemas.py", "snapshot.py")  # the code whose output a snapshot holds
_META = b"leaderboard"  # the Parquet schema's key for how to rebuild the frame's columns
# The Python types an object column may hold besides None, by name, as Arrow stores them.
_ARROW = {"str": pa.string(), "float": pa.float64(), "int": pa.int64(), "bool": pa.bool_()}
_FILL = {"float": 0.0, "int": 0, "bool": False}

log = logging.getLogger(__name__)


@cache
def code_key() -> str:
    """Return the sha256 of the snapshot format, of the validating code's source and of the
    versions of the libraries that read the files and type the values."""
    digest = hashlib.sha256(f"format {SNAPSHOT_FORMAT}".encode())
    for name in CODE:
        digest.update(f"\0{name}\0".encode())
        digest.update((Path(__file__).parent / name).read_bytes())
    for library in LIBRARIES:
        digest.update(f"\0{library}={metadata.version(library)}".encode())
    return digest.hexdigest()


LIBRARIES = ("pandas", "numpy", "pyarrow", "marshmallow", "pyyaml")


def key(data_digest: str) -> str:
    """Return the key of the snapshot of the data files whose data_digest this is."""
    return hashlib.sha256(f"{data_digest}\0{code_key()}".encode()).hexdigest()


# --- Frames as Arrow tables ------------------------------------------------------------


def _table(frame: pd.DataFrame) -> pa.Table:
    """Return a frame with a 0..n index as a table that gives back its columns, their dtypes and
    the Python type of each object cell: an object column is stored as one column per type."""
    if not frame.index.equals(pd.RangeIndex(len(frame))) or not frame.columns.is_unique:
        raise ValueError("a frame in a snapshot has the index 0..n and unique column names")
    arrays, names, spec = [], [], []
    for name, series in frame.items():
        if series.dtype.kind in "biuf":
            arrays.append(pa.array(series.to_numpy()))
            names.append(str(name))
            spec.append([name, str(series.dtype), []])
            continue
        values = series.to_numpy(dtype=object)
        types = np.array([type(v).__name__ for v in values], dtype=object)
        kinds = sorted(set(types) - {"NoneType"})
        unknown = [k for k in kinds if k not in _ARROW]
        if unknown:
            raise ValueError(f"column {name!r} holds {unknown[0]}: no snapshot can hold it")
        for kind in kinds:
            array = pa.array(np.where(types == kind, values, None), type=_ARROW[kind])
            arrays.append(array.dictionary_encode() if kind == "str" else array)
            names.append(f"{name}.{kind}")
        spec.append([name, str(series.dtype), kinds])
    table = pa.table(arrays, names=names)
    return table.replace_schema_metadata({_META: json.dumps(spec)})


def _objects(column: pa.ChunkedArray, kind: str) -> np.ndarray:
    """Return a stored column's cells as Python objects, None where it has none."""
    parts = []
    for chunk in column.chunks:
        if kind == "str" and pa.types.is_dictionary(chunk.type):
            # Each distinct text made a Python string once, not once per cell.
            words = np.array([*chunk.dictionary.to_pylist(), None], dtype=object)
            at = chunk.indices.fill_null(len(words) - 1).to_numpy(zero_copy_only=False)
            parts.append(words[at])
        elif kind == "str":
            parts.append(np.array(chunk.to_pylist(), dtype=object))
        else:
            cells = chunk.fill_null(_FILL[kind]).to_numpy(zero_copy_only=False).astype(object)
            if chunk.null_count:
                cells[chunk.is_null().to_numpy(zero_copy_only=False)] = None
            parts.append(cells)
    return np.concatenate(parts) if parts else np.empty(0, dtype=object)


def _frame(table: pa.Table) -> pd.DataFrame:
    """Rebuild the frame _table stored."""
    columns = {}
    for name, dtype, kinds in json.loads(table.schema.metadata[_META]):
        if not kinds and dtype != "object":
            columns[name] = pd.Series(table.column(name).to_numpy(), dtype=dtype, copy=False)
            continue
        if len(kinds) == 1:
            cells = _objects(table.column(f"{name}.{kinds[0]}"), kinds[0])
        else:  # none, or several types: each type's column fills the cells it holds
            cells = np.full(table.num_rows, None, dtype=object)
            for kind in kinds:
                column = table.column(f"{name}.{kind}")
                held = column.is_valid().to_numpy()
                cells[held] = _objects(column, kind)[held]
        columns[name] = pd.Series(cells, dtype=dtype, copy=False)
    return pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows), copy=False)


def _parquet(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def _read_parquet(blob: bytes) -> pd.DataFrame:
    table = pq.read_table(pa.BufferReader(blob))
    try:
        return _frame(table)
    finally:
        del table
        pa.default_memory_pool().release_unused()


# Arrow allocates from the system allocator, whose freed pages go back to the system: its own
# pool (mimalloc) kept ~70 MB of a 5,000-grid snapshot's read buffers for the life of the
# process, in the master and so in every worker.
pa.set_memory_pool(pa.system_memory_pool())


# --- Grids as JSON ---------------------------------------------------------------------


def _grids_fields(grids: list[Grid]) -> dict[str, list]:
    """Return the grids' fields, each of their models and metrics a number in a list of the
    distinct entries: 5,000 grids list 100,000 entries, 10,000 of them distinct."""
    entries: dict[GridEntry, int] = {}
    fields = []
    for grid in grids:
        number = {kind: [entries.setdefault(e, len(entries)) for e in getattr(grid, kind)]
                  for kind in ("models", "metrics")}
        fields.append({f.name: number[f.name] if f.name in number else getattr(grid, f.name)
                       for f in dataclass_fields(grid)} | {"source": asdict(grid.source)})
    return {"entries": [asdict(e) for e in entries], "grids": fields}


def _grids(stored: dict[str, list]) -> list[Grid]:
    entries = [GridEntry(**e) for e in stored["entries"]]
    return [Grid(**{**fields, "source": Source(**fields["source"]),
                    "models": tuple(map(entries.__getitem__, fields["models"])),
                    "metrics": tuple(map(entries.__getitem__, fields["metrics"]))})
            for fields in stored["grids"]]


# --- Writing and reading ---------------------------------------------------------------


def _sha256(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


def _replace(path: Path, blob: bytes) -> None:
    """Write a file whole or not at all: a reader never sees half of it."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    part.write_bytes(blob)
    os.replace(part, path)


def write(directory: Path, parts: Validated, digest: str) -> Path:
    """Write the snapshot of validated data whose files have this data_digest; return where."""
    rows = data.first_rows(parts.results)
    first = [rows.get(grid.slug, data.NO_ROWS) for grid in parts.grids]
    blobs = {
        "results.parquet": _parquet(_table(parts.results)),
        "conflicts.parquet": _parquet(_table(parts.conflicts)),
        "rows.parquet": _parquet(_table(pd.DataFrame({"row": np.concatenate([data.NO_ROWS,
                                                                            *first])}))),
        "dataset.json": json.dumps({
            "reports": parts.reports, "models": parts.models, "metrics": parts.metrics,
            **_grids_fields(parts.grids),
            "rows": [len(at) for at in first],  # how many of rows.parquet's are each grid's
        }, ensure_ascii=False).encode(),
    }
    manifest = {"format": SNAPSHOT_FORMAT, "key": key(digest), "version": digest[:12],
                "files": {name: _sha256(blob) for name, blob in blobs.items()}}
    where = directory / SNAPSHOT_DIR
    where.mkdir(exist_ok=True)
    (where / MANIFEST).unlink(missing_ok=True)  # no manifest names files half replaced
    for name, blob in blobs.items():
        _replace(where / name, blob)
    _replace(where / MANIFEST, json.dumps(manifest, indent=1).encode())
    return where


def read(directory: Path, digest: str) -> tuple[Validated, dict[str, np.ndarray]] | None:
    """Return the validated data and first rows of the snapshot of the data files whose
    data_digest this is, or None: no snapshot, or a stale, altered or unreadable one."""
    where = directory / SNAPSHOT_DIR
    try:
        manifest = json.loads((where / MANIFEST).read_bytes())
        if manifest["format"] != SNAPSHOT_FORMAT or manifest["key"] != key(digest):
            log.debug("snapshot %s is of other files or other code: validating", where)
            return None
        blobs = {}
        for name in FILES:
            blob = (where / name).read_bytes()
            if _sha256(blob) != manifest["files"][name]:
                log.debug("snapshot %s: %s is not the file written: validating", where, name)
                return None
            blobs[name] = blob
        with _collector_paused():
            return _parts(blobs)
    except Exception as e:  # whatever is wrong with a snapshot: validate instead
        log.debug("snapshot %s not read (%r): validating", where, e)
        return None


@contextmanager
def _collector_paused():
    """Make a million objects without the garbage collector walking them again and again."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _parts(blobs: dict[str, bytes]) -> tuple[Validated, dict[str, np.ndarray]]:
    small = json.loads(blobs["dataset.json"])
    grids = _grids(small)
    first = _read_parquet(blobs["rows.parquet"])["row"].to_numpy()
    ends = np.cumsum(small["rows"], dtype=np.int64)
    if len(grids) != len(ends) or (ends[-1] if len(ends) else 0) != len(first):
        raise ValueError("rows.parquet does not hold the grids' rows")
    rows = {grid.slug: first[end - n:end]
            for grid, n, end in zip(grids, small["rows"], ends.tolist(), strict=True)}
    parts = Validated(
        reports=small["reports"], models=small["models"], metrics=small["metrics"], grids=grids,
        results=_read_parquet(blobs["results.parquet"]),
        conflicts=_read_parquet(blobs["conflicts.parquet"]))
    return parts, rows


def make(directory: str | Path) -> tuple[Dataset, str | None]:
    """Validate a data directory and write its snapshot; raise DataError listing every problem.

    Return the Dataset, and why no snapshot was written (None when it was): validated data
    are not refused because a snapshot cannot be written (a read-only install)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DataError(
            [Problem(str(directory), 0, "directory", "does not exist or is not a directory")])
    digest = data.data_digest(directory)
    parts = data.validate(directory)
    dataset = data.build(parts, directory, digest[:12])
    try:
        if data.data_digest(directory) != digest:
            return dataset, "the data changed while they were validated"
        write(directory, parts, digest)
    except (OSError, ValueError, TypeError, OverflowError, pa.ArrowException) as e:
        return dataset, str(e)
    return dataset, None
