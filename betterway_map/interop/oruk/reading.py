"""ORUK services as our records: the reverse of ``mapping``. Pure, no Flask, no database.

Each service of a feed (``feed.services_of``) becomes the details of a
group, of the organisation that runs it and of the space it meets at, in
the form our API takes them (times "10:00", dates "2026-03-01"), so that
the service layer loads them through the register's own schemas and
whole-record checks, as if they were typed: one set of rules.

Real feeds are messy, so every value is read leniently: null, "", a
missing or wrongly nested object mean "not given"; numbers may be strings;
HTML in text becomes plain text (``domain.text.plain_text``). What cannot
be held is said: a service is skipped, with why, when it has no id, no
name or no schedule we can hold (see ``group_schedule``); a location when
it has no postcode or address; a repeated id keeps the first. Taxonomy
terms become our interests and audiences where they match one (by our
term id, value or label); the others are counted as unmapped. Contact
people's names are never read: no person comes in through a feed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from betterway_map.domain.text import plain_text
from betterway_map.interop.oruk.schedules import ScheduleProblem, group_schedule
from betterway_map.interop.oruk.taxonomies import TERMS, TERMS_BY_ID

__all__ = ["Record", "Skip", "Plan", "read_services", "MAX_REF"]

MAX_REF = 200
_STATUSES = {"active": "active", "inactive": "ended", "defunct": "ended"}
_ACCESS_WORDS = {
    "step_free": ("step_free", "step-free", "step free", "wheelchair", "level access", "ramp"),
    "hearing_loop": ("hearing_loop", "hearing loop", "induction loop", "audio loop"),
    "accessible_toilet": ("accessible_toilet", "accessible toilet", "disabled toilet"),
    "parking": ("parking", "car park"),
}
_TERMS_BY_WORD = {
    word.lower(): term for term in TERMS for word in (term.value, term.label, term.id)
}
_POUNDS = re.compile(r"£\s*(\d+(?:\.\d{1,2})?)")


@dataclass
class Record:
    """One record to write: its id in the feed, its name, our details, notes."""

    kind: str  # "organization", "location" or "service"
    ref: str
    name: str
    values: dict
    notes: list[str] = field(default_factory=list)
    organisation_ref: str | None = None  # services: who runs it
    location_ref: str | None = None  # services: where it meets


@dataclass(frozen=True)
class Skip:
    kind: str
    ref: str
    name: str
    reason: str


@dataclass
class Plan:
    """What a feed holds, read: records to write, and what was left out and why."""

    services_read: int = 0
    organisations: dict[str, Record] = field(default_factory=dict)
    locations: dict[str, Record] = field(default_factory=dict)
    services: list[Record] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    unmapped_terms: Counter = field(default_factory=Counter)


def _obj(value) -> dict | None:
    """An object, also when a feed wraps it in a one-item list."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        value = value[0]
    return value if isinstance(value, dict) and value else None


def _list(value) -> list[dict]:
    if isinstance(value, dict):
        value = [value]
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _str(value) -> str | None:
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    text = " ".join(str(value).split())
    return text or None


def _number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value).strip().replace(",", "").lstrip("£"))
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _ref(value) -> str | None:
    text = _str(value)
    return text[:MAX_REF] if text else None


def _name_of(item: dict) -> str:
    return plain_text(_str(item.get("name")), max_length=200) or ""


def _address(location: dict) -> tuple[str | None, str | None]:
    """(address without the postcode, postcode) of the first address that has one."""
    for address in _list(location.get("addresses")) or _list(location.get("physical_addresses")):
        lines = [address.get(key) for key in ("address_1", "address_2", "address_3", "city")]
        text = ", ".join(part for part in map(_str, lines) if part)
        postcode = _str(address.get("postal_code"))
        if text or postcode:
            return plain_text(text, max_length=300), postcode
    return None, None


def _access(location: dict) -> dict[str, bool]:
    said = " ".join(
        " ".join(filter(None, map(_str, (item.get("accessibility"), item.get("description")))))
        for item in _list(location.get("accessibility"))
    ).lower()
    return {
        feature: any(word in said for word in words) for feature, words in _ACCESS_WORDS.items()
    }


def read_location(location: dict) -> Record | Skip:
    """A physical location as a space's details, or why it is not one."""
    ref, name = _ref(location.get("id")), _name_of(location)
    if ref is None:
        return Skip("location", "", name, "it has no id")
    address, postcode = _address(location)
    name = name or (address or "").split(",")[0]
    if not postcode:
        return Skip("location", ref, name, "it has no postcode")
    if not address:
        return Skip("location", ref, name, f"it has no address (only the postcode {postcode})")
    values = {
        "name": name,
        "description": plain_text(_str(location.get("description")), max_length=5000),
        "address": address,
        "postcode": postcode,
        **_access(location),
    }
    latitude, longitude = location.get("latitude"), location.get("longitude")
    if latitude not in (None, "") or longitude not in (None, ""):
        values["latitude"] = _number(latitude) if _number(latitude) is not None else latitude
        values["longitude"] = _number(longitude) if _number(longitude) is not None else longitude
    return Record("location", ref, name, values)


def _organisation(item: dict) -> Record | Skip:
    ref, name = _ref(item.get("id")), _name_of(item)
    if ref is None or not name:
        return Skip(
            "organization", ref or "", name, "it has no id" if ref is None else "it has no name"
        )
    values = {
        "name": name,
        "sector": "voluntary",
        "description": plain_text(_str(item.get("description")), max_length=5000),
        "website": _str(item.get("website")),
        "contact_email": _str(item.get("email")),
    }
    return Record("organization", ref, name, values)


def _terms(service: dict, plan: Plan) -> dict[str, list[str]]:
    chosen: dict[str, list[str]] = {"interests": [], "audiences": []}
    for attribute in _list(service.get("attributes")):
        term_body = _obj(attribute.get("taxonomy_term")) or {}
        words = [attribute.get("taxonomy_term_id"), *map(term_body.get, ("id", "term", "name"))]
        found = TERMS_BY_ID.get(str(words[0]).lower()) or next(
            (
                _TERMS_BY_WORD[w.lower()]
                for w in map(_str, words)
                if w and w.lower() in _TERMS_BY_WORD
            ),
            None,
        )
        if found is None:
            label = _str(term_body.get("name")) or _str(term_body.get("term")) or _str(words[0])
            if label:
                plan.unmapped_terms[label[:80]] += 1
        elif found.value not in chosen[found.taxonomy.field]:
            chosen[found.taxonomy.field].append(found.value)
    return chosen


def _cost(service: dict) -> tuple[int, str | None]:
    """(pence each time, note): the first cost option, else the fees text.

    Our own export's wording ("£2.50 each time (includes lunch)") gives back
    the amount and the note in the brackets."""
    option = _obj(service.get("cost_options"))
    fees = plain_text(_str(service.get("fees")))
    amount = _number(option.get("amount")) if option else None
    said = (option and plain_text(_str(option.get("amount_description")))) or fees
    if amount is None and said:
        pounds = _POUNDS.search(said)
        amount = float(pounds.group(1)) if pounds else None
    pence = max(0, round((amount or 0) * 100))
    if said:
        ours = re.fullmatch(r"(?:Free|£[\d,.]+(?: each time)?)(?: \((.*)\))?", said, re.S)
        said = ours.group(1) if ours else said
    return pence, (plain_text(said, max_length=200) if said else None)


def _phone(service: dict) -> str | None:
    phones = _list(service.get("phones"))
    for contact in _list(service.get("contacts")):
        phones += _list(contact.get("phones"))
    return next((_str(p.get("number")) for p in phones if _str(p.get("number"))), None)


def _location_of(service: dict, plan: Plan) -> tuple[str | None, bool, list[str]]:
    """(the space's ref, meets online, notes) from the service at locations."""
    notes, online = [], False
    physical = []
    for sal in _list(service.get("service_at_locations")):
        location = _obj(sal.get("location"))
        if location is None:
            continue
        if (_str(location.get("location_type")) or "physical").lower() == "virtual":
            online = True
            continue
        found = read_location(location)
        if isinstance(found, Skip):
            if found not in plan.skipped:
                plan.skipped.append(found)
            notes.append(f"its location {found.name or found.ref!r} was left out: {found.reason}")
            continue
        plan.locations.setdefault(found.ref, found)
        physical.append(found.ref)
    if len(physical) > 1:
        notes.append(f"it meets at {len(physical)} locations: only the first is kept")
    return (physical[0] if physical else None), online, notes


def read_service(service, position: int, plan: Plan, today: date) -> Record | Skip:
    """One service as a group's details (with its organisation and space read
    into ``plan``), or why it cannot be one."""
    if not isinstance(service, dict):
        return Skip("service", "", f"record {position}", "it is not an object")
    ref, name = _ref(service.get("id")), _name_of(service)
    if ref is None:
        return Skip("service", "", name or f"record {position}", "it has no id")
    if not name:
        return Skip("service", ref, f"record {position}", "it has no name")
    try:
        schedule, notes = group_schedule(service, today)
    except ScheduleProblem as problem:
        return Skip("service", ref, name, str(problem))
    organisation = _obj(service.get("organization"))
    organisation_ref = _ref(service.get("organization_id"))
    if organisation is not None:
        found = _organisation(organisation)
        if isinstance(found, Record):
            plan.organisations.setdefault(found.ref, found)
            organisation_ref = found.ref
    location_ref, online, more = _location_of(service, plan)
    online_url = _str(service.get("url"))
    online = online or "online" in (schedule.pop("attending", "") or "").lower()
    pence, cost_note = _cost(service)
    minimum, maximum = _number(service.get("minimum_age")), _number(service.get("maximum_age"))
    status = (_str(service.get("status")) or "active").lower()
    values = {
        "name": name,
        "description": plain_text(_str(service.get("description")), max_length=5000),
        **_terms(service, plan),
        "age_min": round(minimum) if minimum is not None else None,
        "age_max": round(maximum) if maximum is not None else None,
        "online": bool(online and online_url),
        "online_url": online_url if online else None,
        **schedule,
        "cost_pence": pence,
        "cost_note": cost_note,
        "contact_email": _str(service.get("email")),
        "contact_phone": _phone(service),
        "status": _STATUSES.get(status, "paused" if "temporar" in status else "active"),
        "details_checked_on": (_str(service.get("assured_date")) or "")[:10] or None,
    }
    if online and not online_url:
        more.append("it meets online, but gives no web address to join: not marked online")
    return Record("service", ref, name, values, notes + more, organisation_ref, location_ref)


def read_services(services: list, today: date) -> Plan:
    """Every service of a feed read into a ``Plan``; a repeated service id
    keeps its first record and skips the others."""
    plan = Plan(services_read=len(services))
    seen: dict[str, int] = {}
    for position, service in enumerate(services, 1):
        found = read_service(service, position, plan, today)
        if isinstance(found, Skip):
            plan.skipped.append(found)
        elif found.ref in seen:
            reason = f"its id is repeated: record {seen[found.ref]} has it too, and was kept"
            plan.skipped.append(Skip("service", found.ref, found.name, reason))
        else:
            seen[found.ref] = position
            plan.services.append(found)
    return plan
