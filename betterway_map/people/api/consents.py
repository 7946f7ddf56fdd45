"""A person's consents through the API: list, record, withdraw.

Listing is for the person themself or an assigned worker; recording and
withdrawing are for an assigned worker, as on the pages. Anyone else gets 404.
"""

from __future__ import annotations

from flask_login import current_user

from betterway_map.people.schemas.consent import (
    ConsentOutSchema,
    ConsentSchema,
    WithdrawConsentSchema,
)
from betterway_map.people.services import consent as consents
from betterway_map.web.access import roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint

blp = Blueprint("api_consents", __name__, description="Consent given by people on the register")


def _user():
    return current_user._get_current_object()


@blp.route("/<int:person_id>/consents", methods=["GET"])
@roles("worker", "resident")
@blp.response(200, ConsentOutSchema(many=True))
def list_consents(person_id: int):
    """What a person agreed to, newest first, including withdrawn consent."""
    return consents.consents_of(_user(), person_id)


@blp.route("/<int:person_id>/consents", methods=["POST"])
@roles("worker")
@blp.arguments(ConsentSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, ConsentOutSchema(many=True))
def add_consents(data, person_id: int):
    """Record consent: one row per purpose, recorded by the signed-in worker."""
    return consents.add_consents(_user(), person_id, data)


@blp.route("/<int:person_id>/consents/<int:consent_id>/withdraw", methods=["POST"])
@roles("worker")
@blp.arguments(WithdrawConsentSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, ConsentOutSchema)
def withdraw(data, person_id: int, consent_id: int):
    """Mark a consent as withdrawn (``withdrawn_on`` defaults to today)."""
    return consents.withdraw_consent(_user(), person_id, consent_id, data["withdrawn_on"])
