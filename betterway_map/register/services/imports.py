"""What every import into the register shares: loading, upserting, reporting.

Imports (ORUK feeds in ``interop.oruk.importing``, spreadsheets in
``register.services.sheet_import``) put each record's details through the
register's own schemas (``load_record``), as if they were typed: a value
a required field cannot take refuses the record, with the schema's own
message; an optional one that is wrong is left out and noted. Records are
found again by where they came from (``source``, ``source_ref``:
``existing``) and updated only where something changed (``apply``), so
that importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from marshmallow import Schema, ValidationError
from sqlalchemy import select

from betterway_map.accounts.models import User
from betterway_map.extensions import db
from betterway_map.register.models import Organisation
from betterway_map.register.services.organisations import organisations_of
from betterway_map.web.forms import flat_errors

__all__ = [
    "Refused",
    "ImportReport",
    "load_record",
    "existing",
    "apply",
    "import_choices",
]

# How many refs one IN (...) asks for at a time (SQLite allows 32,766 parameters).
_CHUNK = 500
_EXAMPLES = 200


class Refused(ValueError):
    """A record that cannot be imported; the message says why."""


@dataclass
class ImportReport:
    """What an import did: per kind of record, how many were created,
    updated and left as they were, and each record skipped with why."""

    what: str
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (record, why)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (record, what)
    extra: list[str] = field(default_factory=list)
    records_read: int = 0
    seconds: float = 0.0

    def skip(self, record: str, why: str) -> None:
        self.skipped.append((record, why))

    def note(self, record: str, what: str) -> None:
        self.notes.append((record, what))

    def summary(self) -> str:
        def counted(counter: Counter) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items()) if n) or "none"

        return (
            f"created: {counted(self.created)}; updated: {counted(self.updated)}; "
            f"unchanged: {counted(self.unchanged)}; skipped: {len(self.skipped)}"
        )

    def lines(self) -> list[str]:
        """The report as lines of plain text, for the terminal and the page."""
        rate = f" ({self.records_read / self.seconds:,.0f} a second)" if self.seconds else ""
        out = [f"{self.what}: read {self.records_read} records{rate}.", self.summary() + "."]
        out += self.extra
        for record, why in self.skipped[:_EXAMPLES]:
            out.append(f"Skipped {record}: {why.rstrip('.')}.")
        if len(self.skipped) > _EXAMPLES:
            out.append(f"... and {len(self.skipped) - _EXAMPLES} more skipped.")
        for record, what in self.notes[:_EXAMPLES]:
            out.append(f"Note on {record}: {what.rstrip('.')}.")
        if len(self.notes) > _EXAMPLES:
            out.append(f"... and {len(self.notes) - _EXAMPLES} more notes.")
        return out


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def load_record(
    schema: Schema, values: dict, *, refuse_on: Iterable[str] = ()
) -> tuple[dict, list[str]]:
    """``values`` loaded by ``schema``, and notes of optional values left out.

    A field in error that is required, or named in ``refuse_on``, refuses
    the record (``Refused`` with the schema's messages); any other field in
    error is left empty and noted.
    """
    refuse_on = set(refuse_on)
    notes: list[str] = []
    dropped: set[str] = set()
    for _attempt in range(2):
        try:
            loaded = schema.load(values)
            break
        except ValidationError as error:
            messages = flat_errors(error.messages)
            fatal = [
                name
                for name in messages
                if _top(name) in refuse_on
                or _top(name) not in schema.fields
                or schema.fields[_top(name)].required
                or dropped
            ]
            if fatal:
                raise Refused(" ".join(m for name in fatal for m in messages[name])) from None
            for name, found in messages.items():
                dropped.add(_top(name))
                notes.append(f"{name} {values.get(_top(name))!r} left out: {found[0]}")
            values = {key: value for key, value in values.items() if key not in dropped}
    for name in dropped:
        loaded.setdefault(name, None)
    return loaded, notes


def existing(model, source: str, refs: Iterable[str], organisation_id: int | None = None) -> dict:
    """The records of ``model`` already imported from ``source`` with these refs."""
    refs = sorted(set(refs))
    found = {}
    for start in range(0, len(refs), _CHUNK):
        query = select(model).where(
            model.source == source, model.source_ref.in_(refs[start : start + _CHUNK])
        )
        if organisation_id is not None:
            query = query.where(model.organisation_id == organisation_id)
        found.update({record.source_ref: record for record in db.session.scalars(query)})
    return found


def apply(record, values: dict) -> bool:
    """Set ``values`` on ``record``; whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed = True
    return changed


def import_choices(user: User) -> list[tuple[int, str]]:
    """The organisations ``user`` may import into, by name: every one for a
    site admin, their own for an organisation admin."""
    if user.has_role("site_admin"):
        found = db.session.scalars(select(Organisation).order_by(Organisation.name).limit(2000))
    else:
        found = organisations_of(user)
    return [(organisation.id, organisation.name) for organisation in found]
