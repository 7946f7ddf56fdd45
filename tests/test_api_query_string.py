"""The API's query strings reach each schema as webargs' own ``MultiDictProxy``
would hand them over (``web.api.JsonTypesParser.load_querystring`` makes a
plain dict instead, once): the same values loaded, the same errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from betterway_map.web.api import Blueprint


def _query_schemas(app) -> list:
    """Every schema an API route loads from the query string."""
    found = []
    for view in app.view_functions.values():
        for parameter in getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", []):
            if isinstance(parameter, dict) and parameter.get("in") == "query":
                found.append(parameter["schema"])
    return found


def _loaded(schema, data):
    try:
        return "loaded", schema.load(data)
    except ValidationError as error:
        return "refused", error.messages


def test_every_query_schema_of_the_api_is_found(app):
    names = {type(schema).__name__ for schema in _query_schemas(app)}
    assert {"NearbyQuerySchema", "SpaceListQuerySchema", "PeopleQuerySchema"} <= names
    assert len(names) >= 9


# Keys of the schemas (lists and single values), one unknown key, and values
# that load, that are refused, or are repeated.
_KEYS = st.sampled_from(
    ["what", "day", "time_of_day", "postcode", "lat", "lon", "radius_km", "page", "page_size",
     "q", "status", "organisation_id", "interest", "free", "step_free", "role", "unknown_key"]
)  # fmt: skip
_VALUES = st.sampled_from(
    ["group", "space", "mon", "morning", "ZZ1 1AA", "52.45", "-0.98", "2", "1", "50", "x",
     "", "true", "no", "1.5", "99999999999999999999", "music", "resident", "active"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(pairs=st.lists(st.tuples(_KEYS, _VALUES), max_size=8))
def test_a_query_string_loads_as_through_webargs_proxy(app, pairs):
    parser = Blueprint.ARGUMENTS_PARSER
    environ = EnvironBuilder(path="/api/v1/x", query_string=pairs).get_environ()
    request = Request(environ)
    for schema in _query_schemas(app):
        data = parser.load_querystring(request, schema)
        assert type(data) is dict
        proxied = MultiDictProxy(MultiDict(pairs), schema)
        assert _loaded(schema, data) == _loaded(schema, proxied)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("what=group&what=space&lat=1", {"what": ["group", "space"], "lat": "1"}),
        ("lat=1&lat=2", {"lat": "1"}),  # a single value: the first, as the proxy gives
        ("day=mon", {"day": ["mon"]}),
        ("", {}),
    ],
)
def test_a_key_of_a_list_field_gives_every_value_and_others_the_first(app, query, expected):
    from betterway_map.places.schemas import NearbyQuerySchema

    schema = next(s for s in _query_schemas(app) if isinstance(s, NearbyQuerySchema))
    request = Request(EnvironBuilder(path="/api/v1/nearby", query_string=query).get_environ())
    assert Blueprint.ARGUMENTS_PARSER.load_querystring(request, schema) == expected
