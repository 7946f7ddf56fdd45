"""Reading ORUK feeds, pure: each mess real feeds have, by hand.

File-level messes refuse the whole file with a message naming it; record
messes skip the record (or leave a value out) and say why.
"""

from __future__ import annotations

import codecs
import json
from datetime import date

import pytest

from betterway_map.interop.oruk.feed import (
    FeedError,
    check_size,
    services_of,
    services_of_csv_set,
)
from betterway_map.interop.oruk.reading import read_services
from betterway_map.interop.oruk.schedules import ScheduleProblem, read_schedule
from betterway_map.interop.oruk.taxonomies import TERMS_BY_ID
from tests.factories.oruk_feed import feed_bytes, page, service

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    "data, said",
    [
        (b"", "is empty"),
        (b"{not json", "is not JSON"),
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", "web page (HTML)"),
        (b"  <html>", "web page (HTML)"),
        (b'"just a string"', "not an ORUK feed"),
        (b'{"contents": {"id": 1}}', "'contents' is an object"),
        (b"\x00\x01\x02binary", "NUL bytes"),
        (b"PK\x03\x04workbook", "Excel workbook"),
        (b'{"foo": 1}', "an object with the keys foo"),
    ],
)
def test_a_file_that_is_not_a_feed_is_refused_saying_what_it_is(data, said):
    with pytest.raises(FeedError, match="feed.json") as refused:
        services_of(data, "feed.json")
    assert said in str(refused.value)


def test_a_file_over_the_limit_is_refused_with_its_size_and_the_limit():
    with pytest.raises(FeedError, match=r"big.json is 2.0 MB; at most 1 MB"):
        check_size(2_000_000, "big.json", 1_000_000)


@pytest.mark.parametrize(
    "data",
    [
        feed_bytes(service()),  # a page
        json.dumps([service()]).encode(),  # a bare list
        json.dumps(service()).encode(),  # one service
        json.dumps([page([service()])]).encode(),  # a list of pages
        codecs.BOM_UTF8 + feed_bytes(service()),  # a byte order mark
        json.dumps({"services": [service()]}).encode(),
    ],
    ids=["page", "list", "one", "pages", "bom", "services-key"],
)
def test_every_shape_of_feed_gives_its_services(data):
    assert [item["id"] for item in services_of(data, "f.json")] == ["svc-1"]


def test_a_feed_in_windows_1252_is_read():
    data = json.dumps(page([service(name="Caf\u00e9 club")]), ensure_ascii=False).encode("cp1252")
    assert services_of(data, "f.json")[0]["name"] == "Caf\u00e9 club"


def _one(body) -> tuple:
    plan = read_services([body], TODAY)
    return plan, (plan.services[0] if plan.services else None)


def test_a_sound_service_reads_as_a_group_its_organisation_and_space():
    plan, record = _one(service())
    assert (record.values["frequency"], record.values["weekday"]) == ("weekly", "tue")
    assert (record.values["start_time"], record.values["end_time"]) == ("12:00", "14:00")
    assert record.values["cost_pence"] == 250 and record.values["cost_note"] == "includes soup"
    assert record.values["interests"] == ["cooking"]
    assert plan.organisations["org-1"].values["name"] == "Riverside Trust"
    assert plan.locations["loc-1"].values["postcode"] == "ZZ1 1AA"
    assert plan.locations["loc-1"].values["step_free"] is True


def test_nulls_everywhere_are_values_not_given():
    nulls = {key: None for key in ("description", "email", "status", "minimum_age", "fees")}
    body = service(**nulls, cost_options=None, attributes=None, service_at_locations=None)
    plan, record = _one(body)
    assert record.values["description"] is None and record.values["status"] == "active"
    assert record.values["cost_pence"] == 0 and record.location_ref is None
    assert not plan.skipped


def test_strings_for_numbers_are_read_as_numbers():
    body = service(minimum_age="65", cost_options=[{"amount": "1.20"}])
    body["schedules"][0]["interval"] = "2"
    _, record = _one(body)
    assert (record.values["age_min"], record.values["cost_pence"]) == (65, 120)
    assert record.values["frequency"] == "fortnightly"


def test_missing_or_singly_given_nested_objects_are_read():
    body = service(organization=[service()["organization"]], schedules=service()["schedules"][0])
    body["service_at_locations"] = [{"location": None}, {}]
    plan, record = _one(body)
    assert record.organisation_ref == "org-1" and record.location_ref is None


def test_html_in_descriptions_becomes_plain_text():
    body = service(description="<p>Tea &amp; <b>cake</b></p><script>alert(1)</script>")
    assert _one(body)[1].values["description"] == "Tea & cake"


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"id": None}, "it has no id"),
        ({"name": "  "}, "it has no name"),
        ({"name": "<b></b>"}, "it has no name"),
        ({"schedules": []}, "it has no schedule"),
    ],
)
def test_a_service_that_cannot_be_a_group_is_skipped_with_why(changes, reason):
    plan, record = _one(service(**changes))
    assert record is None and plan.skipped[0].reason.startswith(reason)


def test_a_repeated_id_keeps_the_first_and_skips_the_other():
    plan = read_services([service("a", name="First"), service("a", name="Second")], TODAY)
    assert [r.name for r in plan.services] == ["First"]
    assert "repeated: record 1" in plan.skipped[0].reason


def test_ids_that_are_not_uuids_are_kept_as_they_are():
    plan, record = _one(service("12345"))
    assert record.ref == "12345" and "org-1" in plan.organisations


def test_a_non_object_item_is_skipped():
    plan = read_services(["oops", service()], TODAY)
    assert plan.skipped[0].reason == "it is not an object" and len(plan.services) == 1


@pytest.mark.parametrize(
    "schedule, expected",
    [
        ({"freq": "WEEKLY", "byday": "MO"}, ("weekly", "mon", None)),
        ({"byday": "mo"}, ("weekly", "mon", None)),
        ({"freq": "WEEKLY", "interval": 2, "byday": "SA"}, ("fortnightly", "sat", None)),
        ({"freq": "MONTHLY", "byday": "-1FR"}, ("monthly", "fri", -1)),
        ({"freq": "MONTHLY", "byday": "2TU"}, ("monthly", "tue", 2)),
        ({"freq": "WEEKLY", "byday": ["TH"]}, ("weekly", "thu", None)),
    ],
)
def test_schedules_we_can_hold(schedule, expected):
    found = read_schedule(schedule | {"opens_at": "10:00", "closes_at": "11.30"}, TODAY)
    assert (found["frequency"], found["weekday"], found["nth"]) == expected
    assert (found["end_time"], found["starts_on"]) == ("11:30", "2026-03-01")


@pytest.mark.parametrize(
    "schedule, said",
    [
        ({"freq": "DAILY", "byday": "MO"}, "not one we can hold"),
        ({"freq": "YEARLY", "byday": "MO"}, "not one we can hold"),
        ({"freq": "WEEKLY", "interval": 3, "byday": "MO"}, "interval 3"),
        ({"freq": "WEEKLY", "byday": "MO,WE"}, "several days (MO,WE)"),
        ({"freq": "WEEKLY"}, "no day of the week"),
        ({"freq": "WEEKLY", "byday": "XX"}, "'XX' is not a day"),
        ({"byday": "MO", "opens_at": None}, "no opening time"),
        ({"byday": "MO", "opens_at": "ten"}, "'ten' is not a time"),
        ({"byday": "MO", "dtstart": "next week"}, "'next week' is not a date"),
    ],
)
def test_unknown_schedules_say_what_and_why(schedule, said):
    with pytest.raises(ScheduleProblem, match=said.replace("(", r"\(").replace(")", r"\)")):
        read_schedule({"opens_at": "10:00", "closes_at": "11:00"} | schedule, TODAY)


def test_terms_match_our_vocabularies_and_the_rest_are_counted():
    music = next(term for term in TERMS_BY_ID.values() if term.value == "music")
    body = service(
        attributes=[
            {"taxonomy_term_id": music.id},
            {"taxonomy_term": {"term": "older_people"}},
            {"taxonomy_term": {"name": "Lunch clubs"}},
        ]
    )
    plan, record = _one(body)
    assert record.values["interests"] == ["music"]
    assert record.values["audiences"] == ["older_people"]
    assert plan.unmapped_terms == {"Lunch clubs": 1}


def test_a_location_without_a_postcode_is_skipped_and_the_service_kept():
    body = service()
    body["service_at_locations"][0]["location"]["addresses"] = []
    plan, record = _one(body)
    assert record.location_ref is None
    assert plan.skipped[0].reason == "it has no postcode"
    assert "left out: it has no postcode" in record.notes[0]


def test_contact_names_are_never_read():
    body = service(contacts=[{"name": "Ann Persona", "phones": [{"number": "020 7946 0000"}]}])
    _, record = _one(body)
    assert record.values["contact_phone"] == "020 7946 0000"
    assert "Ann Persona" not in json.dumps(record.values)


def _csv(*rows: str) -> bytes:
    return ("\r\n".join(rows) + "\r\n").encode()


def test_the_csv_set_is_nested_as_json_is():
    files = {
        "services.csv": _csv("id,organization_id,name", "s1,o1,Choir"),
        "organizations.csv": _csv("id,name", "o1,Trust"),
        "service_at_location.csv": _csv("id,service_id,location_id", "x,s1,l1"),
        "locations.csv": _csv("id,name,latitude,longitude", "l1,Hall,51.5,-0.1"),
        "address.csv": _csv("id,location_id,address_1,postal_code", "a,l1,1 St,zz1 1aa"),
        "schedules.csv": _csv("id,service_id,byday,opens_at,closes_at", "h,s1,WE,18:00,19:30"),
        "funding.csv": _csv("id,source", "f,Council"),
    }
    plan = read_services(services_of_csv_set(files), TODAY)
    (record,) = plan.services
    assert (record.name, record.organisation_ref, record.location_ref) == ("Choir", "o1", "l1")
    assert plan.locations["l1"].values["address"] == "1 St"
    assert record.values["weekday"] == "wed"


def test_a_csv_set_without_services_is_refused():
    with pytest.raises(FeedError, match="no services.csv"):
        services_of_csv_set({"locations.csv": _csv("id", "l1")})
