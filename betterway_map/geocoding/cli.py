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

__all__ = ["gazetteer", "areas_cli"]

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


areas_cli = AppGroup("areas", help="Area indicators: a figure per small area, with boundaries.")


@areas_cli.command("import")
@click.argument(
    "values_csv", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)
)
@click.option(
    "--boundaries",
    "boundaries",
    required=True,
    type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
    help="GeoJSON FeatureCollection of the areas' boundaries (WGS 84 longitude, latitude).",
)
@click.option("--name", help="The indicator's name (default: the CSV file's name).")
@click.option("--source", default="", help="Who publishes it and where.")
@click.option("--licence", default="", help="Its licence, e.g. 'Open Government Licence v3.0'.")
@click.option("--value-label", default=None, help="What the value is (default: its column's name).")
@click.option("--lower-is-more-need", is_flag=True, help="For ranks, where 1 is the most in need.")
@click.option("--replace", is_flag=True, help="Replace the indicator of the same name.")
def import_areas_command(
    values_csv: Path,
    boundaries: Path,
    name: str | None,
    source: str,
    licence: str,
    value_label: str | None,
    lower_is_more_need: bool,
    replace: bool,
) -> None:
    """Load an indicator: VALUES_CSV (area code -> value) and its boundaries.

    All or nothing; run again with --replace to replace an indicator of the
    same name. Deciles: 1 is the tenth of areas most in need.
    """
    from flask import current_app
    from marshmallow import ValidationError

    from betterway_map.errors import BetterWayError
    from betterway_map.geocoding.areas import DEFAULT_MAX_FILE_BYTES, import_indicator
    from betterway_map.geocoding.schemas import AreaIndicatorSchema
    from betterway_map.web.forms import flat_errors

    max_bytes = int(current_app.config.get("AREA_IMPORT_MAX_BYTES") or DEFAULT_MAX_FILE_BYTES)
    for path in (values_csv, boundaries):
        size = path.stat().st_size
        if size > max_bytes:
            raise click.ClickException(
                f"{path.name} is {size / 1e6:.1f} MB; at most {max_bytes / 1e6:g} MB is accepted "
                "(AREA_IMPORT_MAX_BYTES). Nothing was imported."
            )
    try:
        details = AreaIndicatorSchema().load(
            {
                "name": name or values_csv.stem,
                "source": source,
                "licence": licence,
                "value_label": value_label,
                "higher_is_more_need": not lower_is_more_need,
                "replace": replace,
            }
        )
    except ValidationError as error:
        problems = "; ".join(
            f"--{field.replace('_', '-')}: {' '.join(messages)}"
            for field, messages in flat_errors(error.messages).items()
        )
        raise click.ClickException(f"{problems} Nothing was imported.") from None
    try:
        found = import_indicator(
            values_csv.read_bytes(), boundaries.read_bytes(), details, None, max_bytes
        )
    except BetterWayError as error:
        raise click.ClickException(error.message) from None
    except SQLAlchemyError as error:
        raise click.ClickException(
            f"The database refused the import ({error.__class__.__name__}): nothing was "
            "imported. Has `flask db upgrade` been run?"
        ) from None
    click.echo(f"Imported {details['name']!r}.")
    for line in found.lines():
        click.echo(line)
