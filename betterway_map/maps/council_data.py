"""The council map's layers as one compact document for its script.

``maps.council_layers`` decides what each layer shows (colours, bands,
gaps, the palette); this module writes it as plain JSON-ready lists, small
enough that 100,000 people and 10,000 groups and spaces make a map of well
under a megabyte (``benchmarks/maps.py``), and ``council_script`` draws it.

The document is fetched by the map's script from its own URL
(``map_document``), not embedded in the page; ``benchmarks/council_page.py``
measures it raw, gzipped and as the browser receives it.

Rules every encoder keeps:

* every string is ``safe_text.map_text`` output (the script puts strings
  into popups, tooltips and layer names as HTML);
* a point is (lat, lon) in degrees rounded to ``DECIMALS`` places (about
  a metre). A list of points (an outline: a cell's hexagon, an area's
  boundary; the groups and spaces, sorted by where they are) is its first
  point so, then the steps to each next point in whole 1e-5 degrees
  (``_steps``); ``points`` reads them back, so a privacy test looks for a
  home's coordinates among the points the document draws, not in its text;
  a lone point (an organisation, a circle not at a place) is plain degrees;
* rows are lists, not objects, in the field order each encoder's docstring
  gives; a text that many rows share (an organisation, a label, a sector,
  the kinds of a tie) is listed once and referred to by its index.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from betterway_map.maps.safe_text import map_text

__all__ = [
    "DECIMALS",
    "encode_cells",
    "encode_coverage",
    "encode_need",
    "encode_network",
    "encode_places",
    "points",
    "tie_width",
]

DECIMALS = 5
OTHER = -1  # a group whose interests (or audiences) are not in the palette
SPACE = -2  # a space: drawn in the space colour


def _degrees(value: float) -> float:
    return round(float(value), DECIMALS)


STEPS_PER_DEGREE = 10**DECIMALS


def _fixed(lat: float, lon: float) -> tuple[int, int]:
    return round(float(lat) * STEPS_PER_DEGREE), round(float(lon) * STEPS_PER_DEGREE)


def _steps(fixed: Sequence[tuple[int, int]]) -> list[tuple]:
    """Points in whole 1e-5 degrees as the first in degrees, then each next
    one as the step from the one before (whole numbers).

    >>> _steps([(5212346, -150000), (5212400, -150110)])
    [(52.12346, -1.5), (54, -110)]
    """
    if not fixed:
        return []
    first_lat, first_lon = fixed[0]
    encoded: list[tuple] = [(first_lat / STEPS_PER_DEGREE, first_lon / STEPS_PER_DEGREE)]
    for (lat0, lon0), (lat1, lon1) in zip(fixed, fixed[1:]):
        encoded.append((lat1 - lat0, lon1 - lon0))
    return encoded


def points(steps: Sequence[Sequence]) -> list[tuple[float, float]]:
    """The points (lat, lon, in degrees) of ``_steps``' output, or of rows
    whose first two fields are such steps (``encode_places``' rows): what
    the script draws.

    >>> points([(52.12346, -1.5), (54, -110)])
    [(52.12346, -1.5), (52.124, -1.5011)]
    >>> points([[52.0, -1.0, 1, 0, "Hall"], [0, 0, 0, 0, "Lunch"]])
    [(52.0, -1.0), (52.0, -1.0)]
    """
    found: list[tuple[float, float]] = []
    lat = lon = 0
    for index, row in enumerate(steps):
        if index == 0:
            lat, lon = _fixed(row[0], row[1])
        else:
            lat, lon = lat + int(row[0]), lon + int(row[1])
        found.append((lat / STEPS_PER_DEGREE, lon / STEPS_PER_DEGREE))
    return found


def _ring(corners) -> list[float | int]:
    """A ring of (lat, lon) points as ``_steps`` writes them, flat (a
    hexagon's corners in half the characters).

    >>> _ring([(52.123456, -1.5), (52.124, -1.5011), (52.123456, -1.5)])
    [52.12346, -1.5, 54, -110, -54, 110]
    """
    return [value for step in _steps([_fixed(lat, lon) for lat, lon in corners]) for value in step]


def encode_cells(
    rows: Sequence[dict], band: Callable[[dict], int | None], gap: Callable[[dict], bool]
) -> list[list]:
    """Each shown cell as ``[name, people, at_risk, gap_score, groups,
    step_free_groups, band, gap, boundary]``: ``at_risk`` and
    ``gap_score`` None when withheld (``band`` too), ``gap`` 1 or 0,
    ``boundary`` as ``_ring`` writes it.

    >>> cell = {"name": "ZZ1 2", "people": 9, "at_risk": None, "gap_score": None,
    ...         "groups_within_walk": 0, "accessible_groups_within_walk": 0,
    ...         "boundary": [[52.0, -1.0], [52.1, -1.0], [52.1, -1.1]]}
    >>> encode_cells([cell], lambda c: None, lambda c: False)
    [['ZZ1 2', 9, None, None, 0, 0, None, 0, [52.0, -1.0, 10000, 0, 0, -10000]]]
    """
    encoded = []
    for cell in rows:
        at_risk = cell.get("at_risk")
        encoded.append(
            [
                map_text(cell["name"]),
                int(cell["people"]),
                None if at_risk is None else int(at_risk),
                None if at_risk is None else round(float(cell["gap_score"]), 2),
                int(cell["groups_within_walk"] or 0),
                int(cell["accessible_groups_within_walk"] or 0),
                band(cell),
                1 if gap(cell) else 0,
                _ring(cell["boundary"]),
            ]
        )
    return encoded


def encode_places(
    places: Sequence[dict], palette: dict[str, int], colour_by: str, labels: dict[str, str]
) -> dict:
    """Groups and spaces, sorted by where they are: ``{"orgs": [...],
    "labels": [...], "looks": [[kind, step_free, colour]], "rows": [[lat,
    lon, look, org, name, interests, audiences]]}`` with (lat, lon) as
    ``_steps`` writes them (the first row's in degrees, then each the step
    from the row before), look an index into ``looks`` (kind 0 for a group
    and 1 for a space, step_free 1 or 0, colour the palette's index, or
    ``OTHER``, ``SPACE``: each marker's look listed once), org an index into
    ``orgs``, and interests and audiences indexes into ``labels``, left off
    the row's end when empty.

    >>> hall = {"kind": "space", "name": "Hall", "organisation": "Trust", "latitude": 52.0,
    ...         "longitude": -1.0, "step_free": True, "interests": [], "audiences": []}
    >>> lunch = hall | {"kind": "group", "name": "Lunch", "latitude": 51.99999,
    ...                 "step_free": False, "audiences": ["carers"]}
    >>> encoded = encode_places([hall, lunch], {}, "interest", {"carers": "Carers"})
    >>> encoded["rows"], encoded["looks"], encoded["labels"]
    ([[51.99999, -1.0, 0, 0, 'Lunch', [], [0]], [1, 0, 1, 0, 'Hall']], [[0, 0, -1], [1, 1, -2]], ['Carers'])
    """
    orgs: dict[str, int] = {}
    words: dict[str, int] = {}
    looks: dict[tuple[int, int, int], int] = {}

    def index(table: dict[str, int], text: str) -> int:
        return table.setdefault(map_text(text), len(table))

    field = "interests" if colour_by == "interest" else "audiences"
    fixed = [_fixed(place["latitude"], place["longitude"]) for place in places]
    # Sorted, neighbours' steps are short (and a group at its space is 0, 0).
    order = sorted(range(len(places)), key=fixed.__getitem__)
    steps = _steps([fixed[i] for i in order])
    rows = []
    for i, step in zip(order, steps, strict=True):
        place = places[i]
        if place["kind"] == "space":
            colour = SPACE
        else:
            colour = next((palette[v] for v in place[field] if v in palette), OTHER)
        look = (1 if place["kind"] == "space" else 0, 1 if place["step_free"] else 0, colour)
        row = [
            *step,
            looks.setdefault(look, len(looks)),
            index(orgs, place["organisation"]),
            map_text(place["name"]),
            [index(words, labels.get(v, v)) for v in place["interests"]],
            [index(words, labels.get(v, v)) for v in place["audiences"]],
        ]
        while row[-1] == [] and len(row) > 5:
            row.pop()
        rows.append(row)
    return {
        "orgs": list(orgs),
        "labels": list(words),
        "looks": [list(look) for look in looks],
        "rows": rows,
    }


def encode_coverage(coverage: Sequence[dict], place_rows: Sequence[list]) -> dict:
    """Walking distance around active groups: ``{"radius_m": r, "at":
    [...], "points": [[lat, lon]]}``, each circle by the index of the
    place row at its centre (``encode_places``' rows: a group's circle is
    round the group), the indexes in order, each written as the step from
    the one before (the first from 0), or, when no place is there, by its
    point. Every circle has the one walking distance (``ValueError``
    otherwise).

    >>> rows = [[52.0, -1.0, 0, 0, "Lunch"], [0, 1, 0, 0, "Tea"]]
    >>> encode_coverage([{"latitude": 52.0, "longitude": -0.99999, "radius_m": 800.0},
    ...                  {"latitude": 52.1, "longitude": -1.0, "radius_m": 800.0},
    ...                  {"latitude": 52.0, "longitude": -1.0, "radius_m": 800.0}], rows)
    {'radius_m': 800, 'at': [0, 1], 'points': [[52.1, -1.0]]}
    """
    radii = {round(float(row["radius_m"])) for row in coverage}
    if len(radii) > 1:
        raise ValueError(f"walking distances differ ({sorted(radii)}): the map draws one")
    where: dict[tuple[int, int], int] = {}
    for i, (lat, lon) in enumerate(points(place_rows)):
        where.setdefault(_fixed(lat, lon), i)
    at, elsewhere = [], []
    for row in coverage:
        point = _fixed(row["latitude"], row["longitude"])
        if point in where:
            at.append(where[point])
        else:
            elsewhere.append([_degrees(row["latitude"]), _degrees(row["longitude"])])
    at.sort()
    steps = [b - a for a, b in zip([0, *at], at)]
    return {"radius_m": radii.pop() if radii else 0, "at": steps, "points": elsewhere}


def tie_width(links: int) -> int:
    """A tie's line width in pixels: wider for more links, at most 12.

    >>> [tie_width(n) for n in (1, 3, 9)]
    [4, 8, 12]
    """
    return min(2 + 2 * int(links), 12)


def encode_network(nodes: Sequence[dict], links: Sequence[dict]) -> dict:
    """Organisations and their ties: ``{"nodes": [[lat, lon, broker, name,
    sector]], "sectors": [...], "links": [a, b, links, kinds, ...], "kinds":
    [...], "widths": [...]}`` with sector an index into ``sectors``; each
    tie four numbers in ``links``, the ties in order of a then b, with a
    and b indexes into ``nodes`` each written as the step from the tie
    before's (the first from 0), kinds an index into ``kinds`` (the kinds of
    link, in words, e.g. "referral, shared space"), and ``widths[n]`` the
    line width of a tie of n links (``tie_width``).

    >>> church = {"id": 7, "name": "Church", "sector_label": "Faith", "latitude": 52.0,
    ...           "longitude": -1.0, "broker": True}
    >>> surgery = church | {"id": 9, "name": "Surgery", "broker": False}
    >>> hall = church | {"id": 4, "name": "Hall", "broker": False}
    >>> ties = [{"source": 7, "target": 9, "weight": 3, "kinds": ["shared_space"]},
    ...         {"source": 4, "target": 9, "weight": 1, "kinds": ["referral"]}]
    >>> network = encode_network([church, surgery, hall], ties)
    >>> network["links"], network["kinds"], network["widths"][3], network["sectors"]
    ([0, 1, 3, 0, 2, 0, 1, 1], ['shared space', 'referral'], 8, ['Faith'])
    """
    position = {node["id"]: i for i, node in enumerate(nodes)}
    kinds: dict[str, int] = {}
    sectors: dict[str, int] = {}
    ties = []
    for link in links:
        words = map_text(", ".join(link["kinds"]).replace("_", " "))
        # a and b as given: the popup names them in this order.
        ties.append(
            (
                position[link["source"]],
                position[link["target"]],
                int(link["weight"]),
                kinds.setdefault(words, len(kinds)),
            )
        )
    ties.sort()
    flat: list[int] = []
    a0 = b0 = 0
    for a, b, weight, kind in ties:
        flat += [a - a0, b - b0, weight, kind]
        a0, b0 = a, b
    return {
        "nodes": [
            [
                _degrees(node["latitude"]),
                _degrees(node["longitude"]),
                1 if node["broker"] else 0,
                map_text(node["name"]),
                sectors.setdefault(map_text(node["sector_label"]), len(sectors)),
            ]
            for node in nodes
        ],
        "sectors": list(sectors),
        "links": flat,
        "kinds": list(kinds),
        "widths": [tie_width(n) for n in range(1 + max((t[2] for t in ties), default=0))],
    }


def _polygons(geometry: dict) -> list[list[list[float]]]:
    """A GeoJSON Polygon or MultiPolygon (lon, lat) as polygons of
    (lat, lon) rings as ``_ring`` writes them; anything else as none.

    >>> _polygons({"type": "Polygon", "coordinates": [[[-1.0, 52.0], [-1.1, 52.0], [-1.0, 52.1]]]})
    [[[52.0, -1.0, 0, -10000, 10000, 10000]]]
    """
    if geometry.get("type") == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry.get("type") == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return []
    return [
        [_ring([(lat, lon) for lon, lat, *_ in ring]) for ring in polygon] for polygon in polygons
    ]


def encode_need(area_need: dict | None) -> dict | None:
    """The area need layer: ``{"name": ..., "areas": [[name, decile,
    polygons]]}`` (polygons as ``_polygons`` gives them), or None."""
    if area_need is None:
        return None
    return {
        "name": map_text(area_need["name"]),
        "areas": [
            [
                map_text(area["name"]),
                min(max(int(area["decile"]), 1), 10),
                _polygons(area["geometry"]),
            ]
            for area in area_need.get("areas", ())
        ],
    }
