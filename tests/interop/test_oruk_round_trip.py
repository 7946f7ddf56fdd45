"""A feed of a few hundred services imports and comes back out of our ORUK API equal.

"Equal" means: every field we hold comes back as it went in — the
service's name, description, email, status, minimum age; its
organisation's name, description, email and website; its schedule's
freq, interval, byday, opens_at, closes_at and dtstart (as ``valid_from``:
the date fortnights are counted from); its cost option's amount and note;
its taxonomy terms; its location's name, latitude, longitude, address,
postcode and accessibility. What we do not hold comes back as ours, and
is left out of the comparison: ids (ours are UUIDs of our record numbers,
``interop/oruk/ids.py``; the feed's are kept in ``source_ref``), ``url``
and ``uri`` (our own pages), ``last_modified`` (when we last changed it),
and the fields we write from those we hold (the schedule's
``description``, ``dtstart`` as the first meeting, ``attending_type``;
the cost option's ``option`` wording and ``fees``).
"""

from __future__ import annotations

import re

from betterway_map.interop.oruk.importing import import_feed
from tests.factories.oruk import check
from tests.factories.oruk_feed import many_services

COUNT = 300


def _note(description: str) -> str:
    """The note in a cost's description: ours says the amount first
    ("£1.50 each time (includes tea)"), a feed may give only the note."""
    ours = re.fullmatch(r"(?:Free|£[\d.,]+ each time)(?: \((.*)\))?", description)
    return (ours.group(1) or "") if ours else description


def _held(body: dict) -> dict:
    """The fields of a service that we hold, in one canonical form."""
    schedule = body["schedules"][0]
    cost = body["cost_options"][0]
    location = body["service_at_locations"][0]["location"]
    address = location["addresses"][0]
    organisation = body["organization"]
    return {
        "name": body["name"],
        "description": body.get("description"),
        "email": body.get("email"),
        "status": body.get("status", "active"),
        "minimum_age": body.get("minimum_age"),
        "organization": {
            k: organisation.get(k) for k in ("name", "description", "email", "website")
        },
        "schedule": {
            "freq": schedule["freq"],
            "interval": int(schedule["interval"]),
            "byday": schedule["byday"],
            "opens_at": schedule["opens_at"],
            "closes_at": schedule["closes_at"],
            "starts": schedule.get("valid_from") or schedule["dtstart"],
        },
        "cost": (round(float(cost["amount"]) * 100), _note(cost.get("amount_description", ""))),
        "terms": sorted(a["taxonomy_term_id"] for a in body.get("attributes", [])),
        "location": {
            "name": location["name"],
            "latitude": location["latitude"],
            "longitude": location["longitude"],
            "address": f"{address['address_1']}, {address['city']}",
            "postcode": address["postal_code"],
            "access": sorted(a["accessibility"] for a in location.get("accessibility", [])),
        },
    }


def test_a_feed_of_hundreds_of_services_comes_back_out_equal(app, client):
    feed = many_services(COUNT)
    with app.app_context():
        report = import_feed(feed, "feed.json", None)
    assert report.created["groups"] == COUNT and not report.skipped
    out, page = [], 1
    while True:
        body = client.get(f"/oruk/services?per_page=200&page={page}").get_json()
        out += [item["id"] for item in body["contents"]]
        if body["last_page"]:
            break
        page += 1
    assert len(out) == COUNT
    came_back = {}
    for service_id in out:
        body = client.get(f"/oruk/services/{service_id}").get_json()
        check(body, "service")
        came_back[body["name"]] = _held(body)
    for sent in feed:
        assert came_back[sent["name"]] == _held(sent), sent["name"]
