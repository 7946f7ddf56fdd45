"""The measures dashboards in headless chromium with axe-core: an org admin
sees their relationships' quality and continuity, a worker sees their
continuity warnings, and a council viewer sees equity gaps and trends, as
charts each followed by its table; at 200% zoom (a 640 px wide window, as
a 1280 px screen zoomed twice) no chart and no page runs off to the side.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories.browser import assert_accessible, serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

ADMIN_EMAIL = "org.admin@example.org"
WORKER_EMAIL = "worker@example.org"
COUNCIL_EMAIL = "council@example.org"
ORGANISATION = "Eastbrook <Friends> & Co"
MEMBERS = 12


def _seed(app) -> None:
    from sqlalchemy import update

    from betterway_map.domain.clock import today_in_uk
    from betterway_map.extensions import db
    from betterway_map.people.models import Assignment
    from tests.conftest import make_user
    from tests.factories.measures import make_contact, make_feedback, make_rhythm
    from tests.factories.organisations import make_group, make_organisation
    from tests.factories.people import make_assigned_person, make_person
    from tests.factories.person_records import attendance

    today = today_in_uk()
    admin = make_user(app, "org_admin", email=ADMIN_EMAIL, name="Olive")
    worker = make_user(app, "worker", email=WORKER_EMAIL, name="Wendy")
    make_user(app, "council", email=COUNCIL_EMAIL, name="Colin")
    organisation = make_organisation(app, admin, name=ORGANISATION)
    group = make_group(app, organisation, None, name="Lunch Club")
    for i in range(MEMBERS):
        person = make_person(app, first_name=f"Member{i}", age_band="75-84" if i % 2 else "65-74")
        attendance(app, person, group, since=today - timedelta(days=150 + i))
        make_rhythm(app, person_id=person, group_id=group, agreed_on=today - timedelta(days=150))
        # Most keep to a weekly rhythm; every third lapses for a month at a time.
        step = 28 if i % 3 == 0 else 7
        for days_ago in range(2 + i % 3, 150, step):
            make_contact(
                app, person_id=person, group_id=group, contacted_on=today - timedelta(days=days_ago)
            )
        make_feedback(app, person_id=person, group_id=group, side="person", marks=4 + i % 2)
        make_feedback(app, person_id=person, group_id=group, side="worker", marks=3 + i % 3)
    edna = make_assigned_person(app, worker, first_name="Edna", last_name="Marsh")
    # On the caseload since the members joined their group: the months then
    # count the same people, and the trend's line is drawn (a month 1 to 4
    # people away from a newer one is withheld).
    with app.app_context():
        db.session.execute(
            update(Assignment)
            .where(Assignment.person_id == edna)
            .values(assigned_at=datetime.now(UTC) - timedelta(days=160))
        )
        db.session.commit()
    make_rhythm(app, person_id=edna, worker_id=worker, agreed_on=today - timedelta(days=90))
    make_contact(app, person_id=edna, worker_id=worker, contacted_on=today - timedelta(days=21))


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def _charts_fit(page) -> None:
    """No chart is wider than the page, and the page does not scroll sideways."""
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll('svg.chart-svg')]
                .filter(svg => svg.getBoundingClientRect().right > width + 1)
                .map(svg => svg.id);
            return {wide, scroll: document.documentElement.scrollWidth - width};
        }"""
    )
    assert overflow == {"wide": [], "scroll": 0}


def _each_chart_has_its_table(page) -> int:
    """Every chart is an image with a title and a description, and the
    table it was drawn from follows it; the number of charts."""
    charts = page.locator("svg.chart-svg")
    count = charts.count()
    for i in range(count):
        svg = charts.nth(i)
        assert svg.get_attribute("role") == "img"
        title_id, desc_id = svg.get_attribute("aria-labelledby").split()
        assert page.locator(f"#{title_id}").text_content()
        assert page.locator(f"#{desc_id}").count() == 1
        following = svg.locator("xpath=following::table[1]")
        assert following.locator("caption").count() == 1
    return count


def _at_200_percent(page, url: str) -> None:
    page.set_viewport_size({"width": 640, "height": 900})
    visit(page, url.split("#")[0])
    _charts_fit(page)
    assert_accessible(page)
    page.set_viewport_size({"width": 1200, "height": 900})


def test_an_org_admin_sees_quality_and_continuity(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, ADMIN_EMAIL)
    visit(page, f"{base}/organisations/1/manage")
    page.get_by_role("link", name="See how your relationships are going").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert ORGANISATION in page.inner_text("h1")
    assert page.get_by_role("heading", name="Quality of relationships").count() == 1
    assert page.get_by_role("heading", name="Continuity").count() == 1
    marks = page.locator("#table-organisation-quality-marks tbody tr").all_inner_texts()
    assert len(marks) == 6 and "withheld" not in marks[0]
    assert "%" in page.locator("#table-organisation-rhythm tbody").inner_text()
    assert _each_chart_has_its_table(page) >= 4
    with page.expect_download() as download:
        page.locator("a[download='organisation-durations.csv']").click()
    assert download.value.suggested_filename == "organisation-durations.csv"
    _at_200_percent(page, page.url)
    watch.check(page)


def test_a_worker_sees_their_continuity_warnings(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, WORKER_EMAIL)
    visit(page, f"{base}/me")
    page.get_by_role("link", name="Keeping in touch: who is overdue a contact").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    warning = page.locator(".warning-list li").first.inner_text()
    assert "Edna Marsh" in warning and "No contact for 3 weeks, agreed weekly." in warning
    assert _each_chart_has_its_table(page) == 1
    _at_200_percent(page, page.url)
    watch.check(page)


def test_a_council_viewer_sees_equity_gaps_and_trends(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, COUNCIL_EMAIL)
    visit(page, f"{base}/council")
    page.get_by_role(
        "link", name="See who is reached, and how good and how lasting relationships are"
    ).click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert page.locator("#chart-equity-age-band-share-active-tie .overall").count() == 1
    rows = page.locator("#table-equity-age-band tbody th").all_inner_texts()
    assert rows == ["65 to 74", "75 to 84", "not recorded", "Everyone"]
    assert page.locator("#chart-area-trends polyline").count() >= 1
    assert page.locator("#table-area-trends tbody tr").count() == 12
    assert _each_chart_has_its_table(page) >= 6
    page.get_by_role("link", name="Online or not").click()
    page.wait_for_load_state("load")
    assert page.locator("#table-equity-online").count() == 1
    assert_accessible(page)
    _at_200_percent(page, page.url)
    watch.check(page)
