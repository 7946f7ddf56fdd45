"""The JSON API under /api/v1, described by OpenAPI at /api/v1/openapi.json.

Each capability has its flask-smorest blueprints in its ``api``; ``create_app``
lists them, with their paths, for ``init_api``. Bodies are validated
by the same marshmallow schemas the pages use. Errors answer JSON:
``{"code", "status", "message", "errors"}`` with ``errors`` keyed by location
(``json``, ``query``) and then by field.

Authentication: ``Authorization: Bearer <token>`` (a per-user token made on
the account page; it lasts as long as chosen there, and ends when the
password is changed or reset: an expired one is answered 401 saying so), or the browser session with the ``X-CSRFToken`` header
on writes. Which operations need it is read from each view's access
declaration (``web.access``), so the document cannot disagree with the server.

A JSON body is held to JSON's own types (``JsonTypesParser``): ``1.5`` or
``"12"`` is not a whole number and ``"yes"`` is not ``true``, although a
form or a query string, which are text, are parsed.
"""

from __future__ import annotations

import weakref

from apispec import BasePlugin
from flask import Flask
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import Schema, ValidationError, fields
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict

from betterway_map.web.access import rule_for
from betterway_map.web.fields import MAX_WHOLE_NUMBER, WholeNumber

__all__ = ["BUSINESS_RULE", "Blueprint", "init_api", "json_type_errors", "page_body"]

# The response of an operation that refuses, with 422, a request whose every
# field is well formed but which breaks a rule the document cannot express
# (a group's youngest age above its oldest, a space of another organisation).
BUSINESS_RULE = "BUSINESS_RULE"


def _label(field: fields.Field, key: str) -> str:
    return field.metadata.get("label") or key


def _type_problem(field: fields.Field, value, key: str):
    """Messages when ``value`` (from JSON) is not of ``field``'s JSON type, or None."""
    if value is None:
        return None  # whether null is accepted is the field's to say
    if isinstance(field, fields.Boolean):
        ok, what = isinstance(value, bool), "true or false"
    elif isinstance(field, fields.Integer):
        ok, what = isinstance(value, int) and not isinstance(value, bool), "a whole number"
    elif isinstance(field, fields.Number):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        what = "a number"
    elif isinstance(field, fields.List) and isinstance(value, list):
        inner = {
            index: problem
            for index, item in enumerate(value)
            if (problem := _type_problem(field.inner, item, key))
        }
        return inner or None
    elif isinstance(field, fields.Nested) and isinstance(value, dict | list):
        schema = field.schema
        if isinstance(value, list):
            inner = {i: json_type_errors(schema, item) for i, item in enumerate(value)}
            return {i: e for i, e in inner.items() if e} or None
        return json_type_errors(schema, value) or None
    else:
        return None
    if ok:
        return None
    try:
        field.deserialize(value)
    except ValidationError:
        return None  # refused anyway, with the field's own message
    return [f"{_label(field, key)} must be {what}, not {value!r}."]


def json_type_errors(schema, data) -> dict:
    """Each field of ``data`` (a JSON object) whose value is not of the JSON
    type its field declares, with a message quoting the value.

    >>> from marshmallow import Schema
    >>> class Example(Schema):
    ...     capacity = fields.Integer()
    ...     online = fields.Boolean()
    >>> json_type_errors(Example(), {"capacity": 1.5, "online": "yes"})
    {'capacity': ['capacity must be a whole number, not 1.5.'], 'online': ["online must be true or false, not 'yes'."]}
    >>> json_type_errors(Example(), {"capacity": 12, "online": True})
    {}
    """
    if not isinstance(data, dict):
        return {}  # marshmallow says what it expected
    errors = {}
    for name, field in schema.load_fields.items():
        key = field.data_key or name
        if key in data and (problem := _type_problem(field, data[key], key)):
            errors[key] = problem
    return errors


class JsonTypesParser(FlaskParser):
    """webargs' parser, refusing a JSON value of the wrong type that the
    schema would convert (marshmallow reads ``"12"`` as 12, ``1.5`` as 1 and
    ``"yes"`` as true); values it refuses itself keep its message.

    The query string is handed to the schema as a plain dict holding what
    webargs' ``MultiDictProxy`` gives for each key sent (every value of a
    key whose field takes several, else the first), made once: the proxy
    looks each of the schema's fields up through three layers of mapping,
    some fifty microseconds of a nearby search.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The keys of a schema's fields that take several values, by schema.
        self._several: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def load_querystring(self, req, schema):
        several = self._several.get(schema)
        if several is None:
            several = self._several[schema] = frozenset(
                MultiDictProxy(MultiDict(), schema).multiple_keys
            )
        args = req.args
        return {key: args.getlist(key) if key in several else args[key] for key in args}

    def pre_load(self, location_data, *, schema, req, location):
        if location == "json" and (errors := json_type_errors(schema, location_data)):
            # With the other fields' messages, as a load would give them.
            raise ValidationError(schema.validate(location_data) | errors)
        return super().pre_load(location_data, schema=schema, req=req, location=location)


class Blueprint(SmorestBlueprint):
    """Every API blueprint: flask-smorest's, with JSON bodies held to JSON's
    types, and each arguments schema made once (webargs makes a new instance
    of a schema class for every request, copying every field)."""

    ARGUMENTS_PARSER = JsonTypesParser()

    def arguments(self, schema, *args, **kwargs):
        if isinstance(schema, type) and issubclass(schema, Schema):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)


# The characters ``web.input_checks`` and ``web.fields.text`` refuse, declared
# on every string of the document (``domain.text`` has the same classes).
ONE_LINE = r"^[^\x00-\x1f\x7f-\x9f]*$"
SEVERAL_LINES = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"


def no_control_characters(converter, field, ret, **kwargs) -> dict:
    """apispec attribute function: a string property with nothing else
    that constrains its characters (a pattern, a list of values, a date or
    time format) says that control characters are refused; tab and line breaks are
    accepted only in text of several lines."""
    if ret.get("type") != "string" or {"pattern", "enum"} & ret.keys():
        return {}
    if ret.get("format") in ("date", "date-time", "time"):
        return {}  # those formats hold no control characters
    several_lines = field.metadata.get("widget") == "textarea"
    return {"pattern": SEVERAL_LINES if several_lines else ONE_LINE}


def whole_number_bounds(converter, field, ret, **kwargs) -> dict:
    """apispec attribute function: every whole number loaded is refused
    beyond ±``MAX_WHOLE_NUMBER`` (``WholeNumber``), so the document says so."""
    if not isinstance(field, WholeNumber):
        return {}
    bounds = {"minimum": -MAX_WHOLE_NUMBER, "maximum": MAX_WHOLE_NUMBER}
    return {key: value for key, value in bounds.items() if key not in ret}


class AccessPlugin(BasePlugin):
    """Says in the document which operations need credentials, from the same
    access declarations that ``web.access`` enforces: a public operation
    needs none (``security: []``); one that needs a fresh sign-in, which a
    token never is, needs the browser session."""

    def __init__(self, app: Flask):
        self.app = app

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        access = rule_for(self.app, rule.endpoint)
        for operation in operations.values():
            if access is not None and access.public:
                operation["security"] = []
            elif access is not None and access.fresh:
                operation["security"] = [{"sessionAuth": []}]


class Api(SmorestApi):
    """flask-smorest without its app-wide error handler: ``errors`` answers
    JSON for API paths and HTML pages for the rest."""

    def _register_error_handlers(self):
        pass


def init_api(app: Flask, blueprints) -> Api:
    """The API, with ``blueprints`` as ``(blueprint, path under /api/v1)`` pairs."""
    api = Api(
        app,
        spec_kwargs={
            "extra_plugins": [AccessPlugin(app)],
            "info": {
                "description": "Organisations, spaces and groups are public; everything "
                "else follows the same permissions as the pages."
            },
            "servers": [{"url": "/"}],
        },
    )
    api.ma_plugin.converter.add_attribute_function(no_control_characters)
    api.ma_plugin.converter.add_attribute_function(whole_number_bounds)
    api.spec.components.security_scheme(
        "bearerAuth",
        {"type": "http", "scheme": "bearer", "description": "A token from your account page."},
    )
    api.spec.components.security_scheme(
        "sessionAuth",
        {
            "type": "apiKey",
            "in": "header",
            "name": "X-CSRFToken",
            "description": "A signed-in browser session; writes send the page's CSRF token.",
        },
    )
    api.spec.options["security"] = [{"bearerAuth": []}, {"sessionAuth": []}]
    api.spec.components.response(
        BUSINESS_RULE,
        {
            "description": "Every field is well formed, but together they break a rule "
            "of the record (the operation's description names its rules), or a field is "
            "refused: the messages say which.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
    )
    for blueprint, prefix in blueprints:
        api.register_blueprint(blueprint, url_prefix=f"/api/v1{prefix}")
    app.extensions["bwm_api"] = api
    return api


def page_body(page) -> dict:
    """A page of a list as the API answers it: its items and where it sits."""
    return {"items": page.items, "pagination": page.pagination}
