"""The interface in English and Chinese: the language chosen by ?lang=, else Accept-Language;
said in <html lang> and Content-Language; carried by the page's links when the URL names it;
never served from the cache in another language; every message translated."""

from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from conftest import soup

from leaderboard import ROOT, i18n

CATALOG = ROOT / "leaderboard" / "translations" / "zh" / "LC_MESSAGES"
PAGES = ["/", "/grids/r1-distilled", "/models", "/metrics", "/compare", "/conflicts",
         "/import", "/models/deepseek-r1", "/metrics/aime-2024-pass1",
         "/grids/r1-distilled/sources", "/compare?models=deepseek-r1,o1-mini"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(("header", "query", "expected"), [
    ("zh-CN,zh;q=0.9,en;q=0.8", "", "zh-CN"),
    ("zh-TW", "", "zh-CN"),
    ("en-US,en;q=0.9", "", "en"),
    ("fr", "", "en"),
    ("zh-CN", "lang=en", "en"),
    ("en", "lang=zh", "zh-CN"),
    ("en", "lang=xx", "en"),
])
def test_the_language_is_the_urls_else_the_browsers(client, url, header, query, expected):
    joined = f"{url}{'&' if '?' in url else '?'}{query}" if query else url
    response = client.get(joined,
                          headers={"Accept-Language": header})
    assert response.status_code == 200
    assert response.headers["Content-Language"] == expected
    assert "Accept-Language" in response.headers["Vary"]
    page = soup(response)
    assert page.html["lang"] == expected
    switch = page.select_one("nav.languages")
    current = switch.select_one("[aria-current=page]").get_text()
    assert current == ("中文" if expected == "zh-CN" else "English")
    other = switch.select_one("a")
    assert other["href"].endswith("lang=" + ("en" if expected == "zh-CN" else "zh"))


def test_links_carry_the_language_the_url_names(client):
    page = soup(client.get("/grids/r1-distilled?lang=zh&sort=aime-2024-pass1"))
    links = [a["href"] for a in page.select("a[href^='/']") if not a.find_parent(class_="languages")]
    assert links and all("lang=zh" in href for href in links if not href.startswith("/static"))
    assert page.select_one("nav.languages a")["href"] == (
        "/grids/r1-distilled?sort=aime-2024-pass1&lang=en")
    # Taken from the browser, the language is not put into links: each visitor's chooses.
    page = soup(client.get("/grids/r1-distilled", headers={"Accept-Language": "zh-CN"}))
    assert not [a["href"] for a in page.select("a[href^='/']")
                if "lang=" in a["href"] and not a.find_parent(class_="languages")]


def test_the_cache_never_serves_another_language(client):
    url = "/grids/api-pricing"
    first = client.get(url, headers={"Accept-Language": "zh-CN"})
    second = client.get(url, headers={"Accept-Language": "en"})
    assert soup(first).html["lang"] == "zh-CN" and soup(second).html["lang"] == "en"
    third = client.get(url + "?lang=zh", headers={"Accept-Language": "en"})
    assert "lang=zh" in soup(third).select_one("nav[aria-label] a")["href"]


def extracted() -> set[str]:
    method_map = [("leaderboard/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None}  # as `make translations` (-k)
    return {message[2] if isinstance(message[2], str) else message[2][0]
            for message in extract_from_dir(ROOT, method_map, keywords=keywords)}


def test_every_message_has_a_chinese_translation():
    with (CATALOG / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="zh")
    translated = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
    messages = extracted()
    assert messages
    missing = sorted(m for m in messages if m not in translated or not translated[m].string)
    assert missing == [], f"{len(missing)} messages without a translation (make translations)"
    fuzzy = sorted(m for m in messages if "fuzzy" in translated[m].flags)
    assert fuzzy == []


def test_the_compiled_catalogue_is_the_catalogue():
    def key(text):  # a plural message's forms: a tuple in the .po, a list in the .mo
        return text if isinstance(text, str) else tuple(text)

    with (CATALOG / "messages.po").open("rb") as f:
        source = {key(m.id): key(m.string) for m in read_po(f, locale="zh") if m.id}
    with (CATALOG / "messages.mo").open("rb") as f:
        compiled = {key(m.id): key(m.string) for m in read_mo(f) if m.id}
    assert compiled == source, "run make translations"


def test_the_catalogue_ships_in_the_package():
    assert Path(CATALOG / "messages.mo").is_file()


@pytest.mark.parametrize("url", ["/grids/r1-distilled", "/charts/r1-distilled/heatmap.svg",
                                 "/api/grids/nope", "/grids/r1-distilled.csv"])
def test_a_browser_holding_one_language_is_not_told_it_holds_the_other(client, url):
    english = client.get(url, headers={"Accept-Language": "en"})
    chinese = client.get(url, headers={"Accept-Language": "zh-CN"})
    if english.status_code != 200:  # an error carries no validator
        assert "ETag" not in chinese.headers
        return
    assert english.headers["ETag"] != chinese.headers["ETag"]
    # Asking again with the English page's tag: the Chinese answer is sent whole, not a 304.
    again = client.get(url, headers={"Accept-Language": "zh-CN",
                                     "If-None-Match": english.headers["ETag"]})
    assert again.status_code == 200 and again.data == chinese.data
    same = client.get(url, headers={"Accept-Language": "zh-CN",
                                    "If-None-Match": chinese.headers["ETag"]})
    assert same.status_code == 304


def test_every_link_of_every_chinese_page_leads_somewhere_in_chinese(app, client, dataset):
    """Every link a page makes, with the language in its URL: a route, naming a grid, model or
    metric that exists, with lang=zh once (ids made once a page and joined must not break)."""
    from urllib.parse import parse_qs, urlsplit

    from test_i18n_pages import page_urls
    from test_zh_pages import pages

    from leaderboard.catalog import metric_records, model_records

    known = {"slug": set(dataset.grids), "model_id": set(model_records(dataset)),
             "metric_id": set(metric_records(dataset))}
    adapter = app.url_map.bind("localhost")
    broken = {}
    for url in page_urls(dataset) + pages(dataset):
        page = soup(client.get(url + ("&" if "?" in url else "?") + "lang=zh"))
        for a in page.select("main a[href^='/']"):
            if a.find_parent(class_="languages") or a["href"].startswith(
                    ("/static/", "/api/openapi.json")):  # the API's description: English only
                continue
            parts = urlsplit(a["href"])
            endpoint, args = adapter.match(parts.path)
            wrong = [k for k, v in args.items() if k in known and v not in known[k]]
            if wrong or parse_qs(parts.query).get("lang") != ["zh"]:
                broken.setdefault(url, []).append(a["href"])
    assert broken == {}


@pytest.mark.parametrize(("name", "unit", "title"), [
    ("MMLU (pass@1)", "%", "MMLU (pass@1, %)"),
    ("Codeforces (rating)", "Elo rating", "Codeforces (Elo rating)"),
    ("AIME 2024", "%", "AIME 2024 (%)"),
    ("MMLU（准确率）", "%", "MMLU（准确率，%）"),
    ("MMLU", "", "MMLU"),
    # a bracket that is part of a name is not an aside: the unit follows the whole name
    ('=HYPERLINK("http://x","y")', "%", '=HYPERLINK("http://x","y") (%)'),
    ("f(x)", "ms", "f(x) (ms)"),
])
def test_a_title_says_a_metric_and_its_unit_once(name, unit, title):
    assert i18n.with_unit(name, unit) == title
