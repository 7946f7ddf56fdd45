"""``/volunteering/roles.jsonld``: volunteering roles in the volunteering data
standard, public JSON-LD with ``Access-Control-Allow-Origin: *``."""

from __future__ import annotations

import json

from flask import Blueprint, Response, url_for

from betterway_map.interop.calendars.views import site_address
from betterway_map.interop.volunteering import services
from betterway_map.interop.volunteering.mapping import Links
from betterway_map.web.access import public

__all__ = ["bp"]

bp = Blueprint("volunteering", __name__, url_prefix="/volunteering")


@bp.route("/roles.jsonld")
@public
def roles():
    base = site_address()
    links = Links(
        group=lambda number: base + url_for("groups.detail", group_id=number),
        organisation=lambda number: base + url_for("organisations.detail", organisation_id=number),
    )
    body = services.roles_document(links, publisher=base + "/")
    return Response(
        json.dumps(body, ensure_ascii=False, indent=1),
        mimetype="application/ld+json",
        headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=900"},
    )
