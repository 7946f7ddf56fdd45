"""Stable ORUK ids: UUIDs derived from our record numbers, and back.

ORUK wants every record's id to be a UUID that never changes. Ours are
integers, so each kind of record gets a 60-bit tag (from ``uuid5`` of a
fixed namespace and the kind's name) and the number sits in the UUID's last
62 bits, as an RFC 9562 version 8 (custom) UUID. The same record always has
the same id, ids of different kinds never collide, and an id read from a
request turns back into a number without a lookup table, so ``{id}`` and
``organization_id`` become primary-key lookups in SQL.

Records that are not rows (taxonomies, their terms) use plain ``uuid5`` of
the namespace and their name.

>>> oruk_id("service", 7)
'bd030c94-6166-8576-8000-000000000007'
>>> our_number("service", oruk_id("service", 7)), our_number("location", oruk_id("service", 7))
(7, None)
"""

from __future__ import annotations

import uuid

__all__ = ["NAMESPACE", "oruk_id", "our_number", "named_id", "KINDS"]

# Fixed forever: changing it would change every id we have published.
NAMESPACE = uuid.UUID("3b0e9f4c-5a54-4f0e-9c55-6f7a0d2b8e11")
KINDS = (
    "service",
    "organization",
    "location",
    "service_at_location",
    "schedule",
    "address",
    "cost_option",
    "accessibility",
    "attribute",
)
_VERSION_8 = 0x8 << 76
_VARIANT = 0b10 << 62
_NUMBER_BITS = 62
_MAX_NUMBER = (1 << _NUMBER_BITS) - 1


def _tag(kind: str) -> int:
    """The 60 bits that say which kind of record an id is for."""
    return uuid.uuid5(NAMESPACE, kind).int >> 68


def _layout(kind: str) -> int:
    tag = _tag(kind)
    high, low = tag >> 12, tag & 0xFFF
    return (high << 80) | _VERSION_8 | (low << 64) | _VARIANT


def oruk_id(kind: str, number: int, part: str = "") -> str:
    """The id of our record ``number`` of ``kind`` (with ``part`` for the
    several records one row becomes, e.g. each accessibility feature)."""
    if not 0 < number <= _MAX_NUMBER:
        raise ValueError(f"record number {number!r} is out of range 1..{_MAX_NUMBER}")
    return str(uuid.UUID(int=_layout(f"{kind}/{part}" if part else kind) | number))


def our_number(kind: str, text: str) -> int | None:
    """Our record number in an id of ``kind``, or None when ``text`` is not one."""
    try:
        value = uuid.UUID(str(text)).int
    except ValueError:
        return None
    number = value & _MAX_NUMBER
    if value & ~_MAX_NUMBER != _layout(kind) or number == 0:
        return None
    return number


def named_id(*names: str) -> str:
    """The id of a record known by its names, e.g. ``("taxonomy_term", "interests", "music")``."""
    return str(uuid.uuid5(NAMESPACE, "/".join(names)))
