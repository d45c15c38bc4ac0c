"""The package installs: a wheel of the working tree, in a fresh venv, serves every kind of page
from inside the installed package (templates, static files, bundled data)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from leaderboard import ROOT

GRID = "r1-vs-frontier"
URLS = ("/", f"/grids/{GRID}", f"/charts/{GRID}/heatmap.svg", "/static/style.css", "/api/grids")

# Run by the venv's interpreter, from outside the repository: what it imports and serves.
SERVE = f"""
import json, leaderboard
app = leaderboard.create_app()
client = app.test_client()
answers = {{url: client.get(url) for url in {URLS!r}}}
print(json.dumps({{
    "file": leaderboard.__file__,
    "data_dir": app.config["DATA_DIR"],
    "templates": app.jinja_loader.searchpath,
    "answers": {{url: [r.status_code, r.mimetype, r.get_data(as_text=True)]
                for url, r in answers.items()}},
}}))
"""


def run(*argv, **kwargs) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, **kwargs)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def fresh_clone(target: Path) -> Path:
    """The working tree's files as a clone would hold them: those git tracks or would track."""
    names = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, names.split("\0")):
        if (ROOT / name).is_file():  # a tracked file deleted in the working tree is not listed
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def installed(tmp_path: Path) -> Path:
    """A fresh venv with the package installed from its wheel (not editable); the dependencies
    are this venv's, reached through a .pth written after the install, so nothing is downloaded
    and pip never sees this venv's editable install."""
    source = fresh_clone(tmp_path / "clone")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "--wheel-dir", str(tmp_path / "wheels"), str(source))
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
        "--no-index", *map(str, (tmp_path / "wheels").glob("*.whl")))
    site = Path(run(str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
                .strip())
    ours = Path(run(sys.executable, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
                .strip())
    (site / "dependencies.pth").write_text(f"{ours}\n")  # after the venv's own site-packages
    return python


def test_an_installed_wheel_serves_pages_static_files_charts_and_the_api(tmp_path, dataset):
    python = installed(tmp_path)
    venv = python.parent.parent
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "LEADERBOARD_"))}  # the bundled data, not a test's
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    # -I: neither the current directory nor PYTHONPATH on sys.path, only the venv's packages.
    got = json.loads(run(str(python), "-I", "-c", SERVE, cwd=outside, env=env))

    package = Path(got["file"]).parent
    assert package.is_relative_to(venv) and package.name == "leaderboard"
    assert Path(got["data_dir"]) == package / "benchmarks"
    assert [Path(p) for p in got["templates"]] == [package / "templates"]
    answers = got["answers"]
    assert {url: status for url, (status, _, _) in answers.items()} == dict.fromkeys(URLS, 200)
    _, mimetype, page = answers[f"/grids/{GRID}"]
    assert mimetype == "text/html" and f"<h1>{dataset.grids[GRID].title_en}</h1>" in page
    _, mimetype, index = answers["/"]
    assert mimetype == "text/html" and f'href="/grids/{GRID}"' in index
    _, mimetype, svg = answers[f"/charts/{GRID}/heatmap.svg"]
    assert mimetype == "image/svg+xml" and svg.lstrip().startswith("<svg")
    _, mimetype, css = answers["/static/style.css"]
    assert mimetype == "text/css" and css == (ROOT / "leaderboard" / "static" / "style.css").read_text()
    _, mimetype, listing = answers["/api/grids"]
    assert mimetype == "application/json" and GRID in {g["slug"] for g in json.loads(listing)}
