"""What every benchmark here shares: an app on a database made by the real
migrations, and the machine's load average to print beside the figures.

    from benchmarks._common import bench_app, load_average
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

__all__ = ["ROOT", "bench_app", "load_average"]


def bench_app(folder: str | Path, database_url: str | None = None, *, migrate: bool = True):
    """The app in testing configuration on ``database_url`` (default: a
    SQLite file ``bench.db`` in ``folder``, which is also the instance
    folder), upgraded to the newest migration unless ``migrate`` is False
    (a database kept from an earlier run)."""
    from flask_migrate import upgrade

    from betterway_map import create_app
    from config import TestingConfig

    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url or f"sqlite:///{folder}/bench.db"

    os.environ["BETTERWAY_INSTANCE"] = str(folder)
    app = create_app(BenchConfig)
    if migrate:
        with app.app_context():
            upgrade()
    return app


def load_average() -> str:
    """``/proc/loadavg``'s 1, 5 and 15 minute averages, or "unknown"."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"
