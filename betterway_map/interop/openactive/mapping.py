"""Groups as OpenActive SessionSeries in RPDE items: pure, no Flask, no database.

Each function takes records with our column names as attributes (ORM rows
in the app, plain objects in tests) and returns the dict the feed writes.
A property with no value is left out, never ``null`` or ``""`` (as the
OpenActive Modelling Specification asks). Nothing about a person is read:
no attendees, no admins.

A group is an OpenActive opportunity (``publishable``) when it is active,
meets at one of our spaces, and does something on the OpenActive Activity
List (``activities.activities_for``): a SessionSeries with a
``PartialSchedule`` made from its recurrence, its place (with ``geo`` when
placed), its organiser, its activities, its access and its cost as an
``Offer``; its cancelled and moved meetings as the schedule's
``exceptDate`` and its moved and extra ones as ``subEvent`` sessions
(``sessions``). Every other group is a "deleted" item: OpenActive consumers
drop it, or never learn of it.

RPDE ``modified`` is a moment as an integer: microseconds since 1970 (UTC),
the resolution the database keeps, so that two changes of one item are
never given the same number.

>>> moment_of(modified_number(datetime(2026, 3, 2, 9, 30, 5, 120, tzinfo=UTC)))
datetime.datetime(2026, 3, 2, 9, 30, 5, 120, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from betterway_map.domain.schedule.meetings import Changes, applicable, changes_of
from betterway_map.domain.schedule.recurrence import (
    ScheduleError,
    describe,
    next_meetings,
    schedule_of,
)
from betterway_map.interop.openactive.activities import activities_for
from betterway_map.interop.openactive.sessions import except_dates, sub_events

__all__ = [
    "Links",
    "KIND",
    "CONTEXT",
    "LICENSE_URL",
    "TIMEZONE",
    "modified_number",
    "moment_of",
    "publishable",
    "partial_schedule",
    "session_series",
    "updated_item",
    "deleted_item",
    "page_body",
]

KIND = "SessionSeries"
CONTEXT = "https://openactive.io/"
# OpenActive asks for open data under CC BY 4.0 (the feed's ``license``).
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
TIMEZONE = "Europe/London"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
_FREQUENCIES = {"weekly": "P1W", "fortnightly": "P2W", "monthly": "P1M"}
_ACCESS = (
    ("step_free", "step-free access"),
    ("hearing_loop", "a hearing loop"),
    ("accessible_toilet", "an accessible toilet"),
    ("parking", "parking"),
)


@dataclass(frozen=True)
class Links:
    """Full URLs of our own pages (made by the web layer): ``group(id)``,
    ``organisation(id)`` and ``space(id)``."""

    group: Callable[[int], str]
    organisation: Callable[[int], str]
    space: Callable[[int], str]


def modified_number(moment: datetime) -> int:
    """A stored moment (UTC; naive means UTC) as microseconds since 1970."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(microseconds=1)


def moment_of(number: int) -> datetime:
    """The moment ``modified_number`` gave ``number`` for (UTC, aware)."""
    return _EPOCH + timedelta(microseconds=number)


def _present(body: dict) -> dict:
    """``body`` without the properties that have no value."""
    return {key: value for key, value in body.items() if value not in (None, "", [], {})}


def publishable(group) -> bool:
    """Whether the group is an OpenActive opportunity (see the module)."""
    if group.status != "active" or group.space is None or not activities_for(group.interests):
        return False
    try:
        schedule_of(group)
    except ScheduleError:  # stored before a rule tightened: no schedule to publish
        return False
    return True


def _clock(value: time) -> str:
    return value.strftime("%H:%M")


def _duration(start: time, end: time) -> str:
    """ISO 8601 duration between two times of one day.

    >>> _duration(time(10), time(11, 30)), _duration(time(14), time(16))
    ('PT1H30M', 'PT2H')
    """
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest else "")


def _changes(group) -> Changes:
    """The group's changes that are about meetings of its rule, and its extras."""
    return applicable(schedule_of(group), changes_of(group))


def partial_schedule(group) -> dict:
    """The group's recurrence as an OpenActive ``PartialSchedule``: the
    frequency, the day (an iCal ``BYDAY`` such as ``-1FR`` for "the last
    Friday of the month"), the times in UK wall-clock time, the first
    and last dates (the first meeting, so that fortnights are counted as we
    count them), and the dates of its meetings cancelled or moved
    (``exceptDate``)."""
    recurrence = schedule_of(group)
    day = _DAYS[recurrence.weekday]
    if recurrence.frequency == "monthly":
        by_day = f"{recurrence.nth}{day[:2].upper()}"
    else:
        by_day = f"https://schema.org/{day}"
    first = next_meetings(recurrence, datetime.combine(recurrence.starts_on, time(0)))
    return _present(
        {
            "@type": "PartialSchedule",
            "repeatFrequency": _FREQUENCIES[recurrence.frequency],
            "byDay": [by_day],
            "startTime": _clock(recurrence.start_time),
            "endTime": _clock(recurrence.end_time),
            "duration": _duration(recurrence.start_time, recurrence.end_time),
            "startDate": first[0].date().isoformat() if first else None,
            "endDate": recurrence.ends_on.isoformat() if recurrence.ends_on else None,
            "scheduleTimezone": TIMEZONE,
            "exceptDate": except_dates(_changes(group)),
        }
    )


def _accessibility(space) -> str:
    features = [label for name, label in _ACCESS if getattr(space, name)]
    if not features:
        return "No step-free access, hearing loop, accessible toilet or parking is recorded."
    listed = (
        features[0] if len(features) == 1 else ", ".join(features[:-1]) + " and " + features[-1]
    )
    return f"The place has {listed}."


def _organizer(organisation, links: Links) -> dict:
    page = links.organisation(organisation.id)
    return _present(
        {
            "@type": "Organization",
            "@id": page,
            "identifier": organisation.id,
            "name": organisation.name,
            "description": organisation.description,
            "url": organisation.website or page,
            "email": organisation.contact_email,
            "telephone": organisation.contact_phone,
        }
    )


def _place(space, links: Links) -> dict:
    geo = None
    if space.latitude is not None and space.longitude is not None:
        geo = {"@type": "GeoCoordinates", "latitude": space.latitude, "longitude": space.longitude}
    page = links.space(space.id)
    return _present(
        {
            "@type": "Place",
            "@id": page,
            "identifier": space.id,
            "name": space.name,
            "description": space.description,
            "url": page,
            # One line as we keep it: a structured PostalAddress needs a
            # region (county), which we do not record.
            "address": f"{space.address}, {space.postcode}",
            "geo": geo,
        }
    )


def _elsewhere(group, links: Links):
    """``place_of`` for ``sessions.sub_events``: the ``Place`` of a meeting
    away from the group's own space (None: at it)."""
    spaces = {
        record.space.id: record.space
        for record in (*group.changes, *group.one_offs)
        if record.space is not None
    }

    def place_of(space_id: int | None, place: str | None) -> dict | None:
        if space_id is not None and space_id != group.space_id and space_id in spaces:
            return _place(spaces[space_id], links)
        if space_id is None and place:  # a calendar's words for a place we do not keep
            return {"@type": "Place", "name": place, "address": place}
        return None

    return place_of


def _offer(group, page: str) -> dict:
    pence = group.cost_pence or 0
    return _present(
        {
            "@type": "Offer",
            "@id": f"{page}#offer",
            "identifier": "each-time",
            "name": "Each time" if pence else "Free",
            "description": group.cost_note,
            "price": pence / 100,
            "priceCurrency": "GBP",
            "url": page,
        }
    )


def _age_range(group) -> dict | None:
    if group.age_min is None and group.age_max is None:
        return None
    return _present(
        {"@type": "QuantitativeValue", "minValue": group.age_min, "maxValue": group.age_max}
    )


def session_series(group, links: Links) -> dict:
    """A publishable group as an OpenActive ``SessionSeries``."""
    page = links.group(group.id)
    space = group.space
    return _present(
        {
            "@context": CONTEXT,
            "@type": KIND,
            "@id": page,
            "identifier": group.id,
            "name": group.name,
            "description": group.description,
            "url": page,
            "activity": activities_for(group.interests),
            "organizer": _organizer(group.organisation, links),
            "location": _place(space, links),
            "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode"
            if group.online
            else "https://schema.org/OfflineEventAttendanceMode",
            "eventSchedule": [partial_schedule(group)],
            "subEvent": sub_events(_changes(group), page, _elsewhere(group, links)),
            "schedulingNote": describe(schedule_of(group)) + ".",
            "offers": [_offer(group, page)],
            "isAccessibleForFree": not group.cost_pence,
            "accessibilityInformation": _accessibility(space),
            "ageRange": _age_range(group),
            "maximumAttendeeCapacity": group.capacity,
        }
    )


def updated_item(group, modified: int, links: Links) -> dict:
    """The RPDE item of a publishable group."""
    return {
        "state": "updated",
        "kind": KIND,
        "id": group.id,
        "modified": modified,
        "data": session_series(group, links),
    }


def deleted_item(group_id: int, modified: int) -> dict:
    """The RPDE item of a group that is not (or no longer) an opportunity:
    no data, as RPDE asks."""
    return {"state": "deleted", "kind": KIND, "id": group_id, "modified": modified}


def page_body(items: list[dict], next_url: str) -> dict:
    """One RPDE page."""
    return {"next": next_url, "items": items, "license": LICENSE_URL}
