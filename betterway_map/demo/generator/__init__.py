"""A realistic fictional area for demonstrations: pure, seeded, no database.

``generate(seed, people, today)`` returns a ``DemoArea`` of plain records: the
town of Eastbrook (fictional, postcodes ZZ1–ZZ9) and the story it tells
(``town``: Brookfield Estate on its edge with nothing within a walk, St
Mark's well served, Old Eastbrook's organisations keeping to themselves),
its organisations, spaces, groups and partnerships, and its people with their consent, caseloads, ties,
volunteering, help offered and asked, groups attended and loneliness
measures, who is online (``generator.online``), and matching: volunteers'
offers, requests for support and matches with their histories
(``generator.matching``), and the relationships' rhythms, contacts, feedback
and loneliness before and after (``generator.measures``). The same seed and
size always give the same area; ``demo.load`` writes it to the database.

>>> from datetime import date
>>> area = generate(seed=1, people=60, today=date(2026, 3, 2))
>>> area.counts()["people"], area.town
(60, 'Eastbrook')
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from betterway_map.demo.generator.activity import make_attendances, make_listings, make_volunteers
from betterway_map.demo.generator.caseloads import assign_workers, make_consents, make_ties
from betterway_map.demo.generator.loneliness import make_measures
from betterway_map.demo.generator.matching import add_matching
from betterway_map.demo.generator.measures import add_measures
from betterway_map.demo.generator.online import add_online
from betterway_map.demo.generator.organisations import make_groups, make_organisations, make_spaces
from betterway_map.demo.generator.partnerships import make_partnerships
from betterway_map.demo.generator.people import make_people
from betterway_map.demo.generator.rows import DemoArea
from betterway_map.demo.generator.town import (
    ESTATE_SECTOR,
    TOWN,
    estate,
    estate_people_count,
    estate_postcode_count,
    make_accounts,
    make_estate_postcodes,
    make_postcodes,
    neighbourhoods,
)
from betterway_map.demo.generator.volunteering import add_volunteering_roles, role_count
from betterway_map.domain.clock import today_in_uk

__all__ = ["generate", "sizes", "DemoArea", "MIN_PEOPLE", "MAX_PEOPLE", "STEPS"]

MIN_PEOPLE = 50
MAX_PEOPLE = 200_000
STEPS = (
    "area",
    "organisations",
    "people",
    "caseloads",
    "activity",
    "measures",
    "online",
    "matching",
    "relationships",
    "volunteering",
)


def sizes(people: int) -> dict[str, int]:
    """How many of each thing an area of ``people`` registered people has.

    For the default 3000: about 40 organisations, 200 spaces, 300 groups
    people go to, and a few volunteering roles (groups too, run for volunteers).

    >>> sizes(3000)
    {'postcodes': 600, 'organisations': 40, 'spaces': 200, 'groups': 300, 'extra_workers': 5, 'volunteering_roles': 5}
    """
    return {
        "postcodes": min(max(people // 5, 150), 20_000),
        "organisations": max(8, round(people / 75)),
        "spaces": max(8, round(people / 15)),
        "groups": max(12, round(people / 10)),
        "extra_workers": min(max(people // 600, 3), 20),
        "volunteering_roles": role_count(people),
    }


def generate(
    seed: int = 42,
    people: int = 3000,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoArea:
    """Make the fictional area.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the same seed gives the same area.
    people : int
        Number of people on the register, ``MIN_PEOPLE`` to ``MAX_PEOPLE``.
    today : date, optional
        The day all dates are relative to (default: today).
    progress : callable, optional
        Called with the name of each of ``STEPS`` once it is done.
    """
    if not isinstance(people, int) or not MIN_PEOPLE <= people <= MAX_PEOPLE:
        raise ValueError(f"people must be from {MIN_PEOPLE} to {MAX_PEOPLE}, not {people!r}.")
    today = today or today_in_uk()
    done = progress or (lambda step: None)
    rng = random.Random(seed)
    size = sizes(people)

    areas = neighbourhoods()
    area = DemoArea(town=TOWN, seed=seed, today=today, neighbourhoods=areas)
    on_estate = estate_postcode_count(size["postcodes"])
    area.postcodes = make_postcodes(rng, areas, size["postcodes"] - on_estate)
    estate_postcodes = make_estate_postcodes(rng, on_estate)
    area.postcodes += estate_postcodes
    area.accounts = make_accounts(rng, size["extra_workers"])
    # The town's postcodes, for spaces and the town's people; the estate's
    # are its residents' alone (nothing meets there).
    postcodes_by_outcode: dict[str, list] = {}
    for postcode in area.postcodes:
        if postcode.sector != ESTATE_SECTOR:
            postcodes_by_outcode.setdefault(postcode.outcode, []).append(postcode)
    done("area")

    area.organisations = make_organisations(rng, areas, size["organisations"])
    area.spaces = make_spaces(rng, area.organisations, areas, postcodes_by_outcode, size["spaces"])
    area.groups = make_groups(rng, area.organisations, area.spaces, areas, size["groups"], today)
    area.partnerships = make_partnerships(rng, area.organisations, area.spaces, area.groups, today)
    done("organisations")

    residents = estate_people_count(people)
    area.people = make_people(rng, areas, postcodes_by_outcode, people - residents, today)
    place = estate()
    for person in make_people(rng, [place], {place.outcode: estate_postcodes}, residents, today):
        person.outcode = ESTATE_SECTOR  # nothing is local to them
        area.people.append(person)
    resident = 0  # the demo resident's own profile, matching their account's name
    first, last = area.account("resident").display_name.split(" ", 1)
    area.people[resident].account = "resident"
    area.people[resident].first_name, area.people[resident].last_name = first, last
    area.people[resident].age_band, area.people[resident].general_health = "65-74", "good"
    area.people[resident].travel_km = 3.0
    area.people[resident].interests = ["social", "music", "gardening", "walking"]
    done("people")

    workers = [a.key for a in area.accounts if a.role == "worker"]
    area.assignments = assign_workers(rng, area.people, workers, today)
    assigned = {a.person for a in area.assignments}
    recorders = {a.person: a.worker for a in area.assignments}
    recorders[resident] = "resident"
    demo_caseload = [a.person for a in area.assignments if a.worker == "worker"]
    area.ties, isolated = make_ties(
        rng, area.people, recorders, assigned, today, force_isolated=set(demo_caseload[:2])
    )
    done("caseloads")

    area.volunteers = make_volunteers(rng, area.people, workers, today, include=(resident,))
    area.listings = make_listings(
        rng, area.people, area.volunteers, isolated, assigned, force_offer=(resident,)
    )
    cluster = frozenset(
        i for i, group in enumerate(area.groups) if area.organisations[group.organisation].apart
    )
    area.attendances = make_attendances(
        rng, area.people, area.groups, isolated, recorders, today, (resident,), cluster
    )
    done("activity")

    area.measures = make_measures(
        rng,
        area.people,
        isolated,
        assigned,
        recorders,
        today,
        include=(resident, *demo_caseload[:2]),
    )
    measured = {m.person for m in area.measures}
    matching = {item.person for item in area.listings if item.direction == "request"}
    area.consents = make_consents(rng, area.people, measured, matching)
    done("measures")

    # Its own stream: who of the people who registered themselves is online
    # (an account of their own, that nobody can sign in to).
    add_online(random.Random(f"{seed}:online"), area)
    done("online")

    # A random stream of its own, so that adding matching changed nothing above.
    add_matching(random.Random(f"{seed}:matching"), area)
    done("matching")

    # Its own stream too: relationships' rhythms, contacts and feedback, and
    # loneliness before and after they began.
    add_measures(random.Random(f"{seed}:measures"), area)
    done("relationships")

    # Its own stream, last: groups run for volunteers (the volunteering
    # standard's roles), after every other group, which they leave as it was.
    add_volunteering_roles(random.Random(f"{seed}:volunteering"), area, size["volunteering_roles"])
    done("volunteering")
    return area
