"""JSON answers written by orjson hold the same values as Flask's own
provider writes (``web/json_answers.py``), and what orjson cannot write is
written, or refused, as Flask does."""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import Flask, jsonify
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from betterway_map.web.json_answers import OrjsonProvider


@dataclasses.dataclass
class _Meeting:
    on: date
    name: str


VALUES = [
    {"b": 1, "a": [1, 2.5, None, True], "c": {"z": "Zoë’s café", "y": -3}},
    [date(2026, 12, 4), datetime(2026, 12, 4, 10, 30, tzinfo=UTC)],
    _Meeting(date(2026, 1, 6), "Chair Yoga"),
    {"cost": Decimal("2.50"), "id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"html": Markup("<b>bold</b>"), "tuple": (1, 2)},
    {"distance_km": 0.00022255187227580714, "tiny": 1e-7, "big": 1e22},
    {1: "a number as a key"},  # orjson refuses; Flask's provider writes it
    {"huge": 2**70},  # beyond 64 bits: the same
    "plain",
    None,
]


def _apps():
    flask_app, ours = Flask("flask"), Flask("ours")
    ours.json = OrjsonProvider(ours)
    assert isinstance(flask_app.json, DefaultJSONProvider)
    return flask_app, ours


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_an_answer_holds_the_value_flask_writes(value):
    flask_app, ours = _apps()
    with flask_app.app_context():
        theirs = jsonify(value)
    with ours.app_context():
        mine = jsonify(value)
    assert mine.mimetype == theirs.mimetype == "application/json"
    assert json.loads(mine.get_data()) == json.loads(theirs.get_data())
    assert mine.get_data().endswith(b"\n")


def test_keys_are_sorted_and_ascii_text_is_byte_for_byte_flasks():
    flask_app, ours = _apps()
    value = {"zeta": [3, 2, 1], "alpha": {"b": True, "a": None}, "when": date(2026, 1, 6)}
    with flask_app.app_context():
        theirs = jsonify(value).get_data()
    with ours.app_context():
        mine = jsonify(value).get_data()
    assert (
        mine
        == theirs
        == (
            b'{"alpha":{"a":null,"b":true},"when":"Tue, 06 Jan 2026 00:00:00 GMT","zeta":[3,2,1]}\n'
        )
    )


def test_text_beyond_ascii_is_written_as_utf8():
    _, ours = _apps()
    with ours.app_context():
        body = jsonify({"name": "Zoë"}).get_data()
    assert body == '{"name":"Zoë"}\n'.encode()


def test_what_neither_can_write_is_refused_as_flask_refuses_it():
    _, ours = _apps()
    with ours.app_context(), pytest.raises(TypeError, match="set is not JSON serializable"):
        jsonify({"a": {1, 2}})


def test_in_debug_mode_answers_are_indented_as_flasks():
    flask_app, ours = _apps()
    flask_app.debug = ours.debug = True
    with flask_app.app_context():
        theirs = jsonify({"b": 1, "a": "Zoë"}).get_data()
    with ours.app_context():
        mine = jsonify({"b": 1, "a": "Zoë"}).get_data()
    assert mine == theirs and b'\n  "a"' in mine


def test_the_app_writes_its_answers_with_orjson(app, client):
    assert isinstance(app.json, OrjsonProvider)
    answer = client.get("/api/v1/nearby?lat=91&lon=0")
    assert answer.status_code == 422
    assert answer.get_json()["errors"]
