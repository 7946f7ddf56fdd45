"""A council's spreadsheet of venues or groups, through ``flask register import``
and the service: bad rows reported, closed rows counted, re-running updates."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from betterway_map.accounts.models import User
from betterway_map.errors import Forbidden, InvalidInput
from betterway_map.extensions import db
from betterway_map.register.models import Group, Space
from betterway_map.register.services.sheet_import import import_sheet
from tests.factories.nearby import add_postcode
from tests.factories.organisations import make_organisation, make_space

VENUES = (
    "Library Name;Post Code;Address;Town;Status;Wheelchair access\r\n"
    "Whitley Bay Library;ne26 1ej.;York Road;Whitley Bay;Open;Yes\r\n"
    "Caf\u00e9 Nowhere;[Unknown];1 Lane;;Open;No\r\n"
    "Old Library;NE26 2AA;Park Road;;Closed;\r\n"
    "No Address;NE26 2AA;;;Open;\r\n"
    "Mystery;NE99 9ZZ;1 Road;;Open;\r\n"
).encode("cp1252")


@pytest.fixture()
def place(app):
    add_postcode(app, "NE26 1EJ", (55.04, -1.45))
    add_postcode(app, "NE26 2AA", (55.05, -1.46))
    return make_organisation(app, name="North Tyneside Libraries")


def _spaces(app) -> list[tuple]:
    with app.app_context():
        return list(
            db.session.execute(select(Space.name, Space.postcode, Space.step_free, Space.latitude))
        )


def test_the_command_imports_the_good_rows_and_reports_the_bad(app, runner, tmp_path, place):
    path = tmp_path / "libraries.csv"
    path.write_bytes(VENUES)
    args = [
        "register",
        "import",
        str(path),
        "--kind",
        "spaces",
        "--organisation",
        str(place),
        "--quiet",
    ]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "created: 1 spaces" in result.output
    assert "Skipped 1 row(s) marked closed." in result.output
    assert "Skipped row 3 ('Caf\u00e9 Nowhere'): the postcode is '[Unknown]'." in result.output
    assert "Skipped row 5 ('No Address'): it has no address." in result.output
    assert (
        "Skipped row 6 ('Mystery'): the postcode 'NE99 9ZZ' is not in our postcode list"
        in result.output
    )
    assert _spaces(app) == [("Whitley Bay Library", "NE26 1EJ", True, 55.04)]


def test_re_running_updates_instead_of_duplicating(app, place):
    with app.app_context():
        import_sheet(VENUES, "v.csv", "spaces", place, None)
        changed = VENUES.replace(b"York Road", b"York Road North")
        report = import_sheet(changed, "v.csv", "spaces", place, None)
        assert report.updated["spaces"] == 1 and not report.created
        assert db.session.scalar(select(func.count()).select_from(Space)) == 1
        assert db.session.scalar(select(Space.address)) == "York Road North, Whitley Bay"


def test_the_organisation_can_be_named_and_columns_mapped(app, runner, tmp_path, place):
    path = tmp_path / "odd.csv"
    path.write_bytes(b"Where,PC,Street\nHall,NE26 2AA,1 St\n")
    args = ["register", "import", str(path), "--kind", "spaces", "--quiet",
            "--organisation", "north tyneside libraries",
            "--column", "name=Where", "--column", "postcode=PC", "--column", "address=Street"]  # fmt: skip
    result = runner.invoke(args=args)
    assert "created: 1 spaces" in result.output, result.output
    bad = runner.invoke(args=[*args[:-6], "--column", "postcode"])
    assert bad.exit_code == 2 and "write it as FIELD=Header" in bad.output


def test_a_file_that_is_not_a_table_writes_nothing(app, place):
    with app.app_context(), pytest.raises(InvalidInput, match="web page.*Nothing was imported"):
        import_sheet(b"<html><body>Sign in</body></html>", "v.csv", "spaces", place, None)


def test_groups_meet_at_the_organisations_venues(app, place):
    make_space(app, place, name="Whitley Bay Library")
    sheet = (
        b"Group,Venue,Day,Start,End,Cost\n"
        b"Knit and natter,whitley bay library,Tuesday,10:00,12:00,\xa32\n"
        b"Lost,Nowhere Hall,Monday,10:00,11:00,\n"
        b"Backwards,Whitley Bay Library,Friday,12:00,10:00,\n"
    )
    with app.app_context():
        report = import_sheet(sheet, "g.csv", "groups", place, None)
        group = db.session.scalar(select(Group))
        assert (group.name, group.weekday, group.cost_pence) == ("Knit and natter", "tue", 200)
    why = dict(report.skipped)
    assert "'Nowhere Hall' is not one of the organisation's spaces" in why["row 3 ('Lost')"]
    assert "must be after start time" in why["row 4 ('Backwards')"]


def test_an_organisation_admin_imports_into_their_own_organisation_only(app, user_factory, place):
    admin_id = user_factory("org_admin")
    mine = make_organisation(app, admin_id)
    with app.app_context():
        user = db.session.get(User, admin_id)
        with pytest.raises(Forbidden):
            import_sheet(VENUES, "v.csv", "spaces", place, user)
        assert import_sheet(VENUES, "v.csv", "spaces", mine, user).created["spaces"] == 1
