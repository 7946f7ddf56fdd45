"""A group's meetings that are not as its rule says, in OpenActive terms:
pure, no Flask, no database.

OpenActive Modelling Specification 2.0 gives a ``Schedule`` (so a
``PartialSchedule``) ``exceptDate``: "Exception dates where the schedule
should not generate an event"; given as a date, every event of that date is
left out. So:

* a cancelled meeting of the rule is an ``exceptDate`` (its date: the rule
  has at most one meeting a day);
* a moved meeting is an ``exceptDate`` for the rule's date, and a
  ``ScheduledSession`` in the series' ``subEvent`` at its new time
  (``eventStatus`` ``EventRescheduled``; its ``schedulingNote`` says where
  from and why, as the specification has no ``previousStartDate``);
* an extra (one-off) meeting is a ``ScheduledSession`` in ``subEvent``
  (``EventScheduled``).

A sub-event inherits what it does not say from its series (the
specification: "properties describing the parent event can be assumed to
apply to the child"), so it carries its own ``location`` only when it is
somewhere else. Every change of the group is listed, past ones too: the item
then changes only when the group does, as RPDE asks (its ``modified`` moves
with every change of its meetings, ``register.services.meeting_changes``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from betterway_map.domain.clock import UK
from betterway_map.domain.dates import long_date
from betterway_map.domain.schedule.meetings import Changes, Extra, Move

__all__ = ["except_dates", "sub_events"]

_KIND = "ScheduledSession"
_RESCHEDULED = "https://schema.org/EventRescheduled"
_SCHEDULED = "https://schema.org/EventScheduled"


def except_dates(changes: Changes) -> list[str]:
    """The dates of the rule's meetings that do not happen as it says
    (cancelled or moved), in order, as ISO dates.

    >>> from datetime import date
    >>> from betterway_map.domain.schedule.meetings import Cancellation
    >>> except_dates(Changes(
    ...     cancelled=(Cancellation(date(2026, 3, 3)),),
    ...     moved=(Move(date(2026, 2, 24), datetime(2026, 2, 26, 14), datetime(2026, 2, 26, 16)),),
    ... ))
    ['2026-02-24', '2026-03-03']
    """
    days = {c.occurs_on for c in changes.cancelled} | {m.occurs_on for m in changes.moved}
    return [day.isoformat() for day in sorted(days)]


def _moment(wall_clock: datetime) -> str:
    """A naive UK wall-clock time as an ISO 8601 date-time with its offset.

    >>> _moment(datetime(2026, 7, 1, 10)), _moment(datetime(2026, 1, 6, 10))
    ('2026-07-01T10:00:00+01:00', '2026-01-06T10:00:00+00:00')
    """
    return wall_clock.replace(tzinfo=UK).isoformat()


def _duration(starts: datetime, ends: datetime) -> str:
    """ISO 8601 duration from ``starts`` to ``ends`` (wall-clock).

    >>> _duration(datetime(2026, 3, 12, 14), datetime(2026, 3, 12, 15, 30))
    'PT1H30M'
    >>> _duration(datetime(2026, 8, 1), datetime(2026, 8, 2))
    'PT24H'
    """
    minutes = int((ends - starts).total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def _session(
    session_id: str, starts: datetime, ends: datetime, location: dict | None, **more
) -> dict:
    body = {
        "@type": _KIND,
        "@id": session_id,
        "startDate": _moment(starts),
        "endDate": _moment(ends),
        "duration": _duration(starts, ends),
        **more,
    }
    if location is not None:
        body["location"] = location
    return {key: value for key, value in body.items() if value not in (None, "")}


def _moved(move: Move, page: str, place_of) -> dict:
    why = f": {move.reason}" if move.reason else ""
    return _session(
        f"{page}#meeting-{move.occurs_on.isoformat()}",
        move.starts_at,
        move.ends_at,
        place_of(move.space_id, move.place),
        eventStatus=_RESCHEDULED,
        schedulingNote=f"Moved from {long_date(move.occurs_on)}{why}.",
    )


def _extra(extra: Extra, page: str, place_of) -> dict:
    key = extra.id if extra.id is not None else extra.starts_at.strftime("%Y%m%dT%H%M")
    return _session(
        f"{page}#one-off-{key}",
        extra.starts_at,
        extra.ends_at,
        place_of(extra.space_id, extra.place),
        name=extra.title,
        eventStatus=_SCHEDULED,
    )


def sub_events(
    changes: Changes, page: str, place_of: Callable[[int | None, str | None], dict | None]
) -> list[dict]:
    """The moved and extra meetings as ``ScheduledSession``s, soonest first.

    ``page`` is the series' own URL (each session's ``@id`` is a fragment of
    it); ``place_of(space_id, place)`` gives the ``Place`` of a meeting held
    somewhere other than the series' own place (None: at the series' place).
    """
    sessions = [(m.starts_at, _moved(m, page, place_of)) for m in changes.moved]
    sessions += [(e.starts_at, _extra(e, page, place_of)) for e in changes.extra]
    return [body for _, body in sorted(sessions, key=lambda pair: pair[0])]
