"""Helpers shared by the organisation, space and group pages.

Reading a posted form through the record's schema (with the page-only
parts: money typed in pounds, opening times as a row per weekday), reading a
list's query string, and the template filters those pages use.
"""

from __future__ import annotations

from flask import render_template
from marshmallow import Schema, ValidationError, fields

from betterway_map.domain import vocab
from betterway_map.web.forms import FieldSpec, fields_of, list_args

__all__ = [
    "form_values",
    "opening_times_from_form",
    "list_args",
    "money_spec",
    "opening_rows",
    "render_form",
]


def form_values(schema: Schema, form) -> dict:
    """The posted values as the form macro shows them again after an error."""
    values = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if isinstance(field, fields.List) and field.metadata.get("widget") != "tags":
            values[key] = form.getlist(key)
        else:
            values[key] = form.get(key)
    for key in form:
        values.setdefault(key, form.get(key))
    return values


def opening_times_from_form(form) -> list[dict]:
    """Rows of the opening-times fieldset: repeated opens_<day>/closes_<day> pairs."""
    rows, problems = [], []
    for day, label in vocab.WEEKDAYS:
        pairs = zip(form.getlist(f"opens_{day}"), form.getlist(f"closes_{day}"))
        for opens, closes in pairs:
            opens, closes = opens.strip(), closes.strip()
            if opens and closes:
                rows.append({"day": day, "opens": opens, "closes": closes})
            elif opens or closes:
                problems.append(f"Give both the opening and the closing time for {label}.")
    if problems:
        raise ValidationError({"opening_times": problems})
    return rows


def money_spec(name: str, label: str, help_text: str) -> FieldSpec:
    return FieldSpec(name=name, label=label, widget="text", help=help_text)


def opening_rows(opening_times: list[dict] | None, form=None) -> list[dict]:
    """Rows for the opening-times fieldset: each stored time, and one row for a closed day."""
    rows = []
    for day, label in vocab.WEEKDAYS:
        if form is not None:
            given = [
                {"opens": opens, "closes": closes}
                for opens, closes in zip(
                    form.getlist(f"opens_{day}"), form.getlist(f"closes_{day}")
                )
            ]
        else:
            given = [row for row in opening_times or [] if row["day"] == day]
        for index, row in enumerate(given or [{"opens": "", "closes": ""}]):
            rows.append(
                {
                    "day": day,
                    "label": label if index == 0 else f"{label} (again)",
                    "id": f"{day}_{index}",
                    "opens": row["opens"],
                    "closes": row["closes"],
                }
            )
    return rows


def render_form(template: str, schema: Schema, *, values, errors, specs=None, **context):
    """Render a record's form page: 400 when it is shown again with errors."""
    specs = specs if specs is not None else fields_of(schema)
    status = 400 if errors else 200
    return (
        render_template(template, specs=specs, values=values or {}, errors=errors, **context),
        status,
    )
