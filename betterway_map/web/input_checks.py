"""Control characters are refused at the door, for every route at once.

A NUL in a search or a form field would reach the database, which refuses
it (PostgreSQL) and answers 500; the other control characters hide in logs,
exports and pages. Before any view runs, the query string, the form fields
and every string of a JSON body (names and values) are checked; tab, newline
and carriage return are let through in form fields and JSON, where text of
several lines belongs (``web.fields.text`` refuses them in one-line fields).
"""

from __future__ import annotations

from itertools import chain

from flask import Flask, request
from werkzeug.exceptions import BadRequest

from betterway_map.domain.text import describe, first_control_character
from betterway_map.errors import InvalidInput

__all__ = ["init_app", "refuse_control_characters"]


def _problem(name: str, value: str, *, multiline: bool) -> tuple[str, str] | None:
    """(field, message) when ``name`` or ``value`` holds a control character."""
    in_name = first_control_character(name)
    char = in_name or first_control_character(value, multiline=multiline)
    if char is None:
        return None
    field = "a field's name" if in_name else name
    shown = "A field's name" if in_name else repr(name)
    return field, (
        f"{shown} contains the control character {describe(char)}, which is not "
        "accepted: remove it and try again."
    )


def _problems(pairs, *, multiline: bool) -> list:
    """``_problem`` of each (name, value) pair; all of them searched at once
    first, so that fields with no control character (nearly every request)
    cost one search, not two a field."""
    pairs = list(pairs)
    if first_control_character("".join(chain.from_iterable(pairs))) is None:
        return []  # (stricter than either mode: none anywhere)
    return [_problem(name, value, multiline=multiline) for name, value in pairs]


def _json_strings(value, top: str | None = None):
    """(top-level field, name or text) for every string in a JSON document."""
    if isinstance(value, str):
        yield top or "body", value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield top or key, key
            yield from _json_strings(inner, top or key)
    elif isinstance(value, list):
        for inner in value:
            yield from _json_strings(inner, top)


def refuse_control_characters() -> None:
    """``before_request``: raise ``InvalidInput`` naming each field that holds a
    control character (``BadRequest`` for one in the path)."""
    char = first_control_character(request.path)
    if char:
        raise BadRequest(
            f"This address contains the control character {describe(char)}: "
            "check the link and try again."
        )
    problems = _problems(request.args.items(multi=True), multiline=False)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        problems += _problems(request.form.items(multi=True), multiline=True)
        if request.is_json:
            problems += [
                _problem(field, text, multiline=True)
                for field, text in _json_strings(request.get_json(silent=True))
            ]
    errors: dict[str, list[str]] = {}
    for field, message in filter(None, problems):
        errors.setdefault(field, []).append(message)
    if errors:
        messages = dict.fromkeys(m for ms in errors.values() for m in ms)
        raise InvalidInput(" ".join(messages), errors)


def init_app(app: Flask) -> None:
    app.before_request(refuse_control_characters)
