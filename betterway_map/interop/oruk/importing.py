"""Importing an ORUK feed into the register: one transaction per file.

``import_feed`` reads a file (``feed``), maps it (``reading``), loads each
record through the register's schemas (``register.services.imports``) and
writes organisations, spaces and groups, found again by their ORUK id
(``source``/``source_ref``): importing the same file again creates
nothing and updates only what changed. Any error while writing rolls back
the whole file; a file that is not a feed writes nothing.

Who may import into what: a site admin (or the command line) imports
each service into the organisation the feed names, created or updated
from it, or into one organisation chosen; an organisation admin only into
an organisation they administer, which every service of the file joins.

A service is found again by its ORUK id whatever organisation it was
imported into: when its organisation is now another (the feed says so, or
another organisation is chosen), its group moves there, with its meetings
and the people who attend it, if the importer may change both organisations
(``group_moves``); otherwise it is skipped, saying why, and no second group
is made.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.interop.oruk.feed import (
    FeedError,
    check_size,
    services_of,
    services_of_csv_set,
)
from betterway_map.interop.oruk.group_moves import groups_by_ref, move_group
from betterway_map.interop.oruk.reading import Plan, Record, read_services
from betterway_map.register.models import Group, Organisation, Space
from betterway_map.register.schemas.groups import GroupSchema, check_group
from betterway_map.register.schemas.organisations import OrganisationSchema
from betterway_map.register.schemas.spaces import SpaceSchema
from betterway_map.register.services.imports import (
    ImportReport,
    Refused,
    apply,
    existing,
    load_record,
)
from betterway_map.register.services.organisations import admin_organisation
from betterway_map.register.services.spaces import _place, check_location

__all__ = [
    "DEFAULT_SOURCE",
    "import_feed",
    "check_importer",
    "refuse",
    "feeds_in",
    "import_files",
]

DEFAULT_SOURCE = "oruk"
_SPACE_REFUSED_ON = ("name", "address", "postcode", "latitude", "longitude")
# Made once: a schema's construction copies its fields, which costs more than a load.
_ORGANISATION, _SPACE, _GROUP = OrganisationSchema(), SpaceSchema(), GroupSchema()


def check_importer(user: User | None, organisation_id: int | None) -> None:
    """Refuse an import its user may not make (None is the command line)."""
    if user is None or user.has_role("site_admin"):
        if organisation_id is not None:
            from betterway_map.register.services.organisations import get_organisation

            get_organisation(organisation_id)
        return
    if organisation_id is None:
        message = "Choose which of your organisations the services join."
        raise InvalidInput(message, {"organisation_id": [message]})
    admin_organisation(user, organisation_id)


def _label(record: Record) -> str:
    return f"{record.kind} {record.name!r} ({record.ref})"


def _organisations(plan: Plan, source: str, report: ImportReport) -> dict[str, int]:
    """The feed's organisations that run a service we import, created or updated."""
    used = {record.organisation_ref for record in plan.services}
    wanted = {ref: record for ref, record in plan.organisations.items() if ref in used}
    found = existing(Organisation, source, wanted)
    ids = {}
    for ref, record in wanted.items():
        try:
            values, notes = load_record(_ORGANISATION, record.values)
        except Refused as refused:
            report.skip(_label(record), str(refused))
            continue
        for note in notes:
            report.note(_label(record), note)
        organisation = found.get(ref)
        if organisation is None:
            organisation = Organisation(source=source, source_ref=ref, **values)
            db.session.add(organisation)
            report.created["organisations"] += 1
        elif apply(organisation, values):
            report.updated["organisations"] += 1
        else:
            report.unchanged["organisations"] += 1
        db.session.flush()
        ids[ref] = organisation.id
    return ids


def _space(record: Record, organisation_id: int, found: dict, source: str, report) -> Space | None:
    values = {**record.values, "organisation_id": organisation_id}
    try:
        values, notes = load_record(_SPACE, values, refuse_on=_SPACE_REFUSED_ON)
        check_location(values.get("latitude"), values.get("longitude"))
    except (Refused, InvalidInput) as refused:
        report.skip(_label(record), str(getattr(refused, "message", refused)))
        return None
    for note in notes:
        report.note(_label(record), note)
    values.pop("organisation_id")
    space = found.get((organisation_id, record.ref))
    typed = values.get("latitude") is not None
    if space is None:
        space = Space(organisation_id=organisation_id, source=source, source_ref=record.ref)
        db.session.add(space)
        apply(space, values)
        _place(space, typed=typed)
        report.created["spaces"] += 1
    else:
        moved = space.postcode != values["postcode"] or space.latitude is None
        if apply(space, values) or (moved and not typed):
            if not typed:
                _place(space, typed=False)
            report.updated["spaces"] += 1
        else:
            report.unchanged["spaces"] += 1
    return space


@dataclass
class _Context:
    """What writing one file's groups needs: who imports, from which source,
    the groups already imported by ORUK id, and the report."""

    user: User | None
    source: str
    groups: dict[str, Group]
    report: ImportReport


def _group(record: Record, organisation_id: int, space, context: _Context) -> None:
    report = context.report
    values = {**record.values, "organisation_id": organisation_id}
    try:
        values, notes = load_record(_GROUP, values)
        problems = check_group(values)
        if problems:
            raise Refused(" ".join(message for found in problems.values() for message in found))
    except Refused as refused:
        report.skip(_label(record), str(refused))
        return
    for note in record.notes + notes:
        report.note(_label(record), note)
    values.pop("organisation_id")
    group = context.groups.get(record.ref)
    moved = False
    if group is not None and group.organisation_id != organisation_id:
        if not move_group(group, organisation_id, context.user, report, _label(record)):
            return
        moved = True
    if group is None:
        group = Group(organisation_id=organisation_id, source=context.source, source_ref=record.ref)
        db.session.add(group)
        apply(group, values)
        group.space = space
        report.created["groups"] += 1
    elif apply(group, values) | (group.space is not space) | moved:
        group.space = space
        report.updated["groups"] += 1
    else:
        report.unchanged["groups"] += 1


def _organisation_of(record: Record, chosen: int | None, ids: dict, plan: Plan) -> int | None:
    if chosen is not None:
        return chosen
    return ids.get(record.organisation_ref or "")


def _write(
    plan: Plan, source: str, chosen: int | None, user: User | None, report: ImportReport, progress
) -> None:
    for skip in plan.skipped:
        report.skip(
            f"{skip.kind} {skip.name!r}" + (f" ({skip.ref})" if skip.ref else ""), skip.reason
        )
    ids = {} if chosen is not None else _organisations(plan, source, report)
    owners = {r.ref: _organisation_of(r, chosen, ids, plan) for r in plan.services}
    organisation_ids = {owner for owner in owners.values() if owner is not None}
    spaces = {}
    for organisation_id in organisation_ids:
        for ref, space in existing(Space, source, plan.locations, organisation_id).items():
            spaces[(organisation_id, ref)] = space
    context = _Context(user, source, groups_by_ref(source, owners), report)
    placed: dict[tuple[int, str], Space | None] = {}
    for record in plan.services:
        organisation_id = owners[record.ref]
        if organisation_id is None:
            why = "its organization is not in the feed or was skipped"
            report.skip(
                _label(record), why if record.organisation_ref else "it names no organization"
            )
            progress(1)
            continue
        space = None
        if record.location_ref is not None:
            key = (organisation_id, record.location_ref)
            if key not in placed:
                location = plan.locations[record.location_ref]
                placed[key] = _space(location, organisation_id, spaces, source, report)
            space = placed[key]
            if space is None:
                record.notes.append("imported without a venue, as its location was skipped")
        _group(record, organisation_id, space, context)
        progress(1)


def import_feed(
    services: list,
    what: str,
    user: User | None,
    *,
    organisation_id: int | None = None,
    source: str = DEFAULT_SOURCE,
    progress: Callable[[int], None] = lambda done: None,
) -> ImportReport:
    """Import the services of one file (``feed.services_of``) in one transaction.

    Raises ``InvalidInput`` when nothing could be written (the message says
    why and that nothing was imported); otherwise commits and reports.
    """
    check_importer(user, organisation_id)
    started = clock.perf_counter()
    plan = read_services(services, today_in_uk())
    report = ImportReport(what, records_read=plan.services_read)
    if plan.unmapped_terms:
        terms = ", ".join(f"{term!r} ({n})" for term, n in plan.unmapped_terms.most_common(20))
        report.extra.append(f"Taxonomy terms with no interest or audience of ours: {terms}.")
    user_id = user.id if user is not None else None
    try:
        with db.session.no_autoflush:  # one flush at the end, not one per record
            _write(plan, source, organisation_id, user, report, progress)
        detail = f"{what[:80]}: {report.summary()}"
        audit.record(user_id, "import", "oruk_feed", organisation_id, detail)
        db.session.commit()
    except Exception:  # all or nothing: a failure part way leaves the file unwritten
        db.session.rollback()
        raise
    report.seconds = clock.perf_counter() - started
    return report


def refuse(error: FeedError) -> InvalidInput:
    """A file that is not a feed, as the error a person sees."""
    message = f"{error} Nothing was imported."
    return InvalidInput(message, {"file": [message]})


def _read(name: str, data: bytes | dict[str, bytes], max_bytes: int) -> list:
    try:
        if isinstance(data, dict):
            for part, content in data.items():
                check_size(len(content), part, max_bytes)
            return services_of_csv_set(data)
        check_size(len(data), name, max_bytes)
        return services_of(data, name)
    except FeedError as error:
        raise refuse(error) from None


def feeds_in(files: dict[str, bytes], max_bytes: int) -> list[tuple[str, Callable[[], list]]]:
    """The feeds in some files (name → bytes): each JSON file is one, and
    the CSV files together are one ORUK CSV set. Each comes as
    ``(name, read)``; ``read()`` gives its services or raises ``InvalidInput``
    saying why the file is not a feed and that nothing was imported."""
    tables = {name: data for name, data in files.items() if name.lower().endswith(".csv")}
    feeds = [
        (name, lambda name=name, data=data: _read(name, data, max_bytes))
        for name, data in files.items()
        if name not in tables
    ]
    if tables:
        folders = sorted({str(PurePath(name).parent) for name in tables})
        label = f"the ORUK CSV set of {len(tables)} files in {', '.join(folders)}"
        feeds.append((label, lambda: _read(label, tables, max_bytes)))
    return feeds


def import_files(
    files: dict[str, bytes],
    user: User | None,
    *,
    organisation_id: int | None = None,
    source: str = DEFAULT_SOURCE,
    max_bytes: int,
) -> list[tuple[str, ImportReport | str]]:
    """Import every feed in some uploaded files, each all or nothing:
    ``(name, its report)`` or ``(name, why nothing of it was imported)``."""
    check_importer(user, organisation_id)
    if not files:
        message = "Choose a file: an ORUK JSON feed, or the CSV files of an ORUK CSV set."
        raise InvalidInput(message, {"file": [message]})
    done: list[tuple[str, ImportReport | str]] = []
    for name, read in feeds_in(files, max_bytes):
        try:
            report = import_feed(read(), name, user, organisation_id=organisation_id, source=source)
        except InvalidInput as error:
            done.append((name, error.message))
        else:
            done.append((name, report))
    return done
