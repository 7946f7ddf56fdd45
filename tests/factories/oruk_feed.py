"""ORUK feeds made by hand for the import tests: a sound service, each
mess real feeds have, and a feed of many services for the round trip."""

from __future__ import annotations

import copy
import json
import random

from betterway_map.interop.oruk.taxonomies import TERMS

__all__ = ["service", "page", "feed_bytes", "many_services"]

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def service(ref: str = "svc-1", **changes) -> dict:
    """A sound service at one location, run by one organisation."""
    body = {
        "id": ref,
        "name": f"Lunch club {ref}",
        "description": "Soup and a chat.",
        "email": "lunch@example.org",
        "status": "active",
        "minimum_age": 50,
        "organization": {
            "id": "org-1",
            "name": "Riverside Trust",
            "description": "A community trust.",
            "email": "hello@example.org",
            "website": "https://riverside.example.org",
        },
        "schedules": [
            {
                "freq": "WEEKLY",
                "interval": 1,
                "byday": "TU",
                "opens_at": "12:00:00",
                "closes_at": "14:00:00",
                "dtstart": "2026-01-06",
            }
        ],
        "cost_options": [{"amount": 2.5, "amount_description": "includes soup"}],
        "attributes": [{"taxonomy_term": {"name": "Cooking and food"}}],
        "service_at_locations": [
            {
                "location": {
                    "id": "loc-1",
                    "name": "Riverside Hall",
                    "latitude": 51.5,
                    "longitude": -0.1,
                    "addresses": [
                        {
                            "address_1": "1 River Street",
                            "city": "Eastbrook",
                            "postal_code": "ZZ1 1AA",
                        }
                    ],
                    "accessibility": [{"accessibility": "step_free"}],
                }
            }
        ],
    }
    body.update(changes)
    return body


def page(services: list, number: int = 1) -> dict:
    return {"total_items": len(services), "page_number": number, "contents": services}


def feed_bytes(*services: dict) -> bytes:
    return json.dumps(page(list(services))).encode()


def many_services(count: int, seed: int = 7) -> list[dict]:
    """``count`` services as our own export writes them (the fields we hold),
    each at its own location, spread over a few organisations."""
    rng = random.Random(seed)
    found = []
    for number in range(1, count + 1):
        frequency = rng.choice(("weekly", "fortnightly", "monthly"))
        day = rng.choice(_DAYS)
        schedule = {"freq": "MONTHLY" if frequency == "monthly" else "WEEKLY"}
        schedule["interval"] = 2 if frequency == "fortnightly" else 1
        schedule["byday"] = (
            f"{rng.choice((1, 2, 3, 4, -1))}{day}" if frequency == "monthly" else day
        )
        hour = rng.randrange(9, 19)
        schedule |= {
            "opens_at": f"{hour:02d}:00:00",
            "closes_at": f"{hour + 1:02d}:30:00",
            "dtstart": f"2026-0{rng.randrange(1, 10)}-1{rng.randrange(0, 10)}",
        }
        terms = rng.sample(TERMS, 2)
        pence = rng.choice((0, 0, 150, 300))
        organisation = number % 7 + 1
        body = service(
            f"svc-{number}",
            name=f"Service {number:04d}",
            description=f"What happens at service {number}.",
            minimum_age=rng.choice((None, 50, 65)),
            schedules=[schedule],
            cost_options=[
                {"amount": pence / 100, "amount_description": rng.choice(("", "includes tea"))}
            ],
            attributes=[
                {"taxonomy_term_id": term.id, "taxonomy_term": {"id": term.id}} for term in terms
            ],
            organization={
                "id": f"org-{organisation}",
                "name": f"Organisation {organisation}",
                "description": f"About organisation {organisation}.",
                "website": f"https://org{organisation}.example.org",
            },
        )
        location = copy.deepcopy(body["service_at_locations"][0]["location"])
        location |= {
            "id": f"loc-{number}",
            "name": f"Hall {number}",
            "latitude": round(51 + rng.random(), 5),
            "longitude": round(-1 + rng.random(), 5),
        }
        location["addresses"][0]["address_1"] = f"{number} High Street"
        body["service_at_locations"] = [{"location": location}]
        if body["minimum_age"] is None:
            del body["minimum_age"]
        found.append(body)
    return found
