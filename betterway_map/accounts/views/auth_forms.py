"""The Flask-WTF forms of signing up, signing in and recovering an account."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

__all__ = [
    "LoginForm",
    "RegisterForm",
    "ConfirmForm",
    "CodeForm",
    "ForgotForm",
    "NewPasswordForm",
]


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
    # Asked only of users with two-factor sign-in on (checked in the view).
    code = StringField(
        "Code from your authenticator app",
        validators=[Optional(), Length(max=20, message="Enter the 6 digits.")],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class CodeForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app",
        validators=[
            DataRequired("Enter the 6 digits your authenticator app shows."),
            Length(max=20, message="Enter the 6 digits your authenticator app shows."),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class ForgotForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter the email address you sign in with."),
            Length(max=254, message="Use at most 254 characters."),
        ],
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired("Choose a password.")])
    confirm = PasswordField(
        "Type the new password again", validators=[DataRequired("Type the password again.")]
    )
