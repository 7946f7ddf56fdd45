"""Importing an ORUK feed again after a service changed organisation: the
service is found by its ORUK id whatever organisation it was in, and its
group moves to the new one with its meetings and attendance, when the
importer may change both; otherwise it is skipped, saying why, and no second
group is made. The feeds are hand-made (``tests.factories.oruk_feed``)."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import func, select

from betterway_map.accounts.models import AuditEvent, User
from betterway_map.extensions import db
from betterway_map.interop.oruk.importing import import_feed
from betterway_map.people.models import Attendance
from betterway_map.register.models import Group, MeetingChange, OneOffMeeting, Organisation
from tests.factories.organisations import make_group, make_organisation
from tests.factories.oruk_feed import service
from tests.factories.people import make_person

HILLSIDE = {
    "id": "org-2",
    "name": "Hillside Trust",
    "description": "Another trust.",
    "email": "hello@hillside.example.org",
}


def _with_meetings_and_a_member(app, group_id: int) -> int:
    """Give the group a cancelled meeting, a one-off and a member; the person's id."""
    person = make_person(app)
    with app.app_context():
        group = db.session.get(Group, group_id)
        db.session.add_all(
            [
                MeetingChange(group_id=group_id, occurs_on=date(2026, 3, 3), kind="cancelled"),
                OneOffMeeting(
                    organisation_id=group.organisation_id,
                    group_id=group_id,
                    title="Summer lunch",
                    occurs_on=date(2026, 7, 1),
                    start_time=time(12),
                    end_time=time(14),
                ),
                Attendance(person_id=person, group_id=group_id, status="member"),
            ]
        )
        db.session.commit()
    return person


def _group_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Group))


def test_a_service_run_by_another_organisation_moves_there_with_its_meetings(app):
    with app.app_context():
        import_feed([service()], "first.json", None)
        group_id = db.session.scalar(select(Group.id))
    person = _with_meetings_and_a_member(app, group_id)
    with app.app_context():
        report = import_feed([service(organization=HILLSIDE)], "second.json", None)
        group = db.session.get(Group, group_id)
        assert _group_count() == 1
        assert group.organisation.name == "Hillside Trust"
        assert report.updated["groups"] == 1 and report.created["groups"] == 0
        assert (
            "service 'Lunch club svc-1' (svc-1)",
            "moved from Riverside Trust to Hillside Trust, with its meetings",
        ) in report.notes
        assert [c.occurs_on for c in group.changes] == [date(2026, 3, 3)]
        assert [(o.title, o.organisation_id) for o in group.one_offs] == [
            ("Summer lunch", group.organisation_id)
        ]
        assert db.session.scalar(select(Attendance.person_id)) == person
        assert group.space.organisation_id == group.organisation_id  # its venue, in its new one
        moved = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "move"))
        assert (moved.subject_type, moved.subject_id) == ("group", group_id)
        # Importing the second feed again changes nothing more.
        again = import_feed([service(organization=HILLSIDE)], "third.json", None)
        assert again.unchanged["groups"] == 1 and _group_count() == 1


def test_an_admin_of_both_organisations_moves_a_service_between_them(app, user_factory):
    admin_id = user_factory("org_admin")
    riverside, hillside = make_organisation(app, admin_id), make_organisation(app, admin_id)
    with app.app_context():
        admin = db.session.get(User, admin_id)
        import_feed([service()], "feed.json", admin, organisation_id=riverside)
        report = import_feed([service()], "feed.json", admin, organisation_id=hillside)
        assert report.updated["groups"] == 1 and _group_count() == 1
        assert db.session.scalar(select(Group.organisation_id)) == hillside


def test_an_admin_of_the_new_organisation_only_is_told_why_it_is_skipped(app, user_factory):
    with app.app_context():
        import_feed([service()], "feed.json", None)  # into the feed's Riverside Trust
        riverside = db.session.scalar(select(Organisation.id))
    admin_id = user_factory("org_admin")
    hillside = make_organisation(app, admin_id, name="Hillside Trust")
    with app.app_context():
        admin = db.session.get(User, admin_id)
        report = import_feed([service()], "feed.json", admin, organisation_id=hillside)
        ((record, why),) = report.skipped
        assert record == "service 'Lunch club svc-1' (svc-1)"
        assert why.startswith("it was imported into Riverside Trust, which you do not administer")
        assert report.created["groups"] == 0 and report.updated["groups"] == 0
        assert _group_count() == 1
        assert db.session.scalar(select(Group.organisation_id)) == riverside


def test_of_groups_imported_twice_before_the_one_in_its_organisation_is_updated(app):
    """Imports before this rule made a second group when a service changed
    organisation: the one in its organisation now is updated, the other left."""
    riverside, hillside = make_organisation(app), make_organisation(app)
    old = make_group(app, riverside, name="Old copy", source="oruk", source_ref="svc-1")
    new = make_group(app, hillside, name="New copy", source="oruk", source_ref="svc-1")
    with app.app_context():
        report = import_feed([service()], "feed.json", None, organisation_id=hillside)
        assert report.updated["groups"] == 1 and _group_count() == 2
        assert db.session.get(Group, new).name == "Lunch club svc-1"
        assert db.session.get(Group, old).name == "Old copy"
        assert db.session.get(Group, old).organisation_id == riverside
