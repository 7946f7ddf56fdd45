"""Control characters refused at the door: every field searched at once
first, each field on its own only when something was found, with the same
answer as searching each field on its own."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from betterway_map.web.input_checks import _problem, _problems

# Mostly ordinary text, sometimes a control character (tab, newline, NUL, C1, a lone surrogate).
text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\t", "\n", "\r", "\x00", "\x1b", "\x85", "\ud800"]),
    ),
    max_size=12,
)


@given(pairs=st.lists(st.tuples(text, text), max_size=6), multiline=st.booleans())
def test_searching_all_fields_at_once_finds_what_each_field_alone_finds(pairs, multiline):
    one_by_one = [_problem(name, value, multiline=multiline) for name, value in pairs]
    assert [p for p in _problems(pairs, multiline=multiline) if p] == [p for p in one_by_one if p]


def test_a_query_with_a_tab_is_refused_naming_the_field(client):
    response = client.get("/api/v1/nearby?postcode=ZZ1%091AA&radius_km=2")
    assert response.status_code == 422
    assert "U+0009 (TAB)" in response.get_json()["errors"]["query"]["postcode"][0]


def test_a_query_with_a_nul_in_a_name_is_refused(client):
    response = client.get("/api/v1/nearby?post%00code=ZZ1")
    assert response.status_code == 422
    assert "a field's name" in response.get_json()["errors"]["query"]


def test_a_form_field_of_several_lines_keeps_its_lines_and_a_nul_is_refused(app):
    from flask import request

    from betterway_map.errors import InvalidInput
    from betterway_map.web.input_checks import refuse_control_characters

    with app.test_request_context("/", method="POST", data={"notes": "Tea.\r\n\tAnd cake."}):
        refuse_control_characters()  # nothing refused
        assert request.form["notes"] == "Tea.\r\n\tAnd cake."
    with app.test_request_context("/", method="POST", data={"notes": "a", "name": "b\x00"}):
        try:
            refuse_control_characters()
        except InvalidInput as error:
            assert set(error.errors) == {"name"}
        else:
            raise AssertionError("a NUL in a form field was let through")
