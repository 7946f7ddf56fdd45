"""Calendar events as iCalendar text (RFC 5545), written by ``icalendar``.

The library escapes text (commas, semicolons, backslashes, line breaks) and
folds long lines at 75 octets; nothing here writes iCalendar syntax by hand.
Times are in Europe/London, defined once by ``london_timezone``: the rule
the UK has kept since 1996 (summer time from 01:00 UTC on the last Sunday
of March to 01:00 UTC on the last Sunday of October), written as yearly
rules so that it holds for every year a group may meet in. Calendar programs
that know the zone by name use their own copy; the rest read this one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vDuration,
    vRecur,
)

from betterway_map.interop.calendars.events import CalendarEvent, plain

__all__ = ["calendar_text", "london_timezone", "TZID", "REFRESH"]

TZID = "Europe/London"
PRODID = "-//Better Way Map//Group meetings//EN"
# How often a subscribed calendar should fetch the feed again.
REFRESH = "PT12H"


def london_timezone() -> Timezone:
    """The VTIMEZONE of Europe/London."""
    zone = Timezone()
    zone.add("tzid", TZID)
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("dtstart", datetime(1981, 3, 29, 1, 0))
    summer.add("rrule", {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"})
    summer.add("tzoffsetfrom", _offset(0))
    summer.add("tzoffsetto", _offset(1))
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("dtstart", datetime(1996, 10, 27, 2, 0))
    winter.add("rrule", {"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"})
    winter.add("tzoffsetfrom", _offset(1))
    winter.add("tzoffsetto", _offset(0))
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _offset(hours: int) -> timedelta:
    return timedelta(hours=hours)


def calendar_text(
    name: str, description: str, events: Iterable[CalendarEvent], stamp: datetime
) -> bytes:
    """The whole calendar (UTF-8 bytes): its name, the zone and one VEVENT
    per event, each stamped ``stamp`` (aware, the moment the feed was made)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # The calendar's name and refresh interval: RFC 7986, and the X- names
    # that Google, Outlook and Apple read.
    calendar.add("name", plain(name))
    calendar.add("x-wr-calname", plain(name))
    calendar.add("x-wr-caldesc", plain(description))
    calendar.add("x-wr-timezone", TZID)
    calendar.add("refresh-interval", vDuration.from_ical(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    calendar.add_component(london_timezone())
    for event in events:
        calendar.add_component(_vevent(event, stamp))
    return calendar.to_ical()


def _vevent(event: CalendarEvent, stamp: datetime) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    if event.recurrence_id is not None:
        vevent.add("recurrence-id", event.recurrence_id)
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end)
    if event.rule is not None:
        vevent.add("rrule", vRecur(event.rule))
    if event.exdates:
        vevent.add("exdate", list(event.exdates))
    vevent.add("summary", event.summary)
    vevent.add("description", event.description)
    vevent.add("location", event.location)
    vevent.add("url", event.url)
    if event.geo is not None:
        vevent.add("geo", event.geo)
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    return vevent
