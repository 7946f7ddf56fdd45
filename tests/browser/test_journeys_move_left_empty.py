"""An organisation admin moves a meeting to another day and leaves what the
form says may be left empty (the new times, the place, the reason) empty:
the meeting keeps its usual times and place, and reads the same everywhere
a resident meets it — the group's page, nearby search (the page and the
API), the group's calendar feed — in headless chromium, with axe-core on
every page visited.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from betterway_map.domain.dates import long_date
from tests.factories.browser import assert_accessible, serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

ADMIN_EMAIL = "mo.eastbrook@example.org"


def _seed(app) -> None:
    from tests.conftest import make_user
    from tests.factories.nearby import add_postcode, space_at
    from tests.factories.organisations import make_group, make_organisation

    add_postcode(app)  # the postcode a resident searches from (tests.factories.nearby.POSTCODE)
    admin = make_user(app, "org_admin", email=ADMIN_EMAIL, name="Mo")
    organisation = make_organisation(app, admin, name="Eastbrook Neighbours")
    hall = space_at(app, organisation, 0.5, 45, name="Station Road Hall")
    make_group(app, organisation, hall, name="Tuesday Knit")


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        with app.app_context():
            from sqlalchemy import select

            from betterway_map.extensions import db
            from betterway_map.register.models import Group

            group_id = db.session.scalar(select(Group.id).where(Group.name == "Tuesday Knit"))
        yield base, group_id


def _loaded(page) -> None:
    page.wait_for_load_state("load")
    assert_accessible(page)


def test_a_meeting_moved_with_its_times_and_place_left_empty_keeps_them_everywhere(
    site, person, tuesday
):
    base, group_id = site
    wednesday = tuesday + timedelta(days=1)  # the group's next usual meeting, moved a day on
    page, watch = person()
    sign_in(page, base, ADMIN_EMAIL)
    visit(page, f"{base}/groups/{group_id}/edit")
    _loaded(page)
    page.get_by_label("The meeting's usual date").fill(tuesday.isoformat())
    page.get_by_label("New date").fill(wednesday.isoformat())
    for optional in ("New start time", "New end time", "Why it is moved (optional)"):
        assert page.get_by_label(optional).input_value() == ""
    page.get_by_role("button", name="Move this meeting").click()
    _loaded(page)
    main = page.inner_text("main")
    assert f"The meeting on {long_date(tuesday)} is moved to {long_date(wednesday)}" in main
    # The usual times are kept, and no reason is made up.
    assert f"Moved to {long_date(wednesday)}, 10am to 12pm" in main
    assert f"Moved to {long_date(wednesday)}, 10am to 12pm:" not in main
    watch.check(page)

    visitor, visitor_watch = person()
    visit(visitor, f"{base}/groups/{group_id}")
    _loaded(visitor)
    meetings = visitor.locator("h2:has-text('Next meetings') + ul").inner_text()
    assert f"{long_date(wednesday)}, 10am (moved from {long_date(tuesday)}" in meetings
    assert f"{long_date(tuesday)}, 10am" not in meetings
    # At its usual place: the group's page still names the hall.
    assert "Station Road Hall" in visitor.inner_text("main")

    # Nearby search, as a resident finds it: the page and the API agree.
    visit(visitor, f"{base}/nearby?postcode=ZZ1+1AA")
    _loaded(visitor)
    item = visitor.locator("li", has_text="Tuesday Knit").first
    assert f"Next: {long_date(wednesday)}, 10am" in item.inner_text()
    found = visitor.request.get(f"{base}/api/v1/nearby?postcode=ZZ1%201AA").json()
    knit = next(entry for entry in found["items"] if entry["name"] == "Tuesday Knit")
    assert knit["next_meeting"].startswith(f"{wednesday.isoformat()}T10:00")

    # The calendar feed moves that one meeting, at the usual times.
    feed = visitor.request.get(f"{base}/groups/{group_id}/calendar.ics").text()
    assert f"RECURRENCE-ID;TZID=Europe/London:{tuesday.strftime('%Y%m%d')}T100000" in feed
    assert f"DTSTART;TZID=Europe/London:{wednesday.strftime('%Y%m%d')}T100000" in feed
    assert f"DTEND;TZID=Europe/London:{wednesday.strftime('%Y%m%d')}T120000" in feed
    visitor_watch.check(visitor)
