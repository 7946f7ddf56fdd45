"""The council's organisation network counts confirmed partnerships only: a
partnership one side recorded and the other has not confirmed links no one,
in the loaded area, the page, the API, the report files and the snapshots.

Two organisations, a church and a surgery, linked by nothing but a recent
referral: with it confirmed they are one network of 1 link, across sectors;
pending, they are two separate organisations with no link.
"""

from __future__ import annotations

import csv
import re

import pytest

from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.network.loader import load_area
from betterway_map.network.trends import take_snapshot
from betterway_map.register.services.partnerships import confirm_partnership
from tests.conftest import login, make_user
from tests.factories.organisations import make_organisation, make_partnership


def _two_organisations(app, pending: bool) -> dict:
    admin = make_user(app, "org_admin")
    church = make_organisation(app, name="St Anne's Church", sector="faith")
    surgery = make_organisation(app, admin, name="Green Lane Surgery", sector="health")
    partnership_id = make_partnership(
        app, church, surgery, "referral", pending=pending, last_active_on=today_in_uk()
    )
    return {"surgery": surgery, "admin": admin, "partnership": partnership_id}


def _council(app):
    client = app.test_client()
    login(client, app, make_user(app, "council"))
    return client


def _links_in_the_loaded_area(app, runner, tmp_path) -> int:
    with app.app_context():
        return len(load_area().partnerships)


def _links_on_the_council_page(app, runner, tmp_path) -> int:
    page = _council(app).get("/council/network").get_data(as_text=True)
    return int(re.search(r"(\d+) links", page).group(1))


def _links_in_the_api(app, runner, tmp_path) -> int:
    return _council(app).get("/api/v1/network/area").get_json()["organisations"]["links"]


def _links_in_the_report_files(app, runner, tmp_path) -> int:
    """1 when the two organisations are in one component of organisations.csv."""
    result = runner.invoke(args=["network", "report", "--out", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    with (tmp_path / "report" / "organisations.csv").open(newline="", encoding="utf-8") as f:
        components = {row["component"] for row in csv.DictReader(f)}
    return 2 - len(components)


def _links_in_the_snapshot(app, runner, tmp_path) -> int:
    """1 when the month's snapshot counts one component of organisations."""
    with app.app_context():
        return 2 - take_snapshot().organisation_components


READS = {
    "the loaded area": _links_in_the_loaded_area,
    "the council page": _links_on_the_council_page,
    "the area API": _links_in_the_api,
    "the report files": _links_in_the_report_files,
    "the monthly snapshot": _links_in_the_snapshot,
}


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize(("pending", "links"), [(True, 0), (False, 1)])
def test_only_confirmed_partnerships_link_organisations(
    app, runner, tmp_path, read, pending, links
):
    _two_organisations(app, pending)
    assert READS[read](app, runner, tmp_path) == links


def test_confirming_a_partnership_changes_the_councils_figures_at_once(app):
    """The report is cached under a digest of what it reads: a confirmation
    must change the digest, not wait for another change."""
    made = _two_organisations(app, pending=True)
    council = _council(app)
    assert "0 links" in council.get("/council/network").get_data(as_text=True)
    with app.app_context():
        admin = db.session.get(User, made["admin"])
        confirm_partnership(admin, made["surgery"], made["partnership"])
    assert "1 links" in council.get("/council/network").get_data(as_text=True)
