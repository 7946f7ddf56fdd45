"""Spaces: list, show, add, edit and delete an organisation's places.

Anyone may read spaces; only the admins of the space's organisation change
them. Deleting a space leaves its groups without a venue ("venue to be
confirmed") rather than deleting them.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.errors import InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.geocoding.locate import place_postcode
from betterway_map.register.models import Group, Space
from betterway_map.register.services.organisations import _apply, _commit, admin_organisation
from betterway_map.web.paging import Page, paginate

__all__ = [
    "list_spaces",
    "get_space",
    "admin_space",
    "create_space",
    "update_space",
    "delete_space",
    "check_location",
    "place_unplaced_spaces",
    "location_note",
    "LOCATION_SOURCES",
]

# How a space was placed, as its page says it.
LOCATION_SOURCES = {
    "postcode": "from the postcode {postcode}",
    "geocoder": "from the postcode {postcode}, by the online geocoder",
    "typed": "at the latitude and longitude given",
}


def check_location(latitude: float | None, longitude: float | None) -> None:
    """Latitude and longitude come together or not at all."""
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        message = f"Give both latitude and longitude, or neither: the {missing} is missing."
        raise InvalidInput(message, {missing: [message]})


def _place(space: Space, *, typed: bool) -> None:
    """Put the space on the map: where it was typed, else from its postcode
    through the geocoding chain; unplaced (and saying so) when that fails."""
    if typed:
        space.location_source = "typed"
        return
    place = place_postcode(space.postcode)
    if place is None:
        space.latitude = space.longitude = space.location_source = None
        return
    space.latitude, space.longitude = place.latitude, place.longitude
    space.location_source = "postcode" if place.precision == "postcode" else "geocoder"


def location_note(space: Space) -> str:
    """Where the space is on the map and how it was placed, in words.

    >>> from types import SimpleNamespace as S
    >>> location_note(S(latitude=51.5, longitude=0.1, location_source="postcode", postcode="ZZ1 1AG"))
    'Placed on the map from the postcode ZZ1 1AG.'
    >>> location_note(S(latitude=None, longitude=None, location_source=None, postcode="ZZ9 9QQ"))[:40]
    'Not on the map: we do not know where the'
    """
    if space.latitude is None:
        return (
            f"Not on the map: we do not know where the postcode {space.postcode} is, so this "
            "space does not appear in nearby search or on maps. Its organisation can add "
            "its latitude and longitude."
        )
    how = LOCATION_SOURCES.get(space.location_source or "")
    if how is None:
        return f"On the map at {space.latitude:.5f}, {space.longitude:.5f}."
    return f"Placed on the map {how.format(postcode=space.postcode)}."


def place_unplaced_spaces() -> tuple[int, int]:
    """Place every space that has no coordinates from its postcode, in one
    transaction: ``(placed, still unplaced)``. Safe to run again."""
    spaces = list(db.session.scalars(select(Space).where(Space.latitude.is_(None))))
    for space in spaces:
        _place(space, typed=False)
    placed = sum(space.latitude is not None for space in spaces)
    db.session.commit()
    return placed, len(spaces) - placed


def list_spaces(
    *,
    organisation_id: int | None = None,
    step_free: bool | None = None,
    hearing_loop: bool | None = None,
    page: int = 1,
    page_size: int = 20,
) -> Page:
    """Spaces by name, optionally of one organisation or with an access feature."""
    query = (
        select(Space)
        .options(selectinload(Space.organisation))
        .order_by(func.lower(Space.name), Space.id)
    )
    if organisation_id is not None:
        query = query.where(Space.organisation_id == organisation_id)
    if step_free:
        query = query.where(Space.step_free.is_(True))
    if hearing_loop:
        query = query.where(Space.hearing_loop.is_(True))
    return paginate(query, page, page_size)


def get_space(space_id: int) -> Space:
    space = db.session.get(Space, space_id)
    if space is None:
        raise NotFound(f"There is no space with the number {space_id}.")
    return space


def admin_space(user: User, space_id: int) -> Space:
    """The space, when ``user`` administers its organisation (else NotFound/Forbidden)."""
    space = get_space(space_id)
    admin_organisation(user, space.organisation_id)
    return space


def create_space(user: User, data: dict) -> Space:
    """Add a space to an organisation that ``user`` administers."""
    data = dict(data)
    organisation_id = data.pop("organisation_id")
    admin_organisation(user, organisation_id)
    check_location(data.get("latitude"), data.get("longitude"))

    def action():
        space = Space(organisation_id=organisation_id, **data)
        _place(space, typed=data.get("latitude") is not None)
        db.session.add(space)
        db.session.flush()
        audit.record(user.id, "create", "space", space.id)
        return space

    return _commit(action)


def update_space(user: User, space_id: int, data: dict) -> Space:
    """Change some or all of a space's details."""
    space = admin_space(user, space_id)
    check_location(data.get("latitude", space.latitude), data.get("longitude", space.longitude))

    def action():
        old_postcode = space.postcode
        _apply(space, data)
        if data.get("latitude") is not None:
            _place(space, typed=True)
        elif "latitude" in data or space.latitude is None:
            _place(space, typed=False)  # cleared, or never placed: from the postcode
        elif space.postcode != old_postcode and space.location_source != "typed":
            _place(space, typed=False)  # moved: placed from its new postcode
        audit.record(user.id, "update", "space", space.id, ",".join(sorted(data)))
        return space

    return _commit(action)


def delete_space(user: User, space_id: int) -> int:
    """Delete a space; its groups stay, with no venue. Returns how many groups met there."""
    space = admin_space(user, space_id)

    def action():
        groups = list(db.session.scalars(select(Group).where(Group.space_id == space_id)))
        for group in groups:
            group.space_id = None
        db.session.delete(space)
        audit.record(user.id, "delete", "space", space_id, f"groups_without_venue={len(groups)}")
        return len(groups)

    return _commit(action)
