"""The JSON API: grids, models, metrics, compare, conflicts; errors, CORS and caching."""

import pytest


def test_grids_list(client):
    response = client.get("/api/grids")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    grids = {g["slug"]: g for g in response.json}
    assert len(grids) == 17  # the report's 7, the R1 README's 3, the R1 paper's 3, V3's 4
    fig5 = grids["r1-vs-frontier"]
    assert fig5 == {
        "slug": "r1-vs-frontier",
        "title": "DeepSeek-R1 与其他代表性模型在各个维度性能上的对比",
        "title_en": "DeepSeek-R1 against other representative models, benchmark by benchmark",
        "caption": "图5: DeepSeek-R1 与其他代表性模型在各个维度性能上的对比",
        "source": {
            "report": "galaxy-2025-02-deepseek",
            "report_title": "DeepSeek：技术颠覆 or 创新共赢",
            "publisher": "中国银河证券研究院",
            "date": "2025-02-03",
            "label": "图5",
            "page": 7,
            "cited": "资料来源: DeepSeek 官网, 中国银河证券研究院",
            "kind": "broker-report",
        },
        "n_models": 6,
        "n_metrics": 21,
    }


def test_grid_detail(client):
    response = client.get("/api/grids/r1-vs-frontier")
    assert response.status_code == 200
    body = response.json
    assert list(body) == [
        "slug", "title", "title_en", "caption", "source", "n_models", "n_metrics",
        "charts", "models", "metrics", "results", "conflicts", "view", "rows",
    ]
    assert body["models"][1] == {"id": "gpt-4o-0513", "name": "GPT-4o (2024-05-13)", "label": "GPT-4o 0513"}
    assert body["metrics"][12] == {
        "id": "codeforces-rating", "name": "Codeforces (rating)", "label": "Codeforces (Rating)",
        "unit": "Elo rating", "higher_is_better": True, "category": "Code", "band": "Code",
        "type": "number",
    }
    assert len(body["results"]) == 126
    results = {(r["model"], r["metric"]): r for r in body["results"]}
    assert results[("openai-o1-1217", "mmlu-redux-em")]["value"] is None
    assert results[("openai-o1-1217", "mmlu-redux-em")]["printed"] == "-"
    best = results[("openai-o1-1217", "mmlu-pass1")]
    assert (best["value"], best["printed"], best["bold"]) == (91.8, "91.8", True)
    assert best["source"]["label"] == "图5" and best["source"]["page"] == 7
    # 图5's cells that DeepSeek's own tables print otherwise (see test_conflicts).
    assert {(c["model"], c["metric"]) for c in body["conflicts"]} == {
        ("claude-3-5-sonnet-1022", "c-simpleqa-correct"),
        ("claude-3-5-sonnet-1022", "livecodebench-pass1-cot"),
        ("deepseek-v3", "c-simpleqa-correct"), ("deepseek-v3", "codeforces-percentile"),
        ("deepseek-v3", "livecodebench-pass1-cot"), ("gpt-4o-0513", "c-simpleqa-correct"),
        ("gpt-4o-0513", "livecodebench-pass1-cot")}


def test_grid_detail_types_and_conflicts(client):
    body = client.get("/api/grids/cost-and-scale").json
    results = {(r["model"], r["metric"]): r for r in body["results"]}
    assert results[("gpt-4", "release-date")]["value"] == "2023-03"
    assert results[("gpt-4", "open-weights")]["value"] is False
    assert results[("gpt-4", "api-input-price")]["value"] == 30.0
    assert results[("deepseek-r1", "api-output-price")]["conflict"] is True
    conflict = next(c for c in body["conflicts"] if c["metric"] == "api-output-price")
    assert [(o["grid"], o["value"], o["source"]["label"]) for o in conflict["observations"]] == [
        ("api-pricing", 2.19, "正文"), ("cost-and-scale", 3.29, "表4"),
    ]


def test_unknown_grid_is_a_json_404(client):
    response = client.get("/api/grids/no-such-grid")
    assert response.status_code == 404
    assert response.content_type == "application/json"
    assert "There is no grid 'no-such-grid'. Grids: api-pricing, r1-distilled," in response.json["message"]
    assert "r1-distilled" in response.json["message"]


def test_openapi_document_lists_the_endpoints(client):
    spec = client.get("/api/openapi.json").json
    assert {"/api/grids", "/api/grids/{slug}"} <= set(spec["paths"])


def test_models(client):
    models = {m["id"]: m for m in client.get("/api/models").json}
    r1 = models["deepseek-r1-distill-llama-70b"]
    assert (r1["teacher"], r1["base_model"], r1["distilled"], r1["total_params"]) == (
        "deepseek-r1", "Llama-3.3-70B-Instruct", True, 70e9)
    assert models["gpt-4o-0513"]["labels"] == {
        "r1-distilled": "GPT-4o-0513", "r1-vs-frontier": "GPT-4o 0513",
        "r1-readme-main": "GPT-4o 0513", "r1-readme-distilled": "GPT-4o-0513",
        "r1-paper-table-4": "GPT-4o 0513", "r1-paper-table-5": "GPT-4o-0513",
        "v3-readme-chat": "GPT-4o 0513", "v3-readme-open-ended": "GPT-4o-0513"}


def test_model_detail_has_every_number_with_places(client):
    body = client.get("/api/models/deepseek-r1").json
    results = {r["metric"]: r for r in body["results"]}
    assert results["api-output-price"]["conflict"] is True
    assert [(p["grid"], p["value"]) for p in results["api-output-price"]["places"]] == [
        ("api-pricing", 2.19), ("cost-and-scale", 3.29)]
    aime = results["aime-2024-pass1"]
    assert aime["value"] == 79.8 and aime["conflict"] is False
    assert [p["source"]["label"] for p in aime["places"]] == [
        "图5", "正文", "README: 4. Evaluation Results, DeepSeek-R1-Evaluation (lines 106-131)",
        "Table 4"]


def test_metric_detail_is_a_ranked_leaderboard(client):
    body = client.get("/api/metrics/api-input-price").json
    assert body["higher_is_better"] is False and body["unit"] == "USD per 1M tokens"
    board = [(r["rank"], r["model"], r["value"]) for r in body["leaderboard"]]
    assert board == [(1, "deepseek-v3", 0.14), (2, "deepseek-r1", 0.55), (3, "o3-mini", 1.1),
                     (4, "gpt-4", 30.0), (None, "llama-3-1-405b", None)]


def test_compare(client):
    body = client.get("/api/compare?models=o1-mini,deepseek-r1-distill-qwen-32b").json
    assert [m["id"] for m in body["models"]] == ["o1-mini", "deepseek-r1-distill-qwen-32b"]
    assert len(body["shared"]) == 6
    aime = next(m for m in body["shared"] if m["id"] == "aime-2024-pass1")
    qwen = aime["cells"][1]
    assert (qwen["value"], qwen["verdict"]) == (72.6, "better")
    assert round(qwen["diff"], 6) == 9.0
    assert body["summary"][1] == {"id": "deepseek-r1-distill-qwen-32b", "better": 5, "worse": 1, "level": 0}


# Every model × metric that two places print differently, typed from the sources: the report
# (图4, 图5, 表4 and its text), DeepSeek-R1's README and paper (Tables 4-6), DeepSeek-V3's README.
# grid -> printed, for every place that prints the pair.
DISAGREEMENTS = {
    ("deepseek-r1", "api-output-price"): {"api-pricing": "2.19 美元",
                                          "cost-and-scale": "输出端：3.29 美元/百万 token"},
    ("deepseek-r1", "training-cost"): {"cost-and-scale": "-",
                                       "text-figures": "600 万美元 / 557.6 万美元"},  # pp. 4, 5
    ("deepseek-r1", "training-gpus"): {"cost-and-scale": "-",
                                       "text-figures": "2048 块英伟达 H800 GPU"},
    ("deepseek-v3", "training-cost"): {"cost-and-scale": "557.6 万美元",
                                       "text-figures": "557 万美元"},
    ("qwq-32b", "aime-2024-pass1"): {"r1-distilled": "44.0", "r1-readme-distilled": "44.0",
                                     "r1-paper-table-5": "50.0", "r1-paper-table-6": "50.0"},
    ("claude-3-5-sonnet-1022", "livecodebench-pass1-cot"): {
        "r1-vs-frontier": "38.9", "r1-paper-table-4": "38.9", "r1-readme-main": "33.8",
        "v3-readme-chat": "36.3"},
    ("gpt-4o-0513", "livecodebench-pass1-cot"): {
        "r1-vs-frontier": "32.9", "r1-paper-table-4": "32.9", "r1-readme-main": "34.2",
        "v3-readme-chat": "33.4"},
    ("deepseek-v3", "livecodebench-pass1-cot"): {
        "r1-vs-frontier": "36.2", "r1-paper-table-4": "36.2", "r1-readme-main": "-",
        "v3-readme-chat": "40.5"},
    ("claude-3-5-sonnet-1022", "livecodebench-pass1"): {
        "r1-distilled": "38.9", "r1-readme-distilled": "38.9", "r1-paper-table-5": "38.9",
        "v3-readme-chat": "32.8"},
    ("gpt-4o-0513", "livecodebench-pass1"): {
        "r1-distilled": "32.9", "r1-readme-distilled": "32.9", "r1-paper-table-5": "32.9",
        "v3-readme-chat": "34.2"},
    ("claude-3-5-sonnet-1022", "c-simpleqa-correct"): {
        "r1-vs-frontier": "55.4", "r1-paper-table-4": "55.4", "r1-readme-main": "55.4",
        "v3-readme-chat": "51.3"},
    ("gpt-4o-0513", "c-simpleqa-correct"): {
        "r1-vs-frontier": "58.7", "r1-paper-table-4": "58.7", "r1-readme-main": "58.7",
        "v3-readme-chat": "59.3"},
    ("deepseek-v3", "c-simpleqa-correct"): {
        "r1-vs-frontier": "68.0", "r1-paper-table-4": "68.0", "r1-readme-main": "68.0",
        "v3-readme-chat": "64.8"},
    ("deepseek-v3", "codeforces-percentile"): {
        "r1-vs-frontier": "58.7", "r1-paper-table-4": "58.7", "r1-readme-main": "58.7",
        "v3-readme-chat": "51.6"},
}


def test_conflicts(client):
    body = client.get("/api/conflicts").json
    found = {}
    for c in body:
        places = found.setdefault((c["model"], c["metric"]), {})
        for o in c["observations"]:  # a grid may print the pair twice (the text, pp. 4 and 5)
            places[o["grid"]] = " / ".join(filter(None, [places.get(o["grid"]), o["printed"]]))
    assert found == DISAGREEMENTS


@pytest.mark.parametrize(
    ("url", "status", "message", "errors"),
    [
        ("/api/models/nope", 404, "There is no model 'nope'. Models: ", None),
        ("/api/metrics/nope", 404, "There is no metric 'nope'. Metrics: ", None),
        ("/api/compare", 400, "models: name two or more model ids", {"models": ["name two or more model ids, e.g. models=deepseek-r1,o1-mini"]}),
        ("/api/compare?models=o1-mini", 400, "models: name two or more model ids", {"models": ["name two or more model ids, e.g. models=deepseek-r1,o1-mini"]}),
        ("/api/compare?models=o1-mini,gpt-9", 404, "There is no model 'gpt-9'.", None),
        ("/api/nowhere", 404, "The requested URL was not found", None),
    ],
)
def test_errors_are_json(client, url, status, message, errors):
    response = client.get(url)
    assert response.status_code == status
    assert response.is_json
    assert response.json["message"].startswith(message)
    assert response.json.get("errors") == errors


def test_method_not_allowed_is_json(client):
    response = client.delete("/api/grids")
    assert response.status_code == 405 and response.is_json
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize("url", ["/api/grids", "/api/models/deepseek-r1", "/downloads/all.csv",
                                 "/grids/r1-distilled.csv"])
def test_cors_etag_and_304(client, dataset, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["ETag"].startswith(f'"{dataset.version}-')  # data, then code
    assert "max-age" in response.headers["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == response.headers["ETag"]
    stale = client.get(url, headers={"If-None-Match": '"older-version"'})
    assert stale.status_code == 200


def test_pages_are_not_cross_origin(client):
    assert "Access-Control-Allow-Origin" not in client.get("/grids/r1-distilled").headers


def test_api_reference_page_is_served_locally(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/api/docs/ui/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html  # nothing from a CDN
    for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        with client.get(f"/api/docs/ui/{name}") as response:
            assert response.status_code == 200


@pytest.mark.parametrize(("url", "status", "message", "errors"), [
    ("/grids/nope.json", 404, "There is no grid 'nope'.", None),
    ("/grids/r1-distilled.json?sort=zzz", 400, "sort: cannot sort by 'zzz'",
     {"sort": ["cannot sort by 'zzz'; sort by a metric id of this grid, by 'model', or by an "
               "average of the shown metrics: average, average:math, average:english, "
               "average:code"]}),
    ("/grids/r1-distilled.json?per_page=abc", 400, "per_page: Not a valid integer.",
     {"per_page": ["Not a valid integer."]}),
    ("/api/grids/r1-distilled?per_page=abc", 400, "per_page: Not a valid integer.",
     {"per_page": ["Not a valid integer."]}),
    ("/charts/r1-distilled/heatmap.json?baseline=nobody", 400, "baseline: 'nobody' is not a model",
     None),
])
def test_a_json_resource_answers_errors_in_json(client, url, status, message, errors):
    """The view's JSON, the API and the chart specs refuse alike: JSON naming the argument."""
    response = client.get(url)
    assert response.status_code == status
    assert response.is_json
    assert response.json["message"].startswith(message)
    if errors is not None:
        assert response.json["errors"] == errors
