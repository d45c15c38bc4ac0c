import shutil
from pathlib import Path

import pytest

from leaderboard import ROOT, create_app
from leaderboard.data import load

DATA_DIR = ROOT / "data" / "benchmarks"


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
