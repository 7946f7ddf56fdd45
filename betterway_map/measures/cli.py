"""``flask measures report``: the area's measures as CSV files.

The same tables as the council dashboard (continuity, quality, change,
equity, trends), every figure about people counted and suppressed.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from tqdm import tqdm

from betterway_map.domain.clock import today_in_uk
from betterway_map.measures.services.figures import area_figures
from betterway_map.measures.services.tables import REPORT_FILES, council_tables, write_tables

measures_cli = AppGroup("measures", help="Measures of relationships: the area report.")


def _folder(out: Path) -> Path:
    """``out``, made if missing; a clear UsageError when it cannot be."""
    if out.exists() and not out.is_dir():
        raise click.UsageError(f"--out {out} is a file, not a folder: give a folder to write into.")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise click.UsageError(
            f"--out {out} cannot be made ({error.strerror}): give a folder you can write to."
        ) from None
    probe = out / ".measures-write-check"
    try:
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise click.UsageError(
            f"--out {out} cannot be written to ({error.strerror}): give a folder you can write to."
        ) from None
    return out


@measures_cli.command("report")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("measures-report"),
    show_default=True,
    help="The folder to write into (made if missing; files in it are replaced).",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def report_command(out: Path, quiet: bool) -> None:
    """Write continuity, quality, change, equity and trends as CSV."""
    folder = _folder(out)
    min_count = int(current_app.config.get("MIN_CELL_COUNT", 5))
    with tqdm(total=1 + len(REPORT_FILES), desc="Measures report", disable=quiet) as bar:
        figures = area_figures(today_in_uk(), min_count)
        bar.update(1)
        paths = write_tables(council_tables(figures), folder, progress=lambda _: bar.update(1))
    click.echo(f"Wrote {len(paths)} files to {folder}: {', '.join(p.name for p in paths)}")
    click.echo(f"Figures about fewer than {min_count} people are left empty (withheld).")
