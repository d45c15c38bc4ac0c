"""The whole-dataset downloads `leaderboard validate` writes: sent as files when they are those
of these data and this code, byte for byte as the manifest says; built on request otherwise,
with the same content."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from leaderboard import create_app, downloads, exports
from leaderboard.cli import main

URLS = ("/downloads/all.csv", "/downloads/all.json", "/downloads/all.xlsx")


@pytest.fixture
def released(data_copy) -> Path:
    """A copy of the bundled data, validated as a release is: snapshot and downloads written."""
    shutil.rmtree(data_copy / ".snapshot", ignore_errors=True)
    result = CliRunner().invoke(main, ["validate", str(data_copy)])
    assert result.exit_code == 0, result.output
    return data_copy


def _client(directory: Path):
    return create_app({"TESTING": True, "DATA_DIR": str(directory)}).test_client()


@pytest.fixture
def unbuildable(monkeypatch):
    """Building a download on request fails the test: only a written file can be sent."""
    def refuse(*args, **kwargs):
        raise AssertionError("built on request")

    for name in ("all_long_csv", "all_json", "all_xlsx"):
        monkeypatch.setattr(exports, name, refuse)


def _workbook(body: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(body))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def _same(url: str, a: bytes, b: bytes) -> None:
    if url.endswith(".xlsx"):  # a workbook holds the time it was written: compare the cells
        assert _workbook(a) == _workbook(b)
    elif url.endswith(".json"):
        assert json.loads(a) == json.loads(b)
        assert a == b
    else:
        assert a == b


def test_validate_writes_every_download_with_a_manifest(released):
    client = _client(released)
    etag = client.application.extensions["etag"]
    folder = released / ".snapshot" / "downloads" / etag
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["etag"] == etag
    assert sorted(manifest["files"]) == ["all.csv", "all.json", "all.xlsx"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "all.csv", "all.json", "all.xlsx", "manifest.json"]


@pytest.mark.parametrize("url", URLS)
def test_a_written_download_is_sent_and_equals_one_built_on_request(released, url, monkeypatch):
    built = _client(released)
    shutil.rmtree(released / ".snapshot" / "downloads")
    on_request = built.get(url)
    assert on_request.status_code == 200
    _release_again(released)
    sent = _prebuilt_only(released, url, monkeypatch)
    assert sent.headers["Content-Disposition"] == on_request.headers["Content-Disposition"]
    assert sent.headers["Content-Type"] == on_request.headers["Content-Type"]
    assert sent.headers["X-Data-Version"] == on_request.headers["X-Data-Version"]
    manifest = json.loads(next((released / ".snapshot" / "downloads").glob("*/manifest.json"))
                          .read_text())
    name = url.rsplit("/", 1)[1]
    assert sent.headers["ETag"] == f'"{manifest["files"][name]}"'  # its bytes, not the version
    assert hashlib.sha256(sent.data).hexdigest() == manifest["files"][name]
    assert sent.headers["Cache-Control"] == on_request.headers["Cache-Control"]
    _same(url, sent.data, on_request.data)


def _release_again(directory: Path) -> None:
    assert CliRunner().invoke(main, ["validate", str(directory)]).exit_code == 0


def _prebuilt_only(directory: Path, url: str, monkeypatch):
    with monkeypatch.context() as m:
        for name in ("all_long_csv", "all_json", "all_xlsx"):
            m.setattr(exports, name, _refuse)
        response = _client(directory).get(url)
    response.get_data()
    response.close()
    assert response.status_code == 200
    return response


def _refuse(*args, **kwargs):
    raise AssertionError("built on request, not sent from the file validate wrote")


@pytest.mark.parametrize("url", URLS)
def test_a_written_download_answers_conditional_requests(released, url, monkeypatch):
    first = _prebuilt_only(released, url, monkeypatch)
    client = _client(released)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    again.close()
    assert again.status_code == 304
    assert again.data == b""
    part = client.get(url, headers={"Range": "bytes=0-9"})
    part.get_data()
    part.close()
    assert part.status_code == 206
    assert part.data == first.data[:10]


@pytest.mark.parametrize("url", URLS)
def test_an_altered_download_is_not_sent(released, url):
    client = _client(released)
    etag = client.application.extensions["etag"]
    path = released / ".snapshot" / "downloads" / etag / url.rsplit("/", 1)[1]
    original = path.read_bytes()
    path.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    downloads._CHECKED.clear()
    response = _client(released).get(url)
    assert response.status_code == 200
    _same(url, response.data, original)  # built again from the data, not the altered file


def test_downloads_of_other_data_are_not_sent(released):
    grid = next((released / "grids").glob("*.yaml"))
    grid.write_text(grid.read_text(encoding="utf-8").replace("title_en: ", "title_en: Changed ",
                                                             1), encoding="utf-8")
    client = _client(released)  # a new data version: a new ETag, so another folder
    etag = client.application.extensions["etag"]
    assert not (released / ".snapshot" / "downloads" / etag).exists()
    body = client.get("/downloads/all.json").get_json()
    assert any(g["title_en"].startswith("Changed ") for g in body["grids"])


def test_a_folder_without_its_manifest_is_not_sent(released):
    client = _client(released)
    etag = client.application.extensions["etag"]
    folder = released / ".snapshot" / "downloads" / etag
    csv = (folder / "all.csv").read_bytes()
    (folder / "all.csv").write_bytes(b"not the data\r\n")
    (folder / "manifest.json").unlink()
    downloads._CHECKED.clear()
    assert _client(released).get("/downloads/all.csv").data == csv


def test_validate_keeps_this_release_and_the_one_before(released):
    downloads_dir = released / ".snapshot" / "downloads"
    (current,) = list(downloads_dir.iterdir())
    for n, name in enumerate(("older", "old")):  # two earlier releases' folders
        (downloads_dir / name).mkdir()
        os.utime(downloads_dir / name, (1_000_000 + n, 1_000_000 + n))
    _release_again(released)
    assert sorted(p.name for p in downloads_dir.iterdir()) == sorted([current.name, "old"])


def test_a_download_removed_after_its_check_is_built(released):
    client = _client(released)
    first = client.get("/downloads/all.csv")  # checked and sent as the file
    first.get_data()
    first.close()
    assert first.status_code == 200
    etag = client.application.extensions["etag"]
    expected = (released / ".snapshot" / "downloads" / etag / "all.csv").read_bytes()
    shutil.rmtree(released / ".snapshot" / "downloads")
    response = client.get("/downloads/all.csv", headers={"Cache-Control": "no-cache"})
    assert response.status_code == 200
    assert response.data == expected
