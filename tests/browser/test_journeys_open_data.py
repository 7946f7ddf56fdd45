"""The open data page as a visitor finds it, in headless chromium with
axe-core: the OpenActive dataset site names the feed, the feed answers
RPDE JSON that any site may read, and the volunteering roles are linked."""

from __future__ import annotations

import pytest

from tests.factories.browser import serve, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


def _seed(app) -> None:
    from tests.factories.organisations import make_group, make_organisation, make_space

    organisation = make_organisation(app, name="Eastbrook Active")
    hall = make_space(app, organisation, name="St Mary's Hall")
    make_group(app, organisation, hall, name="Walking for Health", interests=["walking"])
    make_group(app, organisation, hall, name="Garden volunteers", interests=["volunteering"])


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def test_a_visitor_finds_the_feed_and_the_volunteering_roles(site, person):
    base, _ = site
    page, watch = person()
    visit(page, f"{base}/openactive/")
    feed_url = page.locator(".feed-url code").inner_text()
    assert feed_url == f"{base}/openactive/session-series"
    feed = page.context.request.get(feed_url)
    assert feed.status == 200 and feed.headers["access-control-allow-origin"] == "*"
    assert set(feed.json()) == {"next", "items", "license"}
    href = page.get_by_role("link", name="volunteering roles (JSON-LD)").get_attribute("href")
    roles = page.context.request.get(base + href)
    assert roles.status == 200 and "Garden volunteers" in roles.text()
    watch.check(page)
