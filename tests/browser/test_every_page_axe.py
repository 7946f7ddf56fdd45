"""Every page of every role, in headless chromium with axe-core (issue 11:
"every page passes axe-core (WCAG 2.2 A and AA) with no violations").

The demo is loaded once for the module. Each role signs in through the
sign-in page (the worker and the site admin type their two-factor code) and
walks the site: it starts from every page without ids that its access
declaration lets it see, follows the links those pages show it (so the ids
are real rows of the demo that the role is shown), and visits each route of
the URL map once. A route no link reaches is tried with ids looked up in the
demo's rows the role may see. Each page must answer 200 (or the redirect
listed for it), log no console error, break no CSP rule, send nothing off the
machine, and have no axe-core violation; the anonymous visitor and the
resident also check, on a 640px-wide window (1280px at 200% zoom), that the
page does not scroll sideways.

Every HTML GET route of the app must be visited by at least one role, or be
listed in ``NOT_PAGES`` with the reason (a download, a feed, the JSON API),
so a new page that no walk reaches fails here until it is walked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from tests.factories.browser import AXE_TAGS, MAPS_SETTLED_JS, new_page, skip_reason

pytestmark = [
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
    pytest.mark.slow,
]

DOMAIN = "demo.betterway.example"
SEED, PEOPLE = 42, 600
# A site admin who has not set two-factor sign-in up yet: signing in takes
# them to the setup page, which no demo login ever sees.
NEW_ADMIN = "new.admin@example.org"
NARROW = 640  # 1280 CSS pixels at 200% zoom


@dataclass(frozen=True)
class Role:
    name: str  # as the test names it
    role: str | None  # the account's role, None for nobody signed in
    email: str | None
    narrow: bool = False  # also check the page at 640px for sideways scrolling
    only: tuple[str, ...] = ()  # visit only these rules (after signing in)


ROLES = [
    Role("anonymous", None, None, narrow=True),
    Role("resident", "resident", f"resident@{DOMAIN}", narrow=True),
    Role("requester", "resident", f"requester@{DOMAIN}"),
    Role("org_admin", "org_admin", f"org_admin@{DOMAIN}"),
    Role("worker", "worker", f"worker@{DOMAIN}"),
    Role("council", "council", f"council@{DOMAIN}"),
    Role("site_admin", "site_admin", f"site_admin@{DOMAIN}"),
    Role("new_site_admin", "site_admin", NEW_ADMIN, only=("/auth/two-factor/setup",)),
]

# GET routes that are not pages, with the reason; a route whose rule starts
# with one of these prefixes (the JSON APIs) is not a page either.
NOT_PAGE_PREFIXES = {
    "/api/": "the JSON API (answers JSON, checked by its schema tests)",
    "/oruk/": "the Open Referral UK API (answers JSON, checked by its conformance test)",
    "/static/": "the site's own files",
    "/vendor/": "the map libraries' files",
}
NOT_PAGES = {
    "/admin/audit/export.csv": "a CSV download",
    "/council/network/files/<name>": "a download of the network report",
    "/council/network/map/<digest>.json": "the council map's data, JSON its script fetches",
    "/council/network/organisations/files/<name>": "a download of the organisations picture",
    "/groups/<int:group_id>/calendar.ics": "an iCalendar feed",
    "/organisations/<int:organisation_id>/calendar.ics": "an iCalendar feed",
    "/nearby/calendar.ics": "an iCalendar feed",
    "/map/background.geojson": "the map's background, GeoJSON",
    "/measures/caseload/<table_name>.csv": "a CSV download",
    "/measures/council/<table_name>.csv": "a CSV download",
    "/measures/organisations/<int:organisation_id>/<table_name>.csv": "a CSV download",
    "/nearby/sheet.pdf": "a printed sheet, PDF",
    "/people/<int:person_id>/group-suggestions.pdf": "a printed sheet, PDF",
    "/people/<int:person_id>/sheet.pdf": "a printed sheet, PDF",
    "/people/<int:person_id>/summary.pdf": "a printed sheet, PDF",
    "/profile/data.pdf": "a person's data, PDF",
    "/profile/export": "a person's data, a JSON download",
    "/rights/people/<int:person_id>/data.json": "a person's data, a JSON download",
    "/openactive/session-series": "the OpenActive RPDE feed, JSON",
    "/volunteering/roles.jsonld": "the volunteering roles, JSON-LD",
}
# Pages that answer with a redirect, where they go, and why.
EXPECTED_REDIRECTS = {
    "/my/<any(measures, ties, volunteer, help, groups):section>": (
        "/people/<int:person_id>/groups",
        "a resident's own records live at their person's address",
    ),
    "/me/offer": ("/people/<int:person_id>/offer", "the same"),
    "/me/requests/new": ("/people/<int:person_id>/requests/new", "the same"),
    "/account/two-factor": (
        "/account",
        "the setup page shows a code only once setting up is started (a POST from /account)",
    ),
    "/auth/register": ("/me", "someone signed in has an account already"),
}

# What each role visited (rule -> URL), filled as the role tests run.
VISITED: dict[str, dict[str, str]] = {}
# The content type each route of NOT_PAGES answered with, when a link led to it.
NOT_PAGE_TYPES: dict[str, str] = {}


def _seed(app) -> None:
    """The demo, a matching run by the demo worker (its page), a message
    from the worker in the resident's inbox, and a site admin who has not
    set two-factor sign-in up."""
    from sqlalchemy import select

    from betterway_map.accounts.models import User
    from betterway_map.demo.generator import generate
    from betterway_map.demo.load import load
    from betterway_map.extensions import db
    from betterway_map.inbox.services import deliver
    from betterway_map.matching.services.runs import run_matching
    from tests.conftest import PASSWORD, make_user

    area = generate(seed=SEED, people=PEOPLE)
    with app.app_context():
        load(area, password=PASSWORD, fast_hash=True)
    with app.test_request_context():
        worker = db.session.scalar(select(User).where(User.email == f"worker@{DOMAIN}"))
        run_matching(worker, [])
        resident = db.session.scalar(select(User).where(User.email == f"resident@{DOMAIN}"))
        deliver(
            resident.id,
            sender=worker,
            sender_label=f"{worker.display_name}, community worker",
            subject="The lunch club on Tuesday",
            body="Would you like me to come with you the first time?",
        )
        db.session.commit()
    make_user(app, "site_admin", email=NEW_ADMIN, name="Nia Newcome", two_factor=False)


@pytest.fixture(scope="module")
def site():
    from tests.factories.browser import serve

    with serve(_seed) as (base, app):
        yield base, app


def is_page(rule) -> bool:
    if "GET" not in rule.methods:
        return False
    if any(rule.rule.startswith(prefix) for prefix in NOT_PAGE_PREFIXES):
        return False
    return rule.rule not in NOT_PAGES


def may_see(app, role: Role, endpoint: str) -> bool:
    """Whether the access declaration of ``endpoint`` lets the role in."""
    from betterway_map.web.access import rule_for

    declared = rule_for(app, endpoint)
    if declared is None:
        return False
    if declared.public:
        return True
    if role.role is None:
        return False
    return not declared.roles or role.role in declared.roles


def _user(email: str):
    from sqlalchemy import select

    from betterway_map.accounts.models import User
    from betterway_map.extensions import db

    return db.session.scalar(select(User).where(User.email == email))


def _assignment():
    from sqlalchemy import select

    from betterway_map.extensions import db
    from betterway_map.people.models import Assignment

    return db.session.scalars(
        select(Assignment).order_by(Assignment.person_id, Assignment.worker_id)
    ).first()


def _reset_link(role: Role) -> str | None:
    """A link from a reset email, opened by someone not signed in."""
    if role.email is not None:
        return None
    from betterway_map.accounts.services.password_reset import make_link_token

    return f"/auth/choose-password/{make_link_token(_user(NEW_ADMIN), 'reset')}"


def _active_match(role: Role, contact: bool = False) -> int | None:
    """An active match the role takes part in or looks after (``contact``:
    and whose contact page it may open: a party, or a worker who looks
    after one side only)."""
    from sqlalchemy import select

    from betterway_map.extensions import db
    from betterway_map.matching.models import Match
    from betterway_map.matching.permissions import match_roles
    from betterway_map.matching.services.journey_view import may_reveal

    user = _user(role.email)
    for match in db.session.scalars(
        select(Match).where(Match.status == "active").order_by(Match.id)
    ):
        parts = match_roles(user, match)
        if parts and (not contact or may_reveal(match, parts)):
            return match.id
    return None


def _match_page(pattern: str, contact: bool = False) -> Callable[[Role], str | None]:
    """A page of an active match of the role's (its measures pages are
    linked from the match's own page, which the walk may have seen already
    for another match)."""

    def find(role: Role) -> str | None:
        match_id = _active_match(role, contact)
        return None if match_id is None else pattern.format(match_id)

    return find


def _open_offer(role: Role) -> str | None:
    """An open offer of help by someone else, to ask about."""
    from sqlalchemy import select

    from betterway_map.extensions import db
    from betterway_map.people.models import HelpListing, Person

    own = select(Person.id).where(Person.user_id == _user(role.email).id)
    found = db.session.scalars(
        select(HelpListing.id)
        .where(
            HelpListing.direction == "offer",
            HelpListing.status == "open",
            HelpListing.person_id.not_in(own),
        )
        .order_by(HelpListing.id)
    ).first()
    return None if found is None else f"/offers/{found}/ask"


def _assigned_person(role: Role) -> str:
    return f"/admin/assignments/{_assignment().person_id}"


def _unassign(role: Role) -> str:
    assignment = _assignment()
    return f"/admin/assignments/{assignment.person_id}/workers/{assignment.worker_id}/remove"


# Pages no link leads a role to (they are reached from a message, an email
# or a form), found in the demo's rows the role may see: rule -> (role) -> a
# path, or None when the role has no such row.
FROM_ROWS: dict[str, Callable[[Role], str | None]] = {
    "/auth/choose-password/<token>": _reset_link,
    "/matching/matches/<int:match_id>/contact": _match_page(
        "/matching/matches/{}/contact", contact=True
    ),
    "/measures/matches/<int:match_id>/contacts": _match_page("/measures/matches/{}/contacts"),
    "/measures/matches/<int:match_id>/rhythm": _match_page("/measures/matches/{}/rhythm"),
    "/measures/matches/<int:match_id>/feedback": _match_page("/measures/matches/{}/feedback"),
    "/offers/<int:listing_id>/ask": _open_offer,
    "/admin/assignments/<int:person_id>": _assigned_person,
    "/admin/assignments/<int:person_id>/workers/<int:worker_id>/remove": _unassign,
}


@dataclass
class Walk:
    """One role's walk: the pages it visited and what was wrong on them."""

    role: Role
    base: str
    app: object
    page: object
    watch: object
    visited: dict[str, str] = field(default_factory=dict)  # rule -> URL
    problems: list[str] = field(default_factory=list)
    queue: list[str] = field(default_factory=list)

    def rule_of(self, url: str):
        """The URL map's rule for a URL of this site, or None."""
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.base:
            return None
        adapter = self.app.url_map.bind("127.0.0.1")
        try:
            rule, _ = adapter.match(parts.path, method="GET", return_rule=True)
        except (HTTPException, RequestRedirect):
            return None
        return rule

    def problem(self, url: str, what: str) -> None:
        self.problems.append(f"{self.role.name} | {urlsplit(url).path or '/'} | {what}")

    def settle(self) -> None:
        """Wait for the maps to finish clustering (``maps.declutter`` marks
        each map's element when no two icons overlap)."""
        self.page.wait_for_function(MAPS_SETTLED_JS)

    def check(self, url: str) -> None:
        """The page as it is now: the browser's complaints, axe-core, and (for
        the narrow roles) sideways scrolling at 640px."""
        watch = self.watch
        for kind, found in (
            ("request off the machine", watch.outside),
            ("dialog", watch.dialogs),
            ("uncaught error", watch.page_errors),
            ("console error", watch.console_errors),
            ("CSP violation", self.page.evaluate("window.__cspViolations || []")),
        ):
            for text in found:
                self.problem(url, f"{kind}: {text}")
            found.clear()
        result = self.page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            AXE_TAGS,
        )
        for violation in result["violations"]:
            for node in violation["nodes"]:
                self.problem(
                    url,
                    f"axe {violation['id']} ({violation['impact']}): {violation['help']} | "
                    f"{' '.join(map(str, node['target']))} | {node['html'][:160]}",
                )
        if self.role.narrow:
            self.check_narrow(url)

    def check_narrow(self, url: str) -> None:
        size = self.page.viewport_size
        self.page.set_viewport_size({"width": NARROW, "height": size["height"]})
        wide = self.page.evaluate(
            """() => {
              const width = window.innerWidth;
              if (document.documentElement.scrollWidth <= width + 1) return null;
              const over = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
                .slice(0, 5)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                     + (e.className && typeof e.className === 'string'
                        ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                     + ' (right ' + Math.round(e.getBoundingClientRect().right) + 'px)');
              return {scroll: document.documentElement.scrollWidth, over};
            }"""
        )
        if wide is not None:
            self.problem(
                url,
                f"scrolls sideways at {NARROW}px: {wide['scroll']}px wide; widest: "
                + "; ".join(wide["over"]),
            )
        self.page.set_viewport_size(size)

    def links(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        return [href.split("#")[0] for href in hrefs]

    def visit(self, url: str, rule) -> None:
        response = self.page.goto(url, wait_until="load")
        self.settle()
        self.visited[rule.rule] = url
        status = response.status if response is not None else None
        landed = self.rule_of(self.page.url)
        if landed is not None and landed.rule != rule.rule:
            expected, _ = EXPECTED_REDIRECTS.get(rule.rule, (None, None))
            if expected != landed.rule:
                self.problem(url, f"redirected to {urlsplit(self.page.url).path} (not expected)")
            self.visited.setdefault(landed.rule, self.page.url)
        if status != 200:
            self.problem(url, f"status {status}")
        self.check(url)
        self.queue.extend(self.links())

    def walk(self, starts: list[str]) -> None:
        """Visit ``starts`` and every page their links lead to, once a rule;
        then the rules no link reached, with ids from the demo's rows."""
        self.follow(starts)
        for rule in self.app.url_map.iter_rules():
            find = FROM_ROWS.get(rule.rule)
            if find is None or rule.rule in self.visited or self.role.only:
                continue
            if not may_see(self.app, self.role, rule.endpoint):
                continue
            with self.app.app_context():
                path = find(self.role)
            if path is not None:
                self.follow([f"{self.base}{path}"])

    def follow(self, urls: list[str]) -> None:
        self.queue.extend(urls)
        while self.queue:
            url = self.queue.pop(0)
            rule = self.rule_of(url)
            if (
                rule is not None
                and rule.rule in NOT_PAGES
                and rule.rule not in NOT_PAGE_TYPES
                and may_see(self.app, self.role, rule.endpoint)
            ):
                answer = self.page.request.get(url, max_redirects=0)
                if answer.ok:
                    NOT_PAGE_TYPES[rule.rule] = answer.headers.get("content-type", "")
            if rule is None or rule.rule in self.visited or not is_page(rule):
                continue
            if not may_see(self.app, self.role, rule.endpoint):
                continue
            if self.role.only and rule.rule not in self.role.only:
                continue
            self.visit(url, rule)

    def sign_in(self) -> None:
        from tests.conftest import PASSWORD
        from tests.factories.accounts import next_code_for_email

        login = f"{self.base}/auth/login"
        self.visit(login, self.rule_of(login))
        self.queue.clear()
        self.page.get_by_label("Email address").fill(self.role.email)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state("load")
        assert "/auth/login" not in self.page.url, self.page.inner_text("main")
        rule = self.rule_of(self.page.url)
        self.visited.setdefault(rule.rule, self.page.url)
        self.check(self.page.url)
        if rule.rule == "/auth/two-factor":
            self.page.get_by_label("Code from your authenticator app").fill(
                next_code_for_email(self.app, self.role.email)
            )
            self.page.get_by_role("button", name="Sign in").click()
            self.page.wait_for_load_state("load")
            assert "/auth/" not in self.page.url, self.page.inner_text("main")
            rule = self.rule_of(self.page.url)
            self.visited.setdefault(rule.rule, self.page.url)
            self.check(self.page.url)
        self.queue.extend(self.links())


def starts(app, base: str, role: Role) -> list[str]:
    """The pages without ids the role may see, in the URL map's order."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.arguments or not is_page(rule) or not may_see(app, role, rule.endpoint):
            continue
        found.append(f"{base}{rule.rule}")
    return [f"{base}/"] + sorted(found)


@pytest.mark.parametrize("role", ROLES, ids=[role.name for role in ROLES])
def test_every_page_the_role_can_reach_is_accessible(site, browser, role):
    base, app = site
    context, page, watch = new_page(browser, viewport=(1280, 900))
    page.set_default_timeout(15_000)
    walk = Walk(role, base, app, page, watch)
    try:
        if role.email is not None:
            walk.sign_in()
        walk.walk(starts(app, base, role) + [f"{base}{rule}" for rule in role.only])
    finally:
        context.close()
    VISITED[role.name] = walk.visited
    assert walk.problems == [], (
        f"{len(walk.problems)} problems on {len(walk.visited)} pages "
        "(role | page | what):\n" + "\n".join(walk.problems)
    )


def test_every_page_is_visited_by_some_role(site):
    """Run with the role tests: a page of the URL map that no role reached
    fails here, with the roles its declaration lets in."""
    _, app = site
    missing_roles = [role.name for role in ROLES if role.name not in VISITED]
    assert missing_roles == [], f"run the whole module; these roles did not walk: {missing_roles}"
    reached = {rule for visited in VISITED.values() for rule in visited}
    unvisited = []
    for rule in app.url_map.iter_rules():
        if is_page(rule) and rule.rule not in reached:
            who = [role.name for role in ROLES if may_see(app, role, rule.endpoint)]
            unvisited.append(f"{rule.rule} ({rule.endpoint}; may be seen by {', '.join(who)})")
    assert unvisited == [], "pages no role visited:\n" + "\n".join(sorted(unvisited))
    # What is listed as not a page is not one, where a link led to it.
    html = {rule: kind for rule, kind in NOT_PAGE_TYPES.items() if "html" in kind}
    assert html == {}, f"listed in NOT_PAGES but answering HTML: {html}"
