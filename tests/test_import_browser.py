"""The /import page in real Chromium (Debian's, driven by Playwright) against real gunicorn:
paste, review, download the zip; phone and desktop, light and dark, under the CSP.

Screenshots go to artifacts/screenshots/import-*.png.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from live import Gunicorn
from playwright.sync_api import Page, expect
from test_browser import Watch

from leaderboard import ROOT

# The registries of the report's grids alone (as tests/test_import_page.py): 图4 pasted is
# matched label for label, as a report's own table is.
DATA = ROOT / "tests" / "fixtures" / "report-data"
SHOTS = ROOT / "artifacts" / "screenshots"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_c5f04168c3128190.txt"
V3_BASE = SHARED / "sources" / "deepseek-ai_DeepSeek-V3__1.md"
# Record every Content-Security-Policy violation the page causes (an init script runs outside
# the page's CSP, so recording needs no inline script).
RECORD_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def fig4() -> str:
    """The report's 图4 as printed: the caption line, the table, the source line."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("图4:"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("资料来源"))
    return "\n".join(lines[start:end + 1]) + "\n"


@pytest.fixture(scope="module")
def server():
    live = Gunicorn(DATA).wait()
    yield live
    live.stop()


def open_page(browser, server, width: int = 1400, scheme: str = "light") -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme=scheme, accept_downloads=True)
    context.add_init_script(RECORD_CSP)
    page = context.new_page()
    page.watch = Watch(page, (server.url,))
    return page


def assert_clean(page: Page) -> None:
    page.watch.assert_clean()
    assert page.evaluate("window.__csp") == []


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"import-{name}.png"), full_page=True)


def test_paste_review_and_download_the_zip(browser, server, tmp_path):
    page = open_page(browser, server)
    page.goto(server.url + "/")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Import").click()
    expect(page.locator("h1")).to_have_text("Import a published table")
    page.get_by_label("Paste a table").fill(fig4())
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#summary")).to_have_text(
        "The pasted text: 1 table found, 1 imported")
    grid = page.locator("table.import-grid")
    expect(grid.locator("tbody tr")).to_have_count(10)
    expect(grid.locator("thead th.num")).to_have_count(6)
    expect(grid.locator(".badge.matched")).to_have_count(16)
    row = grid.locator("tbody tr", has_text="GPT-4o-0513")
    expect(row.locator("td").last).to_have_text("759.0")
    expect(page.locator("figcaption.source-line")).to_have_text("资料来源: DeepSeek 官网, 中国银河证券研究院")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download the files (zip)").click()
    download = info.value
    assert download.suggested_filename == "pasted-import.zip"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    # The same text as a file named as the page names a pasted text, through the command.
    (tmp_path / "pasted").write_text(fig4(), encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "leaderboard.cli", "import", "pasted", "--out",
                           out, "--data", DATA], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    written = [Path(line.split(" ", 1)[1]).name for line in done.stdout.splitlines()
               if line.startswith("wrote ")]
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == written == [
            "pasted-fig-4.yaml", "pasted-fig-4.csv", "models.yaml", "metrics.yaml",
            "reports.yaml"]
        for name in written:
            assert archive.read(name) == (out / name).read_bytes(), name
    assert_clean(page)
    page.context.close()


@pytest.mark.parametrize("width", [390, 1400])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_review_looks_right_on_phone_and_desktop(browser, server, width, scheme):
    """The base-model table (4 models × 32 metrics, an ambiguous label) is wider than a phone:
    it scrolls inside its box; the page itself never gets wider than the screen."""
    page = open_page(browser, server, width, scheme)
    page.goto(server.url + "/import")
    if width == 390:
        shoot(page, f"form-{width}-{scheme}")
    page.locator("#i-file").set_input_files(str(V3_BASE))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#summary")).to_contain_text("1 table found, 1 imported")
    expect(page.locator("table.import-grid th.model", has_text="DeepSeek-V3")
           .locator(".badge")).to_have_text("ambiguous")
    expect(page.locator(".labels-list tr.ambiguous a", has_text="deepseek-v3").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = page.locator("figure.table-wrap .scroll").first
    if width == 390:
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(20, 23, 27)") == (scheme == "dark")
    shoot(page, f"review-{width}-{scheme}")
    assert_clean(page)
    page.context.close()


def test_upload_errors_show_the_reason(browser, server, tmp_path):
    page = open_page(browser, server, 390)
    page.goto(server.url + "/import")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".import-error")).to_have_text("Paste a table or choose a file.")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 40)
    page.locator("#i-file").set_input_files(str(junk))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".import-error")).to_contain_text("junk.bin: this is not a text file")
    shoot(page, "error-390-light")
    # The console reports the 400 answers as failed loads; nothing else may be there.
    page.watch.errors = [e for e in page.watch.errors if "400" not in e]
    assert_clean(page)
    page.context.close()


def test_a_50_mb_upload_is_refused_before_it_is_sent(server):
    """gunicorn answers 413 from the headers alone: the 50 MB never need to arrive."""
    body_size = 50 * 1024 * 1024
    began = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"POST /import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: multipart/form-data; boundary=x\r\n"
                     + f"Content-Length: {body_size}\r\n\r\n".encode() + b"--x\r\n")
        answer = b""
        while b"</html>" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert time.monotonic() - began < 3
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert "larger than 2 MB" in body.decode("utf-8")


def test_a_file_over_the_limit_gets_a_page_that_says_so(browser, server, tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(b"model,score\n" + b"x,1\n" * (3 * 1024 * 1024 // 4))
    page = open_page(browser, server, 390)
    page.goto(server.url + "/import")
    page.locator("#i-file").set_input_files(str(big))
    began = time.monotonic()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("h1")).to_contain_text("413")
    assert time.monotonic() - began < 5
    expect(page.locator(".error-message")).to_contain_text("larger than 2 MB")
    shoot(page, "too-large-390-light")
    page.watch.errors = [e for e in page.watch.errors if "413" not in e]
    assert_clean(page)
    page.context.close()
