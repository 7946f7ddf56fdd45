"""Importing ORUK feeds into the register: the command, all or nothing,
upserts by ORUK id, the report, permissions and the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from betterway_map.accounts.models import AuditEvent, User
from betterway_map.errors import Forbidden, InvalidInput
from betterway_map.extensions import db
from betterway_map.interop.oruk.importing import import_feed
from betterway_map.register.models import Group, Organisation, Space
from tests.factories.organisations import make_organisation
from tests.factories.oruk_feed import feed_bytes, service


def _counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Organisation, Space, Group)
    )


def _write(tmp_path, data: bytes, name: str = "feed.json"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_the_command_imports_a_feed_and_reports_it(app, runner, tmp_path):
    result = runner.invoke(
        args=["oruk", "import", _write(tmp_path, feed_bytes(service())), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert "created: 1 groups, 1 organisations, 1 spaces" in result.output
    with app.app_context():
        group = db.session.scalar(select(Group))
        assert (group.name, group.source, group.source_ref) == ("Lunch club svc-1", "oruk", "svc-1")
        assert (group.space.name, group.organisation.name) == ("Riverside Hall", "Riverside Trust")
        assert group.space.location_source == "typed"


def test_importing_again_adds_nothing_and_updates_what_changed(app, runner, tmp_path):
    first = _write(tmp_path, feed_bytes(service("a"), service("b")))
    runner.invoke(args=["oruk", "import", first, "--quiet"])
    again = runner.invoke(args=["oruk", "import", first, "--quiet"])
    assert (
        "created: none; updated: none; unchanged: 2 groups, 1 organisations, 1 spaces"
        in again.output
    )
    changed = _write(tmp_path, feed_bytes(service("a", name="Renamed"), service("b")), "two.json")
    result = runner.invoke(args=["oruk", "import", changed, "--quiet"])
    assert "updated: 1 groups" in result.output
    with app.app_context():
        assert _counts() == (1, 1, 2)
        assert db.session.scalar(select(Group.name).where(Group.source_ref == "a")) == "Renamed"


def test_a_location_at_latitude_100_is_refused_naming_it_and_the_value(app, runner, tmp_path):
    body = service()
    body["service_at_locations"][0]["location"]["latitude"] = 100
    result = runner.invoke(args=["oruk", "import", _write(tmp_path, feed_bytes(body)), "--quiet"])
    assert (
        "Skipped location 'Riverside Hall' (loc-1): Latitude must be between -90 and 90, not 100"
        in result.output
    )
    assert "imported without a venue" in result.output
    with app.app_context():
        assert _counts() == (1, 0, 1)


@pytest.mark.parametrize(
    "data, said",
    [
        (b"<html><body>Please sign in</body></html>", "is a web page (HTML)"),
        (b'{"contents": [', "is not JSON"),
        (b"", "is empty"),
    ],
)
def test_a_bad_file_writes_nothing_and_says_why(app, runner, tmp_path, data, said):
    good = _write(tmp_path, feed_bytes(service()), "good.json")
    result = runner.invoke(
        args=["oruk", "import", _write(tmp_path, data, "bad.json"), good, "--quiet"]
    )
    assert result.exit_code == 1
    assert said in result.output and "Nothing was imported" in result.output
    with app.app_context():
        assert _counts() == (1, 1, 1)  # the good file still imported: all or nothing per file


def test_a_file_over_the_limit_is_not_read(app, runner, tmp_path):
    app.config["IMPORT_MAX_BYTES"] = 100
    try:
        result = runner.invoke(
            args=["oruk", "import", _write(tmp_path, feed_bytes(service())), "--quiet"]
        )
    finally:
        app.config["IMPORT_MAX_BYTES"] = 50_000_000
    assert result.exit_code == 1 and "at most 0.0001 MB" in result.output


def test_a_failure_while_writing_leaves_nothing_behind(app, monkeypatch):
    from betterway_map.interop.oruk import importing

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_group", broken)
    with app.app_context():
        with pytest.raises(RuntimeError):
            import_feed([service()], "feed.json", None)
        assert _counts() == (0, 0, 0)


def test_an_organisation_admin_imports_into_their_own_organisation_only(app, user_factory):
    admin_id = user_factory("org_admin")
    mine = make_organisation(app, admin_id)
    theirs = make_organisation(app)
    with app.app_context():
        user = db.session.get(User, admin_id)
        with pytest.raises(Forbidden):
            import_feed([service()], "feed.json", user, organisation_id=theirs)
        with pytest.raises(InvalidInput, match="Choose which of your organisations"):
            import_feed([service()], "feed.json", user)
        report = import_feed([service()], "feed.json", user, organisation_id=mine)
        assert report.created == {"groups": 1, "spaces": 1}
        assert db.session.scalar(select(Group.organisation_id)) == mine
        assert _counts() == (2, 1, 1)  # the feed's organisation is not made


def test_each_import_is_audited(app):
    with app.app_context():
        import_feed([service()], "feed.json", None)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import"))
        assert event.subject_type == "oruk_feed"
        assert "feed.json: created: 1 groups, 1 organisations, 1 spaces" in event.detail


def test_the_same_ids_from_another_source_are_other_records(app):
    with app.app_context():
        import_feed([service()], "a.json", None, source="north")
        import_feed([service()], "b.json", None, source="south")
        assert _counts() == (2, 2, 2)


def test_a_service_with_no_organisation_is_skipped_unless_one_is_chosen(app):
    organisation_id = make_organisation(app)
    with app.app_context():
        report = import_feed([service(organization=None)], "feed.json", None)
        assert "it names no organization" in report.lines()[-1]
        report = import_feed(
            [service(organization=None)], "feed.json", None, organisation_id=organisation_id
        )
        assert report.created["groups"] == 1


def test_the_report_names_unmapped_terms(app):
    body = service(attributes=[{"taxonomy_term": {"name": "Lunch clubs"}}])
    with app.app_context():
        lines = import_feed([body], "feed.json", None).lines()
    assert any("'Lunch clubs' (1)" in line for line in lines)


def test_a_group_for_children_keeps_no_age_below_ours(app):
    with app.app_context():
        report = import_feed([service(minimum_age="5")], "feed.json", None)
        assert db.session.scalar(select(Group.age_min)) is None
    assert any("age_min" in note for _, note in report.notes)


def test_html_in_a_feed_is_stored_as_plain_text(app):
    body = service(description="<p>Tea &amp; <img src=x onerror=alert(1)>cake</p>")
    with app.app_context():
        import_feed([body], "feed.json", None)
        assert db.session.scalar(select(Group.description)) == "Tea & cake"


def test_an_organisation_with_no_service_we_import_is_not_made(app):
    with app.app_context():
        import_feed([service(schedules=[])], "feed.json", None)
        assert _counts() == (0, 0, 0)
