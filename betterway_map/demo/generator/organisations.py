"""Demo organisations, the spaces they run, their groups and partnerships.

Part of the demo's story (``town``): organisations and spaces gather where
there is most ``provision`` (St Mark's); the village organisations of
``town.CLUSTER`` (``catalogue.CLUSTER_ORGANISATIONS``, marked ``apart``)
meet only in their own spaces and no one else's group meets there; and
every name says only what is true of its record (a day, a time of day, a
neighbourhood, a building).
"""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta

from betterway_map.demo.generator.catalogue import (
    ACTIVITIES,
    CLUSTER_ORGANISATIONS,
    GROUP_EXTRAS,
    ORGANISATION_BLURBS,
    ORGANISATION_NAMES,
    ROOMS,
    SAINTS,
    SECTOR_SHARES,
    SPACE_NAMES,
    Activity,
)
from betterway_map.demo.generator.names import STREET_NAMES
from betterway_map.demo.generator.rows import Group, Neighbourhood, Organisation, Postcode, Space
from betterway_map.demo.generator.town import CLUSTER, TOWN, landline, street_address

__all__ = ["make_organisations", "make_spaces", "make_groups", "cluster_size", "part_of_day"]

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Groups mostly meet on weekdays; weekends are for worship, families and evenings out.
_DAY_WEIGHTS = (1.0, 1.2, 1.2, 1.2, 1.0, 0.4, 0.3)
# The demo org admin's organisations: these sectors, each with spaces and groups.
_ADMINISTERED = ("voluntary", "faith", "voluntary")


def _unique(name: str, taken: set[str], suffixes) -> str:
    """``name``, or with the first of ``suffixes`` (each true of the record)
    that makes it new, or numbered; the answer is added to ``taken``.

    >>> taken = {"Lunch Club", "Lunch Club (morning)"}
    >>> _unique("Lunch Club", taken, ["morning", "Tuesday"]), _unique("Lunch Club", taken, [])
    ('Lunch Club (Tuesday)', 'Lunch Club 2')
    """
    for suffix in ("", *suffixes):
        if suffix and suffix in name:  # "Tuesday Lunch Club (Tuesday)" says nothing new
            continue
        candidate = f"{name} ({suffix})" if suffix else name
        if candidate not in taken:
            break
    else:
        number = 2
        while f"{name} {number}" in taken:
            number += 1
        candidate = f"{name} {number}"
    taken.add(candidate)
    return candidate


def _apportion(count: int, shares: dict[str, float]) -> list[str]:
    """``count`` sectors in the given shares, by largest remainder (at least one of each
    administered sector, so the demo org admin's organisations exist at any size)."""
    exact = {key: count * share for key, share in shares.items()}
    numbers = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: exact[k] - numbers[k], reverse=True):
        if sum(numbers.values()) >= count:
            break
        numbers[key] += 1
    for sector in dict.fromkeys(_ADMINISTERED):
        while numbers[sector] < _ADMINISTERED.count(sector):
            numbers[sector] += 1
            numbers[max(numbers, key=numbers.get)] -= 1
    return [key for key, number in numbers.items() for _ in range(number)]


def _slug(name: str) -> str:
    """A web-address form of a name, cut at a word boundary.

    >>> _slug("Eastbrook Older People's Forum")
    'eastbrook-older-people-s-forum'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug if len(slug) <= 40 else slug[:41].rsplit("-", 1)[0]


def cluster_size(count: int) -> int:
    """How many of ``count`` organisations are the cluster that keeps apart.

    >>> cluster_size(8), cluster_size(40)
    (3, 4)
    """
    return len(CLUSTER_ORGANISATIONS) if count >= 20 else 3


def _based(rng: random.Random, areas: list[Neighbourhood]) -> Neighbourhood:
    """Where an organisation or a space is: most often where most goes on."""
    return rng.choices(areas, weights=[area.provision for area in areas])[0]


def make_organisations(
    rng: random.Random, areas: list[Neighbourhood], count: int
) -> list[Organisation]:
    """``count`` organisations; the first three are run by the demo org admin,
    the last few are the cluster (``cluster_size``)."""
    apart = cluster_size(count)
    sectors = _apportion(count - apart, SECTOR_SHARES)
    for sector in _ADMINISTERED:
        sectors.remove(sector)
    rng.shuffle(sectors)
    sectors = list(_ADMINISTERED) + sectors
    village = next(area for area in areas if area.outcode == CLUSTER)
    # Only the cluster is based in (and named for) the village.
    towns = [area for area in areas if area.outcode != CLUSTER]
    taken = {pattern.format(area=village.name) for _, pattern in CLUSTER_ORGANISATIONS[:apart]}
    organisations = []
    for index, sector in enumerate(sectors):
        for _ in range(12):  # look for a name not yet used before numbering one
            area = _based(rng, towns)
            name = rng.choice(ORGANISATION_NAMES[sector]).format(
                area=area.name, town=TOWN, saint=rng.choice(SAINTS), street=rng.choice(STREET_NAMES)
            )
            if name not in taken:
                break
        name = _unique(name, taken, [])
        admin = "org_admin" if index < len(_ADMINISTERED) else None
        organisations.append(_organisation(rng, name, sector, area, admin))
    for sector, pattern in CLUSTER_ORGANISATIONS[:apart]:
        name = pattern.format(area=village.name)
        organisations.append(_organisation(rng, name, sector, village, None, apart=True))
    return organisations


def _organisation(rng, name, sector, area, admin, apart=False) -> Organisation:
    slug = _slug(name)
    description = ORGANISATION_BLURBS[sector].format(
        area=area.name, town=TOWN, year=rng.randint(1952, 2021)
    )
    has_site = sector != "informal" or rng.random() < 0.2
    return Organisation(
        name=name,
        sector=sector,
        description=description + " (Fictional demo data.)",
        # 9xxxxxx and 99xxxxxx are beyond every number yet issued, so never real.
        charity_number=f"9{rng.randint(0, 999999):06d}"
        if sector in ("voluntary", "faith") and rng.random() < 0.7
        else None,
        company_number=f"99{rng.randint(0, 999999):06d}"
        if sector in ("business", "voluntary") and rng.random() < 0.4
        else None,
        website=f"https://{slug}.example" if has_site else None,
        contact_email=f"hello@{slug}.example",
        contact_phone=landline(rng) if rng.random() < 0.8 else None,
        admin=admin,
        outcode=area.outcode,
        apart=apart,
    )


# The cluster's village organisations have a hall or two and run a few
# groups each, not a town's worth.
_VILLAGE = 0.3
_SPACE_WEIGHTS = {"voluntary": 1.2, "faith": 1.5, "public": 2.5, "health": 0.6, "business": 0.8}


def make_spaces(
    rng: random.Random,
    organisations: list[Organisation],
    areas: list[Neighbourhood],
    postcodes_by_outcode: dict[str, list[Postcode]],
    count: int,
) -> list[Space]:
    """``count`` spaces: every organisation but informal groups runs at least one."""
    owners = [i for i, org in enumerate(organisations) if org.sector != "informal"]
    chosen = owners[:count] + rng.choices(
        owners,
        weights=[
            _SPACE_WEIGHTS[organisations[i].sector] * (_VILLAGE if organisations[i].apart else 1)
            for i in owners
        ],
        k=max(0, count - len(owners)),
    )
    if len(chosen) < count:  # only informal groups: give them allotment huts
        chosen += [rng.randrange(len(organisations)) for _ in range(count - len(chosen))]
    by_outcode = {area.outcode: area for area in areas}
    buildings: dict[str, tuple[str, Postcode]] = {}
    taken: set[str] = set()
    spaces = []
    housed: set[int] = set()
    for owner in sorted(chosen):
        org = organisations[owner]
        # An organisation's first space is where it is based (its name may
        # say so), and the cluster's are all in its village.
        home = owner not in housed or org.apart
        area = by_outcode[org.outcode] if home or rng.random() < 0.6 else _based(rng, areas)
        housed.add(owner)
        short = re.sub(r",.*", "", org.name)
        chance = area
        for _ in range(6):  # prefer a new building; else another room in one of theirs
            pattern = rng.choice(SPACE_NAMES[org.sector])
            # A building named for its organisation is where the organisation is.
            area = by_outcode[org.outcode] if "{org}" in pattern else chance
            base = pattern.format(area=area.name, org=short, street=rng.choice(STREET_NAMES))
            if base not in buildings:
                break
        if base in buildings:  # another room in the same building
            address, postcode = buildings[base]
            rooms = [f"{base}: {room}" for room in rng.sample(ROOMS, len(ROOMS))]
            name = _unique(next((r for r in rooms if r not in taken), rooms[0]), taken, [])
        else:
            postcode = rng.choice(postcodes_by_outcode[area.outcode])
            address = street_address(rng, area).split(", ", 1)[1]
            address = f"{rng.randint(1, 90)} {address}"
            buildings[base] = (address, postcode)
            name = _unique(base, taken, ROOMS)
        small = ":" in name or "Room" in name
        spaces.append(
            Space(
                organisation=owner,
                name=name,
                description=f"A {'small room' if small else 'building'} run by {org.name}.",
                address=address,
                postcode=postcode.postcode,
                lat=postcode.lat,
                lon=postcode.lon,
                capacity=rng.randint(8, 30) if small else rng.choice((None, rng.randint(30, 180))),
                opening_times=_opening_times(rng, org.sector),
                step_free=rng.random() < 0.82,
                hearing_loop=rng.random() < 0.45,
                accessible_toilet=rng.random() < 0.7,
                parking=rng.random() < 0.55,
                hire_cost_pence=_hire_cost(rng, org.sector),
                hire_cost_note="Reduced rate for community groups" if rng.random() < 0.3 else None,
            )
        )
    return spaces


def _opening_times(rng: random.Random, sector: str) -> list[dict]:
    opens, closes = rng.choice((("09:00", "17:00"), ("08:30", "21:30"), ("10:00", "16:00")))
    days = list(_WEEKDAYS[:5]) + (["sat"] if rng.random() < 0.5 else [])
    if sector == "faith":
        days.append("sun")
    if rng.random() < 0.25:
        days.remove(rng.choice(days[:5]))
    return [{"day": day, "opens": opens, "closes": closes} for day in days]


def _hire_cost(rng: random.Random, sector: str) -> int | None:
    roll = rng.random()
    if roll < 0.3 or (sector == "business" and roll < 0.6):
        return None  # not for hire
    if roll < 0.4:
        return 0
    return rng.randrange(1000, 4000, 250)


_GROUP_WEIGHTS = {
    "voluntary": 1.5,
    "faith": 1.2,
    "public": 1.5,
    "health": 1.0,
    "business": 0.6,
    "informal": 0.8,
}


def make_groups(
    rng: random.Random,
    organisations: list[Organisation],
    spaces: list[Space],
    areas: list[Neighbourhood],
    count: int,
    today: date,
) -> list[Group]:
    """``count`` groups, each meeting at a space (its own, or a partner's) or,
    for activities that are held online, online. The cluster's groups meet
    in the cluster's spaces only, and no one else's group meets there."""
    area_names = {area.outcode: area.name for area in areas}
    spaces_of: dict[int, list[int]] = {}
    for index, space in enumerate(spaces):
        spaces_of.setdefault(space.organisation, []).append(index)
    apart = [i for i, space in enumerate(spaces) if organisations[space.organisation].apart]
    shared = [i for i, space in enumerate(spaces) if not organisations[space.organisation].apart]
    # The demo org admin's organisations run two groups each, and each of
    # the cluster's at least one (so it has a place in the village).
    runners = [i for i in range(len(organisations)) for _ in range(2) if i < len(_ADMINISTERED)]
    runners += [i for i, org in enumerate(organisations) if org.apart]
    runners = runners[:count] + rng.choices(
        range(len(organisations)),
        weights=[
            _GROUP_WEIGHTS[org.sector] * (_VILLAGE if org.apart else 1) for org in organisations
        ],
        k=max(0, count - len(runners)),
    )
    taken: set[str] = set()
    groups = []
    for owner in sorted(runners):
        org = organisations[owner]
        activity = rng.choice([a for a in ACTIVITIES if org.sector in a.sectors])
        own = spaces_of.get(owner, [])
        elsewhere = apart if org.apart else shared
        if activity.online:
            space = None
        elif own and (rng.random() < 0.8 or owner < len(_ADMINISTERED)):
            space = rng.choice(own)
        else:  # a partner's space: in its own neighbourhood when there is one
            near = [i for i in elsewhere if spaces[i].postcode.startswith(f"{org.outcode} ")]
            space = rng.choice(near or elsewhere)
        outcode = spaces[space].postcode.split(" ")[0] if space is not None else org.outcode
        place = TOWN if rng.random() < 0.2 else area_names[outcode]
        groups.append(_group(rng, org, owner, activity, space, spaces, place, taken, today))
    return groups


def part_of_day(start) -> str:
    """ "morning", "afternoon" or "evening" for a start time.

    >>> from datetime import time
    >>> part_of_day(time(10, 30)), part_of_day(time(14)), part_of_day(time(19))
    ('morning', 'afternoon', 'evening')
    """
    if start.hour < 12:
        return "morning"
    return "afternoon" if start.hour < 17 else "evening"


def _group(rng, org, owner, activity: Activity, space, spaces, place, taken, today) -> Group:
    frequency = rng.choices(("weekly", "fortnightly", "monthly"), weights=activity.frequencies)[0]
    day = rng.choices(range(7), weights=_DAY_WEIGHTS)[0]
    if "faith" in activity.interests and rng.random() < 0.5:
        day = 6
    start = rng.choice(activity.starts)
    end = (datetime.combine(today, start) + timedelta(minutes=activity.duration_min)).time()
    where = spaces[space] if space is not None else None
    where_name = where.name.split(":")[0] if where else "online"
    # Every form, and every way of telling two apart, is true of this group:
    # its day, where it meets, the part of the day it starts in.
    forms = (f"{place} {activity.name}", f"{_DAY_NAMES[day]} {activity.name}")
    if where:
        forms += (
            f"{activity.name} at {where_name}",
            f"{_DAY_NAMES[day]} {activity.name} at {where_name}",
        )
    name = _unique(rng.choice(forms), taken, (_DAY_NAMES[day], part_of_day(start)))
    status = rng.choices(("active", "paused", "ended"), weights=(0.85, 0.08, 0.07))[0]
    starts_on = today - timedelta(days=rng.randint(60, 3650))
    ends_on = None
    if status == "ended":
        ends_on = today - timedelta(days=rng.randint(14, 400))
        starts_on = min(starts_on, ends_on - timedelta(days=rng.randint(56, 900)))
    elif rng.random() < 0.04:  # a course with a set number of weeks
        starts_on = today - timedelta(days=rng.randint(7, 50))
        ends_on = starts_on + timedelta(weeks=rng.choice((8, 10, 12)))
    free = activity.cost_pence == (0, 0) or rng.random() < activity.free
    cost = 0 if free else rng.randrange(activity.cost_pence[0], activity.cost_pence[1] + 1, 50)
    older = "older_people" in activity.audiences
    age_min = rng.choice((50, 55, 60, 65)) if older and rng.random() < 0.5 else None
    cost_text = "Free." if cost == 0 else f"£{cost / 100:.2f} a session."
    description = f"{activity.blurb}. {cost_text} {rng.choice(GROUP_EXTRAS)}"
    return Group(
        organisation=owner,
        space=space,
        name=name,
        description=description,
        interests=list(activity.interests),
        tags=list(activity.tags),
        audiences=list(activity.audiences),
        age_min=age_min,
        age_max=None,
        online=where is None,
        online_url=f"https://meet.{_slug(org.name)}.example/{_slug(name)}"
        if where is None
        else None,
        frequency=frequency,
        weekday=_WEEKDAYS[day],
        nth=rng.choice((1, 2, 3, 4, -1)) if frequency == "monthly" else None,
        start_time=start,
        end_time=end,
        starts_on=starts_on,
        ends_on=ends_on,
        cost_pence=cost,
        cost_note="Includes tea and biscuits" if cost and rng.random() < 0.4 else None,
        capacity=rng.choice((None, None, rng.randint(10, 60))),
        contact_email=org.contact_email,
        contact_phone=org.contact_phone or landline(rng),
        status=status,
        details_checked_on=today - timedelta(days=rng.randint(0, 540))
        if rng.random() < 0.85
        else None,
        outcode=where.postcode.split(" ")[0] if where else None,
    )
