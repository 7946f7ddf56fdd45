"""Extension objects, created unbound and initialised in ``create_app``."""

from __future__ import annotations

import sqlite3

from flask import current_app, has_request_context
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter SQLite tables (batch mode) and keep the
# same names on PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL lets readers work while one writer writes; the busy timeout makes a
    second writer wait instead of failing at once; foreign keys are off in
    SQLite unless asked for."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    try:
        timeout_ms = int(current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", 5000))
    except RuntimeError:  # outside an application context (Alembic offline)
        timeout_ms = 5000
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={timeout_ms:d}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "checkout")
def _statement_timeout(dbapi_connection, connection_record, connection_proxy):
    """PostgreSQL cancels a web request's statements after
    ``DATABASE_STATEMENT_TIMEOUT_SECONDS``, so that a stuck query ends in a 503
    rather than holding a worker. Outside a request (migrations, imports,
    reports run as commands, which may rightly take long) the server's own
    setting holds. A connection is told only when this changes, not on every
    checkout."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        return
    seconds = (
        current_app.config.get("DATABASE_STATEMENT_TIMEOUT_SECONDS")
        if has_request_context()
        else None
    )
    wanted = int(seconds * 1000) if seconds else None
    if connection_record.info.get("statement_timeout_ms") == wanted:
        return
    cursor = dbapi_connection.cursor()
    if wanted is None:
        cursor.execute("RESET statement_timeout")
    else:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", (str(wanted),))
    cursor.close()
    dbapi_connection.commit()  # or the pool's rollback on return would undo it
    connection_record.info["statement_timeout_ms"] = wanted
