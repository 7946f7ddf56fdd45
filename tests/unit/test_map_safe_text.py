"""The map escaping helper, proved on folium's real rendering (server side)."""

from __future__ import annotations

import os

import folium
import pytest
from hypothesis import given
from hypothesis import strategies as st

from betterway_map.maps.safe_text import MAP_SPECIAL, map_text

SSTI = "{{ cycler.__init__.__globals__.os.getcwd() }}"
HOSTILE = [
    SSTI,
    "{% for x in range(3) %}loop{% endfor %}",
    "{# comment #}",
    "`; alert('tick'); `",
    "${alert(document.cookie)}",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "Quote \" and apostrophe ' and back\\slash",
]


def _render(text: str) -> str:
    m = folium.Map(location=(51.5, -0.1), zoom_start=12, tiles=None)
    marker = folium.Marker((51.5, -0.1), tooltip=folium.Tooltip(text))
    marker.add_child(folium.Popup(text))
    marker.add_to(m)
    folium.FeatureGroup(name=text).add_to(m)
    return m.get_root().render()


def test_unescaped_template_syntax_runs_on_the_server():
    """Why the helper exists: without it, folium executes data as Jinja."""
    assert os.getcwd() in _render(SSTI)


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_executes_nothing_on_the_server(text):
    html = _render(map_text(text))
    assert os.getcwd() not in html
    assert "looplooploop" not in html


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_has_no_character_special_to_jinja_js_or_html(text):
    safe = map_text(text)
    assert not set(safe) & (set(MAP_SPECIAL) | set("<>\"'"))


@given(st.text())
def test_map_text_round_trips_through_html_unescaping(text):
    from html import unescape

    assert unescape(map_text(text)) == text


@given(st.text(alphabet=st.sampled_from(list("{}%#$`\\<>&\"' abc")), max_size=40))
def test_no_jinja_or_template_literal_syntax_survives(text):
    safe = map_text(text)
    for token in ("{{", "{%", "{#", "${", "`", "\\"):
        assert token not in safe
