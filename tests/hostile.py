"""A valid data directory whose text is hostile: markup, script URLs, formulas, RTL overrides
and 10,000-character strings. Every page, chart and download must render it inertly."""

import shutil
from pathlib import Path

SCRIPT = '<script>alert("name")</script>"><img src=x onerror=alert(1)>'
LABEL = '"><svg onload=alert(3)>QwQ'
FORMULA = '=HYPERLINK("http://evil.example","click")'
RTL = "\u202eevil\u202c"
LONG = "L" * 10_000
CAPTION = "图4: <script>alert('caption')</script> <a href=\"javascript:alert(2)\">x</a>"
METRIC = "<script>alert(6)</script>AIME"
PUBLISHER = "<iframe src=javascript:alert(7)></iframe>"
NOTE = FORMULA + " <img src=x onerror=alert(5)> " + RTL + " " + LONG

# Strings that must never reach a page as live markup.
LIVE = ["<script>alert", "<img src=x", "<svg onload", "<iframe src=javascript", 'href="javascript:']


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def make_hostile(source: Path, target: Path) -> Path:
    """Copy `source` to `target` and fill it with hostile text; return `target`."""
    shutil.copytree(source, target)
    yaml = lambda s: "'" + s.replace("'", "''") + "'"  # noqa: E731 - a YAML single-quoted scalar
    _edit(target / "models.yaml", "name: QwQ-32B", f"name: {yaml(SCRIPT)}")
    _edit(target / "models.yaml", "  name: OpenAI o1-mini\n  organisation: OpenAI",
          f"  name: OpenAI o1-mini\n  organisation: {yaml(FORMULA)}")
    _edit(target / "models.yaml", "  name: GPT-4o (2024-05-13)\n  organisation: OpenAI\n  open_weights: false",
          f"  name: GPT-4o (2024-05-13)\n  organisation: OpenAI\n  open_weights: false\n  note: {yaml(RTL + LONG)}")
    _edit(target / "grids/r1-distilled.yaml", '"图4: DeepSeek 蒸馏小模型超越 OpenAI o1-mini"', yaml(CAPTION))
    _edit(target / "grids/r1-distilled.yaml", "label: QwQ-32B,", f"label: {yaml(LABEL)},")
    _edit(target / "grids/r1-distilled.yaml", "{label: AIME 2024 pass@1,", f"{{label: {yaml(METRIC)},")
    _edit(target / "grids/r1-distilled.yaml", 'title_en: DeepSeek', 'title_en: <b onmouseover=alert(4)>DeepSeek')
    cells = target / "grids/r1-distilled.csv"
    text = cells.read_text(encoding="utf-8")
    text = text.replace("QwQ-32B,", '"""><svg onload=alert(3)>QwQ",')
    text = text.replace("AIME 2024 pass@1,", '"<script>alert(6)</script>AIME",')
    text = text.replace("model,metric,printed,value\n", "model,metric,printed,value,note\n")
    lines = text.splitlines()
    lines = [lines[0]] + [line + "," for line in lines[1:]]
    lines[1] = lines[1] + '"' + NOTE.replace('"', '""') + '"'
    cells.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _edit(target / "reports.yaml", "publisher: 中国银河证券研究院", f"publisher: {yaml(PUBLISHER)}")
    return target
