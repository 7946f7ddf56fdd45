"""Signing up, signing in and out, and confirming the password again."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from ..errors import BetterWayError
from ..extensions import limiter, login_manager
from ..services import accounts
from .access import public, signed_in

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


class RegisterForm(FlaskForm):
    display_name = StringField(
        "Your first name",
        validators=[
            DataRequired("Enter your first name."),
            Length(max=100, message="Use at most 100 characters."),
        ],
    )
    email = EmailField("Email address", validators=[DataRequired("Enter your email address.")])
    password = PasswordField("Password", validators=[DataRequired("Choose a password.")])
    confirm = PasswordField(
        "Type the password again",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", "The two passwords are not the same."),
        ],
    )
    role = RadioField(
        "I am",
        choices=[
            SelectChoice("resident", "Someone who lives here, looking for groups or offering help"),
            SelectChoice("org_admin", "Registering an organisation, its spaces and groups"),
        ],
        default="resident",
        validators=[DataRequired("Choose one.")],
    )


class ConfirmForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


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
    session["sid"] = accounts.start_session(user)
    session.permanent = False
    login_user(user, remember=False)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(
            form.email.data,
            form.password.data,
            fast_hash=current_app.config.get("PASSWORD_HASH_FAST", False),
        )
        if user is not None:
            _sign_in(user)
            flash(f"Welcome, {user.display_name}.", "success")
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors = ["That email address and password do not match an account."]
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
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
                fast_hash=current_app.config.get("PASSWORD_HASH_FAST", False),
            )
        except BetterWayError as error:
            for name, messages in error.errors.items():
                field = getattr(form, name, None)
                if field is not None:
                    field.errors = list(messages)
            if not error.errors:
                form.email.errors = [error.message]
        else:
            _sign_in(user)
            flash("Your account is ready.", "success")
            return redirect(url_for("main.dashboard"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/logout", methods=["POST"])
@public  # signing out is harmless, and must work even from a half-expired session
def logout():
    accounts.end_session(session.get("sid"))
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("main.index"))


@bp.route("/confirm", methods=["GET", "POST"])
@signed_in
@limiter.limit(_login_limit, methods=["POST"])
def confirm():
    form = ConfirmForm()
    if form.validate_on_submit():
        user = accounts.authenticate(
            current_user.email,
            form.password.data,
            fast_hash=current_app.config.get("PASSWORD_HASH_FAST", False),
        )
        if user is not None and user.id == current_user.id:
            accounts.reauthenticate(session.get("sid"))
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors = ["That password is not right."]
    status = 400 if request.method == "POST" else 200
    return render_template("auth/confirm.html", form=form), status


@login_manager.user_loader
def _load_session_user(user_id: str):
    if _bearer_token() is not None:
        return None  # a bearer token, when sent, is the only credential that counts
    return accounts.user_for_session(
        user_id, session.get("sid"), current_app.config["SESSION_IDLE_MINUTES"]
    )


@login_manager.request_loader
def _load_token_user(req):
    token = _bearer_token()
    if token is None or not req.path.startswith("/api/"):
        return None
    user = accounts.user_for_api_token(token)
    if user is not None:
        g.authenticated_by_token = True
    return user


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def init_login(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = None  # sessions are checked on the server instead
