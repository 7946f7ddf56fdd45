"""Pages' forms, described by the same marshmallow schemas that the API uses.

One schema per record validates input from pages and the API alike, so a rule
is written once. ``fields_of`` turns a schema into the descriptions that
``templates/macros/forms.html`` renders as accessible HTML (labels, hints,
errors linked by ``aria-describedby``); ``payload_from_form`` turns the
posted form back into the dict the schema loads. CSRF comes from Flask-WTF.

Field metadata understood here: ``label``, ``help``, ``widget`` (textarea,
select, radio, checkboxes, checkbox, date, time, number, email, tel, url,
text, password), ``choices`` (a vocabulary of ``(value, label)`` pairs), and
``label_own`` / ``help_own``: the same said to the person themself, used by
``fields_of(..., own=True)`` on a form about the signed-in person's own record.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from marshmallow import Schema, ValidationError, fields
from marshmallow.validate import OneOf

from betterway_map.domain.money import MoneyError, pounds_to_pence
from betterway_map.errors import Conflict, InvalidInput

__all__ = [
    "FieldSpec",
    "fields_of",
    "load_form",
    "flat_errors",
    "form_errors",
    "list_args",
    "payload_from_form",
    "submit_form",
    "values_for_form",
]

# Nested schemas whose fields appear on the same page form as their parent's.
NESTED = ("consent",)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    widget: str
    help: str | None = None
    choices: tuple = ()
    required: bool = False
    multiple: bool = False


def _choices(field: fields.Field) -> tuple:
    if isinstance(field, fields.Boolean) and "widget" not in field.metadata:
        # A yes/no field is a box to tick, even when a validator insists on
        # yes (an agreement): never a select whose only option is already chosen.
        return ()
    if "choices" in field.metadata:
        return tuple(field.metadata["choices"])
    for validator in field.validators:
        if isinstance(validator, OneOf):
            labels = validator.labels or validator.choices
            return tuple(zip(validator.choices, labels))
    return ()


def _widget(field: fields.Field, choices: tuple) -> str:
    if "widget" in field.metadata:
        return field.metadata["widget"]
    if isinstance(field, fields.List):
        return "checkboxes" if choices else "tags"
    if choices:
        return "select"
    for kind, widget in (
        (fields.Boolean, "checkbox"),
        (fields.DateTime, "text"),
        (fields.Date, "date"),
        (fields.Time, "time"),
        (fields.Integer, "number"),
        (fields.Float, "number"),
        (fields.Email, "email"),
        (fields.Url, "url"),
    ):
        if isinstance(field, kind):
            return widget
    return "text"


def fields_of(
    schema: Schema, only: tuple[str, ...] | None = None, *, own: bool = False
) -> list[FieldSpec]:
    """Describe the loadable fields of ``schema`` for the form macro, in order;
    ``own``: the form is about the reader's own record ("you", not "the person")."""
    specs = []
    for name, field in schema.fields.items():
        if field.dump_only or (only and name not in only):
            continue
        if field.metadata.get("form") is False:
            continue
        inner = field.inner if isinstance(field, fields.List) else field
        choices = _choices(field) or _choices(inner)
        meta = field.metadata
        specs.append(
            FieldSpec(
                name=field.data_key or name,
                label=(own and meta.get("label_own"))
                or meta.get("label", name.replace("_", " ").capitalize()),
                widget=_widget(field, choices),
                help=(own and meta.get("help_own")) or meta.get("help"),
                choices=choices,
                required=field.required,
                multiple=isinstance(field, fields.List),
            )
        )
    return specs


def payload_from_form(schema: Schema, form) -> dict:
    """The dict to load from a posted form: lists from repeated keys, booleans
    from present checkboxes, empty text as missing (so defaults apply)."""
    payload: dict = {}
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        key = field.data_key or name
        if isinstance(field, fields.List):
            if field.metadata.get("widget") == "tags" or not (
                _choices(field) or _choices(field.inner)
            ):
                raw = form.get(key, "")
                payload[key] = [part.strip() for part in raw.split(",") if part.strip()]
            else:
                payload[key] = [value for value in form.getlist(key) if value != ""]
        elif isinstance(field, fields.Boolean) and field.metadata.get("widget") in (
            None,
            "checkbox",
        ):
            payload[key] = key in form
        elif key in form:
            value = form.get(key, "").strip()
            if value != "":
                payload[key] = value
            elif field.allow_none:
                payload[key] = None
    return payload


def values_for_form(schema: Schema, record) -> dict:
    """A record dumped for filling a form (lists of tags joined by commas)."""
    dumped = schema.dump(record)
    for name, field in schema.fields.items():
        key = field.data_key or name
        if isinstance(field, fields.List) and not (_choices(field) or _choices(field.inner)):
            dumped[key] = ", ".join(str(item) for item in dumped.get(key) or [])
    return dumped


def load_form(
    schema: Schema,
    form,
    *,
    money: dict[str, tuple[str, str]] | None = None,
    readers: dict | None = None,
    extra: dict | None = None,
) -> dict:
    """Load a posted form with ``schema``: the one pipeline of every page form.

    ``money`` maps a schema field in pence to (form field in pounds, label);
    ``readers`` maps a schema field to a function that reads it from the form
    (e.g. opening times as a row per weekday) and raises ``ValidationError``;
    ``extra`` adds values that do not come from the form. Raises
    ``InvalidInput`` whose errors are keyed by form field.
    """
    money = money or {}
    payload = payload_from_form(schema, form)
    payload.update(extra or {})
    errors: dict = {}
    for pence_field, (pounds_field, label) in money.items():
        try:
            payload[pence_field] = pounds_to_pence(form.get(pounds_field, ""), label)
        except MoneyError as error:
            errors[pounds_field] = [str(error)]
            payload.pop(pence_field, None)
    for name, reader in (readers or {}).items():
        try:
            payload[name] = reader(form)
        except ValidationError as error:
            errors.update(error.messages)
    try:
        data = schema.load(payload)
    except ValidationError as error:
        errors.update(error.messages)
        data = None
    renamed = {pence: pounds for pence, (pounds, _) in money.items()}
    if errors:
        raise InvalidInput(
            "Some of the details need correcting.",
            {renamed.get(k, k): v for k, v in flat_errors(errors).items()},
        )
    return data


def submit_form(schema: Schema, action, **options):
    """Load the posted form (``load_form``, with its ``options``) and call ``action(data)``.

    Returns ``(result, values, errors)``: the form's values to show again and
    the messages per form field when the input or the service refused it.
    """
    values = payload_from_form(schema, request.form)
    try:
        return action(load_form(schema, request.form, **options)), values, {}
    except (InvalidInput, Conflict) as error:
        return None, values, form_errors(schema, error.errors) or {"_schema": [error.message]}


def form_errors(schema: Schema, errors: dict | None) -> dict:
    """Errors keyed by the schema's field names (as a service raises them)
    under the form's own field names (``data_key``), so that each shows
    beside its field; keys already the form's are kept.

    >>> from marshmallow import Schema, fields
    >>> class Cancel(Schema):
    ...     occurs_on = fields.Date(data_key="cancel_date")
    >>> form_errors(Cancel(), {"occurs_on": ["In the past."], "_schema": ["No."]})
    {'cancel_date': ['In the past.'], '_schema': ['No.']}
    """
    keys = {name: field.data_key or name for name, field in schema.fields.items()}
    return {keys.get(name, name): messages for name, messages in (errors or {}).items()}


def flat_errors(messages) -> dict[str, list[str]]:
    """Marshmallow's nested messages as one list of text per field, for a page.

    Messages about one item of a list, or about a field of a nested schema,
    go to the field they belong to on the form.

    >>> flat_errors({"interests": {2: ["'zz' is not an interest."]}, "consent": {"method": ["Say how."]}})
    {'interests': ["'zz' is not an interest."], 'method': ['Say how.']}
    """
    flat: dict[str, list[str]] = {}

    def walk(name, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(key if isinstance(key, str) and name in NESTED else name, inner)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(name, item)
        else:
            flat.setdefault(name, []).append(str(value))

    for field, value in messages.items():
        walk(field, value)
    return flat


def list_args(schema: Schema) -> dict:
    """A list page's query string, loaded by ``schema``; empty values are ignored.

    Raises ``InvalidInput`` whose message names every bad value.
    """
    args = {key: value for key, value in request.args.items() if value.strip() != ""}
    try:
        return schema.load(args)
    except ValidationError as error:
        errors = flat_errors(error.messages)
        message = " ".join(m for ms in errors.values() for m in ms)
        raise InvalidInput(message, errors) from None
