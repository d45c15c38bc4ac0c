"""The minimal JSON surface of the data: /api/grids and /api/grids/<slug>."""


def test_grids_list(client):
    response = client.get("/api/grids")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    grids = {g["slug"]: g for g in response.json}
    assert len(grids) == 7
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
        "models", "metrics", "results", "conflicts",
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
    assert body["conflicts"] == []


def test_grid_detail_types_and_conflicts(client):
    body = client.get("/api/grids/cost-and-scale").json
    results = {(r["model"], r["metric"]): r for r in body["results"]}
    assert results[("gpt-4", "release-date")]["value"] == "2023-03"
    assert results[("gpt-4", "open-weights")]["value"] is False
    assert results[("gpt-4", "api-input-price")]["value"] == 30.0
    assert results[("deepseek-r1", "api-output-price")]["conflict"] is True
    conflict = next(c for c in body["conflicts"] if c["metric"] == "api-output-price")
    assert [(o["grid"], o["value"], o["source"]["label"]) for o in conflict["observations"]] == [
        ("api-pricing", 2.19, "图3"), ("cost-and-scale", 3.29, "表4"),
    ]


def test_unknown_grid_is_a_json_404(client):
    response = client.get("/api/grids/no-such-grid")
    assert response.status_code == 404
    assert response.content_type == "application/json"
    assert "No grid 'no-such-grid'" in response.json["message"]
    assert "r1-distilled" in response.json["message"]


def test_openapi_document_lists_the_endpoints(client):
    spec = client.get("/api/openapi.json").json
    assert {"/api/grids", "/api/grids/{slug}"} <= set(spec["paths"])
