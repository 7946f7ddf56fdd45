"""A site admin loads an area indicator in headless chromium: two files
chosen, a refusal that says why, then the report; axe-core on every page."""

from __future__ import annotations

import pytest

from tests.factories.browser import assert_accessible, serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

ADMIN_EMAIL = "sam.admin@example.org"


def _seed(app) -> None:
    from tests.conftest import make_user

    make_user(app, "site_admin", email=ADMIN_EMAIL, name="Sam")


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, _app):
        yield base


def _files(tmp_path):
    from tests.factories.area_indicators import boundaries, codes, values

    area_codes = codes(6)
    csv = tmp_path / "lonely.csv"
    csv.write_bytes(values([(c, n) for n, c in enumerate(area_codes[:5], 1)]))
    geojson = tmp_path / "lsoa.geojson"
    geojson.write_bytes(boundaries(area_codes[1:]))
    bad = tmp_path / "msoa.csv"
    bad.write_bytes(values([(c, 1) for c in codes(3, "E02")]))
    return csv, geojson, bad


def _fill(page, csv, geojson) -> None:
    page.get_by_label("The values file (CSV)").set_input_files(str(csv))
    page.get_by_label("The boundaries file (GeoJSON)").set_input_files(str(geojson))
    page.get_by_label("Name (required)").fill("Loneliness index <b>2024</b>")
    page.get_by_label("Source (required)").fill("ONS modelled estimates")
    page.get_by_label("Licence (required)").fill("Open Government Licence v3.0")
    page.get_by_role("button", name="Load the indicator").click()
    page.wait_for_load_state("load")


def test_a_site_admin_loads_an_indicator_and_sees_the_report(site, person, tmp_path):
    base = site
    csv, geojson, bad = _files(tmp_path)
    page, watch = person()
    sign_in(page, base, ADMIN_EMAIL)
    visit(page, f"{base}/me")
    page.get_by_role("link", name="Area indicators").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "No area indicator is loaded yet." in page.inner_text("main")
    page.get_by_role("link", name="Load an indicator").click()
    page.wait_for_load_state("load")
    assert_accessible(page)

    # Values by MSOA against LSOA boundaries: refused, saying which is which.
    _fill(page, bad, geojson)
    assert_accessible(page)
    problem = page.locator(".error-summary").inner_text()
    assert "The values use MSOA (England)" in problem
    assert "LSOA (England)" in problem
    assert "Nothing was imported." in problem

    _fill(page, csv, geojson)
    assert_accessible(page)
    main = page.inner_text("main")
    assert "Loneliness index <b>2024</b> is loaded" in main  # shown as text, never as markup
    assert "Loaded 4 areas" in main
    assert "1 codes have no boundary" in main and "E01000001" in main
    assert "1 boundaries have no value" in main and "E01000006" in main

    page.get_by_role("link", name="Back to area indicators").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "ONS modelled estimates" in page.inner_text("main")
    page.get_by_role("button", name="Delete Loneliness index <b>2024</b>").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "No area indicator is loaded yet." in page.inner_text("main")
    watch.check(page)
