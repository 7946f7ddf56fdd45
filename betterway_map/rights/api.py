"""The rights through the API: erase a person, everything held about a
person, one's own consents, and the retention review.

Erasure and the subject access export need a fresh sign-in, so they answer
only to a browser session in which the password was typed in the last few
minutes (a bearer token is never fresh).
"""

from __future__ import annotations

from flask_login import current_user

from betterway_map.rights.schemas import (
    ErasedSchema,
    ErasureSchema,
    OwnConsentSchema,
    PurposeStateSchema,
    ReviewRowSchema,
    SubjectAccessSchema,
)
from betterway_map.rights.services import consents, erasure, retention, subject_access
from betterway_map.web.access import roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint

blp = Blueprint("api_rights", __name__, description="Data protection rights")


def _user():
    return current_user._get_current_object()


@blp.route("/people/<int:person_id>/erasure", methods=["POST"])
@roles("resident", "worker", "site_admin", fresh=True)
@blp.arguments(ErasureSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, ErasedSchema)
def erase(data, person_id: int):
    """Erase the person: their records removed or anonymised everywhere.

    The person themself, a worker assigned to them or a site admin."""
    done = erasure.erase_person(_user(), person_id, data["reason"])
    return {"erased": True, "account_deleted": done.deleted_account, "counts": done.counts}


@blp.route("/people/<int:person_id>/subject-access", methods=["GET"])
@roles("resident", "worker", fresh=True)
@blp.response(200, SubjectAccessSchema)
def subject_access_export(person_id: int):
    """Everything held about the person (themself, or a worker assigned to them)."""
    return subject_access.export_for(_user(), person_id)


@blp.route("/me/consents", methods=["GET"])
@roles("resident")
@blp.response(200, PurposeStateSchema(many=True))
def list_own_consents():
    """Each purpose, and whether the signed-in resident's consent to it is in force."""
    return consents.own_consents(_user())


@blp.route("/me/consents", methods=["POST"])
@roles("resident")
@blp.arguments(OwnConsentSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, PurposeStateSchema(many=True))
def give_own_consents(data):
    """Give consent to these purposes (those already in force are left as they are)."""
    return consents.give_own(_user(), data["purposes"])


@blp.route("/me/consents/<purpose>/withdraw", methods=["POST"])
@roles("resident")
@blp.alt_response(409, response=BUSINESS_RULE)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, PurposeStateSchema(many=True))
def withdraw_own_consent(purpose: str):
    """Withdraw consent to one purpose from today; it takes effect at once."""
    return consents.withdraw_own(_user(), purpose)


@blp.route("/retention", methods=["GET"])
@roles("site_admin", "worker")
@blp.response(200, ReviewRowSchema(many=True))
def retention_review():
    """People with no activity for ``RETENTION_REVIEW_DAYS`` (a worker: their own people)."""
    return retention.due_for_retention_review(_user())
