"""Bad input gets a clear HTML page with the right status, never a 500."""

import pytest
from conftest import soup

from leaderboard import create_app


@pytest.mark.parametrize(
    ("url", "says", "links_to"),
    [
        ("/grids/no-such-grid", "There is no grid 'no-such-grid'.", "/grids/r1-distilled"),
        ("/models/gpt-5", "There is no model 'gpt-5'.", "/models/deepseek-r1"),
        ("/metrics/mmlu-pass2", "There is no metric 'mmlu-pass2'.", "/metrics/mmlu-pass1"),
        ("/compare?models=deepseek-r1,gpt-9", "There is no model 'gpt-9'.", "/models/deepseek-r1"),
    ],
)
def test_not_found_pages_name_what_is_missing_and_link_what_exists(client, url, says, links_to):
    response = client.get(url)
    assert response.status_code == 404
    assert response.content_type.startswith("text/html")
    page = soup(response)
    assert page.select_one(".error-message").get_text(strip=True) == says
    assert page.select_one(f'a[href="{links_to}"]') is not None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("/grids/r1-distilled?order=sideways", "order: Must be one of: asc, desc."),
        ("/grids/r1-distilled?sort=nosuch", "sort: cannot sort by 'nosuch'; sort by a metric id of this grid, by 'model', or by an "
                                               "average of the shown metrics: average, average:math"),
        ("/grids/r1-distilled?sort=mmlu-pass1", "sort: cannot sort by 'mmlu-pass1'"),
        ("/grids/r1-distilled?baseline=gpt-4", "baseline: 'gpt-4' is not a model of this grid; its models are gpt-4o-0513"),
        ("/grids/r1-distilled?metrics=aime-2024-pass1,nope", "metrics: 'nope' not in this grid"),
        ("/grids/r1-distilled?open=maybe", "open: Not a valid boolean."),
        ("/grids/r1-distilled?min_params=lots", "min_params: 'LOTS' is not a parameter count"),
        ("/grids/r1-distilled?q=" + "x" * 201, "q: Longer than maximum length 200."),
        # Fewer than two models is the picker, not a 400 (tests/test_finding.py).
        ("/compare?models=deepseek-r1,deepseek-r1", "models: name two or more different model ids"),
    ],
)
def test_malformed_queries_are_400_with_the_reason(client, url, reason):
    response = client.get(url)
    assert response.status_code == 400
    assert response.content_type.startswith("text/html")
    message = soup(response).select_one(".error-message").get_text(strip=True)
    assert reason in message
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/grids/r1-distilled?metrics=aime-2024-pass1,aime-2024-pass1",
        "/grids/r1-distilled.csv?metrics=aime-2024-pass1,aime-2024-pass1",
        "/api/grids/r1-distilled?metrics=aime-2024-pass1,aime-2024-pass1",
        "/charts/r1-distilled/heatmap.json?metrics=aime-2024-pass1&metrics=aime-2024-pass1",
        "/charts/r1-distilled/diff-vs-o1-mini.json?metrics=aime-2024-pass1,aime-2024-pass1",
    ],
)
def test_a_metric_named_twice_is_shown_once(client, url):
    """Found by the query fuzzer: a repeated metric id made a duplicate column and a 500."""
    response = client.get(url)
    assert response.status_code == 200
    if url.startswith("/grids/r1-distilled?"):
        headers = [th.get_text(" ", strip=True) for th in soup(response).select("table.grid thead th.num")]
        assert headers == ["AIME 2024 pass@1 ↕ , sort descending %"]  # cue, spoken action, unit


def test_a_model_named_twice_is_compared_once(client):
    response = client.get("/api/compare?models=deepseek-r1,deepseek-r1,o1-mini")
    assert response.status_code == 200
    assert [m["id"] for m in response.get_json()["models"]] == ["deepseek-r1", "o1-mini"]


def test_unknown_query_arguments_are_ignored(client):
    assert client.get("/grids/r1-distilled?utm_source=slide").status_code == 200


def test_api_errors_stay_json(client):
    response = client.get("/api/grids/nope")
    assert response.status_code == 404 and response.is_json
    response = client.post("/api/grids")
    assert response.status_code == 405 and response.is_json


def test_data_from_the_files_is_escaped(data_copy):
    models = data_copy / "models.yaml"
    text = models.read_text(encoding="utf-8").replace(
        "name: QwQ-32B-Preview\n", "name: '<script>alert(1)</script>\"><img src=x onerror=alert(2)>'\n")
    models.write_text(text, encoding="utf-8")
    client = create_app({"DATA_DIR": str(data_copy)}).test_client()
    for url in ("/grids/r1-distilled", "/models/qwq-32b", "/metrics/aime-2024-pass1",
                "/compare?models=qwq-32b,o1-mini", "/grids/nope"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in body and "<img src=x" not in body, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url


def test_a_model_named_twice_is_not_two_models(client):
    response = client.get("/compare?models=deepseek-r1,deepseek-r1")
    assert response.status_code == 400
    assert ("models: name two or more different model ids, e.g. models=deepseek-r1,o1-mini "
            "(deepseek-r1 is named more than once)") in response.get_data(as_text=True)


def test_compare_takes_at_most_twelve_models(client, dataset):
    thirteen = ",".join(list(dataset.models.index)[:13])
    for url in (f"/compare?models={thirteen}", f"/api/compare?models={thirteen}"):
        response = client.get(url)
        assert response.status_code == 400
        assert "compare at most 12 models at once; 13 are named" in response.get_data(as_text=True)
    twelve = ",".join(list(dataset.models.index)[:12])
    assert client.get(f"/compare?models={twelve}").status_code == 200


def test_the_conflicts_csv_has_no_pages(client):
    whole = client.get("/conflicts.csv")
    assert client.get("/conflicts.csv?page=0&per_page=abc").data == whole.data
