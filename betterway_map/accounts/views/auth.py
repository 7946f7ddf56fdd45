"""Signing up, signing in (with a second step when two-factor sign-in is on,
or setting it up first when one's role needs it) and out, confirming the
password again, and choosing a new password through a one-off link.

Who is signed in on each request (session or token) is decided in
``credentials``."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from betterway_map.accounts.services import password_reset, sessions
from betterway_map.accounts.services import two_factor as totp
from betterway_map.accounts.services import users as accounts
from betterway_map.accounts.services.two_factor_policy import (
    is_required,
    owes_enrolment,
    why_required,
)
from betterway_map.accounts.views import limits
from betterway_map.accounts.views.auth_forms import (
    CodeForm,
    ConfirmForm,
    ForgotForm,
    LoginForm,
    NewPasswordForm,
    RegisterForm,
)
from betterway_map.accounts.views.limits import PENDING_KEY
from betterway_map.accounts.views.links import password_link
from betterway_map.accounts.views.two_factor_page import setup_page
from betterway_map.errors import BetterWayError, InvalidInput
from betterway_map.extensions import limiter
from betterway_map.web.access import public, signed_in

bp = Blueprint("auth", __name__, url_prefix="/auth")

MAX_CODE_TRIES = 5  # wrong codes before the password must be typed again

# Sign-in steps count failed attempts only, per client address and per account
# (the account typed, waiting for a code or signed in): see ``limits``.
_failures = {"methods": ["POST"], "deduct_when": limits.failed_attempt}


def _fast() -> bool:
    return current_app.config.get("PASSWORD_HASH_FAST", False)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after sign-in."""
    if not target:
        return url_for("main.dashboard")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("main.dashboard")
    return target


def _sign_in(user) -> None:
    session.clear()  # a new session on every sign-in
    session["sid"] = sessions.start_session(user)
    session.permanent = False
    login_user(user, remember=False)


def _errors_onto(form, error: BetterWayError, fallback: str) -> None:
    for name, messages in error.errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(messages)
    if not any(getattr(form, name, None) is not None for name in error.errors):
        getattr(form, fallback).errors = [error.message]


def _status() -> int:
    return 400 if request.method == "POST" else 200


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(limits.login_limit, **_failures)
@limiter.limit(limits.account_login_limit, key_func=limits.typed_account_key, **_failures)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = sessions.authenticate(form.email.data, form.password.data, fast_hash=_fast())
        if user is not None:
            limits.passed()
            return _after_password(user, _safe_next(request.args.get("next")))
        form.password.errors = ["That email address and password do not match an account."]
    return render_template("accounts/auth/login.html", form=form), _status()


def _after_password(user, target: str, welcome: str | None = None):
    """The step after a right password: the code when two-factor sign-in is
    on; setting it up first when the user's roles need it and it is not;
    else signed in."""
    enrol = owes_enrolment(user)
    if enrol or totp.is_enabled(user):
        if enrol:
            totp.start_setup(user.id)  # a new secret each time the password is typed
        session.clear()
        session[PENDING_KEY] = {
            "uid": user.id,
            "at": time.time(),
            "next": target,
            "tries": 0,
            "enrol": enrol,
        }
        return redirect(url_for("auth.two_factor_setup" if enrol else "auth.two_factor"))
    _sign_in(user)
    flash(welcome or f"Welcome, {user.display_name}.", "success")
    return redirect(target)


def _pending_user(*, enrol: bool = False):
    """The user who typed the right password, if recent, and still owes a
    code (or, with ``enrol``, owes setting two-factor sign-in up)."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or bool(pending.get("enrol")) != enrol:
        return None
    minutes = "TWO_FACTOR_ENROL_MINUTES" if enrol else "TWO_FACTOR_PENDING_MINUTES"
    if time.time() - float(pending.get("at", 0)) > current_app.config[minutes] * 60:
        session.pop(PENDING_KEY, None)
        return None
    user = accounts.find_user(pending.get("uid"))
    if user is None or not user.active:
        return None
    if enrol:
        waiting = is_required(user) and not totp.is_enabled(user) and user.totp_pending_secret
        return user if waiting else None
    return user if totp.is_enabled(user) else None


@bp.route("/two-factor", methods=["GET", "POST"])
@public  # the person is half-way through signing in; the view checks the first step
@limiter.limit(limits.two_factor_limit, **_failures)
@limiter.limit(limits.two_factor_limit, key_func=limits.pending_account_key, **_failures)
def two_factor():
    user = _pending_user()
    if user is None:
        # A page, not a redirect, so that the reason is plain to read.
        return render_template("accounts/auth/two_factor_expired.html"), _status()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            right = totp.verify_code(user.id, form.code.data)
        except InvalidInput as error:
            form.code.errors = list(error.errors["code"])
        else:
            if right:
                limits.passed()
                target = session[PENDING_KEY].get("next")
                _sign_in(user)
                flash(f"Welcome, {user.display_name}.", "success")
                return redirect(_safe_next(target))
            pending = dict(session[PENDING_KEY], tries=session[PENDING_KEY]["tries"] + 1)
            if pending["tries"] >= MAX_CODE_TRIES:
                session.pop(PENDING_KEY, None)
                flash("That code was wrong too many times. Please sign in again.", "error")
                return redirect(url_for("auth.login"))
            session[PENDING_KEY] = pending
            form.code.errors = ["That code is not right. Try the newest code the app shows."]
    return render_template("accounts/auth/two_factor.html", form=form), _status()


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@public  # half-way through signing in; the view checks the password step
@limiter.limit(limits.two_factor_limit, **_failures)
@limiter.limit(limits.two_factor_limit, key_func=limits.pending_account_key, **_failures)
def two_factor_setup():
    """Setting two-factor sign-in up, for someone whose roles need it, between
    their password and being signed in: nothing else is open to them."""
    user = _pending_user(enrol=True)
    if user is None:
        return render_template("accounts/auth/two_factor_expired.html"), _status()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            totp.confirm_setup(user.id, form.code.data, at_sign_in=True)
        except InvalidInput as error:
            form.code.errors = list(error.errors["code"])
        else:
            limits.passed()
            target = session[PENDING_KEY].get("next")
            _sign_in(user)
            flash(
                "Two-factor sign-in is on: from now on you will be asked for a code from "
                "your app when you sign in.",
                "success",
            )
            return redirect(_safe_next(target))
    return setup_page(
        "accounts/auth/two_factor_setup.html",
        user,
        totp.pending_secret(user),
        form,
        _status(),
        action=url_for("auth.two_factor_setup"),
        button="Set it up and sign in",
        why=why_required(user),
    )


@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit(limits.login_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data,
                form.password.data,
                [form.role.data],
                form.display_name.data,
                fast_hash=_fast(),
            )
        except BetterWayError as error:
            _errors_onto(form, error, "email")
        else:
            return _after_password(user, url_for("main.dashboard"), "Your account is ready.")
    return render_template("accounts/auth/register.html", form=form), _status()


@bp.route("/logout", methods=["POST"])
@public  # signing out is harmless, and must work even from a half-expired session
def logout():
    sessions.end_session(session.get("sid"))
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("main.index"))


@bp.route("/confirm", methods=["GET", "POST"])
@signed_in
@limiter.limit(limits.login_limit, **_failures)
@limiter.limit(limits.account_login_limit, key_func=limits.signed_in_account_key, **_failures)
def confirm():
    form = ConfirmForm()
    needs_code = totp.is_enabled(current_user)
    if form.validate_on_submit():
        user = sessions.authenticate(current_user.email, form.password.data, fast_hash=_fast())
        if user is None or user.id != current_user.id:
            form.password.errors = ["That password is not right."]
        elif needs_code and not _code_is_right(form):
            pass
        else:
            limits.passed()
            sessions.reauthenticate(session.get("sid"))
            return redirect(_safe_next(request.args.get("next")))
    return render_template(
        "accounts/auth/confirm.html", form=form, needs_code=needs_code
    ), _status()


def _code_is_right(form) -> bool:
    try:
        if totp.verify_code(current_user.id, form.code.data or ""):
            return True
    except InvalidInput as error:
        form.code.errors = list(error.errors["code"])
        return False
    form.code.errors = ["That code is not right. Try the newest code the app shows."]
    return False


@bp.route("/forgotten-password", methods=["GET", "POST"])
@public
@limiter.limit(limits.reset_limit, methods=["POST"])
@limiter.limit(limits.account_reset_limit, methods=["POST"], key_func=limits.typed_account_key)
def forgot_password():
    form = ForgotForm()
    if form.validate_on_submit():
        password_reset.request_reset(form.email.data, password_link)
        # The same answer whether or not the address has an account.
        return render_template("accounts/auth/forgot_sent.html", email=form.email.data)
    return render_template("accounts/auth/forgot.html", form=form), _status()


@bp.route("/choose-password/<token>", methods=["GET", "POST"])
@public
@limiter.limit(limits.reset_limit, methods=["POST"])
def reset_password(token: str):
    try:
        user, purpose = password_reset.user_for_link_token(token)
    except InvalidInput as error:
        return render_template("accounts/auth/link_invalid.html", message=error.message), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.set_password_from_link(
                token, form.password.data, form.confirm.data, fast_hash=_fast()
            )
        except InvalidInput as error:
            _errors_onto(form, error, "password")
        else:
            logout_user()
            session.clear()
            flash("Your password is set. Sign in with it now.", "success")
            return redirect(url_for("auth.login"))
    response = render_template(
        "accounts/auth/choose_password.html", form=form, user=user, purpose=purpose
    )
    return response, _status()


# A clear answer when a rate limit is reached, on every page and API route.
bp.app_errorhandler(429)(limits.too_many_requests)
