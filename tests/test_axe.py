"""axe-core (from npm, package.json) on every kind of page, in English and in Chinese, light and
dark: no serious or critical violation. Real gunicorn, real Chromium; the pages' ids come from
the data."""

from __future__ import annotations

import pytest
from conftest import draw_charts
from live import Gunicorn

from leaderboard import ROOT
from leaderboard.catalog import metric_records, model_records
from leaderboard.reconcile import summary

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")



@pytest.fixture(scope="module")
def server():
    live = Gunicorn(ROOT / "data" / "benchmarks").wait()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make install` (npm ci installs axe-core)")
    return AXE.read_text()


def unshared(ds) -> str:
    """Two models no grid prints on a common metric: the compare page that explains it."""
    metrics: dict[str, set[str]] = {}
    for grid in ds.grids.values():
        for model in grid.models:
            metrics.setdefault(model.id, set()).update(m.id for m in grid.metrics)
    return next(f"{a},{b}" for a in metrics for b in metrics if not metrics[a] & metrics[b])


def page_kinds(ds) -> dict[str, list[str]]:
    """Every kind of page, with every grid, model and metric of the data."""
    grids, models = list(ds.grids), list(model_records(ds))
    first = ds.grids[grids[0]]
    return {
        "index": ["/"],
        "grid": [f"/grids/{slug}" for slug in grids],
        "grid-baseline": [f"/grids/{slug}?baseline={ds.grids[slug].models[0].id}&average=yes"
                          for slug in grids],
        "model": [f"/models/{m}" for m in models],
        "model-cell": [f"/models/{first.models[0].id}?metric={first.metrics[0].id}"],
        "metric": [f"/metrics/{m}" for m in metric_records(ds)],
        "compare": [f"/compare?models={','.join(models[:3])}", f"/compare?models={unshared(ds)}"],
        "compare-picker": ["/compare", f"/compare?models={models[0]}&from={grids[0]}"],
        "models-index": ["/models", "/models?sort=grids&order=desc"],
        "metrics-index": ["/metrics"],
        "search": ["/?q=deepseek", "/?q=no-such-thing"],
        "conflicts": ["/conflicts"],
        "sources": [f"/grids/{slug}/sources" for slug in grids if summary(ds, slug)],
        "import": ["/import"],
        "api-docs": ["/api/docs"],
        "error": ["/grids/no-such-grid", "/models/no-such-model"],
        "chart-embed": [f"/charts/{grids[0]}/heatmap.html"],
    }


KINDS = ["index", "grid", "grid-baseline", "model", "model-cell", "metric", "compare",
         "compare-picker", "models-index", "metrics-index", "search", "conflicts", "sources", "import", "api-docs", "error", "chart-embed"]


def test_every_kind_is_checked(dataset):
    assert list(page_kinds(dataset)) == KINDS


def wait_until_drawn(page) -> None:
    """Let the page's scripts finish: every chart drawn (or its error shown), Swagger UI up."""
    draw_charts(page)
    if page.locator("#swagger-ui").count():
        page.wait_for_selector("#swagger-ui .opblock")


def serious_violations(page, axe_source: str) -> list[str]:
    """axe's serious and critical violations on the page, one line per rule and node."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)  # through DevTools, not a <script>: the page's CSP stays
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = []
    for v in result["violations"]:
        if v["impact"] not in SERIOUS:
            continue
        for node in v["nodes"]:
            found.append(f"{v['id']} ({v['impact']}): {node['target']} "
                         f"{node['html'][:160]} — {node['failureSummary'][:200]}")
    return found


def in_language(path: str, lang: str) -> str:
    """The page in `lang`: English as it always was, Chinese chosen in its address."""
    return path if lang == "en" else f"{path}{'&' if '?' in path else '?'}lang={lang}"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_serious_violations(browser, server, dataset, axe_source, kind, scheme, lang):
    paths = [in_language(path, lang) for path in page_kinds(dataset)[kind]]
    assert paths, kind
    context = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    found: dict[str, list[str]] = {}
    for path in paths:
        status = page.goto(server.url + path).status
        assert status == (404 if kind == "error" else 200), path
        wait_until_drawn(page)
        assert page.evaluate("document.documentElement.lang") == {"en": "en", "zh": "zh-CN"}[lang]
        if violations := serious_violations(page, axe_source):
            found[path] = violations
        if kind == "api-docs":  # an operation opened, with its parameters and responses
            page.locator(".opblock-summary-control").first.click()
            page.wait_for_selector(".opblock-body .parameters, .opblock-body .responses-wrapper")
            if violations := serious_violations(page, axe_source):
                found[path + " (an operation opened)"] = violations
    context.close()
    assert found == {}, "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in found.items())
