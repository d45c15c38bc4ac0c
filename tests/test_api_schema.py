"""Property-based run of schemathesis against /api/openapi.json: every documented endpoint
answers within its schema and never with a 5xx. Bounded in examples.

Path and query values are mostly drawn from the real grid, model and metric ids, so the cases
reach the code behind the 404s; now and then the generated value is kept, to probe the 404s."""

from collections import defaultdict

import schemathesis
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from leaderboard import ROOT, create_app

app = create_app({"DATA_DIR": str(ROOT / "data" / "benchmarks")})
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
_ds = app.extensions["leaderboard"]
REAL = {"slug": list(_ds.grids), "model_id": list(_ds.models.index),
        "metric_id": list(_ds.metrics.index)}
MODEL_LISTS = st.lists(st.sampled_from(REAL["model_id"]), min_size=2, max_size=4,
                       unique=True).map(",".join)


def _mostly(real, generated):
    return st.one_of(real, real, real, st.just(generated))


@schema.hook
def flatmap_path_parameters(ctx, parameters):
    return st.fixed_dictionaries({
        name: _mostly(st.sampled_from(REAL[name]), value) if name in REAL else st.just(value)
        for name, value in (parameters or {}).items()
    })


@schema.hook
def flatmap_query(ctx, query):
    if not query or "models" not in query:
        return st.just(query)
    return st.fixed_dictionaries({**{k: st.just(v) for k, v in query.items()},
                                  "models": _mostly(MODEL_LISTS, query["models"])})


@schema.hook
def filter_query(ctx, query):
    """An empty query argument counts as absent (README; schemas._Query), whatever its type:
    `per_page=` is the default page size, not a malformed integer. Cases sending one test that
    documented rule, not the schema, so they are not drawn — nor cases whose value is an
    object or a list, which a query string sends as nothing (`page=` for `page={}`), or None."""
    return not query or all(isinstance(value, str | int | float) and value != ""
                            for value in query.values())


reached: defaultdict[str, set[int]] = defaultdict(set)  # operation -> statuses it answered


# A grid's view arguments name metrics and models of the grid in the path (sort, metrics,
# baseline) and a page within it: valid by the schema, they may still be refused for that
# grid, with a 400 that says why. There, every other check holds.
DATA_DEPENDENT = {"/api/grids/{slug}": [positive_data_acceptance]}


@schema.parametrize()
def test_api_conforms_to_its_openapi_document(case):
    # Asks for the plain body: the WSGI transport hands the test gzip bytes undecoded (the
    # service compresses for any client that accepts it: tests/test_page_fixes.py).
    response = case.call_and_validate(excluded_checks=DATA_DEPENDENT.get(case.operation.path),
                                      headers={"Accept-Encoding": "identity"})
    reached[case.operation.label].add(response.status_code)


def test_the_cases_reached_every_operation_past_its_404s():
    """Runs after the cases above (pytest keeps a file's order): each operation answered 200."""
    assert len(reached) == 8, sorted(reached)
    assert all(200 in statuses for statuses in reached.values()), dict(reached)
