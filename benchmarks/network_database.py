"""The network report end to end, from a real database.

    BETTERWAY_INSTANCE=/tmp/big DATABASE_URL=sqlite:////tmp/big/big.db \\
        .venv/bin/flask --app wsgi demo --people 100000
    BETTERWAY_INSTANCE=/tmp/big DATABASE_URL=sqlite:////tmp/big/big.db \\
        .venv/bin/python benchmarks/network_database.py

``benchmarks/network.py`` times the pure analyses on an area built in
memory; this times what the council's page and ``flask network report`` do
on a database that holds a whole area: loading every record (one query per
table), the whole report (graph, people, connectors, cells, coverage,
organisation network) and the key of its cache (the versions of the tables it
reads: ``network.report_store.report_key``). Target (issue 4): the whole
report under 30 s for an area of 100,000 people.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from betterway_map import create_app
    from betterway_map.network.loader import load_area, settings
    from betterway_map.network.report import build_report
    from betterway_map.network.report_store import report_key
    from config import CONFIGS

    app = create_app(CONFIGS["development"])
    with app.app_context():
        steps = {}
        started = time.perf_counter()
        area = load_area()
        steps["load every record"] = time.perf_counter() - started
        config = settings()
        mark = time.perf_counter()
        report_key(area.today, config)
        steps["cache key"] = time.perf_counter() - mark
        mark = time.perf_counter()
        report = build_report(area, config)
        steps["whole report"] = time.perf_counter() - mark
        total = time.perf_counter() - started
    print(
        f"Area: {len(area.people):,} people, {len(area.groups):,} groups, "
        f"{len(area.spaces):,} spaces, {len(area.organisations):,} organisations, "
        f"{len(area.attendances) + len(area.ties) + len(area.partnerships):,} attendances, "
        "ties and partnerships"
    )
    for name, seconds in steps.items():
        print(f"  {name:<22} {seconds:7.2f} s")
    print(f"  {'total':<22} {total:7.2f} s   (target: under 30 s)")
    totals = report["totals"]
    print(f"  {totals['cells_shown']} cells shown, {totals['cells_suppressed']} suppressed")
    sys.exit(0 if total < 30 else 1)


if __name__ == "__main__":
    main()
