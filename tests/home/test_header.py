"""Every page's header links to the search and to the groups, for everyone."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/", "/nearby", "/groups/", "/auth/login", "/organisations/"])
def test_the_header_links_to_the_search_and_the_groups(client, path):
    page = client.get(path).get_data(as_text=True)
    header = page.split("</header>")[0]
    assert 'href="/nearby"' in header and "What is on near me" in header
    assert 'href="/groups/"' in header


def test_the_current_page_is_marked_for_screen_readers(client):
    header = client.get("/nearby").get_data(as_text=True).split("</header>")[0]
    assert 'href="/nearby" aria-current="page"' in header
