"""The API's lists (/api/grids, /api/models, /api/metrics): a page at a time with
X-Total-Count, each item short where a list in it can be thousands long. Expected values are
read from the data files."""

import collections
import sys

import pytest
import yaml
from conftest import DATA_DIR, ROOT

from leaderboard import create_app

sys.path.insert(0, str(ROOT / "bench"))
from synth import write_many  # noqa: E402


def _yaml(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _grid_files(directory):
    return {path.stem: _yaml(path) for path in (directory / "grids").glob("*.yaml")}


def _ids(directory, kind):
    """The ids models.yaml or metrics.yaml lists, in file order."""
    listed = _yaml(directory / f"{kind}.yaml")
    entries = listed if isinstance(listed, list) else next(iter(listed.values()))
    return [entry["id"] for entry in entries]


LISTS = [("/api/grids", "slug"), ("/api/models", "id"), ("/api/metrics", "id")]


def _expected(url):
    if url == "/api/grids":
        return set(_grid_files(DATA_DIR))
    return set(_ids(DATA_DIR, url.rsplit("/", 1)[1]))


@pytest.mark.parametrize(("url", "key"), LISTS)
def test_the_first_page_holds_every_item_of_the_bundled_data(client, url, key):
    response = client.get(url)
    assert response.status_code == 200
    items = [item[key] for item in response.get_json()]
    assert set(items) == _expected(url) and len(items) == len(set(items))
    assert response.headers["X-Total-Count"] == str(len(_expected(url)))


@pytest.mark.parametrize(("url", "key"), LISTS)
@pytest.mark.parametrize("per_page", [1, 7])
def test_pages_add_up_to_the_whole_list(client, url, key, per_page):
    whole = client.get(url).get_json()
    total = len(_expected(url))
    pages = [client.get(f"{url}?per_page={per_page}&page={n}")
             for n in range(1, -(-total // per_page) + 1)]
    assert all(p.status_code == 200 and p.headers["X-Total-Count"] == str(total) for p in pages)
    assert [len(p.get_json()) for p in pages[:-1]] == [per_page] * (len(pages) - 1)
    assert [item for p in pages for item in p.get_json()] == whole
    past = client.get(f"{url}?per_page={per_page}&page={len(pages) + 1}")
    assert (past.status_code, past.get_json(), past.headers["X-Total-Count"]) == (
        200, [], str(total))  # past the last page: an empty list, as /api/conflicts


@pytest.mark.parametrize(("query", "field", "message"), [
    ("per_page=0", "per_page", "greater than or equal to 1"),
    ("per_page=501", "per_page", "less than or equal to 500"),
    ("page=0", "page", "greater than or equal to 1"),
    ("page=1000001", "page", "less than or equal to 1000000"),
    ("per_page=many", "per_page", "Not a valid integer"),
])
@pytest.mark.parametrize("url", [url for url, _ in LISTS])
def test_a_bad_page_or_page_size_is_a_400_naming_the_field(client, url, query, field, message):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert message in " ".join(response.get_json()["errors"][field])


def test_the_largest_page_is_allowed(client):
    response = client.get("/api/models?per_page=500")
    assert response.status_code == 200 and len(response.get_json()) == len(_expected("/api/models"))


def test_the_api_documents_the_pages_and_the_total(client):
    spec = client.get("/api/openapi.json").get_json()
    for url, _ in LISTS:
        get = spec["paths"][url]["get"]
        assert {"page", "per_page"} <= {p["name"] for p in get.get("parameters", [])}
        assert "X-Total-Count" in get["responses"]["200"]["headers"]


# --- Many reports: a model printed in more grids than a list item names ------------------


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    directory = write_many(tmp_path_factory.mktemp("lists") / "benchmarks", grids=60)
    return directory, create_app({"TESTING": True, "DATA_DIR": str(directory)}).test_client()


def test_a_model_in_the_list_names_its_first_grids_and_counts_them_all(many):
    directory, client = many
    printed = collections.defaultdict(dict)  # model -> grid -> label, grids in slug order
    for slug, grid in sorted(_grid_files(directory).items()):  # one report after another
        for m in grid["models"]:
            printed[m["id"]][slug] = m["label"]
    model, labels = max(printed.items(), key=lambda kv: len(kv[1]))
    assert len(labels) > 20
    listed = {m["id"]: m for m in client.get("/api/models?per_page=500").get_json()}
    assert listed[model]["n_labels"] == len(labels)
    assert listed[model]["labels"] == dict(list(labels.items())[:20])
    assert all(m["n_labels"] == len(printed[m["id"]]) for m in listed.values())
    detail = client.get(f"/api/models/{model}").get_json()
    assert (detail["labels"], detail["n_labels"]) == (labels, len(labels))


def test_a_metric_in_the_list_names_its_first_grids_and_counts_them_all(many):
    directory, client = many
    having = collections.defaultdict(list)
    for slug, grid in sorted(_grid_files(directory).items()):
        for m in grid["metrics"]:
            having[m["id"]].append(slug)
    metric, grids = max(having.items(), key=lambda kv: len(kv[1]))
    assert len(grids) > 20
    listed = {m["id"]: m for m in client.get("/api/metrics?per_page=500").get_json()}
    assert (listed[metric]["grids"], listed[metric]["n_grids"]) == (grids[:20], len(grids))
    assert all(m["n_grids"] == len(having[m["id"]]) for m in listed.values())
    detail = client.get(f"/api/metrics/{metric}").get_json()
    assert (detail["grids"], detail["n_grids"]) == (grids, len(grids))
