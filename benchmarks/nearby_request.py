"""What one warm nearby request costs the server, in process, and where it goes.

    .venv/bin/python benchmarks/nearby_request.py [--people 1000] [--requests 2000]
        [--database-url postgresql://...] [--page] [--profile] [--top 40]

The load benchmark's setting without gunicorn or sockets: the demo
(``--people``, seed 7) on SQLite in a temporary folder (or in the empty PostgreSQL
database given, made for the run), the app built as
``wsgi.py`` builds it in production (``ProductionConfig``: rate limits in
Redis when it answers on 127.0.0.1:6379, as ``benchmarks/load.py`` does),
and the load benchmark's searches (``/api/v1/nearby``, or ``/nearby`` with
``--page``, 2 km around the first 200 spaces) called straight through the
WSGI interface, each once to warm up, then ``--requests`` in turn. Prints
the CPU time a request (this process: the client side here is only a
prepared WSGI environment) beside a bare Flask hello-world called the same
way, and with ``--profile`` the cProfile of the timed requests, by own time
and by cumulative time.

This is the app's share of the server's CPU a request that
``benchmarks/load.py`` measures; gunicorn's own share (accepting, parsing,
writing) is about what it measures for the hello-world.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._common import load_average  # noqa: E402
from benchmarks.load import HELLO_APP, _rate_limit_storage, flask_command  # noqa: E402

__all__ = ["production_app", "search_paths", "cpu_ms_a_request", "main"]


def production_app(database_url: str, instance: Path):
    """The app as ``wsgi.py`` makes it with ``BETTERWAY_CONFIG=production``."""
    import os

    from betterway_map import create_app
    from betterway_map.accounts.secret_box import new_key
    from config import ProductionConfig

    os.environ["BETTERWAY_INSTANCE"] = str(instance)

    class Production(ProductionConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        SECRET_KEY = secrets.token_hex(32)
        TOTP_ENCRYPTION_KEYS = new_key()
        PUBLIC_BASE_URL = "http://127.0.0.1"
        SESSION_COOKIE_SECURE = False  # plain http, as the load benchmark serves
        MAP_TILES = "none"
        GEOCODER = ""
        RATELIMIT_STORAGE_URI = _rate_limit_storage()
        RATELIMIT_KEY_PREFIX = f"nearbyrequest-{secrets.token_hex(4)}"

    return create_app(Production)


def search_paths(app, page: bool) -> list[str]:
    """The load benchmark's searches: 2 km around each of the first 200 placed spaces."""
    from sqlalchemy import select

    from betterway_map.extensions import db
    from betterway_map.register.models import Space

    with app.app_context():
        points = db.session.execute(
            select(Space.latitude, Space.longitude)
            .where(Space.latitude.is_not(None))
            .order_by(Space.id)
            .limit(200)
        ).all()
        db.session.remove()
    start = "/nearby" if page else "/api/v1/nearby"
    return [f"{start}?lat={lat:.5f}&lon={lon:.5f}&radius_km=2" for lat, lon in points]


def _environs(paths: list[str]) -> list[dict]:
    from werkzeug.test import EnvironBuilder

    found = []
    for path in paths:
        builder = EnvironBuilder(path=path, base_url="http://127.0.0.1:8000")
        found.append(builder.get_environ())
        builder.close()
    return found


def _call(wsgi, environ: dict) -> int:
    status = []

    def start_response(line, headers, exc_info=None):
        status.append(line)

    body = wsgi(dict(environ), start_response)
    try:
        for _ in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return int(status[0].split()[0])


class _GcClock:
    """The time the garbage collector takes (which no profile shows)."""

    def __init__(self) -> None:
        self.seconds, self.collections, self._began = 0.0, [0, 0, 0], 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._began
            self.collections[info["generation"]] += 1


def cpu_ms_a_request(wsgi, paths: list[str], requests: int, profile=None) -> tuple[float, str]:
    """CPU milliseconds a request (this process), after one warm-up call of
    each path; and what the garbage collector took of it."""
    environs = _environs(paths)
    for environ in environs:
        status = _call(wsgi, environ)
        if status != 200:
            raise SystemExit(f"{environ['PATH_INFO']}?{environ['QUERY_STRING']}: {status}")
    clock = _GcClock()
    gc.callbacks.append(clock)
    began = time.process_time()
    if profile is not None:
        profile.enable()
    try:
        for i in range(requests):
            _call(wsgi, environs[i % len(environs)])
    finally:
        if profile is not None:
            profile.disable()
        gc.callbacks.remove(clock)
    ms = (time.process_time() - began) / requests * 1000
    collections = "/".join(map(str, clock.collections))
    return ms, f"garbage collection {clock.seconds / requests * 1000:.3f} ms ({collections})"


def _hello(folder: Path):
    """The load benchmark's hello-world app, from its file as gunicorn loads it."""
    import importlib.util

    path = folder / "hello.py"
    path.write_text(HELLO_APP)
    spec = importlib.util.spec_from_file_location("hello", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["hello"] = module
    spec.loader.exec_module(module)
    return module.app


def _print_profile(profile: cProfile.Profile, top: int) -> None:
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(top)
        print(f"\n--- by {order} ---")
        print(out.getvalue())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--page", action="store_true", help="the page /nearby, not the API")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    before = load_average()
    folder = Path(tempfile.mkdtemp(prefix="nearbyrequest-"))
    try:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        flask_command(url, folder, "db", "upgrade")
        flask_command(url, folder, "demo", "--people", str(args.people), "--seed", "7")
        app = production_app(url, folder)
        paths = search_paths(app, args.page)
        hello_ms, hello_gc = cpu_ms_a_request(_hello(folder), ["/"], args.requests)
        profile = cProfile.Profile() if args.profile else None
        ours_ms, ours_gc = cpu_ms_a_request(app, paths, args.requests, profile)
        with app.app_context():
            from betterway_map.extensions import db

            db.engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    what = "page /nearby" if args.page else "API /api/v1/nearby"
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"/proc/loadavg before: {before}; after: {load_average()}")
    print(f"demo of {args.people} people, {database}, {args.requests} requests, in process")
    print(f"hello-world: {hello_ms:.3f} ms CPU a request; {hello_gc}")
    profiled = " (profiled)" if profile else ""
    print(f"nearby {what}: {ours_ms:.3f} ms CPU a request{profiled}; {ours_gc}")
    if profile is not None:
        _print_profile(profile, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
