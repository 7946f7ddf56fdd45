"""The pure OpenActive mapping: which groups are opportunities, their
PartialSchedules, offers, access and places, and values left out."""

from __future__ import annotations

from datetime import date, time
from types import SimpleNamespace

import pytest

from betterway_map.interop.openactive import mapping
from betterway_map.interop.openactive.activities import activities_for, concepts

LINKS = mapping.Links(
    group=lambda n: f"https://x.test/groups/{n}",
    organisation=lambda n: f"https://x.test/organisations/{n}",
    space=lambda n: f"https://x.test/spaces/{n}",
)


def _space(**fields):
    values = dict(
        id=5, name="Hall", description=None, address="1 Long Road, Eastbrook", postcode="ZZ1 1AA",
        latitude=52.451, longitude=-0.982, step_free=False, hearing_loop=False,
        accessible_toilet=False, parking=False,
    )  # fmt: skip
    return SimpleNamespace(**(values | fields))


def _group(**fields):
    organisation = SimpleNamespace(
        id=3, name="Friends", description=None, website=None, contact_email=None, contact_phone=None
    )
    values = dict(
        id=7, organisation=organisation, name="Walk", description=None, status="active",
        interests=["walking"], space=_space(), online=False, cost_pence=0, cost_note=None,
        age_min=None, age_max=None, capacity=None, frequency="weekly", weekday="tue", nth=None,
        start_time=time(10), end_time=time(12), starts_on=date(2026, 1, 6), ends_on=None,
        changes=[], one_offs=[],
    )  # fmt: skip
    return SimpleNamespace(**(values | fields))


def _no_empty_values(value) -> bool:
    if isinstance(value, dict):
        return all(v not in (None, "", [], {}) and _no_empty_values(v) for v in value.values())
    if isinstance(value, list):
        return all(_no_empty_values(v) for v in value)
    return True


def test_every_mapped_interest_names_a_vendored_concept():
    assert {a["@id"] for a in activities_for(["walking", "dance", "exercise"])} == set(concepts())


@pytest.mark.parametrize(
    ("fields", "publishable"),
    [
        ({}, True),
        ({"status": "paused"}, False),
        ({"status": "ended"}, False),
        ({"space": None, "online": True}, False),  # online only: no place to go
        ({"interests": ["books", "music"]}, False),  # not on the Activity List
        ({"interests": ["social", "exercise"]}, True),
        ({"frequency": "monthly", "nth": None}, False),  # a stored schedule that no longer holds
    ],
)
def test_which_groups_are_opportunities(fields, publishable):
    assert mapping.publishable(_group(**fields)) is publishable


@pytest.mark.parametrize(
    ("fields", "frequency", "by_day", "first"),
    [
        ({}, "P1W", "https://schema.org/Tuesday", "2026-01-06"),
        # Fortnights counted from the week it starts: Thursday 1 January's
        # week has no Tuesday left, so the first meeting is two weeks on.
        ({"frequency": "fortnightly", "starts_on": date(2026, 1, 1)}, "P2W",
         "https://schema.org/Tuesday", "2026-01-13"),
        ({"frequency": "monthly", "nth": -1, "weekday": "fri"}, "P1M", "-1FR", "2026-01-30"),
        ({"frequency": "monthly", "nth": 2, "weekday": "wed"}, "P1M", "2WE", "2026-01-14"),
    ],
)  # fmt: skip
def test_the_recurrence_is_a_partial_schedule(fields, frequency, by_day, first):
    schedule = mapping.partial_schedule(_group(**fields))
    assert schedule == {
        "@type": "PartialSchedule",
        "repeatFrequency": frequency,
        "byDay": [by_day],
        "startTime": "10:00",
        "endTime": "12:00",
        "duration": "PT2H",
        "startDate": first,
        "scheduleTimezone": "Europe/London",
    }


def test_the_last_date_is_the_end_date():
    schedule = mapping.partial_schedule(_group(ends_on=date(2026, 7, 28)))
    assert schedule["endDate"] == "2026-07-28"


def test_a_free_group_offers_a_free_place():
    data = mapping.session_series(_group(), LINKS)
    assert data["offers"][0]["price"] == 0 and data["offers"][0]["priceCurrency"] == "GBP"
    assert data["isAccessibleForFree"] is True


def test_a_paid_group_offers_its_price_with_its_note():
    data = mapping.session_series(_group(cost_pence=350, cost_note="tea included"), LINKS)
    offer = data["offers"][0]
    assert (offer["price"], offer["name"], offer["description"]) == (
        3.5,
        "Each time",
        "tea included",
    )
    assert data["isAccessibleForFree"] is False


@pytest.mark.parametrize(
    ("features", "text"),
    [
        ({}, "No step-free access, hearing loop, accessible toilet or parking is recorded."),
        ({"step_free": True}, "The place has step-free access."),
        ({"step_free": True, "hearing_loop": True, "parking": True},
         "The place has step-free access, a hearing loop and parking."),
    ],
)  # fmt: skip
def test_access_is_said_in_words(features, text):
    data = mapping.session_series(_group(space=_space(**features)), LINKS)
    assert data["accessibilityInformation"] == text


def test_a_place_without_coordinates_has_no_geo():
    data = mapping.session_series(_group(space=_space(latitude=None, longitude=None)), LINKS)
    assert "geo" not in data["location"] and data["location"]["address"].endswith("ZZ1 1AA")


def test_a_group_also_online_is_mixed_attendance():
    data = mapping.session_series(_group(online=True), LINKS)
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"


def test_ages_are_a_range_only_when_given():
    assert "ageRange" not in mapping.session_series(_group(), LINKS)
    data = mapping.session_series(_group(age_min=55), LINKS)
    assert data["ageRange"] == {"@type": "QuantitativeValue", "minValue": 55}


def test_no_value_is_null_or_empty():
    assert _no_empty_values(mapping.session_series(_group(), LINKS))


def test_a_deleted_item_has_no_data():
    assert mapping.deleted_item(7, 12) == {
        "state": "deleted",
        "kind": "SessionSeries",
        "id": 7,
        "modified": 12,
    }
