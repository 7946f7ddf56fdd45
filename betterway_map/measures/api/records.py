"""API: contacts, agreed rhythms and feedback within a relationship, with
the same rules as the pages.

A relationship is addressed as ``/matches/{match_id}``, as
``/groups/{group_id}/people/{person_id}`` (a person in a group) or as
``/caseload/{person_id}`` (the signed-in worker and a person assigned to
them). Anyone with no part in it is answered 404; a party who may see it
but not record in it, 403; bad input (a contact dated in the future, a
duration of -5, a mark of 6, a side you cannot give) 422 with messages that
name the value, and nothing is written.
"""

from __future__ import annotations

import functools

from flask_login import current_user

from betterway_map.measures.schemas.records import (
    ContactLineSchema,
    ContactRecordChangeSchema,
    ContactRecordSchema,
    FeedbackLineSchema,
    FeedbackSchema,
    RhythmSchema,
    RhythmViewSchema,
)
from betterway_map.measures.services import contacts, feedback, rhythms
from betterway_map.web.access import roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint

blp = Blueprint(
    "api_measures_records",
    __name__,
    description="Contacts, agreed rhythms and feedback within a relationship",
)

PARTIES = ("resident", "worker", "org_admin")
# (the name in an endpoint, the address of a relationship)
RELATIONSHIPS = (
    ("match", "/matches/<int:match_id>"),
    ("group", "/groups/<int:group_id>/people/<int:person_id>"),
    ("caseload", "/caseload/<int:person_id>"),
)
# Who may read, and who may record, in each kind of relationship: anyone may
# be a volunteer or a person supported; a group's records are kept by its
# organisers and the person's workers (the person reads them and gives
# feedback); a caseload is a worker's.
READERS = {"match": PARTIES, "group": PARTIES, "caseload": ("worker",)}
RECORDERS = {"match": PARTIES, "group": ("worker", "org_admin"), "caseload": ("worker",)}


def _user():
    return current_user._get_current_object()


def _each_relationship(suffix: str, action: str, who: dict, **options):
    """Route an operation at the three addresses of a relationship, as the
    endpoints ``<action>_<kind>`` (e.g. ``record_contact_match``), each
    open to the roles ``who[kind]``."""

    def decorator(view):
        for kind, path in RELATIONSHIPS:

            @functools.wraps(view)
            def routed(*args, **kwargs):
                return view(*args, **kwargs)

            blp.route(path + suffix, endpoint=f"{action}_{kind}", **options)(
                roles(*who[kind])(routed)
            )
        return view

    return decorator


@_each_relationship("/contacts", "list_contacts", READERS, methods=["GET"])
@blp.response(200, ContactLineSchema(many=True))
def list_contacts(**ids):
    """The relationship's contacts, newest first; a private note only to the
    person, their workers and whoever wrote it."""
    return contacts.list_contacts(_user(), **ids).contacts


@_each_relationship("/contacts", "record_contact", RECORDERS, methods=["POST"])
@blp.arguments(ContactRecordSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, ContactLineSchema)
def record_contact(data: dict, **ids):
    """Record a contact: the day (today unless given; not in the future),
    how (phone, visit, group, online), minutes (1 to 1440) and a private note."""
    return contacts.record_contact(_user(), data, **ids)


@blp.route("/contacts/<int:contact_id>", methods=["PATCH"])
@roles(*PARTIES)
@blp.arguments(ContactRecordChangeSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, ContactLineSchema)
def update_contact(data: dict, contact_id: int):
    """Change a contact you recorded (any of its fields)."""
    return contacts.update_contact(_user(), contact_id, data)


@blp.route("/contacts/<int:contact_id>", methods=["DELETE"])
@roles(*PARTIES)
@blp.response(204)
def delete_contact(contact_id: int):
    """Delete a contact you recorded."""
    contacts.delete_contact(_user(), contact_id)


@_each_relationship("/rhythm", "get_rhythm", READERS, methods=["GET"])
@blp.response(200, RhythmViewSchema)
def get_rhythm(**ids):
    """The rhythm in force; until one is agreed, a suggestion (``agreed`` false)."""
    return rhythms.view_rhythm(_user(), **ids)[1]


@_each_relationship("/rhythm", "agree_rhythm", RECORDERS, methods=["POST"])
@blp.arguments(RhythmSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, RhythmViewSchema)
def agree_rhythm(data: dict, **ids):
    """Record the rhythm agreed (weekly, fortnightly or monthly; minutes each time)."""
    return rhythms.agree_rhythm(_user(), data, **ids)


@_each_relationship("/feedback", "list_feedback", READERS, methods=["GET"])
@blp.response(200, FeedbackLineSchema(many=True))
def list_feedback(**ids):
    """The feedback you may read: your own, or all of it if you look after the relationship."""
    return feedback.list_feedback(_user(), **ids)


@_each_relationship("/feedback", "give_feedback", READERS, methods=["POST"])
@blp.arguments(FeedbackSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, FeedbackLineSchema)
def give_feedback(data: dict, **ids):
    """Give feedback on the six marks, each 1 (strongly disagree) to 5
    (strongly agree) or left out; ``side`` is whose view it is (person,
    volunteer, worker); ``occasion`` first_review or six_monthly for a
    match's reviews, else other."""
    return feedback.give_feedback(_user(), data, **ids)
