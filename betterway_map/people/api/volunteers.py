"""API: a person's volunteer profile; DBS details only from an assigned worker."""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import abort

from betterway_map.people.api import PEOPLE
from betterway_map.people.schemas.records import VolunteerSchema
from betterway_map.people.services import volunteers as service
from betterway_map.web.access import roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint

blp = Blueprint("api_volunteers", __name__, description="Volunteering and DBS checks")


@blp.route("/<int:person_id>/volunteer", methods=["GET"])
@roles(*PEOPLE)
@blp.response(200, VolunteerSchema)
def get_volunteer(person_id: int):
    """The volunteer profile; ``dbs_status_now`` shows a check over 3 years old as expired."""
    person, profile = service.get_volunteer(current_user, person_id)
    if profile is None:
        abort(404, message=f"Person {person_id} has not offered to volunteer yet.")
    return profile


@blp.route("/<int:person_id>/volunteer", methods=["PUT"])
@roles(*PEOPLE)
@blp.arguments(VolunteerSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, VolunteerSchema)
def save_volunteer(data: dict, person_id: int):
    """Offer to volunteer, or change the offer. ``dbs_status`` and ``dbs_checked_on`` may
    be sent only by a worker assigned to the volunteer (otherwise 403); left out, they
    keep their recorded values."""
    return service.save_volunteer(current_user, person_id, data)
