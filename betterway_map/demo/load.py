"""Write a generated demo area to the database, in one transaction.

``load`` takes a ``demo.DemoArea`` (plain records, see ``betterway_map.demo.generator``)
and inserts it with bulk inserts, mapping the records' positions to the ids
the database gives. Everything, including emptying the register first with
``reset=True``, happens in one transaction: an error anywhere leaves the
database exactly as it was.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time
from itertools import islice

import pyotp
from sqlalchemy import func, or_, select, text

from betterway_map.accounts import audit
from betterway_map.accounts.models import User, UserRole
from betterway_map.accounts.services.passwords import unusable_password_hash
from betterway_map.accounts.services.two_factor import enrol_with_known_secret
from betterway_map.accounts.services.two_factor_policy import is_required
from betterway_map.accounts.services.users import create_user
from betterway_map.database import tables_written
from betterway_map.demo.generator import DemoArea
from betterway_map.demo.generator.names import PASSPHRASE_WORDS
from betterway_map.demo.generator.need import (
    INDICATOR_LABEL,
    INDICATOR_LICENCE,
    INDICATOR_NAME,
    INDICATOR_SOURCE,
    need_files,
)
from betterway_map.demo.generator.online import PEOPLE_EMAIL_DOMAIN
from betterway_map.demo.generator.rows import Account
from betterway_map.demo.generator.town import DEMO_EMAIL_DOMAIN
from betterway_map.domain.geo.postcodes import normalise_postcode
from betterway_map.domain.measures.djg import score_djg
from betterway_map.domain.measures.loneliness import score
from betterway_map.domain.schedule.recurrence import Schedule
from betterway_map.domain.suppression import MIN_CELL_COUNT
from betterway_map.errors import Conflict
from betterway_map.extensions import db
from betterway_map.geocoding.areas import DEFAULT_MAX_FILE_BYTES, import_indicator
from betterway_map.geocoding.models import PostcodePoint
from betterway_map.geocoding.schemas import AreaIndicatorSchema
from betterway_map.matching.models import Match, MatchEvent, SupportRequest, VolunteerOffer
from betterway_map.measures.models import Contact, Feedback, Rhythm
from betterway_map.people.models import (
    Assignment,
    Attendance,
    Consent,
    HelpListing,
    LonelinessMeasure,
    Person,
    Tie,
    VolunteerProfile,
)
from betterway_map.register.models import Group, Organisation, OrganisationAdmin, Partnership, Space

__all__ = [
    "DemoLoaded",
    "existing_data",
    "demo_logins_exist",
    "has_data",
    "table_counts",
    "make_passphrase",
    "load",
]

CHUNK = 5000  # rows per insert statement batch, so progress moves and memory stays flat


@dataclass(frozen=True)
class DemoLoaded:
    """What ``load`` wrote: rows per table, the demo logins (account key,
    email), their password, and the two-factor secrets (by email) of the
    logins whose roles need two-factor sign-in, and how many postcode
    sectors the modelled area indicator gives a value (0: not loaded)."""

    counts: dict[str, int]
    logins: list[tuple[str, str]]
    password: str
    totp_secrets: dict[str, str] = field(default_factory=dict)
    need_areas: int = 0


def existing_data() -> dict[str, int]:
    """Counts of what would clash with a demo area: register records, fictional
    postcodes and demo accounts."""
    return {
        "organisations": db.session.scalar(select(func.count()).select_from(Organisation)),
        "people": db.session.scalar(select(func.count()).select_from(Person)),
        "fictional postcodes": db.session.scalar(
            select(func.count()).select_from(PostcodePoint).where(PostcodePoint.fictional)
        ),
        "demo accounts": db.session.scalar(
            select(func.count())
            .select_from(User)
            .where(
                or_(
                    User.email.like(f"%@{DEMO_EMAIL_DOMAIN}"),
                    User.email.like(f"%@{PEOPLE_EMAIL_DOMAIN}"),
                )
            )
        ),
    }


def demo_logins_exist(emails: list[str]) -> bool:
    """Whether every one of these demo accounts is in the database."""
    if not emails:
        return False
    found = db.session.scalar(select(func.count()).select_from(User).where(User.email.in_(emails)))
    return found == len(set(emails))


def has_data(counts: dict[str, int]) -> bool:
    return any(counts.values())


def table_counts() -> dict[str, int]:
    """Rows in every table of the register."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in sorted(db.metadata.sorted_tables, key=lambda table: table.name)
    }


def make_passphrase(words: int = 4) -> str:
    """A readable passphrase of random plain words, e.g. "teapot-heron-crumpet-plum"."""
    return "-".join(secrets.choice(PASSPHRASE_WORDS) for _ in range(words))


def load(
    area: DemoArea,
    *,
    reset: bool = False,
    password: str | None = None,
    fast_hash: bool = False,
    progress: Callable[[str, int], None] | None = None,
    min_count: int = MIN_CELL_COUNT,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> DemoLoaded:
    """Write ``area`` to the database in one transaction and commit.

    With ``reset`` every table (accounts, the register, the gazetteer, the
    audit log) is emptied first; without it, a database that already has
    register data is refused with ``Conflict``. ``progress(step, rows)`` is
    called as rows are written. The demo logins share ``password`` (a new
    passphrase when not given); the other workers get unguessable passwords
    that are never shown. The area's modelled loneliness index is loaded as
    an area indicator in the same transaction (``min_count``: the disclosure
    rule's; ``max_bytes``: the import's limit on each file).
    """
    done = progress or (lambda step, rows: None)
    password = password or make_passphrase()
    try:
        if reset:
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            done("reset", 0)
        elif has_data(existing_data()):
            raise Conflict(
                "The database already has register data; empty it first with --reset.",
                {"database": ["already has data"]},
            )
        users = _write_accounts(area, password, fast_hash)
        totp_secrets = _enrol_demo_logins(area, users)
        done("accounts", len(users))
        _write_register(area, users, done)
        audit.record(
            None,
            "create",
            "demo_area",
            None,
            f"seed={area.seed} people={len(area.people)} today={area.today.isoformat()}",
        )
        need_areas = _load_area_need(area, min_count, max_bytes)  # commits everything
        done("area need", 0)
    except BaseException:
        db.session.rollback()
        raise
    # Keyed by account key, which is the role for one login per role; the
    # second resident ("requester") is told apart by its key.
    logins = [(a.key, a.email) for a in area.accounts if a.demo_login]
    return DemoLoaded(
        counts=area.counts(),
        logins=logins,
        password=password,
        totp_secrets=totp_secrets,
        need_areas=need_areas,
    )


def _load_area_need(area: DemoArea, min_count: int, max_bytes: int) -> int:
    """The demo's modelled loneliness index by postcode sector
    (``generator.need``), through the one import path that ``flask areas
    import`` takes, replacing one of the same name, and the commit: that of
    ``import_indicator``, so that everything ``load`` wrote before arrives
    with the indicator or not at all. The number of sectors with a value
    (none, and no indicator, when no sector has people enough for one)."""
    files = need_files(area, min_count)
    if files is None:
        db.session.commit()
        return 0
    values, boundaries = files
    details = AreaIndicatorSchema().load(
        {
            "name": INDICATOR_NAME,
            "source": INDICATOR_SOURCE,
            "licence": INDICATOR_LICENCE,
            "value_label": INDICATOR_LABEL,
            "higher_is_more_need": True,
            "replace": True,
        }
    )
    return len(import_indicator(values, boundaries, details, None, max_bytes).rows)


def _enrol_demo_logins(area: DemoArea, users: dict[str, int]) -> dict[str, str]:
    """Switch two-factor sign-in on for the demo logins whose roles need it
    (the worker, the site admin), each with a new secret that the demo
    prints and keeps with its logins, so that a person trying the demo can
    add it to an app or ask ``flask demo code`` for the current code."""
    made = {}
    for account in area.accounts:
        if not account.demo_login:
            continue
        user = db.session.get(User, users[account.key])
        if is_required(user):
            secret = pyotp.random_base32()
            enrol_with_known_secret(user.id, secret, "demo login", commit=False)
            made[user.email] = secret
    return made


def _write_accounts(area: DemoArea, password: str, fast_hash: bool) -> dict[str, int]:
    users = {}
    for account in area.accounts:
        if not account.can_sign_in:
            continue
        secret = password if account.demo_login else secrets.token_urlsafe(24)
        user = create_user(
            account.email,
            secret,
            [account.role],
            account.display_name,
            fast_hash=fast_hash,
            commit=False,
        )
        users[account.key] = user.id
    users.update(_write_people_accounts([a for a in area.accounts if not a.can_sign_in]))
    return users


def _write_people_accounts(accounts: list[Account]) -> dict[str, int]:
    """Demo people's own accounts (``generator.online``), in bulk: they all
    share one password hash that no password matches, so nobody can sign in
    to them and no reset link is sent for them; their email domain is
    reserved (``.invalid``), so no mail would reach anyone anyway."""
    if not accounts:
        return {}
    if any(a.demo_login or not a.email.endswith(f"@{PEOPLE_EMAIL_DOMAIN}") for a in accounts):
        raise ValueError(f"accounts nobody signs in to must be on {PEOPLE_EMAIL_DOMAIN}")
    unusable = unusable_password_hash("demo person: not for signing in")
    rows = [
        {"email": a.email, "password_hash": unusable, "display_name": a.display_name}
        for a in accounts
    ]
    ids = _insert(User, rows, lambda step, rows: None, "accounts")
    roles = [{"user_id": i, "role": a.role} for i, a in zip(ids, accounts)]
    _insert(UserRole, roles, lambda step, rows: None, "accounts")
    audit.record(
        None,
        "create",
        "user",
        None,
        f"demo people's accounts, not for signing in: {len(accounts)} on {PEOPLE_EMAIL_DOMAIN}",
    )
    return {a.key: i for a, i in zip(accounts, ids)}


def _insert(model, rows: Iterable[dict], done, step: str, *, returning: bool = True) -> list[int]:
    """Insert ``rows`` in bulk and return their new ids in order (an empty
    list for tables without a single integer key, or when not ``returning``).

    The ids are given here, following the table's highest, rather than read
    back from the database (``RETURNING`` over many rows costs more than the
    insert itself); on PostgreSQL the table's sequence is then moved past
    them. ``rows`` may be made as they are taken: ``CHUNK`` of them at a time
    go in as one executemany, on the session's connection and in its
    transaction, so that memory holds one chunk of rows, not a table's. The
    table is noted as written, so that its version changes as the
    transaction commits.
    """
    table = model.__table__
    keyed = returning and "id" in table.c
    ids: list[int] = []
    next_id = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1 if keyed else 0
    connection = db.session.connection()
    statement = table.insert()
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK)):
        if keyed:
            for row in chunk:
                row["id"] = next_id
                ids.append(next_id)
                next_id += 1
        connection.execute(statement, chunk)
        done(step, len(chunk))
    if ids and connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
            {"table": f'"{table.name}"', "last": ids[-1]},
        )
    tables_written(db.session, table.name)
    return ids


def _rows(records, refs=None, rename=None, drop=(), fix=None, **extra) -> Iterator[dict]:
    """Records as insert rows, made one at a time as they are taken.

    ``refs`` maps a field to (column, lookup): the stored value is
    ``lookup[value]`` (a new id), or None when the field is None; ``rename``
    maps a field to its column; ``drop`` lists fields that are not stored;
    ``fix(row, record)`` sets the columns that are worked out; ``extra`` are
    columns set to the same value on every row.
    """
    if not records:
        return
    refs, rename = refs or {}, rename or {}
    plain, looked_up = [], []
    for item in fields(records[0]):
        if item.name in drop:
            continue
        if item.name in refs:
            column, lookup = refs[item.name]
            looked_up.append((item.name, column, lookup))
        else:
            plain.append((item.name, rename.get(item.name, item.name)))
    for record in records:
        row = dict(extra)
        for name, column in plain:
            row[column] = getattr(record, name)
        for name, column, lookup in looked_up:
            value = getattr(record, name)
            row[column] = None if value is None else lookup[value]
        if fix is not None:
            fix(row, record)
        yield row


def _at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), UTC)


_LAT_LON = {"lat": "latitude", "lon": "longitude"}


def _check(area: DemoArea) -> None:
    """Refuse generated records the register would refuse (before anything is committed)."""
    for postcode in area.postcodes:
        if normalise_postcode(postcode.postcode) != postcode.postcode:
            raise ValueError(f"generated postcode {postcode.postcode!r} is not normalised")
    for group in area.groups:
        Schedule(
            group.frequency,
            group.weekday,
            group.start_time,
            group.end_time,
            group.starts_on,
            nth=group.nth,
            ends_on=group.ends_on,
        )


def _write_register(area: DemoArea, users: dict[str, int], done) -> None:
    _check(area)
    _insert(
        PostcodePoint,
        _rows(area.postcodes, rename=_LAT_LON, drop=("outcode", "sector"), fictional=True),
        done,
        "postcodes",
    )
    org_ids = _insert(
        Organisation, _rows(area.organisations, drop=("admin", "outcode")), done, "organisations"
    )
    admins = [
        {"organisation_id": org_ids[i], "user_id": users[o.admin]}
        for i, o in enumerate(area.organisations)
        if o.admin
    ]
    _insert(OrganisationAdmin, admins, done, "organisations")
    orgs = ("organisation_id", org_ids)
    space_ids = _insert(
        Space,
        _rows(area.spaces, {"organisation": orgs}, _LAT_LON, location_source="postcode"),
        done,
        "spaces",
    )
    group_rows = _rows(
        area.groups, {"organisation": orgs, "space": ("space_id", space_ids)}, drop=("outcode",)
    )
    group_ids = _insert(Group, group_rows, done, "groups")
    partnership_refs = {
        "organisation": orgs,
        "partner": ("partner_id", org_ids),
        "confirmed_by": ("confirmed_by_id", users),
    }

    def confirmed(row, partnership) -> None:
        day = partnership.confirmed_on
        row["confirmed_at"] = _at_noon(day) if day else None

    partnerships = _rows(area.partnerships, partnership_refs, drop=("confirmed_on",), fix=confirmed)
    _insert(Partnership, partnerships, done, "partnerships")

    def registered(row, person) -> None:
        row["created_at"] = row["updated_at"] = _at_noon(person.registered_on)

    people = _rows(
        area.people,
        {"account": ("user_id", users), "registered_by": ("registered_by_id", users)},
        _LAT_LON,
        drop=("outcode", "registered_on"),
        fix=registered,
    )
    person_ids = _insert(Person, people, done, "people")
    _write_person_records(area, users, person_ids, group_ids, done)
    match_ids = _write_matching(area, users, person_ids, done)
    _write_relationships(area, users, person_ids, group_ids, match_ids, done)


def _scored(row, record) -> None:
    # score() refuses answers off the ONS scales, so a bad measure is never written.
    result = score(
        row["ucla_companionship"], row["ucla_left_out"], row["ucla_isolated"], row["direct"]
    )
    row["ucla_total"] = result.ucla_total
    # score_djg() refuses answers off the scale; None when it was not asked.
    djg = score_djg({name: row[name] for name in row if name.startswith("djg_")})
    row["djg_total"] = djg.total if djg else None
    row["recorded_at"] = _at_noon(row["measured_on"])


def _measure_rows(records, recorder) -> Iterator[dict]:
    return _rows(records, recorder, fix=_scored)


def _write_person_records(area, users, person_ids, group_ids, done) -> None:
    person = ("person_id", person_ids)
    recorder = {"person": person, "recorded_by": ("recorded_by_id", users)}

    assignments = _rows(
        area.assignments,
        {
            "person": person,
            "worker": ("worker_id", users),
            "assigned_by": ("assigned_by_id", users),
        },
        drop=("assigned_on",),
        fix=lambda row, assignment: row.update(assigned_at=_at_noon(assignment.assigned_on)),
    )
    _insert(Assignment, assignments, done, "assignments")

    consents = _rows(
        area.consents,
        recorder,
        fix=lambda row, consent: row.update(recorded_at=_at_noon(consent.given_on)),
    )
    _insert(Consent, consents, done, "consents")

    _insert(LonelinessMeasure, _measure_rows(area.measures, recorder), done, "measures")

    ties = _rows(area.ties, {**recorder, "other_person": ("other_person_id", person_ids)})
    _insert(Tie, ties, done, "ties")
    volunteers = _rows(
        area.volunteers, {"person": person, "dbs_recorded_by": ("dbs_recorded_by_id", users)}
    )
    _insert(VolunteerProfile, volunteers, done, "volunteers")
    attendances = _rows(area.attendances, {**recorder, "group": ("group_id", group_ids)})
    _insert(Attendance, attendances, done, "attendances")
    _insert(HelpListing, _rows(area.listings, {"person": person}), done, "listings")


def _write_matching(area, users, person_ids, done) -> None:
    """Offers, requests, matches and their histories (``generator.matching``)."""
    person = ("person_id", person_ids)

    def ids(positions: list[int]) -> list[int]:
        return [person_ids[p] for p in positions]

    def offered(row, offer) -> None:
        row["excluded_person_ids"] = ids(offer.excluded_persons)
        row["created_at"] = row["updated_at"] = _at_noon(offer.available_since)

    offers = _rows(
        area.offers,
        {"person": person, "restrictions_recorded_by": ("restrictions_recorded_by_id", users)},
        {"from_lat": "from_latitude", "from_lon": "from_longitude"},
        drop=("excluded_persons",),
        fix=offered,
    )
    _insert(VolunteerOffer, offers, done, "offers")

    def opened(row, request) -> None:
        row["excluded_volunteer_ids"] = ids(request.excluded_volunteers)
        row["created_at"] = _at_noon(request.first_opened_on or request.opened_on)
        row["updated_at"] = _at_noon(request.opened_on)

    requests = _rows(
        area.support_requests,
        {"person": person, "created_by": ("created_by_id", users)},
        drop=("excluded_volunteers", "first_opened_on"),
        fix=opened,
    )
    request_ids = _insert(SupportRequest, requests, done, "requests")

    last_step: dict[int, datetime] = {}
    approved: dict[int, datetime] = {}
    for event in area.match_events:
        last_step[event.match] = max(event.at, last_step.get(event.match, event.at))
        if event.step == "approved":
            approved[event.match] = event.at
    matches = list(
        _rows(
            area.matches,
            {
                "request": ("request_id", request_ids),
                "volunteer": ("volunteer_id", person_ids),
                "person_answered_by": ("person_answered_by_id", users),
                "approved_by": ("approved_by_id", users),
            },
            drop=("proposed_on", "approved_on"),
        )
    )
    for number, (row, match) in enumerate(zip(matches, area.matches)):
        row["created_at"] = _at_noon(match.proposed_on)
        row["updated_at"] = last_step.get(number, row["created_at"])
        row["approved_at"] = approved.get(number)
    match_ids = _insert(Match, matches, done, "matches")

    events = _rows(
        area.match_events, {"match": ("match_id", match_ids), "actor": ("actor_id", users)}
    )
    _insert(MatchEvent, events, done, "match_events")
    return match_ids


def _write_relationships(area, users, person_ids, group_ids, match_ids, done) -> None:
    """Rhythms, contacts and feedback (``generator.measures``), and the
    loneliness measures taken before and after relationships began."""
    refs = {
        "person": ("person_id", person_ids),
        "match": ("match_id", match_ids),
        "group": ("group_id", group_ids),
        "worker": ("worker_id", users),
        "recorded_by": ("recorded_by_id", users),
    }
    for records, model, step, day in (
        (area.rhythms, Rhythm, "rhythms", "agreed_on"),
        (area.contacts, Contact, "contacts", "contacted_on"),
        (area.feedback, Feedback, "feedback", "given_on"),
    ):
        extra = (
            {
                "with_volunteer": ("with_volunteer_id", person_ids),
                "with_worker": ("with_worker_id", users),
            }
            if model is Contact
            else {}
        )
        rows = _rows(
            records,
            {**refs, **extra},
            fix=lambda row, record, day=day: row.update(recorded_at=_at_noon(row[day])),
        )
        _insert(model, rows, done, step, returning=False)
    recorder = {"person": refs["person"], "recorded_by": refs["recorded_by"]}
    measures = _measure_rows(area.relationship_measures, recorder)
    _insert(LonelinessMeasure, measures, done, "measures", returning=False)
