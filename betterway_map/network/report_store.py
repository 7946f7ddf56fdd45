"""Where the council's area report is kept, and the key that says it is fresh.

The key (``report_key``) is a SHA-256 of the versions of the tables the
report reads (``database.table_versions``: each takes a new random value in
the same transaction as any write to it), the day, the settings and the
disclosure rule's version (``suppression.RULE_VERSION``). Working it out is
one small query, whatever the size of the register: no row of the register
is read to know that the report is fresh.

The report is stored in ``network_report_cache`` (one row, kind ``area``,
shared by every worker process) with the council map's layers computed from
the same records (``{"format": 2, "report": ..., "layers": ...}``), and the
last one read is kept in this process too (``Stored``), with the maps built
from it (``Stored.maps``), so that a view of an unchanged register decodes
nothing and builds nothing.
"""

from __future__ import annotations

import hashlib
import weakref
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from betterway_map.database import known_table_versions
from betterway_map.domain.clock import utcnow
from betterway_map.domain.suppression import RULE_VERSION
from betterway_map.extensions import db
from betterway_map.network.loader import NetworkSettings
from betterway_map.network.models import NetworkReportCache

__all__ = [
    "REPORT_KIND",
    "REPORT_TABLES",
    "Stored",
    "kept",
    "load",
    "report_key",
    "stored_row",
    "store",
]

REPORT_KIND = "area"
FORMAT = 2  # {"format", "report", "layers"}; an older row is never served
# Every table the report and its map layers read: the register
# (``network.loader.load_area``, consent included), and the gazetteer that
# names the cells (``geocoding.background.cell_names``).
REPORT_TABLES = (
    "assignments",
    "attendances",
    "consents",
    "groups",
    "loneliness_measures",
    "organisations",
    "partnerships",
    "people",
    "postcodes",
    "spaces",
    "ties",
    "volunteer_profiles",
)


@dataclass(frozen=True)
class Stored:
    """A stored report as read: its key, when it was computed, the report,
    the map layers and, in this process, the maps built from them."""

    key: str
    computed_at: datetime
    report: dict
    layers: dict
    maps: dict = field(default_factory=dict, compare=False)

    @property
    def usable(self) -> bool:
        """Whether it may be served while a newer one is computed: only if
        published under the disclosure rule in force."""
        return self.report.get("rule_version") == RULE_VERSION


_kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine: Stored


def report_key(today: date, config: NetworkSettings) -> str:
    """The report's cache key: its tables' versions, the day, the settings
    and the disclosure rule's version (one query; no register row read)."""
    versions = known_table_versions(*REPORT_TABLES)
    text = repr((RULE_VERSION, today.isoformat(), config, REPORT_TABLES, versions))
    return hashlib.sha256(text.encode()).hexdigest()


def kept() -> Stored | None:
    """The report this process read last (None before the first)."""
    return _kept.get(db.engine)


def _keep(stored: Stored) -> Stored:
    _kept[db.engine] = stored
    return stored


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def stored_row() -> tuple[str, datetime] | None:
    """``(key, computed_at)`` of the stored report, without its payload."""
    table = NetworkReportCache.__table__
    row = db.session.execute(
        select(table.c.input_digest, table.c.computed_at).where(table.c.kind == REPORT_KIND)
    ).first()
    return None if row is None else (row[0], _aware(row[1]))


def load(key: str) -> Stored | None:
    """The stored report whose key is ``key`` (this process's copy when it
    has it, else decoded from the database once), or None."""
    mine = kept()
    if mine is not None and mine.key == key:
        return mine
    stored = stored_row()  # the key alone first: a stale view decodes nothing
    if stored is None or stored[0] != key:
        return None
    table = NetworkReportCache.__table__
    row = db.session.execute(
        select(table.c.input_digest, table.c.computed_at, table.c.payload).where(
            table.c.kind == REPORT_KIND
        )
    ).first()
    if row is None or row.input_digest != key:  # replaced in between
        return None
    payload = row.payload or {}
    if payload.get("format") != FORMAT:
        return None
    return _keep(Stored(key, _aware(row.computed_at), payload["report"], payload["layers"]))


def store(key: str, report: dict, layers: dict) -> Stored:
    """Replace the stored report (its own commit) and keep it here too."""
    computed_at = utcnow()
    payload = {"format": FORMAT, "report": report, "layers": layers}
    try:
        db.session.execute(delete(NetworkReportCache).where(NetworkReportCache.kind == REPORT_KIND))
        db.session.add(
            NetworkReportCache(
                kind=REPORT_KIND, input_digest=key, computed_at=computed_at, payload=payload
            )
        )
        db.session.commit()
    except SQLAlchemyError:
        # Another process stored a report at the same moment: theirs is as
        # good as ours, and a failed cache write must not fail the page.
        db.session.rollback()
    return _keep(Stored(key, _aware(computed_at), report, layers))
