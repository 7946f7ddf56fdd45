"""The offline map background, as GeoJSON for the maps' own script.

Public: it holds only public postcode geography (and the demo town's
made-up streets), never anything about a person.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from betterway_map.errors import InvalidInput
from betterway_map.geocoding.background import background as background_of
from betterway_map.maps.basemap import BACKGROUND_PATH, BBoxError
from betterway_map.web.access import public

__all__ = ["bp"]

bp = Blueprint("geocoding", __name__)

# The background changes only when the gazetteer is re-imported.
MAX_AGE_SECONDS = 300


@bp.route(BACKGROUND_PATH)
@public
def background():
    try:
        collection = background_of(request.args.get("bbox"))
    except BBoxError as error:
        raise InvalidInput(str(error), {"bbox": [str(error)]}) from None
    response = jsonify(collection)
    response.mimetype = "application/geo+json"
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE_SECONDS
    return response
