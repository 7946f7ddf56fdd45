"""The pure ORUK mapping: ids, RFC 5545 schedules, pages and omitted fields."""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace

import pytest

from betterway_map.domain.schedule.recurrence import Schedule
from betterway_map.interop.oruk import mapping
from betterway_map.interop.oruk.ids import KINDS, named_id, oruk_id, our_number
from betterway_map.interop.oruk.taxonomies import TERMS

LINKS = mapping.Links(group=lambda n: f"https://x.test/groups/{n}", organisation=lambda n: f"https://x.test/o/{n}")  # fmt: skip


def _organisation(**fields):
    values = dict(
        id=3, name="Friends", sector="faith", description=None, contact_email=None, website=None
    )
    return SimpleNamespace(**(values | fields))


def _group(**fields):
    values = dict(
        id=7, organisation_id=3, organisation=_organisation(), name="Choir", description=None,
        contact_email=None, cost_pence=0, cost_note=None, age_min=None, age_max=None,
        details_checked_on=None, updated_at=datetime(2026, 3, 1, 9, 0), interests=[],
        audiences=[], space_id=None, space=None, online=True, frequency="weekly",
        weekday="tue", nth=None, start_time=time(10), end_time=time(12),
        starts_on=date(2026, 1, 6), ends_on=None,
    )  # fmt: skip
    return SimpleNamespace(**(values | fields))


def test_ids_never_change():
    # Published ids: if this fails, every consumer's records would be orphaned.
    assert oruk_id("service", 7) == "bd030c94-6166-8576-8000-000000000007"
    assert named_id("taxonomy", "interests") == "e720a03f-7ccd-5102-81db-1ff0fa20fb4c"


@pytest.mark.parametrize("number", [1, 7, 255, 10**6, 2**62 - 1])
@pytest.mark.parametrize("kind", KINDS)
def test_an_id_turns_back_into_its_number_and_kind_only(kind, number):
    text = oruk_id(kind, number)
    assert our_number(kind, text) == number
    assert our_number(kind, text.upper()) == number
    others = [other for other in KINDS if other != kind]
    assert all(our_number(other, text) is None for other in others)


def test_ids_of_different_kinds_and_parts_never_collide():
    ids = {oruk_id(kind, n) for kind in KINDS for n in range(1, 50)}
    ids |= {oruk_id("accessibility", n, part) for n in range(1, 50) for part in "abc"}
    assert len(ids) == len(KINDS) * 49 + 3 * 49


@pytest.mark.parametrize("text", ["", "7", "not a uuid", "00000000-0000-4000-8000-000000000000"])
def test_what_is_not_our_id_has_no_number(text):
    assert our_number("service", text) is None


@pytest.mark.parametrize("number", [0, -1, 2**62])
def test_numbers_out_of_range_have_no_id(number):
    with pytest.raises(ValueError, match=str(number)):
        oruk_id("service", number)


def test_term_ids_are_distinct():
    assert len({term.id for term in TERMS}) == len(TERMS)


@pytest.mark.parametrize(
    ("nth", "byday"), [(1, "1WE"), (2, "2WE"), (3, "3WE"), (4, "4WE"), (-1, "-1WE")]
)
def test_the_nth_weekday_of_the_month(nth, byday):
    recurrence = Schedule("monthly", "wed", time(10), time(11), date(2026, 1, 1), nth=nth)
    assert mapping.recurrence_fields(recurrence) == {
        "freq": "MONTHLY",
        "interval": 1,
        "byday": byday,
    }


def test_dtstart_is_the_first_meeting_not_the_start_date():
    # Starts on Monday 5 January; every other Thursday, the first on the 8th.
    group = _group(frequency="fortnightly", weekday="thu", starts_on=date(2026, 1, 5))
    schedule = mapping.schedule(group)
    assert (schedule["dtstart"], schedule["valid_from"]) == ("2026-01-08", "2026-01-05")
    assert (schedule["freq"], schedule["interval"], schedule["byday"]) == ("WEEKLY", 2, "TH")


def test_an_empty_list_is_one_empty_page():
    assert mapping.page_body([], total=0, page=1, per_page=10) == {
        "total_items": 0,
        "total_pages": 1,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": [],
    }


def test_fields_with_no_value_are_left_out():
    body = mapping.service_full(_group(), LINKS)
    assert set(body) == {
        "id", "organization_id", "name", "url", "status", "fees", "last_modified",
        "organization", "schedules", "cost_options",
    }  # fmt: skip
    # ORUK requires an organisation's description; ours may be empty.
    assert body["organization"]["description"] == "Faith organisation."
    assert body["last_modified"] == "2026-03-01T09:00:00Z"


def test_a_cost_and_its_note():
    body = mapping.service_full(_group(cost_pence=250, cost_note="tea included"), LINKS)
    assert body["fees"] == "£2.50 each time (tea included)"
    assert body["cost_options"][0]["amount"] == 2.5


@pytest.mark.parametrize(
    ("address", "street", "town"),
    [
        ("2 Mill Lane, Eastbrook", "2 Mill Lane", "Eastbrook"),
        ("Flat 1, 2 Mill Lane, Eastbrook", "Flat 1, 2 Mill Lane", "Eastbrook"),
        ("The Old Barn", "The Old Barn", ""),
    ],
)
def test_an_address_line_and_its_town(address, street, town):
    space = SimpleNamespace(
        id=1, name="Hall", description=None, address=address, postcode="ZZ1 1AA",
        latitude=None, longitude=None, step_free=False, hearing_loop=True,
        accessible_toilet=False, parking=False,
    )  # fmt: skip
    body = mapping.location_full(space)
    (found,) = body["addresses"]
    assert (found["address_1"], found["city"], found["country"]) == (street, town, "GB")
    assert [a["description"] for a in body["accessibility"]] == ["Hearing loop"]
    assert "latitude" not in body
