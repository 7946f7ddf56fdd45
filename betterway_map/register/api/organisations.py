"""Organisations and their partnerships: read by anyone, changed by their admins."""

from __future__ import annotations

from flask_login import current_user

from betterway_map.register.schemas.organisations import (
    OrganisationListQuerySchema,
    OrganisationPageSchema,
    OrganisationSchema,
    PartnershipSchema,
)
from betterway_map.register.services import organisations as service
from betterway_map.register.services import partnerships as partnership_service
from betterway_map.web.access import public, roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint, page_body

blp = Blueprint(
    "api_organisations",
    __name__,
    description="Organisations that run spaces and groups, and their partnerships. "
    "Public records: anyone may read them.",
)


class OrganisationPatchSchema(OrganisationSchema):
    """Any of an organisation's fields; those left out stay as they are."""


@blp.route("", methods=["GET"])
@public
@blp.arguments(OrganisationListQuerySchema, location="query")
@blp.response(200, OrganisationPageSchema)
def list_organisations(args):
    """List organisations by name.

    Filter by ``sector`` or by part of the name (``q``); ``page`` from 1 and
    ``page_size`` up to 100.
    """
    return page_body(
        service.list_organisations(
            sector=args.get("sector"),
            q=args.get("q"),
            page=args["page"],
            page_size=args["page_size"],
        )
    )


@blp.route("", methods=["POST"])
@roles("org_admin")
@blp.arguments(OrganisationSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, OrganisationSchema)
def create_organisation(data):
    """Register an organisation; the caller becomes its admin.

    Needs the org_admin role. Bad input answers 422 with a message per field.
    """
    return service.create_organisation(current_user, data)


@blp.route("/<int:organisation_id>", methods=["GET"])
@public
@blp.response(200, OrganisationSchema)
def get_organisation(organisation_id: int):
    """One organisation (404 when there is none with this id)."""
    return service.get_organisation(organisation_id)


@blp.route("/<int:organisation_id>", methods=["PATCH"])
@roles("org_admin")
@blp.arguments(OrganisationPatchSchema(partial=True))
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, OrganisationSchema)
def update_organisation(data, organisation_id: int):
    """Change some of an organisation's details; fields left out stay as they are.

    Needs the org_admin role and to be an admin of this organisation (403
    otherwise). Bad input answers 422 with a message per field.
    """
    return service.update_organisation(current_user, organisation_id, data)


@blp.route("/<int:organisation_id>/partnerships", methods=["GET"])
@public
@blp.response(200, PartnershipSchema(many=True))
def list_partnerships(organisation_id: int):
    """The confirmed partnerships an organisation is part of, recorded by it or by the partner.

    For referrals, ``organisation_id`` refers people to ``partner_id``.
    Partnerships the partner has not confirmed yet are not listed here (see
    ``/partnerships/pending``).
    """
    return partnership_service.list_partnerships(organisation_id)


@blp.route("/<int:organisation_id>/partnerships/pending", methods=["GET"])
@roles("org_admin")
@blp.response(200, PartnershipSchema(many=True))
def list_pending_partnerships(organisation_id: int):
    """The partnerships of this organisation that wait for the partner to confirm them.

    Those another organisation recorded with this one (``partner_id`` is
    this organisation: confirm or decline them) and those this one recorded
    (``organisation_id`` is this organisation). Needs to be an admin of
    ``organisation_id`` (403 otherwise).
    """
    return partnership_service.partnerships_to_manage(current_user, organisation_id).pending


@blp.route("/<int:organisation_id>/partnerships", methods=["POST"])
@roles("org_admin")
@blp.arguments(PartnershipSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, PartnershipSchema)
def create_partnership(data, organisation_id: int):
    """Record a partnership with another organisation.

    It is ``pending`` (``status``), and not public, until an admin of the
    partner confirms it. Needs to be an admin of ``organisation_id`` (403
    otherwise). Not with itself, nor an unknown organisation (422); the same
    partnership twice, pending or confirmed, answers 409.
    """
    return partnership_service.create_partnership(current_user, organisation_id, data)


@blp.route("/<int:organisation_id>/partnerships/<int:partnership_id>/confirm", methods=["POST"])
@roles("org_admin")
@blp.response(200, PartnershipSchema)
def confirm_partnership(organisation_id: int, partnership_id: int):
    """Confirm a partnership another organisation recorded with this one: it becomes public.

    Needs to be an admin of ``organisation_id``, the partner (403 for the
    organisation that recorded it, or anyone else); 404 when the
    organisation has no partnership with this id; 409 when it is already
    confirmed. To decline, delete it.
    """
    return partnership_service.confirm_partnership(current_user, organisation_id, partnership_id)


@blp.route("/<int:organisation_id>/partnerships/<int:partnership_id>", methods=["DELETE"])
@roles("org_admin")
@blp.response(204)
def delete_partnership(organisation_id: int, partnership_id: int):
    """Remove a partnership; an admin of either organisation may.

    The recorder withdraws a pending one this way, and the partner declines it.

    404 when the organisation has no partnership with this id.
    """
    partnership_service.delete_partnership(current_user, organisation_id, partnership_id)
