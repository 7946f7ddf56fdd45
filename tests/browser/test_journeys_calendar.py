"""An organisation admin cancels a meeting and sees it gone from the group's
page, moves another and sees it at its new time, then undoes the move, and
imports the organisation's calendar and reads the report — in headless
chromium, with axe-core (WCAG 2.2 A and AA) on every page visited.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.dates import long_date
from tests.factories.browser import assert_accessible, serve, sign_in, skip_reason, visit
from tests.factories.calendars import first_weekday_after, upcoming_calendar

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

ADMIN_EMAIL = "ada.eastbrook@example.org"
ORGANISATION = "Eastbrook Friends"


def _seed(app) -> None:
    from tests.conftest import make_user
    from tests.factories.organisations import make_group, make_organisation, make_space

    admin = make_user(app, "org_admin", email=ADMIN_EMAIL, name="Ada")
    organisation = make_organisation(app, admin, name=ORGANISATION)
    hall = make_space(app, organisation, name="St Mark's Hall", postcode="ZZ1 1AB")
    make_group(app, organisation, hall, name="Lunch Club")


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        with app.app_context():
            from sqlalchemy import select

            from betterway_map.extensions import db
            from betterway_map.register.models import Group, Organisation

            ids = {
                "group": db.session.scalar(select(Group.id).where(Group.name == "Lunch Club")),
                "organisation": db.session.scalar(select(Organisation.id)),
                # The Lunch Club's meeting the first test cancels (the next
                # test moves the one a week later): one day for both, worked
                # out when the site is made, never at collection.
                "tuesday": first_weekday_after(today_in_uk(), 1),
            }
        yield base, ids


def _loaded(page) -> None:
    page.wait_for_load_state("load")
    assert_accessible(page)


def _next_meetings(page) -> str:
    return page.locator("h2:has-text('Next meetings') + ul").inner_text()


def test_an_admin_cancels_a_meeting_and_it_is_gone_from_the_group_page(site, person):
    base, ids = site
    tuesday = ids["tuesday"]
    visitor, visitor_watch = person()
    visit(visitor, f"{base}/groups/{ids['group']}")
    assert long_date(tuesday) in _next_meetings(visitor)

    page, watch = person()
    sign_in(page, base, ADMIN_EMAIL)
    visit(page, f"{base}/groups/{ids['group']}")
    page.get_by_role("link", name="Manage this group").click()
    _loaded(page)
    # A day it does not meet is refused beside the field, and nothing changes.
    page.get_by_label("Date of the meeting").fill(first_weekday_after(tuesday, 2).isoformat())
    page.get_by_role("button", name="Cancel this meeting").click()
    _loaded(page)
    assert "Lunch Club does not meet on" in page.locator("#error-cancel_date").inner_text()
    watch.check(page, refused_forms=True)
    # The right day, with a reason the public will read.
    page.get_by_label("Date of the meeting").fill(tuesday.isoformat())
    page.get_by_label("Why (optional)").fill("The hall is closed for repairs")
    page.get_by_role("button", name="Cancel this meeting").click()
    _loaded(page)
    assert f"The meeting on {long_date(tuesday)} is cancelled" in page.inner_text("main")
    assert "Cancelled: The hall is closed for repairs" in page.inner_text("main")
    watch.check(page, refused_forms=True)

    visit(visitor, f"{base}/groups/{ids['group']}")
    assert long_date(tuesday) not in _next_meetings(visitor)
    not_meeting = visitor.locator("h3:has-text('Not meeting') + ul").inner_text()
    assert f"{long_date(tuesday)}: cancelled (The hall is closed for repairs)" in not_meeting
    visitor_watch.check(visitor)


def test_an_admin_moves_a_meeting_sees_it_at_its_new_time_and_undoes_it(site, person):
    base, ids = site
    week_after = ids["tuesday"] + timedelta(days=7)  # the Tuesday before is cancelled above
    thursday = week_after + timedelta(days=2)
    page, watch = person()
    sign_in(page, base, ADMIN_EMAIL)
    visit(page, f"{base}/groups/{ids['group']}/edit")
    _loaded(page)
    # A new time over the group's next meeting is refused beside the field.
    page.get_by_label("The meeting's usual date").fill(week_after.isoformat())
    page.get_by_label("New date").fill((week_after + timedelta(days=7)).isoformat())
    page.get_by_label("New start time").fill("11:00")
    page.get_by_role("button", name="Move this meeting").click()
    _loaded(page)
    assert "Lunch Club already meets on" in page.locator("#error-move_to").inner_text()
    watch.check(page, refused_forms=True)
    # The form is shown as it was filled: the Thursday after, 2pm, with a reason.
    page.get_by_label("New date").fill(thursday.isoformat())
    page.get_by_label("New start time").fill("14:00")
    page.get_by_label("Why it is moved (optional)").fill("The hall is booked")
    page.get_by_role("button", name="Move this meeting").click()
    _loaded(page)
    main = page.inner_text("main")
    assert f"The meeting on {long_date(week_after)} is moved to {long_date(thursday)}" in main
    assert f"Moved to {long_date(thursday)}, 2pm to 4pm: The hall is booked" in main
    watch.check(page, refused_forms=True)

    visitor, visitor_watch = person()
    visit(visitor, f"{base}/groups/{ids['group']}")
    _loaded(visitor)
    meetings = _next_meetings(visitor)
    assert f"{long_date(thursday)}, 2pm (moved from {long_date(week_after)}" in meetings
    assert f"{long_date(week_after)}, 10am" not in meetings
    visitor_watch.check(visitor)

    # Undo: the meeting is back on its usual day.
    page.get_by_role("button", name=f"Meet as usual on {long_date(week_after)}").click()
    _loaded(page)
    assert f"The meeting on {long_date(week_after)} is back as usual." in page.inner_text("main")
    watch.check(page)
    visit(visitor, f"{base}/groups/{ids['group']}")
    _loaded(visitor)
    meetings = _next_meetings(visitor)
    assert f"{long_date(week_after)}, 10am" in meetings and "moved" not in meetings
    visitor_watch.check(visitor)


def test_an_admin_imports_the_organisations_calendar_and_reads_the_report(site, person):
    base, ids = site
    today = today_in_uk()
    tuesday = first_weekday_after(today, 1)  # the calendar's group meets from then
    page, watch = person()
    sign_in(page, base, ADMIN_EMAIL)
    visit(page, f"{base}/organisations/{ids['organisation']}/manage")
    page.get_by_role("link", name="Import a calendar").click()
    _loaded(page)
    page.get_by_label("The calendar file (.ics)").set_input_files(
        {"name": "eastbrook.ics", "mimeType": "text/calendar", "buffer": upcoming_calendar(today)}
    )
    page.get_by_role("button", name="Import the calendar").click()
    _loaded(page)
    main = page.inner_text("main")
    assert "eastbrook.ics: read 4 records" in main
    assert "created: 1 events, 1 groups; updated: none; unchanged: none; skipped: 1." in main
    assert "Created the group 'Knit and Natter': Every Tuesday, 10am to 12pm" in main
    assert "Skipped 'Chair Yoga'" in main and "it meets on more than one day" in main
    assert "'The Crown, High Street' matches none of Eastbrook Friends's spaces" in main
    watch.check(page)

    # The imported group meets as the calendar says, less the meeting left out.
    page.get_by_role("link", name=f"Back to managing {ORGANISATION}").click()
    _loaded(page)
    page.get_by_role("link", name="Knit and Natter").first.click()
    _loaded(page)
    meetings = _next_meetings(page)
    assert long_date(tuesday) in meetings
    assert long_date(first_weekday_after(tuesday, 1)) not in meetings  # the EXDATE
    assert "(moved from" in meetings
    watch.check(page)
