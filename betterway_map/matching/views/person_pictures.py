"""A worker's pictures of one of their people: their own network (ties,
groups, volunteers) as a picture with a table, and a map of what is near
their home, with lists. For the workers assigned to the person only (the
services answer 404 to anyone else); every answer is ``no-store``, as every
page that is not public is (``web.access``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, url_for
from flask_login import current_user
from markupsafe import Markup

from betterway_map.maps.council_layers import MapLayer
from betterway_map.maps.person_map import MapArea, MapGroup, build_person_map
from betterway_map.matching.services.person_map import PersonMap, person_map
from betterway_map.matching.services.person_picture import LINE_STYLES, person_picture
from betterway_map.web.access import roles
from betterway_map.web.vendor import map_assets

bp = Blueprint("person_pictures", __name__, url_prefix="/people")


@dataclass(frozen=True)
class MapView:
    """What ``matching/person_pictures/map.html`` embeds (None when the map
    files are not installed or the home is not known)."""

    css_urls: tuple[str, ...]
    js_urls: tuple[str, ...]
    html: Markup
    script: Markup
    layers: tuple[MapLayer, ...]


@bp.route("/<int:person_id>/network")
@roles("worker")
def network(person_id: int):
    found = person_picture(current_user, person_id)
    return render_template(
        "matching/person_pictures/network.html",
        found=found,
        line_styles={style.kind: style for style in LINE_STYLES},
    )


def _map_view(found: PersonMap) -> MapView | None:
    assets = map_assets()
    if not assets.installed or found.home is None:
        return None
    groups = [
        MapGroup(
            number=number,
            name=group.name,
            latitude=group.latitude,
            longitude=group.longitude,
            distance_km=group.distance_km,
            within_walk=found.within_walk(group),
            when=group.when,
            url=url_for("groups.detail", group_id=group.group_id),
        )
        for number, group in enumerate(found.groups, 1)
        if group.latitude is not None and group.longitude is not None
    ]
    areas = [
        MapArea(area.first_name, area.status_label, area.area_name, area.boundary)
        for area in found.volunteers
    ]
    # Always the application's own background, whatever MAP_TILES says: a
    # tile server asked for the streets round a person's home would learn
    # where they live.
    parts = build_person_map(found.home, found.first_name, found.walking_m, groups, areas)
    return MapView(
        css_urls=assets.css_urls,
        js_urls=assets.js_urls,
        # Built by maps.person_map, where every string passed through map_text.
        html=Markup(parts.html),  # noqa: S704
        script=Markup(parts.script),  # noqa: S704
        layers=parts.layers,
    )


@bp.route("/<int:person_id>/map")
@roles("worker")
def map_page(person_id: int):
    found = person_map(current_user, person_id)
    return render_template(
        "matching/person_pictures/map.html", found=found, map_view=_map_view(found)
    )
