"""The import journeys in headless chromium, axe-core on every page: an
organisation admin uploads a spreadsheet of venues with some bad rows and
reads the report; a site admin uploads an ORUK JSON feed."""

from __future__ import annotations

import pytest

from tests.factories.browser import assert_accessible, serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

ORG_ADMIN = "olu.libraries@example.org"
SITE_ADMIN = "sam.admin@example.org"


def _seed(app) -> None:
    from tests.conftest import make_user
    from tests.factories.nearby import add_postcode
    from tests.factories.organisations import make_organisation

    admin = make_user(app, "org_admin", email=ORG_ADMIN, name="Olu")
    make_organisation(app, admin, name="Northshire Libraries")
    make_user(app, "site_admin", email=SITE_ADMIN, name="Sam")
    add_postcode(app, "NE26 1EJ", (55.04, -1.45))


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, _app):
        yield base


def _open_from_my_page(page, base, link: str) -> None:
    visit(page, f"{base}/me")
    page.get_by_role("link", name=link).first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)


def test_an_organisation_admin_imports_venues_and_reads_the_bad_rows(site, person, tmp_path):
    sheet = tmp_path / "libraries.csv"
    sheet.write_bytes(
        "Library;Post Code;Address;Status\r\n"
        "Whitley Bay Library;ne26 1ej.;York Road;Open\r\n"
        "Caf\u00e9 <b>Nowhere</b>;[Unknown];1 Lane;Open\r\n"
        "Old Library;NE26 1EJ;Park Road;Closed\r\n".encode("cp1252")
    )
    page, watch = person()
    sign_in(page, site, ORG_ADMIN)
    _open_from_my_page(page, site, "Import venues or groups from a spreadsheet")

    page.get_by_role("button", name="Import the spreadsheet").click()  # nothing chosen
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "Choose the spreadsheet" in page.locator(".error-summary").inner_text()

    page.get_by_label("The spreadsheet (CSV) (required)").set_input_files(str(sheet))
    page.get_by_label("A venue (a space)").check()
    page.get_by_label("The organisation they belong to (required)").select_option(
        label="Northshire Libraries"
    )
    page.get_by_role("button", name="Import the spreadsheet").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    report = page.locator(".import-report").inner_text()
    assert "created: 1 spaces" in report
    # Markup in a cell is made plain text: the tags go, never rendered.
    assert "Skipped row 3 ('Caf\u00e9 Nowhere'): the postcode is '[Unknown]'." in report
    assert "Skipped 1 row(s) marked closed." in report
    watch.check(page)


def test_a_site_admin_imports_an_oruk_feed(site, person, tmp_path):
    from tests.factories.oruk_feed import feed_bytes, service

    feed = tmp_path / "feed.json"
    bad = service("svc-2")
    bad["service_at_locations"][0]["location"] |= {"id": "loc-2", "latitude": 100}
    feed.write_bytes(feed_bytes(service(), bad))
    page, watch = person()
    sign_in(page, site, SITE_ADMIN)
    _open_from_my_page(
        page, site, "Import an Open Referral UK feed: organisations, venues and groups"
    )
    page.get_by_label("The feed (JSON, or the CSV files) (required)").set_input_files(str(feed))
    page.get_by_role("button", name="Import the feed").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    report = page.locator(".import-report").inner_text()
    assert "created: 2 groups, 1 organisations, 1 spaces" in report
    assert "Latitude must be between -90 and 90, not 100" in report

    watch.check(page)
    assert page.request.get(f"{site}/oruk/services").json()["total_items"] == 2
