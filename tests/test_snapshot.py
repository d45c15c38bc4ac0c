"""The snapshot `leaderboard validate` writes: used when it is of these very files and this code,
ignored (the files validated instead) when anything differs, and equal to what it replaces."""

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import DATA_DIR

from leaderboard import data, snapshot
from leaderboard.cli import main
from leaderboard.data import DataError, all_grid_frames, load

FRAME_FIELDS = ("values", "raw", "printed", "bold", "conflict", "note", "label", "page")


def release(directory: Path) -> str:
    """Run `leaderboard validate` on a directory, as the release step does; return its stderr."""
    result = CliRunner().invoke(main, ["validate", "--no-downloads", str(directory)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"ok: {directory}: ")
    return result.stderr


@pytest.fixture
def fresh(data_copy) -> Path:
    """A copy of the bundled data without the snapshot the bundled directory may hold."""
    shutil.rmtree(data_copy / ".snapshot", ignore_errors=True)
    return data_copy


@pytest.fixture
def released(fresh) -> Path:
    """A copy of the bundled data with its snapshot written."""
    assert release(fresh) == ""
    return fresh


@pytest.fixture
def validations(monkeypatch) -> list[Path]:
    """Count the times the grid files are read and validated."""
    calls = []
    read_grids = data._read_grids

    def spy(directory, *args):
        calls.append(directory)
        return read_grids(directory, *args)

    monkeypatch.setattr(data, "_read_grids", spy)
    return calls


def assert_same_frame(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for column in a.columns:
        if a[column].dtype == object:  # None is not NaN, 1 is not 1.0, True is not 1
            assert list(map(type, a[column])) == list(map(type, b[column])), column
            assert repr(list(a[column])) == repr(list(b[column])), column


def assert_same_dataset(a: data.Dataset, b: data.Dataset) -> None:
    assert repr(dict(a.reports)) == repr(dict(b.reports))  # the order and the types too
    assert list(a.grids.items()) == list(b.grids.items())
    for name in ("models", "metrics", "results", "conflicts"):
        assert_same_frame(getattr(a, name), getattr(b, name))
    assert a.version == b.version and a.directory == b.directory
    assert list(a.frames) == list(b.frames) == list(a.grids)
    for slug in a.grids:
        for name in FRAME_FIELDS:
            assert_same_frame(getattr(a.frames[slug], name), getattr(b.frames[slug], name))


def rglob_version(directory: Path) -> str:
    """The data version as it was computed before there were snapshots."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# --- Written, and used when fresh ----------------------------------------------------------


def test_validate_writes_the_snapshot_keyed_by_the_files_and_the_code(fresh):
    version = rglob_version(fresh)
    assert release(fresh) == ""
    manifest = json.loads((fresh / ".snapshot/manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == snapshot.SNAPSHOT_FORMAT
    assert manifest["key"] == snapshot.key(data.data_digest(fresh))
    assert manifest["version"] == version
    for name in snapshot.FILES:
        blob = (fresh / ".snapshot" / name).read_bytes()
        assert manifest["files"][name] == hashlib.sha256(blob).hexdigest()
    names = {p.name for p in (fresh / ".snapshot").iterdir()}
    assert {*snapshot.FILES, "manifest.json"} <= names
    assert not [name for name in names if name.endswith(".part")]  # none left half written


def test_the_snapshot_does_not_change_the_data_version(fresh):
    """The version hashes the data files, as it always did; the snapshot is not one of them."""
    version = rglob_version(fresh)
    assert load(fresh).version == version
    assert release(fresh) == ""
    assert load(fresh).version == load(fresh, snapshot=False).version == version
    assert load(DATA_DIR).version == load(DATA_DIR, snapshot=False).version == version
    assert rglob_version(fresh) != version  # the snapshot is there, but is no data


def test_a_fresh_snapshot_is_used_without_validating(released, validations):
    ds = load(released)
    assert validations == []
    assert len(ds.grids) == 17 and len(ds.results) == 952 and len(ds.conflicts) == 14
    load(released, snapshot=False)
    assert validations == [released]


def test_the_snapshot_dataset_equals_the_validated_one(released, validations):
    from_snapshot = load(released)
    assert validations == []
    validated = load(released, snapshot=False)
    assert validations == [released]
    assert_same_dataset(from_snapshot, validated)


def test_the_snapshot_holds_every_type_of_value(released):
    """Numbers, YYYY-MM dates, booleans and not reported in `raw`; pages as int or None."""
    ds = load(released)
    kinds = ds.results["metric"].map(ds.metrics["type"])
    assert {(kind, type(raw)) for kind, raw in zip(kinds, ds.results["raw"], strict=True)} == {
        ("number", float), ("number", type(None)), ("date", str), ("boolean", bool)}
    assert {type(p) for p in ds.results["page"]} == {int, type(None)}
    assert {type(n) for n in ds.results["note"]} == {str, type(None)}
    assert {type(v) for v in ds.metrics["higher_is_better"]} == {bool, type(None)}
    assert ds.results["row"].dtype == "int64" and ds.results["bold"].dtype == bool


def test_validate_succeeds_when_the_snapshot_cannot_be_written(fresh):
    (fresh / ".snapshot").write_text("not a folder", encoding="utf-8")
    stderr = release(fresh)
    assert stderr.startswith("snapshot not written (start-up will validate every file): ")
    assert len(stderr.splitlines()) == 1 and "File exists" in stderr
    assert len(load(fresh).grids) == 17


def test_validate_says_why_a_snapshot_is_not_written(fresh, monkeypatch):
    def read_only(path, blob):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(snapshot, "_replace", read_only)
    stderr = release(fresh)
    assert "snapshot not written" in stderr and "Permission denied" in stderr


# --- Ignored when any data file changed ----------------------------------------------------


def edit_cell(directory: Path) -> None:
    path = directory / "grids/r1-distilled.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("GPT-4o-0513,AIME 2024 pass@1,9.3,9.3",
                                 "GPT-4o-0513,AIME 2024 pass@1,9.4,9.4"), encoding="utf-8")


def edit_title(directory: Path) -> None:
    path = directory / "grids/r1-distilled.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: DeepSeek 蒸馏小模型", "title: 蒸馏小模型"), encoding="utf-8")


def add_grid(directory: Path) -> None:
    for suffix in (".yaml", ".csv"):
        shutil.copy(directory / f"grids/v3-readme-open-ended{suffix}",
                    directory / f"grids/v3-readme-open-ended-again{suffix}")


def add_file(directory: Path) -> None:
    (directory / "NOTES.txt").write_text("a file that is no grid", encoding="utf-8")


def delete_grid(directory: Path) -> None:
    for suffix in (".yaml", ".csv"):
        (directory / f"grids/v3-readme-open-ended{suffix}").unlink()


CHANGES = {
    "a cell": (edit_cell, lambda ds: ds.frames["r1-distilled"].printed.at[
        "gpt-4o-0513", "aime-2024-pass1"] == "9.4"),
    "a title": (edit_title, lambda ds: ds.grids["r1-distilled"].title.startswith("蒸馏小模型")),
    "a grid added": (add_grid, lambda ds: "v3-readme-open-ended-again" in ds.frames),
    "a file added": (add_file, lambda ds: len(ds.grids) == 17),
    "a grid deleted": (delete_grid, lambda ds: "v3-readme-open-ended" not in ds.grids),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_snapshot_of_other_files_is_ignored(released, validations, change):
    make_change, seen = CHANGES[change]
    before = load(released)
    make_change(released)
    ds = load(released)
    assert validations == [released]
    assert seen(ds) and ds.version != before.version
    assert_same_dataset(ds, load(released, snapshot=False))


def test_a_broken_file_is_reported_though_a_snapshot_exists(released):
    path = released / "grids/r1-distilled.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("GPT-4o-0513,AIME 2024 pass@1,9.3,9.3",
                                 "GPT-4o-0513,AIME 2024 pass@1,9.3,abc"), encoding="utf-8")
    with pytest.raises(DataError, match=f"{path}:2: value: 'abc': Not a valid number"):
        load(released)


def test_a_snapshot_of_other_code_is_ignored(released, validations, monkeypatch):
    monkeypatch.setattr(snapshot, "code_key", lambda: "the validation code changed")
    load(released)
    assert validations == [released]


# --- Never trusted without its hash --------------------------------------------------------


def tamper_results(where: Path) -> None:
    """Rewrite results.parquet as a valid file with other numbers; the manifest says nothing."""
    results = snapshot._read_parquet((where / "results.parquet").read_bytes())
    results["value"] = results["value"] + 1
    (where / "results.parquet").write_bytes(snapshot._parquet(snapshot._table(results)))


def flip_a_byte(where: Path) -> None:
    blob = bytearray((where / "dataset.json").read_bytes())
    blob[len(blob) // 2] ^= 1
    (where / "dataset.json").write_bytes(bytes(blob))


def wrong_key(where: Path) -> None:
    manifest = json.loads((where / "manifest.json").read_text(encoding="utf-8"))
    manifest["key"] = hashlib.sha256(b"other files").hexdigest()
    (where / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def truncate_manifest(where: Path) -> None:
    text = (where / "manifest.json").read_text(encoding="utf-8")
    (where / "manifest.json").write_text(text[:len(text) // 2], encoding="utf-8")


TAMPERING = {
    "results rewritten": tamper_results,
    "a byte flipped": flip_a_byte,
    "a file missing": lambda where: (where / "rows.parquet").unlink(),
    "a wrong key": wrong_key,
    "a truncated manifest": truncate_manifest,
    "a garbage manifest": lambda where: (where / "manifest.json").write_bytes(b"\xff\x00garbage"),
    "a manifest of another shape": lambda where: (where / "manifest.json").write_text("[1, 2]"),
    "no manifest": lambda where: (where / "manifest.json").unlink(),
}


@pytest.mark.parametrize("tamper", TAMPERING)
def test_a_snapshot_not_matching_its_hashes_is_ignored(released, validations, tamper):
    TAMPERING[tamper](released / ".snapshot")
    ds = load(released)
    assert validations == [released]
    assert_same_dataset(ds, load(released, snapshot=False))


def test_a_rewritten_snapshot_with_its_manifest_updated_is_read_as_written(released):
    """What the hash guards against is a snapshot that is not the one written, not a forgery;
    one written by validate again after a change replaces the old one whole."""
    edit_cell(released)
    release(released)
    ds = load(released)
    assert ds.frames["r1-distilled"].printed.at["gpt-4o-0513", "aime-2024-pass1"] == "9.4"
    assert_same_dataset(ds, load(released, snapshot=False))


# --- Lazy grid frames ----------------------------------------------------------------------


def test_lazy_frames_equal_the_eager_ones_for_every_grid(dataset):
    eager = all_grid_frames(dataset.results, dataset.grids.values())
    assert list(eager) == list(dataset.frames) == list(dataset.grids)
    for slug, frames in eager.items():
        for name in FRAME_FIELDS:
            assert_same_frame(getattr(dataset.frames[slug], name), getattr(frames, name))


def test_grid_frames_are_a_read_only_mapping_built_when_asked():
    ds = load(DATA_DIR, snapshot=False)
    frames = ds.frames
    assert len(frames) == 17 and list(frames) == list(ds.grids)
    assert "r1-distilled" in frames and "nowhere" not in frames and 3 not in frames
    assert frames.get("nowhere") is None
    with pytest.raises(KeyError):
        frames["nowhere"]
    first = frames["r1-distilled"]
    assert frames["r1-distilled"] is first and frames.get("r1-distilled") is first
    assert [slug for slug, _ in frames.items()] == list(ds.grids)
    assert all(isinstance(f, data.GridFrames) for f in frames.values())
    with pytest.raises(TypeError):
        frames["r1-distilled"] = first  # type: ignore[index]


def test_a_cell_changed_behind_a_linked_folder_is_seen(fresh, tmp_path):
    """grids/ kept elsewhere and linked in: its files are hashed through the link, so a changed
    cell makes another version and the snapshot is not read."""
    kept = tmp_path / "kept-grids"
    shutil.move(fresh / "grids", kept)
    (fresh / "grids").symlink_to(kept, target_is_directory=True)
    release(fresh)
    before = load(fresh)
    edit_cell(fresh)
    ds = load(fresh)
    assert ds.version != before.version
    assert ds.frames["r1-distilled"].printed.at["gpt-4o-0513", "aime-2024-pass1"] == "9.4"


def test_a_folder_linked_into_itself_is_read_once(fresh):
    (fresh / "grids" / "loop").symlink_to(fresh, target_is_directory=True)
    assert load(fresh).version == load(fresh, snapshot=False).version


def test_a_snapshot_read_with_other_libraries_is_ignored(released, validations, monkeypatch):
    """An upgrade of pandas or pyarrow may read or type the same files otherwise."""
    version = snapshot.metadata.version
    snapshot.code_key.cache_clear()
    try:
        with monkeypatch.context() as m:
            m.setattr(snapshot.metadata, "version",
                      lambda name: "0.0" if name == "pyarrow" else version(name))
            load(released)
    finally:
        snapshot.code_key.cache_clear()
    assert validations == [released]
