"""A person's records as plain JSON-ready data, for subject access requests.

Every column of every record attached to the person is included, so a field
added to a model later is exported without a change here. Read-only.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask import current_app
from sqlalchemy import inspect

from betterway_map.people.models import Person

__all__ = ["record_data", "person_record", "EXPORT_SECTIONS"]

# app.extensions key: what capabilities above this one hold about a person
# (requests, matches, the audit log...), handed over by create_app. Each is
# called as section(person) and returns {name: JSON-ready value} to add.
EXPORT_SECTIONS = "bwm_subject_access_sections"

# The attached records, by the name they carry in the export.
ATTACHED = (
    ("consents", "consents"),
    ("workers", "assignments"),
    ("loneliness_measures", "measures"),
    ("ties", "ties"),
    ("groups_attended", "attendances"),
    ("offers_and_requests", "listings"),
)


def _plain(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def record_data(record) -> dict:
    """Every column of a model instance, with dates as ISO 8601 text."""
    mapper = inspect(record).mapper
    return {attr.key: _plain(getattr(record, attr.key)) for attr in mapper.column_attrs}


def person_record(person: Person) -> dict:
    """The person's own row and everything attached to it."""
    data = record_data(person)
    for name, relationship in ATTACHED:
        data[name] = [record_data(row) for row in getattr(person, relationship)]
    data["volunteer"] = record_data(person.volunteer) if person.volunteer else None
    for section in current_app.extensions.get(EXPORT_SECTIONS, ()):
        data.update(section(person))
    return data
