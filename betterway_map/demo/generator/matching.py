"""Demo matching: volunteers' offers, requests for support, and matches with histories.

``add_matching(rng, area)`` runs last, once people, caseloads, volunteers and
consent exist. It is pure and seeded like the rest of the generator, and
keeps the matcher's rules: every active, agreed or proposed match passes
``domain.matching.constraints.failures`` on ``area.today`` and no volunteer
has more of them than their capacity. Matches join only people on workers'
caseloads: a volunteer in a match is put on the caseload of the person's
worker, so that worker sees both sides.

What it makes, in believable proportions:

- an offer from every active volunteer (more recruited where too few speak
  Polish or Gujarati): some phone only, some visits, capacities 1 to 3,
  2 to 8 km of travel, their own free times; DBS expiry dates for most
  checks, a few expiring within the 60 days the worker is warned of, and
  one or two safeguarding restrictions with a worker's note;
- requests for support from people on workers' caseloads, likelier for the
  isolated, very old, unwell and those living alone (phone befriending for
  most over-75s living alone); more requests for visits than volunteers who
  visit; some waiting for months; some no one can meet (visits in Gujarati:
  no Gujarati speaker here has the check visits need), so that unmatched
  reasons show;
- active matches (with their reviews done or due), ended ones (planned or
  not, well or not, with reasons; one person's former volunteer ended well
  and their request is open again), two agreed and waiting for a worker, a
  few proposed, and one declined;
- people who are online (``generator.online``) ask for themselves now and
  then, a worker taking the request on; they answer their proposals
  themselves, more of their requests are matched and they wait less for it
  (``ONLINE_WAIT``), while people who are not online wait longer
  (``OFFLINE_WAIT``), so that the equity figures show the gap;
- a second resident login, ``requester``, who asked for a visiting befriender
  herself and has been proposed the demo resident (a volunteer), so that both
  sides of a proposal can be tried.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from betterway_map.demo.generator.rows import (
    Account,
    Assignment,
    Consent,
    DemoArea,
    Match,
    MatchEvent,
    Person,
    SupportRequest,
    Volunteer,
    VolunteerOffer,
)
from betterway_map.demo.generator.town import DEMO_EMAIL_DOMAIN, KM_PER_DEGREE_LAT, TOWN_CENTRE
from betterway_map.domain import vocab
from betterway_map.domain.matching.constraints import failures, pair_distance_km, travel_limit_km
from betterway_map.domain.matching.model import (
    FIRST_REVIEW_DAYS,
    NO_TRAVEL_KINDS,
    REGULAR_FREQUENCIES,
    REQUIRED_DBS,
    REVIEW_EVERY_DAYS,
    Need,
    Offer,
)

__all__ = [
    "add_matching",
    "dbs_expiry",
    "DEMO_WORKER",
    "REQUESTER",
    "REQUESTER_NAME",
    "DBS_VALID_YEARS",
    "DBS_WARNING_DAYS",
]

DEMO_WORKER = "worker"
REQUESTER = "requester"
REQUESTER_NAME = ("Halina", "Nowak")
# As people.schemas.records.DBS_VALID_YEARS (the generator imports only the core).
DBS_VALID_YEARS = 3
# A worker is warned of DBS checks expiring within this many days.
DBS_WARNING_DAYS = 60
# Days from a request to its match (at most; as long as the request could
# have been open): people who are not online wait longer.
ONLINE_WAIT = (7, 50)
OFFLINE_WAIT = (28, 300)
# People who are online come this much sooner in the order requests are taken.
ONLINE_HEAD_START = 0.6
# Each story picks its volunteer from the nearest few who fit.
NEAREST = 5
# ... out of at most this many volunteers offering the kind asked for.
POOL = 200

_KINDS = vocab.values(vocab.HELP_KINDS)
_SLOTS = vocab.values(vocab.AVAILABILITY)
_OLDEST = ("75-84", "85+")
_POOR_HEALTH = ("bad", "very_bad")

# Women's and men's first names of names.HERITAGES (for a stated preference
# only); names used for both are left unsaid.
_WOMEN = frozenset(
    "Agnieszka Alina Amina Amy Ana Andreea Anjali Ann Aoife Audrey Ayesha Barbara Beatriz "
    "Betty Brenda Bridget Cerys Chloe Christine Claire Dilys Doreen Eileen Eirlys Elena Emma "
    "Faadumo Farhana Fernanda Ffion Gemma Gladys Gwen Halina Hannah Hansa Hibo Hodan Hyacinth "
    "Idil Ioana Irene Jahanara Jean Jessica Joan June Kasia Kathleen Keisha Kelly Khadra "
    "Kokila Krystyna Lauren Lucy Magda Margaret Maria Marjorie Mary Maureen Megan Mei Myrtle "
    "Nadia Nasreen Niamh Nora Olivia Patricia Pauline Pooja Priya Rahima Rebecca Rokeya "
    "Rumana Sagal Sana Sarah Savita Seren Shabana Shanice Sheila Siobhan Sophie Sylvia "
    "Valerie Zainab Zofia Zubaida Pat".split()
)
_EITHER = frozenset(
    "Amrit Balbir Gurmit Gurpreet Harjinder Harpreet Jaspreet Jaswant Kulwant Manjit Manpreet "
    "Simran Kiran Jamie Jordan Lee Kam Kwok Jun Xin Hao Wei Ayaan".split()
) | {"Siu Ming", "Wai Ling", "Yuk Lan"}

# What volunteers offer besides phone befriending, and what people ask for.
_OFFER_WEIGHTS = {"befriending_phone": 0.3, "befriending_visit": 0.2, "shopping": 0.1, "lifts": 0.08, "digital": 0.08, "go_along": 0.1, "gardening": 0.04, "other": 0.03}  # fmt: skip
_REQUEST_WEIGHTS = {"befriending_phone": 0.17, "befriending_visit": 0.33, "shopping": 0.12, "lifts": 0.1, "digital": 0.1, "go_along": 0.1, "gardening": 0.05, "other": 0.03}  # fmt: skip
_OLD_ALONE_WEIGHTS = {"befriending_phone": 0.5, "befriending_visit": 0.3, "shopping": 0.08, "lifts": 0.05, "go_along": 0.04, "digital": 0.03}  # fmt: skip
_FREQUENCIES = {
    "befriending_phone": (("weekly", 0.8), ("fortnightly", 0.2)),
    "befriending_visit": (("weekly", 0.6), ("fortnightly", 0.4)),
    "shopping": (("weekly", 0.9), ("fortnightly", 0.1)),
    "lifts": (("weekly", 0.5), ("fortnightly", 0.3), ("monthly", 0.2)),
    "digital": (("weekly", 0.4), ("once", 0.6)),
    "go_along": (("weekly", 0.7), ("fortnightly", 0.3)),
    "gardening": (("fortnightly", 0.5), ("monthly", 0.5)),
    "other": (("once", 0.7), ("monthly", 0.3)),
}
_DURATIONS = {"befriending_phone": (30, 30, 45, 60), "befriending_visit": (60, 60, 90), "shopping": (60, 90), "lifts": (60, 120), "digital": (60, 90), "go_along": (120, 150), "gardening": (90, 120), "other": (60,)}  # fmt: skip
_NOTES = {
    "befriending_phone": "Would like a regular call; mornings are best, the days are long.",
    "befriending_visit": "Would love someone to visit for a chat and a cup of tea.",
    "shopping": "Cannot carry heavy shopping home since the operation.",
    "lifts": "Needs a lift to the lunch club and to the surgery.",
    "digital": "Wants to learn to video call family abroad.",
    "go_along": "Nervous about going to a group alone the first time.",
    "gardening": "The garden has got on top of them; cannot kneel any more.",
    "other": "Help reading and replying to letters.",
}
_WAITS = (((3, 30), 0.35), ((30, 120), 0.4), ((120, 330), 0.25))

_ENDINGS = {
    # (kind, ended well, asked by, reason), by what happens to the request next.
    "closed": (
        ("planned", True, "person", "Moved to live near their daughter in Leicester."),
        (
            "unplanned",
            True,
            None,
            "Went into a care home after a fall; the volunteer visited to say goodbye.",
        ),  # fmt: skip
        ("planned", True, "person", "Feels confident going to the lunch club alone now."),
    ),
    "continuity": (
        (
            "planned",
            True,
            "person",
            "A planned break: stayed with family for the winter. Both hope to carry on when "
            "they are back.",
        ),
    ),
    "excluded": (
        (
            "unplanned",
            False,
            "person",
            "They did not get on; asked for a different volunteer and not to be matched with "
            "this one again.",
        ),
    ),
    "rematched": (
        (
            "unplanned",
            True,
            "volunteer",
            "The volunteer began caring for their own mother and had to stop for a while.",
        ),
        ("unplanned", False, "person", "The volunteer stopped calling without saying why."),
    ),
}
# Interests as they read in "both enjoy ...".
_ENJOY = {"arts_crafts": "arts and crafts", "books": "reading", "cooking": "cooking", "dance": "dancing", "digital": "computers and phones", "exercise": "keeping fit", "faith": "their faith", "gardening": "gardening", "games": "games and quizzes", "history": "local history", "language": "languages", "music": "music", "outings": "trips out", "social": "a coffee and a chat", "support": "wellbeing groups", "walking": "walking", "volunteering": "volunteering"}  # fmt: skip
_REVIEW_NOTES = (
    "Both happy; they have settled into a routine.",
    "Going well. Talked about joining the lunch club together.",
    "Going well; the volunteer asked for a session on keeping safe on home visits.",
    "Fine, though calls have been shorter lately. Will check in again.",
)
_APPROVAL_NOTES = (
    "Introduced at a first meeting with the worker.",
    "Approved after a three-way phone call.",
)


def add_matching(rng: random.Random, area: DemoArea) -> None:
    """Add offers, requests, matches and their histories to ``area`` (in place)."""
    workers = [a.key for a in area.accounts if a.role == "worker"]
    resident = next(i for i, p in enumerate(area.people) if p.account == "resident")
    requester = _add_requester(area, resident)
    _recruit(rng, area, workers, exclude={resident, requester})
    area.volunteers = _dbs_dates(rng, area, resident)
    area.offers = _make_offers(rng, area, resident)
    _restrict(rng, area, resident)
    _assign_volunteers(rng, area, workers, resident)
    area.support_requests, could_open = _make_requests(rng, area, requester)
    _Matcher(rng, area, resident, requester, could_open).run()
    _consent_to_matching(area)


# --- people, volunteers and offers -------------------------------------------


def _km(first: Person, second: Person) -> float:
    return _flat_km((first.lat, first.lon), (second.lat, second.lon))


def _add_requester(area: DemoArea, resident: int) -> int:
    """A resident with her own login and a phone (her volunteer sees it once
    the match is approved), living near the demo resident, who has asked
    for a visiting befriender; on the demo worker's caseload."""
    people = area.people
    assigned = {a.person for a in area.assignments}
    named = {t.other_person for t in area.ties if t.other_person is not None}
    volunteers = {v.person for v in area.volunteers}
    free = [i for i, p in enumerate(people) if p.account is None and i not in volunteers]
    strict = [
        i
        for i in free
        if people[i].registered_by is None
        and i not in assigned
        and i not in named
        and people[i].age_band in ("65-74", *_OLDEST)
        and people[i].phone is not None
    ]
    # A walk away: about a kilometre and a half from the demo resident.
    index = min(strict or free, key=lambda i: (abs(_km(people[i], people[resident]) - 1.5), i))
    person = people[index]
    person.first_name, person.last_name = REQUESTER_NAME
    person.account = REQUESTER
    person.age_band, person.marital_status, person.lives_alone = "75-84", "widowed", True
    person.general_health = "fair"
    person.languages = ["pl", "en"]
    person.interests = ["gardening", "music", "social"]
    person.availability = ["tue_pm", "wed_am", "thu_pm", "fri_am"]
    person.what_would_help = "Company. It has been very quiet since I lost my husband."
    area.accounts.insert(
        1,
        Account(
            REQUESTER,
            f"{REQUESTER}@{DEMO_EMAIL_DOMAIN}",
            " ".join(REQUESTER_NAME),
            "resident",
            True,
        ),
    )
    # She registered online: her own consent is hers.
    area.consents = [
        replace(c, recorded_by=REQUESTER) if c.person == index and c.method == "online" else c
        for c in area.consents
    ]
    on = max(person.registered_on, area.today - timedelta(days=60))
    if not any(a.person == index and a.worker == DEMO_WORKER for a in area.assignments):
        area.assignments.append(Assignment(index, DEMO_WORKER, on, "site_admin"))
    return index


def _recruit(rng: random.Random, area: DemoArea, workers: list[str], exclude: set[int]) -> None:
    """More volunteers where too few active ones speak Polish or Gujarati."""
    people = area.people
    wanted = max(2, round(len(area.volunteers) / 60))
    for language in ("pl", "gu"):
        have = {v.person for v in area.volunteers}
        speaking = [
            v for v in area.volunteers if v.active and language in people[v.person].languages
        ]
        candidates = [
            i
            for i, p in enumerate(people)
            if language in p.languages
            and i not in have
            and i not in exclude
            and p.account is None
            and p.age_band in ("25-34", "35-49", "50-64", "65-74")
            and p.general_health not in _POOR_HEALTH
        ]
        for index in rng.sample(candidates, min(max(0, wanted - len(speaking)), len(candidates))):
            status = "enhanced" if language == "pl" else rng.choice(("applied", "basic"))
            checked = (
                area.today - timedelta(days=rng.randint(60, 700)) if status != "applied" else None
            )
            area.volunteers.append(
                Volunteer(
                    person=index,
                    dbs_status=status,
                    dbs_checked_on=checked,
                    dbs_recorded_by=rng.choice(workers),
                    lived_experience=["migration"],
                    capacity=rng.choice((1, 2)),
                    active=True,
                )
            )
    area.volunteers.sort(key=lambda v: v.person)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def dbs_expiry(volunteer: Volunteer) -> date | None:
    """When the check runs out: its own date, or three years after the check."""
    if volunteer.dbs_expires_on is not None:
        return volunteer.dbs_expires_on
    if volunteer.dbs_checked_on is None:
        return None
    return _add_years(volunteer.dbs_checked_on, DBS_VALID_YEARS)


def _dbs_dates(rng: random.Random, area: DemoArea, resident: int) -> list[Volunteer]:
    """Expiry dates for most checks; a few expire within the warning window.
    The demo resident volunteers with a current enhanced check."""
    today = area.today
    enhanced = sorted(
        v.person
        for v in area.volunteers
        if v.active and v.dbs_status == "enhanced" and v.person != resident
    )
    soon = set(rng.sample(enhanced, min(max(2, len(area.volunteers) // 50), len(enhanced))))
    result = []
    for volunteer in area.volunteers:
        if volunteer.person == resident:
            checked = today - timedelta(days=400)
            volunteer = replace(
                volunteer,
                dbs_status="enhanced",
                dbs_checked_on=checked,
                dbs_recorded_by=DEMO_WORKER,
                capacity=max(2, volunteer.capacity),
                active=True,
                dbs_expires_on=_add_years(checked, DBS_VALID_YEARS),
            )
        elif volunteer.person in soon:
            expires = today + timedelta(days=rng.randint(30, DBS_WARNING_DAYS - 2))
            volunteer = replace(
                volunteer,
                dbs_checked_on=_add_years(expires, -DBS_VALID_YEARS),
                dbs_expires_on=expires,
            )
        elif volunteer.dbs_checked_on is not None and rng.random() < 0.85:
            volunteer = replace(
                volunteer, dbs_expires_on=_add_years(volunteer.dbs_checked_on, DBS_VALID_YEARS)
            )
        result.append(volunteer)
    return result


def _gender(first_name: str) -> str | None:
    if first_name in _EITHER:
        return None
    return "woman" if first_name in _WOMEN else "man"


def _may_offer(kind: str, dbs_status: str) -> bool:
    """What a volunteer would put on their offer: support in the home only with
    an enhanced check (or one applied for)."""
    if REQUIRED_DBS[kind] == "enhanced":
        return dbs_status in ("enhanced", "applied")
    return True


def _pick(rng: random.Random, weights: dict[str, float], number: int) -> list[str]:
    keyed = sorted(((rng.random() ** (1 / w), k) for k, w in weights.items()), reverse=True)
    return [kind for _, kind in keyed[:number]]


def _in_order(items, order) -> list:
    chosen = set(items)
    return [item for item in order if item in chosen]


def _make_offers(rng: random.Random, area: DemoArea, resident: int) -> list[VolunteerOffer]:
    today = area.today
    listed: dict[int, list[str]] = {}
    for item in area.listings:
        if item.direction == "offer" and item.status == "open":
            listed.setdefault(item.person, []).append(item.kind)
    offers = []
    for volunteer in area.volunteers:
        if not volunteer.active:
            continue
        person = area.people[volunteer.person]
        status = volunteer.dbs_status
        roll = rng.random()
        if roll < 0.25 or (status in ("none", "expired") and roll < 0.8):
            kinds = ["befriending_phone"]
        else:
            allowed = {k: w for k, w in _OFFER_WEIGHTS.items() if _may_offer(k, status)}
            kinds = _pick(rng, allowed, rng.choice((1, 2, 2, 3)))
            kinds += [k for k in listed.get(volunteer.person, ()) if k in allowed]
        if "gu" in person.languages and status == "enhanced":
            # No Gujarati speaker visits here: the demo's gap to recruit for.
            kinds = [k for k in kinds if k != "befriending_visit"] or ["befriending_phone"]
        extra = rng.sample(_SLOTS, rng.choice((0, 1, 2, 3)))
        availability = set(person.availability) | set(extra)
        travel = round(rng.uniform(2, 8) * 2) / 2
        since = max(person.registered_on, today - timedelta(days=rng.randint(7, 600)))
        if volunteer.person == resident:
            kinds = ["befriending_phone", "befriending_visit", "go_along"]
            availability |= {"tue_pm", "thu_pm"}
            travel = max(travel, 5.0)
        offer = VolunteerOffer(
            person=volunteer.person,
            kinds=_in_order(kinds, _KINDS),
            availability=_in_order(availability, _SLOTS),
            languages=list(person.languages),
            interests=list(person.interests),
            travel_km=travel,
            available_since=since,
            gender=_gender(person.first_name) if rng.random() < 0.85 else None,
        )
        if volunteer.person != resident and rng.random() < 0.08:
            point = rng.choice(area.postcodes)  # they travel from work
            offer.from_postcode, offer.from_lat, offer.from_lon = (
                point.postcode,
                point.lat,
                point.lon,
            )
        offers.append(offer)
    return offers


def _restrict(rng: random.Random, area: DemoArea, resident: int) -> None:
    """Safeguarding restrictions a worker recorded on two volunteers."""
    home_kinds = [k for k in _KINDS if REQUIRED_DBS[k] == "enhanced"]
    mixed = [o for o in area.offers if o.person != resident and set(o.kinds) & set(home_kinds)]
    if mixed:
        offer = rng.choice(mixed)
        offer.restricted_kinds = home_kinds
        offer.restriction_notes = (
            "Phone befriending only until the reference from their last volunteering role "
            "comes back: no visits or lifts alone with a person."
        )
        offer.restrictions_recorded_by = DEMO_WORKER
    others = [o for o in area.offers if o.person != resident and not o.restricted_kinds]
    if others:
        offer = rng.choice(others)
        home = area.people[offer.person]
        near = min(
            (i for i in range(len(area.people)) if i != offer.person and i != resident),
            key=lambda i: (_km(area.people[i], home), i),
        )
        offer.excluded_persons = [near]
        offer.restriction_notes = (
            "Not to be matched with a former neighbour: a past dispute they told us about."
        )
        offer.restrictions_recorded_by = DEMO_WORKER


def _assign_volunteers(
    rng: random.Random, area: DemoArea, workers: list[str], resident: int
) -> None:
    """Volunteers with an offer are on a worker's caseload (the demo worker
    carries the largest share, the demo resident, and the volunteers whose
    DBS check expires soon, so that the demo worker is warned of them)."""
    caseloads = {(a.person, a.worker) for a in area.assignments}
    assigned = {person for person, _ in caseloads}
    profiles = {v.person: v for v in area.volunteers}
    warn_until = area.today + timedelta(days=DBS_WARNING_DAYS)
    weights = [1.5] + [1.0] * (len(workers) - 1)
    for offer in area.offers:
        expiry = dbs_expiry(profiles[offer.person])
        expiring = expiry is not None and area.today <= expiry <= warn_until
        to_demo_worker = offer.person == resident or expiring
        if to_demo_worker and (offer.person, DEMO_WORKER) not in caseloads:
            worker = DEMO_WORKER
        elif offer.person not in assigned:
            worker = rng.choices(workers, weights)[0]
        else:
            continue
        area.assignments.append(
            Assignment(offer.person, worker, offer.available_since, "site_admin")
        )


# --- requests ----------------------------------------------------------------


def _workers_of(area: DemoArea) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {}
    for assignment in area.assignments:
        result.setdefault(assignment.person, []).append(assignment.worker)
    return result


def _refer(area: DemoArea, person: int, days_ago: int) -> str:
    """Put a person on the demo worker's caseload (as a referral) unless already on one."""
    workers = _workers_of(area).get(person)
    if workers:
        return workers[0]
    on = max(area.people[person].registered_on, area.today - timedelta(days=days_ago))
    area.assignments.append(Assignment(person, DEMO_WORKER, on, "site_admin"))
    return DEMO_WORKER


def _make_requests(
    rng: random.Random, area: DemoArea, requester: int
) -> tuple[list[SupportRequest], list[date]]:
    """The requests, and for each the first day it could have been made (the
    person registered, and on their worker's caseload)."""
    people = area.people
    volunteers = {v.person for v in area.volunteers}
    personal = {t.person for t in area.ties if t.kind != "professional"}
    requests: list[SupportRequest] = []
    could_open: list[date] = []
    asked: set[int] = set()
    online = {a.key for a in area.accounts if not a.can_sign_in}
    assigned_on: dict[tuple[int, str], list[date]] = {}
    for a in area.assignments:
        assigned_on.setdefault((a.person, a.worker), []).append(a.assigned_on)

    def add(person: int, worker: str, **fields) -> SupportRequest:
        earliest = people[person].registered_on
        if worker != REQUESTER:  # taken on by their worker, once on their caseload
            earliest = max(earliest, min(assigned_on[(person, worker)]))
        request = _request(rng, area, person, worker, earliest, **fields)
        if people[person].account in online:  # they asked for themselves
            request.created_by = people[person].account
        requests.append(request)
        could_open.append(earliest)
        asked.add(person)
        return request

    # Halina asked for herself.
    person = people[requester]
    add(
        requester,
        REQUESTER,
        kind="befriending_visit",
        frequency="weekly",
        lived_experience=["bereavement"],
        opened_on=max(person.registered_on, area.today - timedelta(days=30)),
        notes="I would like someone to come for tea and talk about gardens. Polish or English.",
    )
    # People who speak Polish or Gujarati, some of whom would rather not use English.
    for language, wanted in (("pl", 3), ("gu", 3)):
        speakers = [
            i
            for i, p in enumerate(people)
            if language in p.languages and i not in volunteers and i not in asked
            and p.account is None and p.age_band in ("50-64", "65-74", *_OLDEST)
        ]  # fmt: skip
        on_caseloads = _workers_of(area)
        speakers.sort(key=lambda i: (i not in on_caseloads, -_far_out(people[i]), i))
        for number, index in enumerate(speakers[:wanted]):
            worker = _refer(area, index, 200)
            last = area.assignments[-1]
            assigned_on.setdefault((last.person, last.worker), []).append(last.assigned_on)
            if language == "gu" and number == 0:  # the one no one here can meet
                add(
                    index,
                    worker,
                    kind="befriending_visit",
                    languages=["gu"],
                    notes="Speaks a little English; would much rather talk in Gujarati.",
                    wait=(150, 330),
                )
            else:
                kind = "befriending_phone" if number == 1 else None
                add(index, worker, kind=kind)
    workers_of = _workers_of(area)
    for index, person in enumerate(people):
        if index in asked or index in volunteers or index not in workers_of or person.account:
            continue
        chance = (
            0.15
            + 0.25 * person.lives_alone
            + 0.15 * (person.age_band in _OLDEST)
            + 0.15 * (person.general_health in _POOR_HEALTH)
            + 0.25 * (index not in personal)
        )
        if rng.random() < chance:
            add(index, workers_of[index][0])
    # People who are online ask for themselves, less often (they are younger,
    # fewer are alone), and a worker takes the request on; it has waited less.
    workers = [a.key for a in area.accounts if a.role == "worker"]
    for index, person in enumerate(people):
        if person.account not in online or index in asked or index in volunteers:
            continue
        chance = (
            0.05
            + 0.15 * person.lives_alone
            + 0.1 * (person.age_band in _OLDEST)
            + 0.1 * (person.general_health in _POOR_HEALTH)
            + 0.2 * (index not in personal)
        )
        if rng.random() < chance:
            if index in workers_of:
                worker = workers_of[index][0]
            else:
                taken_on = _take_on(rng, area, workers, index)
                worker = taken_on.worker
                assigned_on[(index, worker)] = [taken_on.assigned_on]
            add(index, worker, wait=(2, 90))
    return requests, could_open


def _take_on(rng: random.Random, area: DemoArea, workers: list[str], person: int) -> Assignment:
    """A worker (the demo worker a larger share) takes on someone who asked
    for themselves and is on no caseload."""
    worker = rng.choices(workers, weights=[1.5 if w == DEMO_WORKER else 1 for w in workers])[0]
    days_ago = rng.randint(30, 720)
    on = max(area.people[person].registered_on, area.today - timedelta(days=days_ago))
    assignment = Assignment(person, worker, on, "site_admin")
    area.assignments.append(assignment)
    return assignment


def _flat_km(first: tuple[float, float], second: tuple[float, float]) -> float:
    """Kilometres between two (lat, lon) points, flat-earth: close enough over a town."""
    north = (first[0] - second[0]) * KM_PER_DEGREE_LAT
    east = (first[1] - second[1]) * KM_PER_DEGREE_LAT * math.cos(math.radians(first[0]))
    return math.hypot(north, east)


def _far_out(person: Person) -> float:
    """How far from the middle of the town (the town centre is ZZ1)."""
    return _flat_km((person.lat, person.lon), TOWN_CENTRE)


def _request(
    rng: random.Random,
    area: DemoArea,
    index: int,
    worker: str,
    earliest: date,
    *,
    kind: str | None = None,
    frequency: str | None = None,
    languages: list[str] | None = None,
    lived_experience: list[str] | None = None,
    notes: str | None = None,
    opened_on: date | None = None,
    wait: tuple[int, int] | None = None,
) -> SupportRequest:
    person = area.people[index]
    old_alone = person.age_band in _OLDEST and person.lives_alone
    if kind is None:
        weights = _OLD_ALONE_WEIGHTS if old_alone else _REQUEST_WEIGHTS
        kind = rng.choices(list(weights), weights=list(weights.values()))[0]
    if frequency is None:
        options = _FREQUENCIES[kind]
        frequency = rng.choices([f for f, _ in options], weights=[w for _, w in options])[0]
    if lived_experience is None:
        lived_experience = []
        if person.marital_status == "widowed" and rng.random() < 0.6:
            lived_experience.append("bereavement")
        if person.general_health in _POOR_HEALTH and rng.random() < 0.3:
            lived_experience.append("long_term_illness")
        if ("en" not in person.languages or len(person.languages) > 1) and rng.random() < 0.35:
            lived_experience.append("migration")
    comes_to_me = kind != "go_along" or rng.random() < 0.5
    if opened_on is None:
        low, high = wait or rng.choices([w for w, _ in _WAITS], weights=[c for _, c in _WAITS])[0]
        opened_on = max(earliest, area.today - timedelta(days=rng.randint(low, high)))
        opened_on = min(opened_on, area.today - timedelta(days=1))
    woman = _gender(person.first_name) == "woman"
    return SupportRequest(
        person=index,
        kind=kind,
        frequency=frequency,
        duration_min=rng.choice(_DURATIONS[kind]),
        availability=list(person.availability),
        languages=list(languages or person.languages),
        interests=list(person.interests),
        lived_experience=_in_order(lived_experience, vocab.values(vocab.LIVED_EXPERIENCE)),
        volunteer_gender="woman" if woman and rng.random() < 0.15 else None,
        similar_age=rng.random() < 0.05,
        comes_to_me=comes_to_me,
        travel_km=None if comes_to_me else person.travel_km,
        notes=notes if notes is not None else (_NOTES[kind] if rng.random() < 0.5 else None),
        status="open",
        opened_on=opened_on,
        created_by=worker,
        first_opened_on=opened_on,
    )


# --- the matcher's view, and reasons -------------------------------------------


def _need(area: DemoArea, index: int) -> Need:
    request = area.support_requests[index]
    person = area.people[request.person]
    return Need(
        id=index,
        person_id=request.person,
        kind=request.kind,
        frequency=request.frequency,
        availability=frozenset(request.availability),
        languages=frozenset(request.languages),
        interests=frozenset(request.interests),
        lived_experience=frozenset(request.lived_experience),
        location=(person.lat, person.lon),
        comes_to_me=request.comes_to_me,
        travel_km=request.travel_km or 0.0,
        volunteer_gender=request.volunteer_gender,
        similar_age=request.similar_age,
        age_band=person.age_band,
        excluded_volunteer_ids=frozenset(request.excluded_volunteers),
        household=person.address,
    )


def _offer(area: DemoArea, offer: VolunteerOffer, volunteer: Volunteer) -> Offer:
    person = area.people[offer.person]
    here = (offer.from_lat, offer.from_lon) if offer.from_lat is not None else None
    return Offer(
        id=offer.person,
        kinds=frozenset(offer.kinds),
        capacity=volunteer.capacity,
        availability=frozenset(offer.availability),
        languages=frozenset(offer.languages),
        interests=frozenset(offer.interests),
        lived_experience=frozenset(volunteer.lived_experience),
        location=here or (person.lat, person.lon),
        travel_km=offer.travel_km,
        dbs_level=volunteer.dbs_status,
        dbs_expires_on=dbs_expiry(volunteer),
        restricted_kinds=frozenset(offer.restricted_kinds),
        excluded_person_ids=frozenset(offer.excluded_persons),
        gender=offer.gender,
        age_band=person.age_band,
        household=person.address,
    )


def _label(vocabulary, value: str) -> str:
    return dict(vocabulary)[value]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _reasons(need: Need, offer: Offer, continuity: bool) -> tuple[list[str], float, float | None]:
    """Plain-English reasons, each true of the pair, a rough score and the distance."""
    km = pair_distance_km(need, offer)
    reasons, score = [], 1.0
    if continuity:
        reasons.append("they were matched before, and it ended well")
        score += 2.0
    if need.kind not in NO_TRAVEL_KINDS and km is not None:
        reasons.append(f"{km:.1f} km apart")
        score += max(0.0, 1 - km / 8)
    interests = _in_order(need.interests & offer.interests, vocab.values(vocab.INTERESTS))
    if interests:
        labels = [_ENJOY[i] for i in interests[:2]]
        reasons.append(f"both enjoy {_and(labels)}")
        score += 0.3 * len(interests)
    languages = [
        x for x in _in_order(need.languages & offer.languages, vocab.values(vocab.LANGUAGES))
    ]
    if languages and languages != ["en"]:
        other = [_label(vocab.LANGUAGES, x) for x in languages if x != "en"]
        reasons.append(f"both speak {_and(other)}")
    slots = _in_order(need.availability & offer.availability, _SLOTS)
    if slots:
        when = f"both free on {_label(vocab.AVAILABILITY, slots[0])}s"
        if len(slots) > 1:
            when += f" (and {len(slots) - 1} more time{'s' if len(slots) > 2 else ''} a week)"
        reasons.append(when)
        score += 0.1 * min(len(slots), 5)
    shared = _in_order(
        need.lived_experience & offer.lived_experience, vocab.values(vocab.LIVED_EXPERIENCE)
    )
    if shared:
        labels = [_label(vocab.LIVED_EXPERIENCE, x).lower() for x in shared]
        reasons.append(f"the volunteer has lived experience of {_and(labels)}")
        score += 0.5 * len(shared)
    return reasons, round(score, 2), None if km is None else round(km, 2)


# --- matches and their histories ---------------------------------------------


class _Matcher:
    """Makes the demo's matches, keeping every rule the matcher keeps."""

    def __init__(
        self,
        rng: random.Random,
        area: DemoArea,
        resident: int,
        requester: int,
        could_open: list[date],
    ):
        self.rng, self.area, self.today = rng, area, area.today
        self.could_open = could_open
        self.resident, self.requester = resident, requester
        profiles = {v.person: v for v in area.volunteers}
        self.profiles = profiles
        self.offers = {o.person: o for o in area.offers}
        self.room = {o.person: profiles[o.person].capacity for o in area.offers}
        self.reserved: set[int] = set()  # former volunteers kept free for continuity
        self.busy: set[int] = set()  # requests already given a story
        self.workers = _workers_of(area)
        self.assignment_at = {(a.person, a.worker): n for n, a in enumerate(area.assignments)}
        self._offer_views = {p: _offer(area, o, profiles[p]) for p, o in self.offers.items()}
        self.by_kind: dict[str, list[int]] = {}
        for offer in area.offers:
            for kind in offer.kinds:
                self.by_kind.setdefault(kind, []).append(offer.person)

    # -- helpers

    def worker(self, request: SupportRequest) -> str:
        return self.workers[request.person][0]

    def online(self, person: int) -> bool:
        """Whether a person has an account of their own (a demo login or not)."""
        return self.area.people[person].account is not None

    def candidates(self, index: int, *, need_room: bool = True) -> list[int]:
        """The ``NEAREST`` volunteers (person positions) who fit request ``index``
        today, nearest first."""
        need = _need(self.area, index)
        pool = self.by_kind.get(need.kind, [])
        if len(pool) > POOL:  # a large area: a seeded sample keeps this quick
            pool = sorted(self.rng.sample(pool, POOL))
        found = []
        for person in pool:
            offer = self._offer_views[person]
            if not need.languages & offer.languages:
                continue
            if need_room and (self.room[person] < 1 or person in self.reserved):
                continue
            if person == self.resident:  # the demo resident has stories of their own
                continue
            if need.frequency in REGULAR_FREQUENCIES and not need.availability & offer.availability:
                continue
            # A flat-earth distance first (within metres over a town); the exact
            # geodesic one only for the nearest pairs that may be near enough.
            km = _flat_km(need.location, offer.location)
            if need.kind not in NO_TRAVEL_KINDS and km > travel_limit_km(need, offer) + 0.1:
                continue
            found.append((km, person))
        fitting = []
        for _, person in sorted(found):
            if not failures(need, self._offer_views[person], self.today):
                fitting.append(person)
                if len(fitting) == NEAREST:
                    break
        return fitting

    def order(self, demo_first: bool = False) -> list[int]:
        """Open requests without a story yet, in a seeded order (the demo worker's first)."""
        open_ = [
            i
            for i, r in enumerate(self.area.support_requests)
            if i not in self.busy and r.status == "open" and r.person != self.requester
        ]
        # A seeded shuffle in which people who are online tend to come sooner:
        # they answer for themselves, so more of theirs are matched.
        keys = {i: self.rng.random() for i in open_}
        for i in open_:
            if self.online(self.area.support_requests[i].person):
                keys[i] *= ONLINE_HEAD_START
        open_.sort(key=keys.__getitem__)
        if demo_first:
            open_.sort(key=lambda i: self.worker(self.area.support_requests[i]) != DEMO_WORKER)
        return open_

    def could_start(self, index: int, low_days: int) -> bool:
        """Whether the request could have been open for a while ``low_days`` ago."""
        return self.could_open[index] + timedelta(days=10) <= self.today - timedelta(days=low_days)

    def match(
        self,
        index: int,
        volunteer: int,
        status: str,
        proposed_on: date,
        continuity: bool = False,
    ) -> tuple[int, Match]:
        area = self.area
        request = area.support_requests[index]
        need, offer = _need(area, index), self._offer_views[volunteer]
        reasons, score, km = _reasons(need, offer, continuity)
        match = Match(
            request=index,
            volunteer=volunteer,
            status=status,
            score=score,
            reasons=reasons,
            distance_km=km,
            proposed_on=proposed_on,
        )
        area.matches.append(match)
        offer_record = self.offers[volunteer]
        offer_record.available_since = min(offer_record.available_since, proposed_on)
        self._on_caseload(volunteer, self.worker(request), proposed_on)
        self.busy.add(index)
        return len(area.matches) - 1, match

    def _on_caseload(self, volunteer: int, worker: str, by: date) -> None:
        """Put the volunteer on the worker's caseload by ``by`` (the worker sees both sides)."""
        area = self.area
        on = max(area.people[volunteer].registered_on, by - timedelta(days=7))
        position = self.assignment_at.get((volunteer, worker))
        if position is None:
            self.assignment_at[(volunteer, worker)] = len(area.assignments)
            area.assignments.append(Assignment(volunteer, worker, on, worker))
            self.workers.setdefault(volunteer, []).append(worker)
        elif area.assignments[position].assigned_on > by:
            area.assignments[position] = replace(area.assignments[position], assigned_on=on)

    def history(self, number: int, steps: list[tuple[date, str, str | None, str | None]]) -> None:
        """Events on the given days (never earlier than the step before), at increasing times."""
        for position, (day, step, actor, note) in enumerate(steps):
            at = datetime.combine(day, time(9, 30), UTC) + timedelta(minutes=41 * position)
            self.area.match_events.append(MatchEvent(number, at, actor, step, note))

    def run_through(
        self,
        number: int,
        match: Match,
        *,
        until: date,
        end: tuple | None = None,
        overdue: bool = False,
    ) -> None:
        """Proposed → both accept → approved → reviews, up to ``until`` (and an ending)."""
        rng, request = self.rng, self.area.support_requests[match.request]
        worker = self.worker(request)
        volunteer_actor = self.area.people[match.volunteer].account or worker
        # People who are online answer for themselves; the others through their worker.
        person_actor = self.area.people[request.person].account or worker
        answered = match.proposed_on + timedelta(days=rng.randint(1, 3))
        agreed = answered + timedelta(days=rng.randint(0, 4))
        started = agreed + timedelta(days=rng.randint(1, 5))
        steps = [
            (match.proposed_on, "proposed", worker, "Proposed by a matching run."),
            (answered, "volunteer_accepted", volunteer_actor, None),
            (agreed, "person_accepted", person_actor, None),
            (started, "approved", worker, rng.choice(_APPROVAL_NOTES)),
        ]
        match.volunteer_response = match.person_response = "accepted"
        match.person_answered_by = person_actor
        match.approved_by, match.approved_on, match.started_on = worker, started, started
        due = started + timedelta(days=FIRST_REVIEW_DAYS)
        reviews = []
        while due < until:
            done = due + timedelta(days=rng.randint(0, 6))
            if done >= until:
                break
            reviews.append((due, done))
            due = done + timedelta(days=REVIEW_EVERY_DAYS)
        if overdue and reviews:
            due = reviews.pop()[0]
        for _, done in reviews:
            steps.append((done, "reviewed", worker, rng.choice(_REVIEW_NOTES)))
        if end is None:
            match.next_review_on = due
        else:
            kind, well, asked_by, reason = end
            if asked_by is not None:
                asked = max(steps[-1][0], until - timedelta(days=rng.randint(0, 10)))
                steps.append((asked, "end_requested", worker, reason))
                match.end_requested_by, match.end_requested_reason = asked_by, reason
            steps.append((until, "ended", worker, reason))
            match.ended_on, match.end_kind, match.end_reason, match.ended_well = (
                until,
                kind,
                reason,
                well,
            )
        self.history(number, steps)

    def window(self, index: int, volunteer: int, low_days: int, high_days: int) -> date | None:
        """A proposal day between ``high_days`` and ``low_days`` ago, at least ten
        days after the request could be made and a week after the volunteer
        registered; the request is then dated to have opened before it."""
        could_open = self.could_open[index]
        earliest = max(
            could_open + timedelta(days=10),
            self.area.people[volunteer].registered_on + timedelta(days=7),
        )
        latest = self.today - timedelta(days=low_days)
        first = max(earliest, self.today - timedelta(days=high_days))
        if first > latest:
            return None
        proposed_on = first + timedelta(days=self.rng.randint(0, (latest - first).days))
        request = self.area.support_requests[index]
        # People who are not online wait longer: a worker has to reach them,
        # and talk each step through, by phone or at the door.
        low, high = ONLINE_WAIT if self.online(request.person) else OFFLINE_WAIT
        longest = min(high, (proposed_on - could_open).days)
        waited = self.rng.randint(min(low, longest), longest)
        request.opened_on = request.first_opened_on = proposed_on - timedelta(days=waited)
        return proposed_on

    # -- the stories

    def run(self) -> None:
        requests = self.area.support_requests
        total = len(requests)
        self.proposal_for_the_requester()
        self.active_for_the_resident()
        self.ended(("continuity",), count=1, reopen=True, reserve=True)
        self.ended(("excluded",), count=1, reopen=True)
        self.ended(("rematched",), count=max(1, total // 60), reopen=True, rematch=True)
        self.ended(("closed",), count=max(1, total // 20), reopen=False)
        self.waiting("agreed", count=2)
        self.waiting("proposed", count=max(2, total // 60))
        self.waiting("declined", count=max(1, total // 100))
        self.active(count=max(3, total // 4))

    def proposal_for_the_requester(self) -> None:
        index = next(
            i for i, r in enumerate(self.area.support_requests) if r.person == self.requester
        )
        offer = self._offer_views.get(self.resident)
        if offer is None or failures(_need(self.area, index), offer, self.today):
            return
        proposed_on = self.today - timedelta(days=2)
        number, match = self.match(index, self.resident, "proposed", proposed_on)
        self.room[self.resident] -= 1
        worker = DEMO_WORKER
        self.history(number, [(proposed_on, "proposed", worker, "Proposed by a matching run.")])

    def active_for_the_resident(self) -> None:
        """The demo resident also befriends someone on the demo worker's caseload."""
        offer = self._offer_views.get(self.resident)
        if offer is None or self.room[self.resident] < 1:
            return
        for index in self.order(demo_first=True):
            request = self.area.support_requests[index]
            if self.worker(request) != DEMO_WORKER or not self.could_start(index, 60):
                continue
            if failures(_need(self.area, index), offer, self.today):
                continue
            proposed_on = self.window(index, self.resident, 60, 300)
            if proposed_on is None:
                continue
            number, match = self.match(index, self.resident, "active", proposed_on)
            self.room[self.resident] -= 1
            self.run_through(number, match, until=self.today)
            request.status = "matched"
            return

    def ended(
        self,
        kinds: tuple[str, ...],
        count: int,
        reopen: bool,
        reserve: bool = False,
        rematch: bool = False,
    ) -> None:
        made = 0
        for index in self.order(demo_first=reserve):
            if made >= count:
                return
            if not self.could_start(index, 200):
                continue
            volunteers = self.candidates(index, need_room=reserve)
            if not volunteers:
                continue
            volunteer = volunteers[0] if reserve else self.rng.choice(volunteers)
            proposed_on = self.window(index, volunteer, 200, 800)
            if proposed_on is None:
                continue
            started_by = proposed_on + timedelta(days=12)
            latest_end = self.today - timedelta(days=40 if rematch else 12)
            if (latest_end - started_by).days < 70:
                continue
            ended_on = started_by + timedelta(days=self.rng.randint(70, (latest_end - started_by).days))  # fmt: skip
            request = self.area.support_requests[index]
            ending = self.rng.choice([e for kind in kinds for e in _ENDINGS[kind]])
            number, match = self.match(index, volunteer, "ended", proposed_on)
            self.run_through(number, match, until=ended_on, end=ending)
            if reserve:
                self.reserved.add(volunteer)
            if not reopen:
                request.status = "closed"
            else:
                request.opened_on = ended_on + timedelta(days=self.rng.randint(3, 10))
                if kinds == ("excluded",):
                    request.excluded_volunteers = [volunteer]
                if rematch:
                    self.rematch(index, volunteer)
            made += 1

    def rematch(self, index: int, former: int) -> bool:
        """A new active match for a reopened request, with someone else."""
        volunteers = [v for v in self.candidates(index) if v != former]
        if not volunteers:
            return False
        volunteer = self.rng.choice(volunteers)
        request = self.area.support_requests[index]
        proposed_on = request.opened_on + timedelta(days=self.rng.randint(5, 20))
        if proposed_on > self.today - timedelta(days=14):
            return False
        number, match = self.match(index, volunteer, "active", proposed_on)
        self.room[volunteer] -= 1
        self.run_through(number, match, until=self.today)
        match.status = "active"
        request.status = "matched"
        return True

    def waiting(self, status: str, count: int) -> None:
        made = 0
        for index in self.order(demo_first=True):
            if made >= count:
                return
            low, high = {"proposed": (1, 6), "agreed": (5, 12), "declined": (15, 40)}[status]
            if not self.could_start(index, low):
                continue
            volunteers = self.candidates(index)
            if not volunteers:
                continue
            volunteer = volunteers[0] if made == 0 else self.rng.choice(volunteers[:3])
            request = self.area.support_requests[index]
            worker = self.worker(request)
            proposed_on = self.window(index, volunteer, low, high)
            if proposed_on is None:
                continue
            number, match = self.match(index, volunteer, status, proposed_on)
            actor = self.area.people[volunteer].account or worker
            steps = [(proposed_on, "proposed", worker, "Proposed by a matching run.")]
            answered = min(self.today, proposed_on + timedelta(days=self.rng.randint(1, 2)))
            if status == "declined":
                reason = "Cannot manage that day any more since starting a new job."
                match.volunteer_response, match.volunteer_reason = "declined", reason
                steps.append((answered, "volunteer_declined", actor, reason))
            else:
                self.room[volunteer] -= 1
            if status == "agreed":
                agreed = min(self.today, answered + timedelta(days=self.rng.randint(1, 3)))
                match.volunteer_response = match.person_response = "accepted"
                person_actor = self.area.people[request.person].account
                match.person_answered_by = person_actor or worker
                note = None if person_actor else "Said yes when their worker rang."
                steps.append((answered, "volunteer_accepted", actor, None))
                steps.append((agreed, "person_accepted", person_actor or worker, note))
            self.history(number, steps)
            made += 1

    def active(self, count: int) -> None:
        made = 0
        soon = sorted(
            o.person
            for o in self.area.offers
            if (expiry := dbs_expiry(self.profiles[o.person])) is not None
            and self.today <= expiry <= self.today + timedelta(days=DBS_WARNING_DAYS)
        )
        for index in self.order():
            if made >= count:
                return
            if not self.could_start(index, 14):
                continue
            volunteers = self.candidates(index)
            if not volunteers:
                continue
            flagged = [v for v in volunteers if v in soon]
            volunteer = flagged[0] if flagged else self.rng.choice(volunteers)
            proposed_on = self.window(index, volunteer, 14, 700)
            if proposed_on is None:
                continue
            number, match = self.match(index, volunteer, "active", proposed_on)
            self.room[volunteer] -= 1
            self.run_through(number, match, until=self.today, overdue=self.rng.random() < 0.2)
            self.area.support_requests[index].status = "matched"
            made += 1


def _consent_to_matching(area: DemoArea) -> None:
    """Everyone with a request has agreed to be matched, before it was made:
    recorded by the worker who wrote it down, or given online by themselves."""
    have = {(c.person, c.purpose) for c in area.consents}
    methods = {c.person: c.method for c in area.consents if c.purpose == "register"}
    for request in area.support_requests:
        if (request.person, "matching") in have:
            continue
        person = area.people[request.person]
        given_on = request.first_opened_on or request.opened_on
        if person.account:
            consent = Consent(request.person, "matching", "online", given_on, person.account)
        elif person.registered_by:
            method = methods[request.person]
            consent = Consent(request.person, "matching", method, given_on, person.registered_by)
        else:
            consent = Consent(
                request.person,
                "matching",
                "verbal",
                given_on,
                request.created_by,
                "Agreed on the phone to be matched with a volunteer.",
            )
        area.consents.append(consent)
        have.add((request.person, "matching"))
