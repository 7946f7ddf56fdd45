"""What importing a calendar will do, worked out before anything is written.

Each event (``reading.Entry``) is matched by its ``UID`` to what an earlier
import made, so that importing again updates rather than adds:

* a repeating event becomes a group with its schedule
  (``domain.schedule.rules``: a rule the register cannot say is skipped with
  the reason); its ``EXDATE``s become cancelled meetings, its overriding
  events (same ``UID``, a ``RECURRENCE-ID``) moved or cancelled meetings,
  its ``RDATE``s and a ``DTSTART`` off its rule extra meetings;
* a single event becomes an event of the organisation (a one-off meeting),
  unless it was over before today;
* ``LOCATION`` becomes one of the organisation's spaces when it matches one
  (``places``); otherwise it is reported, and a single event keeps the words.

Names and descriptions are checked by the register's own rules
(``GroupSchema``, ``domain.text``). The ``Plan`` says what to write; the
report (the register's ``ImportReport``, as every import's) says what was done
and why: groups and events created, updated and already up to date, a line
for each group created or updated, each event skipped with why, and notes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from betterway_map.domain.dates import clock_time, long_date
from betterway_map.domain.schedule.recurrence import describe
from betterway_map.domain.schedule.rules import (
    RuleNotSupported,
    rule_parts,
    schedule_from_rule,
    to_uk,
)
from betterway_map.domain.text import public_name_problem
from betterway_map.interop.calendars.imports.changes import RepeatingChanges, uk_date
from betterway_map.interop.calendars.imports.places import SpaceRef, Where, where
from betterway_map.interop.calendars.imports.reading import Entry
from betterway_map.register.schemas.groups import GroupSchema, check_group
from betterway_map.register.services.imports import ImportReport

__all__ = ["Existing", "ExistingRecord", "GroupPlan", "OneOffPlan", "Plan", "plan_import"]

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
# One schema checks every group's name and description (making one is slow).
_GROUP_SCHEMA = GroupSchema()


@dataclass(frozen=True)
class ExistingRecord:
    """A record an earlier import made: its id, the values a calendar sets,
    and (a group's) the meetings changes and extras it holds from a calendar
    and the dates an admin changed on the page."""

    id: int
    values: dict
    changes: frozenset = frozenset()
    extras: frozenset = frozenset()
    page_dates: frozenset = frozenset()


@dataclass(frozen=True)
class Existing:
    organisation: str
    spaces: tuple[SpaceRef, ...] = ()
    groups: dict[str, ExistingRecord] = field(default_factory=dict)
    one_offs: dict[str, ExistingRecord] = field(default_factory=dict)


@dataclass
class GroupPlan:
    """A group to write; an existing one only where something differs."""

    uid: str
    group_id: int | None
    values: dict
    changes: list[dict]
    extras: list[dict]
    values_differ: bool = True
    meetings_differ: bool = True


@dataclass
class OneOffPlan:
    uid: str
    one_off_id: int | None
    values: dict | None  # None: delete it (cancelled in the calendar)
    differs: bool = True


@dataclass
class Plan:
    groups: list[GroupPlan]
    one_offs: list[OneOffPlan]
    report: ImportReport


class _Skip(Exception):
    """An event that cannot be imported; the message says why."""


def _key(items) -> frozenset:
    return frozenset(tuple(sorted(item.items())) for item in items)


def plan_import(entries: list[Entry], existing: Existing, today: date, source: str) -> Plan:
    """The plan and the report of importing ``entries`` into the organisation."""
    report = ImportReport(source, records_read=len(entries))
    past: list[Entry] = []
    masters: dict[str, Entry] = {}
    overrides: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if not entry.uid:
            report.skipped.append(
                f"{entry.label}: it has no UID, so it could not be updated later."
            )
        elif entry.recurrence_id is not None:
            overrides[entry.uid].append(entry)
        elif entry.uid in masters:
            report.skipped.append(
                f"{entry.label}: its UID is in the file twice; the first is used."
            )
        else:
            masters[entry.uid] = entry
    plan = Plan([], [], report)
    for uid, master in masters.items():
        try:
            if master.problem:
                raise _Skip(master.problem)
            if _repeats(master):
                plan.groups.append(_group(master, overrides.pop(uid, []), existing, today, report))
            else:
                found = _one_off(master, existing, today, report)
                if found is None:
                    past.append(master)
                else:
                    plan.one_offs.append(found)
        except _Skip as why:
            report.skip(master.label, str(why))
    for uid, orphans in overrides.items():
        if uid not in masters:
            for entry in orphans:
                report.skip(
                    entry.label,
                    "it changes one meeting of a repeating event that is not in the file",
                )
    # Last, so that the reasons worth reading come first in a long report.
    for entry in past:
        report.skip(entry.label, "it was over before today")
    return plan


def _repeats(entry: Entry) -> bool:
    if not entry.rules:
        return False
    return not (len(entry.rules) == 1 and rule_parts(entry.rules[0]).get("COUNT") == "1")


def _checked_text(entry: Entry) -> tuple[str, str | None]:
    if not entry.summary:
        raise _Skip("it has no title (SUMMARY)")
    problem = public_name_problem("Its title", entry.summary)
    if problem:
        raise _Skip(problem[0].lower() + problem[1:].rstrip("."))
    if len(entry.summary) > MAX_TITLE:
        raise _Skip(f"its title is {len(entry.summary)} characters long; at most {MAX_TITLE} fit")
    description = entry.description or None
    if description and len(description) > MAX_DESCRIPTION:
        description = description[: MAX_DESCRIPTION - 1] + "…"
    return entry.summary, description


def _where_note(
    report: ImportReport, entry: Entry, found: Where, existing: Existing, then: str
) -> None:
    if found.ambiguous:
        names = ", ".join(found.ambiguous)
        report.note(entry.label, f"its place '{found.unmatched}' could be any of {names}; {then}")
    elif found.unmatched:
        report.note(
            entry.label,
            f"its place '{found.unmatched}' matches none of {existing.organisation}'s spaces "
            f"(by name or postcode); {then}",
        )


def _group(
    master: Entry, overrides: list[Entry], existing: Existing, today: date, report: ImportReport
) -> GroupPlan:
    if len(master.rules) > 1:
        raise _Skip(f"it has {len(master.rules)} repeating rules (RRULE); a group has one")
    if not isinstance(master.start, datetime):
        raise _Skip("it repeats all day; a group meets at a time of day: add it by hand")
    if not isinstance(master.end, datetime):
        raise _Skip("it has no end time (DTEND or DURATION)")
    try:
        imported = schedule_from_rule(master.rules[0], master.start, master.end)
    except RuleNotSupported as error:
        raise _Skip(str(error)) from None
    schedule = imported.schedule
    name, description = _checked_text(master)
    length = to_uk(master.end) - to_uk(master.start)
    meetings = RepeatingChanges(master, schedule, length, existing, report)
    if imported.first_off_rule:
        meetings.add_extra(imported.first, to_uk(master.end))
    for value in master.rdates:
        meetings.added(value)
    for value in master.exdates:
        meetings.excluded(uk_date(value))
    for override in overrides:
        meetings.override(override)
    before = existing.groups.get(master.uid)
    over = schedule.ends_on is not None and schedule.ends_on < today
    if (
        before is None
        and over
        and not any(e["occurs_on"] >= today for e in meetings.extras.values())
    ):
        raise _Skip(f"its last meeting was on {long_date(schedule.ends_on)}, in the past")
    values = {
        "name": name,
        "description": description,
        "frequency": schedule.frequency,
        "weekday": schedule.weekday,
        "nth": schedule.nth,
        "start_time": schedule.start_time,
        "end_time": schedule.end_time,
        "starts_on": schedule.starts_on,
        "ends_on": schedule.ends_on,
    }
    errors = _GROUP_SCHEMA.validate({"name": name, "description": description}, partial=True)
    if errors:
        raise _Skip(" ".join(m for messages in errors.values() for m in messages).rstrip("."))
    found = where(master.location, existing.spaces)
    if found.space_id is not None:
        values["space_id"] = found.space_id
    if found.online_url:
        values.update(online=True, online_url=found.online_url)
    then = "its place is left as it was" if before else "choose its place on its manage page"
    _where_note(report, master, found, existing, then)
    if not master.location and before is None:
        report.note(
            master.label, "it says no place (LOCATION); choose its place on its manage page"
        )
    problems = check_group({**(before.values if before else {}), **values})
    if problems:
        raise _Skip(" ".join(m for messages in problems.values() for m in messages).rstrip("."))
    changes, extras = meetings.stored(before)
    values_differ, meetings_differ = _tell(
        report, before, values, changes, extras, schedule, found, existing.spaces
    )
    return GroupPlan(
        master.uid,
        before.id if before else None,
        values,
        changes,
        extras,
        values_differ,
        meetings_differ,
    )


def _tell(report, before, values, changes, extras, schedule, found, spaces) -> tuple[bool, bool]:
    """Say what is done with the group; (its values differ, its meetings differ)."""
    name = values["name"]
    if before is None:
        counts = _counts(changes, extras)
        until = f" until {long_date(schedule.ends_on)}" if schedule.ends_on else ""
        names = {space.id: space.name for space in spaces}
        place = " (online)" if found.online_url else ""
        if found.space_id in names:
            place = f" at {names[found.space_id]}"
        report.created["groups"] += 1
        report.extra.append(
            f"Created the group '{name}': {describe(schedule)}, from "
            f"{long_date(schedule.starts_on)}{until}{place}{counts}."
        )
        return True, True
    differ = [
        key.replace("_", " ") for key, value in values.items() if before.values.get(key) != value
    ]
    values_differ = bool(differ)
    changes_differ, extras_differ = _key(changes) != before.changes, _key(extras) != before.extras
    if changes_differ:
        differ.append("cancelled or moved meetings")
    if extras_differ:
        differ.append("extra meetings")
    if differ:
        report.updated["groups"] += 1
        report.extra.append(f"Updated the group '{name}': {', '.join(differ)}.")
    else:
        report.unchanged["groups"] += 1
    return values_differ, changes_differ or extras_differ


def _counts(changes: list[dict], extras: list[dict]) -> str:
    cancelled = sum(1 for c in changes if c["kind"] == "cancelled")
    moved = len(changes) - cancelled
    parts = [
        f"{n} {what}"
        for n, what in (
            (cancelled, "cancelled"),
            (moved, "moved"),
            (len(extras), "extra"),
        )
        if n
    ]
    return f"; meetings {', '.join(parts)}" if parts else ""


def _one_off(entry: Entry, existing: Existing, today: date, report: ImportReport):
    before = existing.one_offs.get(entry.uid)
    if entry.status == "CANCELLED":
        if before is None:
            raise _Skip("it is cancelled in the calendar")
        report.updated["events"] += 1
        report.extra.append(f"Removed the event {entry.label}: it is cancelled in the calendar.")
        return OneOffPlan(entry.uid, before.id, None)
    if isinstance(entry.start, datetime):
        if not isinstance(entry.end, datetime):
            raise _Skip("it has no end time (DTEND or DURATION)")
        starts, ends = to_uk(entry.start), to_uk(entry.end)
        if ends.date() != starts.date() or ends <= starts:
            raise _Skip("it does not end on the day it starts; an event here is on one day")
        day, times = starts.date(), (starts.time(), ends.time())
    else:
        day, times = entry.start, (None, None)
        days = (entry.end - entry.start).days if isinstance(entry.end, date) else 1
        if days > 1:
            raise _Skip(f"it lasts {days} days; an event here is on one day")
    if day < today:
        return None
    title, description = _checked_text(entry)
    found = where(entry.location, existing.spaces)
    _where_note(report, entry, found, existing, "it is shown in those words")
    values = {
        "title": title,
        "description": description,
        "occurs_on": day,
        "start_time": times[0],
        "end_time": times[1],
        "space_id": found.space_id,
        "place": found.online_url or found.unmatched,
    }
    when = f"{long_date(day)}" + (f", {clock_time(times[0])}" if times[0] else " (all day)")
    differs = before is None or values != before.values
    if before is None:
        report.created["events"] += 1
        report.extra.append(f"Created the event '{title}': {when}.")
    elif differs:
        differ = ", ".join(k.replace("_", " ") for k in values if values[k] != before.values.get(k))
        report.updated["events"] += 1
        report.extra.append(f"Updated the event '{title}': {differ}.")
    else:
        report.unchanged["events"] += 1
    return OneOffPlan(entry.uid, before.id if before else None, values, differs)
