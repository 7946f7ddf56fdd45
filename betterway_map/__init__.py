"""Better Way Map: see and strengthen a place's relationships."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

# Nothing heavy is imported here, so that the pure packages (geo, measures,
# schedule, demo, ...) load without Flask or SQLAlchemy, e.g. in the child
# process that reads postcode files.
ROOT = Path(__file__).resolve().parent.parent

__all__ = ["create_app", "ROOT"]


def create_app(config=None) -> Flask:
    """Build the application.

    ``config`` is a class from ``config.py`` or a mapping of settings (tests
    pass a mapping to override, e.g. the database URL).
    """
    from flask import Flask

    app = Flask(
        __name__,
        instance_path=os.environ.get("BETTERWAY_INSTANCE") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    _configure(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
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
    _check_geocoder(app.config)


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


def _instance_secret(instance: Path) -> str:
    """A secret key made once and kept in the instance folder, so that every
    worker of one installation signs cookies with the same key."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (registers the tables with the metadata)
    from .extensions import csrf, db, limiter, migrate
    from .web import access
    from .web.auth import init_login

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    init_login(app)
    access.init_app(app)


def register_blueprints(app: Flask) -> None:
    from . import web
    from .web.api import init_api

    for module in feature_modules(web, "bp"):
        app.register_blueprint(module.bp)
    init_api(app)


def register_errorhandlers(app: Flask) -> None:
    from .errors import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from . import cli

    for module in feature_modules(cli, "init_app"):
        module.init_app(app)


def feature_modules(package, attribute: str) -> list:
    """The modules of ``package`` that define ``attribute``, in name order.

    Each feature adds its blueprint, API blueprint or commands by adding a
    module; nothing else needs to list it.
    """
    import pkgutil
    from importlib import import_module

    modules = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.ispkg or info.name.startswith("_"):
            continue
        module = import_module(f"{package.__name__}.{info.name}")
        if hasattr(module, attribute):
            modules.append(module)
    return modules


def register_template_helpers(app: Flask) -> None:
    from flask import g

    from . import vocab

    @app.context_processor
    def _vocabularies():
        return {"vocab": vocab}

    @app.template_global()
    def csp_nonce() -> str:
        """A per-response nonce for the few inline <script> and <style>
        elements a page needs (a map's); the Content-Security-Policy header
        allows exactly these and nothing else inline."""
        if "csp_nonce" not in g:
            g.csp_nonce = secrets.token_urlsafe(16)
        return g.csp_nonce

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        nonce = f" 'nonce-{g.csp_nonce}'" if "csp_nonce" in g else ""
        # Tile servers are allowed only on pages that drew a map (which
        # asked for a nonce for its script).
        tiles = app.config.get("CSP_IMG_SOURCES", ()) if "csp_nonce" in g else ()
        img = " ".join(["'self'", "data:", *tiles])
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; img-src {img}; style-src 'self'{nonce}; "
            f"script-src 'self'{nonce}; frame-ancestors 'none'; form-action 'self'; "
            "base-uri 'none'; object-src 'none'",
        )
        return response
