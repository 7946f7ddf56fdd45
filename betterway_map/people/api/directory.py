"""People through the API: a worker's people, registering with consent, a
resident's own profile. The same permissions as the pages: a worker sees only
the people assigned to them, a resident only themself; anyone else gets 404.
"""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user

from betterway_map.errors import NotFound
from betterway_map.people.permissions import own_person
from betterway_map.people.schemas.person import (
    PeopleQuerySchema,
    PersonSchema,
    ProfileSchema,
    RegisterPersonSchema,
)
from betterway_map.people.services import directory as people
from betterway_map.web.access import roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint

blp = Blueprint("api_people", __name__, description="People: workers' caseloads and profiles")


class PeoplePageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PersonSchema))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer(attribute="page_size")
    pages = ma.fields.Integer()


class PersonChangesSchema(PersonSchema):
    """Any of a person's fields; those left out stay as they are."""


def _user():
    return current_user._get_current_object()


@blp.route("/people", methods=["GET"])
@roles("worker", "resident")
@blp.arguments(PeopleQuerySchema, location="query")
@blp.response(200, PeoplePageSchema)
def list_people(query):
    """A worker's people (search by first name with ``q``); a resident's own record."""
    return people.list_people(
        _user(), query["q"], query["page"], query["per_page"], include_own=True
    )


@blp.route("/people", methods=["POST"])
@roles("worker")
@blp.arguments(RegisterPersonSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, PersonSchema)
def register(data):
    """Register someone who is not online, with their consent ("register" at least).

    The worker who registers them is assigned to them and recorded as having
    taken the consent.
    """
    return people.register_person(_user(), data)


@blp.route("/people/<int:person_id>", methods=["GET"])
@roles("worker", "resident")
@blp.response(200, PersonSchema)
def get_person(person_id: int):
    """A person's details: for themself or an assigned worker (audited)."""
    return people.view_person(_user(), person_id)


@blp.route("/people/<int:person_id>", methods=["PATCH"])
@roles("worker", "resident")
@blp.arguments(PersonChangesSchema(partial=True))
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, PersonSchema)
def patch_person(data, person_id: int):
    """Change some of a person's details: themself or an assigned worker."""
    return people.update_person(_user(), person_id, data)


@blp.route("/profile", methods=["GET"])
@roles("resident")
@blp.response(200, ProfileSchema)
def get_profile():
    """The signed-in resident's own profile."""
    person = own_person(_user())
    if person is None:
        raise NotFound("You have not filled in a profile yet: PUT /api/v1/profile to make one.")
    return person


@blp.route("/profile", methods=["PUT"])
@roles("resident")
@blp.arguments(ProfileSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, ProfileSchema)
def put_profile(data):
    """Make or replace the signed-in resident's own profile."""
    person, _ = people.save_own_profile(_user(), data)
    return person
