"""The council's area report: cells, coverage and the organisation network,
aggregated and suppressed, never a row about a person.

The report is a plain JSON-ready dict, so that the page, the API, the CLI
export and the monthly snapshot read the same thing, and so that it can be
kept in the database.

Caching rule: the report is stored in ``network_report_cache`` under the
digest of its inputs (``network.loader.area_digest``: every record the
analyses read, today's date and the settings). Each request loads the
register (one query per table), works out the digest, and reuses the stored
report only when the digest is the same; otherwise it recomputes and
replaces it. So any change to the register that could change a figure
invalidates it, the cache is shared by every worker process (it is in the
database), and at most one report is kept. ``NETWORK_CACHE_ENABLED=0``
turns the cache off.

Suppression is done by the pure code (``domain.suppression``: small cells
and small age bands, plus enough others that nothing small can be worked out
by subtraction) and checked again here with the same rule, so that no
figure about fewer than ``MIN_CELL_COUNT`` people can leave this module: a
cell flagged suppressed or holding fewer people has every figure ``None``;
a coverage share is withheld when flagged so or when its covered or its
uncovered people are too few (``share_shown``), and further age bands are
withheld until the overall share minus the shown bands gives no such count
away (``hidden_keys``).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import h3
from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from betterway_map.domain import vocab
from betterway_map.domain.network.cells import area_cells
from betterway_map.domain.network.coverage import coverage as compute_coverage
from betterway_map.domain.network.inputs import Area
from betterway_map.domain.network.isolation import assess_people
from betterway_map.domain.network.organisation_network import organisation_network
from betterway_map.domain.suppression import hidden_keys, share_shown, suppress
from betterway_map.extensions import db
from betterway_map.geocoding.models import PostcodePoint
from betterway_map.network.loader import NetworkSettings, area_digest, request_area, settings
from betterway_map.network.models import NetworkReportCache

__all__ = ["BUILD_STEPS", "CELL_FIGURES", "area_report", "build_report", "postcode_sector"]

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


def _cell_names(cells: list[str], resolution: int) -> dict[str, str]:
    """Name each cell by the commonest postcode sector of the gazetteer's
    postcodes inside it (public data), read in one query over the cells'
    bounding box."""
    if not cells:
        return {}
    corners = [point for cell in cells for point in h3.cell_to_boundary(cell)]
    lats = [lat for lat, _ in corners]
    lons = [lon for _, lon in corners]
    rows = db.session.execute(
        select(PostcodePoint.postcode, PostcodePoint.latitude, PostcodePoint.longitude).where(
            PostcodePoint.latitude.between(min(lats), max(lats)),
            PostcodePoint.longitude.between(min(lons), max(lons)),
        )
    )
    wanted = set(cells)
    sectors: dict[str, Counter] = {}
    for postcode, lat, lon in rows:
        cell = h3.latlng_to_cell(lat, lon, resolution)
        if cell in wanted:
            sectors.setdefault(cell, Counter())[postcode_sector(postcode)] += 1
    return {
        cell: min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
        for cell, counts in sectors.items()
    }


def _cell(figures, name: str | None, min_count: int) -> dict:
    people = getattr(figures, "people", None)
    suppressed = bool(getattr(figures, "suppressed", False)) or suppress(people, min_count) is None
    row = {
        "cell": figures.cell,
        "name": name or figures.cell,
        "boundary": [[float(lat), float(lon)] for lat, lon in figures.boundary],
        "suppressed": suppressed,
    }
    for key in CELL_FIGURES:
        value = None if suppressed else getattr(figures, key, None)
        row[key] = float(value) if key == "gap_score" and value is not None else value
    return row


def _counts(value) -> tuple[int, int] | None:
    """A share's (numerator, denominator), or None when the pure code withheld it."""
    _, numerator, denominator = value if value is not None else (None, None, None)
    return None if numerator is None or denominator is None else (numerator, denominator)


def _share(value, min_count: int, label: str = "All at-risk people") -> dict:
    """A coverage share as published: withheld unless the pure code showed it
    and neither its covered nor its uncovered people are too few."""
    counts = _counts(value)
    shown = counts is not None and share_shown(*counts, min_count)
    numerator, denominator = counts if shown else (None, None)
    return {
        "label": label,
        "suppressed": not shown,
        "numerator": numerator,
        "denominator": denominator,
        "share": round(numerator / denominator, 4) if shown else None,
    }


def _hidden_bands(overall, bands: dict, min_count: int) -> frozenset:
    """The age bands to withhold. As (covered, not covered): a band whose
    covered or uncovered people are too few, and then enough others that
    the overall share minus the shown bands gives no such count away."""
    parts = {}
    for band, share in bands.items():
        counts = _counts(share)
        if counts is not None:
            parts[band] = (counts[0], counts[1] - counts[0])
    unpublished = (0, 0)  # no overall figure: nothing to subtract the bands from
    whole = _counts(overall)
    if whole is not None:
        covered, people = whole
        unpublished = (
            covered - sum(c for c, _ in parts.values()),
            people - covered - sum(rest for _, rest in parts.values()),
        )
    hidden = hidden_keys(parts, min_count, unpublished)
    return hidden | {band for band in bands if band not in parts}


def _coverage(result, min_count: int) -> dict:
    overall = getattr(result, "overall", None)
    bands = getattr(result, "by_age_band", {}) or {}
    hidden = _hidden_bands(overall, bands, min_count)
    labels = vocab.labels(vocab.AGE_BANDS)
    return {
        "overall": _share(overall, min_count),
        "by_age_band": [
            _share(None if band in hidden else bands[band], min_count, label) | {"band": band}
            for band, label in labels.items()
            if band in bands
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


def build_report(area: Area, config: NetworkSettings, progress=None) -> dict:
    """Compute the area report from plain records (no cache).

    ``progress(step_name)``, if given, is called as each step starts (the
    CLI shows it).
    """
    step = progress or (lambda name: None)
    step("people")
    assessments = assess_people(area, window_days=config.window_days, today=area.today)
    step("cells")
    figures = area_cells(
        area,
        assessments,
        resolution=config.resolution,
        walking_m=config.walking_m,
        min_count=config.min_count,
    )
    names = _cell_names(
        [f.cell for f in figures if not getattr(f, "suppressed", False)], config.resolution
    )
    cells = [_cell(f, names.get(f.cell), config.min_count) for f in figures]
    step("coverage")
    covered = compute_coverage(
        area, assessments, walking_m=config.walking_m, min_count=config.min_count
    )
    step("organisations")
    organisations = _organisations(area, config)
    shown = [c for c in cells if not c["suppressed"]]
    return {
        "computed_on": area.today.isoformat(),
        "settings": config.as_dict(),
        "min_cell_count": config.min_count,
        "totals": {
            "cells_shown": len(shown),
            "cells_suppressed": len(cells) - len(shown),
            "people_in_shown_cells": sum(c["people"] for c in shown),
            "at_risk_in_shown_cells": sum(c["at_risk"] or 0 for c in shown),
            "groups_active": sum(1 for group in area.groups if group.status == "active"),
        },
        "cells": cells,
        "worst_gaps": sorted(
            [c for c in shown if c["gap_score"] is not None],
            key=lambda c: (-c["gap_score"], c["cell"]),
        )[:10],
        "coverage": _coverage(covered, config.min_count),
        "organisations": organisations,
    }


def _store(digest: str, report: dict) -> None:
    try:
        db.session.execute(delete(NetworkReportCache).where(NetworkReportCache.kind == REPORT_KIND))
        db.session.add(NetworkReportCache(kind=REPORT_KIND, input_digest=digest, payload=report))
        db.session.commit()
    except SQLAlchemyError:
        # Another process stored the same report at the same moment: theirs
        # is as good as ours, and a failed cache write must not fail the page.
        db.session.rollback()


def area_report(today: date | None = None, progress=None) -> dict:
    """The area report for today, from the cache when its inputs are unchanged.

    One commit at most (storing a recomputed report).
    """
    config = settings()
    area = request_area(today)
    if not current_app.config.get("NETWORK_CACHE_ENABLED", True):
        return build_report(area, config, progress)
    digest = area_digest(area, config)
    cached = db.session.get(NetworkReportCache, REPORT_KIND)
    if cached is not None and cached.input_digest == digest:
        return cached.payload
    report = build_report(area, config, progress)
    _store(digest, report)
    return report
