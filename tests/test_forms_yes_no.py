"""Every yes/no question on a form is a box to tick (or an explicit choice),
never a select with one option already chosen: consent above all."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from marshmallow import Schema, fields

import betterway_map
from betterway_map.web.forms import fields_of


def _schemas() -> list[type[Schema]]:
    found = {}
    for info in pkgutil.walk_packages(betterway_map.__path__, "betterway_map."):
        if ".schemas" in info.name:
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, Schema) and value is not Schema:
                    found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


SCHEMAS = _schemas()


def test_the_schemas_are_found():
    assert any(s.__name__ == "NewAttendeeSchema" for s in SCHEMAS)


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: s.__name__)
def test_yes_no_fields_are_checkboxes_unless_they_say_otherwise(schema):
    try:
        instance = schema()
    except TypeError:
        pytest.skip(f"{schema.__name__} needs arguments")
    for spec in fields_of(instance):
        field = next(f for name, f in instance.fields.items() if (f.data_key or name) == spec.name)
        if isinstance(field, fields.Boolean) and "widget" not in field.metadata:
            assert spec.widget == "checkbox", f"{schema.__name__}.{spec.name} is a {spec.widget}"
            assert spec.choices == ()
