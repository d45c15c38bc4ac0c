"""Faults: broken data stops the start; a killed worker does not stop the service."""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from live import Gunicorn, get

from leaderboard import ROOT

DATA = ROOT / "data" / "benchmarks"


def start_and_wait_for_exit(data_dir, timeout=60):
    live = Gunicorn(data_dir)
    try:
        code = live.process.wait(timeout=timeout)
        return code, live.output()
    finally:
        live.stop()


def test_procfile_runs_gunicorn_on_port_and_validates_on_release():
    lines = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines()
                 if line and not line.startswith("#"))
    assert lines["release"] == "leaderboard validate"
    assert "gunicorn --preload" in lines["web"] and "0.0.0.0:$PORT" in lines["web"]
    assert "'leaderboard:create_app()'" in lines["web"] and "--timeout 30" in lines["web"]


def test_invalid_data_stops_the_start_with_the_messages(tmp_path):
    data = tmp_path / "benchmarks"
    shutil.copytree(DATA, data)
    path = data / "metrics.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "unit: Elo rating, higher_is_better: true, ", "unit: Elo rating, "), encoding="utf-8")
    code, output = start_and_wait_for_exit(data)
    assert code != 0
    assert f"{path}:29: higher_is_better: Missing data for required field." in output
    release = subprocess.run([sys.executable, "-m", "leaderboard.cli", "validate", str(data)],
                             capture_output=True, text=True, cwd=ROOT)
    assert release.returncode == 1 and "higher_is_better" in release.stderr


@pytest.mark.parametrize("break_it", ["missing directory", "unreadable file"])
def test_unreadable_data_stops_the_start(tmp_path, break_it):
    data = tmp_path / "benchmarks"
    if break_it == "unreadable file":
        shutil.copytree(DATA, data)
        (data / "models.yaml").unlink()
        (data / "models.yaml").mkdir()  # a file that cannot be read, even by root
    code, output = start_and_wait_for_exit(data)
    assert code != 0
    expected = "cannot be read" if break_it == "unreadable file" else "does not exist"
    assert expected in output


def test_a_killed_worker_does_not_stop_the_service():
    live = Gunicorn(DATA, workers=2).wait()
    try:
        urls = ["/grids/r1-vs-frontier?sort=aime-2024-pass1", "/api/grids/r1-distilled",
                "/grids/r1-distilled.csv?baseline=o1-mini", "/charts/r1-distilled/heatmap.json"]
        before = live.workers()
        assert len(before) == 2
        statuses, killed = [], None
        deadline = time.monotonic() + 60
        for i in range(400):
            if i == 100:
                killed = sorted(before)[0]
                os.kill(killed, signal.SIGKILL)
            statuses.append(get(live.url + urls[i % len(urls)], timeout=10)[0])
            assert time.monotonic() < deadline
        after = live.workers()
        assert statuses.count(200) == len(statuses) == 400
        assert killed not in after and len(after) == 2  # the master started a new worker
    finally:
        live.stop()
