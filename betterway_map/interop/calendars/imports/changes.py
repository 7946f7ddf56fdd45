"""A repeating event's changes, as a group's meetings changes: ``EXDATE``s
and cancelled overrides become cancelled meetings, overrides with another
time or place moved meetings, ``RDATE``s and a ``DTSTART`` off the rule extra
meetings. Each is keyed by the date the rule gives the meeting (in UK time);
what matches no meeting of the rule is noted and left out.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from betterway_map.domain.dates import clock_time, long_date
from betterway_map.domain.schedule.meetings import is_meeting_day
from betterway_map.domain.schedule.recurrence import Schedule
from betterway_map.domain.schedule.rules import to_uk
from betterway_map.interop.calendars.imports.places import where
from betterway_map.interop.calendars.imports.reading import Entry
from betterway_map.register.services.imports import ImportReport

__all__ = ["RepeatingChanges", "EXTRA_TITLE", "uk_date"]

EXTRA_TITLE = "Extra meeting"


def uk_date(value) -> date:
    """The UK date of a moment (a date is itself)."""
    return to_uk(value).date() if isinstance(value, datetime) else value


class RepeatingChanges:
    """The changes of one repeating event, keyed by the date the rule gives each meeting."""

    def __init__(
        self,
        master: Entry,
        schedule: Schedule,
        length: timedelta,
        existing,
        report: ImportReport,
    ):
        self.master, self.schedule, self.length = master, schedule, length
        self.existing, self.report = existing, report
        self.changes: dict[date, dict] = {}
        self.extras: dict[date, dict] = {}

    def _note(self, message: str) -> None:
        self.report.note(self.master.label, message)

    def add_extra(self, starts: datetime, ends: datetime, place: tuple = (None, None)) -> None:
        if ends.date() != starts.date() or ends <= starts:
            self._note(f"its extra meeting on {long_date(starts)} does not end that day: left out")
            return
        self.extras[starts.date()] = {
            "occurs_on": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            "title": EXTRA_TITLE,
            "space_id": place[0],
            "place": place[1],
        }

    def added(self, value) -> None:
        """An RDATE: a date, a moment, or a period."""
        if isinstance(value, tuple):
            starts, ends = to_uk(value[0]), to_uk(value[1])
        elif isinstance(value, datetime):
            starts = to_uk(value)
            ends = starts + self.length
        else:
            starts = datetime.combine(value, self.schedule.start_time)
            ends = datetime.combine(value, self.schedule.end_time)
        if is_meeting_day(self.schedule, starts.date()):
            return  # a meeting the rule has already
        self.add_extra(starts, ends)

    def excluded(self, day: date) -> None:
        if day in self.extras:
            del self.extras[day]
        elif is_meeting_day(self.schedule, day):
            self.changes[day] = _cancelled(day)
        else:
            self._note(f"it excludes {long_date(day)}, when it has no meeting: ignored")

    def override(self, entry: Entry) -> None:
        day = uk_date(entry.recurrence_id)
        if entry.problem:
            self._note(
                f"its change to the meeting on {long_date(day)} cannot be read: {entry.problem}"
            )
            return
        if entry.this_and_future:
            self._note(
                f"it changes every meeting from {long_date(day)} on (RANGE=THISANDFUTURE), "
                "which is not imported: change the group by hand"
            )
            return
        if day not in self.extras and not is_meeting_day(self.schedule, day):
            self._note(
                f"it changes a meeting on {long_date(day)} that its rule does not have: ignored"
            )
            return
        if entry.status == "CANCELLED":
            self.excluded(day)
            return
        if not isinstance(entry.start, datetime):
            self._note(f"its meeting on {long_date(day)} is changed to all day: ignored")
            return
        starts = to_uk(entry.start)
        ends = to_uk(entry.end) if isinstance(entry.end, datetime) else starts + self.length
        place = self._place(entry)
        if day in self.extras:  # the DTSTART off the rule, or an RDATE, moved
            del self.extras[day]
            self.add_extra(starts, ends, place)
            return
        usual = datetime.combine(day, self.schedule.start_time)
        if starts == usual and ends == usual + self.length and place == (None, None):
            return  # only its words changed
        if ends.date() != starts.date() or ends <= starts:
            self._note(f"its meeting on {long_date(day)} is moved to end on another day: ignored")
            return
        self.changes[day] = {
            "occurs_on": day,
            "kind": "moved",
            "moved_on": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            "space_id": place[0],
            "place": place[1],
        }

    def _place(self, entry: Entry) -> tuple[int | None, str | None]:
        """(space, words) of a moved meeting; (None, None): the group's own place."""
        if not entry.location or entry.location == self.master.location:
            return None, None
        found = where(entry.location, self.existing.spaces)
        if found.space_id is not None:
            return found.space_id, None
        self._note(
            f"its meeting moved to {long_date(uk_date(entry.start))} at "
            f"{clock_time(to_uk(entry.start))} is at '{entry.location}', which matches none of "
            f"{self.existing.organisation}'s spaces: it is shown in those words"
        )
        return None, found.online_url or found.unmatched

    def stored(self, before) -> tuple[list[dict], list[dict]]:
        """The changes and extras to store: an admin's change on the page
        stays, and the calendar's for that date is left out."""
        page_dates = before.page_dates if before else frozenset()
        changes = []
        for day, change in sorted(self.changes.items()):
            if day in page_dates:
                self._note(
                    f"its meeting on {long_date(day)} was changed on this site, which is kept"
                )
            else:
                changes.append(change)
        return changes, [extra for _, extra in sorted(self.extras.items())]


def _cancelled(day: date) -> dict:
    return {
        "occurs_on": day,
        "kind": "cancelled",
        "moved_on": None,
        "start_time": None,
        "end_time": None,
        "space_id": None,
        "place": None,
    }
