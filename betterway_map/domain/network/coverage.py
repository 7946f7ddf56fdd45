"""Coverage: the share of people at risk with a suitable group within a walk.

Who counts: people at risk (``people.at_risk``: isolated, or lonely often or
always) whose home location is known. A person is covered when at least one
suitable group meets within ``walking_m`` of their home (geodesic, measured
exactly as geopy does, found through ``reach.ReachIndex``). A group is
suitable for a person when

* it is active and meets in person (online groups have no place);
* its age range, when it has one, holds every age of the person's age band
  (a 65-74 person fits "60 and over" but not "70 and over"; a person with
  no age band fits only groups with no age range): we count a group only
  when we know the person is old enough for it;
* its audiences fit: none given or "everyone" fits all; "older_people" fits
  the bands from 65; "carers" and "parents" restrict no one, since the
  register does not record who cares for someone or has children and such
  groups seldom turn people away. A group fits when any audience fits.

Figures are given overall and by age band (every band of
``vocab.AGE_BANDS``, in order), and which of them are published is decided
by the one rule (``suppression.publish_shares``): a share is withheld
(share, numerator and denominator all ``None``) when its people, its
reached or its not reached are too few, and more bands are withheld when
needed so that the overall figures minus the shown bands give no small
number away (at-risk people with no age band are in the overall figures
only).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import h3
import numpy as np

from betterway_map.domain.network.defaults import H3_RESOLUTION, WALKING_DISTANCE_M
from betterway_map.domain.network.inputs import Area, GroupRecord, PersonRecord
from betterway_map.domain.network.isolation import at_risk as is_at_risk
from betterway_map.domain.network.reach import ReachIndex, check_point, check_settings
from betterway_map.domain.suppression import MIN_CELL_COUNT, check_min_count, publish_shares
from betterway_map.domain.vocab import AGE_BANDS, values

__all__ = [
    "Share",
    "Coverage",
    "OLDER_PEOPLE_MIN_AGE",
    "band_ages",
    "suitable",
    "at_risk_people",
    "covered_person_ids",
    "summarise",
    "coverage",
]

# The youngest age the "older_people" audience is meant for.
OLDER_PEOPLE_MIN_AGE = 65
# Audiences that do not restrict who may come (see the module docstring).
_OPEN_AUDIENCES = frozenset({"everyone", "carers", "parents"})


class Share(NamedTuple):
    """A share with its numerator and denominator, all ``None`` when suppressed."""

    share: float | None
    numerator: int | None
    denominator: int | None

    @property
    def suppressed(self) -> bool:
        return self.denominator is None


_HIDDEN = Share(None, None, None)


@dataclass(frozen=True)
class Coverage:
    """Coverage of at-risk people, overall and by age band."""

    overall: Share
    by_age_band: dict[str, Share]
    walking_m: float
    min_count: int


def band_ages(band: str) -> tuple[int, int | None]:
    """The youngest and oldest age of an age band (``None``: no upper limit).

    >>> band_ages("65-74"), band_ages("85+")
    ((65, 74), (85, None))
    >>> band_ages("old")
    Traceback (most recent call last):
    ...
    ValueError: unknown age band 'old'; the age bands are 18-24, 25-34, 35-49, 50-64, 65-74, 75-84, 85+
    """
    if band not in values(AGE_BANDS):
        raise ValueError(
            f"unknown age band {band!r}; the age bands are {', '.join(values(AGE_BANDS))}"
        )
    if band.endswith("+"):
        return int(band[:-1]), None
    low, high = band.split("-")
    return int(low), int(high)


def _age_fits(group: GroupRecord, band: str | None) -> bool:
    if group.age_min is None and group.age_max is None:
        return True
    if band is None:
        return False
    youngest, oldest = band_ages(band)
    if group.age_min is not None and youngest < group.age_min:
        return False
    return group.age_max is None or (oldest is not None and oldest <= group.age_max)


def _audience_fits(group: GroupRecord, band: str | None) -> bool:
    if not group.audiences or _OPEN_AUDIENCES.intersection(group.audiences):
        return True
    older = band is not None and band_ages(band)[0] >= OLDER_PEOPLE_MIN_AGE
    return older and "older_people" in group.audiences


def suitable(group: GroupRecord, band: str | None) -> bool:
    """Whether ``group`` suits an at-risk person of age band ``band``.

    >>> from .inputs import GroupRecord
    >>> lunch = GroupRecord(1, 1, "Lunch club", 1, 52.5, -1.5, "active",
    ...                     audiences=("older_people",), age_min=60)
    >>> suitable(lunch, "65-74"), suitable(lunch, "50-64"), suitable(lunch, None)
    (True, False, False)
    >>> online = GroupRecord(2, 1, "Phone chat", None, None, None, "active")
    >>> suitable(online, "65-74")
    False
    """
    if group.status != "active" or group.latitude is None or group.longitude is None:
        return False
    return _age_fits(group, band) and _audience_fits(group, band)


def at_risk_people(area: Area, assessments: Mapping[int, object]) -> list[PersonRecord]:
    """People at risk with a home location (a person with no assessment is not at risk)."""
    found = []
    for person in area.people:
        if person.latitude is None or person.longitude is None:
            continue
        assessment = assessments.get(person.id)
        if assessment is not None and is_at_risk(assessment):
            check_point(person.latitude, person.longitude, f"person {person.id}")
            found.append(person)
    return found


def covered_person_ids(
    area: Area,
    assessments: Mapping[int, object],
    walking_m: float = WALKING_DISTANCE_M,
    resolution: int = H3_RESOLUTION,
) -> frozenset[int]:
    """Ids of the at-risk people with a suitable group within ``walking_m`` of home.

    For the coverage figures, tests and benchmarks only: never shown. The
    answer does not depend on ``resolution`` (it only sets the index).
    """
    check_settings(resolution, walking_m)
    groups = [
        g
        for g in area.groups
        if g.status == "active" and g.latitude is not None and g.longitude is not None
    ]
    index = ReachIndex(
        ((g.id, g.latitude, g.longitude) for g in groups),
        resolution=resolution,
        walking_m=walking_m,
    )
    # The people of one cell and one age band share their candidate groups.
    batches: dict[tuple[str, str | None], list[PersonRecord]] = defaultdict(list)
    for person in at_risk_people(area, assessments):
        cell = h3.latlng_to_cell(person.latitude, person.longitude, resolution)
        batches[(cell, person.age_band)].append(person)
    allowed_by_band: dict[str | None, np.ndarray] = {}
    covered: set[int] = set()
    for (cell, band), batch in batches.items():
        if band not in allowed_by_band:
            allowed_by_band[band] = np.array([suitable(g, band) for g in groups], dtype=bool)
        reached = index.any_within(
            cell,
            [p.latitude for p in batch],
            [p.longitude for p in batch],
            allowed_by_band[band],
        )
        covered.update(p.id for p, yes in zip(batch, reached, strict=True) if yes)
    return frozenset(covered)


def _share(numerator: int, denominator: int) -> Share:
    return Share(numerator / denominator, numerator, denominator)


def summarise(
    people: list[PersonRecord],
    covered: frozenset[int] | set[int],
    walking_m: float = WALKING_DISTANCE_M,
    min_count: int = MIN_CELL_COUNT,
) -> Coverage:
    """Coverage figures from the at-risk ``people`` and the ids of those ``covered``.

    >>> from datetime import date
    >>> people = [PersonRecord(i, "P", "75-84", 52.5, -1.5, True) for i in range(1, 11)]
    >>> result = summarise(people, {1, 2, 3, 4, 5})
    >>> result.overall, result.by_age_band["75-84"].share, result.by_age_band["65-74"]
    (Share(share=0.5, numerator=5, denominator=10), 0.5, Share(share=None, numerator=None, denominator=None))

    Three of six reached tells about three people reached and three not:
    withheld.

    >>> summarise(people[:6], {1, 2, 3}).overall
    Share(share=None, numerator=None, denominator=None)
    """
    check_min_count(min_count)
    denominators = dict.fromkeys(values(AGE_BANDS), 0)
    numerators = dict.fromkeys(values(AGE_BANDS), 0)
    for person in people:
        if person.age_band is None:
            continue
        band_ages(person.age_band)  # names an unknown band
        denominators[person.age_band] += 1
        numerators[person.age_band] += person.id in covered
    total = len(people)
    reached = sum(p.id in covered for p in people)
    overall_shown, hidden = publish_shares(
        {band: (numerators[band], denominators[band]) for band in denominators},
        (reached, total),
        min_count,
    )
    overall = _share(reached, total) if overall_shown else _HIDDEN
    by_band = {
        band: _HIDDEN if band in hidden else _share(numerators[band], denominators[band])
        for band in denominators
    }
    return Coverage(overall, by_band, float(walking_m), min_count)


def coverage(
    area: Area,
    assessments: Mapping[int, object],
    walking_m: float = WALKING_DISTANCE_M,
    min_count: int = MIN_CELL_COUNT,
    resolution: int = H3_RESOLUTION,
) -> Coverage:
    """The share of at-risk people with a suitable active group within a walk.

    Examples
    --------
    >>> from datetime import date
    >>> from .isolation import PersonAssessment
    >>> people = [PersonRecord(i, "P", "75-84", 52.5, -1.5, True) for i in range(1, 6)]
    >>> near = GroupRecord(1, 1, "Walk", 1, 52.504, -1.5, "active")  # about 445 m
    >>> area = Area(date(2025, 6, 1), people=people, groups=[near])
    >>> alone = {i: PersonAssessment(i, {}, "isolated", [], (), None, None, None) for i in range(1, 6)}
    >>> coverage(area, alone).overall
    Share(share=1.0, numerator=5, denominator=5)
    >>> coverage(area, alone, walking_m=400).overall
    Share(share=0.0, numerator=0, denominator=5)
    """
    check_settings(resolution, walking_m)
    check_min_count(min_count)
    people = at_risk_people(area, assessments)
    covered = covered_person_ids(area, assessments, walking_m, resolution)
    return summarise(people, covered, walking_m, min_count)
