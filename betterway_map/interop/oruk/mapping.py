"""Groups, spaces and organisations as ORUK records: pure, no Flask, no database.

Each function takes records with our column names as attributes (ORM rows
in the app, plain objects in tests) and returns the dict ORUK writes. An
optional field with no value is left out, never ``null``; a required one
with no value of ours is an empty string. Nothing about a person is read:
no attendees, no admins, no people.

Which records map to what:

* an active group is a ``service`` (its organisation nested), with one
  ``schedule`` (its recurrence, RFC 5545) and one ``cost_option``, and
  its interests and audiences as ``attributes`` naming taxonomy terms;
* the space it meets at is a ``location`` (``physical``) with one
  ``address`` and its access features as ``accessibility``; the group at
  its space is a ``service_at_location``. A group that meets only online
  has no service_at_location.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from betterway_map.domain import vocab
from betterway_map.domain.money import format_pence
from betterway_map.domain.schedule.recurrence import describe, next_meetings, schedule_of
from betterway_map.interop.oruk.ids import oruk_id
from betterway_map.interop.oruk.taxonomies import TAXONOMIES, Term, term_body

__all__ = [
    "Links",
    "ORUK_VERSION",
    "PROFILE_URL",
    "OPENAPI_URL",
    "about",
    "page_body",
    "organization",
    "service_brief",
    "service_full",
    "location_brief",
    "location_full",
    "schedule",
    "recurrence_fields",
    "service_at_location_brief",
    "service_at_location_full",
    "timestamp",
]

ORUK_VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/openreferral/uk-profile"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"
COUNTRY = "GB"

_BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
_ACCESS_FEATURES = (
    ("step_free", "Step-free access"),
    ("hearing_loop", "Hearing loop"),
    ("accessible_toilet", "Accessible toilet"),
    ("parking", "Parking"),
)


@dataclass(frozen=True)
class Links:
    """Where our own pages for a record are: ``group(number)`` and
    ``organisation(number)`` give full URLs (made by the web layer)."""

    group: Callable[[int], str]
    organisation: Callable[[int], str]


def _present(body: dict) -> dict:
    """``body`` without the fields that have no value."""
    return {key: value for key, value in body.items() if value is not None and value != []}


def timestamp(moment: datetime) -> str:
    """A stored moment (UTC, naive from SQLite) as an RFC 3339 date-time.

    >>> timestamp(datetime(2026, 3, 2, 9, 30, 5, 120000))
    '2026-03-02T09:30:05Z'
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _clock(value: time) -> str:
    return value.strftime("%H:%M:%S")


def about() -> dict:
    """What ``/`` answers: the version, the profile and the OpenAPI it follows."""
    return {"version": ORUK_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}


def page_body(contents: list, *, total: int, page: int, per_page: int) -> dict:
    """A page of a list as ORUK writes it; ``size`` is how many are on this page.

    >>> body = page_body(["a"], total=3, page=2, per_page=2)
    >>> [body[k] for k in ("total_pages", "first_page", "last_page", "empty", "size")]
    [2, False, True, False, 1]
    """
    total_pages = max(1, -(-total // per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def organization(organisation, links: Links) -> dict:
    """An organisation, with its public contact email and website."""
    sector = vocab.labels(vocab.SECTORS).get(organisation.sector, organisation.sector)
    return _present(
        {
            "id": oruk_id("organization", organisation.id),
            "name": organisation.name,
            # Required by ORUK; ours is optional, so say at least what kind it is.
            "description": organisation.description or f"{sector} organisation.",
            "email": organisation.contact_email or None,
            "website": organisation.website or None,
            "uri": links.organisation(organisation.id),
        }
    )


def _fees(group) -> str:
    amount = format_pence(group.cost_pence)
    if group.cost_pence:
        amount = f"{amount} each time"
    return f"{amount} ({group.cost_note})" if group.cost_note else amount


def service_brief(group, links: Links) -> dict:
    """A group as a service with its one-to-one fields and its organisation
    (what lists carry: ORUK's ``service_list``)."""
    return _present(
        {
            "id": oruk_id("service", group.id),
            "organization_id": oruk_id("organization", group.organisation_id),
            "name": group.name,
            "description": group.description or None,
            "url": links.group(group.id),
            "email": group.contact_email or None,
            "status": "active",
            "fees": _fees(group),
            "minimum_age": group.age_min,
            "maximum_age": group.age_max,
            "assured_date": _day(group.details_checked_on),
            "last_modified": timestamp(group.updated_at),
            "organization": organization(group.organisation, links),
        }
    )


def _terms(group) -> list[Term]:
    found = []
    for taxonomy in TAXONOMIES:
        chosen = set(getattr(group, taxonomy.field) or ())
        found.extend(term for term in taxonomy.terms if term.value in chosen)
    return found


def _attributes(group) -> list[dict]:
    service_id = oruk_id("service", group.id)
    return [
        {
            "id": oruk_id("attribute", group.id, f"{term.taxonomy.field}/{term.value}"),
            "link_id": service_id,
            "link_type": "service",
            "taxonomy_term_id": term.id,
            "taxonomy_term": term_body(term),
        }
        for term in _terms(group)
    ]


def _cost_option(group) -> dict:
    return _present(
        {
            "id": oruk_id("cost_option", group.id),
            "service_id": oruk_id("service", group.id),
            "option": "Each time" if group.cost_pence else "Free",
            "amount": group.cost_pence / 100,
            "amount_description": _fees(group),
        }
    )


def recurrence_fields(recurrence) -> dict:
    """A ``domain.schedule.Schedule`` as RFC 5545 parts (``freq``,
    ``interval``, ``byday``) in ORUK's schedule fields.

    >>> from betterway_map.domain.schedule.recurrence import Schedule
    >>> recurrence_fields(Schedule("monthly", "fri", time(10), time(12), date(2026, 1, 1), nth=-1))
    {'freq': 'MONTHLY', 'interval': 1, 'byday': '-1FR'}
    >>> recurrence_fields(Schedule("fortnightly", "tue", time(14), time(15), date(2026, 1, 6)))
    {'freq': 'WEEKLY', 'interval': 2, 'byday': 'TU'}
    """
    day = _BYDAY[recurrence.weekday]
    if recurrence.frequency == "monthly":
        return {"freq": "MONTHLY", "interval": 1, "byday": f"{recurrence.nth}{day}"}
    interval = 2 if recurrence.frequency == "fortnightly" else 1
    return {"freq": "WEEKLY", "interval": interval, "byday": day}


def _attending(group) -> str:
    if group.space_id is not None and group.online:
        return "in person or online"
    return "in person" if group.space_id is not None else "online"


def schedule(group) -> dict:
    """The group's meetings: RFC 5545 parts, the first meeting as ``dtstart``
    (so that fortnights are counted as we count them), the dates it is valid
    for and the times in UK wall-clock time."""
    recurrence = schedule_of(group)
    first = next_meetings(recurrence, datetime.combine(recurrence.starts_on, time(0)))
    return _present(
        {
            "id": oruk_id("schedule", group.id),
            "service_id": oruk_id("service", group.id),
            "service_at_location_id": oruk_id("service_at_location", group.id)
            if group.space_id is not None
            else None,
            **recurrence_fields(recurrence),
            "dtstart": first[0].date().isoformat() if first else None,
            "valid_from": recurrence.starts_on.isoformat(),
            "valid_to": _day(recurrence.ends_on),
            "opens_at": _clock(recurrence.start_time),
            "closes_at": _clock(recurrence.end_time),
            "description": describe(recurrence),
            "attending_type": _attending(group),
        }
    )


def service_full(group, links: Links, *, with_locations: bool = True) -> dict:
    """A group as a fully nested service (ORUK's ``service``)."""
    body = service_brief(group, links)
    body["schedules"] = [schedule(group)]
    body["cost_options"] = [_cost_option(group)]
    attributes = _attributes(group)
    if attributes:
        body["attributes"] = attributes
    if with_locations and group.space is not None:
        body["service_at_locations"] = [
            _present(
                {
                    "id": oruk_id("service_at_location", group.id),
                    "service_id": oruk_id("service", group.id),
                    "location_id": oruk_id("location", group.space.id),
                    "location": location_full(group.space),
                }
            )
        ]
    return body


def location_brief(space) -> dict:
    """A space as a location, one-to-one fields only."""
    return _present(
        {
            "id": oruk_id("location", space.id),
            "location_type": "physical",
            "name": space.name,
            "description": space.description or None,
            "latitude": space.latitude,
            "longitude": space.longitude,
        }
    )


def _address(space) -> dict:
    """The address as one line is stored; its last comma-separated part is
    taken as the town. The UK has no states: ``state_province`` is empty."""
    street, _, town = space.address.rpartition(",")
    if not street:
        street, town = town, ""
    return {
        "id": oruk_id("address", space.id),
        "location_id": oruk_id("location", space.id),
        "address_1": street.strip(),
        "city": town.strip(),
        "state_province": "",
        "postal_code": space.postcode,
        "country": COUNTRY,
        "address_type": "physical",
    }


def location_full(space) -> dict:
    """A space as a location with its address and access features."""
    body = location_brief(space)
    body["addresses"] = [_address(space)]
    accessibility = [
        {
            "id": oruk_id("accessibility", space.id, feature),
            "location_id": oruk_id("location", space.id),
            "description": label,
            "accessibility": feature,
        }
        for feature, label in _ACCESS_FEATURES
        if getattr(space, feature)
    ]
    if accessibility:
        body["accessibility"] = accessibility
    return body


def service_at_location_brief(group, links: Links) -> dict:
    """A group at its space (ORUK's ``service_at_location_list``)."""
    return {
        "id": oruk_id("service_at_location", group.id),
        "service_id": oruk_id("service", group.id),
        "location_id": oruk_id("location", group.space.id),
        "location": location_brief(group.space),
        "service": service_brief(group, links),
    }


def service_at_location_full(group, links: Links) -> dict:
    """A group at its space, fully nested (ORUK's ``service_at_location``)."""
    return {
        "id": oruk_id("service_at_location", group.id),
        "service_id": oruk_id("service", group.id),
        "location_id": oruk_id("location", group.space.id),
        "location": location_full(group.space),
        "service": service_full(group, links, with_locations=False),
    }
