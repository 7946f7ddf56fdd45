"""The audit log in headless chromium with axe-core: a worker's list of their
people is a bulk read; the site admin finds it in the audit log with the
"bulk reads only" filter and downloads the filtered log as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.factories.browser import assert_accessible, serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

ADMIN_EMAIL = "ada.admin@example.org"
WORKER_EMAIL = "wilf.worker@example.org"


def _seed(app) -> None:
    from tests.conftest import make_user
    from tests.factories.people import make_assigned_person

    make_user(app, "site_admin", email=ADMIN_EMAIL, name="Ada")
    wilf = make_user(app, "worker", email=WORKER_EMAIL, name="Wilf")
    make_assigned_person(app, wilf, first_name="Iris", last_name="Ashdown")
    make_assigned_person(app, wilf, first_name="Ivy", last_name="Brook")


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def test_a_site_admin_finds_a_bulk_read_and_downloads_the_log(site, person):
    base, _ = site
    worker, _ = person()
    sign_in(worker, base, WORKER_EMAIL)
    visit(worker, f"{base}/people/")  # the list of Wilf's people: a bulk read

    page, watch = person()
    sign_in(page, base, ADMIN_EMAIL)
    visit(page, f"{base}/me")
    page.get_by_role("link", name="Audit log: who viewed or changed personal data").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert page.inner_text("h1") == "Audit log"

    page.get_by_label("Bulk reads only").check()
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    rows = page.locator("tbody tr").all_inner_texts()
    assert rows and all("Wilf (wilf.worker@example.org)" in row for row in rows)
    assert any("list" in row and "n=2" in row for row in rows)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these entries as CSV").click()
    assert download.value.suggested_filename == "audit-log.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["When (UK time)", "Who", "Action", "Subject", "Detail"]
    assert len(table) - 1 == len(rows)
    assert all(row[1] == "Wilf (wilf.worker@example.org)" for row in table[1:])

    page.get_by_label("Text in the detail").fill("no such thing")
    page.get_by_label("Date from (UK)").fill("2020-01-01")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "No entries match." in page.inner_text("main")
    watch.check(page)
