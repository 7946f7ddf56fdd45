"""The groups a worker (or a resident) can choose from for a person: found by
name or interest, nearest to the person's home first, each with its distance
and a warning when it is further than the person says they can travel."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from betterway_map.database import contains, json_list_contains
from betterway_map.domain import vocab
from betterway_map.domain.geo.distance import distance_km
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.people.models import Person
from betterway_map.register.models import Group

__all__ = ["GROUP_LIST_LIMIT", "MAX_NAME_SEARCH", "GroupChoice", "group_choices"]

GROUP_LIST_LIMIT = 100
MAX_NAME_SEARCH = 100


@dataclass(frozen=True)
class GroupChoice:
    """A group to choose, as far as it is from the person's home."""

    group: Group
    # Geodesic km from the person's home to where the group meets; None when
    # the group meets only online, or either place is not known.
    distance_km: float | None
    # Further than the person said they can travel.
    beyond_reach: bool

    @property
    def where(self) -> str:
        if self.distance_km is not None:
            return f"{self.distance_km:.1f} km away"
        if self.group.space is None and self.group.online:
            return "online"
        return "distance not known"


def group_choices(
    person: Person, *, interest: str | None = None, name: str | None = None, exclude_ids=()
) -> list[GroupChoice]:
    """Active groups for ``person``, nearest first (then by name; online and
    unplaced ones after), at most ``GROUP_LIST_LIMIT``."""
    if interest is not None and interest not in vocab.values(vocab.INTERESTS):
        accepted = ", ".join(vocab.values(vocab.INTERESTS))
        message = f"{interest!r} is not an interest; choose one of: {accepted}."
        raise InvalidInput(message, {"interest": [message]})
    name = (name or "").strip()
    if len(name) > MAX_NAME_SEARCH:
        message = f"Use at most {MAX_NAME_SEARCH} characters to search for a group's name."
        raise InvalidInput(message, {"q": [message]})
    query = select(Group).where(Group.status == "active").options(selectinload(Group.space))
    if interest is not None:
        query = query.where(json_list_contains(Group.interests, interest))
    if name:
        query = query.where(contains(func.lower(Group.name), name.lower()))
    if exclude_ids:
        query = query.where(Group.id.not_in(list(exclude_ids)))
    choices = [_choice(person, group) for group in db.session.scalars(query)]
    choices.sort(
        key=lambda c: (
            c.distance_km is None,
            c.distance_km or 0.0,
            c.group.name.lower(),
            c.group.id,
        )
    )
    return choices[:GROUP_LIST_LIMIT]


def _choice(person: Person, group: Group) -> GroupChoice:
    space = group.space
    if person.latitude is None or space is None or space.latitude is None:
        return GroupChoice(group, None, False)
    km = distance_km(person.latitude, person.longitude, space.latitude, space.longitude)
    reach = person.travel_km
    return GroupChoice(group, km, reach is not None and km > reach)
