"""The council map's layers as plain data: what the filters keep, and the
groups, spaces, walking-distance coverage and organisation network to draw.

Pure (no Flask, no database): the service (``network.map_layers``) loads
the area and the published report, and ``maps.council_layers`` draws what
this returns. Nothing here is about a person: places are public spaces,
coverage is drawn around groups, and organisations stand at the middle of
their own spaces.

The filters change only the provision side of the figures (which groups
count as suitable, active provision): a cell's people and people at risk
are the same under every filter, so no figure about people can be worked
out by comparing one filter with another.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import timedelta

from betterway_map.domain.network.inputs import Area, GroupRecord

__all__ = [
    "WINDOW_CHOICES",
    "MapFilters",
    "circle_ring",
    "gap_cells",
    "map_layers",
    "organisation_locations",
    "provision",
    "provision_area",
]

# The time windows a council may choose: groups someone attended within it.
WINDOW_CHOICES = (30, 90, 365)
EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class MapFilters:
    """Which groups count: by interest, audience and recent attendance.

    >>> MapFilters().empty, MapFilters(interest="books").empty
    (True, False)
    """

    interest: str | None = None
    audience: str | None = None
    window_days: int | None = None  # attended within this many days; None: any

    @property
    def empty(self) -> bool:
        return self.interest is None and self.audience is None and self.window_days is None

    def as_dict(self) -> dict:
        return {
            "interest": self.interest,
            "audience": self.audience,
            "window_days": self.window_days,
        }


def provision(area: Area, filters: MapFilters) -> list[GroupRecord]:
    """The groups the filters keep (any status; callers keep the active ones).

    >>> from datetime import date
    >>> from .inputs import AttendanceRecord
    >>> books = GroupRecord(1, 1, "Books", 1, 52.0, -1.0, "active", interests=("books",))
    >>> walks = GroupRecord(2, 1, "Walks", 1, 52.0, -1.0, "active", audiences=("carers",))
    >>> area = Area(date(2025, 6, 1), groups=[books, walks], attendances=[
    ...     AttendanceRecord(9, 2, "member", None, date(2025, 5, 20))])
    >>> [g.name for g in provision(area, MapFilters(interest="books"))]
    ['Books']
    >>> [g.name for g in provision(area, MapFilters(audience="carers"))]
    ['Walks']
    >>> [g.name for g in provision(area, MapFilters(window_days=30))]
    ['Walks']
    """
    groups = list(area.groups)
    if filters.interest is not None:
        groups = [g for g in groups if filters.interest in g.interests]
    if filters.audience is not None:
        groups = [g for g in groups if filters.audience in g.audiences]
    if filters.window_days is not None:
        since = area.today - timedelta(days=filters.window_days)
        attended = {
            a.group_id
            for a in area.attendances
            if a.last_attended_on is not None and since <= a.last_attended_on <= area.today
        }
        groups = [g for g in groups if g.id in attended]
    return groups


def provision_area(area: Area, filters: MapFilters) -> Area:
    """The area with only the groups the filters keep (people untouched)."""
    if filters.empty:
        return area
    return replace(area, groups=provision(area, filters))


def gap_cells(cells: list[dict]) -> list[dict]:
    """Shown cells whose people at risk (shown, more than none) have no
    suitable active group within walking distance.

    >>> gap_cells([{"at_risk": 6, "groups_within_walk": 0, "suppressed": False},
    ...            {"at_risk": None, "groups_within_walk": 0, "suppressed": False},
    ...            {"at_risk": 6, "groups_within_walk": 1, "suppressed": False}])
    [{'at_risk': 6, 'groups_within_walk': 0, 'suppressed': False}]
    """
    return [
        c
        for c in cells
        if not c.get("suppressed") and (c.get("at_risk") or 0) > 0 and not c["groups_within_walk"]
    ]


def circle_ring(lat: float, lon: float, radius_m: float, points: int = 32) -> list[list[float]]:
    """A ring of ``points`` (lat, lon) corners ``radius_m`` from the centre,
    anticlockwise from due east, not closed.

    >>> ring = circle_ring(0.0, 0.0, 111_195.0, 4)
    >>> [[round(a, 3), round(b, 3)] for a, b in ring]
    [[0.0, 1.0], [1.0, 0.0], [0.0, -1.0], [-1.0, -0.0]]
    """
    angular = radius_m / EARTH_RADIUS_M
    phi, lam = math.radians(lat), math.radians(lon)
    ring = []
    for i in range(points):
        bearing = math.pi / 2 - 2 * math.pi * i / points  # east, then north: anticlockwise
        phi2 = math.asin(
            math.sin(phi) * math.cos(angular)
            + math.cos(phi) * math.sin(angular) * math.cos(bearing)
        )
        lam2 = lam + math.atan2(
            math.sin(bearing) * math.sin(angular) * math.cos(phi),
            math.cos(angular) - math.sin(phi) * math.sin(phi2),
        )
        ring.append([math.degrees(phi2), math.degrees(lam2)])
    return ring


def organisation_locations(area: Area) -> dict[int, tuple[float, float]]:
    """Each organisation's place on the map: the middle of its spaces.

    >>> from datetime import date
    >>> from .inputs import SpaceRecord
    >>> area = Area(date(2025, 6, 1), spaces=[SpaceRecord(1, 7, "A", 52.0, -1.0, False, False),
    ...     SpaceRecord(2, 7, "B", 52.2, -1.2, False, False)])
    >>> {k: tuple(round(x, 3) for x in v) for k, v in organisation_locations(area).items()}
    {7: (52.1, -1.1)}
    """
    points: dict[int, list[tuple[float, float]]] = {}
    for space in area.spaces:
        if space.latitude is not None and space.longitude is not None:
            points.setdefault(space.organisation_id, []).append((space.latitude, space.longitude))
    return {
        org: (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
        for org, pts in points.items()
    }


def _places(area: Area, filters: MapFilters) -> list[dict]:
    organisations = {o.id: o.name for o in area.organisations}
    kept = {g.id for g in provision(area, filters)}
    places = []
    for g in area.groups:
        if g.id in kept and g.status == "active" and g.latitude is not None:
            if g.longitude is None:
                continue
            places.append(
                {
                    "kind": "group",
                    "id": g.id,
                    "name": g.name,
                    "organisation": organisations.get(g.organisation_id, ""),
                    "latitude": float(g.latitude),
                    "longitude": float(g.longitude),
                    "step_free": bool(g.step_free),
                    "interests": list(g.interests),
                    "audiences": list(g.audiences),
                }
            )
    for s in area.spaces:
        if s.latitude is None or s.longitude is None:
            continue
        places.append(
            {
                "kind": "space",
                "id": s.id,
                "name": s.name,
                "organisation": organisations.get(s.organisation_id, ""),
                "latitude": float(s.latitude),
                "longitude": float(s.longitude),
                "step_free": bool(s.step_free),
                "interests": [],
                "audiences": [],
            }
        )
    return places


def map_layers(
    area: Area, filters: MapFilters, walking_m: float, organisations: dict, graph
) -> dict:
    """The layers other than the cells, as JSON-ready plain data.

    ``organisations`` is the report's organisation section (its rows and
    brokers); ``graph`` the organisation graph (edges with ``weight`` and
    ``kinds``).
    """
    places = _places(area, filters)
    coverage = [
        {
            "group": p["id"],
            "name": p["name"],
            "latitude": p["latitude"],
            "longitude": p["longitude"],
            "radius_m": float(walking_m),
        }
        for p in places
        if p["kind"] == "group"
    ]
    where = organisation_locations(area)
    brokers = {row["id"] for row in organisations.get("brokers", [])}
    nodes = [
        {
            "id": row["id"],
            "name": row["name"],
            "sector_label": row["sector_label"],
            "latitude": where[row["id"]][0],
            "longitude": where[row["id"]][1],
            "broker": row["id"] in brokers,
            "betweenness": row["betweenness"],
        }
        for row in organisations.get("rows", [])
        if row["id"] in where
    ]
    placed = {node["id"]: node for node in nodes}
    links = []
    for first, second, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        a, b = sorted((first, second))
        if a in placed and b in placed:
            links.append(
                {
                    "source": a,
                    "target": b,
                    "source_name": placed[a]["name"],
                    "target_name": placed[b]["name"],
                    "weight": int(data.get("weight", 1)),
                    "kinds": sorted(data.get("kinds", ())),
                }
            )
    return {
        "filters": filters.as_dict(),
        "places": places,
        "walking_coverage": coverage,
        "organisation_nodes": nodes,
        "organisation_links": links,
    }
