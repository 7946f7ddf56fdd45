"""API: what is on near a place. Public, read-only."""

from __future__ import annotations

from flask import jsonify

from betterway_map.places import search as service
from betterway_map.places.schemas import NearbyQuerySchema, NearbyResultSchema, result_body
from betterway_map.places.views import item_urls, online_url
from betterway_map.web.access import public
from betterway_map.web.api import BUSINESS_RULE, Blueprint

blp = Blueprint(
    "api_nearby",
    __name__,
    description="Groups, spaces and offers of help near a postcode or a point, nearest first.",
)


@blp.route("", methods=["GET"])
@public
@blp.arguments(NearbyQuerySchema, location="query")
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, NearbyResultSchema)
def search(args):
    """Search near ``postcode`` (full, sector like ``ZZ1 1`` or district like
    ``ZZ1``) or near ``lat`` and ``lon`` (decimal degrees), within
    ``radius_km`` (0.1 to 50, default 2).

    ``origin`` says where the search was centred. ``items`` are nearest
    first (equal distances: groups, then spaces, then offers, then by id),
    each with its geodesic ``distance_km``; a group carries its next meeting
    (Europe/London) and its space's access features. Filters: ``what``
    (group, space, offer; repeat the key for several; groups and spaces by
    default), ``interest``, ``day`` (mon…sun, repeatable), ``time_of_day``
    (morning before 12:00, afternoon before 17:00, evening; repeatable),
    ``free``, ``step_free``, ``audience``. Group filters also limit spaces to
    those where such a group meets. Offers of help show their kind, the
    volunteer's first name and an approximate distance, never a place.
    Online-only groups are counted in ``online_groups``, not listed. With no
    results, ``explanation`` says why and how many a wider search would find.
    Bad input answers 422 with ``errors.query`` keyed by field.
    """
    result = service.search(args)
    # The body NearbyResultSchema describes, made without marshmallow (see result_body).
    return jsonify(result_body(result, item_urls(), online_url(result.online_groups)))
