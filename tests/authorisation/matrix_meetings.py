"""Matrix cases for a group's meeting changes and an organisation's calendar import.

All are org_admin writes on a record of an organisation the user
administers: cancelling a meeting, moving one, meeting as usual again, adding and
deleting a one-off, and the import page (GET and POST).
"""

from datetime import date, time

from tests.authorisation.matrix import Case, roles
from tests.factories.organisations import make_group, make_organisation, make_space

ORG_ADMIN = roles("org_admin")


def _organisation(app, owner):
    return {"organisation_id": make_organisation(app, owner)}


def _group(app, owner):
    organisation_id = make_organisation(app, owner)
    return {"group_id": make_group(app, organisation_id, make_space(app, organisation_id))}


def _change(app, owner):
    from betterway_map.extensions import db
    from betterway_map.register.models import MeetingChange

    values = _group(app, owner)
    with app.app_context():
        change = MeetingChange(
            group_id=values["group_id"], occurs_on=date(2026, 1, 13), kind="cancelled"
        )
        db.session.add(change)
        db.session.commit()
        return {**values, "change_id": change.id}


def _one_off(app, owner):
    from betterway_map.extensions import db
    from betterway_map.register.models import OneOffMeeting

    organisation_id = make_organisation(app, owner)
    with app.app_context():
        one_off = OneOffMeeting(
            organisation_id=organisation_id,
            title="Summer fair",
            occurs_on=date(2030, 7, 6),
            start_time=time(10),
            end_time=time(12),
        )
        db.session.add(one_off)
        db.session.commit()
        return {"one_off_id": one_off.id}


def _write(endpoint, record, method="POST", data=None):
    return Case(endpoint, method=method, allowed=ORG_ADMIN, record=record, data=data or {})


CASES = [
    _write("meetings.cancel", _group, data={"cancel_date": "2030-01-01"}),
    _write("meetings.move", _group, data={"move_date": "2030-01-01", "move_to": "2030-01-02"}),
    _write("meetings.restore", _change),
    _write("meetings.add_one_off", _group, data={"one_off_title": "Extra"}),
    _write("meetings.delete_one_off", _one_off),
    _write("calendar_imports.new", _organisation, method="GET"),
    _write("calendar_imports.new", _organisation),
]
