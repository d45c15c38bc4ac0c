"""HTTP: conditional requests, validators, caching headers, and what may reach a cache."""

import shutil

import pytest
from conftest import soup

from leaderboard import ROOT, create_app, http

DATA = ROOT / "data" / "benchmarks"


def fresh():
    app = create_app({"DATA_DIR": str(DATA)})
    return app, app.test_client()


@pytest.mark.parametrize("url", ["/no/such/route", "/grids/nope", "/models/nope",
                                 "/api/grids/nope", "/charts/nope/heatmap.png",
                                 "/grids/r1-distilled?order=sideways"])
def test_if_none_match_star_is_not_a_304_where_there_is_nothing(client, url):
    """A validator answers for what a route found: a missing page stays a 404 (a 400 a 400)."""
    response = client.get(url, headers={"If-None-Match": "*"})
    assert response.status_code in (400, 404)
    assert "ETag" not in response.headers


@pytest.mark.parametrize("url", ["/grids/r1-distilled", "/api/grids", "/charts/r1-distilled/heatmap.json"])
def test_a_matched_route_answers_304_to_its_etag_and_to_star(client, url):
    etag = client.get(url).headers["ETag"]
    for validator in (etag, "*", f'"other", {etag}'):
        response = client.get(url, headers={"If-None-Match": validator})
        assert response.status_code == 304 and response.data == b""
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_etag_covers_code_as_well_as_data(tmp_path, dataset):
    """A deploy that changes a template (or any code) but not the data gets a new ETag."""
    package, templates = tmp_path / "leaderboard", tmp_path / "templates"
    shutil.copytree(ROOT / "leaderboard", package)
    shutil.copytree(ROOT / "templates", templates)
    before = http.code_version(package, templates)
    assert http.code_version(package, templates) == before
    page = templates / "grid.html"
    page.write_text(page.read_text(encoding="utf-8") + "\n<!-- changed -->", encoding="utf-8")
    assert http.code_version(package, templates) != before
    app, client = fresh()
    assert client.get("/api/grids").headers["ETag"] == (
        f'"{dataset.version}-{http.code_version(ROOT / "leaderboard", ROOT / "templates")}"')


def test_the_chart_bundle_keeps_its_day_of_caching(client):
    response = client.get("/charts/assets/vega.js")
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert client.get("/grids/r1-distilled").headers["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize("header", ["Host", "X-Forwarded-Host"])
def test_no_request_header_reaches_another_visitor_through_the_cache(header):
    """The first visitor's Host used to end up in everyone's embed snippet."""
    app, client = fresh()
    urls = ["/grids/r1-distilled", "/compare?models=deepseek-r1,o1-mini", "/models/deepseek-r1",
            "/metrics/aime-2024-pass1", "/charts/r1-distilled/heatmap.html"]
    for url in urls:
        poisoned = client.get(url, headers={header: "evil.example"})
        assert poisoned.status_code == 200 and b"evil.example" not in poisoned.data
        again = client.get(url)
        assert b"evil.example" not in again.data


def test_embed_snippets_use_the_configured_address_or_the_page_completes_them():
    app = create_app({"DATA_DIR": str(DATA), "PUBLIC_URL": "https://leaderboard.example/"})
    page = soup(app.test_client().get("/grids/r1-distilled"))
    assert page.select_one("textarea.embed-code").get_text().startswith(
        '<iframe src="https://leaderboard.example/charts/r1-distilled/heatmap.html"')
    _, client = fresh()
    page = soup(client.get("/grids/r1-distilled"))
    assert page.select_one("textarea.embed-code").get_text().startswith(
        '<iframe src="/charts/r1-distilled/heatmap.html"')  # charts.js adds the page's origin


@pytest.mark.parametrize("url", ["/grids/r1-distilled?z=1", "/grids/r1-distilled.csv?utm_source=x",
                                 "/charts/r1-distilled/heatmap.png?z=2", "/api/grids?z=3",
                                 "/compare?models=deepseek-r1,o1-mini&z=4",
                                 "/api/compare?models=deepseek-r1,o1-mini&z=5"])
def test_unknown_arguments_are_ignored_and_make_no_new_cache_entry(url):
    app, client = fresh()
    cache = app.extensions["response_cache"]
    plain = url.split("?")[0] + "".join(
        "?" + "&".join(p for p in url.split("?")[1].split("&") if not p.startswith(("z=", "utm_")))
        for _ in [0] if "models=" in url)
    first = client.get(plain)
    assert first.status_code == 200 and (cache.hits, cache.misses) == (0, 1)
    second = client.get(url)
    assert second.status_code == 200 and second.data == first.data
    assert (cache.hits, cache.misses) == (1, 1)


def test_unknown_arguments_are_not_repeated_in_a_page():
    """A page cached for ?junk=… must not carry junk into another visitor's links and forms."""
    _, client = fresh()
    html = client.get("/grids/r1-distilled?sort=aime-2024-pass1&junk=%22%3E%3Cb%3Ex").get_data(as_text=True)
    assert "junk" not in html
    embed = client.get("/charts/r1-distilled/heatmap.html?q=qwen&junk=1").get_data(as_text=True)
    assert 'data-spec="/charts/r1-distilled/heatmap.json?q=qwen"' in embed and "junk" not in embed


@pytest.mark.parametrize("name", ["index.html", "oauth2-redirect.html", "swagger-ui-bundle.js.map",
                                  "swagger-ui.js", "swagger-initializer.js", "../../__init__.py"])
def test_only_the_reference_page_files_of_swagger_ui_are_served(client, name):
    assert client.get(f"/api/docs/ui/{name}").status_code == 404


@pytest.mark.parametrize("name", ["swagger-ui-bundle.js", "swagger-ui.css"])
def test_the_reference_page_files_are_served(client, name):
    with client.get(f"/api/docs/ui/{name}") as response:
        assert response.status_code == 200


def test_repeated_models_mean_the_same_in_the_api_its_cache_and_the_pages():
    """?models=a,b&models=c was answered (and cached) as a,b, then served for ?models=a,b,c."""
    _, client = fresh()
    split = client.get("/api/compare?models=qwq-32b,deepseek-r1&models=o1-mini")
    joined = client.get("/api/compare?models=qwq-32b,deepseek-r1,o1-mini")
    expected = ["qwq-32b", "deepseek-r1", "o1-mini"]
    assert [m["id"] for m in split.json["models"]] == expected
    assert [m["id"] for m in joined.json["models"]] == expected


def test_the_chart_bundle_keeps_its_caching_from_the_response_cache():
    _, client = fresh()
    for _ in range(3):
        assert client.get("/charts/assets/vega.js").headers["Cache-Control"] == (
            "public, max-age=86400")


def test_head_is_answered_from_the_cache():
    app, client = fresh()
    cache = app.extensions["response_cache"]
    assert client.get("/grids/r1-distilled").status_code == 200
    assert (cache.hits, cache.misses) == (0, 1)
    head = client.head("/grids/r1-distilled")
    assert head.status_code == 200 and head.data == b"" and (cache.hits, cache.misses) == (1, 1)


def test_a_failed_if_match_sends_no_body(client):
    response = client.get("/grids/r1-distilled", headers={"If-Match": '"nope"'})
    assert response.status_code == 412 and response.data == b""


def test_a_file_sent_as_it_is_keeps_its_own_etag(client):
    with client.get("/api/docs/ui/swagger-ui.css") as first:
        etag = first.headers["ETag"]
    with client.get("/api/docs/ui/swagger-ui.css", headers={"If-Match": etag}) as again:
        assert again.status_code == 200
    with client.get("/api/docs/ui/swagger-ui.css", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304


def test_a_double_slash_is_no_redirect_to_the_requests_host(client):
    response = client.get("/api/grids//r1-distilled", headers={"Host": "evil.example"})
    assert response.status_code == 404 and "evil.example" not in response.headers.get(
        "Location", "")
