"""Better Way Map: see and strengthen a place's relationships."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from flask import Flask

# Nothing heavy is imported here, so that the pure core (domain/) and the
# demo generator load without Flask or SQLAlchemy, e.g. in the child
# process that reads postcode files.
ROOT = Path(__file__).resolve().parent.parent

__all__ = ["create_app", "ROOT"]


def create_app(config=None) -> Flask:
    """Build the application.

    ``config`` is a class from ``config.py`` or a mapping of settings (tests
    pass a mapping to override, e.g. the database URL).
    """
    from betterway_map.web.application import Application

    app = Application(
        __name__,
        instance_path=os.environ.get("BETTERWAY_INSTANCE") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    _configure(app, config)
    _trust_proxies(app)
    register_request_handling(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    register_hooks()
    return app


def _configure(app: Flask, config) -> None:
    from config import Config

    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.from_mapping(config)
    elif config is not None:
        app.config.from_object(config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    _totp_keys(app)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'betterway.db'}"
        )
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):  # the form some hosts give; SQLAlchemy wants postgresql://
        uri = "postgresql://" + uri[len("postgres://") :]
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://") :]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("postgresql"):
        _postgresql_timeouts(app.config)
    _check_geocoder(app.config)
    _check_public_base_url(app.config)
    _check_two_factor_roles(app.config)


def _postgresql_timeouts(config) -> None:
    """Bound how long a request waits for a connection, new or from the pool
    (the statement timeout is set per connection, ``extensions``); settings
    given in ``SQLALCHEMY_ENGINE_OPTIONS`` win."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_timeout", config["DATABASE_POOL_TIMEOUT_SECONDS"])
    connect_args = dict(options.get("connect_args") or {})
    connect_args.setdefault("connect_timeout", config["DATABASE_CONNECT_TIMEOUT_SECONDS"])
    options["connect_args"] = connect_args
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _check_public_base_url(config) -> None:
    """Emailed links are built from ``PUBLIC_BASE_URL`` alone in production,
    never from a request's ``Host`` header, which anyone can forge."""
    base = (config.get("PUBLIC_BASE_URL") or "").strip()
    if not base:
        if config.get("PUBLIC_BASE_URL_REQUIRED"):
            raise RuntimeError(
                "PUBLIC_BASE_URL is not set: production builds password-reset and invitation "
                "links from it alone. Set it to the site's address, e.g. "
                "PUBLIC_BASE_URL=https://map.example.org"
            )
        return
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RuntimeError(
            f"PUBLIC_BASE_URL is {base!r}; it must be the site's full address, "
            "e.g. https://map.example.org"
        )


def _trust_proxies(app: Flask) -> None:
    """Behind ``PROXY_FIX_X_FOR`` reverse proxies, the client's address is
    read from X-Forwarded-For (what rate limits count per)."""
    proxies = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)


def _check_geocoder(config) -> None:
    """Refuse to start with an online geocoder that would be refused or misused."""
    geocoder = config.get("GEOCODER") or ""
    if not geocoder:
        return
    if geocoder != "nominatim":
        raise RuntimeError(f"GEOCODER is {geocoder!r}; use 'nominatim' or leave it empty (off).")
    if not (config.get("GEOCODER_USER_AGENT") or "").strip():
        raise RuntimeError(
            "GEOCODER=nominatim needs GEOCODER_USER_AGENT naming this installation and a "
            "contact, e.g. 'better-way-map (eastbrook council, gis@example.org)'."
        )


def _instance_secret(instance: Path, name: str = "secret_key", make=None) -> str:
    """A secret made once and kept in the instance folder (readable only by
    its owner), so that every worker of one installation uses the same one."""
    path = instance / name
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it first
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(make() if make else secrets.token_hex(32))
    return path.read_text().strip()


def _totp_keys(app: Flask) -> None:
    """The keys that encrypt TOTP secrets at rest: ``TOTP_ENCRYPTION_KEYS``,
    else (not in production) one made once in the instance folder. Checked
    here, so that a key that is not a Fernet key stops the start, saying which."""
    from betterway_map.accounts import secret_box

    if not (app.config.get("TOTP_ENCRYPTION_KEYS") or "").strip():
        if app.config.get("TOTP_ENCRYPTION_KEYS_REQUIRED"):
            raise RuntimeError(
                "TOTP_ENCRYPTION_KEYS is not set: production keeps two-factor secrets "
                "encrypted with a key from the environment. Make one with "
                '`python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"` and keep it safe, apart from the '
                "database's backups."
            )
        app.config["TOTP_ENCRYPTION_KEYS"] = _instance_secret(
            Path(app.instance_path), secret_box.KEY_FILE, secret_box.new_key
        )
    secret_box.parse_keys(app.config["TOTP_ENCRYPTION_KEYS"])


def _check_two_factor_roles(config) -> None:
    from betterway_map.domain import vocab

    required = config.get("TWO_FACTOR_REQUIRED_ROLES") or ()
    if isinstance(required, str):
        required = [part.strip() for part in required.split(",") if part.strip()]
    config["TWO_FACTOR_REQUIRED_ROLES"] = tuple(required)
    known = vocab.values(vocab.ROLES)
    unknown = [role for role in required if role not in known]
    if unknown:
        raise RuntimeError(
            f"TWO_FACTOR_REQUIRED_ROLES names {', '.join(map(repr, unknown))}, which is not a "
            f"role; the roles are {', '.join(known)} (comma-separated; empty for none)."
        )


def register_request_handling(app: Flask) -> None:
    """Before any route or extension: the log and each request's id, ``int``
    in routes as a bounded record number, control characters refused in
    every input, the session cookie left unread on API requests that send
    none, and JSON answers written by orjson."""
    from betterway_map.web import ids, input_checks, json_answers, logs, session_cookie

    logs.init_app(app)
    ids.init_app(app)
    input_checks.init_app(app)
    session_cookie.init_app(app)
    json_answers.init_app(app)


def register_extensions(app: Flask) -> None:
    from betterway_map.accounts import secret_box
    from betterway_map.accounts.services.sessions import session_is_fresh
    from betterway_map.accounts.views.credentials import init_login
    from betterway_map.database import track_table_versions
    from betterway_map.extensions import csrf, db, limiter, migrate
    from betterway_map.web import access, limiter_check

    _import_models()
    db.init_app(app)
    track_table_versions()
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    limiter_check.init_app(app, limiter)
    # Flask-Limiter's warnings (above all: "storage unreachable, falling back
    # to in-memory storage" when Redis is down) go where the app's own go.
    for handler in app.logger.handlers:
        limiter.logger.addHandler(handler)
    secret_box.init_app(app)
    init_login(app)
    access.init_app(app, session_is_fresh)
    register_rights_hooks(app)


def register_rights_hooks(app: Flask) -> None:
    """What withdrawing consent does, and what a subject access export holds,
    in capabilities above ``people``, which cannot import them
    (``people.services.consent.after_withdrawal``, ``people.services.export``)."""
    from betterway_map.matching.services.requests import close_on_withdrawal
    from betterway_map.people.services.consent import WITHDRAWAL_EFFECTS
    from betterway_map.people.services.export import EXPORT_SECTIONS
    from betterway_map.rights.services.subject_access import held_elsewhere

    app.extensions[WITHDRAWAL_EFFECTS] = (close_on_withdrawal,)
    app.extensions[EXPORT_SECTIONS] = (held_elsewhere,)


def _import_models() -> None:
    """Every capability's tables, registered with the one metadata."""
    from betterway_map.accounts import models as accounts  # noqa: F401
    from betterway_map.geocoding import models as geocoding  # noqa: F401
    from betterway_map.inbox import models as inbox  # noqa: F401
    from betterway_map.matching import models as matching  # noqa: F401
    from betterway_map.measures import models as measures  # noqa: F401
    from betterway_map.network import models as network  # noqa: F401
    from betterway_map.people import models as people  # noqa: F401
    from betterway_map.register import models as register  # noqa: F401


def register_blueprints(app: Flask) -> None:
    """The page blueprints, then the API's, each listed once here."""
    from betterway_map.accounts.api import me, users
    from betterway_map.accounts.views import account, admin, audit, auth
    from betterway_map.demo.town_map import town_features
    from betterway_map.geocoding import background as map_background
    from betterway_map.geocoding.views import areas
    from betterway_map.geocoding.views import background as geocoding
    from betterway_map.home import views as home
    from betterway_map.inbox import views as inbox
    from betterway_map.interop.calendars import views as calendars
    from betterway_map.interop.calendars.imports import views as calendar_imports
    from betterway_map.interop.openactive import views as openactive
    from betterway_map.interop.oruk import api as oruk
    from betterway_map.interop.oruk import views as oruk_import
    from betterway_map.interop.sheets import views as sheets
    from betterway_map.interop.volunteering import views as volunteering
    from betterway_map.matching.api import journey as matching_journey_api
    from betterway_map.matching.api import records as matching_records_api
    from betterway_map.matching.api import runs as matching_api
    from betterway_map.matching.api import suggestions as suggestions_api
    from betterway_map.matching.views import journey as matching_journey
    from betterway_map.matching.views import person_pictures, suggestions
    from betterway_map.matching.views import records as matching_records
    from betterway_map.matching.views import runs as matching_runs
    from betterway_map.measures.api import records as measures_records_api
    from betterway_map.measures.views import dashboards as measures_dashboards
    from betterway_map.measures.views import records as measures_records
    from betterway_map.network.api import figures as area
    from betterway_map.network.api import network as network_api
    from betterway_map.network.views import council, council_network, organisation_picture, worker
    from betterway_map.people.api import attendance as attendance_api
    from betterway_map.people.api import consents, help, loneliness, ties, volunteers
    from betterway_map.people.api import directory as people_api
    from betterway_map.people.views import (
        assignments,
        attendance,
        directory,
        offers,
        profile,
        records,
    )
    from betterway_map.places import api as nearby_api
    from betterway_map.places import views as nearby
    from betterway_map.register.api import groups as groups_api
    from betterway_map.register.api import organisations as organisations_api
    from betterway_map.register.api import spaces as spaces_api
    from betterway_map.register.views import groups, meetings, organisations, spaces
    from betterway_map.register.views import imports as register_import
    from betterway_map.rights import api as rights_api
    from betterway_map.rights import views as rights
    from betterway_map.web import vendor
    from betterway_map.web.api import init_api

    pages = (
        account.bp,
        admin.bp,
        audit.bp,
        areas.bp,
        assignments.bp,
        attendance.bp,
        auth.bp,
        calendars.bp,
        calendar_imports.bp,
        council.bp,
        council_network.bp,
        geocoding.bp,
        groups.bp,
        home.bp,
        inbox.bp,
        matching_journey.bp,
        matching_records.bp,
        matching_runs.bp,
        meetings.bp,
        measures_records.bp,
        measures_dashboards.bp,
        openactive.bp,
        oruk.bp,
        oruk_import.bp,
        register_import.bp,
        organisation_picture.bp,
        person_pictures.bp,
        vendor.bp,
        nearby.bp,
        worker.bp,
        organisations.bp,
        offers.bp,
        directory.bp,
        records.bp,
        profile.bp,
        rights.bp,
        sheets.bp,
        spaces.bp,
        suggestions.bp,
        volunteering.bp,
    )
    for blueprint in pages:
        app.register_blueprint(blueprint)
    app.extensions["bwm_json_paths"] = (oruk.BASE_PATH,)  # errors.JSON_PATHS
    # The offline map background draws the demo town's streets and places.
    map_background.init_app(app, town=town_features)
    # (blueprint, path under /api/v1), in the order the OpenAPI document lists them.
    init_api(
        app,
        (
            (users.blp, "/users"),
            (area.blp, "/area"),
            (attendance_api.blp, ""),
            (consents.blp, "/people"),
            (groups_api.blp, "/groups"),
            (suggestions_api.blp, ""),
            (help.blp, ""),
            (loneliness.blp, "/people"),
            (matching_journey_api.blp, "/matching/matches"),
            (matching_records_api.blp, "/matching"),
            (matching_api.blp, "/matching"),
            (measures_records_api.blp, "/measures"),
            (me.blp, ""),
            (nearby_api.blp, "/nearby"),
            (network_api.blp, "/network"),
            (organisations_api.blp, "/organisations"),
            (people_api.blp, ""),
            (rights_api.blp, ""),
            (spaces_api.blp, "/spaces"),
            (ties.blp, "/people"),
            (volunteers.blp, "/people"),
        ),
    )


def register_errorhandlers(app: Flask) -> None:
    from betterway_map.errors import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    """The ``flask ...`` command groups, each listed once here."""
    from betterway_map.accounts.cli import users_cli
    from betterway_map.demo.cli import demo_command
    from betterway_map.geocoding.cli import areas_cli
    from betterway_map.geocoding.cli import gazetteer as gazetteer_cli
    from betterway_map.interop.calendars.imports.cli import calendars_cli
    from betterway_map.interop.oruk.cli import oruk_cli
    from betterway_map.measures.cli import measures_cli
    from betterway_map.network.cli import network_cli
    from betterway_map.places.cli import places_cli
    from betterway_map.register.cli import register_cli

    # ``flask maps check`` comes with the maps blueprint (``web.vendor``).
    for command in (
        areas_cli,
        calendars_cli,
        demo_command,
        gazetteer_cli,
        measures_cli,
        network_cli,
        oruk_cli,
        places_cli,
        register_cli,
        users_cli,
    ):
        app.cli.add_command(command)


def register_hooks() -> None:
    """What a lower capability's step lets a higher one add, in the same
    transaction: a match's approval writes its agreed rhythm (``measures``).
    Keyed by name, so that building several apps registers each once."""
    from betterway_map.matching.services import journey
    from betterway_map.measures.services import rhythms

    journey.ON_APPROVED["measures.rhythm"] = rhythms.agree_at_approval


def register_template_helpers(app: Flask) -> None:
    """Filters, globals and ``vocab`` (``web.templating``), and the security headers."""
    from flask import g

    from betterway_map.inbox import views as inbox
    from betterway_map.interop.calendars import views as calendars
    from betterway_map.measures.views import records as measures
    from betterway_map.people.views import records
    from betterway_map.web import templating

    templating.register_template_helpers(app)
    helpers = {
        **records.TEMPLATE_GLOBALS,
        **inbox.TEMPLATE_GLOBALS,
        **calendars.TEMPLATE_GLOBALS,
        **measures.TEMPLATE_GLOBALS,
    }
    for name, value in helpers.items():
        app.add_template_global(value, name)

    @app.after_request
    def _security_headers(response):
        """Each header unless the view set it (one pass over the answer's
        headers, not one a header: this runs on every answer)."""
        nonce = f" 'nonce-{g.csp_nonce}'" if "csp_nonce" in g else ""
        # Tile servers are allowed only on pages that drew a map (which
        # asked for a nonce for its script).
        tiles = app.config.get("CSP_IMG_SOURCES", ()) if "csp_nonce" in g else ()
        img = " ".join(["'self'", "data:", *tiles])
        wanted = [
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Strict-Transport-Security", app.config.get("STRICT_TRANSPORT_SECURITY")),
            (
                "Content-Security-Policy",
                f"default-src 'self'; img-src {img}; style-src 'self'{nonce}; "
                f"script-src 'self'{nonce}; frame-ancestors 'none'; form-action 'self'; "
                "base-uri 'none'; object-src 'none'",
            ),
        ]
        present = {name.lower() for name in response.headers.keys()}
        response.headers.extend(
            [(name, value) for name, value in wanted if value and name.lower() not in present]
        )
        return response
