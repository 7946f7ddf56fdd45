"""The council's area report: cells, coverage and the organisation network,
aggregated and suppressed, never a row about a person.

The report is a plain JSON-ready dict, so that the page, the API, the CLI
export and the monthly snapshot read the same thing, and so that it can be
kept in the database.

Caching rule (``network.report_store``): the report is stored in
``network_report_cache``, with the council map's layers, under a key made of
the versions of the tables it reads (each takes a new value with every
write to it), today's date, the settings and ``suppression.RULE_VERSION``;
working the key out is one small query, so a view of an unchanged register
reads no register row (``benchmarks/council_page.py``). When the key differs
(a write to one of those tables, a new day), the stored report is still
served at once, with the moment it was computed, ``stale: true`` and
``updating`` (a recompute is running or queued), and it is recomputed in the
background (``network.report_refresh``: one recompute at a time across every
worker, in a thread or through the RQ queue; ``NETWORK_REPORT_BACKGROUND=0``
recomputes in the request instead), so a page never waits for it. Only when
nothing usable is stored (the first request ever, after an erasure, or a
report from an older disclosure rule) is it computed in the request. At most
one report is kept. ``NETWORK_CACHE_ENABLED=0`` turns the cache off.
``flask network report`` always computes afresh.

Disclosure control is decided once, by the core's one rule
(``domain.suppression``), inside ``domain.network.cells`` and
``domain.network.coverage``; this module only formats what they publish. A
withheld cell is left out of the report altogether (no hexagon, no id, no
name), so it is never drawn, exported or cached; the people outside the
shown cells (in withheld cells or with no home location) are given as one
figure only when it is itself safe (``suppression.remainder``). The cache's
key carries ``suppression.RULE_VERSION``, and a stale report is served only
if it was published under the rule in force, so a report published under an
older rule is never served again.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app

from betterway_map.domain import vocab
from betterway_map.domain.clock import today_in_uk, utcnow
from betterway_map.domain.network.cells import area_cells
from betterway_map.domain.network.coverage import coverage as compute_coverage
from betterway_map.domain.network.inputs import Area
from betterway_map.domain.network.isolation import person_statuses
from betterway_map.domain.network.map_layers import MapFilters, map_layers, provision_area
from betterway_map.domain.network.organisation_network import organisation_network
from betterway_map.domain.suppression import RULE_VERSION, remainder
from betterway_map.geocoding.background import cell_names
from betterway_map.network.loader import (
    NetworkSettings,
    load_area,
    request_area,
    settings,
)
from betterway_map.network.report_refresh import running, start
from betterway_map.network.report_store import Stored, load, report_key, store, stored_row

__all__ = [
    "BUILD_STEPS",
    "CELL_FIGURES",
    "area_bundle",
    "area_report",
    "build_layers",
    "build_report",
    "postcode_sector",
    "refresh_stored_report",
]

REFRESH_JOB = "betterway_map.network.report:refresh_stored_report"
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


def build_layers(area: Area, config: NetworkSettings, report: dict) -> dict:
    """The council map's layers for ``report`` (computed from the same ``area``)."""
    network = organisation_network(area, window_days=config.window_days, seed=42)
    return map_layers(area, MapFilters(), config.walking_m, report["organisations"], network.graph)


def _served(report: dict, computed_at: datetime, stale: bool, updating: bool = False) -> dict:
    """The report as served: with when it was computed (UTC, ISO 8601),
    whether the register has changed since (``stale``) and whether a
    recompute is running or queued (``updating``)."""
    return report | {
        "computed_at": computed_at.isoformat(),
        "stale": stale,
        "updating": updating,
    }


def refresh_stored_report(today: str | None = None) -> None:
    """Recompute the stored report from the register as it is now (the
    background job; ``today`` in ISO 8601; one commit)."""
    day = date.fromisoformat(today) if today else today_in_uk()
    config = settings()
    # The key before the records: a write committed in between leaves newer
    # records under an older key, recomputed again, never served as fresh.
    key = report_key(day, config)
    area = load_area(day)
    report = build_report(area, config)
    store(key, report, build_layers(area, config, report))


def _compute(day: date, config: NetworkSettings, key: str, progress=None) -> Stored:
    area = request_area(day)
    report = build_report(area, config, progress)
    return store(key, report, build_layers(area, config, report))


def area_bundle(
    today: date | None = None, progress=None, fresh: bool = False
) -> tuple[dict, dict, dict]:
    """The unfiltered area report for today (with ``computed_at``, ``stale``
    and ``updating``), its map layers, and where this process keeps what is
    built from them (``Stored.maps``: the council map).

    When the report's tables, the day, the settings and the rule are as when
    the stored report was computed (``report_store.report_key``: one small
    query), that report. When they differ and a report computed under the
    same disclosure rule is stored, that report at once (``stale: true``),
    and a recompute is started in the background (``network.report_refresh``:
    at most one at a time across workers) unless ``NETWORK_REPORT_BACKGROUND``
    is off. When nothing usable is stored, or ``fresh`` (the CLI, the monthly
    snapshot), it is computed here and stored (one commit).
    """
    served, layers, stored = _bundle(today, progress, fresh)
    return served, layers, stored.maps


def _bundle(today: date | None, progress=None, fresh: bool = False):
    config = settings()
    day = today or today_in_uk()
    if not current_app.config.get("NETWORK_CACHE_ENABLED", True):
        area = request_area(day)
        report = build_report(area, config, progress)
        layers = build_layers(area, config, report)
        return _served(report, utcnow(), False), layers, Stored("", utcnow(), report, layers)
    key = report_key(day, config)
    if not fresh:
        stored = load(key)
        if stored is not None:
            return _served(stored.report, stored.computed_at, False), stored.layers, stored
        row = stored_row()
        previous = load(row[0]) if row is not None else None
        if (
            previous is not None
            and previous.usable
            and current_app.config.get("NETWORK_REPORT_BACKGROUND", True)
        ):
            # Asking first (a read) spares every viewer of a stale report a
            # write to try the lock while a recompute runs.
            updating = running() or start(REFRESH_JOB, day.isoformat() if today else None)
            served = _served(previous.report, previous.computed_at, True, updating or running())
            return served, previous.layers, previous
    stored = _compute(day, config, key, progress)
    return _served(stored.report, stored.computed_at, False), stored.layers, stored


def area_report(
    today: date | None = None,
    progress=None,
    filters: MapFilters | None = None,
    fresh: bool = False,
) -> dict:
    """The area report for today, with ``computed_at``, ``stale`` and
    ``updating`` (``area_bundle``). A filtered report (the council map's
    filters) is computed afresh and never stored."""
    if filters is not None and not filters.empty:
        area = request_area(today)
        return _served(build_report(area, settings(), progress, filters), utcnow(), False)
    return area_bundle(today, progress, fresh)[0]
