"""``flask calendars import FILE_OR_URL --organisation ...``: import an
organisation's calendar from a ``.ics`` file, or from a web address when
``CALENDAR_FETCH`` is on, and print the report."""

from __future__ import annotations

import re
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from betterway_map.errors import BetterWayError
from betterway_map.interop.calendars.imports import service
from betterway_map.interop.calendars.imports.fetching import fetch_calendar

__all__ = ["calendars_cli"]

calendars_cli = AppGroup("calendars", help="Calendars (iCalendar, .ics) of organisations.")

_ADDRESS = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@calendars_cli.command("import")
@click.argument("source")
@click.option(
    "--organisation",
    "organisation",
    required=True,
    help="The organisation's number, or its exact name.",
)
@click.option("--dry-run", is_flag=True, help="Report what would be done; write nothing.")
def import_command(source: str, organisation: str, dry_run: bool) -> None:
    """Import SOURCE (a .ics file, or a web address when CALENDAR_FETCH is on)
    into the organisation: repeating events become groups, single events its
    events. All or nothing; running it again updates by UID."""
    settings = service.fetch_settings(current_app.config)
    try:
        found = service.organisation_named(organisation)
        if _ADDRESS.match(source):
            data = fetch_calendar(source, settings)
        else:
            data = _read(Path(source), settings.max_bytes)
        report = service.import_calendar(None, found.id, data, source, dry_run=dry_run)
    except BetterWayError as error:
        raise click.ClickException(error.message) from None
    except SQLAlchemyError as error:
        raise click.ClickException(
            f"The database refused the import ({error.__class__.__name__}): nothing was "
            "imported. Has `flask db upgrade` been run?"
        ) from None
    if dry_run:
        click.echo("Dry run: nothing was written.")
    for line in report.lines():
        click.echo(line)


def _read(path: Path, max_bytes: int) -> bytes:
    if not path.is_file():
        raise click.ClickException(f"There is no file {str(path)!r}. Nothing was imported.")
    size = path.stat().st_size
    if size > max_bytes:
        raise click.ClickException(
            f"{path.name} is {size / 1e6:.1f} MB; at most {max_bytes / 1e6:g} MB is imported "
            "(CALENDAR_IMPORT_MAX_BYTES). Nothing was imported."
        )
    return path.read_bytes()
