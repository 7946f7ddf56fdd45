"""``flask register import CSV --kind spaces|groups --organisation ...``.

A council's spreadsheet of venues (or of the groups that meet at them)
into one organisation; see ``register.services.sheet_import``.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from tqdm import tqdm

from betterway_map.domain.register_rows import KINDS, SYNONYMS
from betterway_map.errors import BetterWayError
from betterway_map.register.services.sheet_import import find_organisation, import_sheet

__all__ = ["register_cli"]

register_cli = AppGroup("register", help="The register of organisations, spaces and groups.")


def _columns(pairs: tuple[str, ...], kind: str) -> dict[str, str]:
    columns = {}
    for pair in pairs:
        field, equals, header = pair.partition("=")
        if not equals or not field.strip() or not header.strip():
            raise click.BadParameter(
                f"{pair!r}: write it as FIELD=Header, e.g. postcode='Post Code'. FIELD is one of "
                f"{', '.join(SYNONYMS[kind])}.",
                param_hint="--column",
            )
        columns[field.strip()] = header.strip()
    return columns


@register_cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(KINDS), required=True, help="What each row is.")
@click.option(
    "--organisation", required=True, help="The organisation they belong to: its number or name."
)
@click.option(
    "--column",
    "column_pairs",
    multiple=True,
    metavar="FIELD=Header",
    help="Which column holds a field, where the names do not match by themselves "
    "(e.g. --column postcode='Post Code'); may be given more than once.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def import_command(
    csv_file: Path, kind: str, organisation: str, column_pairs: tuple[str, ...], quiet: bool
) -> None:
    """Import a spreadsheet saved as CSV (comma, semicolon or tab; UTF-8 or Excel's
    Windows-1252): rows with a problem are reported by row number and the rest
    import; rows marked closed are skipped and counted; importing again updates
    each row (found by its reference column, else its name and postcode)."""
    max_bytes = int(current_app.config["IMPORT_MAX_BYTES"])
    size = csv_file.stat().st_size
    if size > max_bytes:
        raise click.ClickException(
            f"{csv_file.name} is {size / 1e6:.1f} MB; at most {max_bytes / 1e6:g} MB is accepted "
            "(IMPORT_MAX_BYTES). Nothing was imported."
        )
    columns = _columns(column_pairs, kind)
    try:
        organisation_id = find_organisation(organisation)
        with tqdm(unit=" rows", disable=quiet, desc=csv_file.name[-40:]) as bar:
            report = import_sheet(
                csv_file.read_bytes(),
                csv_file.name,
                kind,
                organisation_id,
                None,
                columns=columns,
                progress=bar.update,
            )
    except BetterWayError as error:
        raise click.ClickException(error.message) from None
    for line in report.lines():
        click.echo(line)
