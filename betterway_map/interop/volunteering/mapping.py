"""Volunteering roles as JSON-LD in the volunteering data standard: pure.

The standard (the Volunteering and Social Action Ontology, data model
version 4, JSON-LD context ``CONTEXT_URL`` pinned in ``context_v1.jsonld``)
publishes organisations, each embedding its activities, each embedding its
roles and its sessions (a place and the times of the week).

What is a volunteering role here: an **active group whose interests include
"volunteering"** — something an organisation runs and wants volunteers for
(a community garden, a litter pick, serving at a lunch club). It is the
organisation's record and public already. A resident's offer of help
(``HelpListing``, ``VolunteerOffer``) and a request for support
(``SupportRequest``) are about a person and are never published here; no
attendee, admin, or count of people is read.

>>> [slot.rsplit("/", 1)[1] for slot in time_slots("tue", time(11), time(13))]
['TuesdayMorning', 'TuesdayAfternoon']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, time

from betterway_map.domain.schedule.recurrence import ScheduleError, describe, schedule_of

__all__ = [
    "CONTEXT_URL",
    "NAMESPACE",
    "LICENSE",
    "VOLUNTEERING_INTEREST",
    "Links",
    "time_slots",
    "activity",
    "document",
]

CONTEXT_URL = "https://api.volunteeringdata.io/context/v1"
NAMESPACE = "https://ns.volunteeringdata.io/"
LICENSE = "CC-BY-4.0"  # an SPDX identifier, as the standard's examples give
VOLUNTEERING_INTEREST = "volunteering"
_DAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
# The standard's parts of a day (its "defined temporal entities"), by hour.
_PARTS = (("Morning", 6, 12), ("Afternoon", 12, 18), ("Evening", 18, 24))


@dataclass(frozen=True)
class Links:
    """Full URLs of our own pages: ``group(id)``, ``organisation(id)``."""

    group: Callable[[int], str]
    organisation: Callable[[int], str]


def _present(body: dict) -> dict:
    return {key: value for key, value in body.items() if value not in (None, "", [])}


def time_slots(weekday: str, start: time, end: time) -> list[str]:
    """The standard's time slots (e.g. ``TuesdayMorning``) that a meeting
    from ``start`` to ``end`` on ``weekday`` overlaps; none before 6am."""
    minutes = (start.hour * 60 + start.minute, end.hour * 60 + end.minute)
    return [
        f"{NAMESPACE}{_DAYS[weekday]}{name}"
        for name, first, last in _PARTS
        if minutes[0] < last * 60 and minutes[1] > first * 60
    ]


def _location(space) -> dict:
    placed = space.latitude is not None and space.longitude is not None
    return _present(
        {
            "type": "Location",
            "name": space.name,
            "address": f"{space.address}, {space.postcode}",
            # Strings, as the standard's examples write them (typed xsd:double by the context).
            "latitude": repr(space.latitude) if placed else None,
            "longitude": repr(space.longitude) if placed else None,
        }
    )


def activity(group, links: Links) -> dict:
    """A group as a volunteering ``Activity`` with its one ``Role`` and ``Session``."""
    page = links.group(group.id)
    try:
        recurrence = schedule_of(group)
    except ScheduleError:  # stored before a rule tightened: say no times
        recurrence = None
    session = _present(
        {
            "type": "Session",
            "location": [_location(group.space)] if group.space is not None else [],
            "time": time_slots(recurrence.weekday, recurrence.start_time, recurrence.end_time)
            if recurrence
            else [],
        }
    )
    role = _present(
        {
            "type": "Role",
            "id": f"{page}#volunteer",
            "title": f"Volunteer: {group.name}",
            "description": group.description,
            "commitment": describe(recurrence) if recurrence else None,
            "applyLink": page,
            "allowsRemoteParticipation": bool(group.online),
            "minimumAge": str(group.age_min) if group.age_min is not None else None,
            "maximumAge": str(group.age_max) if group.age_max is not None else None,
        }
    )
    return _present(
        {
            "type": "Activity",
            "id": f"{page}#volunteering",
            "title": group.name,
            "description": group.description or f"Volunteering with {group.organisation.name}.",
            "organisation": links.organisation(group.organisation_id),
            "role": [role],
            "session": [session] if len(session) > 1 else [],
        }
    )


def _organisation(organisation, groups: list, links: Links) -> dict:
    return _present(
        {
            "type": "Organisation",
            "id": links.organisation(organisation.id),
            "name": organisation.name,
            "description": organisation.description,
            "website": organisation.website,
            "activity": [activity(group, links) for group in groups],
        }
    )


def document(groups: Iterable, links: Links, *, publisher: str, modified: date | None) -> dict:
    """The roles of ``groups`` (active, with the volunteering interest) as one
    document: their organisations by name, each with its activities by name."""
    by_organisation: dict[int, tuple] = {}
    for group in groups:
        organisation = group.organisation
        by_organisation.setdefault(organisation.id, (organisation, []))[1].append(group)
    organisations = sorted(by_organisation.values(), key=lambda pair: (pair[0].name, pair[0].id))
    body = _present(
        {
            "@context": CONTEXT_URL,
            "conformsTo": NAMESPACE,
            "license": LICENSE,
            "publisher": publisher,
            "modified": modified.isoformat() if modified else None,
        }
    )
    body["@graph"] = [
        _organisation(organisation, sorted(found, key=lambda g: (g.name, g.id)), links)
        for organisation, found in organisations
    ]
    return body
