"""``flask places ...``: put on the map the records that have a postcode but no point."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from betterway_map.people.services.directory import place_unplaced_homes
from betterway_map.register.services.spaces import place_unplaced_spaces

__all__ = ["places_cli"]

places_cli = AppGroup("places", help="Where spaces and homes are on the map.")


@places_cli.command("backfill")
def backfill_command() -> None:
    """Place every space and person home that has a postcode but no coordinates
    (e.g. after importing a postcode file). Safe to run again."""
    spaces, unplaced_spaces = place_unplaced_spaces()
    homes, unplaced_homes = place_unplaced_homes()
    click.echo(f"Placed {spaces} spaces and {homes} homes from their postcodes.")
    if unplaced_spaces or unplaced_homes:
        click.echo(
            f"{unplaced_spaces} spaces and {unplaced_homes} homes have postcodes that neither "
            "the gazetteer nor the geocoder knows: import a postcode file that has them "
            "(`flask gazetteer import FILE`), or give their latitude and longitude."
        )
