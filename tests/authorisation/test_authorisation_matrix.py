"""Role × route × someone else's record, for every route (see tests/matrix.py)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from flask import url_for

from tests.authorisation.matrix import ALL_ROLES, Case
from tests.conftest import csrf_token, login, make_user
from tests.factories.days import dated

LOGIN_PATHS = ("/auth/login", "/auth/confirm")


def _collect() -> list[Case]:
    cases: list[Case] = []
    folder = Path(__file__).parent
    for info in pkgutil.iter_modules([str(folder)]):
        if info.name.startswith("matrix_"):
            cases.extend(importlib.import_module(f"tests.authorisation.{info.name}").CASES)
    return cases


CASES = _collect()


def _id(case: Case) -> str:
    return f"{case.method} {case.endpoint}"


def test_every_route_has_a_matrix_case(app):
    described = {(case.endpoint, case.method) for case in CASES}
    missing = sorted(
        f"{method} {rule.endpoint}"
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if (rule.endpoint, method) not in described
    )
    assert missing == [], f"routes with no case in a tests/authorisation/matrix_*.py: {missing}"


def _request(app, client, case: Case, values: dict):
    with app.test_request_context():
        url = url_for(case.endpoint, **values)
    if case.method == "GET":
        return client.get(url)
    token, data = csrf_token(client), dated(case.data)
    if case.is_api:
        return client.open(url, method=case.method, json=data, headers={"X-CSRFToken": token})
    return client.open(url, method=case.method, data={**data, "csrf_token": token})


def _denied(response, case: Case, anonymous: bool) -> bool:
    if anonymous and not case.is_api:
        return response.status_code == 302 and response.headers["Location"].startswith(
            "/auth/login"
        )
    return response.status_code in ((401,) if anonymous else (403, 404))


def _let_through(response) -> bool:
    if response.status_code in (401, 403, 404) or response.status_code >= 500:
        return False
    location = response.headers.get("Location", "")
    return not any(location.startswith(path) for path in LOGIN_PATHS)


def _skip_if_unavailable(case: Case) -> None:
    reason = case.unavailable() if case.unavailable else None
    if reason:
        pytest.skip(reason)


def _values(app, case: Case, owner: int | None) -> dict:
    if case.record is None:
        return {}
    if owner is None:
        owner = make_user(app, "site_admin")
    return case.record(app, owner)


@pytest.mark.parametrize("case", CASES, ids=_id)
@pytest.mark.parametrize("role", [None, *ALL_ROLES], ids=lambda r: r or "anonymous")
def test_role_on_own_record(app, case: Case, role: str | None):
    _skip_if_unavailable(case)
    client = app.test_client()
    owner = None
    if role is not None:
        owner = make_user(app, role)
        login(client, app, owner)
    response = _request(app, client, case, _values(app, case, owner))
    response.close()
    if case.allows(role):
        assert _let_through(response), (
            f"{role} was refused {_id(case)}: {response.status_code} {response.headers.get('Location')}"
        )
    else:
        assert _denied(response, case, anonymous=role is None), (
            f"{role} was not refused {_id(case)}: {response.status_code}"
        )


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.record is not None and not c.others_allowed], ids=_id
)
def test_allowed_role_on_someone_elses_record(app, case: Case):
    _skip_if_unavailable(case)
    roles = ALL_ROLES if isinstance(case.allowed, str) else sorted(case.allowed)
    for role in roles:
        stranger = make_user(app, role)
        values = case.record(app, make_user(app, role))
        client = app.test_client()
        login(client, app, stranger)
        response = _request(app, client, case, values)
        response.close()
        assert response.status_code in (403, 404), (
            f"{role} used someone else's record through {_id(case)}: {response.status_code}"
        )
