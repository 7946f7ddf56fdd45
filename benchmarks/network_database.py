"""The network report end to end, from a real database, beside its peers.

    .venv/bin/python benchmarks/network_database.py [--people 100000] [--seed 0]
        [--database-url URL] [--folder DIR] [--reuse] [--peer auto|yes|no]

Writes a synthetic area straight into a database (``benchmarks/area_database.py``:
the schema from the real migrations, bulk inserts; SQLite in ``--folder``,
or an empty PostgreSQL database given by ``--database-url``), then measures,
each in a fresh process so that CPU time and peak memory are its own:

* **ours**: what ``flask network report`` and the background recompute do:
  ``load_area`` (one query per table) and ``build_report`` (people, cells,
  coverage, organisation network), each step timed;
* **the peer**: the same report the way it was computed before (issue 15):
  each person read from a typed ``networkx.MultiGraph`` of the whole area
  (``build_graph``) and networkx's own betweenness of the organisations.
  Skipped by default above 200,000 people (it would take many minutes);
* **the honest peer** and **the floor** for the people step, on the same
  active edges: a bare ``networkx.Graph`` loaded from the edge list and its
  isolated people; and a bare numpy pass (a ``bincount`` of the edge ends)
  with ``scipy.sparse.csgraph.connected_components`` over the same edges.

It checks that ours and the peer publish the same report (the same JSON)
and that all four find the same number of isolated people (exit status 1
otherwise), and prints CPU seconds, peak RSS and the ratios. Targets
(issue 15): under 5 s CPU and 400 MB at 100,000 people; under 60 s and
4 GB at 1,000,000.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PEER_LIMIT = 200_000
TARGETS = {100_000: (5.0, 400.0), 1_000_000: (60.0, 4096.0)}


def _app(database_url: str, folder: str):
    from betterway_map import create_app
    from config import DevelopmentConfig

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        NETWORK_REPORT_BACKGROUND = False

    os.environ["BETTERWAY_INSTANCE"] = folder
    return create_app(BenchConfig)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Clock:
    """CPU and wall seconds of named steps."""

    def __init__(self) -> None:
        self.steps: dict[str, dict[str, float]] = {}
        self._name = None

    def start(self, name: str) -> None:
        self.stop()
        self._name, self._cpu, self._wall = name, time.process_time(), time.perf_counter()

    def stop(self) -> None:
        if self._name is not None:
            self.steps[self._name] = {
                "cpu": time.process_time() - self._cpu,
                "wall": time.perf_counter() - self._wall,
            }
            self._name = None


def _use_the_networkx_way() -> None:
    """Make ``build_report`` compute as before: people read from the typed
    MultiGraph, organisation betweenness by networkx."""
    import networkx as nx

    from betterway_map.domain.network import organisation_network
    from betterway_map.domain.network.graph import build_graph
    from betterway_map.domain.network.isolation import assess_people
    from betterway_map.network import report

    def people_from_graph(area, window_days, today):
        return assess_people(area, window_days, today, graph=build_graph(area, window_days, today))

    report.person_statuses = people_from_graph
    organisation_network.betweenness = lambda graph, seed=None: (
        nx.betweenness_centrality(graph),
        None,
    )


def measure(which: str, database_url: str, folder: str) -> dict:
    """Run in a child process: load and report, timed; the answers to compare."""
    import logging

    logging.disable(logging.INFO)
    from betterway_map.network.loader import load_area, settings
    from betterway_map.network.report import build_report

    if which == "peer":
        _use_the_networkx_way()
    app = _app(database_url, folder)
    clock = _Clock()
    with app.app_context():
        config = settings()
        clock.start("load")
        area = load_area()
        clock.stop()
        report = build_report(area, config, progress=clock.start)
        clock.stop()
        peak = _peak_mb()
        from betterway_map.network import report as report_module

        isolated = sum(
            1
            for found in report_module.person_statuses(
                area, config.window_days, area.today
            ).values()
            if found.status == "isolated"
        )
    published = json.dumps(report, sort_keys=True, default=str).encode()
    result = {
        "steps": clock.steps,
        "peak_mb": peak,
        "report_sha256": hashlib.sha256(published).hexdigest(),
        "isolated": isolated,
        "records": {
            "people": len(area.people),
            "attendances": len(area.attendances),
            "ties": len(area.ties),
            "groups": len(area.groups),
            "organisations": len(area.organisations),
        },
        "organisation_links": report["organisations"]["links"],
        "cells_shown": report["totals"]["cells_shown"],
    }
    if which == "ours":
        result["bare"] = _bare_isolated(area, config.window_days)
    return result


def _bare_isolated(area, window_days: int) -> dict:
    """Isolated people three ways, each timed from the same records.

    The honest peer: the active person edges by the rules of ``edges``
    (a Python pass over the records) loaded into a bare ``networkx.Graph``,
    and its people with no edge. The floor: a bare numpy pass over those
    edges (already extracted, untimed), a ``bincount`` of their ends, with
    ``scipy.sparse.csgraph.connected_components``. Ours: ``tie_summary``.
    """
    import networkx as nx
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from betterway_map.domain.network.edges import PERSON_EDGE_KINDS, edges
    from betterway_map.domain.network.person_ties import tie_summary

    out = {}
    cpu = time.process_time()
    pairs = [
        (e.u, e.v) for e in edges(area, window_days) if e.active and e.kind in PERSON_EDGE_KINDS
    ]
    people = [("person", p.id) for p in area.people]
    graph = nx.Graph()
    graph.add_nodes_from(people)
    graph.add_edges_from(pairs)
    out["honest_isolated"] = sum(1 for node in people if graph.degree(node) == 0)
    out["honest_cpu"] = time.process_time() - cpu
    number = {node: i for i, node in enumerate(people)}
    for u, v in pairs:
        number.setdefault(u, len(number))
        number.setdefault(v, len(number))
    ends = np.array([(number[u], number[v]) for u, v in pairs], dtype=np.int64).reshape(-1, 2)
    cpu = time.process_time()
    degree = np.bincount(ends.ravel(), minlength=len(number))
    out["floor_isolated"] = int((degree[: len(people)] == 0).sum())
    matrix = coo_matrix((np.ones(len(ends)), (ends[:, 0], ends[:, 1])), (len(number),) * 2)
    out["floor_components"] = int(connected_components(matrix, directed=False)[0])
    out["floor_cpu"] = time.process_time() - cpu
    cpu = time.process_time()
    summary = tie_summary(area, window_days, area.today)
    active = sum(summary.active.values()) if summary.active else np.zeros(len(summary.ids))
    ours = int((active == 0).sum())
    out["ours_cpu"] = time.process_time() - cpu
    # tie_summary counts each person id once; area.people lists each once too.
    out["ours_isolated"] = ours
    return out


def _child(which: str, database_url: str, folder: str) -> dict:
    out = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [
            sys.executable,
            __file__,
            "--measure",
            which,
            "--database-url",
            database_url,
            "--folder",
            folder,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"the {which} run failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _prepare(args) -> str:
    from flask_migrate import upgrade
    from sqlalchemy import create_engine

    from benchmarks.area_database import write_area

    database_url = args.database_url or f"sqlite:///{args.folder}/area.db"
    if args.reuse:
        return database_url
    app = _app(database_url, args.folder)
    with app.app_context():
        upgrade()
    started = time.perf_counter()
    engine = create_engine(database_url)
    sizes = write_area(engine, args.people, args.seed, progress=lambda line: None)
    engine.dispose()
    print(
        f"Wrote {sizes['people']:,} people, {sizes['groups']:,} groups, {sizes['spaces']:,} "
        f"spaces, {sizes['organisations']:,} organisations in "
        f"{time.perf_counter() - started:.0f} s ({database_url.split(':')[0]})",
        flush=True,
    )
    return database_url


def _row(name: str, figures: dict | None) -> str:
    if figures is None:
        return f"  {name:<24} {'-':>9} {'-':>9}"
    return f"  {name:<24} {figures['cpu']:9.2f} {figures['wall']:9.2f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--folder", default=None)
    parser.add_argument("--reuse", action="store_true", help="the database holds the area already")
    parser.add_argument("--peer", choices=("auto", "yes", "no"), default="auto")
    parser.add_argument("--measure", choices=("ours", "peer"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.folder = args.folder or tempfile.mkdtemp(prefix="network-database-")
    if args.measure:
        print(json.dumps(measure(args.measure, args.database_url, args.folder)))
        return 0
    print(f"Load average {open('/proc/loadavg').read().split()[:3]}", flush=True)
    database_url = _prepare(args)
    ours = _child("ours", database_url, args.folder)
    run_peer = args.peer == "yes" or (args.peer == "auto" and args.people <= PEER_LIMIT)
    peer = _child("peer", database_url, args.folder) if run_peer else None
    records = ours["records"]
    print(
        f"Area loaded: {records['people']:,} people, {records['attendances']:,} attendances, "
        f"{records['ties']:,} ties, {records['groups']:,} groups, "
        f"{records['organisations']:,} organisations ({ours['organisation_links']:,} links)"
    )
    print(
        f"  {'step (seconds)':<24} {'ours CPU':>9} {'ours wall':>9}   {'peer CPU':>9} {'peer wall':>9}"
    )
    steps = list(ours["steps"])
    for step in steps:
        theirs = peer["steps"].get(step) if peer else None
        print(_row(step, ours["steps"][step]) + "  " + _row("", theirs)[26:])
    total = {kind: sum(s[kind] for s in ours["steps"].values()) for kind in ("cpu", "wall")}
    peer_total = (
        {kind: sum(s[kind] for s in peer["steps"].values()) for kind in ("cpu", "wall")}
        if peer
        else None
    )
    print(_row("whole (load + report)", total) + "  " + _row("", peer_total)[26:])
    print(
        f"  peak RSS: ours {ours['peak_mb']:,.0f} MB"
        + (f", peer {peer['peak_mb']:,.0f} MB" if peer else "")
    )
    ok = True
    people_cpu = ours["steps"]["people"]["cpu"]
    bare = ours["bare"]
    print("Isolated people from the records (CPU seconds, isolated people):")
    if peer:
        print(
            f"  peer: typed MultiGraph + assess    {peer['steps']['people']['cpu']:8.3f}  "
            f"{peer['isolated']:,}"
        )
    print(f"  ours: person_statuses (the report) {people_cpu:8.3f}  {ours['isolated']:,}")
    print(
        f"  honest peer: rules + bare nx.Graph {bare['honest_cpu']:8.3f}  "
        f"{bare['honest_isolated']:,}"
    )
    print(
        f"  ours: tie_summary alone            {bare['ours_cpu']:8.3f}  {bare['ours_isolated']:,}"
    )
    print(
        f"  floor: numpy + csgraph, edges made {bare['floor_cpu']:8.3f}  "
        f"{bare['floor_isolated']:,} ({bare['floor_components']:,} components)"
    )
    counts = {
        ours["isolated"],
        bare["honest_isolated"],
        bare["floor_isolated"],
        bare["ours_isolated"],
    }
    if peer:
        counts.add(peer["isolated"])
    if len(counts) != 1:
        print(f"  DIFFERENT isolated counts: {sorted(counts)}")
        ok = False
    ratios = [
        f"tie_summary {bare['honest_cpu'] / bare['ours_cpu']:.1f}x the honest peer",
        f"{bare['floor_cpu'] / bare['ours_cpu']:.2f} of the floor's speed",
    ]
    if peer:
        ratios.insert(
            0, f"person_statuses {peer['steps']['people']['cpu'] / people_cpu:.1f}x the peer"
        )
    print("  ours: " + ", ".join(ratios))
    if peer:
        same = peer["report_sha256"] == ours["report_sha256"]
        print(
            f"Whole report: {peer_total['cpu'] / total['cpu']:.1f}x the peer's CPU; "
            f"published report {'IDENTICAL' if same else 'DIFFERENT'} to the peer's"
        )
        ok &= same
    else:
        print(f"Peer skipped above {PEER_LIMIT:,} people (--peer yes runs it).")
    target = TARGETS.get(args.people)
    if target:
        cpu_ok, mb_ok = total["cpu"] < target[0], ours["peak_mb"] < target[1]
        print(
            f"Targets at {args.people:,} people: {total['cpu']:.1f} s CPU "
            f"({'under' if cpu_ok else 'OVER'} {target[0]:.0f} s), {ours['peak_mb']:,.0f} MB "
            f"({'under' if mb_ok else 'OVER'} {target[1]:,.0f} MB)"
        )
        ok &= cpu_ok and mb_ok
    print(f"Load average {open('/proc/loadavg').read().split()[:3]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
