"""The council's area report: cells, coverage and the organisation network,
aggregated and suppressed, never a row about a person.

The report is a plain JSON-ready dict, so that the page, the API, the CLI
export and the monthly snapshot read the same thing, and so that it can be
kept in the database.

Caching rule: the report is stored in ``network_report_cache`` under the
digest of its inputs (``network.loader.area_digest``: every record the
analyses read, today's date and the settings). Each request loads the
register (one query per table) and works out the digest. The stored report
is served as it is when the digest is the same. When it differs (any write
to the register), the stored report is still served at once, with the moment
it was computed and ``stale: true``, and it is recomputed in the background
(``network.report_refresh``: one recompute at a time across every worker;
``NETWORK_REPORT_BACKGROUND=0`` recomputes in the request instead), so a
page never waits for it. Only when nothing usable is stored (the first
request ever, or a report from an older disclosure rule) is it computed in
the request. The cache is shared by every worker process (it is in the
database) and at most one report is kept. ``NETWORK_CACHE_ENABLED=0``
turns the cache off. ``flask network report`` always computes afresh.

Disclosure control is decided once, by the core's one rule
(``domain.suppression``), inside ``domain.network.cells`` and
``domain.network.coverage``; this module only formats what they publish. A
withheld cell is left out of the report altogether (no hexagon, no id, no
name), so it is never drawn, exported or cached; the people outside the
shown cells (in withheld cells or with no home location) are given as one
figure only when it is itself safe (``suppression.remainder``). The cache's
digest carries ``suppression.RULE_VERSION``, so a report published under an
older rule is never served again.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.exc import SQLAlchemyError

from betterway_map.domain import vocab
from betterway_map.domain.clock import utcnow
from betterway_map.domain.network.cells import area_cells
from betterway_map.domain.network.coverage import coverage as compute_coverage
from betterway_map.domain.network.inputs import Area
from betterway_map.domain.network.isolation import person_statuses
from betterway_map.domain.network.map_layers import MapFilters, provision_area
from betterway_map.domain.network.organisation_network import organisation_network
from betterway_map.domain.suppression import RULE_VERSION, remainder
from betterway_map.extensions import db
from betterway_map.geocoding.background import cell_names
from betterway_map.network.loader import (
    NetworkSettings,
    area_digest,
    load_area,
    request_area,
    settings,
)
from betterway_map.network.models import NetworkReportCache
from betterway_map.network.report_refresh import start

__all__ = [
    "BUILD_STEPS",
    "CELL_FIGURES",
    "area_report",
    "build_report",
    "postcode_sector",
    "refresh_stored_report",
    "report_digest",
]

REPORT_KIND = "area"
# The figures a cell can carry; all None when the cell is suppressed.
CELL_FIGURES = (
    "people",
    "at_risk",
    "groups_within_walk",
    "accessible_groups_within_walk",
    "spaces_within_walk",
    "accessible_spaces_within_walk",
    "gap_score",
)
TOP_BROKERS = 10
# The steps of build_report, in order (for progress bars).
BUILD_STEPS = ("people", "cells", "coverage", "organisations")


def postcode_sector(postcode: str) -> str:
    """The postcode sector (outward code and the inward code's digit).

    >>> postcode_sector("ZZ1 2AB")
    'ZZ1 2'
    """
    outward, _, inward = postcode.partition(" ")
    return f"{outward} {inward[:1]}".strip()


def _cell(figures, name: str | None) -> dict:
    """A shown cell as published (``at_risk`` and ``gap_score`` may be None)."""
    row = {
        "cell": figures.cell,
        "name": name or figures.cell,
        "boundary": [[float(lat), float(lon)] for lat, lon in figures.boundary],
        "suppressed": False,
        "at_risk_withheld": figures.at_risk is None,
    }
    for key in CELL_FIGURES:
        value = getattr(figures, key)
        row[key] = float(value) if key == "gap_score" and value is not None else value
    return row


def _share(value, label: str = "All at-risk people") -> dict:
    """A coverage share as the core published it (all None when withheld)."""
    share, numerator, denominator = value
    return {
        "label": label,
        "suppressed": denominator is None,
        "numerator": numerator,
        "denominator": denominator,
        "share": None if share is None else round(share, 4),
    }


def _coverage(result) -> dict:
    labels = vocab.labels(vocab.AGE_BANDS)
    return {
        "overall": _share(result.overall),
        "by_age_band": [
            _share(result.by_age_band[band], label) | {"band": band}
            for band, label in labels.items()
            if band in result.by_age_band
        ],
    }


def _organisations(area: Area, config: NetworkSettings) -> dict:
    network = organisation_network(area, window_days=config.window_days, seed=42)
    by_id = {org.id: org for org in area.organisations}
    sectors = vocab.labels(vocab.SECTORS)
    component_of = {
        org_id: index for index, members in enumerate(network.components, 1) for org_id in members
    }
    community_of = {
        org_id: index for index, members in enumerate(network.communities, 1) for org_id in members
    }
    betweenness = {org_id: float(score) for org_id, _, score in network.brokers}

    def names(members) -> list[str]:
        return sorted(by_id[org_id].name for org_id in members if org_id in by_id)

    rows = [
        {
            "id": org.id,
            "name": org.name,
            "sector": org.sector,
            "sector_label": sectors.get(org.sector, org.sector),
            "component": component_of.get(org.id),
            "community": community_of.get(org.id),
            "betweenness": round(betweenness.get(org.id, 0.0), 6),
        }
        for org in area.organisations
    ]
    brokers = [row for row in sorted(rows, key=lambda r: (-r["betweenness"], r["name"]))]
    share = network.cross_sector_share
    return {
        "count": len(rows),
        "links": network.graph.number_of_edges(),
        "components": [
            {"index": i, "size": len(m), "names": names(m)}
            for i, m in enumerate(network.components, 1)
        ],
        "communities": [
            {"index": i, "size": len(m), "names": names(m)}
            for i, m in enumerate(network.communities, 1)
        ],
        "brokers": [row for row in brokers if row["betweenness"] > 0][:TOP_BROKERS],
        "cross_sector_share": None if share is None else round(float(share), 4),
        "sector_mix": [
            {
                "sectors": [sectors.get(a, a), sectors.get(b, b)],
                "links": int(count),
            }
            for (a, b), count in sorted(network.sector_mix.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "rows": rows,
    }


def build_report(
    area: Area, config: NetworkSettings, progress=None, filters: MapFilters | None = None
) -> dict:
    """Compute the area report from plain records (no cache).

    ``progress(step_name)``, if given, is called as each step starts (the
    CLI shows it). ``filters`` (the council map's) keep only some groups as
    provision for the cells' figures; who is at risk is assessed on the
    whole area, so a cell's people and people at risk do not change.
    """
    step = progress or (lambda name: None)
    step("people")
    assessments = person_statuses(area, window_days=config.window_days, today=area.today)
    step("cells")
    figures = area_cells(
        provision_area(area, filters or MapFilters()),
        assessments,
        resolution=config.resolution,
        walking_m=config.walking_m,
        min_count=config.min_count,
    )
    shown_figures = [f for f in figures if not f.suppressed]
    names = cell_names([f.cell for f in shown_figures])
    cells = [_cell(f, names.get(f.cell)) for f in shown_figures]
    step("coverage")
    covered = compute_coverage(
        area, assessments, walking_m=config.walking_m, min_count=config.min_count
    )
    step("organisations")
    organisations = _organisations(area, config)
    people_shown = sum(c["people"] for c in cells)
    return {
        "computed_on": area.today.isoformat(),
        "rule_version": RULE_VERSION,
        "settings": config.as_dict(),
        "min_cell_count": config.min_count,
        "totals": {
            "cells_shown": len(cells),
            "cells_suppressed": len(figures) - len(cells),
            "people_in_shown_cells": people_shown,
            # Everyone registered minus the shown cells: in withheld cells or
            # with no home location; None unless it is itself safe.
            "people_outside_shown_cells": remainder(
                len(area.people), people_shown, config.min_count
            ),
            "at_risk_in_shown_cells": sum(c["at_risk"] or 0 for c in cells),
            "groups_active": sum(1 for group in area.groups if group.status == "active"),
        },
        "cells": cells,
        "worst_gaps": sorted(
            [c for c in cells if c["gap_score"] is not None],
            key=lambda c: (-c["gap_score"], c["cell"]),
        )[:10],
        "coverage": _coverage(covered),
        "organisations": organisations,
    }


def report_digest(area: Area, config: NetworkSettings) -> str:
    """The cache key: the inputs' digest under the disclosure rule's version."""
    return hashlib.sha256(f"{RULE_VERSION}:{area_digest(area, config)}".encode()).hexdigest()


def _store(digest: str, report: dict) -> datetime:
    """Replace the stored report (its own commit); the moment it was computed."""
    computed_at = utcnow()
    try:
        db.session.execute(delete(NetworkReportCache).where(NetworkReportCache.kind == REPORT_KIND))
        db.session.add(
            NetworkReportCache(
                kind=REPORT_KIND, input_digest=digest, computed_at=computed_at, payload=report
            )
        )
        db.session.commit()
    except SQLAlchemyError:
        # Another process stored the same report at the same moment: theirs
        # is as good as ours, and a failed cache write must not fail the page.
        db.session.rollback()
    return computed_at


def _served(report: dict, computed_at: datetime, stale: bool) -> dict:
    """The report as served: with when it was computed and whether the
    register has changed since (``computed_at`` is UTC, ISO 8601)."""
    if computed_at.tzinfo is None:  # SQLite gives stored moments back naive
        computed_at = computed_at.replace(tzinfo=UTC)
    return report | {"computed_at": computed_at.isoformat(), "stale": stale}


def refresh_stored_report(today: date | None = None) -> None:
    """Recompute the stored report from the register as it is now (the
    background job; one commit)."""
    config = settings()
    area = load_area(today)
    report = build_report(area, config)
    _store(report_digest(area, config), report)


def area_report(
    today: date | None = None,
    progress=None,
    filters: MapFilters | None = None,
    fresh: bool = False,
) -> dict:
    """The area report for today, with ``computed_at`` and ``stale``.

    When the register is unchanged since the stored report, that report.
    When it has changed and a report computed under the same disclosure rule
    is stored, that report at once (``stale: true``), and a recompute is
    started in the background (``network.report_refresh``; at most one at a
    time across workers) unless ``NETWORK_REPORT_BACKGROUND`` is off. When
    nothing usable is stored, or ``fresh`` (the CLI), it is computed here and
    stored. One commit at most (storing a recomputed report). A filtered
    report (the council map's filters) is computed afresh and never stored.
    """
    config = settings()
    area = request_area(today)
    if filters is not None and not filters.empty:
        return _served(build_report(area, config, progress, filters), utcnow(), False)
    if not current_app.config.get("NETWORK_CACHE_ENABLED", True):
        return _served(build_report(area, config, progress), utcnow(), False)
    # The rule's version is part of the key, and a stale report is served
    # only if it was computed under this rule: figures published under an
    # older rule are recomputed, never served from the cache.
    digest = report_digest(area, config)
    cached = db.session.get(NetworkReportCache, REPORT_KIND)
    if cached is not None and not fresh:
        payload, computed_at = cached.payload, cached.computed_at
        if cached.input_digest == digest:
            return _served(payload, computed_at, False)
        if (
            current_app.config.get("NETWORK_REPORT_BACKGROUND", True)
            and payload.get("rule_version") == RULE_VERSION
        ):
            start(lambda: refresh_stored_report(today))
            return _served(payload, computed_at, True)
    report = build_report(area, config, progress)
    return _served(report, _store(digest, report), False)
