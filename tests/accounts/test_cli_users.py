"""``flask users``: create with a password from a prompt or stdin, set roles, list."""

from __future__ import annotations

import pytest

from betterway_map.accounts.models import User
from betterway_map.accounts.services.passwords import verify_password
from betterway_map.extensions import db
from tests.conftest import PASSWORD


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(User))


def _user(app, email):
    with app.app_context():
        return db.session.scalar(db.select(User).where(User.email == email))


def test_create_reads_the_password_from_standard_input(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Ann@Example.org",
            "--role",
            "worker",
            "--role",
            "council",
            "--name",
            "Ann",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created user" in result.output
    user = _user(app, "ann@example.org")
    assert user.role_names == {"worker", "council"} and user.display_name == "Ann"
    assert verify_password(user.password_hash, PASSWORD)
    assert PASSWORD not in result.output


def test_create_asks_twice_at_a_terminal_without_echo(app, runner, monkeypatch):
    prompts = []

    def fake_prompt(text, hide_input=False, confirmation_prompt=False, **kw):
        prompts.append((text, hide_input, bool(confirmation_prompt)))
        return PASSWORD

    monkeypatch.setattr("betterway_map.accounts.cli.click.prompt", fake_prompt)
    monkeypatch.setattr("betterway_map.accounts.cli._stdin_is_terminal", lambda: True)
    result = runner.invoke(
        args=["users", "create", "--email", "t@example.org", "--role", "resident"]
    )
    assert result.exit_code == 0, result.output
    assert prompts == [("Password", True, True)]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--email", "not-an-email", "--role", "worker"], PASSWORD, "not an email address"),
        (["--email", "a@example.org", "--role", "wizard"], PASSWORD, "'wizard' is not one of"),
        (["--email", "a@example.org"], PASSWORD, "Missing option '--role'"),
        (["--role", "worker"], PASSWORD, "Missing option '--email'"),
        (["--email", "a@example.org", "--role", "worker"], "short", "at least 12 characters"),
        (["--email", "a@example.org", "--role", "worker"], "password1234", "most common"),
        (["--email", "a@example.org", "--role", "worker"], "", "No password"),
        (
            ["--email", "a@example.org", "--role", "worker", "--name", "n" * 101],
            PASSWORD,
            "at most 100",
        ),
    ],
)
def test_create_refuses_bad_arguments_with_exit_code_2_and_writes_nothing(
    app, runner, args, stdin, message
):
    result = runner.invoke(args=["users", "create", *args], input=stdin + "\n")
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert _count(app) == 0


def test_create_refuses_an_existing_email(app, runner, user_factory):
    user_factory("resident", email="ann@example.org")
    result = runner.invoke(
        args=["users", "create", "--email", "ann@example.org", "--role", "worker"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 2
    assert "already an account" in result.output
    assert _count(app) == 1


def test_set_roles_replaces_the_roles(app, runner, user_factory):
    user_factory("resident", email="ann@example.org")
    result = runner.invoke(
        args=["users", "set-roles", "--email", "ann@example.org", "--role", "site_admin"]
    )
    assert result.exit_code == 0, result.output
    assert _user(app, "ann@example.org").role_names == {"site_admin"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "nobody@example.org", "--role", "worker"], "no user with the email"),
        (["--email", "bad", "--role", "worker"], "not an email address"),
        (["--email", "ann@example.org", "--role", "baron"], "'baron' is not one of"),
        (["--email", "ann@example.org"], "Missing option '--role'"),
    ],
)
def test_set_roles_refuses_bad_arguments(app, runner, user_factory, args, message):
    user_factory("resident", email="ann@example.org")
    result = runner.invoke(args=["users", "set-roles", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert _user(app, "ann@example.org").role_names == {"resident"}


def test_list_shows_users_and_filters_by_role(app, runner, user_factory):
    user_factory("worker", email="wendy@example.org")
    user_factory("council", email="carl@example.org")
    everyone = runner.invoke(args=["users", "list"])
    assert "wendy@example.org" in everyone.output and "carl@example.org" in everyone.output
    assert "never" in everyone.output
    workers = runner.invoke(args=["users", "list", "--role", "worker"])
    assert "wendy@example.org" in workers.output and "carl@example.org" not in workers.output


def test_list_says_when_there_are_no_users(app, runner):
    assert "No users." in runner.invoke(args=["users", "list"]).output
