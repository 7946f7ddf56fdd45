"""Importing a spreadsheet of spaces or groups into one organisation.

The rows are read by ``domain.register_rows``; each is loaded through the
register's own schema (``register.services.imports.load_record``) and, for
a space, placed through the gazetteer (``geocoding.locate.place_postcode``)
unless it gives its latitude and longitude. A row refused (no name, no
address, a postcode missing, "[Unknown]", not a postcode or one the
gazetteer does not know, a group at a venue the organisation does not
have) is reported with its row number and value, and the other rows
import; a row marked closed is skipped and counted. Re-running finds each
row again by its key (``source`` "sheet", ``source_ref``: the reference
column when there is one, else the name and postcode; for groups the name
and venue) and updates it. One transaction: a failure writes nothing.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable

from sqlalchemy import func, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.register_rows import KINDS, SheetRow, read_rows
from betterway_map.domain.tables import TableError, read_table
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.geocoding.locate import place_postcode
from betterway_map.register.models import Group, Organisation, Space
from betterway_map.register.schemas.groups import GroupSchema, check_group
from betterway_map.register.schemas.spaces import SpaceSchema
from betterway_map.register.services.imports import (
    ImportReport,
    Refused,
    apply,
    existing,
    load_record,
)
from betterway_map.register.services.organisations import admin_organisation, get_organisation

__all__ = ["SOURCE", "import_sheet", "find_organisation", "MAX_ROWS"]

SOURCE = "sheet"
MAX_ROWS = 100_000
# Made once: a schema's construction copies its fields, which costs more than a load.
_SPACE, _GROUP = SpaceSchema(), GroupSchema()
_REFUSED_ON = {"spaces": ("name", "address", "postcode", "latitude", "longitude"), "groups": ()}


def _refuse(message: str, field: str = "file") -> InvalidInput:
    message = f"{message} Nothing was imported."
    return InvalidInput(message, {field: [message]})


def _label(row: SheetRow) -> str:
    return f"row {row.line} ({row.name!r})"


def _upsert(
    model,
    kind: str,
    row: SheetRow,
    organisation_id: int,
    found: dict,
    values: dict,
    notes: list,
    report: ImportReport,
) -> None:
    """Add the row's record, or update the one an earlier import made from it,
    counting which in ``report``; the row's notes go in the report too."""
    for note in row.notes + notes:
        report.note(_label(row), note)
    record = found.get(row.key)
    if record is None:
        db.session.add(
            model(organisation_id=organisation_id, source=SOURCE, source_ref=row.key, **values)
        )
        report.created[kind] += 1
    elif apply(record, values):
        report.updated[kind] += 1
    else:
        report.unchanged[kind] += 1


def _space(row: SheetRow, organisation_id: int, found: dict, report: ImportReport) -> None:
    values, notes = load_record(
        _SPACE,
        {**row.values, "organisation_id": organisation_id},
        refuse_on=_REFUSED_ON["spaces"],
    )
    values.pop("organisation_id")
    typed = values.get("latitude") is not None and values.get("longitude") is not None
    if typed:
        values["location_source"] = "typed"
    else:
        values.pop("latitude", None), values.pop("longitude", None)
        place = place_postcode(values["postcode"])
        if place is None:
            raise Refused(
                f"the postcode {values['postcode']!r} is not in our postcode list (the gazetteer), "
                "so the space could not be placed: check it, or give latitude and longitude"
            )
        values.update(
            latitude=place.latitude,
            longitude=place.longitude,
            location_source="postcode" if place.precision == "postcode" else "geocoder",
        )
    _upsert(Space, "spaces", row, organisation_id, found, values, notes, report)


def _venues(organisation_id: int) -> dict[str, int]:
    """The organisation's spaces by lower-case name and by reference."""
    venues = {}
    for space in db.session.scalars(select(Space).where(Space.organisation_id == organisation_id)):
        venues.setdefault(space.name.lower(), space.id)
        if space.source == SOURCE and (space.source_ref or "").startswith("ref:"):
            venues.setdefault(space.source_ref[4:].lower(), space.id)
    return venues


def _group(row: SheetRow, organisation_id: int, found: dict, venues: dict, report) -> None:
    space_id = venues.get(row.venue.lower()) if row.venue else None
    if row.venue and space_id is None:
        raise Refused(
            f"the venue {row.venue!r} is not one of the organisation's spaces: import or add "
            "the spaces first, and name the venue as the space is named"
        )
    values = {**row.values, "organisation_id": organisation_id, "space_id": space_id}
    values, notes = load_record(_GROUP, values)
    problems = (
        check_group(values)
        if space_id or values.get("online")
        else {"space_id": ["it has no venue and does not meet online"]}
    )
    if problems:
        raise Refused(" ".join(message for found in problems.values() for message in found))
    values.pop("organisation_id")
    _upsert(Group, "groups", row, organisation_id, found, values, notes, report)


def find_organisation(given: str) -> int:
    """An organisation's number from its number or its exact name (any case)."""
    if given.strip().isdigit():
        return get_organisation(int(given)).id
    found = list(
        db.session.scalars(
            select(Organisation.id).where(func.lower(Organisation.name) == given.strip().lower())
        )
    )
    if len(found) != 1:
        raise _refuse(
            f"{len(found) or 'No'} organisations are named {given!r}: give its number instead.",
            "organisation_id",
        )
    return found[0]


def _check(user: User | None, organisation_id: int) -> None:
    if user is None or user.has_role("site_admin"):
        get_organisation(organisation_id)
    else:
        admin_organisation(user, organisation_id)


def import_sheet(
    data: bytes,
    what: str,
    kind: str,
    organisation_id: int,
    user: User | None,
    *,
    columns: dict[str, str] | None = None,
    progress: Callable[[int], None] = lambda done: None,
) -> ImportReport:
    """Import one spreadsheet (CSV bytes) of ``kind`` into the organisation.

    ``columns`` maps our field names to the file's headers where the names
    do not match by themselves. ``user`` None is the command line. Raises
    ``InvalidInput`` when the file cannot be read (nothing is imported).
    """
    if kind not in KINDS:
        raise _refuse(f"kind must be spaces or groups, not {kind!r}.", "kind")
    _check(user, organisation_id)
    started = clock.perf_counter()
    try:
        table = read_table(data, what, max_rows=MAX_ROWS)
        rows = read_rows(table, kind, columns, today_in_uk())
    except TableError as error:
        raise _refuse(str(error)) from None
    report = ImportReport(what, records_read=len(rows))
    report.extra.append(f"Read as {table.describe()}; columns: {', '.join(table.headers)}.")
    model = Space if kind == "spaces" else Group
    found = existing(model, SOURCE, (row.key for row in rows), organisation_id)
    venues = _venues(organisation_id) if kind == "groups" else {}
    closed, seen = 0, {}
    try:
        with db.session.no_autoflush:  # one flush at the end, not one per row
            for row in rows:
                progress(1)
                if row.closed:
                    closed += 1
                    continue
                if row.refused:
                    report.skip(_label(row), row.refused)
                    continue
                if row.key in seen:
                    report.skip(
                        _label(row),
                        f"it repeats row {seen[row.key]} (same reference, or name and postcode)",
                    )
                    continue
                seen[row.key] = row.line
                try:
                    if kind == "spaces":
                        _space(row, organisation_id, found, report)
                    else:
                        _group(row, organisation_id, found, venues, report)
                except Refused as refused:
                    report.skip(_label(row), str(refused))
        report.extra.append(f"Skipped {closed} row(s) marked closed.")
        audit.record(
            user.id if user else None,
            "import",
            f"sheet_{kind}",
            organisation_id,
            f"{what[:80]}: {report.summary()}; closed: {closed}",
        )
        db.session.commit()
    except Exception:  # all or nothing
        db.session.rollback()
        raise
    report.seconds = clock.perf_counter() - started
    return report
