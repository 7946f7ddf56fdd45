"""A group's meetings as one calendar event (RFC 5545), from plain data.

One recurring event per group: its first meeting (``DTSTART``/``DTEND`` in
Europe/London wall-clock time), the rule that repeats it (``RRULE``, the
same rule ``domain.schedule.recurrence`` expands for the pages), where
(``LOCATION``), the group's page (``URL``) and a ``UID`` that stays the same
for as long as the group exists, so that a subscribed calendar updates the
event rather than adding a second one.

Only active groups have an event. A paused or ended group has none: a
subscribed calendar then drops its meetings (no meeting is shown that will
not happen), and the same UID brings them back when the group restarts.
The register records no cancelled meetings, so there are no ``EXDATE``s.

No Flask, no database: ``feeds`` turns the records into ``GroupListing``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, time

from betterway_map.domain.clock import UK
from betterway_map.domain.schedule.recurrence import Schedule, next_meetings

__all__ = ["GroupListing", "CalendarEvent", "event_for", "recurrence_rule", "first_meeting", "uid"]

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


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT's values. ``start`` and ``end`` are aware (Europe/London);
    ``rule`` holds the RRULE's parts as icalendar's ``vRecur`` takes them."""

    uid: str
    summary: str
    description: str
    location: str
    url: str
    start: datetime
    end: datetime
    rule: dict
    geo: tuple[float, float] | None = None


def uid(group_id: int, domain: str) -> str:
    """The event's UID: the group's number at the site's domain, never its
    name or details, which change.

    >>> uid(12, "map.example.org")
    'group-12@map.example.org'
    """
    return f"group-{group_id}@{domain}"


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
    """The group's event, or None when it has no meetings to show (not
    active, or a rule that ends before its first meeting)."""
    if listing.status != "active":
        return None
    first = first_meeting(listing.schedule)
    if first is None:
        return None
    end = datetime.combine(first.date(), listing.schedule.end_time)
    has_point = listing.latitude is not None and listing.longitude is not None
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
    )


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
