"""schemathesis against the app's own OpenAPI description (/api/openapi.json): generated
requests to every operation, as an anonymous reader and as a logged-in admin (Bearer token, so
the writes go through too), on a seeded SQLite store. No request may cause a server error, and
every response must conform to the description: its declared content type and, where its status
is described, the schema of its body.

Checks left out, on purpose: status_code_conformance, because the description declares only the
success and validation statuses and refusals (401, 403, 404, 409) are expected answers here; and
the negative-data checks, whose expectations (4xx for any invalid input) the suite tests route by
route. Bounded by MAX_EXAMPLES per operation and role: about half a minute on the dev machine."""

import os
from collections.abc import Iterator

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

from recruitwatch.store import Store  # noqa: E402
from tests.api.conftest import Server  # noqa: E402

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance, checks.content_type_conformance,
          checks.response_headers_conformance]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    store = Store(tmp_path_factory.mktemp("schemathesis") / "home")
    yield Server(store)
    store.close()


@pytest.fixture(scope="module")
def api_schema(seeded: Server):  # noqa: ANN201 - schemathesis' schema type
    return schemathesis.openapi.from_asgi("/api/openapi.json", seeded.app)


def test_no_server_error_and_responses_conform(api_schema, seeded: Server) -> None:
    """Each operation in turn (schemathesis' pytest loader does not run under this pytest, so
    the operations' strategies drive hypothesis directly); every failure is listed at the end."""
    failures: dict[str, str] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15  # the whole API is described, not an empty schema
    for operation in operations:
        try:
            _fuzz(operation, seeded)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect: one run names every failure
            failures[operation.label] = f"{type(exc).__name__}: {exc}"[:2000]
    assert not failures, "\n\n".join(f"{label}\n{why}" for label, why in failures.items())


def _fuzz(operation, seeded: Server) -> None:  # noqa: ANN001 - schemathesis' APIOperation
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy())
    def run(case) -> None:  # noqa: ANN001
        # The admin's own account is left alone: disabling it or changing its password would
        # turn the rest of the run into refusals, which would test nothing.
        if case.path_parameters and case.path_parameters.get("username") == "admin":
            case.path_parameters["username"] = "viewer"
        case.call_and_validate(checks=CHECKS)  # anonymous
        case.call_and_validate(checks=CHECKS, headers=seeded.bearer("admin"))

    run()
