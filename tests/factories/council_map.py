"""The council map's data as a browser gets it, and every point it draws.

The page names its data's URL in its script (``maps.council_script``);
``fetch_document`` reads that URL out of the page and asks for it as the
script does. ``drawn_points`` decodes every coordinate the document holds
(outlines and places are written as steps: ``maps.council_data``), so a
privacy test looks for a home among the points the map would draw, not for
its digits in the text.
"""

from __future__ import annotations

import json
import re

from betterway_map.maps.council_data import points

DATA_URL = re.compile(r'bwCouncilMap\([^,]+, "(?P<url>/council/network/map/[^"]+)"')


def data_url(page: str) -> str:
    """The data URL the page's map script fetches (JSON-escaped in the script)."""
    found = DATA_URL.search(page)
    assert found is not None, "the page's map names no data URL"
    return json.loads(f'"{found["url"]}"')


def fetch_document(client, page: str) -> dict:
    """The page's map data, as its script would get it (200, JSON)."""
    response = client.get(data_url(page), headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200, (response.status_code, response.get_data(as_text=True))
    return json.loads(response.get_data(as_text=True))


def _ring(flat: list) -> list[tuple[float, float]]:
    return points([flat[i : i + 2] for i in range(0, len(flat), 2)])


def drawn_points(document: dict) -> list[tuple[float, float]]:
    """Every (lat, lon) the document puts on the map, in degrees."""
    found = [p for cell in document["cells"] for p in _ring(cell[8])]
    places = points(document["places"]["rows"])
    found += places
    found += [(float(lat), float(lon)) for lat, lon in document["coverage"]["points"]]
    found += [(node[0], node[1]) for node in document["network"]["nodes"]]
    for area in (document.get("need") or {}).get("areas", ()):
        found += [p for polygon in area[2] for ring in polygon for p in _ring(ring)]
    return found


def near(point: tuple[float, float], found: list[tuple[float, float]], degrees=1e-5) -> bool:
    """Whether any of ``found`` is within ``degrees`` of ``point`` each way."""
    return any(
        abs(lat - point[0]) <= degrees and abs(lon - point[1]) <= degrees for lat, lon in found
    )
