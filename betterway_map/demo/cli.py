"""``flask demo``: fill the database with the fictional town of Eastbrook;
``flask demo code WHO``: the current two-factor code of one of its logins.

A thin wrapper: ``betterway_map.demo.generator.generate`` makes the records (pure,
seeded) and ``demo.load.load`` writes them in one transaction.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import click
import pyotp
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from betterway_map.accounts.services import two_factor
from betterway_map.accounts.services.users import user_by_email
from betterway_map.demo import generator as demo
from betterway_map.demo import load as demo_service
from betterway_map.demo.logins import LOGINS_FILE, SavedLogins, find, read_logins, save_logins
from betterway_map.domain.suppression import MIN_CELL_COUNT
from betterway_map.errors import BetterWayError, Conflict
from betterway_map.geocoding.areas import DEFAULT_MAX_FILE_BYTES
from betterway_map.network.trends import take_snapshot, take_snapshots

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


@click.group("demo", cls=AppGroup, invoke_without_command=True)
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
@click.pass_context
@with_appcontext
def demo_command(ctx, seed: int, people: int, if_empty: bool, reset: bool) -> None:
    """Fill the database with a realistic, entirely fictional area (Eastbrook).

    `flask demo code worker` prints the current two-factor code of a demo login.
    """
    if ctx.invoked_subcommand is not None:
        return
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
                min_count=int(current_app.config.get("MIN_CELL_COUNT", MIN_CELL_COUNT)),
                max_bytes=int(
                    current_app.config.get("AREA_IMPORT_MAX_BYTES") or DEFAULT_MAX_FILE_BYTES
                ),
            )
        except Conflict as error:  # data arrived between the check and the write
            raise click.ClickException(error.message) from None
        except BetterWayError as error:  # the area indicator refused: nothing was written
            raise click.ClickException(f"The demo's area indicator: {error.message}") from None
    save_logins(
        Path(current_app.instance_path), loaded.logins, loaded.password, loaded.totp_secrets
    )
    town, today = area.town, area.today
    del area  # written: let its records go before the snapshots read the register back
    _snapshots(today)
    _report(town, seed, loaded, time.perf_counter() - started)


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
    _print_logins(saved)
    click.echo(f"(Kept in instance/{LOGINS_FILE}; a password you changed since is yours.)")


def _snapshots(today) -> None:
    """Monthly snapshots of the area figures as they stood at the start of
    each of the last few months (the activity window measured from then), so
    that the council's trends show something on a new demo: the earlier
    months from one load of the register, then this month's through the
    council's report, which stores it for the council's page."""
    days = [today]
    for _ in range(DEMO_SNAPSHOT_MONTHS - 1):
        days.append((days[-1].replace(day=1) - timedelta(days=1)).replace(day=1))
    with click.progressbar(length=len(days), label="Monthly snapshots for the trends") as bar:
        take_snapshots(days[1:], progress=lambda day: bar.update(1))
        take_snapshot(today)
        bar.update(1)


def _print_logins(saved: SavedLogins) -> None:
    click.echo("\nDemo logins (one per role, and two residents), all with the same password:")
    for role, email in saved.logins:
        click.echo(f"  {_ROLE_LABELS.get(role, role):<26} {email}")
    click.echo(f"  Password: {saved.password}")
    with_codes = [(role, email) for role, email in saved.logins if email in saved.totp_secrets]
    if not with_codes:
        return
    click.echo(
        "\nThe community worker and the site admin also sign in with a code (two-factor "
        "sign-in is required for their roles). Add the key to an authenticator app, or run "
        "`.venv/bin/flask --app wsgi demo code ROLE` in another terminal for the current code:"
    )
    for role, email in with_codes:
        secret = saved.totp_secrets[email]
        key = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        click.echo(f"  {_ROLE_LABELS.get(role, role):<26} key {key}   (demo code {role})")
        click.echo(f"  {'':<26} {two_factor.provisioning_uri(email, secret)}")


@demo_command.command("code")
@click.argument("who")
def code_command(who: str) -> None:
    """The current two-factor code of a demo login (WHO: its role or email).

    Only for the demo's own logins, kept in instance/demo_logins.json: any
    other account is refused.
    """
    saved = read_logins(Path(current_app.instance_path))
    found = find(saved, who) if saved is not None else None
    if found is None or not demo_service.demo_logins_exist([found[1]]):
        raise click.ClickException(
            f"{who!r} is not a login of the demo loaded here: this gives codes only for the "
            f"demo's own logins (kept in instance/{LOGINS_FILE}), never for another account."
        )
    role, email = found
    secret = two_factor.current_secret(user_by_email(email))
    if secret is None:
        raise click.ClickException(
            f"The demo's {_ROLE_LABELS.get(role, role).lower()} ({email}) has no two-factor "
            "sign-in: their password alone signs them in."
        )
    totp = pyotp.TOTP(secret)
    seconds = totp.interval - int(time.time()) % totp.interval
    click.echo(totp.now())
    click.echo(
        f"(for {email}; good for about {seconds} more seconds, and once only: "
        "run this again for the next sign-in)",
        err=True,
    )


def _report(town: str, seed: int, loaded: demo_service.DemoLoaded, seconds: float) -> None:
    click.echo(f"\nLoaded the fictional town of {town} (seed {seed}) in {seconds:.1f} s:")
    for table, count in demo_service.table_counts().items():
        click.echo(f"  {table:<22} {count:>8}")
    if loaded.need_areas:
        click.echo(
            f"Area need: a modelled loneliness index for {loaded.need_areas} postcode sectors "
            "(fictional), on the council map and beside its gap figures."
        )
    else:
        click.echo(
            "Area need: no postcode sector has people enough for a modelled figure at this "
            "size, so no area indicator was loaded."
        )
    _print_logins(SavedLogins(loaded.logins, loaded.password, loaded.totp_secrets))
    click.echo(
        f"This password is made for this demo and kept in instance/{LOGINS_FILE} (readable "
        "only by you), so running `flask demo --if-empty` again prints these logins again. "
        "Never load the demo on a site with real people's data."
    )
    click.echo(
        f"\nAll of this data is FICTIONAL: {town} does not exist, its postcodes "
        "(ZZ1 to ZZ9) are not real postcodes, and every person, group and organisation "
        "is made up."
    )
