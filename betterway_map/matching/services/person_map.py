"""What a worker's map of one of their people shows, as plain data: the
person's home (to this worker only), groups that might suit them with how
far each is and whether it is within walking distance, offers of help
nearby, and the area (an H3 cell, never a point) where each volunteer
matched or proposed to them lives.

Nothing is worked out here that another service already decides:

* the groups are the person's group suggestions (``services.suggestions``:
  suitability, distance, the radius from their travel distance), and
  "within walking distance" is the network's walking distance
  (``WALKING_DISTANCE_M``, the council map's);
* the offers of help are the nearby search's (``places.search``: measured
  from each helper's blurred home, shown with a rounded distance, never a
  place, and named as the helper agreed);
* a volunteer's area is the H3 cell of where they travel from (their
  offer's place, else their home: where matching measures from) at the
  network's resolution, named by its postcode sectors; a volunteer who
  withdrew consent to being on the register is left out, as the network
  and the maps leave them out.

Only a worker assigned to the person may look (``NotFound`` for anyone
else); the one audit event is written by the suggestions ("worker map").
"""

from __future__ import annotations

from dataclasses import dataclass

import h3
from sqlalchemy import func, select

from betterway_map.accounts.models import User
from betterway_map.domain import vocab
from betterway_map.domain.clock import now_in_uk
from betterway_map.errors import NotFound
from betterway_map.extensions import db
from betterway_map.geocoding.background import cell_names
from betterway_map.matching.models import Match, SupportRequest, VolunteerOffer
from betterway_map.matching.services.person_picture import CURRENT_MATCHES
from betterway_map.matching.services.suggestions import (
    GroupSuggestions,
    Options,
    SuggestedGroup,
    home_of,
    suggestions_for,
)
from betterway_map.network.loader import settings
from betterway_map.people.models import Person
from betterway_map.people.permissions import is_assigned_worker
from betterway_map.people.services.consent import withdrawn
from betterway_map.places.candidates import Filters
from betterway_map.places.results import NearbyItem, build_item
from betterway_map.places.search import matches

__all__ = ["OFFERS_LIMIT", "PersonMap", "VolunteerArea", "person_map"]

# The nearest offers of help listed (as many as group suggestions).
OFFERS_LIMIT = 20
_STATUSES = dict(vocab.MATCH_STATUSES)


@dataclass(frozen=True)
class VolunteerArea:
    """Where a volunteer lives, roughly: a cell, its name and its outline."""

    first_name: str
    status: str
    status_label: str
    cell: str
    area_name: str
    boundary: tuple[tuple[float, float], ...]  # (lat, lon) corners


@dataclass(frozen=True)
class PersonMap:
    person_id: int
    first_name: str
    home: tuple[float, float] | None
    walking_m: int
    suggestions: GroupSuggestions
    offers: tuple[NearbyItem, ...]
    volunteers: tuple[VolunteerArea, ...]
    unplaced_volunteers: int  # matched or proposed, with no place known

    @property
    def groups(self) -> tuple[SuggestedGroup, ...]:
        return self.suggestions.items

    def within_walk(self, group: SuggestedGroup) -> bool:
        return group.distance_km * 1000 <= self.walking_m


def _volunteers(person_id: int, resolution: int) -> tuple[list[VolunteerArea], int]:
    """The volunteers matched or proposed to the person, by their area."""
    latitude = func.coalesce(VolunteerOffer.from_latitude, Person.latitude)
    longitude = func.coalesce(VolunteerOffer.from_longitude, Person.longitude)
    rows = list(
        db.session.execute(
            select(
                Match.status,
                Person.first_name,
                latitude.label("latitude"),
                longitude.label("longitude"),
            )
            .join(SupportRequest, SupportRequest.id == Match.request_id)
            .join(Person, Person.id == Match.volunteer_id)
            .outerjoin(VolunteerOffer, VolunteerOffer.person_id == Match.volunteer_id)
            .where(
                SupportRequest.person_id == person_id,
                Match.status.in_(CURRENT_MATCHES),
                ~withdrawn(Match.volunteer_id, "register"),
            )
            .order_by(Match.id)
        )
    )
    placed = [row for row in rows if row.latitude is not None and row.longitude is not None]
    cells = [h3.latlng_to_cell(row.latitude, row.longitude, resolution) for row in placed]
    names = cell_names(cells)
    areas = [
        VolunteerArea(
            first_name=row.first_name,
            status=row.status,
            status_label=_STATUSES.get(row.status, row.status),
            cell=cell,
            area_name=names.get(cell, "an area nearby"),
            boundary=tuple((float(lat), float(lon)) for lat, lon in h3.cell_to_boundary(cell)),
        )
        for row, cell in zip(placed, cells, strict=True)
    ]
    return areas, len(rows) - len(placed)


def _offers(home: tuple[float, float] | None, radius_km: float) -> tuple[NearbyItem, ...]:
    if home is None:
        return ()
    found = matches(home[0], home[1], radius_km, Filters(what=frozenset({"offer"})))
    now = now_in_uk().replace(microsecond=0)
    return tuple(build_item(match, now) for match in found[:OFFERS_LIMIT])


def person_map(worker: User, person_id: int) -> PersonMap:
    """The map's contents for one of the worker's people (one commit: the audit).

    Raises ``NotFound`` unless ``worker`` is assigned to the person, and
    ``Conflict`` (from the suggestions) when the person withdrew consent to
    being on the register.
    """
    if not is_assigned_worker(worker, person_id):
        raise NotFound(f"There is no person {person_id} that you look after.")
    suggestions = suggestions_for(worker, person_id, Options(), what="worker map")
    person = db.session.get(Person, person_id)
    config = settings()
    home = home_of(person)
    volunteers, unplaced = _volunteers(person_id, config.resolution)
    return PersonMap(
        person_id=person_id,
        first_name=person.first_name,
        home=home,
        walking_m=int(config.walking_m),
        suggestions=suggestions,
        offers=_offers(home, suggestions.radius_km),
        volunteers=tuple(volunteers),
        unplaced_volunteers=unplaced,
    )
