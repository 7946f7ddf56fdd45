"""``flask network report`` and ``flask network snapshot``.

``report`` writes the area figures (CSV and GeoJSON for QGIS) into a folder;
``snapshot`` stores this month's figures for the trends (run it monthly,
e.g. from cron: ``0 6 1 * * cd /srv/betterway && .venv/bin/flask --app wsgi
network snapshot``). Both show only aggregated, suppressed figures.
``worker`` runs the queued recomputes of the council report (with
``NETWORK_REPORT_QUEUE=rq``; run one or more beside gunicorn).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from betterway_map.network.map_layers import council_map_data
from betterway_map.network.report import BUILD_STEPS, area_report
from betterway_map.network.report_files import REPORT_FILES, ReportError, write_report
from betterway_map.network.trends import take_snapshot

network_cli = AppGroup("network", help="The network: area report files and monthly snapshots.")


@network_cli.command("report")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("network-report"),
    show_default=True,
    help="The folder to write into (made if missing; files in it are replaced).",
)
def report_command(out: Path) -> None:
    """Write the council tables and each map layer as CSV and GeoJSON."""
    steps = (*BUILD_STEPS, *REPORT_FILES)
    with click.progressbar(length=len(steps), label="Working out the area figures") as bar:
        done: set[str] = set()

        def advance(name: str) -> None:
            if name not in done:
                done.add(name)
                bar.update(1)

        report = area_report(progress=advance, fresh=True)
        for name in BUILD_STEPS:  # skipped when the report came from the cache
            advance(name)
        data = council_map_data()
        try:
            paths = write_report(data, out, progress=advance)
        except ReportError as error:
            raise click.UsageError(str(error)) from None
    totals = report["totals"]
    overall = report["coverage"]["overall"]
    coverage = (
        "withheld (too few people)"
        if overall["suppressed"]
        else f"{100 * overall['share']:.0f}% ({overall['numerator']} of {overall['denominator']})"
    )
    click.echo(f"Wrote {len(paths)} files to {out}: {', '.join(REPORT_FILES)}")
    click.echo(
        f"Cells: {totals['cells_shown']} with figures, {totals['cells_suppressed']} withheld"
        f" (fewer than {report['min_cell_count']} people). People at risk in cells with figures:"
        f" {totals['at_risk_in_shown_cells']}. Coverage: {coverage}."
        f" Organisations: {report['organisations']['count']}"
        f" in {len(report['organisations']['components'])} networks."
    )


@network_cli.command("snapshot")
def snapshot_command() -> None:
    """Store this month's area figures for the trends (replaces this month's)."""
    snapshot = take_snapshot()
    click.echo(
        f"Snapshot for {snapshot.month:%B %Y} stored: {snapshot.cells_shown} cells with figures,"
        f" {snapshot.at_risk_in_shown_cells} people at risk in them."
    )


@network_cli.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs queued now, then stop.")
def worker_command(burst: bool) -> None:
    """Run the council report's queued recomputes (RQ, on REDIS_URL)."""
    from flask import current_app
    from rq import SimpleWorker

    from betterway_map.network.report_refresh import rq_queue

    try:
        queue = rq_queue(current_app)
    except RuntimeError as error:
        raise click.UsageError(str(error)) from None
    # SimpleWorker runs each job in this process, inside this command's app
    # context (a forked work horse would share the database connections).
    SimpleWorker([queue], connection=queue.connection).work(burst=burst, with_scheduler=False)
