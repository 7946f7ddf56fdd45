"""``flask users ...``: create users, set their roles, list them, reset a
user's two-factor sign-in, and encrypt the TOTP secrets again with the
newest key.

Passwords are never taken as an option (they would sit in the shell's
history): they are read from a hidden, confirmed prompt, or from standard
input when that is not a terminal (``echo "$PW" | flask users create ...``).
"""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from betterway_map.accounts.services import two_factor
from betterway_map.accounts.services import users as accounts
from betterway_map.accounts.services.two_factor_policy import is_required
from betterway_map.domain import vocab
from betterway_map.errors import BetterWayError

users_cli = AppGroup(
    "users", help="Create users, set their roles, list them, reset their two-factor sign-in."
)

ROLE_CHOICE = click.Choice(vocab.values(vocab.ROLES))


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _read_password() -> str:
    if sys.stdin is None:
        raise click.UsageError("No standard input to read the password from.")
    if not _stdin_is_terminal():
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.UsageError("No password on standard input: send it as the first line.")
        return password
    return click.prompt("Password", hide_input=True, confirmation_prompt="Type it again")


def _fail(error: BetterWayError, param_for: dict[str, str]):
    """Turn a service error into a usage error (exit code 2) naming the option."""
    for field, messages in error.errors.items():
        option = param_for.get(field)
        if option:
            raise click.BadParameter(" ".join(map(str, messages)), param_hint=option)
    raise click.UsageError(error.message)


@users_cli.command("create")
@click.option("--email", required=True, help="Their email address; they sign in with it.")
@click.option(
    "--role", "roles", required=True, multiple=True, type=ROLE_CHOICE, help="Repeat for several."
)
@click.option(
    "--name", default=None, help="What other people see (default: the start of the email)."
)
def create(email: str, roles: tuple[str, ...], name: str | None):
    """Create a user; the password is read from a prompt or standard input."""
    try:
        accounts.normalise_email(email)  # refuse a bad address before asking for a password
    except BetterWayError as error:
        _fail(error, {"email": "--email"})
    password = _read_password()
    try:
        user = accounts.create_user(email, password, list(roles), name)
    except BetterWayError as error:
        _fail(
            error,
            {
                "email": "--email",
                "roles": "--role",
                "display_name": "--name",
                "password": "password",
            },
        )
    click.echo(
        f"Created user {user.id} {user.email} with roles {', '.join(sorted(user.role_names))}."
    )


@users_cli.command("set-roles")
@click.option("--email", required=True, help="The user's email address.")
@click.option(
    "--role", "roles", required=True, multiple=True, type=ROLE_CHOICE, help="Repeat for several."
)
def set_roles(email: str, roles: tuple[str, ...]):
    """Replace a user's roles (their sessions end)."""
    try:
        user = accounts.user_by_email(email)
    except BetterWayError as error:
        _fail(error, {"email": "--email"})
    if user is None:
        raise click.BadParameter(
            f"There is no user with the email {email!r}.", param_hint="--email"
        )
    try:
        accounts.set_roles(user.id, list(roles), changed_by=None)
    except BetterWayError as error:
        _fail(error, {"roles": "--role"})
    click.echo(f"{user.email} now has roles {', '.join(sorted(user.role_names))}.")


@users_cli.command("list")
@click.option("--role", default=None, type=ROLE_CHOICE, help="Only users with this role.")
def list_users(role: str | None):
    """List users: id, email, roles, active, two-factor sign-in, last sign-in."""
    rows = accounts.list_users(role)
    if not rows:
        click.echo("No users.")
        return
    for user in rows:
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "never"
        state = "active" if user.active else "inactive"
        second = "two-factor on" if two_factor.is_enabled(user) else "two-factor off"
        if not two_factor.is_enabled(user) and is_required(user):
            second += " (required: set up at next sign-in)"
        click.echo(
            f"{user.id}\t{user.email}\t{','.join(sorted(user.role_names))}\t{state}\t"
            f"{second}\tlast sign-in {last}"
        )


@users_cli.command("reset-2fa")
@click.argument("email")
def reset_two_factor(email: str):
    """Reset a user's two-factor sign-in (a lost phone) and sign them out.

    Where their roles need it, they set it up again at their next sign-in.
    For when no other site admin can do it on the user's page.
    """
    try:
        user = accounts.user_by_email(email)
    except BetterWayError as error:
        _fail(error, {"email": "EMAIL"})
    if user is None:
        raise click.BadParameter(f"There is no user with the email {email!r}.", param_hint="EMAIL")
    two_factor.reset(user.id, changed_by=None, how="from the command line")
    then = (
        "they set it up again when they next sign in"
        if is_required(user)
        else "it is off until they switch it on again"
    )
    click.echo(f"Two-factor sign-in is reset for {user.email}; signed out everywhere; {then}.")


@users_cli.command("rotate-2fa-key")
def rotate_two_factor_key():
    """Encrypt every stored TOTP secret again with the newest key.

    Put the new key first in TOTP_ENCRYPTION_KEYS (keeping the old one after
    it), run this, then remove the old key. Changes nothing, and exits with
    an error, if any secret cannot be read with the keys given.
    """
    rotated, unreadable = two_factor.rotate_keys()
    if unreadable:
        ids = ", ".join(str(user_id) for user_id in unreadable[:20])
        raise click.ClickException(
            f"No key in TOTP_ENCRYPTION_KEYS can read the two-factor secrets of {len(unreadable)} "
            f"users (ids {ids}{', ...' if len(unreadable) > 20 else ''}): nothing was changed. "
            "Add the key they were encrypted with (after the new one) and run this again."
        )
    click.echo(f"Encrypted the two-factor secrets of {rotated} users again with the newest key.")
