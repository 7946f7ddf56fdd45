"""What every browser test shares: the real application served over HTTP on
127.0.0.1 with its own migrated SQLite database, Debian's chromium driven by
Playwright, a watch on everything a page does (requests that would leave
the machine, dialogs, console and page errors, CSP violations), and axe-core
run on a page for WCAG 2.2 A and AA.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1"}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# What "accessible" means here: WCAG 2.0, 2.1 and 2.2 at levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def skip_reason() -> str | None:
    """Why the browser tests cannot run on this machine, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: pip install -r requirements-dev.txt"
    if not CHROMIUM.exists():
        return "No browser: install Debian's chromium (apt-get install -y chromium)"
    if not (ROOT / "node_modules/leaflet/dist/leaflet.js").exists() or not AXE.exists():
        return "The map files or axe-core are not installed: run `npm ci --no-audit --no-fund`"
    return None


# The app behind each address ``serve`` is serving, so that ``sign_in`` can
# type a code that the user has not used yet.
SERVED: dict = {}


@contextmanager
def serve(seed=None, **settings):
    """The application on a free port of 127.0.0.1, its database made by the
    migrations and filled by ``seed(app)``; yields ``(base_url, app)``."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from betterway_map import create_app
    from betterway_map.extensions import db
    from config import TestingConfig

    with tempfile.TemporaryDirectory() as folder:

        class BrowserConfig(TestingConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder}/browser.db"
            MAP_TILES = "none"

        for name, value in settings.items():
            setattr(BrowserConfig, name, value)
        previous = os.environ.get("BETTERWAY_INSTANCE")
        os.environ["BETTERWAY_INSTANCE"] = folder
        try:
            server_app = create_app(BrowserConfig)
        finally:
            if previous is not None:
                os.environ["BETTERWAY_INSTANCE"] = previous
        with server_app.app_context():
            upgrade()
        if seed is not None:
            seed(server_app)
        server = make_server("127.0.0.1", 0, server_app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        SERVED[base] = server_app
        try:
            yield base, server_app
        finally:
            SERVED.pop(base, None)
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
            with server_app.app_context():
                db.engine.dispose()


def launch_browser():
    """Debian's chromium through Playwright, for a module's ``browser``
    fixture: ``yield from launch_browser()``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watch:
    """Everything the page did that a test must see: requests, dialogs,
    console errors, uncaught errors and CSP violations."""

    def __init__(self):
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []

    def check(self, page, *, refused_forms: bool = False) -> None:
        """Fail on anything the page should not have done. ``refused_forms``:
        a form shown again with its errors answers 400, which chromium logs
        as a failed load; that one message is expected then."""
        violations = page.evaluate("window.__cspViolations")
        if refused_forms:
            self.console_errors = [
                text for text in self.console_errors if "responded with a status of 400" not in text
            ]
        assert self.outside == [], f"requests left localhost: {self.outside}"
        assert self.dialogs == [], f"dialogs fired: {self.dialogs}"
        assert self.page_errors == [], f"uncaught errors: {self.page_errors}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert violations == [], f"CSP violations: {violations}"
        assert page.evaluate("window.__pwned") is None


def _on_route(watch: Watch):
    def handle(route):
        url = route.request.url
        watch.requests.append(url)
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            watch.outside.append(url)
            route.abort()

    return handle


def new_page(browser, viewport=(1200, 900)):
    """A fresh context and page, watched; returns ``(context, page, watch)``.

    axe-core is added to every document by the browser itself (an init
    script), so the site's Content-Security-Policy needs no exception."""
    watch = Watch()
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    # Every request, even one a browser might make on its own, is seen here;
    # anything not for localhost is recorded and refused.
    context.route("**/*", _on_route(watch))
    page = context.new_page()
    page.set_default_timeout(5_000)  # a local page answers in far less; fail fast
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.add_init_script(path=str(AXE))

    def on_dialog(dialog):
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on(
        "console",
        lambda message: message.type == "error" and watch.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    return context, page, watch


# True once every map on the page has finished clustering: ``maps.declutter``
# marks each map's element when no two icons overlap (pages with no
# clustered map are settled at once). A map that fetches its layers (the
# council map: ``maps.council_script``) clusters once they have come; if
# they could not be had, it is settled with its message shown.
MAPS_SETTLED_JS = (
    "() => typeof bwDeclutter === 'undefined' || [...document"
    ".querySelectorAll('.leaflet-container')].every(m => m.dataset.declutter === 'done'"
    " || m.dataset.layers === 'failed')"
)


def accessibility_violations(page) -> list[str]:
    """axe-core's WCAG 2.2 A and AA violations on the page once its maps have
    settled (``MAPS_SETTLED_JS``: a map still re-clustering has icons that
    overlap for a moment), one line each: the rule, its impact, and the
    elements."""
    page.wait_for_function(MAPS_SETTLED_JS, timeout=10_000)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + json.dumps([node["target"] for node in v["nodes"]][:5])
        for v in result["violations"]
    ]


def assert_accessible(page) -> None:
    violations = accessibility_violations(page)
    assert violations == [], f"{page.url}: " + "\n".join(violations)


def visit(page, url: str):
    """Go to ``url``, expect 200, and check the page with axe-core."""
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, (url, response and response.status)
    assert_accessible(page)


def sign_in(page, base: str, email: str) -> None:
    """Sign in through the sign-in page as a person does (the test password),
    and type the code from their app when two-factor sign-in is on (site
    admins and workers: ``tests.conftest.make_user`` sets it up)."""
    from tests.conftest import PASSWORD
    from tests.factories.accounts import next_code_for_email

    visit(page, f"{base}/auth/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    assert "/auth/login" not in page.url, page.inner_text("main")
    assert_accessible(page)
    if urlsplit(page.url).path == "/auth/two-factor":
        page.get_by_label("Code from your authenticator app").fill(
            next_code_for_email(SERVED[base], email)
        )
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")
        assert "/auth/" not in page.url, page.inner_text("main")
        assert_accessible(page)
