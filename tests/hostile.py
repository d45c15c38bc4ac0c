"""A valid data directory whose text is hostile: markup, script URLs, formulas, RTL overrides
and 10,000-character strings. Every page, chart and download must render it inertly."""

import json
import re
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


def formula(tag: str, start: str = "=") -> str:
    """A spreadsheet formula that shows 'ran: `tag`' when it runs: a sheet showing that ran it."""
    return f'{start}HYPERLINK("http://evil.example","ran: {tag}")'


# Text that a spreadsheet would run as a formula, one per place a workbook shows text: each
# start a spreadsheet reads as a formula. The XLSX must hold every one verbatim, as text.
FORMULAS = {
    "caption": formula("caption"),  # r1-vs-frontier's; each other grid's starts differently
    "caption api-pricing": formula("caption api-pricing", "+"),
    "caption cost-and-scale": formula("caption cost-and-scale", "-"),
    "caption on-device-llms": formula("caption on-device-llms", "@"),
    "caption inference-efficiency": formula("caption inference-efficiency", "\t="),
    "caption text-figures": formula("caption text-figures", "\r="),
    "cited": formula("cited"),  # r1-distilled's
    "cited r1-vs-frontier": formula("cited r1-vs-frontier", "-"),
    "label": formula("label"),  # r1-vs-frontier's source label: starts its provenance line
    "model label": formula("model label", "+"),
    "metric label": formula("metric label", "@"),
    "printed": formula("printed"),
    "model name": formula("model name", "-"),
    "metric name": formula("metric name"),
    "report title": formula("report title"),
}
# Text with formulas that no workbook shows; pages, charts and the API show it as text.
FORMULAS_NOT_IN_XLSX = {
    "title": formula("title", "+"),
    "title_en": formula("title_en", "@"),
    "report title_en": formula("report title_en", "-"),
    "publisher_en": formula("publisher_en"),
    "band": formula("band"),
}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _edit_line(path: Path, key: str, value: str) -> None:
    """Set the first `key: ...` line (at its indentation) of a YAML file to a JSON string,
    which YAML reads as a double-quoted scalar (so tabs and carriage returns survive)."""
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(rf"^([ \t]*{re.escape(key)}:) .*$", lambda m: f"{m[1]} {json.dumps(value)}",
                     text, count=1, flags=re.MULTILINE)
    assert n == 1, f"{key!r} not in {path}"
    path.write_text(new, encoding="utf-8")


def _csv(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _formulas(target: Path) -> None:
    """Put FORMULAS and FORMULAS_NOT_IN_XLSX in their places."""
    grids, f = target / "grids", {**FORMULAS, **FORMULAS_NOT_IN_XLSX}
    for slug in ("r1-vs-frontier", "api-pricing", "cost-and-scale", "on-device-llms",
                 "inference-efficiency", "text-figures"):
        _edit_line(grids / f"{slug}.yaml", "caption", f.get(f"caption {slug}", f["caption"]))
    frontier = grids / "r1-vs-frontier.yaml"
    for key in ("title", "title_en", "label"):
        _edit_line(frontier, key, f[key])
    _edit_line(frontier, "cited", f["cited r1-vs-frontier"])
    _edit_line(grids / "r1-distilled.yaml", "cited", f["cited"])
    _edit(frontier, "{label: DeepSeek R1, id: deepseek-r1}",
          f"{{label: {json.dumps(f['model label'])}, id: deepseek-r1}}")
    _edit(frontier, "{label: MMLU (Pass@1), id: mmlu-pass1, band: English}",
          f"{{label: {json.dumps(f['metric label'])}, id: mmlu-pass1, band: {json.dumps(f['band'])}}}")
    cells = grids / "r1-vs-frontier.csv"
    _edit(cells, "OpenAI o1-1217,MMLU-Redux (EM),-,,", f"OpenAI o1-1217,MMLU-Redux (EM),{_csv(f['printed'])},,")
    text = cells.read_text(encoding="utf-8").replace(",MMLU (Pass@1),", f",{_csv(f['metric label'])},")
    cells.write_text(re.sub(r"^DeepSeek R1,", _csv(f["model label"]) + ",", text, flags=re.MULTILINE),
                     encoding="utf-8")
    _edit(target / "models.yaml", "name: Claude 3.5 Sonnet (2024-10-22)", f"name: {json.dumps(f['model name'])}")
    _edit(target / "metrics.yaml", 'name: "MMLU (pass@1)"', f"name: {json.dumps(f['metric name'])}")
    reports = target / "reports.yaml"
    for key, value in (("title", "report title"), ("title_en", "report title_en"),
                       ("publisher_en", "publisher_en")):
        _edit_line(reports, key, f[value])


def make_hostile(source: Path, target: Path) -> Path:
    """Copy `source` to `target` and fill it with hostile text; return `target`."""
    shutil.copytree(source, target)
    _formulas(target)
    yaml = lambda s: "'" + s.replace("'", "''") + "'"  # noqa: E731 - a YAML single-quoted scalar
    _edit(target / "models.yaml", "name: QwQ-32B-Preview\n", f"name: {yaml(SCRIPT)}\n")
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
