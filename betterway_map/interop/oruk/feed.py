"""Reading an ORUK feed from files: pure, no Flask, no database.

A feed is a JSON file (one page of services as ``/services`` answers it,
several such pages in a list, a bare list of services, or one service) or
the ORUK CSV set (``services.csv``, ``organizations.csv``,
``locations.csv``, ... one table each). Either becomes one list of
services, each a dict nested as ``/services/{id}`` answers it, so that one
reader (``reading``) maps them to our records.

A file that is not a feed is refused as a whole with ``FeedError``, whose
message names the file and says what it holds and what is wanted: over the
size limit, not text, not JSON, a web page, JSON of another shape.

>>> services_of(b'{"total_items": 1, "contents": [{"id": "a", "name": "Choir"}]}', "f.json")
[{'id': 'a', 'name': 'Choir'}]
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import PurePath

from betterway_map.domain.tables import TableError, decode_text, read_table

__all__ = ["FeedError", "check_size", "services_of", "services_of_csv_set", "CSV_TABLES"]

# A table's names as files: ORUK's own examples use both singular and plural.
CSV_TABLES = {
    "services": ("services", "service"),
    "organizations": ("organizations", "organization", "organisations", "organisation"),
    "locations": ("locations", "location"),
    "service_at_locations": ("service_at_locations", "service_at_location"),
    "addresses": ("addresses", "address"),
    "schedules": ("schedules", "schedule"),
    "taxonomy_terms": ("taxonomy_terms", "taxonomy_term"),
    "attributes": ("attributes", "attribute"),
    "cost_options": ("cost_options", "cost_option"),
    "accessibility": ("accessibility", "accessibilities", "accessibility_for_disabilities"),
    "phones": ("phones", "phone"),
    "contacts": ("contacts", "contact"),
}
_TABLE_OF = {name: table for table, names in CSV_TABLES.items() for name in names}


class FeedError(ValueError):
    """A file that is not an ORUK feed we can read: nothing of it is imported."""


def check_size(size: int, what: str, max_bytes: int) -> None:
    """Refuse a file over the configured limit before reading it."""
    if size > max_bytes:
        raise FeedError(
            f"{what} is {size / 1e6:.1f} MB; at most {max_bytes / 1e6:g} MB is accepted "
            "(IMPORT_MAX_BYTES). Split the feed into pages, or raise the limit."
        )


def _looks_like_html(text: str) -> bool:
    """JSON never starts with "<"; a sign-in page, an error page or XML does."""
    return text.lstrip().startswith("<")


def _shape(value) -> str:
    if isinstance(value, dict):
        keys = ", ".join(sorted(value)[:6])
        return f"an object with the keys {keys}" if keys else "an empty object"
    return {list: "a list", str: "a string", bool: "true or false", type(None): "null"}.get(
        type(value), "a number"
    )


def _items(value, what: str) -> list:
    """The services in a parsed JSON value: a page, pages, a list or one service."""
    if isinstance(value, dict):
        if "contents" in value:
            if not isinstance(value["contents"], list):
                raise FeedError(f"{what}: 'contents' is {_shape(value['contents'])}, not a list.")
            return value["contents"]
        if isinstance(value.get("services"), list):
            return value["services"]
        if "name" in value or "id" in value:
            return [value]
    elif isinstance(value, list):
        if all(isinstance(item, dict) and "contents" in item for item in value) and value:
            return [service for page in value for service in _items(page, what)]
        return value
    raise FeedError(
        f"{what} is {_shape(value)}, not an ORUK feed: expected a page of services "
        '({"contents": [...]}), a list of services or pages, or one service.'
    )


def services_of(data: bytes, what: str) -> list:
    """The services in a JSON feed file, in order (items that are not objects
    are kept, for the reader to report)."""
    try:
        text, _ = decode_text(data, what)
    except TableError as error:
        raise FeedError(str(error)) from None
    if not text.strip():
        raise FeedError(f"{what} is empty.")
    if _looks_like_html(text):
        raise FeedError(
            f"{what} is a web page (HTML), not JSON: the address may show a sign-in or "
            "error page. Download the feed's JSON itself (e.g. /services?page=1)."
        )
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedError(
            f"{what} is not JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    except RecursionError:
        raise FeedError(f"{what} is nested too deeply to be an ORUK feed.") from None
    return _items(value, what)


def _rows(data: bytes, name: str) -> list[dict]:
    table = read_table(data, name)
    keys = [header.strip().lower() for header in table.headers]
    return [
        {key: (cell.strip() or None) for key, cell in zip(keys, cells) if key}
        for _, cells in table.rows
    ]


def _by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    found = defaultdict(list)
    for row in rows:
        if row.get(key):
            found[row[key]].append(row)
    return found


def _tables(files: dict[str, bytes]) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {}
    for name, data in files.items():
        table = _TABLE_OF.get(PurePath(name).stem.lower())
        if table is None:
            continue  # funding, languages, programs, ...: nothing we hold
        try:
            tables[table] = _rows(data, PurePath(name).name)
        except TableError as error:
            raise FeedError(str(error)) from None
    if "services" not in tables:
        raise FeedError(
            "The ORUK CSV set has no services.csv: give services.csv with the tables it "
            f"refers to ({', '.join(sorted(set(CSV_TABLES) - {'services'}))})."
        )
    return tables


def services_of_csv_set(files: dict[str, bytes]) -> list[dict]:
    """The services of an ORUK CSV set (file name → bytes), nested as in JSON.

    Tables we hold nothing of are ignored; a table that is missing leaves
    its part out (no locations.csv: services with no locations).
    """
    t = _tables(files)
    organisations = {row["id"]: row for row in t.get("organizations", []) if row.get("id")}
    addresses = _by(t.get("addresses", []), "location_id")
    access = _by(t.get("accessibility", []), "location_id")
    locations = {
        row["id"]: row | {"addresses": addresses[row["id"]], "accessibility": access[row["id"]]}
        for row in t.get("locations", [])
        if row.get("id")
    }
    terms = {row["id"]: row for row in t.get("taxonomy_terms", []) if row.get("id")}
    contacts = {row["id"]: row for row in t.get("contacts", []) if row.get("id")}
    phones = defaultdict(list)
    for row in t.get("phones", []):
        owner = row.get("service_id") or contacts.get(row.get("contact_id") or "", {}).get(
            "service_id"
        )
        if owner:
            phones[owner].append(row)
    at_locations = _by(t.get("service_at_locations", []), "service_id")
    schedules = _by(t.get("schedules", []), "service_id")
    costs = _by(t.get("cost_options", []), "service_id")
    attributes = _by(t.get("attributes", []), "link_id")
    services = []
    for row in t["services"]:
        service_id = row.get("id") or ""
        service = dict(row)
        if row.get("organization_id") in organisations:
            service["organization"] = organisations[row["organization_id"]]
        service["service_at_locations"] = [
            sal | {"location": locations.get(sal.get("location_id") or "")}
            for sal in at_locations[service_id]
        ]
        service["schedules"] = schedules[service_id]
        service["cost_options"] = costs[service_id]
        service["phones"] = phones[service_id]
        service["attributes"] = [
            attribute | {"taxonomy_term": terms.get(attribute.get("taxonomy_term_id") or "")}
            for attribute in attributes[service_id]
        ]
        services.append(service)
    return services
