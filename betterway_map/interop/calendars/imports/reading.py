"""Reading an iCalendar file (RFC 5545) into plain ``Entry`` values.

The file is parsed by the pinned ``icalendar`` library; nothing here reads
iCalendar syntax by hand. First the file is checked to be a calendar at all
(``CalendarFileError``, whose message says what it is instead): empty, binary,
not UTF-8, a web page (a sign-in page served as ``.ics``), or text that does
not begin ``BEGIN:VCALENDAR``.

Times keep their own zone, so that a rule is expanded where it was written
(``domain.schedule.rules`` turns it into UK time). A ``TZID`` that the zone
database knows, by its IANA name (``Europe/London``) or by its Windows name
as Outlook writes it (``GMT Standard Time``, ``W. Europe Standard Time``:
icalendar's copy of the Unicode CLDR table), is read with the zone database,
which knows every year's clocks, rather than with the file's ``VTIMEZONE``,
which Outlook writes with this year's rule only. Another ``TZID`` is read
with the file's ``VTIMEZONE``; one with neither is a problem of that event.
A floating time (no zone) is UK time, unless the calendar names its zone in
``X-WR-TIMEZONE`` (as Google and Apple read it).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from icalendar import Calendar
from icalendar.timezone import tzp

from betterway_map.domain.dates import long_date
from betterway_map.domain.text import plain_text
from betterway_map.interop.calendars.events import plain

__all__ = ["CalendarFileError", "Entry", "read_calendar"]

# The longest UID, LOCATION and description the register keeps.
MAX_UID = 200
MAX_LOCATION = 300
MAX_DESCRIPTION = 5000
_HTML = re.compile(r"^\s*(<!doctype|<html|<head|<body|<\?xml|<!--|<[a-z]+[\s>])", re.IGNORECASE)


class CalendarFileError(ValueError):
    """A file that is not a calendar; the message says what it is instead."""


@dataclass(frozen=True)
class Entry:
    """One ``VEVENT`` as read. Moments are aware in their own zone, naive
    when floating (UK time), or dates (all day). ``problem`` says why the
    event cannot be imported at all (a broken DTSTART, an unknown zone)."""

    uid: str
    summary: str
    description: str
    location: str
    status: str
    start: datetime | date | None
    end: datetime | date | None
    rules: tuple[str, ...] = ()
    rdates: tuple = ()
    exdates: tuple = ()
    recurrence_id: datetime | date | None = None
    this_and_future: bool = False
    problem: str | None = None

    @property
    def label(self) -> str:
        """How a report names it: its summary (or UID) and its first day."""
        name = f"'{self.summary}'" if self.summary else f"The event with UID {self.uid!r}"
        return f"{name} (from {long_date(self.start)})" if self.start else name


def _text_of(data: bytes) -> str:
    if not data.strip():
        raise CalendarFileError("The file is empty: there is no calendar in it.")
    if b"\x00" in data[:65536]:
        raise CalendarFileError(
            "The file is not text (it holds binary data, like a picture, a PDF or a "
            "spreadsheet): a calendar file is text that begins with BEGIN:VCALENDAR."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CalendarFileError(
            f"The file is not UTF-8 text, as calendar files are (RFC 5545): the byte at "
            f"position {error.start} is not. Export the calendar again as an .ics file."
        ) from None
    if _HTML.match(text):
        raise CalendarFileError(
            "The file is a web page (HTML), not a calendar. This often happens when a "
            "calendar's address needs a sign-in: use the calendar's public or secret address "
            "in iCal format (.ics), or export the calendar to a file and upload that."
        )
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        start = text.lstrip()[:40]
        raise CalendarFileError(
            f"The file is not a calendar: a calendar begins with BEGIN:VCALENDAR, and this "
            f"begins with {start!r}."
        )
    return text


def read_calendar(data: bytes) -> list[Entry]:
    """Every event of the file (of each calendar in it), in file order.

    Raises ``CalendarFileError`` for a file that is not a calendar, or a
    calendar with no events.
    """
    text = _text_of(data)
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except ValueError as error:
        raise CalendarFileError(f"The file cannot be read as a calendar: {error}") from None
    entries = []
    for calendar in calendars:
        floating = _known_zone(str(calendar.get("X-WR-TIMEZONE", "")).strip())
        entries.extend(_entry(event, floating) for event in calendar.walk("VEVENT"))
    if not entries:
        raise CalendarFileError(
            "The calendar holds no events (VEVENT): there is nothing to import."
        )
    return entries


def _known_zone(name: str) -> tzinfo | None:
    return tzp.timezone(name) if name else None


def _words(value) -> str:
    return plain(str(value)).strip() if value is not None else ""


def _entry(event, floating: tzinfo | None) -> Entry:
    broken = dict(event.errors)
    problem = None
    for name in ("DTSTART", "DTEND", "DURATION", "RRULE", "RECURRENCE-ID", "EXDATE", "RDATE"):
        if name in broken:
            problem = f"its {name} cannot be read ({broken[name]})"
            break
    start = end = recurrence_id = None
    rules: tuple[str, ...] = ()
    rdates = exdates = ()
    if problem is None:
        try:
            start = _moment(event.get("DTSTART"), floating)
            end = _end(event, start, floating)
            rules = tuple(rule.to_ical().decode() for rule in event.rrules)
            exdates = tuple(_moments(event.get("EXDATE"), floating))
            rdates = tuple(_moments(event.get("RDATE"), floating))
            recurrence_id = _moment(event.get("RECURRENCE-ID"), floating)
        except _UnknownZone as error:
            problem = str(error)
        if start is None and problem is None:
            problem = "it has no start (DTSTART)"
    description = str(event.get("DESCRIPTION", "") or "")
    rid = event.get("RECURRENCE-ID")
    return Entry(
        uid=_uid(_words(event.get("UID"))),
        summary=_words(event.get("SUMMARY")).replace("\n", " "),
        description=plain_text(description, max_length=MAX_DESCRIPTION) or "",
        location=_shortened(_words(event.get("LOCATION")).replace("\n", ", "), MAX_LOCATION),
        status=_words(event.get("STATUS")).upper(),
        start=start,
        end=end,
        rules=rules,
        rdates=rdates,
        exdates=exdates,
        recurrence_id=recurrence_id,
        this_and_future=bool(rid is not None and str(rid.params.get("RANGE", "")).upper()),
        problem=problem,
    )


class _UnknownZone(ValueError):
    pass


def _uid(value: str) -> str:
    """A UID as it is kept: one longer than the register holds is kept as
    its SHA-256, which is as stable from one import to the next."""
    if len(value) <= MAX_UID:
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def _shortened(value: str, most: int) -> str:
    return value if len(value) <= most else value[: most - 1].rstrip() + "…"


def _localise(value, tzid: str | None, floating: tzinfo | None):
    """A value in its own zone, read as the module says."""
    if isinstance(value, tuple):  # an RDATE period: (start, end or length)
        start = _localise(value[0], tzid, floating)
        other = value[1]
        return start, (
            start + other if isinstance(other, timedelta) else _localise(other, tzid, floating)
        )
    if not isinstance(value, datetime):
        return value
    if tzid:
        zone = tzp.timezone(str(tzid))
        if zone is not None:
            return value.replace(tzinfo=zone)
        if value.tzinfo is None:
            raise _UnknownZone(
                f"its time zone {str(tzid)!r} is not known and the file does not define it "
                "(VTIMEZONE)"
            )
        return value
    if value.tzinfo is None and floating is not None:
        return value.replace(tzinfo=floating)
    return value


def _moment(prop, floating: tzinfo | None):
    if prop is None:
        return None
    return _localise(prop.dt, prop.params.get("TZID"), floating)


def _moments(props, floating: tzinfo | None):
    if props is None:
        return
    for prop in props if isinstance(props, list) else [props]:
        tzid = prop.params.get("TZID")
        for value in prop.dts:
            yield _localise(value.dt, tzid, floating)


def _end(event, start, floating: tzinfo | None):
    if event.get("DTEND") is not None:
        return _moment(event.get("DTEND"), floating)
    if event.get("DURATION") is not None and start is not None:
        return start + event.get("DURATION").dt
    if isinstance(start, date) and not isinstance(start, datetime):
        return start + timedelta(days=1)  # RFC 5545: a date with no end is that one day
    return None
