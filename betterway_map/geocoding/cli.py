"""``flask gazetteer import FILE [FILE ...]``: load postcode files.

A thin wrapper over ``geocoding.gazetteer.import_postcode_files`` with a
progress bar (tqdm, by bytes of the files read) and the closing report.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError
from tqdm import tqdm

from betterway_map.domain.geo.postcode_files import GazetteerFileError
from betterway_map.geocoding.gazetteer import import_postcode_files

__all__ = ["gazetteer"]

gazetteer = AppGroup("gazetteer", help="The postcode gazetteer used by place search.")


@gazetteer.command("import")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def import_command(files: tuple[Path, ...], quiet: bool) -> None:
    """Load ONS-style postcode CSV files (plain or .gz) into the gazetteer.

    Columns are found by name (postcode/pcds/pcd, lat/latitude,
    long/lon/longitude). Re-running is safe: postcodes already there are
    updated, never duplicated. All or nothing: if it stops part-way, the
    postcodes in use have not changed and it can simply be run again. On
    SQLite it builds a copy in short steps and swaps it in at the end, so
    the site keeps taking writes meanwhile.
    """
    total = sum(path.stat().st_size for path in files)
    bar = tqdm(total=total, unit="B", unit_scale=True, desc="Importing", disable=quiet, leave=False)

    def progress(done: int) -> None:
        bar.update(done - bar.n)

    try:
        report = import_postcode_files(files, progress=progress)
    except GazetteerFileError as error:
        raise click.ClickException(f"{error} Nothing was imported.") from None
    except SQLAlchemyError as error:
        raise click.ClickException(
            f"The database refused the import ({error.__class__.__name__}): nothing was "
            "imported. Has `flask db upgrade` been run?"
        ) from None
    except KeyboardInterrupt:
        raise click.ClickException(
            "Stopped: nothing was imported (the import is all or nothing). Run it again "
            "to load the files."
        ) from None
    finally:
        bar.close()
    for line in report.lines():
        click.echo(line)
