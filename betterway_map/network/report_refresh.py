"""Recomputing the council's area report in the background, one at a time.

The area report takes seconds to compute and every write to the tables it
reads changes its key, so a request never waits for it while a report is
stored: ``network.report.area_bundle`` serves the stored one (with the
moment it was computed, ``stale: true`` and ``updating``) and calls
``start`` here, which queues the recompute after taking a lock shared by
every worker process:

- Redis (``SET key token NX EX``) when ``REDIS_URL`` (else
  ``RATELIMIT_STORAGE_URI``, the rate limits' shared storage) is Redis; if
  Redis cannot be reached, a warning is logged and the database lock below
  is used;
- otherwise a row in ``network_report_cache`` (kind ``area-refresh``): its
  primary key lets only one process insert it. A row older than
  ``NETWORK_REPORT_LOCK_SECONDS`` is taken to be left by a killed worker and
  is replaced. Both locks expire after that time, so a worker killed while
  recomputing never blocks the refresh for longer.

The lock is held from the moment the job is queued until it has run, so
"running or queued" is one question (``running``). Where the job runs:

- ``app.extensions["network_report_executor"]`` (a callable given the job)
  when set: the tests set one, to run jobs when they choose;
- the RQ queue ``NETWORK_REPORT_QUEUE_NAME`` on ``REDIS_URL`` when
  ``NETWORK_REPORT_QUEUE=rq`` (production: the Redis it already runs), run
  by ``flask network worker``; the job is a dotted name and plain arguments;
- otherwise a daemon thread in this worker (the embedded default).

The job has its own app context and so its own database session; a job that
fails is logged with its traceback and the stored report keeps being served
(the next request that finds it stale tries again).
"""

from __future__ import annotations

import importlib
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db
from betterway_map.network.models import NetworkReportCache

__all__ = ["LOCK_KIND", "queue_name", "rq_queue", "run", "running", "start"]

log = logging.getLogger(__name__)

LOCK_KIND = "area-refresh"
REDIS_KEY = "betterway:network-report:refresh"
_RELEASE_SCRIPT = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)


def _lock_key(app: Flask) -> str:
    return app.config.get("NETWORK_REPORT_LOCK_KEY") or REDIS_KEY


def _ttl(app: Flask) -> int:
    return int(app.config.get("NETWORK_REPORT_LOCK_SECONDS", 300))


def _redis(app: Flask):
    uri = app.config.get("REDIS_URL") or app.config.get("RATELIMIT_STORAGE_URI", "")
    if not uri.startswith(("redis://", "rediss://")):
        return None
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    timeout = float(app.config.get("RATELIMIT_STORAGE_TIMEOUT_SECONDS", 1))
    return redis.Redis.from_url(
        uri, socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0)
    )


def _db_acquire(app: Flask, token: str) -> bool:
    """Insert the lock row in its own short transaction (not the request's)."""
    table = NetworkReportCache.__table__
    row = {"kind": LOCK_KIND, "input_digest": token, "computed_at": utcnow(), "payload": {}}
    for attempt in (1, 2):
        try:
            with db.engine.begin() as connection:
                connection.execute(insert(table).values(**row))
            return True
        except IntegrityError:
            if attempt == 2:
                return False
            expired = utcnow() - timedelta(seconds=_ttl(app))
            with db.engine.begin() as connection:
                connection.execute(
                    delete(table).where(table.c.kind == LOCK_KIND, table.c.computed_at < expired)
                )
    return False


def _db_release(token: str) -> None:
    table = NetworkReportCache.__table__
    with db.engine.begin() as connection:
        connection.execute(
            delete(table).where(table.c.kind == LOCK_KIND, table.c.input_digest == token)
        )


def _acquire(app: Flask) -> tuple[str, str] | None:
    """``(where, token)`` of the lock taken, or None when a recompute runs."""
    token = uuid.uuid4().hex
    try:
        client = _redis(app)
        if client is not None:
            taken = client.set(_lock_key(app), token, nx=True, ex=_ttl(app))
            return ("redis", token) if taken else None
    except Exception:  # redis.RedisError, or a URI redis-py cannot read
        log.warning("Redis unreachable: the report refresh lock falls back to the database")
    try:
        return ("db", token) if _db_acquire(app, token) else None
    except SQLAlchemyError:
        log.exception("Could not take the report refresh lock")
        return None


def _release(app: Flask, lock: tuple[str, str]) -> None:
    where, token = lock
    try:
        if where == "redis":
            client = _redis(app)
            client.eval(_RELEASE_SCRIPT, 1, _lock_key(app), token)
        else:
            _db_release(token)
    except Exception:
        # It expires after NETWORK_REPORT_LOCK_SECONDS anyway.
        log.exception("Could not release the report refresh lock")


def _thread(job: Callable[[], None]) -> None:
    threading.Thread(target=job, name="network-report-refresh", daemon=True).start()


def queue_name(app: Flask) -> str:
    return app.config.get("NETWORK_REPORT_QUEUE_NAME", "betterway-network")


def rq_queue(app: Flask):
    """The RQ queue the recompute goes to (``NETWORK_REPORT_QUEUE=rq``), on
    ``REDIS_URL`` (else the rate limits' Redis)."""
    import redis
    from rq import Queue

    url = app.config.get("REDIS_URL") or app.config.get("RATELIMIT_STORAGE_URI", "")
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise RuntimeError(
            f"NETWORK_REPORT_QUEUE=rq needs REDIS_URL to be a Redis URL, not {url!r}"
        )
    return Queue(queue_name(app), connection=redis.Redis.from_url(url))


def _function(path: str) -> Callable:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def run(path: str, args: tuple, lock: tuple[str, str]) -> None:
    """Run the job ``path`` ("module:function") with ``args`` in the
    current app context, then release ``lock``; a failure is logged with its
    traceback and the stored report stays. What a queued job runs (in
    ``flask network worker``) and what the thread runs."""
    app = current_app._get_current_object()
    try:
        _function(path)(*args)
    except Exception:
        log.exception("Recomputing the council area report failed; the stored one stays")
        db.session.rollback()
    finally:
        db.session.remove()
        _release(app, lock)


def start(path: str, *args) -> bool:
    """Run ``path`` ("module:function", given ``args``: plain values) in the
    background unless a recompute is already running or queued in some
    worker; True when this call started it.

    Where it runs: ``app.extensions["network_report_executor"]`` (a callable
    given the job; the tests' own) when set; else the RQ queue when
    ``NETWORK_REPORT_QUEUE`` is ``rq`` (run by ``flask network worker``);
    else a daemon thread in this process (the embedded default).
    """
    app = current_app._get_current_object()
    lock = _acquire(app)
    if lock is None:
        return False

    def job() -> None:
        with app.app_context():
            run(path, args, lock)

    try:
        executor = app.extensions.get("network_report_executor")
        if executor is not None:
            executor(job)
        elif app.config.get("NETWORK_REPORT_QUEUE", "thread") == "rq":
            rq_queue(app).enqueue(
                run,
                path,
                args,
                lock,
                job_timeout=_ttl(app),
                result_ttl=0,
                failure_ttl=24 * 3600,
                description="Recompute the council area report",
            )
        else:
            _thread(job)
    except Exception:
        log.exception("Could not start the council area report's recompute")
        _release(app, lock)
        return False
    return True


def running() -> bool:
    """Whether a recompute is running or queued in some worker (its lock is held)."""
    app = current_app._get_current_object()
    try:
        client = _redis(app)
        if client is not None:
            return bool(client.exists(_lock_key(app)))
    except Exception:  # redis.RedisError: the database's lock is the one taken then
        log.warning("Redis unreachable: asking the database whether a recompute runs")
    table = NetworkReportCache.__table__
    expired = utcnow() - timedelta(seconds=_ttl(app))
    try:
        with db.engine.connect() as connection:
            row = connection.execute(
                select(table.c.kind).where(
                    table.c.kind == LOCK_KIND, table.c.computed_at >= expired
                )
            ).first()
    except SQLAlchemyError:
        return False
    return row is not None
