"""A group's meetings as calendar events (RFC 5545), from plain data.

One recurring event per group: its first meeting (``DTSTART``/``DTEND`` in
Europe/London wall-clock time), the rule that repeats it (``RRULE``, the
same rule ``domain.schedule.recurrence`` expands for the pages), where
(``LOCATION``), the group's page (``URL``) and a ``UID`` that stays the same
for as long as the group exists, so that a subscribed calendar updates the
event rather than adding a second one.

The group's changes (``domain.schedule.meetings``, as the pages read them)
go with it: a cancelled meeting is an ``EXDATE`` of the recurring event, a
moved meeting an event of the same ``UID`` whose ``RECURRENCE-ID`` is the
meeting the rule gives (RFC 5545 section 3.8.4.4), and a one-off meeting an
event of its own. An organisation's own one-off events are events of their
own too (``one_off_event``).

Only active groups have events. A paused or ended group has none: a
subscribed calendar then drops its meetings (no meeting is shown that will
not happen), and the same UID brings them back when the group restarts.

No Flask, no database: ``feeds`` turns the records into ``GroupListing``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from betterway_map.domain.clock import UK
from betterway_map.domain.schedule.meetings import NO_CHANGES, Changes, applicable
from betterway_map.domain.schedule.recurrence import Schedule, next_meetings

__all__ = [
    "GroupListing",
    "OneOffListing",
    "CalendarEvent",
    "event_for",
    "events_for",
    "one_off_event",
    "recurrence_rule",
    "first_meeting",
    "uid",
]

_BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}


@dataclass(frozen=True)
class GroupListing:
    """What a calendar needs to know about a group (public details only)."""

    id: int
    name: str
    status: str
    schedule: Schedule
    page_url: str
    description: str | None = None
    organisation: str = ""
    online: bool = False
    space_name: str | None = None
    address: str | None = None
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    cost: str = ""
    phone: str | None = None
    email: str | None = None
    changes: Changes = NO_CHANGES
    # Where moved and one-off meetings are, by space id (as ``location`` words it).
    places: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OneOffListing:
    """An organisation's own event on one day (no start time: all day)."""

    id: int
    title: str
    day: date
    start_time: time | None
    end_time: time | None
    location: str
    page_url: str
    organisation: str = ""
    description: str | None = None


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT's values. ``start`` and ``end`` are aware (Europe/London),
    or dates for an all-day event; ``rule`` holds the RRULE's parts as
    icalendar's ``vRecur`` takes them (None: it does not repeat);
    ``exdates`` are the cancelled meetings of the rule; ``recurrence_id``
    makes the event the new time of the rule's meeting at that moment."""

    uid: str
    summary: str
    description: str
    location: str
    url: str
    start: datetime | date
    end: datetime | date
    rule: dict | None
    geo: tuple[float, float] | None = None
    exdates: tuple[datetime, ...] = ()
    recurrence_id: datetime | None = None


def uid(group_id: int, domain: str, kind: str = "group") -> str:
    """The event's UID: the group's (or a one-off's) number at the site's
    domain, never its name or details, which change.

    >>> uid(12, "map.example.org"), uid(3, "map.example.org", "one-off")
    ('group-12@map.example.org', 'one-off-3@map.example.org')
    """
    return f"{kind}-{group_id}@{domain}"


def first_meeting(schedule: Schedule) -> datetime | None:
    """The first meeting (naive, UK wall-clock), or None if the rule has none.

    ``starts_on`` need not fall on the meeting day; ``DTSTART`` must be a
    meeting, or a calendar would count it as one more.

    >>> from datetime import date
    >>> s = Schedule("weekly", "tue", time(10), time(12), date(2026, 1, 7))  # a Wednesday
    >>> first_meeting(s)
    datetime.datetime(2026, 1, 13, 10, 0)
    """
    found = next_meetings(schedule, datetime.combine(schedule.starts_on, time.min), 1)
    return found[0] if found else None


def recurrence_rule(schedule: Schedule) -> dict:
    """The RRULE of a schedule, as icalendar's ``vRecur`` takes it.

    ``UNTIL`` is in UTC, as RFC 5545 asks when ``DTSTART`` has a zone: the
    start of a meeting on ``ends_on``, so that day's meeting is included.

    >>> from datetime import date
    >>> s = Schedule("monthly", "fri", time(10), time(12), date(2026, 1, 1), nth=-1,
    ...              ends_on=date(2026, 6, 26))
    >>> recurrence_rule(s)
    {'FREQ': 'MONTHLY', 'BYDAY': '-1FR', 'UNTIL': datetime.datetime(2026, 6, 26, 9, 0, tzinfo=datetime.timezone.utc)}
    >>> recurrence_rule(Schedule("fortnightly", "tue", time(10), time(11), date(2026, 1, 6)))
    {'FREQ': 'WEEKLY', 'INTERVAL': 2, 'BYDAY': 'TU'}
    """
    day = _BYDAY[schedule.weekday]
    if schedule.frequency == "monthly":
        rule: dict = {"FREQ": "MONTHLY", "BYDAY": f"{schedule.nth}{day}"}
    elif schedule.frequency == "fortnightly":
        rule = {"FREQ": "WEEKLY", "INTERVAL": 2, "BYDAY": day}
    else:
        rule = {"FREQ": "WEEKLY", "BYDAY": day}
    if schedule.ends_on is not None:
        last = datetime.combine(schedule.ends_on, schedule.start_time, tzinfo=UK)
        rule["UNTIL"] = last.astimezone(UTC)
    return rule


def event_for(listing: GroupListing, domain: str) -> CalendarEvent | None:
    """The group's recurring event, or None when it has no meetings to show
    (not active, or a rule that ends before its first meeting)."""
    if listing.status != "active":
        return None
    first = first_meeting(listing.schedule)
    if first is None:
        return None
    end = datetime.combine(first.date(), listing.schedule.end_time)
    has_point = listing.latitude is not None and listing.longitude is not None
    start_time = listing.schedule.start_time
    changes = applicable(listing.schedule, listing.changes)
    return CalendarEvent(
        uid=uid(listing.id, domain),
        summary=plain(listing.name),
        description=_description(listing),
        location=location(listing),
        url=listing.page_url,
        start=first.replace(tzinfo=UK),
        end=end.replace(tzinfo=UK),
        rule=recurrence_rule(listing.schedule),
        geo=(listing.latitude, listing.longitude)
        if has_point and not _online_only(listing)
        else None,
        exdates=tuple(
            datetime.combine(c.occurs_on, start_time, tzinfo=UK) for c in changes.cancelled
        ),
    )


def events_for(listing: GroupListing, domain: str) -> list[CalendarEvent]:
    """All the group's events: the recurring one (with its cancelled
    meetings), one for each moved meeting and one for each one-off; none
    unless the group has meetings to show."""
    master = event_for(listing, domain)
    if master is None:
        return []
    found = [master]
    for move in applicable(listing.schedule, listing.changes).moved:
        found.append(
            CalendarEvent(
                uid=master.uid,
                summary=master.summary,
                description=_moved(move.reason) + master.description,
                location=_where(listing, move.space_id, move.place),
                url=master.url,
                start=move.starts_at.replace(tzinfo=UK),
                end=move.ends_at.replace(tzinfo=UK),
                rule=None,
                recurrence_id=datetime.combine(
                    move.occurs_on, listing.schedule.start_time, tzinfo=UK
                ),
            )
        )
    for extra in listing.changes.extra:
        found.append(
            CalendarEvent(
                uid=uid(extra.id, domain, "one-off"),
                summary=plain(f"{listing.name}: {extra.title}" if extra.title else listing.name),
                description=master.description,
                location=_where(listing, extra.space_id, extra.place),
                url=master.url,
                start=extra.starts_at.replace(tzinfo=UK),
                end=extra.ends_at.replace(tzinfo=UK),
                rule=None,
            )
        )
    return found


def one_off_event(listing: OneOffListing, domain: str) -> CalendarEvent:
    """An organisation's own event: timed, or all day (dates, RFC 5545's
    ``VALUE=DATE``, the end being the next day)."""
    if listing.start_time is None or listing.end_time is None:
        start, end = listing.day, listing.day + timedelta(days=1)
    else:
        start = datetime.combine(listing.day, listing.start_time, tzinfo=UK)
        end = datetime.combine(listing.day, listing.end_time, tzinfo=UK)
    lines = [plain(listing.description)] if listing.description else []
    if listing.organisation:
        lines.append(f"Run by {plain(listing.organisation)}.")
    lines.append(f"Details and changes: {listing.page_url}")
    return CalendarEvent(
        uid=uid(listing.id, domain, "one-off"),
        summary=plain(listing.title),
        description="\n\n".join(lines),
        location=plain(listing.location),
        url=listing.page_url,
        start=start,
        end=end,
        rule=None,
    )


def _moved(reason: str | None) -> str:
    return f"Moved from its usual time{': ' + plain(reason) if reason else ''}.\n\n"


def _where(listing: GroupListing, space_id: int | None, place: str | None) -> str:
    """Where a moved or one-off meeting is: its space, its place in words, or the group's own."""
    if space_id is not None and space_id in listing.places:
        return plain(listing.places[space_id])
    if place:
        return plain(place)
    return location(listing)


def _online_only(listing: GroupListing) -> bool:
    return listing.online and not listing.space_name


def location(listing: GroupListing) -> str:
    """Where: the space's name, address and postcode, "Online" for a group
    that meets only online.

    >>> location(GroupListing(1, "Choir", "active", None, "/g/1", online=True))
    'Online'
    >>> location(GroupListing(1, "Choir", "active", None, "/g/1", online=True,
    ...                       space_name="Hall", address="1 High St", postcode="ZZ1 1AA"))
    'Hall, 1 High St, ZZ1 1AA (and online)'
    """
    if _online_only(listing):
        return "Online"
    parts = (listing.space_name, listing.address, listing.postcode)
    where = ", ".join(plain(part) for part in parts if part)
    return where + (" (and online)" if listing.online else "")


def _description(listing: GroupListing) -> str:
    lines = [plain(listing.description)] if listing.description else []
    if listing.organisation:
        lines.append(f"Run by {plain(listing.organisation)}.")
    if listing.cost:
        lines.append(f"Cost: {plain(listing.cost)}.")
    contact = " or ".join(plain(value) for value in (listing.phone, listing.email) if value)
    if contact:
        lines.append(f"Contact: {contact}.")
    lines.append(f"Details and changes: {listing.page_url}")
    return "\n\n".join(lines)


def plain(text: str | None) -> str:
    """Text as a calendar may carry it: control characters (which RFC 5545
    forbids in TEXT) and invisible format characters dropped, line breaks kept.

    >>> plain("Tea\\r\\nand\\x07 cake\\u202e")
    'Tea\\nand cake'
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(
        char for char in text if char == "\n" or unicodedata.category(char) not in ("Cc", "Cf")
    )
