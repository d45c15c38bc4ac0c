"""Real servers for the browser and fault tests: gunicorn on a free loopback port."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from leaderboard import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def procfile_command(port: int, workers: int) -> list[str]:
    """The Procfile's `web:` line as an argv: this interpreter's gunicorn, on a loopback port."""
    web = next(line.split(": ", 1)[1] for line in (ROOT / "Procfile").read_text().splitlines()
               if line.startswith("web: "))
    web = web.replace("${WEB_CONCURRENCY:-2}", str(workers))
    web = web.replace("0.0.0.0:$PORT", f"127.0.0.1:{port}")
    argv = shlex.split(web)
    if argv[0] != "gunicorn" or "$" in web:
        raise ValueError(f"Procfile web line not understood: {web}")
    return [sys.executable, "-m", "gunicorn", *argv[1:]]


class Gunicorn:
    """The Procfile's `web:` command on a data directory, bound to a free loopback port.

    It runs from the project root, so gunicorn reads gunicorn.conf.py there as in a deploy.
    `args` are extra gunicorn options (e.g. `--worker-class sync`), put before the app.
    """

    def __init__(self, data_dir: Path, workers: int = 2, env: dict[str, str] | None = None,
                 args: tuple[str, ...] | list[str] = ()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, **(env or {}), "LEADERBOARD_DATA_DIR": str(data_dir)}
        command = procfile_command(self.port, workers)
        self.command = [*command[:-1], *args, command[-1]]
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        # Read the log as it comes: a full pipe would stop gunicorn in the middle of a write.
        self._log: list[bytes] = []
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()

    def _read_log(self) -> None:
        for line in self.process.stdout:
            self._log.append(line)

    def wait(self, timeout: float = 60.0) -> Gunicorn:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited {self.process.returncode}: {self.output()}")
            try:
                if get(self.url + "/api/grids", timeout=2)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"gunicorn did not answer on {self.url}")

    def workers(self) -> set[int]:
        """The pids of the worker processes (children of the master)."""
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return {int(pid) for pid in out.stdout.split()}

    def output(self) -> str:
        """What gunicorn printed so far (all of it once the process has ended)."""
        if self.process.poll() is not None:
            self._reader.join(timeout=5)
        return b"".join(self._log).decode(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._reader.join(timeout=5)
        if self.process.stdout:
            self.process.stdout.close()


class SlowClients(threading.Thread):
    """`count` sockets that send a request's headers one byte every `every` seconds, never ending.

    Each sends `GET /api/grids HTTP/1.1` and then a header a byte at a time; one the server closes
    (or answers) is opened again at once. One thread drives them all; it stops after `seconds` or
    at stop(), closing every socket. Loopback only: `port` is on 127.0.0.1.
    """

    HEADER = b"X-Slow: " + b"a" * 4000  # never finished: no CRLF CRLF within any test's time

    def __init__(self, port: int, count: int = 200, every: float = 2.0, seconds: float = 60.0):
        super().__init__(daemon=True)
        self.port, self.count, self.every, self.seconds = port, count, every, seconds
        self.opened = 0  # connections made
        self.closed_by_server = 0  # times the server closed (or answered) one
        self.failed_connects = 0
        self.open_now = 0
        self._halt = threading.Event()

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)

    def _connect(self) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
            sock.sendall(b"GET /api/grids HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            sock.setblocking(False)  # one byte at a time never blocks; recv must not either
        except OSError:
            self.failed_connects += 1
            return None
        self.opened += 1
        return sock

    @staticmethod
    def _still_open(sock: socket.socket) -> bool:
        try:
            sock.recv(1, socket.MSG_DONTWAIT | socket.MSG_PEEK)
        except BlockingIOError:
            return True  # nothing to read: the server is still waiting for the headers
        except OSError:
            return False
        return False  # b"": closed; bytes: the server answered (400, 408...) and is done with it

    def run(self) -> None:
        deadline = time.monotonic() + self.seconds
        start = time.monotonic()
        # Spread the sockets' bytes over one interval, not all at the same instant.
        due = [start + self.every * i / self.count for i in range(self.count)]
        socks: list[socket.socket | None] = [None] * self.count
        sent = [0] * self.count
        try:
            while not self._halt.is_set() and time.monotonic() < deadline:
                now = time.monotonic()
                for i in range(self.count):
                    if due[i] > now:
                        continue
                    sock = socks[i]
                    if sock is not None and not self._still_open(sock):
                        self.closed_by_server += 1
                        sock.close()
                        sock = None
                    if sock is None:
                        sock, sent[i] = self._connect(), 0
                    elif sent[i] < len(self.HEADER):
                        try:
                            sock.send(self.HEADER[sent[i]:sent[i] + 1])
                            sent[i] += 1
                        except OSError:
                            self.closed_by_server += 1
                            sock.close()
                            sock = None
                    socks[i] = sock
                    due[i] = now + self.every
                self.open_now = sum(s is not None for s in socks)
                self._halt.wait(max(0.0, min(min(due) - time.monotonic(), 0.05)))
        finally:
            for sock in socks:
                if sock is not None:
                    sock.close()
            self.open_now = 0


def probe(url: str, seconds: float, every: float = 1.0,
          timeout: float = 10.0) -> list[tuple[float, int | str, float]]:
    """GET `url` every `every` seconds for `seconds`, each in its own thread (a slow answer does
    not delay the next probe). Returns (start offset, status or error name, latency) per probe."""
    results: list[tuple[float, int | str, float]] = []
    lock = threading.Lock()
    start = time.monotonic()

    def one(offset: float) -> None:
        began = time.monotonic()
        try:
            status: int | str = get(url, timeout=timeout)[0]
        except OSError as e:
            status = type(e).__name__
        with lock:
            results.append((offset, status, time.monotonic() - began))

    threads = []
    for i in range(int(seconds / every)):
        time.sleep(max(0.0, start + i * every - time.monotonic()))
        thread = threading.Thread(target=one, args=(time.monotonic() - start,), daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(timeout=timeout + 5)
    return sorted(results)
