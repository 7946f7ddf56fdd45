"""The calendar feeds: a group's, an organisation's and a nearby search's.

Each answers a ``Feed``: a file name and the iCalendar text. The views say
where the site is (``Site``: the domain for UIDs, the address of a group's
page), since services read no request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from betterway_map.domain.clock import today_in_uk, utcnow
from betterway_map.domain.schedule.meetings import NO_CHANGES
from betterway_map.interop.calendars.events import (
    CalendarEvent,
    OneOffListing,
    events_for,
    one_off_event,
)
from betterway_map.interop.calendars.groups import (
    events_of_organisation,
    groups_of_organisation,
    listing_of,
    nearest_groups,
    places_of,
)
from betterway_map.interop.calendars.ics import calendar_text
from betterway_map.places.search import filters_from, find_place
from betterway_map.register.models import Group
from betterway_map.register.services.groups import get_group
from betterway_map.register.services.meetings import changes_by_group
from betterway_map.register.services.organisations import get_organisation

__all__ = ["Site", "Feed", "group_feed", "organisation_feed", "nearby_feed", "NEARBY_LIMIT"]

# A calendar of a search holds at most this many groups, nearest first:
# calendar programs slow down with thousands of repeating events.
NEARBY_LIMIT = 200
# An organisation's feed keeps its events this long after they happened.
EVENTS_PAST_DAYS = 90


@dataclass(frozen=True)
class Site:
    """Where the site is: ``domain`` for UIDs, ``group_url(group_id)`` and
    ``organisation_url(organisation_id)`` for links."""

    domain: str
    group_url: Callable[[int], str]
    organisation_url: Callable[[int], str]


@dataclass(frozen=True)
class Feed:
    filename: str
    text: bytes


def _feed(
    filename: str,
    name: str,
    about: str,
    groups: Iterable[Group],
    site: Site,
    one_offs: Iterable[CalendarEvent] = (),
) -> Feed:
    groups = list(groups)
    changes = changes_by_group(group.id for group in groups)
    places = places_of(changes.values())
    events = []
    for group in groups:
        listing = listing_of(group, site.group_url, changes.get(group.id, NO_CHANGES), places)
        if listing is not None:
            events.extend(events_for(listing, site.domain))
    events.extend(one_offs)
    return Feed(filename, calendar_text(name, about, events, utcnow()))


def group_feed(group_id: int, site: Site) -> Feed:
    """One group's meetings (none while it is paused or ended); NotFound for an unknown id."""
    group = get_group(group_id)
    about = f"The meetings of {group.name}, from Better Way Map."
    return _feed(f"group-{group.id}.ics", group.name, about, [group], site)


def organisation_feed(organisation_id: int, site: Site) -> Feed:
    """The meetings of every active group of an organisation, and its own
    events from ``EVENTS_PAST_DAYS`` ago on."""
    organisation = get_organisation(organisation_id)
    about = f"The meetings of the groups run by {organisation.name}, and its events, from Better Way Map."
    groups = groups_of_organisation(organisation_id)
    since = today_in_uk() - timedelta(days=EVENTS_PAST_DAYS)
    events = [
        one_off_event(_one_off_listing(event, organisation.name, site), site.domain)
        for event in events_of_organisation(organisation_id, since)
    ]
    return _feed(
        f"organisation-{organisation.id}.ics", organisation.name, about, groups, site, events
    )


def _one_off_listing(event, organisation: str, site: Site) -> OneOffListing:
    space = event.space
    where = f"{space.name}, {space.address}, {space.postcode}" if space else (event.place or "")
    return OneOffListing(
        id=event.id,
        title=event.title,
        day=event.occurs_on,
        start_time=event.start_time,
        end_time=event.end_time,
        location=where,
        page_url=site.organisation_url(event.organisation_id),
        organisation=organisation,
        description=event.description,
    )


def nearby_feed(args: dict, site: Site) -> Feed:
    """The groups a nearby search finds (``args`` loaded by
    ``NearbyQuerySchema``), nearest first, at most ``NEARBY_LIMIT``.

    Raises ``InvalidInput`` for a place that cannot be found, as the search does.
    """
    origin = find_place(args)
    radius_km = args["radius_km"]
    found = nearest_groups(
        origin.latitude, origin.longitude, radius_km, filters_from(args), NEARBY_LIMIT
    )
    name = f"Groups within {radius_km:g} km of {origin.label}"
    about = f"{name}, from Better Way Map: the same groups as the search."
    return _feed("nearby.ics", name, about, (near.group for near in found), site)
