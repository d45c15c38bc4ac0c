import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from leaderboard import ROOT, create_app
from leaderboard.data import load

DATA_DIR = ROOT / "data" / "benchmarks"

# The property-based tests draw the same examples on every run of the suite, so CI is
# reproducible; `make fuzz` draws fresh ones, many more, to look for new failures.
_QUIET = {"deadline": None, "suppress_health_check": list(HealthCheck)}
settings.register_profile("default", max_examples=30, derandomize=True, **_QUIET)
settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", 1000)), **_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def dataset():
    return load(DATA_DIR)


@pytest.fixture(scope="session")
def app():
    return create_app({"TESTING": True, "DATA_DIR": str(DATA_DIR)})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the bundled data directory, for breaking on purpose."""
    target = tmp_path / "benchmarks"
    shutil.copytree(DATA_DIR, target)
    return target


def soup(response):
    """Parse an HTML response."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def grid_rows(page):
    """Return the grid table's rows as (rank, model label, [cell texts])."""
    out = []
    for tr in page.select("table.grid tbody tr"):
        rank = tr.select_one("td.rank")
        label = tr.select_one("th.model a").get_text().strip()
        cells = [td for td in tr.select("td.num") if "rank" not in td["class"]]
        out.append((rank.get_text(strip=True) if rank else None, label, cells))
    return out


CHARTS_DRAWN = """() => [...document.querySelectorAll('.vega-chart')].every(
    n => n.querySelector('svg') || n.classList.contains('chart-error'))"""


def draw_charts(page, timeout: float = 20_000) -> None:
    """Bring every chart of the page near the screen, as a reader scrolling down does (a chart
    is drawn as it comes near), wait until all are drawn, and go back to the top."""
    charts = page.locator(".vega-chart")
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
    page.wait_for_function(CHARTS_DRAWN, timeout=timeout)
    page.evaluate("() => window.scrollTo(0, 0)")


def label_of(link):
    """A sort link's label, without its cue (↕ ▲ ▼) and spoken action."""
    return "".join(s for s in link.find_all(string=True)
                   if not s.find_parent(class_=["sr", "sort-cue"])).strip()


def printed(td):
    """The value a cell shows, without its marks and diff."""
    strong = td.find("strong")
    if strong:
        return strong.get_text(strip=True)
    text = ""  # the text before the first mark, runs in the other language (<span lang>) included
    for node in td.children:
        if getattr(node, "name", None) is None:
            text += str(node)
        elif node.name == "span" and node.get("lang") in ("zh", "en"):
            text += node.get_text()
        else:
            break
    return text.strip() or td.get_text(strip=True)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module (tests/live.py: CHROMIUM)."""
    from live import CHROMIUM, FLAGS
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install chromium (the browser tests need it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
