"""One's own account: password, API token and two-factor sign-in."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from betterway_map.accounts.services import sessions, two_factor
from betterway_map.accounts.services import users as accounts
from betterway_map.accounts.services.two_factor_policy import is_required, why_required
from betterway_map.accounts.views import limits
from betterway_map.accounts.views.auth_forms import CodeForm
from betterway_map.accounts.views.two_factor_page import setup_page
from betterway_map.errors import BetterWayError, Conflict
from betterway_map.extensions import limiter
from betterway_map.web.access import signed_in

bp = Blueprint("account", __name__, url_prefix="/account")


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        "Your current password", validators=[DataRequired("Enter your current password.")]
    )
    new_password = PasswordField("New password", validators=[DataRequired("Choose a password.")])
    confirm = PasswordField(
        "Type the new password again", validators=[DataRequired("Type the new password again.")]
    )


def _lifetime_label(days: int | None) -> str:
    return {None: "No expiry", 365: "A year (365 days)"}.get(days, f"{days} days")


class TokenForm(FlaskForm):
    days = SelectField(
        "How long it lasts",
        choices=[
            SelectChoice(str(days or "none"), _lifetime_label(days))
            for days in sessions.TOKEN_LIFETIMES_DAYS
        ],
        default=str(sessions.DEFAULT_TOKEN_DAYS),
        validate_choice=True,
    )


def _page(password_form=None, status: int = 200, token_form=None):
    return render_template(
        "accounts/account/index.html",
        password_form=password_form or PasswordChangeForm(formdata=None),
        token_form=token_form or TokenForm(formdata=None),
        token_expired=sessions.token_has_expired(current_user),
        two_factor_on=two_factor.is_enabled(current_user),
        two_factor_required_for=why_required(current_user) if is_required(current_user) else "",
        setting_up=bool(current_user.totp_pending_secret),
    ), status


@bp.route("")
@signed_in
def index():
    return _page()


@bp.route("/password", methods=["POST"])
@signed_in
# It checks a password, so it is guessed at like a sign-in.
@limiter.limit(limits.login_limit)
@limiter.limit(limits.account_login_limit, key_func=limits.signed_in_account_key)
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user.id,
                form.current_password.data,
                form.new_password.data,
                form.confirm.data,
                session.get("sid"),
                fast_hash=current_app.config.get("PASSWORD_HASH_FAST", False),
            )
        except BetterWayError as error:
            for name, messages in error.errors.items():
                field = getattr(form, name, None)
                if field is not None:
                    field.errors = list(messages)
        else:
            flash("Your password is changed. You have been signed out everywhere else.", "success")
            return redirect(url_for("account.index"))
    return _page(form, 400)


@bp.route("/api-token", methods=["POST"])
@signed_in(fresh=True)
def issue_token():
    form = TokenForm()
    if not form.validate():
        return _page(token_form=form, status=400)
    days = None if form.days.data == "none" else int(form.days.data)
    try:
        token = sessions.issue_api_token(current_user.id, days)
    except Conflict as error:  # two-factor sign-in, required, is not on
        flash(error.message, "error")
        return redirect(url_for("account.index"))
    response = current_app.make_response(
        render_template(
            "accounts/account/token.html", token=token, expires_at=current_user.api_token_expires_at
        )
    )
    response.headers["Cache-Control"] = "no-store"  # the token is shown once only
    return response


@bp.route("/api-token/revoke", methods=["POST"])
@signed_in
def revoke_token():
    sessions.revoke_api_token(current_user.id)
    flash("Your API token is revoked: programs using it can no longer sign in.", "success")
    return redirect(url_for("account.index"))


@bp.route("/two-factor")
@signed_in(fresh=True)  # it shows the secret
def two_factor_setup():
    if two_factor.is_enabled(current_user) or not current_user.totp_pending_secret:
        return redirect(url_for("account.index"))
    return _setup_page(CodeForm(formdata=None), 200)


def _setup_page(form, status: int):
    return setup_page(
        "accounts/account/two_factor.html",
        current_user,
        two_factor.pending_secret(current_user),
        form,
        status,
        action=url_for("account.confirm_two_factor"),
        button="Switch it on",
    )


@bp.route("/two-factor/start", methods=["POST"])
@signed_in(fresh=True)
def start_two_factor():
    two_factor.start_setup(current_user.id)
    return redirect(url_for("account.two_factor_setup"))


@bp.route("/two-factor/confirm", methods=["POST"])
@signed_in
@limiter.limit(limits.two_factor_limit)
def confirm_two_factor():
    if two_factor.is_enabled(current_user) or not current_user.totp_pending_secret:
        flash("Start setting up two-factor sign-in first.", "info")
        return redirect(url_for("account.index"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            two_factor.confirm_setup(current_user.id, form.code.data)
        except BetterWayError as error:
            form.code.errors = list(error.errors.get("code", [error.message]))
        else:
            flash(
                "Two-factor sign-in is on. You will be asked for a code when you sign in.",
                "success",
            )
            return redirect(url_for("account.index"))
    return _setup_page(form, 400)


@bp.route("/two-factor/disable", methods=["POST"])
@signed_in(fresh=True)
def disable_two_factor():
    try:
        two_factor.disable(current_user.id)
    except Conflict as error:  # required for the user's roles
        flash(error.message, "error")
    else:
        flash("Two-factor sign-in is off.", "success")
    return redirect(url_for("account.index"))
