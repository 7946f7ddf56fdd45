"""The API keeps to its own OpenAPI document: schemathesis generates requests
from /api/v1/openapi.json and checks every answer.

Each operation is called anonymously and with a bearer token of each role,
against a small register (two organisations with a space, a group and a
partnership; a worker's person, a resident's own profile). Every check is
on: no 5xx, every response as documented (status, headers, body), a request
the document calls valid is accepted, one it calls invalid is refused, and
credentials are needed exactly where the document says. The seed is fixed
(``derandomize``), so a failure here fails the same way in CI.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import make_user
from tests.factories.organisations import (
    make_group,
    make_organisation,
    make_partnership,
    make_space,
    token_headers,
)
from tests.factories.people import make_assigned_person, make_resident_with_profile

pytestmark = pytest.mark.slow

WHO = ("anonymous", "resident", "org_admin", "worker", "council", "site_admin")
# 55 operations, each called by 6 kinds of caller: about 1,300 cases at most,
# fewer where hypothesis runs out of distinct requests to make.
EXAMPLES_PER_OPERATION = 4
GENERATED: list[int] = []


@pytest.fixture()
def headers(app) -> dict[str, dict]:
    """A small register, and each role's API headers (none for anonymous)."""
    admin = make_user(app, "org_admin")
    worker = make_user(app, "worker")
    resident, _ = make_resident_with_profile(app)
    organisation = make_organisation(app, admin_user_id=admin)
    partner = make_organisation(app)
    space = make_space(app, organisation)
    make_group(app, organisation, space_id=space)
    make_group(app, partner)
    make_partnership(app, organisation, partner)
    make_assigned_person(app, worker)
    users = {
        "resident": resident,
        "org_admin": admin,
        "worker": worker,
        "council": make_user(app, "council"),
        "site_admin": make_user(app, "site_admin"),
    }
    return {"anonymous": {}} | {role: token_headers(app, uid) for role, uid in users.items()}


def _breaks_a_business_rule(operation) -> bool:
    """Whether the operation documents a 422 for well-formed requests that
    break a rule of the record (``web.api.BUSINESS_RULE``)."""
    response = operation.definition.raw.get("responses", {}).get("422", {})
    return response.get("$ref", "").endswith("/BUSINESS_RULE")


def accepts_schema_valid_requests(ctx, response, case):
    """schemathesis' ``positive_data_acceptance``, except that a 422 is an
    accepted answer where the operation documents business rules that the
    document's schemas cannot express."""
    if response.status_code == 422 and _breaks_a_business_rule(case.operation):
        return None
    return positive_data_acceptance(ctx, response, case)


def _check_operation(operation, headers: dict) -> int:
    """Run the operation's generated cases; how many there were."""
    generated = []

    @given(case=st.one_of(operation.as_strategy(mode) for mode in GenerationMode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        generated.append(case)
        case.call_and_validate(
            headers=headers,
            excluded_checks=[positive_data_acceptance],
            additional_checks=[accepts_schema_valid_requests],
        )

    run()
    return len(generated)


@pytest.mark.parametrize("who", WHO)
def test_api_keeps_to_its_document(app, headers, who):
    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for result in api.get_all_operations():
        operation = result.ok()
        try:
            GENERATED.append(_check_operation(operation, headers[who]))
        except (Failure, FailureGroup) as error:  # every operation's, not only the first
            failures.append(f"{operation.label}: {error}")
    assert not failures, f"{len(failures)} operations failed:\n" + "\n\n".join(failures)


def test_at_least_a_thousand_cases_were_generated():
    if not GENERATED:
        pytest.skip("run with the generated tests above")
    assert sum(GENERATED) >= 1000, f"only {sum(GENERATED)} cases were generated"
