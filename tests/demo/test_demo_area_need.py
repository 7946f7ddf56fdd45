"""The demo's area indicator and volunteering roles, as generated (no database).

The modelled loneliness index by postcode sector (``generator.need``) is
read back by the same code ``flask areas import`` uses (``match_files``):
Brookfield Estate's sector is in the most in-need decile, every sector the
offline map outlines has a boundary, and a sector too small for its shares
to be published has no value. The volunteering roles
(``generator.volunteering``) are active groups with the "volunteering"
interest, run by town organisations, meeting in the town.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest

from betterway_map.demo.generator import generate, sizes
from betterway_map.demo.generator.need import (
    INDICATOR_LICENCE,
    INDICATOR_NAME,
    INDICATOR_SOURCE,
    loneliness_index,
    need_files,
)
from betterway_map.demo.generator.town import CLUSTER, ESTATE_SECTOR
from betterway_map.domain.geo.area_files import match_files
from betterway_map.domain.geo.outlines import postcode_sector
from betterway_map.domain.suppression import share_shown
from betterway_map.interop.volunteering.mapping import VOLUNTEERING_INTEREST

TODAY = date(2026, 3, 2)


@pytest.fixture(scope="module", params=[(42, 3000), (11, 8000)], ids=str)
def area(request):
    seed, people = request.param
    return generate(seed=seed, people=people, today=TODAY)


def test_the_estate_sector_is_in_the_most_in_need_decile(area):
    values, boundaries = need_files(area)
    found = match_files(values, boundaries, True)
    decile = {row.code: row.decile for row in found.rows}
    assert decile[ESTATE_SECTOR] == 1
    index = loneliness_index(area.people)
    assert index[ESTATE_SECTOR] == max(index.values())
    assert len(found.rows) >= 10  # a decile of ten or more sectors means something


def test_every_sector_outlined_has_a_boundary_and_values_match_boundaries(area):
    values, boundaries = need_files(area)
    features = json.loads(boundaries)["features"]
    codes = {feature["properties"]["code"] for feature in features}
    assert codes == {postcode.sector for postcode in area.postcodes}
    for feature in features:
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    found = match_files(values, boundaries, True)
    assert not found.codes_without_boundary


def test_a_sector_whose_shares_are_too_small_gets_no_value():
    small = generate(seed=7, people=200, today=TODAY)
    people = Counter(postcode_sector(person.postcode) for person in small.people)
    alone = Counter(postcode_sector(p.postcode) for p in small.people if p.lives_alone)
    index = loneliness_index(small.people, 5)
    for sector, count in people.items():
        if not share_shown(alone[sector], count, 5):
            assert sector not in index, sector
    assert set(index) < set(people)  # some withheld at this size
    assert all(0 <= value <= 100 for value in index.values())


def test_the_indicator_says_it_is_fictional():
    for text in (INDICATOR_NAME, INDICATOR_SOURCE, INDICATOR_LICENCE):
        assert "fictional" in text.lower()


def test_the_same_seed_gives_the_same_files():
    one = need_files(generate(seed=5, people=400, today=TODAY))
    two = need_files(generate(seed=5, people=400, today=TODAY))
    assert one == two


def test_a_few_active_volunteering_roles_run_in_the_town(area):
    roles = [g for g in area.groups if VOLUNTEERING_INTEREST in g.interests]
    assert len(roles) == sizes(len(area.people))["volunteering_roles"] >= 3
    assert len({role.name for role in roles}) == len(roles)
    for role in roles:
        organisation = area.organisations[role.organisation]
        space = area.spaces[role.space]
        assert role.status == "active" and role.ends_on is None, role.name
        assert role.cost_pence == 0 and "Free" in role.description, role.name
        assert not organisation.apart, role.name
        assert not space.postcode.startswith(f"{CLUSTER} "), role.name
        assert not space.postcode.startswith(f"{ESTATE_SECTOR}"), role.name
    # Added last: every other group is as it was before roles existed.
    assert all(VOLUNTEERING_INTEREST not in g.interests for g in area.groups[: -len(roles)])
