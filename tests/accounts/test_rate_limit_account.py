"""Limits per account as well as per client address, counting only failures,
and the client's real address behind a reverse proxy (issue 14).

The limits here: 10 failed sign-ins a minute per client address, 5 per
account; 5 wrong codes per address and per account; 3 reset requests per
address typed.
"""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, csrf_token
from tests.factories.accounts import code_for, email_of, turn_on_two_factor
from tests.factories.apps import app_with

LIMITS = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "LOGIN_RATE_LIMIT": "10 per minute",
    "LOGIN_ACCOUNT_RATE_LIMIT": "5 per minute",
    "TWO_FACTOR_RATE_LIMIT": "5 per minute",
    "PASSWORD_RESET_RATE_LIMIT": "5 per minute",
    "PASSWORD_RESET_ACCOUNT_RATE_LIMIT": "3 per hour",
}
# Twelve clients, each behind the one reverse proxy, each its own address.
ADDRESSES = [f"203.0.113.{n}" for n in range(1, 13)]


@pytest.fixture()
def limited(app):
    with app_with(app, PROXY_FIX_X_FOR=1, **LIMITS) as other:
        yield other


def _client(limited_app, address: str):
    """A browser at ``address``, as the proxy reports it."""
    client = limited_app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return client


def _sign_in(client, email: str, password: str, url: str = "/auth/login"):
    return client.post(
        url, data={"email": email, "password": password, "csrf_token": csrf_token(client)}
    )


@pytest.mark.parametrize(
    "has_account",
    [
        pytest.param(True, id="an account"),
        # Slow: an unknown address is checked against a full-cost hash.
        pytest.param(False, id="no account", marks=pytest.mark.slow),
    ],
)
def test_twelve_addresses_cannot_share_out_guesses_against_one_account(
    app, limited, user_factory, has_account
):
    """12 addresses x 5 wrong passwords: each address stays under its own
    limit of 10, so only the account's limit of 5 can stop them; an address
    with no account is stopped the same way, so the answer says nothing about
    which addresses have one."""
    email = email_of(app, user_factory("resident")) if has_account else "nobody@example.org"
    statuses = [
        _sign_in(client, email, "not the password").status_code
        for client in (_client(limited, address) for address in ADDRESSES)
        for _ in range(5)
    ]
    assert statuses == [400] * 5 + [429] * 55


def test_the_account_limit_answers_with_a_clear_page(app, limited, user_factory):
    email = email_of(app, user_factory("resident"))
    for address in ADDRESSES[:5]:
        _sign_in(_client(limited, address), email, "not the password")
    refused = _sign_in(_client(limited, ADDRESSES[5]), email, "not the password")
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "<h1>Please wait a minute</h1>" in page
    assert "Too many attempts in a short time, from here or for this account" in page
    assert int(refused.headers["Retry-After"]) <= 60


def test_the_address_typed_counts_in_its_normal_form(limited, user_factory):
    """Changing the case or adding spaces does not make a new account to guess at."""
    user_factory("resident", email="ann@example.org")
    typed = ["ann@example.org", "Ann@Example.org", " ANN@example.org ", "ann@EXAMPLE.ORG"]
    typed += ["ann@example.org", "Ann@example.org"]
    statuses = [
        _sign_in(_client(limited, address), email, "not the password").status_code
        for address, email in zip(ADDRESSES, typed)
    ]
    assert statuses == [400] * 5 + [429]


def test_right_passwords_do_not_use_up_the_limits(app, limited, user_factory):
    """Twelve sign-ins from one address to one account (more than either
    limit) all pass, and then five wrong passwords are still allowed."""
    email = email_of(app, user_factory("resident"))
    assert [
        _sign_in(_client(limited, ADDRESSES[0]), email, PASSWORD).status_code for _ in range(12)
    ] == [302] * 12
    client = _client(limited, ADDRESSES[0])
    assert [_sign_in(client, email, "not the password").status_code for _ in range(6)] == [
        400
    ] * 5 + [429]


# The next two look at the per-address limit alone.
PER_ADDRESS_ONLY = {**LIMITS, "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute"}


def test_behind_the_proxy_each_client_is_counted_alone(app, user_factory):
    """The per-address limit counts the address the proxy reports, so one
    client reaching it does not stop the next one behind the same proxy."""
    email = email_of(app, user_factory("resident"))
    with app_with(app, PROXY_FIX_X_FOR=1, **PER_ADDRESS_ONLY) as proxied:
        first = _client(proxied, ADDRESSES[0])
        statuses = [_sign_in(first, email, "wrong").status_code for _ in range(11)]
        other = _sign_in(_client(proxied, ADDRESSES[1]), email, "wrong").status_code
    assert statuses == [400] * 10 + [429]
    assert other == 400


def test_without_a_proxy_a_forged_forwarded_address_is_ignored(app, user_factory):
    """PROXY_FIX_X_FOR=0 (the default): a client cannot dodge its limit by
    sending a different X-Forwarded-For each time."""
    email = email_of(app, user_factory("resident"))
    with app_with(app, **PER_ADDRESS_ONLY) as direct:
        statuses = [
            _sign_in(_client(direct, address), email, "wrong").status_code
            for address in ADDRESSES[:11]
        ]
    assert statuses == [400] * 10 + [429]


def test_wrong_codes_count_per_account_and_right_ones_do_not(app, limited, signed_in):
    """4 wrong codes from one address, a right one, then wrong ones from a
    second address: the account has 5 failures to give, so the 5th wrong
    code passes (the right code took none) and the 6th is refused."""
    setup, user_id = signed_in("resident")
    secret = turn_on_two_factor(app, setup, user_id)
    email = email_of(app, user_id)

    first = _client(limited, ADDRESSES[0])
    assert _sign_in(first, email, PASSWORD).status_code == 302
    wrong = {"code": "000000", "csrf_token": csrf_token(first)}
    assert [first.post("/auth/two-factor", data=wrong).status_code for _ in range(4)] == [400] * 4
    right = {"code": code_for(secret, 1), "csrf_token": csrf_token(first)}
    assert first.post("/auth/two-factor", data=right).status_code == 302

    second = _client(limited, ADDRESSES[1])
    assert _sign_in(second, email, PASSWORD).status_code == 302
    wrong = {"code": "000000", "csrf_token": csrf_token(second)}
    assert [second.post("/auth/two-factor", data=wrong).status_code for _ in range(2)] == [400, 429]


def _ask_reset(client, email: str):
    return client.post(
        "/auth/forgotten-password", data={"email": email, "csrf_token": csrf_token(client)}
    )


def test_reset_requests_are_limited_per_address_typed(app, limited, user_factory):
    """Each request may send an email, so every one counts, from any client."""
    email = email_of(app, user_factory("resident"))
    statuses = [_ask_reset(_client(limited, a), email).status_code for a in ADDRESSES[:4]]
    assert statuses == [200] * 3 + [429]
    other = _client(limited, ADDRESSES[4])
    assert _ask_reset(other, "someone-else@example.org").status_code == 200
