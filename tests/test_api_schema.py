"""Property-based run of schemathesis against /api/openapi.json: every documented endpoint
answers within its schema and never with a 5xx. Bounded in examples."""

import schemathesis

from leaderboard import ROOT, create_app

app = create_app({"DATA_DIR": str(ROOT / "data" / "benchmarks")})
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)


@schema.parametrize()
def test_api_conforms_to_its_openapi_document(case):
    case.call_and_validate()
