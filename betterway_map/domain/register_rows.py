"""Rows of a council's spreadsheet as spaces or groups: pure, no Flask, no database.

A list of libraries, halls or cafés (``kind="spaces"``), or of the groups
that meet at them (``kind="groups"``), read by ``domain.tables``: columns
are found by name whatever their case or spacing, through the synonyms
below or a mapping the person gives (``postcode="Post Code"``). Each row
becomes the details our API takes (a ``SheetRow``), or says why not:

* the postcode is cleaned (``"ne26 1ej."`` is ``"NE26 1EJ"``); a row with
  no postcode, ``"[Unknown]"`` or text that is not one, or with no
  address, is refused naming its row and value (the gazetteer is asked
  later, by the service);
* a row marked closed (a status of closed, shut, inactive...; or a
  "closed" column saying yes) is skipped and counted;
* its key: the reference column when there is one, else its name and
  postcode together, so that importing again finds it.

>>> rows = read_rows(read_table(b"Venue,Post Code,Address\\nHall,ne26 1ej.,1 High St\\n", "f"), "spaces")
>>> rows[0].values["postcode"], rows[0].key, rows[0].line
('NE26 1EJ', 'hall|NE26 1EJ', 2)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from betterway_map.domain import vocab
from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.geo.postcodes import PostcodeError, normalise_postcode
from betterway_map.domain.tables import Table, find_columns, header_key, read_table
from betterway_map.domain.text import plain_text

__all__ = ["KINDS", "SYNONYMS", "SheetRow", "read_rows", "clean_postcode", "read_table"]

KINDS = ("spaces", "groups")
_COMMON = {
    "reference": ("ref", "id", "reference number", "site id", "venue id", "code", "uprn"),
    "description": ("about", "details", "notes", "summary"),
    "status": ("open", "state", "open or closed", "open closed", "closed"),
}
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "spaces": {
        **_COMMON,
        "name": (
            "venue",
            "venue name",
            "site",
            "site name",
            "library",
            "library name",
            "hall",
            "place",
            "premises",
            "building",
            "title",
        ),
        "address": (
            "street address",
            "address 1",
            "address line 1",
            "address1",
            "street",
            "full address",
            "building address",
        ),
        "address_2": ("address 2", "address line 2", "address2", "locality", "area"),
        "town": ("city", "town or city", "post town", "address 3"),
        "postcode": ("post code", "postal code", "zip", "pcd", "pcds", "postcode of venue"),
        "capacity": ("max capacity", "seats", "maximum capacity", "size"),
        "step_free": (
            "step free access",
            "wheelchair access",
            "wheelchair accessible",
            "accessible",
            "level access",
            "disabled access",
        ),
        "hearing_loop": ("induction loop", "loop", "hearing loop available"),
        "accessible_toilet": ("disabled toilet", "accessible toilets", "accessible wc"),
        "parking": ("car park", "car parking", "parking available"),
        "latitude": ("lat", "y"),
        "longitude": ("lon", "lng", "long", "x"),
    },
    "groups": {
        **_COMMON,
        "name": ("group", "group name", "activity", "activity name", "session", "club", "title"),
        "venue": ("venue name", "where", "space", "location", "meets at", "library"),
        "weekday": ("day", "day of week", "day of the week", "meets on"),
        "start_time": ("start", "starts", "from", "start time", "time from"),
        "end_time": ("end", "ends", "until", "to", "end time", "finish", "time to"),
        "frequency": ("how often", "recurrence", "repeats", "every"),
        "nth": ("week of month", "which week", "week of the month"),
        "starts_on": ("start date", "first meeting", "starts on", "from date"),
        "cost": ("price", "fee", "charge", "cost per session"),
        "interests": ("interest", "category", "categories", "type", "activity type"),
        "online_url": ("online link", "join link", "meeting link", "zoom link"),
        "contact_email": ("email", "e-mail", "email address", "contact"),
        "contact_phone": ("phone", "telephone", "tel", "phone number", "contact number"),
    },
}
_CLOSED = {"closed", "permanently closed", "shut", "inactive", "closed down", "defunct", "no"}
_YES = {"yes", "y", "true", "1", "x", "✓", "available"}
_UNKNOWN = {"", "unknown", "[unknown]", "n/a", "na", "none", "tbc", "-", "?"}
_DAYS = {alias: value for value, label in vocab.WEEKDAYS for alias in (value, label.lower())}
_FREQUENCIES = {
    "weekly": "weekly", "every week": "weekly", "each week": "weekly",
    "fortnightly": "fortnightly", "every two weeks": "fortnightly",
    "every other week": "fortnightly", "biweekly": "fortnightly", "monthly": "monthly",
    "every month": "monthly",
}  # fmt: skip
_NTH = {"1": 1, "first": 1, "1st": 1, "2": 2, "second": 2, "2nd": 2, "3": 3, "third": 3,
        "3rd": 3, "4": 4, "fourth": 4, "4th": 4, "-1": -1, "last": -1}  # fmt: skip
_INTERESTS = {word.lower(): v for v, label in vocab.INTERESTS for word in (v, label)}


@dataclass
class SheetRow:
    """One row read: its line in the file, a name to report it by, our
    details, its key, why it is refused (None when it is not) and notes."""

    line: int
    name: str
    values: dict = field(default_factory=dict)
    key: str = ""
    refused: str | None = None
    closed: bool = False
    notes: list[str] = field(default_factory=list)
    venue: str = ""  # groups: the name or reference of the space it meets at


def clean_postcode(raw: str) -> str:
    """A postcode as people type them into spreadsheets, in its standard form.

    Raises ``PostcodeError`` naming the text when it is none.

    >>> clean_postcode("ne26 1ej."), clean_postcode(" sw1a-1aa ")
    ('NE26 1EJ', 'SW1A 1AA')
    """
    if raw.strip().lower() in _UNKNOWN:
        raise PostcodeError(f"the postcode is {raw.strip() or 'empty'!r}")
    return normalise_postcode(re.sub(r"[^0-9A-Za-z ]", "", raw))


def _yes(value: str) -> bool:
    return value.strip().lower() in _YES


def _address(cells: dict[str, str]) -> str:
    parts = (cells.get(name, "") for name in ("address", "address_2", "town"))
    return ", ".join(" ".join(part.split()) for part in parts if part.strip())


def _space(row: SheetRow, cells: dict[str, str]) -> None:
    values = row.values
    values["address"] = plain_text(_address(cells), max_length=300)
    if not values["address"]:
        row.refused = "it has no address"
    for feature in ("step_free", "hearing_loop", "accessible_toilet", "parking"):
        values[feature] = _yes(cells.get(feature, ""))
    for name in ("capacity", "latitude", "longitude"):
        if cells.get(name, "").strip():
            values[name] = cells[name].strip()


def _money(text: str) -> tuple[int, str | None]:
    """(pence each time, a note): "£2.50", "2.5", "50p", "Free"; words are a note.

    >>> _money("£2.50"), _money("50p"), _money("free"), _money("donation")
    ((250, None), (50, None), (0, None), (0, 'donation'))
    """
    text = text.strip()
    if not text or "free" in text.lower():
        return 0, None
    found = re.search(r"\d+(?:\.\d{1,2})?", text.replace(",", ""))
    if not found:
        return 0, text[:200]
    amount = float(found.group())
    in_pence = re.search(r"\d\s*p\b", text.lower()) and "£" not in text
    return round(amount if in_pence else amount * 100), None


def _closed(header: str, status: str) -> bool:
    """Whether a row is marked closed, by its status column or a "closed" one."""
    status = status.strip().lower()
    if header_key(header) == "closed":
        return _yes(status)
    if header_key(header) == "open":
        return status in _CLOSED or status in ("n", "false", "0")
    return status in _CLOSED - {"no"}


def _group(row: SheetRow, cells: dict[str, str], today: date) -> None:
    values = row.values
    day = cells.get("weekday", "").strip().lower().rstrip("s")
    values["weekday"] = _DAYS.get(day, _DAYS.get(day[:3], cells.get("weekday", "")))
    said = cells.get("frequency", "").strip().lower()
    values["frequency"] = _FREQUENCIES.get(said, said or "weekly")
    values["nth"] = _NTH.get(cells.get("nth", "").strip().lower())
    for name in ("start_time", "end_time"):
        values[name] = cells.get(name, "").strip().replace(".", ":")
    values["starts_on"] = cells.get("starts_on", "").strip() or today.isoformat()
    values["cost_pence"], values["cost_note"] = _money(cells.get("cost", ""))
    interests, unknown = [], []
    for word in re.split(r"[;,/]", cells.get("interests", "")):
        if word.strip():
            found = _INTERESTS.get(word.strip().lower())
            (interests if found else unknown).append(found or word.strip())
    values["interests"] = list(dict.fromkeys(interests))
    if unknown:
        row.notes.append(f"interests not in our list left out: {', '.join(unknown)}")
    url = cells.get("online_url", "").strip()
    values.update(online=bool(url), online_url=url or None)
    row.venue = " ".join(cells.get("venue", "").split())


def read_rows(
    table: Table,
    kind: str,
    given: dict[str, str] | None = None,
    today: date | None = None,
) -> list[SheetRow]:
    """Every row of ``table`` read as ``kind`` ("spaces" or "groups")."""
    columns = find_columns(table.headers, SYNONYMS[kind], given)
    today = today or today_in_uk()
    rows = []
    for line, raw in table.rows:
        cells = {name: raw[index] for name, index in columns.items() if index < len(raw)}
        name = plain_text(cells.get("name", ""), max_length=200) or ""
        row = SheetRow(line, name or f"row {line}")
        if "status" in columns:
            row.closed = _closed(table.headers[columns["status"]], cells.get("status", ""))
        row.values = {
            "name": name,
            "description": plain_text(cells.get("description", ""), max_length=5000),
        }
        if kind == "groups":  # spaces have no contact details of their own
            row.values["contact_email"] = cells.get("contact_email", "").strip() or None
            row.values["contact_phone"] = cells.get("contact_phone", "").strip() or None
        if not name:
            row.refused = "it has no name"
        postcode = cells.get("postcode", "")
        if kind == "spaces":
            _space(row, cells)
            try:
                row.values["postcode"] = clean_postcode(postcode)
            except PostcodeError as error:
                problem = str(error).rstrip(".") if postcode.strip() else "it has no postcode"
                row.refused = row.refused or problem
        else:
            _group(row, cells, today)
        reference = cells.get("reference", "").strip()
        row.key = (
            f"ref:{reference}"[:200]
            if reference
            else f"{header_key(name)}|{row.values.get('postcode') or header_key(row.venue)}"[:200]
        )
        rows.append(row)
    return rows
