"""Nearby search: the question (where, how far, what, when) and the answer.

``NearbyQuerySchema`` reads the query string of the search page and of
``GET /api/v1/nearby`` alike, so a rule is written once. Where the search
starts is a postcode (checked by ``geocoding.locate.locate``) or a point
given as ``lat`` and ``lon`` (checked by ``geocoding.locate.place_at``);
this schema only checks that exactly one of the two was given.
"""

from __future__ import annotations

from operator import attrgetter

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from betterway_map.domain import vocab
from betterway_map.domain.geo.distance import PARTS_OF_DAY, RADIUS_STEPS_KM
from betterway_map.web.fields import ListQuerySchema, RegisterPaginationSchema, choice

__all__ = [
    "NearbyQuerySchema",
    "NearbyResultSchema",
    "WHAT_CHOICES",
    "DEFAULT_WHAT",
    "RADIUS_MIN_KM",
    "RADIUS_MAX_KM",
    "DEFAULT_RADIUS_KM",
    "PAGE_RADII_KM",
    "FILTER_NAMES",
    "result_body",
]

WHAT_CHOICES = (("group", "Groups"), ("space", "Spaces"), ("offer", "Offers of help"))
DEFAULT_WHAT = ("group", "space")
RADIUS_MIN_KM, RADIUS_MAX_KM, DEFAULT_RADIUS_KM = 0.1, 50.0, 2.0
PAGE_RADII_KM = tuple(step for step in RADIUS_STEPS_KM if step <= 20)
# Every argument that narrows what is shown (besides the radius).
FILTER_NAMES = ("what", "interest", "day", "time_of_day", "free", "step_free", "audience")


def _several(label: str, vocabulary, help_text: str) -> fields.List:
    return fields.List(
        choice(label, vocabulary, required=True),
        load_default=list,
        validate=validate.Length(
            max=len(vocabulary), error=f"Choose at most {len(vocabulary)} for {label.lower()}."
        ),
        metadata={"label": label, "help": help_text, "widget": "checkboxes"},
    )


def _yes_no(name: str, label: str) -> fields.Boolean:
    return fields.Boolean(
        load_default=False,
        error_messages={"invalid": f"{name} must be true or false, not {{input!r}}."},
        metadata={"label": label, "widget": "checkbox"},
    )


class NearbyQuerySchema(ListQuerySchema):
    """Where to search from, how far, and what to show."""

    postcode = fields.String(
        allow_none=True,
        validate=validate.Length(max=200, error="Use at most 200 characters."),
        metadata={
            "label": "Postcode",
            "help": "A full postcode like ZZ1 1AA, or just the first part, like ZZ1.",
        },
    )
    lat = fields.String(
        allow_none=True,
        validate=validate.Length(max=40, error="Use at most 40 characters."),
        metadata={
            "label": "Latitude",
            "help": "Decimal degrees north, like 51.5 (with lon instead of a postcode).",
        },
    )
    lon = fields.String(
        allow_none=True,
        validate=validate.Length(max=40, error="Use at most 40 characters."),
        metadata={
            "label": "Longitude",
            "help": "Decimal degrees east, like -0.12 (west is negative).",
        },
    )
    radius_km = fields.Float(
        load_default=DEFAULT_RADIUS_KM,
        allow_nan=False,
        validate=validate.Range(
            min=RADIUS_MIN_KM,
            max=RADIUS_MAX_KM,
            error=f"radius_km must be between {RADIUS_MIN_KM} and {RADIUS_MAX_KM:g} km, "
            "not {input}.",
        ),
        error_messages={
            "invalid": "radius_km must be a number of kilometres like 2 or 0.5, not {input!r}.",
            "special": "radius_km must be a number of kilometres like 2 or 0.5.",
        },
        metadata={
            "label": "How far",
            "help": f"In kilometres, from {RADIUS_MIN_KM} to {RADIUS_MAX_KM:g}; 2 unless given.",
        },
    )
    what = _several("What to show", WHAT_CHOICES, "Groups and spaces unless you choose.")
    interest = choice("Interest", vocab.INTERESTS, description="Only groups with this interest.")
    day = _several("Day of the week", vocab.WEEKDAYS, "Groups meeting on any of these days.")
    time_of_day = _several(
        "Time of day",
        PARTS_OF_DAY,
        "By start time: morning before 12:00, afternoon before 17:00, evening after.",
    )
    free = _yes_no("free", "Free only")
    step_free = _yes_no("step_free", "Step-free access only")
    audience = choice("Who it is for", vocab.AUDIENCES, description="Only groups for these people.")

    @validates_schema
    def _one_place(self, data, **kwargs):
        postcode = (data.get("postcode") or "").strip()
        lat, lon = (data.get(name) not in (None, "") for name in ("lat", "lon"))
        if postcode and (lat or lon):
            message = (
                f"Give a postcode or coordinates, not both: you gave {postcode!r} and a "
                "latitude or longitude. Clear one of them."
            )
            raise ValidationError({"postcode": [message]})
        if lat and not lon:
            raise ValidationError({"lon": ["You gave lat but no lon: a point needs both."]})
        if lon and not lat:
            raise ValidationError({"lat": ["You gave lon but no lat: a point needs both."]})
        if not (postcode or lat):
            message = "Type a postcode (like ZZ1 1AA), or give both lat and lon."
            raise ValidationError({"postcode": [message]})


class OriginSchema(Schema):
    lat = fields.Float(attribute="latitude")
    lon = fields.Float(attribute="longitude")
    label = fields.String(metadata={"description": "What the search started from."})
    precision = fields.String(
        metadata={"description": "postcode, sector, outcode, geocoder or coordinates."}
    )


class NearbyItemSchema(Schema):
    kind = fields.String(metadata={"description": "group, space or offer."})
    id = fields.Integer()
    name = fields.String()
    latitude = fields.Float(
        allow_none=True, metadata={"description": "None for offers: a home is never shown."}
    )
    longitude = fields.Float(allow_none=True)
    distance_km = fields.Float(
        metadata={"description": "Geodesic; for offers, approximate (rounded up to 0.5 km)."}
    )
    approximate = fields.Boolean()
    where = fields.String()
    schedule = fields.String(allow_none=True)
    next_meeting = fields.DateTime(allow_none=True, metadata={"description": "Europe/London."})
    step_free = fields.Boolean(allow_none=True)
    hearing_loop = fields.Boolean(allow_none=True)
    accessible_toilet = fields.Boolean(allow_none=True)
    parking = fields.Boolean(allow_none=True)
    cost_pence = fields.Integer(allow_none=True)
    cost_label = fields.String()
    offered_by = fields.String(allow_none=True, metadata={"description": "First name only."})
    url = fields.String(allow_none=True, metadata={"description": "The detail page, if any."})


class OnlineGroupsSchema(Schema):
    count = fields.Integer()
    url = fields.String()


class ExplanationSchema(Schema):
    message = fields.String()
    filtered = fields.Boolean()
    unfiltered_count = fields.Integer(allow_none=True)
    wider_radius_km = fields.Float(allow_none=True)
    wider_count = fields.Integer(allow_none=True)


class NearbyResultSchema(Schema):
    origin = fields.Nested(OriginSchema)
    radius_km = fields.Float()
    items = fields.List(fields.Nested(NearbyItemSchema))
    pagination = fields.Nested(RegisterPaginationSchema)
    online_groups = fields.Nested(OnlineGroupsSchema, allow_none=True)
    explanation = fields.Nested(ExplanationSchema, allow_none=True)


# The items' fields in the order NearbyItemSchema declares them, read in one call.
_ITEM_FIELDS = tuple(NearbyItemSchema().fields)
_ITEM_VALUES = attrgetter(*_ITEM_FIELDS)
_FLOATS = ("latitude", "longitude", "distance_km")
# What changes from one search to the next.
_EACH_TIME = frozenset({"distance_km", "next_meeting", "url"})


def result_body(search, item_url, online_url: str = "") -> dict:
    """What ``NearbyResultSchema().dump`` makes of a search whose items and
    online groups carry ``item_url(item)`` and ``online_url``, written out by
    hand: marshmallow takes longer to serialise a page of results than the
    search takes to find them. ``tests/places/test_nearby_api_body.py``
    holds the two to the same answer, so the schema stays the one
    description of the body (and of the API's documentation).
    """
    items = []
    for item in search.items:
        # What a space or group shows at every search is written out once
        # (``results.Shown``); its distance, next meeting and address each time.
        shown = item.shown
        if shown is None or shown.body is None:
            body = dict(zip(_ITEM_FIELDS, _ITEM_VALUES(item)))
            for name in _FLOATS:
                if body[name] is not None:
                    body[name] = float(body[name])
            if shown is not None:
                shown.body = {k: v for k, v in body.items() if k not in _EACH_TIME}
        else:
            body = shown.body.copy()
            body["distance_km"] = float(item.distance_km)
        next_meeting = item.next_meeting
        body["next_meeting"] = None if next_meeting is None else next_meeting.isoformat()
        body["url"] = item_url(item)
        items.append(body)
    origin, online, why = search.origin, search.online_groups, search.explanation
    return {
        "origin": {
            "lat": float(origin.latitude),
            "lon": float(origin.longitude),
            "label": origin.label,
            "precision": origin.precision,
        },
        "radius_km": float(search.radius_km),
        "items": items,
        "pagination": search.pagination,
        "online_groups": None if online is None else {"count": online.count, "url": online_url},
        "explanation": None
        if why is None
        else {
            "message": why.message,
            "filtered": why.filtered,
            "unfiltered_count": why.unfiltered_count,
            "wider_radius_km": None if why.wider_radius_km is None else float(why.wider_radius_km),
            "wider_count": why.wider_count,
        },
    }
