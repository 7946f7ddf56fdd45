"""Importing an organisation's calendar (a ``.ics`` file's bytes): all or
nothing, in one transaction.

The file is read (``reading``) and the whole import worked out against what
earlier imports made (``plan``) before anything is written; a file that is
not a calendar is refused (``InvalidInput``, nothing written), and if any
write fails nothing is kept. Importing the same calendar again updates by
``UID``: a group's or an event's details, and the cancelled, moved and extra
meetings that came from the calendar (an admin's own changes on the site
stay). One audit event records the import.
"""

from __future__ import annotations

import time
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk, utcnow
from betterway_map.errors import Conflict, InvalidInput
from betterway_map.extensions import db
from betterway_map.interop.calendars.events import plain
from betterway_map.interop.calendars.imports.fetching import FetchSettings, fetch_calendar
from betterway_map.interop.calendars.imports.places import SpaceRef
from betterway_map.interop.calendars.imports.plan import (
    Existing,
    ExistingRecord,
    Plan,
    plan_import,
)
from betterway_map.interop.calendars.imports.reading import CalendarFileError, read_calendar
from betterway_map.register.models import (
    Group,
    MeetingChange,
    OneOffMeeting,
    Organisation,
    Space,
)
from betterway_map.register.services.imports import ImportReport
from betterway_map.register.services.organisations import admin_organisation, get_organisation

__all__ = [
    "import_calendar",
    "import_upload_or_address",
    "fetch_settings",
    "organisation_named",
    "CALENDAR",
]

# ``source`` of the records an import makes (``source_ref``: the event's UID).
CALENDAR = "ical"
# Bound parameters per IN list, well below SQLite's limit.
_IDS_PER_QUERY = 5000
_GROUP_COLUMNS = (
    "name",
    "description",
    "frequency",
    "weekday",
    "nth",
    "start_time",
    "end_time",
    "starts_on",
    "ends_on",
    "space_id",
    "online",
    "online_url",
)
_CHANGE_COLUMNS = ("occurs_on", "kind", "moved_on", "start_time", "end_time", "space_id", "place")
_EXTRA_COLUMNS = ("occurs_on", "start_time", "end_time", "title", "space_id", "place")
_ONE_OFF_COLUMNS = (
    "title",
    "description",
    "occurs_on",
    "start_time",
    "end_time",
    "space_id",
    "place",
)


def import_calendar(
    user: User | None,
    organisation_id: int,
    data: bytes,
    source: str,
    *,
    today: date | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import ``data`` (named ``source`` in messages) into the organisation,
    which ``user`` must administer (None: the command line). ``dry_run``
    works out and reports everything and writes nothing.

    Raises ``InvalidInput`` for a file that is not a calendar.
    """
    started = time.perf_counter()
    if user is None:
        organisation = get_organisation(organisation_id)
    else:
        organisation = admin_organisation(user, organisation_id)
    try:
        entries = read_calendar(data)
    except CalendarFileError as error:
        message = f"{source}: {error} Nothing was imported."
        raise InvalidInput(message, {"calendar": [message]}) from None
    plan = plan_import(entries, _existing(organisation), today or today_in_uk(), source)
    if dry_run:
        plan.report.seconds = time.perf_counter() - started
        return plan.report
    try:
        _write(plan, organisation.id)
        audit.record(
            user.id if user else None,
            "import_calendar",
            "organisation",
            organisation.id,
            f"{source[:200]}: {plan.report.summary()}"[:500],
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        message = (
            f"{source}: another import for {organisation.name} was saved while this one ran. "
            "Nothing was imported: import the calendar again."
        )
        raise Conflict(message, {"calendar": [message]}) from None
    except Exception:
        db.session.rollback()
        raise
    plan.report.seconds = time.perf_counter() - started
    return plan.report


def fetch_settings(config) -> FetchSettings:
    """The fetching settings of an app's ``config`` (``CALENDAR_FETCH`` ...)."""
    return FetchSettings(
        enabled=bool(config.get("CALENDAR_FETCH")),
        max_bytes=int(config.get("CALENDAR_IMPORT_MAX_BYTES") or 2_000_000),
        timeout_seconds=float(config.get("CALENDAR_FETCH_TIMEOUT_SECONDS") or 10),
    )


def import_upload_or_address(
    user: User,
    organisation_id: int,
    settings: FetchSettings,
    *,
    data: bytes | None = None,
    filename: str | None = None,
    url: str | None = None,
) -> ImportReport:
    """The upload page's import: the file's bytes (``data``, read up to one
    byte more than ``settings.max_bytes``), or the calendar at ``url``,
    fetched only when the site allows it. ``InvalidInput`` on the
    ``calendar`` or ``url`` field for what is refused."""
    admin_organisation(user, organisation_id)
    if data is not None and url:
        message = "Give the calendar file or its web address, not both."
        raise InvalidInput(message, {"calendar": [message]})
    if url:
        data, source = fetch_calendar(url, settings), url
    elif data is None:
        message = "Choose the calendar file (.ics) to import, or give its web address."
        raise InvalidInput(message, {"calendar": [message]})
    else:
        source = plain(filename or "the file")[:120] or "the file"
        if len(data) > settings.max_bytes:
            message = (
                f"{source} is larger than {settings.max_bytes / 1e6:g} MB, the most imported at "
                "once. Nothing was imported."
            )
            raise InvalidInput(message, {"calendar": [message]})
    return import_calendar(user, organisation_id, data, source)


def organisation_named(text: str) -> Organisation:
    """The organisation numbered ``text``, or else named exactly ``text``
    (ignoring case); ``InvalidInput`` when none or several are."""
    text = text.strip()
    if text.isdigit():
        return get_organisation(int(text))
    found = list(
        db.session.scalars(
            select(Organisation).where(func.lower(Organisation.name) == text.lower()).limit(3)
        )
    )
    if len(found) == 1:
        return found[0]
    many = "several organisations are" if found else "no organisation is"
    message = f"{many} named {text!r}: give the organisation's number instead."
    raise InvalidInput(message, {"organisation": [message]})


def _existing(organisation) -> Existing:
    spaces = db.session.scalars(select(Space).where(Space.organisation_id == organisation.id))
    groups = db.session.scalars(
        select(Group)
        .where(Group.organisation_id == organisation.id, Group.source == CALENDAR)
        .options(selectinload(Group.changes), selectinload(Group.one_offs))
    )
    one_offs = db.session.scalars(
        select(OneOffMeeting).where(
            OneOffMeeting.organisation_id == organisation.id,
            OneOffMeeting.group_id.is_(None),
            OneOffMeeting.source == CALENDAR,
            OneOffMeeting.source_ref.is_not(None),
        )
    )
    return Existing(
        organisation=organisation.name,
        spaces=tuple(SpaceRef(s.id, s.name, s.postcode) for s in spaces),
        groups={group.source_ref: _group_record(group) for group in groups},
        one_offs={
            one_off.source_ref: ExistingRecord(one_off.id, _values(one_off, _ONE_OFF_COLUMNS))
            for one_off in one_offs
        },
    )


def _values(record, columns) -> dict:
    return {name: getattr(record, name) for name in columns}


def _group_record(group: Group) -> ExistingRecord:
    mine = [c for c in group.changes if c.source == CALENDAR]
    extras = [o for o in group.one_offs if o.source == CALENDAR]
    return ExistingRecord(
        group.id,
        _values(group, _GROUP_COLUMNS),
        changes=frozenset(tuple(sorted(_values(c, _CHANGE_COLUMNS).items())) for c in mine),
        extras=frozenset(tuple(sorted(_values(o, _EXTRA_COLUMNS).items())) for o in extras),
        page_dates=frozenset(c.occurs_on for c in group.changes if c.source != CALENDAR),
    )


def _write(plan: Plan, organisation_id: int) -> None:
    """Write what differs: new records, changed values, and (for a group
    whose meetings differ) its calendar changes and extras replaced."""
    with db.session.no_autoflush:
        _write_groups(plan.groups, organisation_id)
        _write_one_offs(plan.one_offs, organisation_id)


def _write_groups(planned_groups, organisation_id: int) -> None:
    changed = [
        p for p in planned_groups if p.group_id is None or p.values_differ or p.meetings_differ
    ]
    replaced = [p.group_id for p in changed if p.group_id is not None and p.meetings_differ]
    for start in range(0, len(replaced), _IDS_PER_QUERY):
        ids = replaced[start : start + _IDS_PER_QUERY]
        for model in (MeetingChange, OneOffMeeting):
            db.session.execute(
                delete(model).where(model.group_id.in_(ids), model.source == CALENDAR)
            )
    groups = _by_id(Group, [p.group_id for p in changed if p.group_id is not None])
    for planned in changed:
        if planned.group_id is None:
            group = Group(
                organisation_id=organisation_id,
                source=CALENDAR,
                source_ref=planned.uid,
                **planned.values,
            )
            db.session.add(group)
            meetings_from_calendar = True
        else:
            group = groups[planned.group_id]
            for name, value in planned.values.items():
                setattr(group, name, value)
            meetings_from_calendar = planned.meetings_differ
            if meetings_from_calendar:  # a new version for the feeds that carry its meetings
                group.updated_at = utcnow()
        if not meetings_from_calendar:
            continue
        # A new group by its object (it has no id yet); an existing one by
        # its id, leaving its loaded collections alone (the rows they held
        # were deleted above, and the commit expires them).
        owner = {"group": group} if planned.group_id is None else {"group_id": group.id}
        db.session.add_all(
            MeetingChange(source=CALENDAR, **owner, **change) for change in planned.changes
        )
        db.session.add_all(
            OneOffMeeting(organisation_id=organisation_id, source=CALENDAR, **owner, **extra)
            for extra in planned.extras
        )


def _write_one_offs(planned_one_offs, organisation_id: int) -> None:
    changed = [p for p in planned_one_offs if p.differs]
    found = _by_id(OneOffMeeting, [p.one_off_id for p in changed if p.one_off_id is not None])
    for planned in changed:
        if planned.one_off_id is None:
            db.session.add(
                OneOffMeeting(
                    organisation_id=organisation_id,
                    source=CALENDAR,
                    source_ref=planned.uid,
                    **planned.values,
                )
            )
        elif planned.values is None:
            db.session.delete(found[planned.one_off_id])
        else:
            for name, value in planned.values.items():
                setattr(found[planned.one_off_id], name, value)


def _by_id(model, ids: list[int]) -> dict:
    found = {}
    for start in range(0, len(ids), _IDS_PER_QUERY):
        chunk = ids[start : start + _IDS_PER_QUERY]
        found.update(
            (record.id, record)
            for record in db.session.scalars(select(model).where(model.id.in_(chunk)))
        )
    return found
