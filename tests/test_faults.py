"""Faults: broken data stops the start; a killed worker or slow clients do not stop the service."""

import http.client
import os
import runpy
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest
from live import Gunicorn, SlowClients, get, probe

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
    assert lines["web"].startswith("gunicorn --config gunicorn.conf.py --preload --workers ")
    assert "0.0.0.0:$PORT" in lines["web"] and "'leaderboard:create_app()'" in lines["web"]
    # The worker model is in gunicorn.conf.py, for the Procfile and `make run` alike.
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["worker_class"] == "gevent" and conf["timeout"] == 30
    assert conf["keepalive"] > 0  # the gevent worker's time limit for reading a request's headers
    run = next(line for line in (ROOT / "Makefile").read_text().splitlines()
               if "gunicorn" in line and "--bind" in line)
    assert "gunicorn --config gunicorn.conf.py --preload --workers $(WORKERS) --bind 127.0.0.1:$(PORT) 'leaderboard:create_app()'" in run


def test_invalid_data_stops_the_start_with_the_messages(tmp_path):
    data = tmp_path / "benchmarks"
    shutil.copytree(DATA, data)
    path = data / "metrics.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "unit: Elo rating, higher_is_better: true, ", "unit: Elo rating, "), encoding="utf-8")
    code, output = start_and_wait_for_exit(data)
    assert code != 0
    assert f"{path}:32: higher_is_better: Missing data for required field." in output
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


URLS = ["/grids/r1-vs-frontier?sort=aime-2024-pass1", "/api/grids/r1-distilled",
        "/grids/r1-distilled.csv?baseline=o1-mini", "/charts/r1-distilled/heatmap.json"]


def test_slow_clients_do_not_stop_the_service():
    """200 sockets sending their headers a byte every 2 s; a probe every second answers in < 1 s.

    With sync workers (the old Procfile) every probe timed out: each worker sat on one slow socket.
    The gevent worker holds each in a greenlet and closes it when its headers are not in after 5 s.
    """
    live = Gunicorn(DATA).wait()
    slow = SlowClients(live.port, count=200, every=2.0, seconds=40)
    try:
        slow.start()
        time.sleep(2)
        results = probe(live.url + "/api/grids", seconds=10, every=1.0, timeout=3)
    finally:
        try:
            slow.stop()
        finally:
            live.stop()
    assert slow.opened >= 200 and slow.failed_connects == 0
    assert len(results) == 10
    assert [r for r in results if r[1] != 200 or r[2] >= 1.0] == []
    assert slow.closed_by_server >= 200  # every slow socket was cut off at least once (5 s)


class Client(threading.Thread):
    """Requests one after another until stopped; keeps (start, end, status or error) of each."""

    def __init__(self, url: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.url, self.stop, self.requests = url, stop, []

    def run(self):
        for i in range(100_000):
            if self.stop.is_set():
                return
            started = time.monotonic()
            try:
                status = get(self.url + URLS[i % len(URLS)], timeout=10)[0]
            except (OSError, http.client.HTTPException) as e:
                status = type(e).__name__
            self.requests.append((started, time.monotonic(), status))


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_killed_worker_loses_only_the_requests_it_was_serving(sig):
    """Four clients at once; one worker is sent SIGKILL (or SIGTERM) in the middle.

    SIGKILL: the requests that worker was serving at that instant are lost (the clients see the
    connection closed), at most one per client, never one started after the kill; the master
    starts a new worker and everything after is answered. SIGTERM: the worker finishes what it
    is serving and nothing is lost.
    """
    live = Gunicorn(DATA, workers=2).wait()
    stop = threading.Event()
    clients = [Client(live.url, stop) for _ in range(4)]
    try:
        before = live.workers()
        assert len(before) == 2
        for client in clients:
            client.start()
        time.sleep(1.5)
        killed = sorted(before)[0]
        killed_at = time.monotonic()
        os.kill(killed, sig)
        deadline = killed_at + 30
        while not ((after := live.workers()) - before and killed not in after):
            assert time.monotonic() < deadline, "the master did not replace the worker"
            time.sleep(0.1)
        replaced_in = time.monotonic() - killed_at
        time.sleep(1.5)  # requests to the new worker too
    finally:
        stop.set()
        try:
            for client in clients:
                client.join(timeout=15)
        finally:
            live.stop()
    requests = [r for client in clients for r in client.requests]
    failed = [r for r in requests if r[2] != 200]
    in_flight = [r for r in requests if r[0] < killed_at < r[1]]
    print(f"{sig.name}: {len(requests)} requests, {len(in_flight)} in flight at the kill, "
          f"{len(failed)} failed: {[r[2] for r in failed]}; new worker after {replaced_in:.1f} s")
    assert len(after) == 2 and killed not in after
    assert len(requests) > 40 and all(r[0] < killed_at for r in failed)
    assert len(failed) <= len(clients)
    if sig == signal.SIGTERM:
        assert failed == []
    else:  # README says what a killed worker really loses (it said: nothing)
        deployment = (ROOT / "README.md").read_text().split("## Deployment", 1)[1]
        deployment = " ".join(deployment.split("\n## ", 1)[0].split())
        assert "400 answered 200" not in deployment
        assert "the requests it is serving at that instant are lost" in deployment
