"""Volunteering roles as JSON-LD in the volunteering data standard: the
document expands (PyLD, offline) with the vendored context of the version
we follow, every node uses only the properties the standard documents for
its class, the times are the standard's own slots, and only organisations'
volunteering groups are in it — never a resident's offer, request or
details."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path

import pytest

from betterway_map.interop.volunteering import mapping
from betterway_map.interop.volunteering.mapping import CONTEXT_URL, NAMESPACE, time_slots
from tests.factories.organisations import make_group, make_organisation, make_space
from tests.factories.people import make_resident_with_profile

jsonld = pytest.importorskip("pyld.jsonld", reason="PyLD is in requirements-dev.txt")

CONTEXT_FILE = Path(mapping.__file__).with_name("context_v1.jsonld")
ROLES = "/volunteering/roles.jsonld"
# The properties the standard documents for each class (its ontology page,
# data model version 4), and the metadata its "sharing with metadata" example gives.
DOCUMENTED = {
    "Organisation": {"name", "description", "website", "image", "activity", "cause",
                     "charityRegistration"},
    "Activity": {"title", "description", "requiresEmergencyParticipation", "image",
                 "publishStart", "publishEnd", "organisation", "role", "session"},
    "Role": {"title", "description", "commitment", "applyLink", "allowsRemoteParticipation",
             "minimumAge", "maximumAge", "activity", "accessibility", "requirement", "reward",
             "skill"},
    "Session": {"activity", "location", "time"},
    "Location": {"name", "address", "geometry", "latitude", "longitude", "session"},
}  # fmt: skip
METADATA = {"conformsTo", "license", "publisher", "modified"}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SLOTS = {f"{NAMESPACE}{day}{part}" for day in DAYS for part in ("Morning", "Afternoon", "Evening")}


def _context() -> dict:
    """The vendored context as a JSON-LD 1.1 processor accepts it.

    The published context puts ``@embed`` (a framing keyword) in two term
    definitions, which JSON-LD 1.1 forbids there ("invalid term definition"),
    so PyLD refuses it whole; ``@embed`` changes nothing when expanding, so
    it is left out here, and only here (the vendored file stays a copy)."""
    document = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    for definition in document["@context"].values():
        if isinstance(definition, dict):
            definition.pop("@embed", None)
    return document


def _offline_loader(url, options=None):
    if url.rstrip("/") != CONTEXT_URL:
        raise jsonld.JsonLdError(f"offline: no document for {url}", "loading document failed")
    return {"contextUrl": None, "documentUrl": url, "document": _context()}


def test_the_published_context_is_refused_as_it_stands():
    """Why ``_context`` drops ``@embed``: if the standard fixes its context,
    this fails, and the workaround can go."""
    published = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    with pytest.raises(jsonld.JsonLdError, match="@embed"):
        jsonld.expand({"@context": published["@context"], "name": "x"})


def _expand(document: dict) -> list:
    return jsonld.expand(document, {"documentLoader": _offline_loader})


def _nodes(value):
    """Every expanded node (a dict with @type, not a typed value), depth first."""
    if isinstance(value, list):
        for item in value:
            yield from _nodes(item)
    elif isinstance(value, dict) and "@value" not in value:
        if "@type" in value:
            yield value
        for item in value.values():
            yield from _nodes(item)


@pytest.fixture()
def register(app):
    organisation = make_organisation(
        app, name="Eastbrook Volunteers", website="https://v.example.org"
    )
    other = make_organisation(app, name="Allotment Friends")
    hall = make_space(app, organisation, name="Community Garden")
    ids = {
        "garden": make_group(app, organisation, hall, name="Garden volunteers",
                             interests=["volunteering", "gardening"], age_min=16,
                             start_time=time(11), end_time=time(13)),
        "online": make_group(app, other, None, name="Phone friends",
                             interests=["volunteering"], weekday="thu"),
        "paused": make_group(app, organisation, hall, name="Paused volunteers",
                             interests=["volunteering"], status="paused"),
        "walk": make_group(app, organisation, hall, name="Walking group", interests=["walking"]),
    }  # fmt: skip
    make_resident_with_profile(app, first_name="Philippa", postcode="ZZ1 9XY")
    return ids


def test_the_document_expands_with_the_pinned_context(app, client, register):
    response = client.get(ROLES)
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    expanded = _expand(response.get_json())
    types = sorted(node["@type"][0].removeprefix(NAMESPACE) for node in _nodes(expanded))
    assert (
        types
        == ["Activity"] * 2 + ["Location"] + ["Organisation"] * 2 + ["Role"] * 2 + ["Session"] * 2
    )


def test_every_node_uses_only_the_properties_the_standard_documents(app, client, register):
    document = client.get(ROLES).get_json()
    assert set(document) - {"@context", "@graph"} <= METADATA
    for node in _nodes(_expand(document)):
        kind = node["@type"][0].removeprefix(NAMESPACE)
        properties = {key for key in node if not key.startswith("@")}
        assert all(key.startswith(NAMESPACE) for key in properties), properties
        assert {key.removeprefix(NAMESPACE) for key in properties} <= DOCUMENTED[kind], kind


def test_times_are_the_standards_slots(app, client, register):
    document = client.get(ROLES).get_json()
    times = [
        slot
        for organisation in document["@graph"]
        for activity in organisation["activity"]
        for session in activity.get("session", [])
        for slot in session["time"]
    ]
    assert times and set(times) <= SLOTS
    assert f"{NAMESPACE}TuesdayMorning" in times and f"{NAMESPACE}TuesdayAfternoon" in times


@pytest.mark.parametrize(
    ("start", "end", "slots"),
    [
        (time(10), time(12), ["Morning"]),
        (time(11, 30), time(12, 30), ["Morning", "Afternoon"]),
        (time(17), time(19), ["Afternoon", "Evening"]),
        (time(5), time(6), []),
        (time(9), time(21), ["Morning", "Afternoon", "Evening"]),
    ],
)
def test_a_meeting_covers_the_slots_it_overlaps(start, end, slots):
    assert time_slots("sat", start, end) == [f"{NAMESPACE}Saturday{part}" for part in slots]


def test_only_active_volunteering_groups_are_roles(app, client, register):
    document = client.get(ROLES).get_json()
    titles = sorted(a["title"] for o in document["@graph"] for a in o["activity"])
    assert titles == ["Garden volunteers", "Phone friends"]
    role = next(
        a["role"][0]
        for o in document["@graph"]
        for a in o["activity"]
        if a["title"] == "Phone friends"
    )
    assert role["allowsRemoteParticipation"] is True
    assert role["applyLink"] == f"http://localhost/groups/{register['online']}"


def test_no_person_is_in_the_document(app, client, register):
    text = client.get(ROLES).get_data(as_text=True)
    assert "Philippa" not in text and "9XY" not in text


def test_with_no_roles_the_document_is_an_empty_graph(app, client):
    document = client.get(ROLES).get_json()
    assert document["@graph"] == [] and document["@context"] == CONTEXT_URL
    assert [node["@graph"] for node in _expand(document)] == [[]]
