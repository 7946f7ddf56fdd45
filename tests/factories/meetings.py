"""The group whose meetings the meeting tests change: Knit and Natter of
Eastbrook Friends, every Tuesday 10am to 12pm at Near Hall (half a km from
the nearby factories' postcode), its organisation's admin signed in; and
reading the group's page as text."""

from __future__ import annotations

import html

from tests.conftest import login, make_user
from tests.factories.nearby import add_postcode, space_at
from tests.factories.organisations import make_group, make_organisation


def signed_in_admin(app, client) -> tuple:
    """``(client, admin_id)``: ``client`` signed in as a new organisation admin."""
    admin = make_user(app, "org_admin")
    login(client, app, admin)
    return client, admin


def knit_and_natter(app, admin_id: int) -> int:
    """The group's id (its organisation made, with ``admin_id`` its admin)."""
    add_postcode(app)
    organisation = make_organisation(app, admin_id, name="Eastbrook Friends")
    space = space_at(app, organisation, 0.5, name="Near Hall")
    return make_group(app, organisation, space, name="Knit and Natter")


def page_text(client, path: str) -> str:
    """The page at ``path`` with its HTML entities read."""
    return html.unescape(client.get(path).get_data(as_text=True))


def next_meetings(page: str) -> str:
    """The "Next meetings" list of a group's page."""
    return page.split("<h2>Next meetings</h2>")[1].split("</ul>")[0]
