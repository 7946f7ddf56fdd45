"""The network report on a large synthetic area, and coverage against the naive peer.

    .venv/bin/python benchmarks/network.py [--people N] [--groups N] [--spaces N]
        [--organisations N] [--peer-people N] [--peer-groups N] [--seed N]

Two measurements in one run, all in memory (no database):

* the whole report on an area of 100,000 people, 5,000 groups, 5,000
  spaces and 500 organisations (about half a million edges: attendances,
  ties, matches, partnerships) from ``tests.factories.synthetic_area``, with groups given
  random audiences and age ranges so that suitability matters: the
  people's statuses, the organisation network, the H3 cells and coverage,
  each step timed, then the total; then the graph and connectors of the
  workers' pages, apart;
* coverage against the naive peer — ``geopy.distance.geodesic`` from every
  at-risk person to every suitable group, stopping at the first within
  walking distance — on a sub-area the peer can finish (``--peer-people``
  at-risk people, ``--peer-groups`` groups, sampled from the same area),
  asserting that both find exactly the same people covered and give the
  same Coverage figures, then printing both times and the ratio.

Targets (issue 4): the whole report under 30 s; coverage at least 100x
faster than the peer.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geopy.distance import geodesic  # noqa: E402

from betterway_map.domain.network.cells import area_cells, shown_totals  # noqa: E402
from betterway_map.domain.network.connectors import connectors  # noqa: E402
from betterway_map.domain.network.coverage import (  # noqa: E402
    at_risk_people,
    coverage,
    covered_person_ids,
    suitable,
    summarise,
)
from betterway_map.domain.network.graph import build_graph  # noqa: E402
from betterway_map.domain.network.inputs import Area  # noqa: E402
from betterway_map.domain.network.isolation import person_statuses  # noqa: E402
from betterway_map.domain.network.organisation_network import organisation_network  # noqa: E402
from tests.factories.synthetic_area import synthetic_area  # noqa: E402

# (audiences, age_min, age_max) given to groups, with their weights.
_GROUP_KINDS = (
    (((), None, None), 5),
    ((("everyone",), None, None), 3),
    ((("older_people",), None, None), 3),
    ((("older_people",), 60, None), 2),
    ((("older_people",), 75, None), 1),
    ((("carers",), None, None), 1),
    ((("parents",), 18, 49), 1),
)


def with_group_kinds(area: Area, seed: int) -> Area:
    """The same area with groups given audiences and age ranges, repeatably."""
    rng = random.Random(seed)
    kinds, weights = zip(*_GROUP_KINDS, strict=True)
    groups = []
    for group in area.groups:
        audiences, age_min, age_max = rng.choices(kinds, weights)[0]
        groups.append(replace(group, audiences=audiences, age_min=age_min, age_max=age_max))
    area.groups = groups
    return area


def timed(label: str, work):
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    print(f"  {label:<28} {seconds:8.2f} s", flush=True)
    return result, seconds


def report(area: Area, walking_m: float, resolution: int) -> tuple[dict, float]:
    """Run the steps of the area report, printing each; return the results and the total.

    The graph and connectors (a worker's page, not the area report) are
    timed after it, apart from its total.
    """
    steps = {}
    total = 0.0
    steps["assessments"], seconds = timed("people", lambda: person_statuses(area))
    total += seconds
    steps["organisations"], seconds = timed(
        "organisation network", lambda: organisation_network(area)
    )
    total += seconds
    assessments = steps["assessments"]
    steps["cells"], seconds = timed(
        "cells", lambda: area_cells(area, assessments, resolution, walking_m)
    )
    total += seconds
    steps["coverage"], seconds = timed(
        "coverage", lambda: coverage(area, assessments, walking_m, resolution=resolution)
    )
    total += seconds
    print(f"  {'whole report':<28} {total:8.2f} s", flush=True)
    graph, _ = timed("graph (workers' pages)", lambda: build_graph(area))
    timed("connectors (workers' pages)", lambda: connectors(area, graph=graph))
    return steps, total


def naive_covered(area: Area, assessments, walking_m: float) -> frozenset[int]:
    """The peer: geopy from each at-risk person to each suitable group in turn."""
    covered = set()
    for person in at_risk_people(area, assessments):
        home = (person.latitude, person.longitude)
        if any(
            geodesic(home, (group.latitude, group.longitude)).m <= walking_m
            for group in area.groups
            if suitable(group, person.age_band)
        ):
            covered.add(person.id)
    return frozenset(covered)


def peer_area(area: Area, assessments, people: int, groups: int, seed: int) -> Area:
    """A sub-area: ``people`` at-risk people and ``groups`` located active groups."""
    rng = random.Random(seed)
    at_risk = at_risk_people(area, assessments)
    located = [g for g in area.groups if g.status == "active" and g.latitude is not None]
    return Area(
        today=area.today,
        people=rng.sample(at_risk, min(people, len(at_risk))),
        groups=rng.sample(located, min(groups, len(located))),
    )


def compare_with_peer(sub: Area, assessments, walking_m: float, resolution: int) -> float:
    ours, ours_s = timed(
        "coverage (ours)",
        lambda: covered_person_ids(sub, assessments, walking_m, resolution),
    )
    peer, peer_s = timed(
        "coverage (geopy peer)", lambda: naive_covered(sub, assessments, walking_m)
    )
    assert ours == peer, f"ours and the peer differ on {sorted(ours ^ peer)[:10]}"
    people = at_risk_people(sub, assessments)
    assert summarise(people, ours, walking_m) == summarise(people, peer, walking_m)
    ratio = peer_s / ours_s
    print(f"  identical answers: {len(ours)} of {len(people)} at-risk people covered")
    print(f"  ours {ours_s:.3f} s, peer {peer_s:.2f} s: {ratio:,.0f}x faster", flush=True)
    return ratio


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--groups", type=int, default=5_000)
    parser.add_argument("--spaces", type=int, default=5_000)
    parser.add_argument("--organisations", type=int, default=500)
    parser.add_argument("--peer-people", type=int, default=2_000)
    parser.add_argument("--peer-groups", type=int, default=2_000)
    parser.add_argument("--walking-m", type=float, default=800.0)
    parser.add_argument("--resolution", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    area = synthetic_area(
        people=args.people,
        groups=args.groups,
        spaces=args.spaces,
        organisations=args.organisations,
        seed=args.seed,
    )
    area = with_group_kinds(area, args.seed)
    edges = len(area.attendances) + len(area.ties) + len(area.matches) + len(area.partnerships)
    print(
        f"Synthetic area: {len(area.people):,} people, {len(area.groups):,} groups, "
        f"{len(area.spaces):,} spaces, {len(area.organisations):,} organisations, "
        f"{edges:,} edges (made in {time.perf_counter() - start:.1f} s)"
    )
    print("Whole report:")
    steps, total = report(area, args.walking_m, args.resolution)
    totals = shown_totals(steps["cells"])
    cov = steps["coverage"].overall
    print(
        f"  {totals.cells_shown} cells shown, {totals.cells_suppressed} suppressed; "
        f"{totals.at_risk:,} at risk in shown cells; coverage {cov.numerator:,} of "
        f"{cov.denominator:,} ({cov.share:.1%})"
    )
    sub = peer_area(area, steps["assessments"], args.peer_people, args.peer_groups, args.seed)
    print(
        f"Coverage against the peer ({len(sub.people):,} at-risk people x {len(sub.groups):,} groups):"
    )
    ratio = compare_with_peer(sub, steps["assessments"], args.walking_m, args.resolution)
    verdict = [
        f"whole report {total:.1f} s ({'under' if total < 30 else 'OVER'} 30 s)",
        f"coverage {ratio:,.0f}x the peer ({'at least' if ratio >= 100 else 'UNDER'} 100x)",
    ]
    print("Targets: " + "; ".join(verdict))
    return 0 if total < 30 and ratio >= 100 else 1


if __name__ == "__main__":
    sys.exit(main())
