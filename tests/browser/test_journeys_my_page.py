"""My page as a resident walks it, in headless chromium with axe-core:
their groups with the next meeting of each (soonest first), the one they
would like to go to marked, a paused one saying no meeting is planned; and
from there to the group's page."""

from __future__ import annotations

from datetime import date, time

import pytest

from tests.factories.browser import assert_accessible, serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

RESIDENT_EMAIL = "maud.resident@example.org"


def _seed(app) -> None:
    from tests.conftest import make_user
    from tests.factories.organisations import make_group, make_organisation
    from tests.factories.people import make_person
    from tests.factories.person_records import attendance

    maud = make_user(app, "resident", email=RESIDENT_EMAIL, name="Maud")
    person_id = make_person(app, first_name="Maud", user_id=maud)
    organisation = make_organisation(app, name="Eastbrook Friends")
    start = date(2026, 1, 5)
    groups = {
        "Monday Walk": dict(weekday="mon", start_time=time(10), end_time=time(11)),
        "Sunday Choir": dict(weekday="sun", start_time=time(14), end_time=time(15)),
        "Paused Poetry": dict(weekday="wed", status="paused"),
    }
    for name, fields in groups.items():
        group_id = make_group(app, organisation, None, name=name, starts_on=start, **fields)
        attendance(app, person_id, group_id, status="interested" if "Choir" in name else "member")


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def test_my_page_shows_my_groups_with_their_next_meetings(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, RESIDENT_EMAIL)
    visit(page, f"{base}/me")
    groups = page.locator(".my-groups li").all_inner_texts()
    assert len(groups) == 3
    walk, choir = (next(g for g in groups if name in g) for name in ("Monday Walk", "Sunday Choir"))
    assert "next meets Monday " in walk and ", 10am" in walk
    assert "next meets Sunday " in choir and ", 2pm" in choir
    assert "You said you would like to go" in choir
    assert "Paused Poetry: no meeting planned" in groups[-1]  # none planned: last
    page.get_by_role("link", name="Monday Walk").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "Monday Walk" in page.inner_text("h1")
    watch.check(page)
