"""The pure core's tests: plain function calls, no app and no database."""

import pytest


@pytest.fixture(autouse=True)
def _no_app(request):
    """Fail a test here that asks for the application: it belongs beside its capability."""
    assert "app" not in request.fixturenames, f"{request.node.nodeid} builds an app"
    yield
