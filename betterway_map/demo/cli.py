"""``flask demo``: fill the database with the fictional town of Eastbrook.

A thin wrapper: ``betterway_map.demo.generator.generate`` makes the records (pure,
seeded) and ``demo.load.load`` writes them in one transaction.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from betterway_map.demo import generator as demo
from betterway_map.demo import load as demo_service
from betterway_map.demo.logins import LOGINS_FILE, read_logins, save_logins
from betterway_map.errors import Conflict
from betterway_map.network.trends import take_snapshot

__all__ = ["demo_command"]

# By the login's account key: one login per role, and a second resident.
_ROLE_LABELS = {
    "resident": "Resident (volunteer)",
    "requester": "Resident (asked for help)",
    "org_admin": "Organisation admin",
    "worker": "Community worker",
    "council": "Council viewer",
    "site_admin": "Site admin",
}


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in counts.items() if count)


@click.command("demo")
@click.option(
    "--seed",
    type=click.IntRange(0, 2**32 - 1),
    default=42,
    show_default=True,
    help="Seed of the generator: the same seed and size give the same area.",
)
@click.option(
    "--people",
    type=click.IntRange(demo.MIN_PEOPLE, demo.MAX_PEOPLE),
    default=3000,
    show_default=True,
    help="How many people on the register; organisations, spaces and groups scale with it.",
)
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing (and succeed) when the database already has data.",
)
@click.option(
    "--reset",
    is_flag=True,
    help="Delete ALL data first (accounts, register, postcode gazetteer, audit log), "
    "in the same transaction.",
)
@with_appcontext
def demo_command(seed: int, people: int, if_empty: bool, reset: bool) -> None:
    """Fill the database with a realistic, entirely fictional area (Eastbrook)."""
    if if_empty and reset:
        raise click.UsageError("Use --if-empty or --reset, not both.")
    try:
        existing = demo_service.existing_data()
    except SQLAlchemyError as error:
        raise click.ClickException(
            f"Could not read the database ({type(error).__name__}). Has it been created? "
            "Run `flask db upgrade` first."
        ) from None
    if demo_service.has_data(existing) and not reset:
        if if_empty:
            click.echo(f"The database already has data ({_describe(existing)}): nothing done.")
            _print_saved_logins(existing)
            return
        raise click.ClickException(
            f"The database already has data ({_describe(existing)}). "
            "Run `flask demo --reset` to delete everything and load the demo, "
            "or `flask demo --if-empty` to leave it as it is."
        )
    started = time.perf_counter()
    with click.progressbar(length=len(demo.STEPS), label="Generating Eastbrook") as bar:
        area = demo.generate(seed=seed, people=people, progress=lambda step: bar.update(1))
    rows = sum(area.counts().values())
    with click.progressbar(length=rows, label="Writing to the database") as bar:
        try:
            loaded = demo_service.load(
                area,
                reset=reset,
                fast_hash=current_app.config.get("PASSWORD_HASH_FAST", False),
                progress=lambda step, count: bar.update(count),
            )
        except Conflict as error:  # data arrived between the check and the write
            raise click.ClickException(error.message) from None
    save_logins(Path(current_app.instance_path), loaded.logins, loaded.password)
    _snapshots(area.today)
    _report(area, loaded, time.perf_counter() - started)


DEMO_SNAPSHOT_MONTHS = 6


def _print_saved_logins(existing: dict[str, int]) -> None:
    """The demo's logins again, when this database holds the demo they were made for."""
    saved = read_logins(Path(current_app.instance_path))
    if saved is None or not demo_service.demo_logins_exist([email for _, email in saved[0]]):
        click.echo(
            "No demo logins are saved for this database: sign in with your own account, "
            "or run `flask demo --reset` to replace everything with a fresh demo."
        )
        return
    _print_logins(*saved)
    click.echo(f"(Kept in instance/{LOGINS_FILE}; a password you changed since is yours.)")


def _snapshots(today) -> None:
    """Monthly snapshots of the area figures as they stood at the start of
    each of the last few months (the activity window measured from then), so
    that the council's trends show something on a new demo."""
    days = [today]
    for _ in range(DEMO_SNAPSHOT_MONTHS - 1):
        days.append((days[-1].replace(day=1) - timedelta(days=1)).replace(day=1))
    with click.progressbar(sorted(days), label="Monthly snapshots for the trends") as bar:
        for day in bar:
            take_snapshot(day)


def _print_logins(logins: list[tuple[str, str]], password: str) -> None:
    click.echo("\nDemo logins (one per role, and two residents), all with the same password:")
    for role, email in logins:
        click.echo(f"  {_ROLE_LABELS.get(role, role):<26} {email}")
    click.echo(f"  Password: {password}")


def _report(area: demo.DemoArea, loaded: demo_service.DemoLoaded, seconds: float) -> None:
    click.echo(f"\nLoaded the fictional town of {area.town} (seed {area.seed}) in {seconds:.1f} s:")
    for table, count in demo_service.table_counts().items():
        click.echo(f"  {table:<22} {count:>8}")
    _print_logins(loaded.logins, loaded.password)
    click.echo(
        f"This password is made for this demo and kept in instance/{LOGINS_FILE} (readable "
        "only by you), so running `flask demo --if-empty` again prints these logins again. "
        "Never load the demo on a site with real people's data."
    )
    click.echo(
        f"\nAll of this data is FICTIONAL: {area.town} does not exist, its postcodes "
        "(ZZ1 to ZZ9) are not real postcodes, and every person, group and organisation "
        "is made up."
    )
