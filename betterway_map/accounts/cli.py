"""``flask users ...``: create users, set their roles, list them.

Passwords are never taken as an option (they would sit in the shell's
history): they are read from a hidden, confirmed prompt, or from standard
input when that is not a terminal (``echo "$PW" | flask users create ...``).
"""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from betterway_map.accounts.services import users as accounts
from betterway_map.domain import vocab
from betterway_map.errors import BetterWayError

users_cli = AppGroup("users", help="Create users, set their roles, list them.")

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
    """List users: id, email, roles, active, last sign-in."""
    rows = accounts.list_users(role)
    if not rows:
        click.echo("No users.")
        return
    for user in rows:
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "never"
        state = "active" if user.active else "inactive"
        click.echo(
            f"{user.id}\t{user.email}\t{','.join(sorted(user.role_names))}\t{state}\tlast sign-in {last}"
        )
