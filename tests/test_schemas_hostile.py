"""Every schema of every capability, fed values of the wrong type and size.

A marshmallow message that quotes the value (``{input!r}``) fails with
``KeyError: 'input'`` when the value has the wrong type, and an integer too
large for the database fails in the query: either is a 500. Walking every
schema, rather than the ones remembered, covers the next one written too.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from marshmallow import Schema, ValidationError, fields, missing

import betterway_map
from betterway_map.web.fields import MAX_WHOLE_NUMBER, WholeNumber

# Values a client may send in place of any field's.
HOSTILE = [{}, [], [{}], 123, 10**20, -(10**20), 1.5, True, "", "x" * 10_000, "a\x00b", None]


def _all_schemas() -> list[type[Schema]]:
    for module in pkgutil.walk_packages(betterway_map.__path__, "betterway_map."):
        importlib.import_module(module.name)
    found, stack = [], list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("betterway_map."):
            found.append(cls)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


SCHEMAS = _all_schemas()


def _loadable(schema: Schema):
    return [(name, field) for name, field in schema.fields.items() if not field.dump_only]


def test_the_walk_finds_the_schemas():
    names = {cls.__name__ for cls in SCHEMAS}
    assert {"OrganisationSchema", "GroupSchema", "SpaceSchema", "PersonSchema"} <= names


@pytest.mark.parametrize("schema_class", SCHEMAS, ids=lambda cls: cls.__qualname__)
def test_any_value_of_any_type_is_loaded_or_refused_with_messages(schema_class):
    schema = schema_class()
    for name, field in _loadable(schema):
        for value in HOSTILE:
            try:
                schema.load({field.data_key or name: value}, partial=True)
            except ValidationError as error:
                assert all(isinstance(m, str | list | dict) for m in error.messages.values())


def _is_input(field: fields.Field) -> bool:
    """A field that says how to load it (required, a default, a rule or its
    own messages); the bare fields of response schemas are never loaded."""
    return bool(
        field.required
        or field.load_default is not missing
        or field.validators
        or field.error_messages != fields.Integer().error_messages
        or field.metadata.get("label")
    )


@pytest.mark.parametrize("schema_class", SCHEMAS, ids=lambda cls: cls.__qualname__)
def test_every_whole_number_loaded_is_bounded(schema_class):
    schema = schema_class()
    for name, field in _loadable(schema):
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Integer) and _is_input(inner):
            assert isinstance(inner, WholeNumber), f"{schema_class.__name__}.{name}"
            with pytest.raises(ValidationError):
                schema.load({field.data_key or name: MAX_WHOLE_NUMBER + 1}, partial=True)
