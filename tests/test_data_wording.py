"""Text shown to users speaks of the data and its sources, never of how the data was made.

A note cites the report (its figure or table and page), DeepSeek's README or paper, a vendor's
price page, ...; it never mentions an issue, a seed file, a transcription, a session or "we".
"""

import csv
import re

import pytest
import yaml
from conftest import DATA_DIR, soup

# Word-aware: a process word must not touch an ASCII letter on either side, so "tissue",
# "seedling" or "weight" are not caught, while Chinese text next to the word still is.
_PROCESS_WORDS = [
    r"issues?",
    r"#\d+",                   # an issue or pull-request number
    r"seeds?",
    r"shared/",
    r"transcri(?:be[ds]?|bing|ption|ptions|pts?)",
    r"sessions?",
    r"todo",
    r"fixme",
    r"tbd",
    r"hand-typed",
    r"(?:re)?typed",
    r"we",
    r"our",
]
PROCESS = re.compile(r"(?<![A-Za-z])(?:" + "|".join(_PROCESS_WORDS) + r")(?![A-Za-z])", re.IGNORECASE)


def _strings(node, where):
    """Every string value in a loaded YAML document, with where it is."""
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{where}[{i}]")


def _data_texts():
    """(file:place, text) for every text field of every data file, YAML and CSV alike."""
    files = sorted(p for p in DATA_DIR.rglob("*") if p.suffix in (".yaml", ".yml", ".csv"))
    assert files, DATA_DIR
    for path in files:
        name = path.relative_to(DATA_DIR).as_posix()
        if path.suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as f:
                for line, row in enumerate(csv.DictReader(f), start=2):
                    for column, value in row.items():
                        if value:
                            yield f"{name}:{line}:{column}", value
        else:
            yield from _strings(yaml.safe_load(path.read_text(encoding="utf-8")), name)


def _offending(texts):
    """(where, word, the text around it) for every process word found."""
    return [(where, m.group(0), text[max(0, m.start() - 60):m.end() + 60])
            for where, text in texts for m in PROCESS.finditer(text)]


def test_the_word_list_is_word_aware():
    assert PROCESS.search("as given in issue #2")
    assert PROCESS.search("the text in shared/seeds")
    assert PROCESS.search("见Issue 2")
    assert PROCESS.search("Hand-typed from the transcription")
    assert PROCESS.search("We read it off the chart")
    for fine in ["tissue", "seedling", "weights", "hours", "your", "sour", "typedef", "OpenAI o3-mini",
                 "GPQA Diamond", "Codeforces 超越人类竞争对手", "资料来源: DeepSeek 官网"]:
        assert not PROCESS.search(fine), fine


def test_data_files_do_not_describe_our_process():
    texts = list(_data_texts())
    assert len(texts) > 500          # the walk really reached the cells
    assert _offending(texts) == []


@pytest.mark.parametrize("url", ["/grids/api-pricing", "/models/deepseek-r1"])
def test_pages_do_not_describe_our_process(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = soup(response)
    for hidden in page(["script", "style"]):
        hidden.decompose()
    texts = [("text", page.get_text(" "))]
    # Tooltips and labels are shown too: cells carry their provenance and note in `title`.
    texts += [(f"<{tag.name} {attr}>", tag[attr])
              for attr in ("title", "alt", "aria-label", "placeholder")
              for tag in page.find_all(attrs={attr: True})]
    assert "图3" in texts[0][1] or url != "/grids/api-pricing"
    assert _offending(texts) == []


def test_the_whole_dataset_download_names_reports_by_their_own_fields(client):
    """Reports carry what identifies them as publications, nothing about how they were entered."""
    reports = client.get("/downloads/all.json").json["reports"]
    assert [sorted(r) for r in reports] == [
        ["commit", "date", "file", "id", "kind", "publisher", "publisher_en", "repository",
         "title", "title_en", "url"]] * len(reports)
