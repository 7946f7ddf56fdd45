"""The page "How we protect people in these figures": the rule in plain
English, with the threshold from configuration, linked from the council pages."""

from __future__ import annotations

import pytest


def test_the_page_explains_the_rule_with_the_configured_threshold(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_CELL_COUNT", 7)
    page = client.get("/council/protecting-people")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "How we protect people in these figures" in text
    assert "fewer than 7 people (from 1 to\n     6)" in text
    assert "Month against month" in text and "Scores" in text


@pytest.mark.parametrize("url", ["/council", "/council/network", "/me"])
def test_the_council_pages_link_it(signed_in, url):
    client, _ = signed_in("council")
    assert 'href="/council/protecting-people"' in client.get(url).get_data(as_text=True)
