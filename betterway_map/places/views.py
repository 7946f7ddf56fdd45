"""The nearby search page, "what is on near me?", and "I'd like to go".

The page is a plain GET form (it works without JavaScript): a postcode, or
coordinates typed in place of dropping a pin, how far, and filters. The list
of results is the primary view; the map (``templates/places/_map.html``)
sits beside it and shows the same results.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from marshmallow import ValidationError, fields

from betterway_map.domain.geo.distance import PARTS_OF_DAY, next_radius_km
from betterway_map.errors import InvalidInput
from betterway_map.maps.nearby_map import build_nearby_map
from betterway_map.people.permissions import own_person
from betterway_map.places import search as service
from betterway_map.places.interest import interest_states, say_interested
from betterway_map.places.schemas import (
    DEFAULT_WHAT,
    FILTER_NAMES,
    PAGE_RADII_KM,
    WHAT_CHOICES,
    NearbyQuerySchema,
)
from betterway_map.register.services import groups as group_service
from betterway_map.web.access import public, roles
from betterway_map.web.forms import fields_of, flat_errors
from betterway_map.web.vendor import map_assets

bp = Blueprint("nearby", __name__)

_PLACE_KEYS = ("postcode", "lat", "lon")
_THANKS = {
    "added": "Thank you: the organisers of {name} can see that you would like to go.",
    "already interested": "You have already said that you would like to go to {name}.",
    "already a member": "You already go to {name}.",
}


def query_payload(schema, args) -> dict:
    """The query string as the schema loads it: lists from repeated keys,
    empty values left out (so defaults apply)."""
    payload = {}
    for name, field in schema.fields.items():
        if isinstance(field, fields.List):
            chosen = [value.strip() for value in args.getlist(name) if value.strip()]
            if chosen:
                payload[name] = chosen
        elif args.get(name, "").strip():
            payload[name] = args[name].strip()
    return payload


def _form_values(payload: dict) -> dict:
    values = {"radius_km": payload.get("radius_km", "2"), "what": list(DEFAULT_WHAT)}
    values.update(payload)
    return values


def _radius_choices(current: str) -> list[tuple[str, str]]:
    choices = [(f"{km:g}", f"{km:g} km") for km in PAGE_RADII_KM]
    if current and current not in {value for value, _ in choices}:
        choices.append((current, f"{current} km"))
    return choices


def _own_postcode() -> dict:
    """A signed-in resident's search starts from their own postcode."""
    if not (current_user.is_authenticated and current_user.has_role("resident")):
        return {}
    person = own_person(current_user)
    return {"postcode": person.postcode} if person and person.postcode else {}


@bp.route("/nearby")
@public
def search():
    schema = NearbyQuerySchema()
    payload = query_payload(schema, request.args) or _own_postcode()
    values, errors, result = _form_values(payload), {}, None
    if payload:
        try:
            result = linked(service.search(schema.load(payload)))
        except ValidationError as error:
            errors = flat_errors(error.messages)
        except InvalidInput as error:
            errors = error.errors
    states = {}
    if result and current_user.is_authenticated and current_user.has_role("resident"):
        states = interest_states(current_user, [i.id for i in result.items if i.kind == "group"])
    specs = {spec.name: spec for spec in fields_of(schema)}
    return render_template(
        "places/search.html",
        search=result,
        map_view=nearby_map(result),
        pin_map=None if result else pin_map(),
        values=values,
        errors=errors,
        specs=specs,
        radius_choices=_radius_choices(values["radius_km"]),
        what_choices=WHAT_CHOICES,
        parts_of_day=PARTS_OF_DAY,
        states=states,
        wider_url=_wider_url(result),
        unfiltered_url=_unfiltered_url(result),
        # The search itself, for its calendar feed and printed sheet.
        search_args={k: v for k, v in payload.items() if k not in ("page", "page_size")},
    ), (400 if errors else 200)


def linked(search):
    """The search with the address of each result's own page (and of the
    online groups), for the page and the map."""
    items = [replace(item, url=item_url(item)) for item in search.items]
    online = search.online_groups
    if online is not None:
        online = replace(online, url=online_url(online))
    return replace(search, items=items, online_groups=online)


def online_url(online) -> str:
    """Where to see the online groups a search counted ("" when none were counted):
    ``url_for("groups.index", interest=..., online="true")``, from the path kept
    for the app (``_kept_paths``) rather than built again for every search."""
    if online is None:
        return ""
    query = {"interest": online.interest} if online.interest is not None else {}
    # Encoded as Werkzeug encodes a URL's query (its characters left as they are).
    encoded = urlencode({**query, "online": "true"}, safe="!$'()*,/:;?@")
    return f"{_kept_paths()['groups']}?{encoded}"


def item_url(item) -> str | None:
    """The path of a result's own page (offers have none)."""
    if item.kind == "group":
        return url_for("groups.detail", group_id=item.id)
    if item.kind == "space":
        return url_for("spaces.detail", space_id=item.id)
    return None  # offers have no page: a helper's home is never shown


# A record number no real record has, to find where the number goes in a path.
_MARK = 2**31 - 1


# The result pages' paths around their number, by app and by the root the
# app is served under (the only parts of a request that change them).
_PATHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_ROOTS_KEPT = 16


def _kept_paths() -> dict:
    """The result pages' paths around their number, and the groups' list,
    made with ``url_for`` once for the app and the root it is served under."""
    by_root = _PATHS.setdefault(current_app._get_current_object(), {})
    paths = by_root.get(request.script_root)
    if paths is None:
        if len(by_root) >= _ROOTS_KEPT:
            by_root.clear()
        paths = by_root[request.script_root] = {
            "group": url_for("groups.detail", group_id=_MARK).split(str(_MARK)),
            "space": url_for("spaces.detail", space_id=_MARK).split(str(_MARK)),
            "groups": url_for("groups.index"),
        }
    return paths


def item_urls():
    """``item_url`` for a page of results, with ``url_for`` asked once for
    each kind of result rather than once for each result (the number is the
    only part of the path that changes), and that once kept for the app."""
    paths = _kept_paths()

    def url(item) -> str | None:
        path = paths.get(item.kind)
        return None if path is None else f"{path[0]}{item.id}{path[1]}"

    return url


@dataclass(frozen=True)
class MapView:
    """What ``nearby/_map.html`` shows."""

    installed: bool
    css_urls: tuple[str, ...] = ()
    js_urls: tuple[str, ...] = ()
    html: Markup = Markup("")
    script: Markup = Markup("")
    marker_count: int = 0
    result_count: int = 0
    radius_km: float = 0.0

    @property
    def summary(self) -> str:
        """A short text alternative: what the map shows, in words."""
        if self.result_count and self.marker_count == self.result_count:
            noun = "place" if self.marker_count == 1 else "places"
            return f"The map shows the same {self.marker_count} {noun} as the list."
        if not self.result_count:
            return (
                f"The map shows where the search was centred and the {self.radius_km:g} km"
                " around it. Nothing in the list is on it."
            )
        return (
            f"The map shows {self.marker_count} of the {self.result_count} results in the list."
            " Offers of help are never placed on a map, to keep helpers' homes private."
        )


def _first_number(search) -> int:
    """The list's number of the page's first result (the list is numbered
    across pages)."""
    page, page_size = getattr(search, "page", 1), getattr(search, "page_size", None)
    if isinstance(page, int) and isinstance(page_size, int) and page >= 1:
        return (page - 1) * page_size + 1
    return 1


def nearby_map(search) -> MapView | None:
    """The map of a nearby search's current page of results, or None before
    any search was made.

    ``search`` has ``origin`` (a ``domain.geo.place.Place``), ``radius_km``
    and ``items`` (see ``maps.nearby_map.build_nearby_map``).
    """
    if search is None:
        return None
    assets = map_assets()
    if not assets.installed:
        return MapView(installed=False)
    items = list(search.items)
    origin = search.origin
    parts = build_nearby_map(
        origin.latitude,
        origin.longitude,
        origin.label,
        search.radius_km,
        items,
        tiles=assets.tiles,
        first_number=_first_number(search),
    )
    return MapView(
        installed=True,
        css_urls=assets.css_urls,
        js_urls=assets.js_urls,
        # Built by maps.nearby_map, where every user-entered string passed
        # through map_text; nothing else in them came from a user.
        html=Markup(parts.html),  # noqa: S704 (escaped by map_text, see above)
        script=Markup(parts.script),  # noqa: S704
        marker_count=parts.marker_count,
        result_count=len(items),
        radius_km=float(search.radius_km),
    )


@dataclass(frozen=True)
class PinMap:
    """What ``places/_pin_map.html`` needs: the map files, the tiles and where to start."""

    css_urls: tuple[str, ...]
    js_urls: tuple[str, ...]
    lat: float
    lon: float
    zoom: int
    tiles_url: str = ""
    attribution: str = ""
    max_zoom: int = 19


def pin_map() -> PinMap | None:
    """The map on which a person clicks, taps or moves to a point to search
    from; None when the map files are not installed."""
    assets = map_assets()
    if not assets.installed:
        return None
    lat, lon, zoom = service.map_start()
    tiles = assets.tiles
    return PinMap(
        css_urls=assets.css_urls,
        js_urls=assets.js_urls[:1],  # Leaflet itself; no clusters here
        lat=lat,
        lon=lon,
        zoom=zoom,
        tiles_url=tiles.url_template if tiles else "",
        attribution=tiles.attribution if tiles else "",
        max_zoom=tiles.max_zoom if tiles else 19,
    )


def _search_args(**changes) -> dict:
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    args.update(changes)
    return args


def _wider_url(result) -> str | None:
    if not result or not result.explanation or not result.explanation.wider_count:
        return None
    wider = next_radius_km(result.radius_km)
    return url_for(".search", **_search_args(radius_km=f"{wider:g}"))


def _unfiltered_url(result) -> str | None:
    if not result or not result.explanation or not result.explanation.unfiltered_count:
        return None
    args = {key: value for key, value in _search_args().items() if key not in FILTER_NAMES}
    return url_for(".search", **args)


def _back_to(target: str, group_id: int) -> str:
    """Where to go after "I'd like to go": the search or the group's page it
    came from, when it is one of ours (never another site); else the search."""
    parts = urlsplit(target)
    ours = (url_for(".search"), url_for("groups.detail", group_id=group_id))
    if not parts.scheme and not parts.netloc and parts.path in ours and "\\" not in target:
        return target
    return url_for(".search")


@bp.route("/nearby/groups/<int:group_id>/interested", methods=["GET", "POST"])
@roles("resident")
def interested(group_id: int):
    """Say "I'd like to go". The GET page asks once more, so that the choice
    survives signing in: a visitor who is not signed in is sent to sign in
    and brought back here, to the same group, with one button to press."""
    back = _back_to(request.values.get("next", ""), group_id)
    if request.method == "GET":
        return render_template(
            "places/interested.html",
            group=group_service.get_group(group_id),
            state=interest_states(current_user, [group_id]).get(group_id),
            back=back,
        )
    outcome = say_interested(current_user, group_id)
    if outcome is None:
        flash(
            "First tell us a little about yourself: then you can say which groups "
            "you would like to go to.",
            "info",
        )
        return redirect(url_for("profile.edit"))
    group, done = outcome
    flash(_THANKS[done].format(name=group.name), "success")
    return redirect(back)
