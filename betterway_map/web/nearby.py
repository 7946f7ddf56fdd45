"""The nearby search page, "what is on near me?", and "I'd like to go".

The page is a plain GET form (it works without JavaScript): a postcode, or
coordinates typed in place of dropping a pin, how far, and filters. The list
of results is the primary view; the map (``templates/nearby/_map.html``)
sits beside it and shows the same results.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError, fields

from ..errors import InvalidInput
from ..geo.nearby import PARTS_OF_DAY, next_radius_km
from ..schemas.nearby import (
    DEFAULT_WHAT,
    FILTER_NAMES,
    PAGE_RADII_KM,
    WHAT_CHOICES,
    NearbyQuerySchema,
)
from ..services import nearby as service
from ..services.nearby_interest import interest_states, say_interested
from ._register_pages import flat_errors
from .access import public, roles
from .forms import fields_of

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


@bp.route("/nearby")
@public
def search():
    schema = NearbyQuerySchema()
    payload = query_payload(schema, request.args)
    values, errors, result = _form_values(payload), {}, None
    if payload:
        try:
            result = service.search(schema.load(payload))
        except ValidationError as error:
            errors = flat_errors(error.messages)
        except InvalidInput as error:
            errors = error.errors
    states = {}
    if result and current_user.is_authenticated and current_user.has_role("resident"):
        states = interest_states(current_user, [i.id for i in result.items if i.kind == "group"])
    specs = {spec.name: spec for spec in fields_of(schema)}
    return render_template(
        "nearby/search.html",
        search=result,
        values=values,
        errors=errors,
        specs=specs,
        radius_choices=_radius_choices(values["radius_km"]),
        what_choices=WHAT_CHOICES,
        parts_of_day=PARTS_OF_DAY,
        states=states,
        wider_url=_wider_url(result),
        unfiltered_url=_unfiltered_url(result),
    ), (400 if errors else 200)


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


def _back_to_search() -> str:
    """Where to go after "I'd like to go": the search it came from, if it is
    one of ours (never another site)."""
    target = request.form.get("next", "")
    parts = urlsplit(target)
    if (
        not parts.scheme
        and not parts.netloc
        and parts.path == url_for(".search")
        and "\\" not in target
    ):
        return target
    return url_for(".search")


@bp.route("/nearby/groups/<int:group_id>/interested", methods=["POST"])
@roles("resident")
def interested(group_id: int):
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
    return redirect(_back_to_search())
