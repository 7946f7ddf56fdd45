"""Loading what the matcher reads, in bulk: plain columns, not ORM objects.

Open requests (of people in the area who may be matched) become ``Need``s;
volunteers with room left become ``Offer``s. A county's 20,000 of each load
in a few queries, one per table, joined in Python by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, exists, func, or_, select

from betterway_map.domain.geo.postcodes import PostcodeError, normalise_postcode
from betterway_map.domain.matching.model import Need, Offer
from betterway_map.domain.measures.loneliness import DIRECT_AT_RISK
from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest, VolunteerOffer
from betterway_map.people.models import (
    Attendance,
    Consent,
    LonelinessMeasure,
    Person,
    Tie,
    VolunteerProfile,
)
from betterway_map.people.schemas.records import dbs_valid_until
from betterway_map.people.services.consent import withdrawn, withdrawn_ids

__all__ = ["Loaded", "district", "household_key", "load", "load_offers", "HOLDING"]

MATCHING_PURPOSE = "matching"
REGISTER_PURPOSE = "register"
MEASURES_PURPOSE = "measures"
# Matches that hold a volunteer's place and their request: a proposal already
# sent (until someone declines it or a worker withdraws it), agreed or active.
HOLDING = ("proposed", "agreed", "active")
# Contact this often makes a tie active for priority.
_FREQUENT = ("daily", "weekly")
_FEW_TIES = 2


@dataclass
class Loaded:
    """The records of one run, and what the pages need to show them."""

    needs: list[Need]
    offers: list[Offer]
    # need id -> (person id, first name, district); offer id -> (first name, district)
    need_people: dict[int, tuple[int, str, str]] = field(default_factory=dict)
    offer_people: dict[int, tuple[str, str]] = field(default_factory=dict)


def district(postcode: str | None) -> str:
    """The postcode district ("LS6") of a postcode, or "" when there is none.

    >>> district("ls6 2ab"), district(None), district("nonsense")
    ('LS6', '', '')
    """
    if not postcode:
        return ""
    try:
        return normalise_postcode(postcode).split(" ")[0]
    except PostcodeError:
        return ""


def household_key(address: str | None, postcode: str | None) -> str | None:
    """People at the same address share this key; None when no address is recorded.

    >>> household_key(" 3  Mill Lane ", "ls6 2ab") == household_key("3 mill lane", "LS6 2AB")
    True
    """
    if not address or not address.strip():
        return None
    try:
        code = normalise_postcode(postcode or "")
    except PostcodeError:
        code = (postcode or "").strip().upper()
    return " ".join(address.lower().split()) + "|" + code


def _location(lat, lon):
    return (lat, lon) if lat is not None and lon is not None else None


def _frozen(values) -> frozenset:
    return frozenset(v for v in (values or ()) if isinstance(v, str))


def _ids(values) -> frozenset[int]:
    return frozenset(v for v in (values or ()) if isinstance(v, int))


def _not_withdrawn():
    """People who have not withdrawn consent to matching or to the register
    (a withdrawal takes effect at the next run, whoever gave the consent)."""
    return and_(~withdrawn(Person.id, MATCHING_PURPOSE), ~withdrawn(Person.id, REGISTER_PURPOSE))


def _may_be_matched():
    """People with their own account, or with consent to matching; in both
    cases, not withdrawn."""
    consented = exists().where(
        Consent.person_id == Person.id,
        Consent.purpose == MATCHING_PURPOSE,
        Consent.withdrawn_on.is_(None),
    )
    return and_(or_(Person.user_id.is_not(None), consented), _not_withdrawn())


def _in_progress_request_ids() -> set[int]:
    """Requests with a match that is proposed (sent to the volunteer, answered
    or not), agreed or active: a run leaves them alone."""
    rows = db.session.execute(select(Match.request_id).where(Match.status.in_(HOLDING)))
    return {request_id for (request_id,) in rows}


def _priority_inputs(today: date):
    frequent = dict(
        db.session.execute(
            select(Tie.person_id, func.count())
            .where(Tie.contact_frequency.in_(_FREQUENT))
            .group_by(Tie.person_id)
        ).all()
    )
    members = set(
        db.session.scalars(select(Attendance.person_id).where(Attendance.status == "member"))
    )
    latest = {}
    refused = withdrawn_ids(MEASURES_PURPOSE)
    for person_id, direct in db.session.execute(
        select(LonelinessMeasure.person_id, LonelinessMeasure.direct).order_by(
            LonelinessMeasure.person_id, LonelinessMeasure.measured_on, LonelinessMeasure.id
        )
    ):
        if person_id not in refused:
            latest[person_id] = direct
    return frequent, members, latest


def _former_volunteers() -> dict[int, dict[int, bool]]:
    """person id -> {volunteer id: ended well} from ended matches."""
    former: dict[int, dict[int, bool]] = {}
    rows = db.session.execute(
        select(SupportRequest.person_id, Match.volunteer_id, Match.ended_well)
        .join(SupportRequest, SupportRequest.id == Match.request_id)
        .where(Match.status == "ended")
    )
    for person_id, volunteer_id, ended_well in rows:
        mine = former.setdefault(person_id, {})
        mine[volunteer_id] = mine.get(volunteer_id, False) or bool(ended_well)
    return former


def _declined() -> dict[int, set[int]]:
    """request id -> volunteers who declined it, or whom it declined: never again."""
    declined: dict[int, set[int]] = {}
    for request_id, volunteer_id in db.session.execute(
        select(Match.request_id, Match.volunteer_id).where(Match.status == "declined")
    ):
        declined.setdefault(request_id, set()).add(volunteer_id)
    return declined


def load_needs(area: list[str], today: date) -> tuple[list[Need], dict]:
    """Open requests of people in ``area`` (postcode districts; empty: all)
    who may be matched, and no match in progress; and who they are."""
    busy = _in_progress_request_ids()
    frequent, members, latest = _priority_inputs(today)
    former, declined = _former_volunteers(), _declined()
    wanted = {d.upper() for d in area}
    rows = db.session.execute(
        select(
            SupportRequest.id,
            SupportRequest.person_id,
            SupportRequest.kind,
            SupportRequest.frequency,
            SupportRequest.availability,
            SupportRequest.languages,
            SupportRequest.interests,
            SupportRequest.lived_experience,
            SupportRequest.volunteer_gender,
            SupportRequest.similar_age,
            SupportRequest.excluded_volunteer_ids,
            SupportRequest.comes_to_me,
            SupportRequest.travel_km,
            SupportRequest.opened_on,
            Person.first_name,
            Person.postcode,
            Person.latitude,
            Person.longitude,
            Person.age_band,
            Person.address,
        )  # fmt: skip
        .join(Person, Person.id == SupportRequest.person_id)
        .where(SupportRequest.status == "open", _may_be_matched())
        .order_by(SupportRequest.id)
    )
    needs, people = [], {}
    for row in rows:
        where = district(row.postcode)
        if row.id in busy or (wanted and where not in wanted):
            continue
        needs.append(
            Need(
                id=row.id,
                person_id=row.person_id,
                kind=row.kind,
                frequency=row.frequency,
                availability=_frozen(row.availability),
                languages=_frozen(row.languages),
                interests=_frozen(row.interests),
                lived_experience=_frozen(row.lived_experience),
                location=_location(row.latitude, row.longitude),
                comes_to_me=bool(row.comes_to_me),
                travel_km=float(row.travel_km or 0.0),
                volunteer_gender=row.volunteer_gender,
                similar_age=bool(row.similar_age),
                age_band=row.age_band,
                excluded_volunteer_ids=_ids(row.excluded_volunteer_ids)
                | frozenset(declined.get(row.id, ())),
                household=household_key(row.address, row.postcode),
                former_volunteers=former.get(row.person_id, {}),
                isolated=frequent.get(row.person_id, 0) < _FEW_TIES
                and row.person_id not in members,
                lonely_often=latest.get(row.person_id) in DIRECT_AT_RISK,
                waiting_days=max(0, (today - row.opened_on).days),
            )
        )
        people[row.id] = (row.person_id, row.first_name, where)
    return needs, people


def _places_taken() -> dict[int, int]:
    """volunteer id -> places held: proposals still waiting for answers, agreed
    and active matches."""
    rows = db.session.execute(
        select(Match.volunteer_id, func.count())
        .where(Match.status.in_(HOLDING))
        .group_by(Match.volunteer_id)
    )
    return dict(rows.all())


def load_offers(today: date) -> tuple[list, dict]:
    """Active volunteers with room left, and who they are."""
    taken = _places_taken()
    rows = db.session.execute(
        select(
            VolunteerOffer.person_id,
            VolunteerOffer.kinds,
            VolunteerOffer.availability,
            VolunteerOffer.languages,
            VolunteerOffer.interests,
            VolunteerOffer.travel_km,
            VolunteerOffer.from_latitude,
            VolunteerOffer.from_longitude,
            VolunteerOffer.gender,
            VolunteerOffer.restricted_kinds,
            VolunteerOffer.excluded_person_ids,
            VolunteerOffer.available_since,
            VolunteerProfile.dbs_status,
            VolunteerProfile.dbs_checked_on,
            VolunteerProfile.dbs_expires_on,
            VolunteerProfile.lived_experience,
            VolunteerProfile.capacity,
            Person.first_name,
            Person.postcode,
            Person.latitude,
            Person.longitude,
            Person.age_band,
            Person.address,
        )  # fmt: skip
        .join(VolunteerProfile, VolunteerProfile.person_id == VolunteerOffer.person_id)
        .join(Person, Person.id == VolunteerOffer.person_id)
        .where(VolunteerProfile.active.is_(True), _not_withdrawn())
        .order_by(VolunteerOffer.person_id)
    )
    offers, people = [], {}
    for row in rows:
        room = (row.capacity or 0) - taken.get(row.person_id, 0)
        if room <= 0:
            continue
        expires = dbs_valid_until(row.dbs_checked_on, row.dbs_expires_on)
        location = _location(row.from_latitude, row.from_longitude) or _location(
            row.latitude, row.longitude
        )
        offers.append(
            Offer(
                id=row.person_id,
                kinds=_frozen(row.kinds),
                capacity=room,
                availability=_frozen(row.availability),
                languages=_frozen(row.languages),
                interests=_frozen(row.interests),
                lived_experience=_frozen(row.lived_experience),
                location=location,
                travel_km=float(row.travel_km or 0.0),
                dbs_level=row.dbs_status or "none",
                dbs_expires_on=expires,
                restricted_kinds=_frozen(row.restricted_kinds),
                excluded_person_ids=_ids(row.excluded_person_ids),
                gender=row.gender,
                age_band=row.age_band,
                household=household_key(row.address, row.postcode),
                waiting_days=max(0, (today - row.available_since).days),
            )
        )
        people[row.person_id] = (row.first_name, district(row.postcode))
    return offers, people


def load(area: list[str], today: date) -> Loaded:
    """Everything one run reads."""
    needs, need_people = load_needs(area, today)
    offers, offer_people = load_offers(today)
    return Loaded(needs, offers, need_people, offer_people)
