"""Entry point for gunicorn and ``flask --app wsgi``.

The configuration is chosen by ``BETTERWAY_CONFIG`` (development, testing or
production; development by default).
"""

import os

from betterway_map import create_app
from config import CONFIGS

app = create_app(CONFIGS[os.environ.get("BETTERWAY_CONFIG", "development")])
