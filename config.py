"""Configuration classes, read from the environment.

``create_app`` takes one of these (or a mapping for tests). Every setting can
be overridden by an environment variable of the same name.
"""

from __future__ import annotations

import os

from redis.backoff import NoBackoff
from redis.retry import Retry

from betterway_map.domain.network import defaults as network_defaults


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def _env_list(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """A comma-separated setting; set but empty means none."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return tuple(part.strip() for part in raw.split(",") if part.strip())


class Config:
    # None means: made once and kept in the instance folder (see create_app).
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # None means: SQLite in the instance folder.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLITE_BUSY_TIMEOUT_MS = _env_int("SQLITE_BUSY_TIMEOUT_MS", 5000)
    # PostgreSQL: a server that accepts connections but never answers must not
    # hold a page for long. A new connection gives up after the connect
    # timeout; a statement in a web request is cancelled by the server after
    # the statement timeout (commands such as `flask db upgrade` and imports
    # run without it); a request waits at most the pool timeout for a free
    # connection. The page then answers 503 (errors.py).
    DATABASE_CONNECT_TIMEOUT_SECONDS = _env_int("DATABASE_CONNECT_TIMEOUT_SECONDS", 5)
    DATABASE_STATEMENT_TIMEOUT_SECONDS = _env_int("DATABASE_STATEMENT_TIMEOUT_SECONDS", 15)
    DATABASE_POOL_TIMEOUT_SECONDS = _env_int("DATABASE_POOL_TIMEOUT_SECONDS", 10)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Secure cookies need HTTPS; the local demo runs on plain http://127.0.0.1,
    # so only ProductionConfig turns this on by default.
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # A login older than this is not "fresh" for sensitive actions.
    FRESH_LOGIN_MINUTES = _env_int("FRESH_LOGIN_MINUTES", 15)
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 120)

    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    WTF_CSRF_CHECK_DEFAULT = False  # checked by web.access for every unsafe request

    # Rate limits must hold across gunicorn workers: point this at Redis
    # (redis://127.0.0.1:6379) whenever more than one process serves.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # When Redis cannot be reached, count in each process's memory (and log a
    # warning) rather than refuse every sign-in with a 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = _env_bool("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    # A Redis that accepts connections but never answers must not hold a
    # sign-in for long: each call to it gives up after this, with no retry
    # (redis-py's defaults, 5 s and three retries, held one for about 15 s),
    # and the fallback above takes over. Ignored by memory://.
    RATELIMIT_STORAGE_TIMEOUT_SECONDS = float(
        os.environ.get("RATELIMIT_STORAGE_TIMEOUT_SECONDS", "1")
    )
    RATELIMIT_STORAGE_OPTIONS = {
        "socket_timeout": RATELIMIT_STORAGE_TIMEOUT_SECONDS,
        "socket_connect_timeout": RATELIMIT_STORAGE_TIMEOUT_SECONDS,
        "retry": Retry(NoBackoff(), 0),
    }
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    # Sign-in and registration per client address. Sign-in counts only the
    # attempts that fail (a wrong password, an unreadable form).
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    # Failed sign-ins per email address typed, from any number of client
    # addresses, whether or not it has an account (so the limit says nothing
    # about which addresses do). Also the failed "type your password again".
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get(
        "LOGIN_ACCOUNT_RATE_LIMIT", "5 per minute;20 per hour"
    )
    # The second sign-in step: failed codes per address and per account waiting for a code.
    TWO_FACTOR_RATE_LIMIT = os.environ.get("TWO_FACTOR_RATE_LIMIT", "5 per minute;20 per hour")
    PASSWORD_RESET_RATE_LIMIT = os.environ.get(
        "PASSWORD_RESET_RATE_LIMIT", "5 per minute;20 per hour"
    )
    # Requests for a reset link per email address typed (each may send an email).
    PASSWORD_RESET_ACCOUNT_RATE_LIMIT = os.environ.get(
        "PASSWORD_RESET_ACCOUNT_RATE_LIMIT", "3 per hour;10 per day"
    )
    # Messages a user sends through the platform (welcomes, questions, replies).
    MESSAGE_RATE_LIMIT = os.environ.get("MESSAGE_RATE_LIMIT", "10 per minute;60 per hour")
    # Keeps one installation's counters apart from others sharing a Redis.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "betterway")
    # How many reverse proxies in front of the app set X-Forwarded-For; 0
    # means none, and the address that connected is the client's. With 1
    # (e.g. nginx in front), Werkzeug's ProxyFix takes the client's address
    # from the header, so that rate limits count per real client. Never set
    # it higher than the proxies there really are: a client could then forge
    # its address.
    PROXY_FIX_X_FOR = _env_int("PROXY_FIX_X_FOR", 0)

    # Requests larger than this are refused (413) before they are read.
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 1_000_000)
    # The largest file ``flask oruk import`` and ``flask register import`` read
    # (uploads are bounded by MAX_CONTENT_LENGTH first).
    IMPORT_MAX_BYTES = _env_int("IMPORT_MAX_BYTES", 50_000_000)
    # The application's log (JSON lines on the server's error stream).
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    PASSWORD_MIN_LENGTH = 12
    PASSWORD_RESET_MAX_AGE_MINUTES = _env_int("PASSWORD_RESET_MAX_AGE_MINUTES", 60)
    # A new user's one-off "choose your password" link, made by a site admin.
    INVITE_MAX_AGE_HOURS = _env_int("INVITE_MAX_AGE_HOURS", 72)
    TOTP_ISSUER = os.environ.get("TOTP_ISSUER", "Better Way Map")
    # A sign-in waiting for its two-factor code is forgotten after this.
    TWO_FACTOR_PENDING_MINUTES = _env_int("TWO_FACTOR_PENDING_MINUTES", 5)
    # Users holding any of these roles (they see personal data) must sign in
    # with two factors: one who has not set it up is taken to set it up right
    # after their password, and reaches nothing else until they have; they
    # cannot switch it off, and their API token works only once it is on.
    TWO_FACTOR_REQUIRED_ROLES = _env_list("TWO_FACTOR_REQUIRED_ROLES", ("site_admin", "worker"))
    # How long someone who typed their password has to set two-factor
    # sign-in up (install an app, scan the code) before signing in again.
    TWO_FACTOR_ENROL_MINUTES = _env_int("TWO_FACTOR_ENROL_MINUTES", 15)
    # The keys that encrypt TOTP secrets at rest (Fernet, from the
    # `cryptography` package), comma-separated, the newest first: secrets are
    # encrypted with the first and read with any, so a key is rotated by
    # putting a new one in front, running `flask users rotate-2fa-key`, then
    # removing the old one. None means: made once and kept in the instance
    # folder (instance/totp_encryption_key, see create_app); production
    # refuses to start without it (TOTP_ENCRYPTION_KEYS_REQUIRED).
    TOTP_ENCRYPTION_KEYS = os.environ.get("TOTP_ENCRYPTION_KEYS")
    TOTP_ENCRYPTION_KEYS_REQUIRED = False

    # Email. Without MAIL_SERVER, messages are written to the application log
    # and to instance/outbox/ for an operator to pass on.
    # The site's address as people reach it (https://map.example.org); emailed
    # links start with it rather than with whatever Host a request claimed.
    # Production refuses to start without it (PUBLIC_BASE_URL_REQUIRED).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")
    PUBLIC_BASE_URL_REQUIRED = False
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = _env_int("MAIL_PORT", 587)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Better Way Map <no-reply@localhost>")
    MAIL_TIMEOUT_SECONDS = _env_int("MAIL_TIMEOUT_SECONDS", 10)
    MIN_CELL_COUNT = _env_int("MIN_CELL_COUNT", 5)
    # People with no activity at all for this many days are listed for a
    # retention review (keep or erase), for site admins and their workers.
    RETENTION_REVIEW_DAYS = _env_int("RETENTION_REVIEW_DAYS", 730)

    # The network (issue 4). Ties and attendance older than the activity
    # window count as lapsed; cells are H3 hexagons (resolution 8 is about
    # 0.74 km²); groups and spaces count as "within reach" of a cell up to
    # the walking distance (the defaults, and where they come from, are in
    # betterway_map/domain/network/defaults.py). The council's area report
    # is kept in the database (shared by every worker process) and
    # recomputed when the register's records, the settings or the day
    # change; NETWORK_CACHE_ENABLED=0 recomputes it on every request.
    ACTIVITY_WINDOW_DAYS = _env_int("ACTIVITY_WINDOW_DAYS", network_defaults.ACTIVITY_WINDOW_DAYS)
    H3_RESOLUTION = _env_int("H3_RESOLUTION", network_defaults.H3_RESOLUTION)
    WALKING_DISTANCE_M = _env_int("WALKING_DISTANCE_M", network_defaults.WALKING_DISTANCE_M)
    NETWORK_CACHE_ENABLED = _env_bool("NETWORK_CACHE_ENABLED", True)
    # When the register has changed, serve the stored report at once (marked
    # stale, with its time) and recompute it in the background, one at a
    # time across workers (a Redis lock when REDIS_URL or RATELIMIT_STORAGE_URI
    # is Redis, else a row in the database), held at most this long. Off:
    # recompute in the request. NETWORK_REPORT_QUEUE: "thread" (a thread in
    # the web worker, the embedded default) or "rq" (the RQ queue on
    # REDIS_URL, run by `flask network worker`).
    NETWORK_REPORT_BACKGROUND = _env_bool("NETWORK_REPORT_BACKGROUND", True)
    NETWORK_REPORT_LOCK_SECONDS = _env_int("NETWORK_REPORT_LOCK_SECONDS", 300)
    NETWORK_REPORT_QUEUE = os.environ.get("NETWORK_REPORT_QUEUE", "thread")
    NETWORK_REPORT_QUEUE_NAME = os.environ.get("NETWORK_REPORT_QUEUE_NAME", "betterway-network")
    REDIS_URL = os.environ.get("REDIS_URL", "")
    NETWORK_CONNECTORS_TOP = _env_int("NETWORK_CONNECTORS_TOP", 20)

    # Online geocoding (off unless GEOCODER=nominatim): the gazetteer comes
    # first; this is asked only for what it does not know, once per query.
    GEOCODER = os.environ.get("GEOCODER", "")
    GEOCODER_USER_AGENT = os.environ.get("GEOCODER_USER_AGENT", "")
    GEOCODER_DOMAIN = os.environ.get("GEOCODER_DOMAIN", "nominatim.openstreetmap.org")
    GEOCODER_SCHEME = os.environ.get("GEOCODER_SCHEME", "https")
    GEOCODER_COUNTRY_CODES = os.environ.get("GEOCODER_COUNTRY_CODES", "gb")
    GEOCODER_MIN_DELAY_SECONDS = float(os.environ.get("GEOCODER_MIN_DELAY_SECONDS", "1.0"))
    GEOCODER_TIMEOUT_SECONDS = float(os.environ.get("GEOCODER_TIMEOUT_SECONDS", "5"))

    # Importing an organisation's calendar (.ics). From a web address the
    # organisation admin gives only when CALENDAR_FETCH is on (off by
    # default): public http(s) sites only, at most CALENDAR_IMPORT_MAX_BYTES,
    # within CALENDAR_FETCH_TIMEOUT_SECONDS. Uploads are bounded by
    # MAX_CONTENT_LENGTH too; `flask calendars import FILE` by the size only.
    CALENDAR_FETCH = _env_bool("CALENDAR_FETCH", False)
    CALENDAR_FETCH_TIMEOUT_SECONDS = float(os.environ.get("CALENDAR_FETCH_TIMEOUT_SECONDS", "10"))
    CALENDAR_IMPORT_MAX_BYTES = _env_int("CALENDAR_IMPORT_MAX_BYTES", 2_000_000)

    API_TITLE = "Better Way Map"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_PAGE_SIZE_MAX = 100

    # Maps. MAP_TILES: "openstreetmap", "none" (no tiles: works offline) or
    # the URL template of your own tile server, which then needs
    # MAP_TILE_ATTRIBUTION. The tile origin is added to the CSP's img-src.
    MAP_TILES = os.environ.get("MAP_TILES", "openstreetmap")
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION")
    # Where `npm ci` put leaflet and leaflet.markercluster; None means
    # node_modules/ at the top of the repository.
    MAP_ASSETS_DIR = os.environ.get("MAP_ASSETS_DIR")

    # The Strict-Transport-Security header sent with every response; empty
    # sends none. Production sends it: browsers then use only HTTPS.
    STRICT_TRANSPORT_SECURITY = ""


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-use"
    RATELIMIT_ENABLED = False
    # Argon2 at full cost would make the suite slow; the parameters are still
    # argon2id, only cheaper.
    PASSWORD_HASH_FAST = True
    # No tile server: the tests never reach the internet.
    MAP_TILES = "none"
    GEOCODER = ""  # never online in tests
    CALENDAR_FETCH = False  # nor fetching calendars
    # The area report is recomputed in the request, so a test sees its own
    # writes; tests/network/test_report_background.py turns the background
    # on with an executor it runs itself.
    NETWORK_REPORT_BACKGROUND = False


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https"
    PUBLIC_BASE_URL_REQUIRED = True
    TOTP_ENCRYPTION_KEYS_REQUIRED = True
    STRICT_TRANSPORT_SECURITY = os.environ.get(
        "STRICT_TRANSPORT_SECURITY", "max-age=31536000; includeSubDomains"
    )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
