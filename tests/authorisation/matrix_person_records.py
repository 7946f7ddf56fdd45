"""Matrix cases for a person's records and groups attended (helper E's routes).

Person routes: a resident on their own profile, a worker on a person assigned
to them. Attendee routes: an org admin on a group of their own organisation.
"""

from tests.authorisation.matrix import Case, roles
from tests.factories.days import TODAY
from tests.factories.person_records import (
    attendance,
    group_of,
    listing_of,
    organisation_with_group,
    own_person,
    person_for,
    tie_of,
    volunteer,
)

PEOPLE = roles("resident", "worker")
ORG_ADMIN = roles("org_admin")


def _person(app, owner):
    return {"person_id": person_for(app, owner)}


def _tie(app, owner):
    person_id = person_for(app, owner)
    return {"person_id": person_id, "tie_id": tie_of(app, person_id)}


def _listing(app, owner):
    person_id = person_for(app, owner)
    return {"person_id": person_id, "listing_id": listing_of(app, person_id)}


def _listing_only(app, owner):
    return {"listing_id": listing_of(app, person_for(app, owner))}


def _person_in_group(app, owner):
    person_id = person_for(app, owner)
    _, group_id = organisation_with_group(app)
    attendance(app, person_id, group_id)
    return {"person_id": person_id, "group_id": group_id}


def _group(app, owner):
    return {"group_id": group_of(app, owner)}


def _attendee(app, owner):
    group_id = group_of(app, owner)
    _, person_id = own_person(app)
    return {"group_id": group_id, "attendance_id": attendance(app, person_id, group_id)}


def _with_volunteer(app, owner):
    values = _person(app, owner)
    volunteer(app, values["person_id"])
    return values


MEASURE = {"measured_on": TODAY, "direct": "never"}
TIE = {"kind": "friend", "other_label": "Mo", "contact_frequency": "weekly"}

CASES = [
    Case(
        "person_records.mine",
        allowed=roles("resident"),
        record=lambda app, owner: {"section": "measures"},
        others_allowed=True,
    ),
    # Pages: each for the person themself or their worker.
    Case("person_records.measures", allowed=PEOPLE, record=_person),
    Case("person_records.measures", "POST", allowed=PEOPLE, record=_person, data=MEASURE),
    Case("person_records.ties", allowed=PEOPLE, record=_person),
    Case("person_records.ties", "POST", allowed=PEOPLE, record=_person, data=TIE),
    Case("person_records.edit_tie", allowed=PEOPLE, record=_tie),
    Case("person_records.edit_tie", "POST", allowed=PEOPLE, record=_tie, data=TIE),
    Case("person_records.remove_tie", "POST", allowed=PEOPLE, record=_tie),
    Case("person_records.volunteer", allowed=PEOPLE, record=_person),
    Case(
        "person_records.volunteer", "POST", allowed=PEOPLE, record=_person, data={"capacity": "2"}
    ),
    Case("person_records.help_listings", allowed=PEOPLE, record=_person),
    Case(
        "person_records.help_listings",
        "POST",
        allowed=PEOPLE,
        record=_person,
        data={"direction": "request", "kind": "shopping"},
    ),
    Case("person_records.edit_help", allowed=PEOPLE, record=_listing),
    Case(
        "person_records.edit_help",
        "POST",
        allowed=PEOPLE,
        record=_listing,
        data={"direction": "request", "kind": "lifts"},
    ),
    Case("person_records.close_help", "POST", allowed=PEOPLE, record=_listing),
    Case("attendance.person_groups", allowed=PEOPLE, record=_person),
    Case("attendance.person_groups", "POST", allowed=PEOPLE, record=_person),
    Case("attendance.leave", "POST", allowed=PEOPLE, record=_person_in_group),
    Case("attendance.attendees", allowed=ORG_ADMIN, record=_group),
    Case(
        "attendance.attendees",
        "POST",
        allowed=ORG_ADMIN,
        record=_group,
        data={"first_name": "Jo", "consent": "y", "consent_method": "verbal"},
    ),
    Case(
        "attendance.attended",
        "POST",
        allowed=ORG_ADMIN,
        record=_attendee,
        data={"attended_on": TODAY},
    ),
    # API: the same permissions. Bodies are valid so that a refusal can only
    # come from the access checks.
    Case("api_measures.list_measures", allowed=PEOPLE, record=_person),
    Case("api_measures.record_measure", "POST", allowed=PEOPLE, record=_person, data=MEASURE),
    Case("api_ties.list_ties", allowed=PEOPLE, record=_person),
    Case("api_ties.add_tie", "POST", allowed=PEOPLE, record=_person, data=TIE),
    Case("api_ties.update_tie", "PATCH", allowed=PEOPLE, record=_tie, data={"kind": "friend"}),
    Case("api_ties.remove_tie", "DELETE", allowed=PEOPLE, record=_tie),
    Case(
        "api_volunteers.get_volunteer",
        allowed=PEOPLE,
        record=_with_volunteer,
    ),
    Case(
        "api_volunteers.save_volunteer", "PUT", allowed=PEOPLE, record=_person, data={"capacity": 2}
    ),
    Case("api_help.list_listings", allowed=PEOPLE, record=_person),
    Case(
        "api_help.add_listing",
        "POST",
        allowed=PEOPLE,
        record=_person,
        data={"direction": "offer", "kind": "lifts"},
    ),
    Case(
        "api_help.update_listing",
        "PATCH",
        allowed=PEOPLE,
        record=_listing_only,
        data={"status": "closed"},
    ),
    Case("api_attendance.person_groups", allowed=PEOPLE, record=_person),
    Case(
        "api_attendance.join_group",
        "POST",
        allowed=PEOPLE,
        record=_person,
        data={"group_id": 1, "consent_to_share": True, "consent_method": "verbal"},
    ),
    Case("api_attendance.leave_group", "DELETE", allowed=PEOPLE, record=_person_in_group),
    Case("api_attendance.group_attendees", allowed=ORG_ADMIN, record=_group),
    Case(
        "api_attendance.add_attendee",
        "POST",
        allowed=ORG_ADMIN,
        record=_group,
        data={"first_name": "Jo", "consent": True, "consent_method": "verbal"},
    ),
    Case(
        "api_attendance.record_attended",
        "POST",
        allowed=ORG_ADMIN,
        record=_attendee,
        data={"attended_on": TODAY},
    ),
]
