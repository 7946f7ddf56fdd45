"""The council map for a whole area against the naive folium map, in one run.

    .venv/bin/python benchmarks/maps.py [--people 100000] [--groups 5000]
        [--spaces 5000] [--organisations 500] [--seed 0]

Run by hand (not part of the test suite). It builds the seeded synthetic
area of ``tests.factories.synthetic_area`` (100,000 people, 5,000 groups and
5,000 spaces, 500 organisations, over a box about 33 x 20 km; groups given
audiences and age ranges as ``benchmarks/network.py`` gives them), and a SQLite
database in a temporary folder by the real migrations holding a gazetteer
of made-up postcodes over the same box (one every 250 m or so), so that the
cells are named as on the council's page. Then, in the same run:

* **the figures**: the real code path of the council's page
  (``network.report.build_report``: people, cells with their names,
  coverage, the organisation network; then
  ``domain.network.map_layers.map_layers``), timed but not part of the map;
* **ours**: ``maps.council_layers.build_council_map`` on those figures, the
  builder the council page calls, to the HTML and script the page embeds
  and the data document its script fetches from its own URL (issue 15):
  the size counted is all three, the document raw (its gzip, what a
  browser transfers, is printed beside it);
* **the naive peer**: a folium map of the same figures the way folium's
  examples draw them, one ``Marker`` with a ``Popup`` per group and space and
  one per shown cell (at its centre, its figures in the popup), rendered to a
  whole HTML document (``Map.get_root().render()``);
* **the floor**: what ours carries with no code at all, its layers' data
  as compact JSON (``CouncilMap.document``); and, for comparison, the cells and
  places alone as compact RFC 7946 GeoJSON (a cell's hexagon and figures,
  each place's point and name), the obvious format for them, which our
  encoding (``maps.council_data``: lists, not objects; outlines as steps)
  beats.

It prints each one's size and time, the ratios, and the load average
(``/proc/loadavg``). Targets (issue 10): ours under 2 s and under 3 MB, and
at least 10 times smaller than the peer. Exit status 1 on a missed target.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import bench_app, load_average  # noqa: E402

MB = 1_000_000
TARGET_SECONDS = 2.0
TARGET_BYTES = 3 * MB
TARGET_RATIO = 10.0
POSTCODE_STEP_DEG = 0.0025  # about 280 m north-south, 170 m east-west
_INWARD = "ABDEFGHJLNPQRSTUWXYZ"


def gazetteer_rows(centre: tuple[float, float], spread_deg: float) -> list[dict]:
    """Made-up postcodes (``ZZ`` is no postal area) on a grid over the box:
    a district per 0.1 degree, a sector per 0.02 degree, so that cells get
    names such as "ZZ12 3 north", as real ones do."""
    lat0, lon0 = centre
    rows, taken = [], set()
    steps = int(2 * spread_deg / POSTCODE_STEP_DEG) + 1
    for i in range(steps):
        for j in range(steps):
            lat = lat0 - spread_deg + i * POSTCODE_STEP_DEG
            lon = lon0 - spread_deg + j * POSTCODE_STEP_DEG
            district = (
                1 + int((i * POSTCODE_STEP_DEG) / 0.1) * 4 + int((j * POSTCODE_STEP_DEG) / 0.1)
            )
            sector = (
                1
                + (int((i * POSTCODE_STEP_DEG) / 0.02) % 3) * 3
                + int((j * POSTCODE_STEP_DEG) / 0.02) % 3
            )
            unit = 0
            while True:
                first, second = divmod((i * steps + j + unit) % 400, 20)
                code = f"ZZ{district} {sector}{_INWARD[first]}{_INWARD[second]}"
                if code not in taken:
                    break
                unit += 1
            taken.add(code)
            rows.append({"postcode": code, "latitude": lat, "longitude": lon, "fictional": True})
    return rows


def figures(app, area) -> tuple[dict, dict, float]:
    """The report and the layers by the council page's own code; seconds."""
    from betterway_map.domain.network.map_layers import MapFilters, map_layers
    from betterway_map.domain.network.organisation_network import organisation_network
    from betterway_map.network.loader import settings
    from betterway_map.network.report import build_report

    with app.app_context():
        started = time.perf_counter()
        config = settings()
        report = build_report(area, config)
        network = organisation_network(area, window_days=config.window_days, seed=42)
        layers = map_layers(
            area, MapFilters(), config.walking_m, report["organisations"], network.graph
        )
        return report, layers, time.perf_counter() - started


def vocabulary() -> dict[str, str]:
    """Interest and audience codes to their labels, as the council page has them."""
    from betterway_map.domain import vocab

    return vocab.labels(vocab.INTERESTS) | vocab.labels(vocab.AUDIENCES)


def ours(report: dict, layers: dict) -> tuple[int, float, object]:
    from betterway_map.maps.council_layers import build_council_map

    labels = vocabulary()
    started = time.perf_counter()
    built = build_council_map(
        report["cells"],
        layers,
        tiles=None,
        labels=labels,
        data_url=lambda digest: f"/council/network/map/{digest}.json",
    )
    seconds = time.perf_counter() - started
    size = len(built.html.encode()) + len(built.script.encode()) + len(built.document.text)
    return size, seconds, built


def naive(report: dict, layers: dict, labels: dict[str, str]) -> tuple[int, float]:
    """One folium Marker with a Popup per group and space and per shown cell,
    each popup saying what ours says (the same figures and words)."""
    import folium

    started = time.perf_counter()
    fmap = folium.Map(location=(52.0, -1.5), zoom_start=13, tiles=None)
    for cell in report["cells"]:
        lats = [lat for lat, _ in cell["boundary"]]
        lons = [lon for _, lon in cell["boundary"]]
        lines = [f"<strong>{cell['name']}</strong>"]
        if cell["at_risk"] is None:
            lines.append("People at risk: too few people to show")
        else:
            lines.append(f"People at risk: {cell['at_risk']} of {cell['people']}")
            lines.append(f"Gap score: {cell['gap_score']:.2f}")
        lines.append(f"People registered: {cell['people']}")
        lines.append(
            "Suitable active groups within walking distance: "
            f"{cell['groups_within_walk']} ({cell['accessible_groups_within_walk']} step-free)"
        )
        folium.Marker(
            (sum(lats) / len(lats), sum(lons) / len(lons)), popup=folium.Popup("<br>".join(lines))
        ).add_to(fmap)
    for place in layers["places"]:
        kind = "Group" if place["kind"] == "group" else "Space"
        lines = [f"<strong>{place['name']}</strong>", f"{kind} of {place['organisation']}"]
        if place["interests"]:
            lines.append("Interests: " + ", ".join(labels.get(v, v) for v in place["interests"]))
        if place["audiences"]:
            lines.append("For: " + ", ".join(labels.get(v, v) for v in place["audiences"]))
        lines.append("Step-free access" if place["step_free"] else "Not step-free")
        folium.Marker(
            (place["latitude"], place["longitude"]), popup=folium.Popup("<br>".join(lines))
        ).add_to(fmap)
    html = fmap.get_root().render()
    return len(html.encode()), time.perf_counter() - started


def geojson(report: dict, layers: dict) -> int:
    """The cells and places alone, as compact GeoJSON."""
    features = [
        {
            "type": "Feature",
            "properties": {k: cell[k] for k in ("name", "people", "at_risk", "groups_within_walk")},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[round(lon, 5), round(lat, 5)] for lat, lon in cell["boundary"]]],
            },
        }
        for cell in report["cells"]
    ]
    features += [
        {
            "type": "Feature",
            "properties": {"name": place["name"], "kind": place["kind"]},
            "geometry": {
                "type": "Point",
                "coordinates": [round(place["longitude"], 5), round(place["latitude"], 5)],
            },
        }
        for place in layers["places"]
    ]
    document = {"type": "FeatureCollection", "features": features}
    return len(json.dumps(document, separators=(",", ":")).encode())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--groups", type=int, default=5_000)
    parser.add_argument("--spaces", type=int, default=5_000)
    parser.add_argument("--organisations", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from benchmarks.network import with_group_kinds
    from tests.factories.synthetic_area import CENTRE, SPREAD_DEG, synthetic_area

    started = time.perf_counter()
    area = synthetic_area(
        people=args.people,
        groups=args.groups,
        spaces=args.spaces,
        organisations=args.organisations,
        seed=args.seed,
    )
    area = with_group_kinds(area, args.seed)  # audiences and ages, as on benchmarks/network.py
    print(
        f"Synthetic area: {len(area.people):,} people, {len(area.groups):,} groups, "
        f"{len(area.spaces):,} spaces, {len(area.organisations):,} organisations "
        f"(made in {time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        from sqlalchemy import insert

        from betterway_map.extensions import db
        from betterway_map.geocoding.models import PostcodePoint

        app = bench_app(folder)
        with app.app_context():
            rows = gazetteer_rows(CENTRE, SPREAD_DEG)
            db.session.execute(insert(PostcodePoint), rows)
            db.session.commit()
        print(f"Gazetteer: {len(rows):,} made-up postcodes over the same box", flush=True)
        report, layers, figures_s = figures(app, area)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    cells = report["cells"]
    print(
        f"Figures (build_report + map_layers): {figures_s:.2f} s; {len(cells):,} cells shown, "
        f"{report['totals']['cells_suppressed']:,} withheld; {len(layers['places']):,} groups"
        f" and spaces; {len(layers['organisation_links']):,} organisation links",
        flush=True,
    )
    our_bytes, our_s, built = ours(report, layers)
    print(f"Ours  (build_council_map):  {our_bytes / MB:7.2f} MB in {our_s:6.2f} s", flush=True)
    parts = {
        key: len(json.dumps(value, separators=(",", ":"))) for key, value in built.data.items()
    }
    print("  of which data: " + ", ".join(f"{k} {v / 1000:,.0f} kB" for k, v in parts.items()))
    print(
        f"  the data document raw {len(built.document.text) / 1000:,.0f} kB, as transferred"
        f" (gzip, made once) {len(built.document.gzipped) / 1000:,.0f} kB; the page's part"
        f" (HTML and script) {(len(built.html) + len(built.script)) / 1000:,.0f} kB"
    )
    peer_bytes, peer_s = naive(report, layers, vocabulary())
    print(f"Naive (a Marker per place): {peer_bytes / MB:7.2f} MB in {peer_s:6.2f} s", flush=True)
    floor_bytes = len(built.document.text)
    print(f"Floor (our data, no code):  {floor_bytes / MB:7.2f} MB")
    print(f"GeoJSON of cells + places:  {geojson(report, layers) / MB:7.2f} MB")
    ratio = peer_bytes / our_bytes
    print(
        f"Ratios: the peer is {ratio:.1f}x our size and takes {peer_s / our_s:.1f}x our time; "
        f"ours is {our_bytes / floor_bytes:.2f}x the floor"
    )
    print(f"Load average: {load_average()}")
    verdict = [
        f"time {our_s:.2f} s ({'under' if our_s < TARGET_SECONDS else 'OVER'} 2 s)",
        f"size {our_bytes / MB:.2f} MB ({'under' if our_bytes < TARGET_BYTES else 'OVER'} 3 MB)",
        f"{ratio:.1f}x smaller than the peer ({'at least' if ratio >= TARGET_RATIO else 'UNDER'} 10x)",
    ]
    print("Targets: " + "; ".join(verdict))
    met = our_s < TARGET_SECONDS and our_bytes < TARGET_BYTES and ratio >= TARGET_RATIO
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
