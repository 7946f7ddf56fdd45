"""Fixtures of every browser test: one chromium per module, and people at it."""

from __future__ import annotations

import pytest

from tests.factories.browser import launch_browser, new_page


@pytest.fixture(scope="module")
def browser():
    yield from launch_browser()


@pytest.fixture()
def person(browser):
    """A person at a browser: ``person(viewport=...)`` -> (page, watch), each
    in a fresh context (no shared cookies), closed after the test."""
    contexts = []

    def make(viewport=(1200, 900)):
        context, page, watch = new_page(browser, viewport)
        contexts.append(context)
        return page, watch

    yield make
    for context in contexts:
        context.close()
