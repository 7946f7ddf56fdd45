"""Matrix cases for messages: the inbox (any signed-in user, their own
messages only), an organiser's welcome to someone who would like to come to
a group of theirs, and a question about a public offer of help."""

from __future__ import annotations

from tests.authorisation.matrix import SIGNED_IN, Case, roles
from tests.factories.inbox import message_to
from tests.factories.people import make_person
from tests.factories.person_records import attendance, group_of, listing_of, own_person

ORG_ADMIN = roles("org_admin")
ASKERS = roles("resident", "worker")
BODY = {"body": "Hello"}


def _message(app, owner):
    return {"message_id": message_to(app, owner)}


def _interested(app, owner):
    """Someone (with an account) who would like to come to the owner's group."""
    group_id = group_of(app, owner)
    _, person_id = own_person(app)
    return {
        "group_id": group_id,
        "attendance_id": attendance(app, person_id, group_id, status="interested"),
    }


def _open_offer(app, owner):
    """An open offer by someone else: offers are public, anyone may ask."""
    person_id = make_person(app, first_name="Daniel")
    return {"listing_id": listing_of(app, person_id, direction="offer")}


CASES = [
    Case("inbox.index", allowed=SIGNED_IN),
    Case("inbox.message", allowed=SIGNED_IN, record=_message),
    Case("inbox.reply", "POST", allowed=SIGNED_IN, record=_message, data=BODY),
    Case("attendance.welcome", allowed=ORG_ADMIN, record=_interested),
    Case("attendance.welcome", "POST", allowed=ORG_ADMIN, record=_interested, data=BODY),
    Case("offers.ask", allowed=ASKERS, record=_open_offer, others_allowed=True),
    Case("offers.ask", "POST", allowed=ASKERS, record=_open_offer, others_allowed=True, data=BODY),
]
