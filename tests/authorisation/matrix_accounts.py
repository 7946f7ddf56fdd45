"""Matrix cases for accounts: sign-in steps, recovery, own account, users, area figures."""

from betterway_map.accounts.models import User
from betterway_map.accounts.services.password_reset import make_link_token
from betterway_map.extensions import db
from tests.authorisation.matrix import PUBLIC, SIGNED_IN, Case, roles
from tests.conftest import make_user


def _reset_link(app, owner):
    """A reset link of the owner's own account (links are public: the token is the key)."""
    with app.app_context():
        return {"token": make_link_token(db.session.get(User, owner), "reset")}


def _a_user(app, owner):
    """Any user: every site admin manages every user, so others_allowed is True."""
    return {"user_id": make_user(app, "resident")}


SITE_ADMIN = roles("site_admin")

CASES = [
    # Signing in and recovering an account.
    Case("auth.two_factor", allowed=PUBLIC),
    Case("auth.two_factor", method="POST", allowed=PUBLIC, data={"code": "123456"}),
    # Setting two-factor sign-in up between the password and being signed in
    # (the view checks the password step; without one it says to sign in).
    Case("auth.two_factor_setup", allowed=PUBLIC),
    Case("auth.two_factor_setup", method="POST", allowed=PUBLIC, data={"code": "123456"}),
    Case("auth.forgot_password", allowed=PUBLIC),
    Case("auth.forgot_password", method="POST", allowed=PUBLIC, data={"email": "x@example.org"}),
    Case("auth.reset_password", allowed=PUBLIC, record=_reset_link, others_allowed=True),
    Case(
        "auth.reset_password",
        method="POST",
        allowed=PUBLIC,
        record=_reset_link,
        others_allowed=True,
        data={"password": "", "confirm": ""},
    ),
    # One's own account (no record: always the signed-in user's own).
    Case("account.index", allowed=SIGNED_IN),
    Case("account.change_password", method="POST", allowed=SIGNED_IN),
    Case("account.issue_token", method="POST", allowed=SIGNED_IN),
    Case("account.revoke_token", method="POST", allowed=SIGNED_IN),
    Case("account.two_factor_setup", allowed=SIGNED_IN),
    Case("account.start_two_factor", method="POST", allowed=SIGNED_IN),
    Case("account.confirm_two_factor", method="POST", allowed=SIGNED_IN),
    Case("account.disable_two_factor", method="POST", allowed=SIGNED_IN),
    # Site admins manage users.
    Case("admin.index", allowed=SITE_ADMIN),
    Case("admin.new_user", allowed=SITE_ADMIN),
    Case("admin.new_user", method="POST", allowed=SITE_ADMIN),
    Case("admin.detail", allowed=SITE_ADMIN, record=_a_user, others_allowed=True),
    Case(
        "admin.set_roles",
        method="POST",
        allowed=SITE_ADMIN,
        record=_a_user,
        others_allowed=True,
        data={"roles": "resident"},
    ),
    Case(
        "admin.set_active",
        method="POST",
        allowed=SITE_ADMIN,
        record=_a_user,
        others_allowed=True,
        data={"active": "no"},
    ),
    Case(
        "admin.reset_two_factor",
        method="POST",
        allowed=SITE_ADMIN,
        record=_a_user,
        others_allowed=True,
    ),
    Case("api_accounts.list_users", allowed=SITE_ADMIN),
    Case("api_accounts.create_user", method="POST", allowed=SITE_ADMIN, data={}),
    Case("api_accounts.get_user", allowed=SITE_ADMIN, record=_a_user, others_allowed=True),
    Case(
        "api_accounts.set_roles",
        method="PUT",
        allowed=SITE_ADMIN,
        record=_a_user,
        others_allowed=True,
        data={"roles": ["resident"]},
    ),
    Case(
        "api_accounts.set_active",
        method="PUT",
        allowed=SITE_ADMIN,
        record=_a_user,
        others_allowed=True,
        data={"active": False},
    ),
    # Council viewers (and site admins) see the area's figures.
    Case("council.index", allowed=roles("council", "site_admin")),
    Case("api_area.summary", allowed=roles("council", "site_admin")),
]
